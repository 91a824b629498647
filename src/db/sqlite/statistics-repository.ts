/**
 * Report 06 counts in one pass of SQL over the dossier projection (SQLite dialect). Every dossier
 * that could matter for [p0, p1) — received before p1, not closed before p0, not cancelled — is
 * classified with CASE expressions; "overdue at p1" asks the overdue stretches.
 */
import type { StatisticsRepository, StatDimension, TimelinessCounts } from "../../services/statistics-ports.js";
import type { SqliteHandle } from "../sqlite-client.js";

const GROUP_COLUMN: Record<StatDimension, string> = {
  agency: "handling_agency_code",
  field: "field_code",
  procedure: "procedure_code",
  channel: "channel",
};

export function createSqliteStatisticsRepository(handle: SqliteHandle): StatisticsRepository {
  const statements = new Map<string, ReturnType<SqliteHandle["sqlite"]["prepare"]>>();

  return {
    async timeliness({ p0, p1, basis, groupBy, filter }) {
      const where: string[] = [
        "d.status <> 'cancelled'",
        "d.received_at < @p1",
        // Closed (finished or stopped) before the period: not part of it.
        "coalesce(d.finished_at, d.stopped_at, @p1) >= @p0",
      ];
      const params: Record<string, unknown> = { p0, p1, basis };
      if (filter.agencyCodes !== undefined) {
        where.push(`d.handling_agency_code in (select value from json_each(@agencies))`);
        params.agencies = JSON.stringify(filter.agencyCodes);
      }
      if (filter.procedureCode !== undefined) {
        where.push("d.procedure_code = @procedure");
        params.procedure = filter.procedureCode;
      }
      if (filter.channel !== undefined) {
        where.push("d.channel = @channel");
        params.channel = filter.channel;
      }
      const timeliness = basis === "legal" ? "d.legal_timeliness" : "d.timeliness";
      const due = basis === "legal" ? "d.legal_due_at" : "d.due_at";
      const key = groupBy === null ? "''" : GROUP_COLUMN[groupBy];
      const sql = `
        with scoped as (
          select d.*,
            (d.finished_at is null or d.finished_at >= @p1) and (d.stopped_at is null or d.stopped_at >= @p1) as open_at_end,
            exists (
              select 1 from dossier_overdue_spans s
              where s.receipt_code = d.receipt_code and s.basis = @basis and s.from_at < @p1 and (s.to_at is null or s.to_at > @p1)
            ) as overdue_at_end,
            d.finished_at >= @p0 and d.finished_at < @p1 as resolved_in,
            d.received_at >= @p0 as new_in
          from dossiers d
          where ${where.join(" and ")}
        )
        select ${key} as key,
          sum(not new_in) as carriedOver,
          sum(new_in) as received,
          sum(new_in and channel = 'online') as receivedOnline,
          sum(resolved_in) as resolved,
          sum(resolved_in and ${timeliness.replace("d.", "")} = 'early') as early,
          sum(resolved_in and ${timeliness.replace("d.", "")} = 'on_time') as onTime,
          sum(resolved_in and ${timeliness.replace("d.", "")} = 'late') as late,
          sum(open_at_end) as pending,
          sum(open_at_end and overdue_at_end) as pendingOverdue,
          sum(finished_at is null and stopped_at >= @p0 and stopped_at < @p1) as stopped,
          coalesce(sum(case when resolved_in then processing_minutes end), 0) as processingMinutes,
          sum(supplement_requests <= 1 and case
                when coalesce(finished_at, returned_at, stopped_at) < @p1 then coalesce(finished_at, returned_at, stopped_at) <= ${due.replace("d.", "")}
                else not overdue_at_end end) as progressOnTime,
          sum(new_in and digitized) as receivedDigitized,
          sum(new_in and fee_vnd > 0) as receivedWithFee,
          sum(new_in and fee_vnd > 0 and paid_online) as receivedPaidOnline
        from scoped
        group by 1
        order by 1`;
      let statement = statements.get(sql);
      if (!statement) statements.set(sql, (statement = handle.sqlite.prepare(sql)));
      return (statement.all(params) as TimelinessCounts[]).map((row) => ({ ...row, key: String(row.key) }));
    },
  };
}
