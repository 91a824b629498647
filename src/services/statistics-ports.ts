/** What the statistics need from storage: counts over dossiers for a period [p0, p1). */
import type { Channel } from "../domain/dossier/dossier-types.js";
import type { DeadlineBasis } from "../domain/dossier/overdue-spans.js";
import type { RowCounts } from "../domain/statistics/timeliness-row.js";
import type { DutyKind } from "../domain/dossier/duties.js";

export const STAT_DIMENSIONS = ["agency", "field", "procedure", "channel"] as const;
export type StatDimension = (typeof STAT_DIMENSIONS)[number];

export interface StatFilter {
  /** Handling agencies to include (already expanded to their sub-agencies). */
  readonly agencyCodes?: readonly string[];
  readonly procedureCode?: string;
  readonly channel?: Channel;
}

/** Report 06 counts of a group (RowCounts) plus what averages and the scorecard need. */
export interface TimelinessCounts extends RowCounts {
  /** The group's key (agency code, field code, procedure code, channel), or "" without grouping. */
  readonly key: string;
  readonly resolved: number;
  /** Sum of processing minutes of the dossiers resolved in the period (averages). */
  readonly processingMinutes: number;
  /** Progress (Decision 766): handled dossiers finished by their due instant or running within time at p1, ≤ 1 supplement request. */
  readonly progressOnTime: number;
  readonly receivedDigitized: number;
  readonly receivedWithFee: number;
  readonly receivedPaidOnline: number;
}

export interface StatisticsRepository {
  /** Any period [p0, p1): one pass over the dossiers that matter for it. */
  timeliness(query: { p0: number; p1: number; basis: DeadlineBasis; groupBy: StatDimension | null; filter: StatFilter }): Promise<TimelinessCounts[]>;
  /** Whole report months fromMonth..toMonth ("YYYY-MM"): sums of the maintained aggregates; the same counts. */
  /** Apology letters issued in [p0, p1) for dossiers in the filter, by the dossier's group key ("" without grouping). */
  apologyLetters(query: { p0: number; p1: number; groupBy: StatDimension | null; filter: StatFilter }): Promise<Map<string, number>>;
  /**
   * Decree 118/2025 duties (DOMAIN.md §10) falling due in [p0, min(p1, now)) and not done by their
   * deadline, by kind, keyed by the owing agency (groupBy agency) or the dossier's group; an agency
   * filter selects the owing agencies.
   */
  overdueDuties(query: { p0: number; p1: number; now: number; groupBy: StatDimension | null; filter: StatFilter }): Promise<Map<string, Partial<Record<DutyKind, number>>>>;
  /** Ratings given in [p0, p1) for dossiers in the filter, and of those "dissatisfied". */
  ratings(query: { p0: number; p1: number; filter: StatFilter }): Promise<{ ratings: number; dissatisfied: number }>;
  timelinessByMonths(query: { fromMonth: string; toMonth: string; basis: DeadlineBasis; groupBy: StatDimension | null; filter: StatFilter }): Promise<TimelinessCounts[]>;
}
