import { and, desc, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import type { AuditRepository } from "../../services/audit-ports.js";
import { accessAudit } from "../schema.js";
import type { SqliteDb } from "../sqlite-client.js";

export function createSqliteAuditRepository(db: SqliteDb): AuditRepository {
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

  return {
    async append(entry) {
      insert.run({ ...entry });
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
