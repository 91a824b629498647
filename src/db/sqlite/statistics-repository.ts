/**
 * Report 06 counts in one pass of SQL over the dossier projection (SQLite dialect). Every dossier
 * that could matter for [p0, p1) — received before p1, not closed before p0, not cancelled — is
 * classified with CASE expressions; "overdue at p1" asks the overdue stretches.
 */
import type { StatFilter, StatisticsRepository, StatDimension, TimelinessCounts } from "../../services/statistics-ports.js";
import type { SqliteHandle } from "./sqlite-client.js";
import { STAT_COLUMN_NAMES } from "./schema.js";
import { OWED_DUTY_KINDS, type DutyKind } from "../../domain/dossier/duties.js";
import { planDutyCount } from "../../domain/statistics/duty-contributions.js";
import { rollupDimension } from "../rows/stat-sources.js";

const GROUP_COLUMN: Record<StatDimension, string> = {
  agency: "handling_agency_code",
  field: "field_code",
  procedure: "procedure_code",
  channel: "channel",
};

/**
 * Filter clauses on the columns both tables share (handling_agency_code, procedure_code, channel);
 * `columns` names them otherwise (a table alias, or the agency that owes a duty).
 */
function filters(
  filter: StatFilter,
  columns: { agency: string; procedure: string; channel: string } = { agency: "handling_agency_code", procedure: "procedure_code", channel: "channel" },
): { clauses: string[]; params: Record<string, unknown> } {
  const clauses: string[] = [];
  const params: Record<string, unknown> = {};
  if (filter.agencyCodes !== undefined) {
    clauses.push(`${columns.agency} in (select value from json_each(@agencies))`);
    params.agencies = JSON.stringify(filter.agencyCodes);
  }
  if (filter.procedureCode !== undefined) {
    clauses.push(`${columns.procedure} = @procedure`);
    params.procedure = filter.procedureCode;
  }
  if (filter.channel !== undefined) {
    clauses.push(`${columns.channel} = @channel`);
    params.channel = filter.channel;
  }
  return { clauses, params };
}

/**
 * Where month sums come from: the roll-up of one dimension when the report groups by at most that
 * dimension and filters on at most it (a few thousand rows), else the full cells.
 */
function source(groupBy: StatDimension | null, filter: StatFilter): { table: string; clauses: string[]; params: Record<string, unknown>; key: string } {
  const dimension = rollupDimension(groupBy, filter);
  if (dimension === null) {
    const { clauses, params } = filters(filter);
    return { table: "stat_month_totals", clauses, params, key: groupBy === null ? "''" : GROUP_COLUMN[groupBy] };
  }
  const { clauses, params } = rollupFilter(dimension, filter);
  return { table: "stat_dimension_totals", clauses, params, key: groupBy === null ? "''" : "key" };
}

/** The rows of one roll-up dimension that a filter (on at most that dimension) keeps. */
function rollupFilter(dimension: string, filter: StatFilter): { clauses: string[]; params: Record<string, unknown> } {
  const clauses = ["dimension = @dimension"];
  const params: Record<string, unknown> = { dimension };
  if (filter.agencyCodes !== undefined) {
    clauses.push("key in (select value from json_each(@keys))");
    params.keys = JSON.stringify(filter.agencyCodes);
  } else if (filter.procedureCode !== undefined || filter.channel !== undefined) {
    clauses.push("key = @key");
    params.key = filter.procedureCode ?? filter.channel;
  }
  return { clauses, params };
}

/**
 * Where duty counts come from, as source(): the roll-up of one dimension ("agency" = the owing
 * agency) when the report groups and filters by at most it, else the full cells.
 */
function dutySource(groupBy: StatDimension | null, filter: StatFilter): { table: string; clauses: string[]; params: Record<string, unknown>; key: string } {
  const dimension = rollupDimension(groupBy, filter);
  if (dimension === null) {
    const { clauses, params } = filters(filter, { agency: "agency_code", procedure: "procedure_code", channel: "channel" });
    return { table: "stat_duty_totals", clauses, params, key: groupBy === null ? "''" : groupBy === "agency" ? "agency_code" : GROUP_COLUMN[groupBy] };
  }
  const { clauses, params } = rollupFilter(dimension, filter);
  return { table: "stat_duty_dimension_totals", clauses, params, key: groupBy === null ? "''" : "key" };
}

