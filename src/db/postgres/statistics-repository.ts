/**
 * Report 06 counts in one pass of SQL over the dossier projection, PostgreSQL dialect: the same
 * queries as src/db/sqlite/statistics-repository.ts, with the same results (issue #16). Every
 * dossier that could matter for [p0, p1) — received before p1, not closed before p0, not
 * cancelled — is classified with boolean expressions; "overdue at p1" asks the overdue stretches.
 *
 * Where the dialects differ:
 * - SQLite's total(cond) (0.0, never NULL, for a condition never true) is `count(*) filter (where
 *   cond)`, and total(x) of a value `coalesce(sum(x), 0)`; a NULL condition counts as false in both.
 * - Booleans are boolean here (digitized, paid_online), 0/1 there.
 * - `in (select value from json_each(@list))` is `= any($n::text[])`.
 * - Counts are int8 and sums of int8 numeric, read as text by the driver: converted to numbers.
 *   Sums of the double columns (processing minutes, the aggregates) are double in both; SQLite
 *   adds doubles with compensated (Kahan–Babuška–Neumaier) summation, PostgreSQL in plain double
 *   arithmetic, so a sum of fractional minutes may differ in its last bits (never in a count).
 * - Group keys are ordered bytewise (`collate "C"`), as SQLite orders text, whatever the
 *   database's collation. Months ("YYYY-MM", all alike) compare the same in any collation, so
 *   their ranges keep the index.
 * - Column aliases are quoted: PostgreSQL folds unquoted names to lower case.
 */
import { sql, type SQL } from "drizzle-orm";
import type { StatFilter, StatisticsRepository, StatDimension, TimelinessCounts } from "../../services/statistics-ports.js";
import { OWED_DUTY_KINDS, type DutyKind } from "../../domain/dossier/duties.js";
import { planDutyCount } from "../../domain/statistics/duty-contributions.js";
import { rollupDimension } from "../rows/stat-sources.js";
import type { PgDb } from "./pg-client.js";
import { STAT_COLUMN_NAMES } from "./schema.js";
import { toNumber } from "./pg-numbers.js";

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
): SQL[] {
  const clauses: SQL[] = [];
  if (filter.agencyCodes !== undefined) clauses.push(sql`${sql.raw(columns.agency)} = any(${sql.param([...filter.agencyCodes])}::text[])`);
  if (filter.procedureCode !== undefined) clauses.push(sql`${sql.raw(columns.procedure)} = ${filter.procedureCode}`);
  if (filter.channel !== undefined) clauses.push(sql`${sql.raw(columns.channel)} = ${filter.channel}`);
  return clauses;
}

const andAll = (clauses: readonly SQL[]): SQL => sql.join(clauses.map((c) => sql` and ${c}`));

/**
 * Where month sums come from: the roll-up of one dimension when the report groups by at most that
 * dimension and filters on at most it (a few thousand rows), else the full cells.
 */
function source(groupBy: StatDimension | null, filter: StatFilter): { table: string; clauses: SQL[]; key: string } {
  const dimension = rollupDimension(groupBy, filter);
  if (dimension === null) return { table: "stat_month_totals", clauses: filters(filter), key: groupBy === null ? "''" : GROUP_COLUMN[groupBy] };
  return { table: "stat_dimension_totals", clauses: rollupFilter(dimension, filter), key: groupBy === null ? "''" : "key" };
}

/** The rows of one roll-up dimension that a filter (on at most that dimension) keeps. */
function rollupFilter(dimension: string, filter: StatFilter): SQL[] {
  const clauses = [sql`dimension = ${dimension}`];
  if (filter.agencyCodes !== undefined) clauses.push(sql`key = any(${sql.param([...filter.agencyCodes])}::text[])`);
  else if (filter.procedureCode !== undefined || filter.channel !== undefined) clauses.push(sql`key = ${filter.procedureCode ?? filter.channel}`);
  return clauses;
}

/**
 * Where duty counts come from, as source(): the roll-up of one dimension ("agency" = the owing
 * agency) when the report groups and filters by at most it, else the full cells.
 */
function dutySource(groupBy: StatDimension | null, filter: StatFilter): { table: string; clauses: SQL[]; key: string } {
  const dimension = rollupDimension(groupBy, filter);
  if (dimension === null)
    return {
      table: "stat_duty_totals",
      clauses: filters(filter, { agency: "agency_code", procedure: "procedure_code", channel: "channel" }),
      key: groupBy === null ? "''" : groupBy === "agency" ? "agency_code" : GROUP_COLUMN[groupBy],
    };
  return { table: "stat_duty_dimension_totals", clauses: rollupFilter(dimension, filter), key: groupBy === null ? "''" : "key" };
}

