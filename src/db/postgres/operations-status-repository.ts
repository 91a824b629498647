/** Operations gauges on PostgreSQL (contract: src/services/operations-status.ts; the same query as src/db/sqlite/operations-status-repository.ts). */
import { inArray, sql } from "drizzle-orm";
import type { AgencyLoad, OperationsStatusRepository } from "../../services/operations-status.js";
import { dossiers } from "./schema.js";
import type { PgDb } from "./pg-client.js";
import { bytewise } from "./text-order.js";

/**
 * One pass over the open dossiers, grouped by handling agency. SQLite is told to use
 * dossiers_status_due_idx; PostgreSQL's planner picks it (or a bitmap scan of it) for a status
 * filter on its own. The counts are int8, and drizzle's own type parsers replace the pool's for
 * the queries it builds (pg-client.ts's do not apply): mapped to numbers here.
 */
export function createPostgresOperationsStatusRepository(db: PgDb): OperationsStatusRepository {
  return {
    async loadByAgency(openStatuses, now, atRiskUntil) {
      if (openStatuses.length === 0) return [];
      return db
        .select({
          agencyCode: dossiers.handlingAgencyCode,
          open: sql`count(*)`.mapWith(Number),
          overdue: sql`count(*) filter (where (not ${dossiers.paused} and ${dossiers.dueAt} < ${now}) or ${dossiers.lateWhenSuspended})`.mapWith(Number),
          atRisk: sql`count(*) filter (where not ${dossiers.paused} and ${dossiers.dueAt} >= ${now} and ${dossiers.dueAt} <= ${atRiskUntil})`.mapWith(Number),
        })
        .from(dossiers)
        .where(inArray(dossiers.status, openStatuses as readonly (typeof dossiers.$inferSelect.status)[]))
        .groupBy(dossiers.handlingAgencyCode)
        .orderBy(bytewise(dossiers.handlingAgencyCode));
    },
  };
}
