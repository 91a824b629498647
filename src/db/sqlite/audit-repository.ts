import { and, desc, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import type { AuditRepository } from "../../services/audit-ports.js";
import { accessAudit } from "../schema.js";
import type { SqliteDb } from "../sqlite-client.js";

export function createSqliteAuditRepository(db: SqliteDb): AuditRepository {
  const sqlite = db.$client;
  // Prepared once: every audited read pays for this insert (and its commit).
  const insert = db
    .insert(accessAudit)
    .values({
      at: sql.placeholder("at"),
      receiptCode: sql.placeholder("receiptCode"),
      action: sql.placeholder("action"),
      actorKeyId: sql.placeholder("actorKeyId"),
      actorName: sql.placeholder("actorName"),
      actorRole: sql.placeholder("actorRole"),
      remoteAddress: sql.placeholder("remoteAddress"),
      requestId: sql.placeholder("requestId"),
    })
    .prepare();

  /**
   * An audit row is committed before the response leaves, but without its own fsync: at
   * synchronous=NORMAL a WAL commit survives a process crash (SIGKILL) and reaches the disk with
   * the next FULL commit or checkpoint. Only a power cut in that window can lose audit rows, never
   * an acknowledged write; fsyncing every read would cost ~0.1 ms each (measured: 95–150 µs per
   * insert at FULL against ~25 µs with this switch). JavaScript runs one statement at a time on
   * this connection, so no other write can happen at the lowered level.
   */
  const level = sqlite.pragma("synchronous", { simple: true }) as number;
  const appendRow = (entry: Record<string, unknown>) => {
    sqlite.pragma("synchronous = NORMAL");
    try {
      insert.run(entry);
    } finally {
      sqlite.pragma(`synchronous = ${level}`);
    }
  };

  return {
    async append(entry) {
      appendRow({ ...entry });
    },

    async list(filter) {
      const conditions: SQL[] = [];
      if (filter.receiptCode !== undefined) conditions.push(eq(accessAudit.receiptCode, filter.receiptCode));
      if (filter.actorKeyId !== undefined) conditions.push(eq(accessAudit.actorKeyId, filter.actorKeyId));
      if (filter.from !== undefined) conditions.push(gte(accessAudit.at, filter.from));
      if (filter.before !== undefined) conditions.push(lt(accessAudit.at, filter.before));
      if (filter.cursor !== undefined) conditions.push(lt(accessAudit.id, filter.cursor));
      const rows = db
        .select()
        .from(accessAudit)
        .where(and(...conditions))
        .orderBy(desc(accessAudit.id))
        .limit(filter.limit + 1)
        .all();
      const items = rows.slice(0, filter.limit);
      return { items, nextCursor: rows.length > filter.limit ? items[items.length - 1]!.id : null };
    },
  };
}
