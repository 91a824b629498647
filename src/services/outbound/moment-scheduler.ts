/**
 * Fires the time-driven events when their moment comes, with no request needed (API.md
 * "Outbound"): it sleeps until the earliest unfired moment of the durable schedule (capped by
 * `maxSleepMs`, and woken by `wake()` after a write replans), then builds what each due moment
 * sends (`messagesOf`: e.g. a `dossier.at_risk` webhook per matching subscription) and hands the
 * batch to the schedule's `fire`, which marks each moment fired and enqueues its messages in ONE
 * transaction. A crash between two batches loses nothing: the unfired moments are still in the
 * table. A moment past its `expiresAt` (a stale at-risk warning, next-moments.ts) is marked fired
 * without being sent. Several instances on one database (issue #16) may pick the same moment:
 * `fire` marks it once, and only the instance that marked it sends it.
 */
import { realTimer, type TimerPort } from "./dispatcher.js";
import { expiredAt, type MomentScheduleRepository, type ScheduledMoment } from "./schedule-ports.js";
import type { NewOutboxMessage } from "./outbox-ports.js";

/** After a failed batch (storage error, a throwing `fire`), the next try. */
const ERROR_RETRY_MS = 5_000;

export interface MomentSchedulerOptions {
  readonly schedule: MomentScheduleRepository;
  /** What the moment sends when it fires at `firedAt` (read before the transaction that fires it). */
  readonly messagesOf: (moment: ScheduledMoment, firedAt: number) => Promise<readonly NewOutboxMessage[]>;
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
  runDue(): Promise<number>;
}

export function createMomentScheduler(options: MomentSchedulerOptions): MomentScheduler {
  const { schedule, messagesOf, now } = options;
  const setTimer = options.setTimer ?? realTimer;
  const maxSleepMs = options.maxSleepMs ?? 60_000;
  const batchSize = options.batchSize ?? 200;
  const report = options.onError ?? ((error: unknown) => console.error("moment scheduler:", error));
  let timer: { cancel(): void } | null = null;
  let running = false;

  async function runDue(): Promise<number> {
    let sent = 0;
    for (;;) {
      const at = now();
      const due = await schedule.due(at, batchSize);
      if (due.length === 0) break;
      const batch = await Promise.all(due.map(async (moment) => ({ moment, messages: expiredAt(moment, at) ? [] : await messagesOf(moment, at) })));
      sent += await schedule.fire(batch, at);
      if (due.length < batchSize) break;
    }
    if (sent > 0) options.afterFire?.(sent);
    return sent;
  }

  /** One pass at a time: a wake during a pass re-arms once the pass is over. */
  let pass: Promise<void> | null = null;
  let wokenDuringPass = false;

  async function arm() {
    if (!running) return;
    const next = await schedule.nextDueAt();
    if (!running || pass !== null) return;
    timer?.cancel();
    const wait = next === null ? maxSleepMs : Math.min(maxSleepMs, Math.max(0, next - now()));
    timer = setTimer(tick, wait);
  }

  function tick() {
    if (pass !== null) {
      wokenDuringPass = true;
      return;
    }
    timer?.cancel();
    timer = null;
    pass = runDue().then(
      () => {
        pass = null;
        wokenDuringPass = false;
        rearm();
      },
      (error: unknown) => {
        pass = null;
        // The batch rolled back (its moments stay unfired): try again later, not in a tight loop.
        report(error);
        timer?.cancel();
        timer = running ? setTimer(tick, wokenDuringPass ? 0 : Math.min(maxSleepMs, ERROR_RETRY_MS)) : null;
        wokenDuringPass = false;
      },
    );
  }

  /** Arms the timer for the next moment; a failing read of the schedule retries later. */
  function rearm() {
    arm().catch((error: unknown) => {
      report(error);
      timer?.cancel();
      timer = running ? setTimer(tick, Math.min(maxSleepMs, ERROR_RETRY_MS)) : null;
    });
  }

  return {
    start() {
      if (running) return;
      running = true;
      tick();
    },
    wake() {
      if (!running) return;
      if (pass !== null) wokenDuringPass = true;
      else rearm();
    },
    stop() {
      running = false;
      timer?.cancel();
      timer = null;
    },
    runDue,
  };
}