/** Recomputes the per-dimension roll-ups from the full cells (after a bulk load), as the SQLite rebuildDimensionTotals. */
export async function rebuildPostgresDimensionTotals(db: PgDb): Promise<void> {
  const columns = STAT_COLUMN_NAMES;
  // "all" has one row per month: PostgreSQL refuses a constant in GROUP BY, so it groups by month alone.
  const rollUp = (dimension: string, key: string | null) =>
    sql.raw(`insert into stat_dimension_totals (dimension, month, key, ${columns.join(", ")})
     select '${dimension}', month, ${key ?? "''"}, ${columns.map((c) => `sum(${c})`).join(", ")} from stat_month_totals group by month${key === null ? "" : `, ${key}`}`);
  await db.transaction(async (tx) => {
    await tx.execute(sql`delete from stat_dimension_totals`);
    await tx.execute(rollUp("all", null));
    for (const [dimension, column] of Object.entries(GROUP_COLUMN)) await tx.execute(rollUp(dimension, column));
  });
}

/** The counts of TimelinessCounts, in the order the queries select them. */
const COUNT_FIELDS = [
  "carriedOver",
  "received",
  "receivedOnline",
  "resolved",
  "early",
  "onTime",
  "late",
  "pending",
  "pendingOverdue",
  "stopped",
  "processingMinutes",
  "progressOnTime",
  "receivedDigitized",
  "receivedWithFee",
  "receivedPaidOnline",
] as const;

/**
 * Recomputes every dossier's missed-duty share and the duty counts from the stored duties (after a
 * bulk load), as the SQLite rebuildDutyTotals; migrations/postgres/0002 does the same once.
 */
export async function rebuildPostgresDutyTotals(db: PgDb): Promise<void> {
  const day = "to_char(to_timestamp((l.due_at + 25200000) / 1000) at time zone 'UTC', 'YYYY-MM-DD')";
  const missed = sql.raw(`
    select l.receipt_code, l.seq, l.agency_code, l.kind, d.procedure_code, d.channel, d.field_code, ${day} as day
    from dossier_duties l join dossiers d on d.receipt_code = l.receipt_code
    where d.status <> 'cancelled'
      and (l.done_at > l.due_at or (l.done_at is null and l.kind in (${OWED_DUTY_KINDS.map((k) => `'${k}'`).join(", ")})))`);
  const month = sql.raw("case when substr(day, 9, 2) >= '15' then to_char(day::date + interval '1 month', 'YYYY-MM') else substr(day, 1, 7) end");
  await db.transaction(async (tx) => {
    await tx.execute(sql`delete from stat_duty_totals`);
    await tx.execute(sql`delete from stat_duty_dimension_totals`);
    await tx.execute(sql`update dossiers set duty_contributions = '[]'::json where duty_contributions::text <> '[]'`);
    await tx.execute(sql`create temporary table missed_duties on commit drop as ${missed}`);
    await tx.execute(sql`
      update dossiers set duty_contributions = m.shares
      from (select receipt_code, json_agg(json_build_object('day', day, 'agencyCode', agency_code, 'kind', kind) order by seq) as shares
            from missed_duties group by receipt_code) m
      where dossiers.receipt_code = m.receipt_code`);
    for (const [grain, bucket] of [["day", sql.raw("day")], ["month", month]] as const)
      await tx.execute(sql`
        insert into stat_duty_totals (grain, bucket, agency_code, procedure_code, channel, field_code, kind, missed)
        select ${grain}, ${bucket}, agency_code, procedure_code, channel, field_code, kind, count(*) from missed_duties group by 2, 3, 4, 5, 6, 7`);
    // "all" has one row per bucket: PostgreSQL refuses a constant in GROUP BY, so it groups without the key.
    for (const [dimension, key] of [["all", null], ["agency", "agency_code"], ["channel", "channel"], ["field", "field_code"], ["procedure", "procedure_code"]] as const)
      await tx.execute(sql`
        insert into stat_duty_dimension_totals (dimension, grain, bucket, key, kind, missed)
        select ${dimension}, grain, bucket, ${sql.raw(key ?? "''")}, kind, sum(missed) from stat_duty_totals
        group by grain, bucket, ${sql.raw(key === null ? "" : `${key}, `)}kind`);
  });
}

