/** The access audit on PostgreSQL (contract: src/services/audit-ports.ts; the same rules as src/db/sqlite/audit-repository.ts). */
import { and, desc, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import type { AuditEntry } from "../../domain/access/audit.js";
import type { AuditRepository } from "../../services/audit-ports.js";
import { accessAudit } from "./schema.js";
import type { PgDb } from "./pg-client.js";

interface Pending {
  readonly entry: AuditEntry;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export function createPostgresAuditRepository(db: PgDb): AuditRepository {
  /**
   * One INSERT per batch, whatever its size: the columns go as eight arrays that `unnest` turns
   * back into rows (a register read queues one entry per dossier it lists; eight parameters per
   * row would pass PostgreSQL's 65,535 after 8,191 rows). A single statement is its own
   * transaction: the batch commits whole or not at all.
   */
  const insertBatch = async (entries: readonly AuditEntry[]): Promise<void> => {
    const column = <K extends keyof AuditEntry>(key: K) => sql.param(entries.map((e) => e[key]));
    await db.execute(sql`
      insert into ${accessAudit} (at, receipt_code, action, actor_key_id, actor_name, actor_role, remote_address, request_id)
      select * from unnest(${column("at")}::bigint[], ${column("receiptCode")}::text[], ${column("action")}::text[], ${column("actorKeyId")}::text[],
        ${column("actorName")}::text[], ${column("actorRole")}::text[], ${column("remoteAddress")}::text[], ${column("requestId")}::text[])`);
  };

  /**
   * Group commit, as on SQLite: the entries of one turn of the event loop are written by one
   * statement on the next turn (under load, dozens of reads share one commit and one round trip).
   * Each entry's reader waits for the commit that holds it: personal data is sent only once its
   * read is on record (Personal Data Protection Law 91/2025: no unlogged read). A failed commit
   * (the server gone, a full disk, the pool closed) fails the reads of its batch, never the
   * process: every batch's outcome is caught and handed to its readers. Batches of successive
   * turns may be in flight together, each on its own pooled connection.
   */
  let queued: Pending[] = [];
  const inFlight = new Set<Promise<void>>();
  const startBatch = () => {
    if (queued.length === 0) return;
    const batch = queued;
    queued = [];
    const settled: Promise<void> = insertBatch(batch.map((p) => p.entry))
      .then(
        () => {
          for (const p of batch) p.resolve();
        },
        (error: unknown) => {
          for (const p of batch) p.reject(error);
        },
      )
      .finally(() => inFlight.delete(settled));
    inFlight.add(settled);
  };
  const flush = async () => {
    startBatch();
    await Promise.allSettled([...inFlight]);
  };

  return {
    append(entry) {
      return new Promise<void>((resolve, reject) => {
        if (queued.length === 0) setImmediate(startBatch);
        queued.push({ entry, resolve, reject });
      });
    },

    flush,

    async list(filter) {
      // What was appended before is listed (as SQLite's flush before its read).
      await flush();
      const conditions: SQL[] = [];
      if (filter.receiptCode !== undefined) conditions.push(eq(accessAudit.receiptCode, filter.receiptCode));
      if (filter.actorKeyId !== undefined) conditions.push(eq(accessAudit.actorKeyId, filter.actorKeyId));
      if (filter.from !== undefined) conditions.push(gte(accessAudit.at, filter.from));
      if (filter.before !== undefined) conditions.push(lt(accessAudit.at, filter.before));
      if (filter.cursor !== undefined) conditions.push(lt(accessAudit.id, filter.cursor));
      const rows = await db
        .select()
        .from(accessAudit)
        .where(and(...conditions))
        .orderBy(desc(accessAudit.id))
        .limit(filter.limit + 1);
      const items = rows.slice(0, filter.limit);
      return { items, nextCursor: rows.length > filter.limit ? items[items.length - 1]!.id : null };
    },
  };
}
