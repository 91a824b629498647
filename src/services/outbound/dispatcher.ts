/**
 * Delivers the outbox (issue #15): at least once, in order per dossier and destination,
 * concurrently across them, with full-jitter back-off, a per-destination circuit breaker and a
 * dead-letter state 24 h after the first attempt (delivery-policy.ts).
 *
 * Every delivery state is in the database (outbox-ports.ts): the queue order, attempts, the next
 * retry, the lease of a message in flight. A dispatcher that crashes or is stopped mid-delivery
 * leaves a leased message that becomes claimable when its lease expires, and a new dispatcher on
 * the same database delivers it again (at least once; receivers deduplicate on `webhook-id`).
 * Sequential within a queue comes from the store: it hands out only the head of each queue, and
 * not while the head is leased. The breakers are in memory: after a restart they start closed,
 * which costs at most `failureThreshold` attempts against a destination still down.
 *
 * Wiring (the lead's): create it with the SQLite outbox and the HTTP deliverer, `start()` it
 * after the server listens, call `wake()` after a write that enqueued (else the next poll picks
 * it up within `pollMs`), and `await stop()` on shutdown.
 */
import {
  afterFailure,
  breakerAdmit,
  breakerOnFailure,
  breakerOnSuccess,
  breakerReopensAt,
  CLOSED_BREAKER,
  DEFAULT_BREAKER_POLICY,
  DEFAULT_RETRY_POLICY,
  type BreakerPolicy,
  type BreakerState,
  type RandomSource,
  type RetryPolicy,
} from "../../domain/outbound/delivery-policy.js";
import type { DeliveryOutcome } from "../../domain/outbound/outbound-types.js";
import type { Deliver, DeliveryResult } from "./http-deliverer.js";
import type { Destination, OutboxMessage, OutboxRepository, SettleOutcome } from "./outbox-ports.js";

export interface TimerPort {
  (callback: () => void, ms: number): { cancel(): void };
}

export const realTimer: TimerPort = (callback, ms) => {
  const handle = setTimeout(callback, ms);
  handle.unref?.();
  return { cancel: () => clearTimeout(handle) };
};

export interface DispatcherOptions {
  readonly outbox: OutboxRepository;
  readonly deliver: Deliver;
  readonly policy?: { readonly retry?: RetryPolicy; readonly breaker?: BreakerPolicy };
  readonly random?: RandomSource;
  readonly now: () => number;
  readonly setTimer?: TimerPort;
  /** Deliveries in flight at once (across queues). */
  readonly concurrency?: number;
  /** Must exceed the deliverer's timeout: a lease that expires mid-delivery lets the message go twice. */
  readonly leaseMs?: number;
  /** How often to look for due messages when nothing woke the dispatcher. */
  readonly pollMs?: number;
  /** Every settled attempt (metrics: deliveries by outcome, per destination). */
  readonly onAttempt?: (event: { readonly message: OutboxMessage; readonly outcome: DeliveryOutcome; readonly final: "delivered" | "retry" | "dead" | "postponed" }) => void;
  /** A storage error in the loop; the loop goes on at the next poll. */
  readonly onError?: (error: unknown) => void;
}

export interface Dispatcher {
  start(): void;
  /** Looks for due messages now (after a write enqueued some). */
  wake(): void;
  /**
   * Stops claiming; waits up to `graceMs` for deliveries in flight, then aborts the rest, whose
   * messages stay leased and are delivered again after a restart (as after a crash).
   */
  stop(options?: { readonly graceMs?: number }): Promise<void>;
  /** One claim-and-deliver round, awaited (tests, scripts). Returns how many were claimed. */
  runOnce(): Promise<number>;
  readonly inFlight: number;
}

const destinationKey = (d: Destination) => `${d.kind}:${d.id}`;

