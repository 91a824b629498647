import type Database from "better-sqlite3";
import type { AgencyLoad, OperationsStatusRepository } from "../../services/operations-status.js";

/** One pass over the open dossiers (dossiers_status_due_idx), grouped by handling agency. */
export function createSqliteOperationsStatusRepository(sqlite: Database.Database): OperationsStatusRepository {
  const statements = new Map<number, Database.Statement>();
  const statement = (openCount: number) => {
    let found = statements.get(openCount);
    if (!found) {
      found = sqlite.prepare(
        `select handling_agency_code as agencyCode, count(*) as open,
           sum(case when (paused = 0 and due_at < @now) or late_when_suspended = 1 then 1 else 0 end) as overdue,
           sum(case when paused = 0 and due_at >= @now and due_at <= @until then 1 else 0 end) as atRisk
         from dossiers indexed by dossiers_status_due_idx
         where status in (${Array.from({ length: openCount }, (_, i) => `@s${i}`).join(", ")})
         group by handling_agency_code order by handling_agency_code`,
      );
      statements.set(openCount, found);
    }
    return found;
  };
  return {
    async loadByAgency(openStatuses, now, atRiskUntil) {
      const params: Record<string, unknown> = { now, until: atRiskUntil };
      openStatuses.forEach((s, i) => (params[`s${i}`] = s));
      return statement(openStatuses.length).all(params) as AgencyLoad[];
    },
  };
}
