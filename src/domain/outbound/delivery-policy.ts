/**
 * When to try a delivery again, when to give up, and when to stop knocking on a destination that
 * is down (issue #15 "exponential back-off and jitter, a per-destination circuit breaker, and a
 * dead-letter state after 24 h"; API.md "Outbound": "retried with back-off for 24 h").
 * Pure: `now` and the random source are arguments, so a seeded source replays a run exactly.
 */
import { seededRandom } from "../seeded-random.js";

/** A source of uniform numbers in [0, 1). Production passes Math.random; tests a seeded one. */
export type RandomSource = () => number;

export interface RetryPolicy {
  /** The first back-off's ceiling; each failure doubles it. */
  readonly baseDelayMs: number;
  /** The ceiling never grows past this. */
  readonly maxDelayMs: number;
  /** The smallest delay (full jitter may draw ~0: never hammer a failing receiver in a loop). */
  readonly minDelayMs: number;
  /** Measured from the first attempt: a failure after this long dead-letters the message. */
  readonly deadAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  baseDelayMs: 5_000,
  maxDelayMs: 60 * 60_000,
  minDelayMs: 1_000,
  // Issue #15 / API.md "Outbound": retried for 24 h, then dead (an admin sees it and may resend).
  deadAfterMs: 24 * 60 * 60_000,
});

/**
 * "Full jitter" back-off: uniform in [0, min(max, base·2^(failures−1))), floored at minDelayMs.
 * Spreading the retries of many dossiers over the whole window keeps a portal that comes back up
 * from receiving the whole backlog in one burst.
 * @param failures failed attempts so far (≥ 1)
 */
export function backoffDelay(policy: RetryPolicy, failures: number, random: RandomSource): number {
  const exponent = Math.max(0, Math.min(failures - 1, 52));
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
  return Math.max(policy.minDelayMs, Math.floor(random() * ceiling));
}

export type FailureDecision = { readonly kind: "retry"; readonly nextAttemptAt: number } | { readonly kind: "dead" };

/**
 * After a failed attempt at `now`: dead once the window from the first attempt has elapsed; else
 * retry after the back-off, but no later than the window's end, so that the last try happens at
 * the 24-hour mark rather than the message dying untried in between.
 */
export function afterFailure(
  policy: RetryPolicy,
  attempt: { readonly firstAttemptAt: number; readonly failures: number; readonly now: number },
  random: RandomSource,
): FailureDecision {
  const deadline = attempt.firstAttemptAt + policy.deadAfterMs;
  if (attempt.now >= deadline) return { kind: "dead" };
  return { kind: "retry", nextAttemptAt: Math.min(deadline, attempt.now + backoffDelay(policy, attempt.failures, random)) };
}

/** Reproducible jitter for tests and benchmarks (mulberry32: seeded-random.ts). */
export { seededRandom };

/**
 * The per-destination circuit breaker. Closed: deliveries go; `failureThreshold` consecutive
 * failures open it. Open: nothing is sent until `coolDownMs` has passed. Half-open: one trial
 * delivery; its success closes the breaker, its failure opens it again for another cool-down.
 * While open, messages wait without spending an attempt (the receiver is down, not the message bad).
 */
export interface BreakerPolicy {
  readonly failureThreshold: number;
  readonly coolDownMs: number;
}

export const DEFAULT_BREAKER_POLICY: BreakerPolicy = Object.freeze({ failureThreshold: 5, coolDownMs: 60_000 });

export type BreakerState =
  | { readonly state: "closed"; readonly consecutiveFailures: number }
  | { readonly state: "open"; readonly openedAt: number }
  | { readonly state: "half_open"; readonly trialInFlight: boolean };

export const CLOSED_BREAKER: BreakerState = Object.freeze({ state: "closed", consecutiveFailures: 0 });

/**
 * May a delivery to this destination start at `now`? Returns the state to keep (an open breaker
 * past its cool-down becomes half-open and lets exactly one trial through).
 */
export function breakerAdmit(state: BreakerState, policy: BreakerPolicy, now: number): { readonly allowed: boolean; readonly state: BreakerState } {
  switch (state.state) {
    case "closed":
      return { allowed: true, state };
    case "open":
      return now >= state.openedAt + policy.coolDownMs ? { allowed: true, state: { state: "half_open", trialInFlight: true } } : { allowed: false, state };
    case "half_open":
      return state.trialInFlight ? { allowed: false, state } : { allowed: true, state: { state: "half_open", trialInFlight: true } };
  }
}

export function breakerOnSuccess(_state: BreakerState): BreakerState {
  return CLOSED_BREAKER;
}

export function breakerOnFailure(state: BreakerState, policy: BreakerPolicy, now: number): BreakerState {
  switch (state.state) {
    case "closed": {
      const consecutiveFailures = state.consecutiveFailures + 1;
      return consecutiveFailures >= policy.failureThreshold ? { state: "open", openedAt: now } : { state: "closed", consecutiveFailures };
    }
    case "half_open":
      return { state: "open", openedAt: now };
    case "open":
      return state;
  }
}

/** When a message held back by an open breaker should be looked at again. */
export function breakerReopensAt(state: BreakerState, policy: BreakerPolicy, now: number): number {
  return state.state === "open" ? Math.max(now, state.openedAt + policy.coolDownMs) : now;
}