export function createPostgresStatisticsRepository(db: PgDb): StatisticsRepository {
  const run = async (query: SQL): Promise<TimelinessCounts[]> => {
    const found = (await db.execute(query)).rows as Record<string, unknown>[];
    return found.map((row) => {
      const counts: Record<string, number | string> = { key: String(row.key) };
      for (const field of COUNT_FIELDS) counts[field] = toNumber(row[field]);
      return counts as unknown as TimelinessCounts;
    });
  };

  return {
    async timeliness({ p0, p1, basis, groupBy, filter }) {
      const scoped = filters(filter, { agency: "d.handling_agency_code", procedure: "d.procedure_code", channel: "d.channel" });
      const timeliness = sql.raw(basis === "legal" ? "legal_timeliness" : "timeliness");
      const key = sql.raw(groupBy === null ? "''" : GROUP_COLUMN[groupBy]);
      const start = sql`${p0}::bigint`;
      const end = sql`${p1}::bigint`;
      const count = (condition: SQL) => sql`count(*) filter (where ${condition})`;
      return run(sql`
        with scoped as (
          select d.*,
            (d.finished_at is null or d.finished_at >= ${end}) and (d.stopped_at is null or d.stopped_at >= ${end}) as open_at_end,
            exists (
              select 1 from dossier_overdue_spans s
              where s.receipt_code = d.receipt_code and s.basis = ${basis} and s.from_at < ${end} and (s.to_at is null or s.to_at > ${end})
            ) as overdue_at_end,
            -- Decision 766 progress is always judged against the committed due date.
            exists (
              select 1 from dossier_overdue_spans s
              where s.receipt_code = d.receipt_code and s.basis = 'committed' and s.from_at < ${end} and (s.to_at is null or s.to_at > ${end})
            ) as committed_overdue_at_end,
            d.finished_at >= ${start} and d.finished_at < ${end} as resolved_in,
            d.received_at >= ${start} as new_in
          from dossiers d
          where d.status <> 'cancelled'
            and d.received_at < ${end}
            -- Closed (finished or stopped) before the period: not part of it.
            and coalesce(d.finished_at, d.stopped_at, ${end}) >= ${start}
            ${andAll(scoped)}
        )
        select ${key} collate "C" as key,
          ${count(sql`not new_in`)} as "carriedOver",
          ${count(sql`new_in`)} as "received",
          ${count(sql`new_in and channel = 'online'`)} as "receivedOnline",
          ${count(sql`resolved_in`)} as "resolved",
          ${count(sql`resolved_in and ${timeliness} = 'early'`)} as "early",
          ${count(sql`resolved_in and ${timeliness} = 'on_time'`)} as "onTime",
          ${count(sql`resolved_in and ${timeliness} = 'late'`)} as "late",
          ${count(sql`open_at_end`)} as "pending",
          ${count(sql`open_at_end and overdue_at_end`)} as "pendingOverdue",
          ${count(sql`finished_at is null and stopped_at >= ${start} and stopped_at < ${end}`)} as "stopped",
          coalesce(sum(processing_minutes) filter (where resolved_in), 0) as "processingMinutes",
          ${count(sql`supplement_requests <= 1 and case
                when coalesce(finished_at, returned_at, stopped_at) < ${end} then coalesce(finished_at, returned_at, stopped_at) <= due_at
                else not committed_overdue_at_end end`)} as "progressOnTime",
          ${count(sql`new_in and digitized`)} as "receivedDigitized",
          ${count(sql`new_in and fee_vnd > 0`)} as "receivedWithFee",
          ${count(sql`new_in and fee_vnd > 0 and paid_online`)} as "receivedPaidOnline"
        from scoped
        group by 1
        order by 1`);
    },

    async apologyLetters({ p0, p1, groupBy, filter }) {
      const clauses = filters(filter, { agency: "d.handling_agency_code", procedure: "d.procedure_code", channel: "d.channel" });
      const key = sql.raw(groupBy === null ? "''" : `d.${GROUP_COLUMN[groupBy]}`);
      const found = (
        await db.execute(sql`
          select ${key} collate "C" as key, count(*) as n
          from apology_letters l join dossiers d on d.receipt_code = l.receipt_code
          where l.issued_at >= ${p0}::bigint and l.issued_at < ${p1}::bigint and d.status <> 'cancelled' ${andAll(clauses)}
          group by 1
          order by 1`)
      ).rows as { key: string; n: string }[];
      return new Map(found.map((r) => [r.key, toNumber(r.n)]));
    },

    async overdueDuties({ p0, p1, now, groupBy, filter }) {
      // Whole report months and days from the maintained counts; the part of today before now
      // (when the period reaches it) from the duties themselves (duty-contributions.ts).
      const plan = planDutyCount(p0, p1, now);
      const counted = dutySource(groupBy, filter);
      const parts: SQL[] = [];
      const bucketPart = (grain: string, bucketClause: SQL) =>
        sql`select ${sql.raw(counted.key)} as key, kind, missed::bigint as n from ${sql.raw(counted.table)}
            where grain = ${grain} and ${bucketClause} ${andAll(counted.clauses)}`;
      if (plan.months) parts.push(bucketPart("month", sql`bucket >= ${plan.months.first} and bucket <= ${plan.months.last}`));
      if (plan.days.length > 0) parts.push(bucketPart("day", sql`bucket = any(${sql.param([...plan.days])}::text[])`));
      if (plan.passes.length > 0) {
        // An agency filter selects the agencies that owe the duties.
        const clauses = filters(filter, { agency: "l.agency_code", procedure: "d.procedure_code", channel: "d.channel" });
        const key = sql.raw(groupBy === null ? "''" : groupBy === "agency" ? "l.agency_code" : `d.${GROUP_COLUMN[groupBy]}`);
        const ranges = sql.join(
          plan.passes.map((pass) => sql`(l.due_at >= ${pass.from}::bigint and l.due_at < ${pass.to}::bigint)`),
          sql` or `,
        );
        // Not done by the deadline: done late, or not done (an owed kind) — missesDeadline().
        parts.push(sql`
          select ${key} as key, l.kind as kind, 1::bigint as n
          from dossier_duties l join dossiers d on d.receipt_code = l.receipt_code
          where (${ranges}) and d.status <> 'cancelled'
            and (l.done_at > l.due_at or (l.done_at is null and l.kind = any(${sql.param([...OWED_DUTY_KINDS])}::text[])))
            ${andAll(clauses)}`);
      }
      if (parts.length === 0) return new Map();
      const found = (
        await db.execute(sql`
          select key collate "C" as key, kind, sum(n) as n from (${sql.join(parts, sql` union all `)}) parts
          group by 1, 2
          having sum(n) <> 0
          order by 1, kind collate "C"`)
      ).rows as { key: string; kind: DutyKind; n: string }[];
      const byKey = new Map<string, Partial<Record<DutyKind, number>>>();
      for (const r of found) byKey.set(r.key, { ...byKey.get(r.key), [r.kind]: toNumber(r.n) });
      return byKey;
    },

    async ratings({ p0, p1, filter }) {
      const clauses = filters(filter, { agency: "d.handling_agency_code", procedure: "d.procedure_code", channel: "d.channel" });
      const [row] = (
        await db.execute(sql`
          select count(*) as ratings, count(*) filter (where r.level = 'dissatisfied') as dissatisfied
          from dossier_ratings r join dossiers d on d.receipt_code = r.receipt_code
          where r.rated_at >= ${p0}::bigint and r.rated_at < ${p1}::bigint and d.status <> 'cancelled' ${andAll(clauses)}`)
      ).rows as { ratings: string; dissatisfied: string }[];
      return { ratings: toNumber(row!.ratings), dissatisfied: toNumber(row!.dissatisfied) };
    },

    async timelinessByMonths({ fromMonth, toMonth, basis, groupBy, filter }) {
      const { table, clauses, key } = source(groupBy, filter);
      const [early, onTime, late, overdueFrom, overdueTo] =
        basis === "legal" ? ["legal_early", "legal_on_time", "legal_late", "legal_overdue_from", "legal_overdue_to"] : ["early", "on_time", "late", "overdue_from", "overdue_to"];
      // In the period: what happened in its months. At its start / end: running sums of arrivals
      // minus departures over every month before / up to it.
      const inPeriod = (expr: string) => sql`coalesce(sum(${sql.raw(expr)}) filter (where month >= ${fromMonth}), 0)`;
      const before = (expr: string) => sql`coalesce(sum(${sql.raw(expr)}) filter (where month < ${fromMonth}), 0)`;
      const upToEnd = (expr: string) => sql`coalesce(sum(${sql.raw(expr)}), 0)`;
      return run(sql`
        select ${sql.raw(key)} collate "C" as key,
          ${before("received - closed")} as "carriedOver",
          ${inPeriod("received")} as "received",
          ${inPeriod("received_online")} as "receivedOnline",
          ${inPeriod(`${early} + ${onTime} + ${late}`)} as "resolved",
          ${inPeriod(early!)} as "early",
          ${inPeriod(onTime!)} as "onTime",
          ${inPeriod(late!)} as "late",
          ${upToEnd("received - closed")} as "pending",
          ${upToEnd(`${overdueFrom} - ${overdueTo}`)} as "pendingOverdue",
          ${inPeriod("stopped")} as "stopped",
          ${inPeriod("processing_minutes")} as "processingMinutes",
          ${inPeriod("progress_closed_on_time")} + ${upToEnd("progress_received - progress_closed - (progress_overdue_from - progress_overdue_to)")} as "progressOnTime",
          ${inPeriod("received_digitized")} as "receivedDigitized",
          ${inPeriod("received_with_fee")} as "receivedWithFee",
          ${inPeriod("received_paid_online")} as "receivedPaidOnline"
        from ${sql.raw(table)}
        where month <= ${toMonth} ${andAll(clauses)}
        group by 1
        having ${before("received - closed")} + ${inPeriod("received")} > 0
        order by 1`);
    },
  };
}
