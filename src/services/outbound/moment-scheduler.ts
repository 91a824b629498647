/**
 * Fires the time-driven events when their moment comes, with no request needed (API.md
 * "Outbound"): it sleeps until the earliest unfired moment of the durable schedule (capped by
 * `maxSleepMs`, and woken by `wake()` after a write replans), then, for each due moment, in ONE
 * transaction: marks it fired and calls `fire` (which enqueues the outbound messages, e.g. a
 * `dossier.at_risk` webhook per matching subscription). A crash between two moments loses
 * nothing: the unfired ones are still in the table. A moment past its `expiresAt` (a stale
 * at-risk warning, next-moments.ts) is marked fired without being sent.
 *
 * Wiring (the lead's): `transaction` is the SQLite handle's `sqlite.transaction(fn)()`; `fire`
 * builds the event payload and calls outbox.enqueue; then dispatcher.wake().
 */
import { realTimer, type TimerPort } from "./dispatcher.js";
import type { MomentScheduleRepository, ScheduledMoment } from "./schedule-ports.js";

/** After a failed batch (storage error, a throwing `fire`), the next try. */
const ERROR_RETRY_MS = 5_000;

export interface MomentSchedulerOptions {
  readonly schedule: MomentScheduleRepository;
  /** Runs `fn` in one write transaction (synchronous: better-sqlite3). */
  readonly transaction: <T>(fn: () => T) => T;
  /** Inside the transaction: enqueue what the moment sends. */
  readonly fire: (moment: ScheduledMoment, firedAt: number) => void;
  readonly now: () => number;
  readonly setTimer?: TimerPort;
  /** Never sleep longer than this (a safety net; replans call wake()). */
  readonly maxSleepMs?: number;
  readonly batchSize?: number;
  /** After a batch fired (e.g. dispatcher.wake()). */
  readonly afterFire?: (count: number) => void;
  readonly onError?: (error: unknown) => void;
}

export interface MomentScheduler {
  start(): void;
  wake(): void;
  stop(): void;
  /** Fires everything due now; returns how many were sent (expired ones are not counted). */
  runDue(): number;
}

export function createMomentScheduler(options: MomentSchedulerOptions): MomentScheduler {
  const { schedule, transaction, fire, now } = options;
  const setTimer = options.setTimer ?? realTimer;
  const maxSleepMs = options.maxSleepMs ?? 60_000;
  const batchSize = options.batchSize ?? 200;
  const report = options.onError ?? ((error: unknown) => console.error("moment scheduler:", error));
  let timer: { cancel(): void } | null = null;
  let running = false;

  function runDue(): number {
    let sent = 0;
    for (;;) {
      const at = now();
      const batch = schedule.due(at, batchSize);
      if (batch.length === 0) break;
      sent += transaction(() => {
        let count = 0;
        for (const moment of batch) {
          if (!schedule.markFired(moment.receiptCode, moment.key, at)) continue;
          if (moment.expiresAt !== null && at >= moment.expiresAt) continue;
          fire(moment, at);
          count++;
        }
        return count;
      });
      if (batch.length < batchSize) break;
    }
    if (sent > 0) options.afterFire?.(sent);
    return sent;
  }

  function arm() {
    timer?.cancel();
    timer = null;
    if (!running) return;
    const next = schedule.nextDueAt();
    const wait = next === null ? maxSleepMs : Math.min(maxSleepMs, Math.max(0, next - now()));
    timer = setTimer(tick, wait);
  }

  function tick() {
    try {
      runDue();
    } catch (error) {
      // The batch rolled back (its moments stay unfired): try again later, not in a tight loop.
      report(error);
      timer?.cancel();
      timer = running ? setTimer(tick, Math.min(maxSleepMs, ERROR_RETRY_MS)) : null;
      return;
    }
    arm();
  }

  return {
    start() {
      if (running) return;
      running = true;
      tick();
    },
    wake() {
      if (running) arm();
    },
    stop() {
      running = false;
      timer?.cancel();
      timer = null;
    },
    runDue,
  };
}
