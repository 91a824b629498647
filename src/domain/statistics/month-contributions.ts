/**
 * Maintained aggregates for report 06 and the scorecard. Named report periods are whole report
 * months (15th to 14th, Circular 01/2020), so each dossier adds, to the report month in which
 * something happened to it, the counts of what happened. Any month-aligned period is then a sum:
 * what happened in it (received, resolved, stopped) over its months, and what was true at an
 * instant (open, overdue) as a running sum of arrivals minus departures over all months before.
 *
 * A dossier's contribution is a pure function of its projection and overdue stretches, stored
 * with it, so that a change replaces exactly what it added before.
 */
import type { Channel, DossierStatus, Timeliness } from "../dossier/dossier-types.js";
import type { OverdueSpan } from "../dossier/overdue-spans.js";
import { formatInstant } from "../time.js";
import { reportMonthOf } from "./report-period.js";

export const STAT_COLUMNS = [
  "received",
  "receivedOnline",
  "receivedDigitized",
  "receivedWithFee",
  "receivedPaidOnline",
  /** Left the open set (result ready, or stopped without a result). */
  "closed",
  "early",
  "onTime",
  "late",
  "legalEarly",
  "legalOnTime",
  "legalLate",
  "stopped",
  "processingMinutes",
  /** Overdue stretches starting / ending (committed and legal basis). */
  "overdueFrom",
  "overdueTo",
  "legalOverdueFrom",
  "legalOverdueTo",
  /** Decision 766 progress: closed by the due instant with at most one supplement request… */
  "progressClosedOnTime",
  /** …and, for open dossiers with at most one request: arrivals, departures, overdue stretches. */
  "progressReceived",
  "progressClosed",
  "progressOverdueFrom",
  "progressOverdueTo",
] as const;
export type StatColumn = (typeof STAT_COLUMNS)[number];

/** The dimensions the totals are also rolled up by ("all" = one row per month). */
export const STAT_ROLLUP_DIMENSIONS = ["all", "agency", "field", "procedure", "channel"] as const;
export type StatRollupDimension = (typeof STAT_ROLLUP_DIMENSIONS)[number];

export interface MonthContribution {
  /** Report month, "YYYY-MM". */
  readonly month: string;
  readonly deltas: Readonly<Partial<Record<StatColumn, number>>>;
}

export interface ContributionSource {
  readonly status: DossierStatus;
  readonly channel: Channel;
  readonly digitized: boolean;
  readonly feeVnd: number | null;
  readonly paidOnline: boolean;
  readonly receivedAt: number;
  readonly dueAt: number;
  readonly finishedAt: number | null;
  readonly returnedAt: number | null;
  readonly stoppedAt: number | null;
  readonly timeliness: Timeliness | null;
  readonly legalTimeliness: Timeliness | null;
  readonly supplementRequests: number;
  readonly processingMinutes: number | null;
}

/** The report month of an instant, by its Vietnam-local date (DOMAIN.md §6: dates in Asia/Ho_Chi_Minh). */
export const monthOfInstant = (ms: number) => reportMonthOf(formatInstant(ms).slice(0, 10));
/** Stretches end at an instant that no longer counts: bucket by the instant just before it. */
const monthBefore = (ms: number) => monthOfInstant(ms - 1);

const TIMELINESS_COLUMN: Record<Timeliness, StatColumn> = { early: "early", on_time: "onTime", late: "late" };
const LEGAL_COLUMN: Record<Timeliness, StatColumn> = { early: "legalEarly", on_time: "legalOnTime", late: "legalLate" };

export function monthContributions(d: ContributionSource, spans: readonly OverdueSpan[]): MonthContribution[] {
  // Cancelled dossiers are data-entry errors and leave the statistics altogether (DOMAIN.md §3).
  if (d.status === "cancelled") return [];
  const months = new Map<string, Partial<Record<StatColumn, number>>>();
  const add = (month: string, column: StatColumn, n = 1) => {
    const deltas = months.get(month) ?? {};
    deltas[column] = (deltas[column] ?? 0) + n;
    months.set(month, deltas);
  };

  const received = monthOfInstant(d.receivedAt);
  add(received, "received");
  if (d.channel === "online") add(received, "receivedOnline");
  if (d.digitized) add(received, "receivedDigitized");
  if (d.feeVnd !== null && d.feeVnd > 0) {
    add(received, "receivedWithFee");
    if (d.paidOnline) add(received, "receivedPaidOnline");
  }

  const closedAt = d.finishedAt ?? d.stoppedAt;
  if (closedAt !== null) add(monthOfInstant(closedAt), "closed");
  if (d.finishedAt !== null) {
    const month = monthOfInstant(d.finishedAt);
    if (d.timeliness) add(month, TIMELINESS_COLUMN[d.timeliness]);
    if (d.legalTimeliness) add(month, LEGAL_COLUMN[d.legalTimeliness]);
    if (d.processingMinutes !== null) add(month, "processingMinutes", d.processingMinutes);
  } else if (d.stoppedAt !== null) add(monthOfInstant(d.stoppedAt), "stopped");

  for (const span of spans) {
    const [from, to] = span.basis === "committed" ? (["overdueFrom", "overdueTo"] as const) : (["legalOverdueFrom", "legalOverdueTo"] as const);
    add(monthOfInstant(span.from), from);
    if (span.to !== null) add(monthBefore(span.to), to);
  }

  // Decision 766 "processing progress": a dossier with more than one supplement request is late.
  if (d.supplementRequests <= 1) {
    add(received, "progressReceived");
    // The end: result ready, then returned, then stopped; on time when it is no later than the due instant.
    const end = d.finishedAt ?? d.returnedAt ?? d.stoppedAt;
    if (end !== null) {
      add(monthOfInstant(end), "progressClosed");
      if (end <= d.dueAt) add(monthOfInstant(end), "progressClosedOnTime");
    }
    for (const span of spans.filter((s) => s.basis === "committed")) {
      add(monthOfInstant(span.from), "progressOverdueFrom");
      if (span.to !== null) add(monthBefore(span.to), "progressOverdueTo");
    }
  }
  return [...months].map(([month, deltas]) => ({ month, deltas })).sort((a, b) => (a.month < b.month ? -1 : 1));
}
