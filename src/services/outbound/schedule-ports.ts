/**
 * The durable schedule of time-driven events (issue #15: "a durable schedule (the next moment of
 * every open dossier, indexed), not a scan of all dossiers on a timer and not in-memory timers
 * only"). The plan of each dossier comes from planMoments (src/domain/outbound/next-moments.ts).
 *
 * Contract:
 * - `replan` and `markFired` run INSIDE the caller's transaction (synchronous, no transaction of
 *   their own): a dossier write replans in the write's transaction; firing marks the moment and
 *   enqueues its messages (outbox-ports.ts `enqueue`) in one transaction, so a moment is sent
 *   exactly when it is marked fired (then at least once, by the outbox).
 * - A key fired stays fired: `replan` keeps fired rows and never re-inserts their keys, so each
 *   threshold fires once per dossier (next-moments.ts explains the keys).
 */
import type { Moment } from "../../domain/outbound/next-moments.js";

export interface ScheduledMoment extends Moment {
  readonly receiptCode: string;
  readonly plannedAt: number;
}

export interface MomentScheduleRepository {
  /** Replaces the dossier's unfired moments with `moments` (minus keys already fired). In the caller's transaction. */
  replan(receiptCode: string, moments: readonly Moment[], plannedAt: number): void;
  /** Keys already fired for the dossier: pass them to planMoments. */
  firedKeys(receiptCode: string): Set<string>;
  /** Unfired moments due at `now`, earliest first. */
  due(now: number, limit: number): ScheduledMoment[];
  /** Marks a moment fired; false when it was fired already (or re-planned away). In the caller's transaction. */
  markFired(receiptCode: string, key: string, at: number): boolean;
  /** The earliest unfired moment's instant, or null: when the scheduler must wake next. */
  nextDueAt(): number | null;
}