/** Recomputes the per-dimension roll-ups from the full cells (after a bulk load). */
export function rebuildDimensionTotals(handle: Pick<SqliteHandle, "sqlite">): void {
  const columns = STAT_COLUMN_NAMES;
  const rollUp = (dimension: string, key: string) =>
    `insert into stat_dimension_totals (dimension, month, key, ${columns.join(", ")})
     select '${dimension}', month, ${key}, ${columns.map((c) => `sum(${c})`).join(", ")} from stat_month_totals group by month, ${key}`;
  handle.sqlite.transaction(() => {
    handle.sqlite.exec("delete from stat_dimension_totals");
    handle.sqlite.exec(rollUp("all", "''"));
    for (const [dimension, column] of Object.entries(GROUP_COLUMN)) handle.sqlite.exec(rollUp(dimension, column));
  })();
}

/**
 * Recomputes every dossier's missed-duty share and the duty counts from the stored duties (after
 * a bulk load; migrations/0017 does the same once). SQL's reading of duty-contributions.ts: the
 * Vietnam-local day is the instant + 7 h (no daylight saving since 1975), its report month the
 * next calendar month from the 15th (report-period.ts).
 */
export function rebuildDutyTotals(handle: Pick<SqliteHandle, "sqlite">): void {
  const missed = `
    select l.receipt_code, l.seq, l.agency_code, l.kind, d.procedure_code, d.channel, d.field_code,
      date(l.due_at / 1000 + 25200, 'unixepoch') as day
    from dossier_duties l join dossiers d on d.receipt_code = l.receipt_code
    where d.status <> 'cancelled'
      and (l.done_at > l.due_at or (l.done_at is null and l.kind in (select value from json_each('${JSON.stringify(OWED_DUTY_KINDS)}'))))`;
  const month = "case when substr(day, 9, 2) >= '15' then strftime('%Y-%m', day, 'start of month', '+1 month') else substr(day, 1, 7) end";
  handle.sqlite.transaction(() => {
    handle.sqlite.exec(`
      delete from stat_duty_totals;
      delete from stat_duty_dimension_totals;
      update dossiers set duty_contributions = '[]' where duty_contributions <> '[]';
      create temp table missed_duties as ${missed};
      update dossiers set duty_contributions = (
        select json_group_array(json_object('day', m.day, 'agencyCode', m.agency_code, 'kind', m.kind))
        from (select * from missed_duties m where m.receipt_code = dossiers.receipt_code order by m.seq) m)
      where receipt_code in (select receipt_code from missed_duties);
      insert into stat_duty_totals (grain, bucket, agency_code, procedure_code, channel, field_code, kind, missed)
        select 'day', day, agency_code, procedure_code, channel, field_code, kind, count(*) from missed_duties group by 2, 3, 4, 5, 6, 7;
      insert into stat_duty_totals (grain, bucket, agency_code, procedure_code, channel, field_code, kind, missed)
        select 'month', ${month}, agency_code, procedure_code, channel, field_code, kind, count(*) from missed_duties group by 2, 3, 4, 5, 6, 7;
      drop table missed_duties;
      insert into stat_duty_dimension_totals (dimension, grain, bucket, key, kind, missed)
        select 'all', grain, bucket, '', kind, sum(missed) from stat_duty_totals group by grain, bucket, kind
        union all select 'agency', grain, bucket, agency_code, kind, sum(missed) from stat_duty_totals group by grain, bucket, agency_code, kind
        union all select 'channel', grain, bucket, channel, kind, sum(missed) from stat_duty_totals group by grain, bucket, channel, kind
        union all select 'field', grain, bucket, field_code, kind, sum(missed) from stat_duty_totals group by grain, bucket, field_code, kind
        union all select 'procedure', grain, bucket, procedure_code, kind, sum(missed) from stat_duty_totals group by grain, bucket, procedure_code, kind;`);
  })();
}

