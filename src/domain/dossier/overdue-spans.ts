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
import { foldDossier, orderEvents, type DossierFacts } from "./dossier-fold.js";

export const DEADLINE_BASES = ["committed", "legal"] as const;
export type DeadlineBasis = (typeof DEADLINE_BASES)[number];

export interface OverdueSpan {
  readonly basis: DeadlineBasis;
  /** Overdue at every instant X with from < X (and X < to): the due instant itself is still in time. */
  readonly from: number;
  /** The event that ended the stretch (result, pause, stop…); null while it lasts. */
  readonly to: number | null;
}

export function overdueSpans(facts: DossierFacts, events: readonly DossierEvent[], calendar: WorkingCalendar, workingDayMinutes?: number): OverdueSpan[] {
  const ordered = orderEvents(events);
  const spans: OverdueSpan[] = [];
  for (let i = 0; i <= ordered.length; i++) {
    const start = i === 0 ? facts.receivedAt : ordered[i - 1]!.occurredAt;
    const end = i < ordered.length ? ordered[i]!.occurredAt : null;
    if (end !== null && end <= start) continue;
    const folded = foldDossier(facts, ordered.slice(0, i), calendar, start, workingDayMinutes);
    if (!folded.ok) return spans; // a refused history is never stored; nothing sensible to add
    const { status, paused, dueAt, legalDueAt } = folded.state;
    if (!OPEN_STATUSES.includes(status) || (paused && status !== "suspended")) continue;
    for (const [basis, due] of [["committed", dueAt], ["legal", legalDueAt]] as const) {
      // Folded at the suspension's start, `due` is the due instant it was suspended against: the
      // whole suspension is overdue if that had passed, none of it otherwise.
      if (status === "suspended" && !(start > due)) continue;
      const from = Math.max(start, due);
      if (end !== null && from >= end) continue;
      const previous = findLast(spans, (s) => s.basis === basis);
      // One stretch across events that changed nothing about it (e.g. a hand-off while overdue).
      if (previous && previous.to === start && from === start) spans[spans.indexOf(previous)] = { basis, from: previous.from, to: end };
      else spans.push({ basis, from, to: end });
    }
  }
  return spans;
}

function findLast<T>(items: readonly T[], predicate: (item: T) => boolean): T | undefined {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i]!)) return items[i];
  return undefined;
}
