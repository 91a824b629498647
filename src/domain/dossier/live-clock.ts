/**
 * The stored projection is the fold as of the dossier's last event (deterministic, so rebuilds
 * equal live writes). While the clock is paused, its due instants keep moving later with every
 * working minute (DOMAIN.md §4 "Pauses"): this reads them now, exactly as the fold would, so that
 * a listing and the dossier's detail show the same instant (issue #12 "one name per clock").
 */
import type { WorkingCalendar } from "../calendar/working-calendar.js";
import { laterBy } from "./dossier-fold.js";
import type { DossierStatus } from "./dossier-types.js";
import { PAUSED_STATUSES } from "./transitions.js";

/** The stored row's clock: due instants as of `clockAsOf`. */
export interface StoredClock {
  readonly status: DossierStatus;
  readonly dueAt: number;
  readonly legalDueAt: number;
  readonly clockAsOf: number | null;
}

/** The due instants at `now`. */
export function liveDueInstants(stored: StoredClock, calendar: WorkingCalendar, now: number): { dueAt: number; legalDueAt: number } {
  if (!PAUSED_STATUSES.includes(stored.status) || stored.clockAsOf === null || now <= stored.clockAsOf) return { dueAt: stored.dueAt, legalDueAt: stored.legalDueAt };
  const minutes = Math.max(0, calendar.workingMinutesBetween(stored.clockAsOf, now));
  return { dueAt: laterBy(calendar, stored.dueAt, minutes), legalDueAt: laterBy(calendar, stored.legalDueAt, minutes) };
}
