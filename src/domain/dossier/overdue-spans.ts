/**
 * When was a dossier overdue? Statistics need the answer for any past instant (DOMAIN.md §6:
 * "pending at the period's end: within time or overdue"; Decision 766 judges open dossiers "at the
 * period's end"), and the projection only knows the present. Between two events nothing changes
 * but the time, so the state after each prefix of the history tells, for that stretch, whether and
 * from when the dossier was overdue: open and past its due instant. Waiting for a supplement is
 * within time by definition; a suspension keeps the dossier overdue exactly when it was already
 * past its due instant when suspended (DOMAIN.md §6), for the whole suspension.
 */
import type { WorkingCalendar } from "../calendar/working-calendar.js";
import type { DossierEvent } from "./dossier-types.js";
import { OPEN_STATUSES } from "./dossier-types.js";
import { computeDueAt, lateAtSuspension, laterBy as later, replayDossier, type DossierFacts, type DossierReplay } from "./dossier-fold.js";
import { PAUSED_STATUSES } from "./transitions.js";

export const DEADLINE_BASES = ["committed", "legal"] as const;
export type DeadlineBasis = (typeof DEADLINE_BASES)[number];

export interface OverdueSpan {
  readonly basis: DeadlineBasis;
  /** Overdue at every instant X with from < X (and X < to): the due instant itself is still in time. */
  readonly from: number;
  /** The event that ended the stretch (result, pause, stop…); null while it lasts. */
  readonly to: number | null;
}

/** The overdue stretches of a replayed dossier: one pass over its clock points (issue #12: O(events)). */
export function overdueSpansOf(replay: DossierReplay, calendar: WorkingCalendar): OverdueSpan[] {
  const { facts, points } = replay;
  const spans: OverdueSpan[] = [];
  const lastOf: Partial<Record<DeadlineBasis, number>> = {};
  // Due instants before pauses, per clock start (a restart starts a new clock).
  let baseFor = -1;
  let base: [number, number] = [0, 0];
  for (let i = 0; i < points.length; i++) {
    const point = points[i]!;
    const start = point.at;
    const end = points[i + 1]?.at ?? null;
    if (end !== null && end <= start) continue;
    const { status } = point;
    if (!OPEN_STATUSES.includes(status) || (PAUSED_STATUSES.includes(status) && status !== "suspended")) continue;
    if (baseFor !== point.clockStartedAt) {
      baseFor = point.clockStartedAt;
      base = [computeDueAt(calendar, baseFor, facts.committedDuration), computeDueAt(calendar, baseFor, facts.legalDuration)];
    }
    // As the fold sees it at `start`: the ended pauses, and the running one up to `start`.
    const running = point.openPauseStart === null ? 0 : Math.max(0, calendar.workingMinutesBetween(point.openPauseStart, start));
    for (const [basis, baseDue] of [["committed", base[0]], ["legal", base[1]]] as const) {
      if (status === "suspended" && !lateAtSuspension(calendar, baseDue, point)) continue;
      const due = later(calendar, baseDue, point.closedDueMinutes + running);
      const from = status === "suspended" ? start : Math.max(start, due);
      if (end !== null && from >= end) continue;
      const previous = lastOf[basis] === undefined ? undefined : spans[lastOf[basis]];
      // One stretch across events that changed nothing about it (e.g. a hand-off while overdue).
      if (previous && previous.to === start && from === start) spans[lastOf[basis]!] = { basis, from: previous.from, to: end };
      else {
        lastOf[basis] = spans.length;
        spans.push({ basis, from, to: end });
      }
    }
  }
  return spans;
}

/** The overdue stretches of a history (replayed here); a refused history has none. */
export function overdueSpans(facts: DossierFacts, events: readonly DossierEvent[], calendar: WorkingCalendar, workingDayMinutes?: number): OverdueSpan[] {
  const replayed = replayDossier(facts, events, calendar, workingDayMinutes);
  return replayed.ok ? overdueSpansOf(replayed.replay, calendar) : [];
}
