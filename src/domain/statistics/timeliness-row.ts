/** One row of report 06 (Biểu 06/VPCP/KSTT, Circular 01/2020/TT-VPCP), from raw counts. */
import { DUTY_KINDS, type DutyKind } from "../dossier/duties.js";

/** The counts a row is made of, for one group and period (DOMAIN.md §6). */
export interface RowCounts {
  /** Received before the period and still open at its start. */
  readonly carriedOver: number;
  /** Received in the period, and of those online. */
  readonly received: number;
  readonly receivedOnline: number;
  /** Resolved (result ready) in the period, by timeliness on the report's basis. */
  readonly early: number;
  readonly onTime: number;
  readonly late: number;
  /** Open at the period's end, and of those overdue (a dossier waiting for a supplement is not). */
  readonly pending: number;
  readonly pendingOverdue: number;
  /** Withdrawn or stopped without a result in the period. */
  readonly stopped: number;
  /** Apology letters issued in the period (DOMAIN.md §5: statistics count letters). */
  readonly apologyLetters?: number;
  /** Decree 118/2025 duties falling due in the period and not done by their deadline, by kind (DOMAIN.md §10). */
  readonly overdueDuties?: Readonly<Partial<Record<DutyKind, number>>>;
}

export const round2 = (x: number) => Math.round(x * 100) / 100;

export interface TimelinessRow {
  readonly key: string;
  readonly label: string;
  readonly received: { carriedOver: number; new: number; online: number; offline: number };
  readonly resolved: { total: number; early: number; onTime: number; late: number };
  readonly pending: { total: number; withinTime: number; overdue: number };
  readonly stopped: number;
  readonly apologyLetters: number;
  readonly overdueDuties: { readonly total: number; readonly byKind: Readonly<Record<DutyKind, number>> };
  readonly onTimeRate: number | null;
  /** Procedure grouping only: mean processing time of the resolved dossiers, pauses excluded. */
  readonly averageProcessingTime?: { value: number; unit: "working_days" | "working_hours" } | null;
}

function dutyCounts(byKind: Readonly<Partial<Record<DutyKind, number>>>) {
  const all = Object.fromEntries(DUTY_KINDS.map((k) => [k, byKind[k] ?? 0])) as Record<DutyKind, number>;
  return { total: DUTY_KINDS.reduce((sum, k) => sum + all[k], 0), byKind: all };
}

export function toRow(counts: RowCounts, key: string, label: string): TimelinessRow {
  const resolved = counts.early + counts.onTime + counts.late;
  return {
    key,
    label,
    received: { carriedOver: counts.carriedOver, new: counts.received, online: counts.receivedOnline, offline: counts.received - counts.receivedOnline },
    resolved: { total: resolved, early: counts.early, onTime: counts.onTime, late: counts.late },
    pending: { total: counts.pending, withinTime: counts.pending - counts.pendingOverdue, overdue: counts.pendingOverdue },
    stopped: counts.stopped,
    apologyLetters: counts.apologyLetters ?? 0,
    overdueDuties: dutyCounts(counts.overdueDuties ?? {}),
    // DOMAIN.md §6: on-time rate = (early + on time) / resolved, two decimals; null when nothing was resolved.
    onTimeRate: resolved === 0 ? null : round2((100 * (counts.early + counts.onTime)) / resolved),
  };
}