export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { outbox, deliver, now } = options;
  const retry = options.policy?.retry ?? DEFAULT_RETRY_POLICY;
  const breakerPolicy = options.policy?.breaker ?? DEFAULT_BREAKER_POLICY;
  const random = options.random ?? Math.random;
  const setTimer = options.setTimer ?? realTimer;
  const concurrency = Math.max(1, options.concurrency ?? 16);
  const leaseMs = options.leaseMs ?? 60_000;
  const pollMs = options.pollMs ?? 1_000;
  const report = options.onError ?? ((error: unknown) => console.error("outbox dispatcher:", error));

  const breakers = new Map<string, BreakerState>();
  const running = new Map<string, { promise: Promise<void>; abort: AbortController }>();
  let timer: { cancel(): void } | null = null;
  let started = false;
  let stopping = false;
  let ticking: Promise<number> | null = null;
  let wakeAgain = false;

  function schedule(ms: number) {
    timer?.cancel();
    timer = stopping || !started ? null : setTimer(() => void tick(), ms);
  }

  // Group commit: the attempts that finish in the same turn of the event loop are recorded in
  // one durable transaction (outbox.settle), not one fsync each. A message's queue moves on only
  // once its settlement is committed (the next claim comes after the flush).
  let pendingSettles: { outcome: SettleOutcome; resolve: () => void; reject: (error: unknown) => void }[] = [];
  let flushScheduled = false;
  function record(outcome: SettleOutcome): Promise<void> {
    return new Promise((resolve, reject) => {
      pendingSettles.push({ outcome, resolve, reject });
      if (flushScheduled) return;
      flushScheduled = true;
      setImmediate(() => {
        flushScheduled = false;
        const items = pendingSettles;
        pendingSettles = [];
        // A storage failure leaves the messages leased: delivered again after the lease (at least once).
        outbox.settle(items.map((i) => i.outcome)).then(
          () => items.forEach((i) => i.resolve()),
          (error: unknown) => items.forEach((i) => i.reject(error)),
        );
      });
    });
  }

  async function settle(message: OutboxMessage, result: DeliveryResult, attemptedAt: number) {
    const key = destinationKey(message.destination);
    const breaker = breakers.get(key) ?? CLOSED_BREAKER;
    const attempt = {
      attemptedAt,
      durationMs: result.durationMs,
      outcome: result.ok ? ("delivered" as const) : result.outcome,
      statusCode: result.statusCode,
      error: result.ok ? null : result.error,
    };
    if (result.ok) {
      breakers.set(key, breakerOnSuccess(breaker));
      await record({ id: message.id, result: "delivered", attempt });
      options.onAttempt?.({ message, outcome: "delivered", final: "delivered" });
      return;
    }
    // A destination that does not exist or is refused says nothing about the receiver's health.
    if (result.outcome !== "refused_destination") breakers.set(key, breakerOnFailure(breaker, breakerPolicy, now()));
    const decision = afterFailure(retry, { firstAttemptAt: message.firstAttemptAt ?? attemptedAt, failures: message.attempts + 1, now: now() }, random);
    await record(decision.kind === "dead" ? { id: message.id, result: "dead", attempt } : { id: message.id, result: "failed", attempt, nextAttemptAt: decision.nextAttemptAt });
    options.onAttempt?.({ message, outcome: result.outcome, final: decision.kind === "dead" ? "dead" : "retry" });
  }

  function launch(message: OutboxMessage) {
    const abort = new AbortController();
    const attemptedAt = now();
    const promise = (async () => {
      const result = await deliver(message, abort.signal);
      // Aborted by stop(): like a crash, nothing is recorded; the lease runs out and it goes again.
      if (abort.signal.aborted) return;
      await settle(message, result, attemptedAt);
    })()
      .catch(report)
      .finally(() => {
        running.delete(message.id);
        if (!stopping) wake();
      });
    running.set(message.id, { promise, abort });
  }

  async function round(): Promise<number> {
    const room = concurrency - running.size;
    if (room <= 0) return 0;
    const at = now();
    const claimed = await outbox.claimDue(at, room, leaseMs);
    for (const message of claimed) {
      if (running.has(message.id)) continue; // its lease ran out while still in flight: leave it
      const key = destinationKey(message.destination);
      const admitted = breakerAdmit(breakers.get(key) ?? CLOSED_BREAKER, breakerPolicy, at);
      breakers.set(key, admitted.state);
      if (!admitted.allowed) {
        // Open: until the cool-down ends. Half-open with its trial in flight: look again after a
        // poll, not at once (the trial's outcome decides; an immediate retry would spin).
        await outbox.postpone(message.id, Math.max(breakerReopensAt(admitted.state, breakerPolicy, at), at + pollMs));
        options.onAttempt?.({ message, outcome: "breaker_open", final: "postponed" });
        continue;
      }
      launch(message);
    }
    return claimed.length;
  }

  function tick(): Promise<number> {
    if (ticking) {
      wakeAgain = true;
      return ticking;
    }
    timer?.cancel();
    timer = null;
    ticking = round()
      .catch((error) => {
        report(error);
        return 0;
      })
      .finally(() => {
        ticking = null;
        if (stopping || !started) return;
        if (wakeAgain) {
          wakeAgain = false;
          schedule(0);
        } else schedule(pollMs);
      });
    return ticking;
  }

  function wake() {
    if (started && !stopping) schedule(0);
  }

  return {
    start() {
      if (started) return;
      started = true;
      stopping = false;
      schedule(0);
    },
    wake,
    async stop(stopOptions = {}) {
      stopping = true;
      timer?.cancel();
      timer = null;
      if (ticking) await ticking;
      const graceMs = stopOptions.graceMs ?? 5_000;
      const all = Promise.allSettled([...running.values()].map((r) => r.promise));
      if (graceMs > 0 && running.size > 0) {
        let grace: { cancel(): void } | null = null;
        await Promise.race([all, new Promise<void>((resolve) => (grace = realTimer(resolve, graceMs)))]);
        (grace as { cancel(): void } | null)?.cancel();
      }
      for (const r of running.values()) r.abort.abort();
      await all;
      started = false;
    },
    async runOnce() {
      const claimed = await round();
      await Promise.allSettled([...running.values()].map((r) => r.promise));
      return claimed;
    },
    get inFlight() {
      return running.size;
    },
  };
}