export function createSqliteStatisticsRepository(handle: SqliteHandle): StatisticsRepository {
  const statements = new Map<string, ReturnType<SqliteHandle["sqlite"]["prepare"]>>();
  /** A statement built from its text, prepared once per distinct text. */
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = handle.sqlite.prepare(sql)));
    return statement;
  };
  const run = (sql: string, params: Record<string, unknown>): TimelinessCounts[] => {
    const statement = prepared(sql);
    return (statement.all(params) as TimelinessCounts[]).map((row) => ({ ...row, key: String(row.key) }));
  };

  return {
    async timeliness({ p0, p1, basis, groupBy, filter }) {
      const where: string[] = [
        "d.status <> 'cancelled'",
        "d.received_at < @p1",
        // Closed (finished or stopped) before the period: not part of it.
        "coalesce(d.finished_at, d.stopped_at, @p1) >= @p0",
      ];
      const scoped = filters(filter);
      where.push(...scoped.clauses.map((c) => `d.${c}`));
      const params: Record<string, unknown> = { p0, p1, basis, ...scoped.params };
      const timeliness = basis === "legal" ? "d.legal_timeliness" : "d.timeliness";
      const key = groupBy === null ? "''" : GROUP_COLUMN[groupBy];
      const sql = `
        -- total() rather than sum(): 0 instead of NULL for a condition that is never true.
        with scoped as (
          select d.*,
            (d.finished_at is null or d.finished_at >= @p1) and (d.stopped_at is null or d.stopped_at >= @p1) as open_at_end,
            exists (
              select 1 from dossier_overdue_spans s
              where s.receipt_code = d.receipt_code and s.basis = @basis and s.from_at < @p1 and (s.to_at is null or s.to_at > @p1)
            ) as overdue_at_end,
            -- Decision 766 progress is always judged against the committed due date.
            exists (
              select 1 from dossier_overdue_spans s
              where s.receipt_code = d.receipt_code and s.basis = 'committed' and s.from_at < @p1 and (s.to_at is null or s.to_at > @p1)
            ) as committed_overdue_at_end,
            d.finished_at >= @p0 and d.finished_at < @p1 as resolved_in,
            d.received_at >= @p0 as new_in
          from dossiers d
          where ${where.join(" and ")}
        )
        select ${key} as key,
          total(not new_in) as carriedOver,
          total(new_in) as received,
          total(new_in and channel = 'online') as receivedOnline,
          total(resolved_in) as resolved,
          total(resolved_in and ${timeliness.replace("d.", "")} = 'early') as early,
          total(resolved_in and ${timeliness.replace("d.", "")} = 'on_time') as onTime,
          total(resolved_in and ${timeliness.replace("d.", "")} = 'late') as late,
          total(open_at_end) as pending,
          total(open_at_end and overdue_at_end) as pendingOverdue,
          total(finished_at is null and stopped_at >= @p0 and stopped_at < @p1) as stopped,
          total(case when resolved_in then processing_minutes end) as processingMinutes,
          total(supplement_requests <= 1 and case
                when coalesce(finished_at, returned_at, stopped_at) < @p1 then coalesce(finished_at, returned_at, stopped_at) <= due_at
                else not committed_overdue_at_end end) as progressOnTime,
          total(new_in and digitized) as receivedDigitized,
          total(new_in and fee_vnd > 0) as receivedWithFee,
          total(new_in and fee_vnd > 0 and paid_online) as receivedPaidOnline
        from scoped
        group by 1
        order by 1`;
      return run(sql, params);
    },

    async apologyLetters({ p0, p1, groupBy, filter }) {
      // Letters (and ratings, below) first, by their instant's index: left to itself, SQLite reads
      // every dossier under an agency filter and looks each one's letter up (1.9 s at 1M dossiers).
      const { clauses, params } = filters(filter);
      const key = groupBy === null ? "''" : `d.${GROUP_COLUMN[groupBy]}`;
      const rows = handle.sqlite
        .prepare(
          `select ${key} as key, count(*) as n
           from apology_letters l cross join dossiers d on d.receipt_code = l.receipt_code
           where l.issued_at >= @p0 and l.issued_at < @p1 and d.status <> 'cancelled' ${clauses.map((c) => `and d.${c}`).join(" ")}
           group by 1`,
        )
        .all({ p0, p1, ...params }) as { key: string; n: number }[];
      return new Map(rows.map((r) => [r.key, r.n]));
    },

    async overdueDuties({ p0, p1, now, groupBy, filter }) {
      // Whole report months and days from the maintained counts; the part of today before now
      // (when the period reaches it) from the duties themselves (duty-contributions.ts).
      const plan = planDutyCount(p0, p1, now);
      const parts: string[] = [];
      const params: Record<string, unknown> = {};
      const counted = dutySource(groupBy, filter);
      Object.assign(params, counted.params);
      const bucketPart = (grain: string, bucketClause: string) =>
        `select ${counted.key} as key, kind, missed as n from ${counted.table}
         where grain = '${grain}' and ${bucketClause} ${counted.clauses.map((c) => `and ${c}`).join(" ")}`;
      if (plan.months) {
        parts.push(bucketPart("month", "bucket >= @m0 and bucket <= @m1"));
        Object.assign(params, { m0: plan.months.first, m1: plan.months.last });
      }
      if (plan.days.length > 0) {
        parts.push(bucketPart("day", "bucket in (select value from json_each(@days))"));
        params.days = JSON.stringify(plan.days);
      }
      if (plan.passes.length > 0) {
        // An agency filter selects the agencies that owe the duties.
        const scoped = filters(filter, { agency: "l.agency_code", procedure: "d.procedure_code", channel: "d.channel" });
        Object.assign(params, scoped.params, { owed: JSON.stringify(OWED_DUTY_KINDS) });
        const ranges = plan.passes.map((pass, i) => {
          Object.assign(params, { [`from${i}`]: pass.from, [`to${i}`]: pass.to });
          return `(l.due_at >= @from${i} and l.due_at < @to${i})`;
        });
        const key = groupBy === null ? "''" : groupBy === "agency" ? "l.agency_code" : `d.${GROUP_COLUMN[groupBy]}`;
        // Not done by the deadline: done late, or not done (an owed kind) — missesDeadline().
        parts.push(
          `select ${key} as key, l.kind as kind, 1 as n
           from dossier_duties l join dossiers d on d.receipt_code = l.receipt_code
           where (${ranges.join(" or ")}) and d.status <> 'cancelled'
             and (l.done_at > l.due_at or (l.done_at is null and l.kind in (select value from json_each(@owed))))
             ${scoped.clauses.map((c) => `and ${c}`).join(" ")}`,
        );
      }
      if (parts.length === 0) return new Map();
      const sql = `select key, kind, sum(n) as n from (${parts.join(" union all ")}) group by 1, 2 having sum(n) <> 0 order by 1, 2`;
      const rows = prepared(sql).all(params) as { key: string; kind: DutyKind; n: number }[];
      const byKey = new Map<string, Partial<Record<DutyKind, number>>>();
      for (const r of rows) byKey.set(String(r.key), { ...byKey.get(String(r.key)), [r.kind]: r.n });
      return byKey;
    },

    async ratings({ p0, p1, filter }) {
      const { clauses, params } = filters(filter);
      const row = handle.sqlite
        .prepare(
          `select count(*) as ratings, total(r.level = 'dissatisfied') as dissatisfied
           from dossier_ratings r cross join dossiers d on d.receipt_code = r.receipt_code
           where r.rated_at >= @p0 and r.rated_at < @p1 and d.status <> 'cancelled' ${clauses.map((c) => `and d.${c}`).join(" ")}`,
        )
        .get({ p0, p1, ...params }) as { ratings: number; dissatisfied: number };
      return row;
    },

    async timelinessByMonths({ fromMonth, toMonth, basis, groupBy, filter }) {
      const { table, clauses, params, key } = source(groupBy, filter);
      const [early, onTime, late, overdueFrom, overdueTo] =
        basis === "legal" ? ["legal_early", "legal_on_time", "legal_late", "legal_overdue_from", "legal_overdue_to"] : ["early", "on_time", "late", "overdue_from", "overdue_to"];
      // In the period: what happened in its months. At its start / end: running sums of arrivals
      // minus departures over every month before / up to it.
      const inPeriod = (expr: string) => `coalesce(sum(case when month >= @a then ${expr} end), 0)`;
      const before = (expr: string) => `coalesce(sum(case when month < @a then ${expr} end), 0)`;
      const upToEnd = (expr: string) => `coalesce(sum(${expr}), 0)`;
      const sql = `
        select ${key} as key,
          ${before("received - closed")} as carriedOver,
          ${inPeriod("received")} as received,
          ${inPeriod("received_online")} as receivedOnline,
          ${inPeriod(`${early} + ${onTime} + ${late}`)} as resolved,
          ${inPeriod(early)} as early,
          ${inPeriod(onTime)} as onTime,
          ${inPeriod(late)} as late,
          ${upToEnd("received - closed")} as pending,
          ${upToEnd(`${overdueFrom} - ${overdueTo}`)} as pendingOverdue,
          ${inPeriod("stopped")} as stopped,
          ${inPeriod("processing_minutes")} as processingMinutes,
          ${inPeriod("progress_closed_on_time")} + ${upToEnd("progress_received - progress_closed - (progress_overdue_from - progress_overdue_to)")} as progressOnTime,
          ${inPeriod("received_digitized")} as receivedDigitized,
          ${inPeriod("received_with_fee")} as receivedWithFee,
          ${inPeriod("received_paid_online")} as receivedPaidOnline
        from ${table}
        where month <= @b ${clauses.map((c) => `and ${c}`).join(" ")}
        group by 1
        having ${before("received - closed")} + ${inPeriod("received")} > 0
        order by 1`;
      return run(sql, { ...params, a: fromMonth, b: toMonth });
    },
  };
}
