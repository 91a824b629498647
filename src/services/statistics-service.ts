/**
 * Timeliness statistics (Biểu 06/VPCP/KSTT, Circular 01/2020/TT-VPCP) and the Decision 766
 * scorecard groups motcua can measure (DOMAIN.md §6).
 */
import { isValidIsoDate } from "../domain/calendar/calendar-days.js";
import type { Channel } from "../domain/dossier/dossier-types.js";
import type { DeadlineBasis } from "../domain/dossier/overdue-spans.js";
import { notFound, validationFailed } from "../domain/errors.js";
import { DEFAULT_CALENDAR_RULES } from "../domain/calendar/calendar-defaults.js";
import { formatRange, reportMonth, reportMonthOf, reportMonthsIn, resolvePeriod, type DateRange } from "../domain/statistics/report-period.js";
import { computeScorecard } from "../domain/statistics/scorecard.js";
import { agencySubtree } from "../domain/access/agency-tree.js";
import { round2, toRow, type TimelinessRow } from "../domain/statistics/timeliness-row.js";
import { vietnamDay } from "../domain/time.js";
import type { AgencyRecord, AgencyRepository, ProcedureRepository } from "./catalog-ports.js";
import type { StatDimension, StatFilter, StatisticsRepository, TimelinessCounts } from "./statistics-ports.js";
export type { TimelinessRow };

export const GROUP_BYS = ["agency", "field", "procedure", "channel", "month"] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

export interface TimelinessRequest {
  readonly from?: string;
  readonly to?: string;
  readonly period?: string;
  readonly groupBy: GroupBy;
  readonly basis: DeadlineBasis;
  readonly agencyCode?: string;
  readonly procedureCode?: string;
  readonly channel?: Channel;
}

const CHANNEL_LABELS: Record<Channel, string> = { direct: "Trực tiếp", online: "Trực tuyến", postal: "Bưu chính công ích" };

/** [p0, p1): Vietnam-local midnight of `from` to the midnight after `to` (API.md: dates are Vietnam-local). */
function instants(range: DateRange): { p0: number; p1: number } {
  return { p0: vietnamDay(range.from)!.start, p1: vietnamDay(range.to)!.end };
}

const EMPTY: TimelinessCounts = {
  key: "",
  carriedOver: 0,
  received: 0,
  receivedOnline: 0,
  resolved: 0,
  early: 0,
  onTime: 0,
  late: 0,
  pending: 0,
  pendingOverdue: 0,
  stopped: 0,
  processingMinutes: 0,
  progressOnTime: 0,
  receivedDigitized: 0,
  receivedWithFee: 0,
  receivedPaidOnline: 0,
};

