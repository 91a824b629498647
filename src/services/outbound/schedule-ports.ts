/**
 * The durable schedule of time-driven events (issue #15: "a durable schedule (the next moment of
 * every open dossier, indexed), not a scan of all dossiers on a timer and not in-memory timers
 * only"). The plan of each dossier comes from planMoments (src/domain/outbound/next-moments.ts).
 *
 * Contract (the same on SQLite and PostgreSQL, issue #16):
 * - A dossier write re-plans the dossier's moments inside its own transaction (the storage does
 *   it with the write: OutboundChange in dossier-ports.ts); this port is what the scheduler needs.
 * - `fire` runs in ONE transaction: it marks each moment fired and enqueues its messages
 *   (outbox), so a moment is sent exactly when it is marked fired (then at least once, by the
 *   outbox). A moment fired already (by another instance, or re-planned away) is skipped; a moment
 *   past its `expiresAt` (a stale at-risk warning) is marked fired and not sent.
 * - A key fired stays fired: re-planning keeps fired rows and never re-inserts their keys, so each
 *   threshold fires once per dossier (next-moments.ts explains the keys).
 */
import type { Moment } from "../../domain/outbound/next-moments.js";
import type { NewOutboxMessage } from "./outbox-ports.js";

export interface ScheduledMoment extends Moment {
  readonly receiptCode: string;
  readonly plannedAt: number;
}

/** A due moment and what it sends when it fires (built before the transaction: reads of the dossier and the subscriptions). */
export interface FiringMoment {
  readonly moment: ScheduledMoment;
  readonly messages: readonly NewOutboxMessage[];
}

export interface MomentScheduleRepository {
  /** Unfired moments due at `now`, earliest first. */
  due(now: number, limit: number): Promise<ScheduledMoment[]>;
  /** Marks the moments fired and enqueues the messages of those fired now and not expired, in one transaction; returns how many were sent. */
  fire(batch: readonly FiringMoment[], at: number): Promise<number>;
  /** The earliest unfired moment's instant, or null: when the scheduler must wake next. */
  nextDueAt(): Promise<number | null>;
}

/** Whether a moment is past its expiry at `at` (marked fired, not sent). */
export const expiredAt = (moment: Moment, at: number): boolean => moment.expiresAt !== null && at >= moment.expiresAt;
