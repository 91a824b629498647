/** What the statistics need from storage: counts over dossiers for a period [p0, p1). */
import type { Channel } from "../domain/dossier/dossier-types.js";
import type { DeadlineBasis } from "../domain/dossier/overdue-spans.js";

export const STAT_DIMENSIONS = ["agency", "field", "procedure", "channel"] as const;
export type StatDimension = (typeof STAT_DIMENSIONS)[number];

export interface StatFilter {
  /** Handling agencies to include (already expanded to their sub-agencies). */
  readonly agencyCodes?: readonly string[];
  readonly procedureCode?: string;
  readonly channel?: Channel;
}

export interface TimelinessCounts {
  /** The group's key (agency code, field code, procedure code, channel), or "" without grouping. */
  readonly key: string;
  readonly carriedOver: number;
  readonly received: number;
  readonly receivedOnline: number;
  readonly resolved: number;
  readonly early: number;
  readonly onTime: number;
  readonly late: number;
  readonly pending: number;
  readonly pendingOverdue: number;
  readonly stopped: number;
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
  timelinessByMonths(query: { fromMonth: string; toMonth: string; basis: DeadlineBasis; groupBy: StatDimension | null; filter: StatFilter }): Promise<TimelinessCounts[]>;
}
