import type { AuditEntry } from "../domain/access/audit.js";

export interface StoredAuditEntry extends AuditEntry {
  readonly id: number;
}

export interface AuditFilter {
  readonly receiptCode?: string;
  readonly actorKeyId?: string;
  /** Inclusive lower and exclusive upper bound, epoch ms. */
  readonly from?: number;
  readonly before?: number;
  /** Entries with a smaller id than this (newest first). */
  readonly cursor?: number;
  readonly limit: number;
}

/** The append-only access audit (Personal Data Protection Law 91/2025). */
export interface AuditRepository {
  /**
   * Queues the entry; it is committed with the others of this turn of the event loop (group
   * commit). Resolves once committed; rejects with the storage's error when the commit failed.
   */
  append(entry: AuditEntry): Promise<void>;
  /** Commits what is queued now (before closing the database, tests); resolves when every batch started so far has settled. */
  flush(): Promise<void>;
  list(filter: AuditFilter): Promise<{ items: StoredAuditEntry[]; nextCursor: number | null }>;
}