export function createStatisticsService(deps: { statistics: StatisticsRepository; agencies: AgencyRepository; procedures: ProcedureRepository; now: () => number }) {
  const { statistics, agencies, procedures } = deps;

  /**
   * Counts for a range: whole report months (every named period, and month rows) come from the
   * maintained aggregates; any other range from one pass over the dossiers. Same numbers.
   */
  async function counts(range: DateRange, basis: DeadlineBasis, groupBy: StatDimension | null, filter: StatFilter): Promise<TimelinessCounts[]> {
    const fromMonth = reportMonthOf(range.from);
    const toMonth = reportMonthOf(range.to);
    const [fy, fm] = fromMonth.split("-").map(Number) as [number, number];
    const [ty, tm] = toMonth.split("-").map(Number) as [number, number];
    const rows =
      reportMonth(fy, fm).from === range.from && reportMonth(ty, tm).to === range.to
        ? await statistics.timelinessByMonths({ fromMonth, toMonth, basis, groupBy, filter })
        : await statistics.timeliness({ ...instants(range), basis, groupBy, filter });
    // Letters are rare: counted straight from their table, per the dossier's group.
    const letters = await statistics.apologyLetters({ ...instants(range), groupBy, filter });
    const duties = await statistics.overdueDuties({ ...instants(range), now: deps.now(), groupBy, filter });
    // An agency that owes an overdue duty (a consulted one) may handle no dossier of its own: it gets a row too.
    const missing = [...duties.keys()].filter((key) => !rows.some((row) => row.key === key)).map((key) => ({ ...EMPTY, key }));
    return [...rows, ...missing]
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map((row) => ({ ...row, apologyLetters: letters.get(row.key) ?? 0, overdueDuties: duties.get(row.key) ?? {} }));
  }

  function period(input: { from?: string; to?: string; period?: string }): DateRange {
    const resolved = resolvePeriod(input, isValidIsoDate);
    if ("errors" in resolved) throw validationFailed(resolved.errors);
    return resolved.range;
  }

  /** The agency and everything below it in the tree (DOMAIN.md §1: agencies form a tree). */
  function subtree(code: string, all: readonly AgencyRecord[]): string[] {
    if (!all.some((a) => a.code === code)) throw notFound("Agency", code, [{ field: "agencyCode", message: "unknown agency" }]);
    return agencySubtree([code], all);
  }

  async function filterOf(input: { agencyCode?: string; procedureCode?: string; channel?: Channel }, all: readonly AgencyRecord[]): Promise<StatFilter> {
    if (input.procedureCode !== undefined && !(await procedures.get(input.procedureCode)))
      throw notFound("Procedure", input.procedureCode, [{ field: "procedureCode", message: "unknown procedure" }]);
    return {
      ...(input.agencyCode !== undefined ? { agencyCodes: subtree(input.agencyCode, all) } : {}),
      ...(input.procedureCode !== undefined ? { procedureCode: input.procedureCode } : {}),
      ...(input.channel !== undefined ? { channel: input.channel } : {}),
    };
  }

  return {
    async timeliness(request: TimelinessRequest) {
      const range = period(request);
      const all = await agencies.list();
      const filter = await filterOf(request, all);
      const agencyNames = new Map(all.map((a) => [a.code, a.name]));
      const procedureList = request.groupBy === "procedure" || request.groupBy === "field" ? await procedures.list() : [];
      const procedureByCode = new Map(procedureList.map((p) => [p.code, p]));
      const fieldNames = new Map(procedureList.map((p) => [p.fieldCode, p.fieldName]));

      let rows: TimelinessRow[];
      if (request.groupBy === "month") {
        rows = [];
        for (const month of reportMonthsIn(range)) {
          const [monthCounts] = await counts(month.range, request.basis, null, filter);
          rows.push(toRow(monthCounts ?? EMPTY, month.key, formatRange(month.range)));
        }
      } else {
        const groupBy: StatDimension = request.groupBy;
        const grouped = await counts(range, request.basis, groupBy, filter);
        rows = grouped.map((c) => {
          const label =
            groupBy === "agency"
              ? (agencyNames.get(c.key) ?? c.key)
              : groupBy === "procedure"
                ? (procedureByCode.get(c.key)?.name ?? c.key)
                : groupBy === "field"
                  ? (fieldNames.get(c.key) ?? c.key)
                  : (CHANNEL_LABELS[c.key as Channel] ?? c.key);
          const row = toRow(c, c.key, label);
          if (groupBy !== "procedure") return row;
          // DOMAIN.md §6: averages of processing time per procedure, in the procedure's unit.
          const procedure = procedureByCode.get(c.key);
          const unit = procedure?.committedDuration.unit === "working_hours" ? "working_hours" : "working_days";
          // One working day = the standard 8 h (DOMAIN.md §4); agencies on other calendars are rare.
          const per = unit === "working_hours" ? 60 : DEFAULT_CALENDAR_RULES.workingDayMinutes;
          return {
            ...row,
            averageProcessingTime: row.resolved.total === 0 ? null : { value: round2(c.processingMinutes / row.resolved.total / per), unit },
          };
        });
      }
      const [total] = await counts(range, request.basis, null, filter);
      return {
        from: range.from,
        to: range.to,
        ...(request.period !== undefined ? { period: request.period } : {}),
        groupBy: request.groupBy,
        basis: request.basis,
        rows,
        total: toRow(total ?? EMPTY, "total", "Tổng cộng"),
      };
    },

    async scorecard(request: { from?: string; to?: string; period?: string; agencyCode?: string }) {
      const range = period(request);
      const filter = await filterOf(request, await agencies.list());
      const [c = EMPTY] = await counts(range, "committed", null, filter);
      const card = computeScorecard({
        handled: c.carriedOver + c.received,
        progressOnTime: c.progressOnTime,
        received: c.received,
        receivedOnline: c.receivedOnline,
        receivedDigitized: c.receivedDigitized,
        withFee: c.receivedWithFee,
        paidOnline: c.receivedPaidOnline,
        resolved: c.early + c.onTime + c.late,
        resolvedLate: c.late,
        ...(await statistics.ratings({ ...instants(range), filter })),
      });
      return { from: range.from, to: range.to, ...(request.agencyCode !== undefined ? { agencyCode: request.agencyCode } : {}), ...card };
    },
  };
}
export type StatisticsService = ReturnType<typeof createStatisticsService>;
