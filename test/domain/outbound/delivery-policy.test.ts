import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  afterFailure,
  backoffDelay,
  breakerAdmit,
  breakerOnFailure,
  breakerOnSuccess,
  breakerReopensAt,
  CLOSED_BREAKER,
  DEFAULT_RETRY_POLICY,
  seededRandom,
  type BreakerState,
} from "../../../src/domain/outbound/delivery-policy.js";

const HOUR = 3_600_000;
const policy = { baseDelayMs: 1_000, maxDelayMs: 60_000, minDelayMs: 100, deadAfterMs: 24 * HOUR };

describe("back-off with full jitter", () => {
  it("stays within [min, min(max, base·2^(n−1))) for any draw", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (n, r) => {
        const d = backoffDelay(policy, n, () => r);
        const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1));
        return d >= policy.minDelayMs && d <= Math.max(policy.minDelayMs, ceiling) && Number.isFinite(d);
      }),
    );
  });

  it("doubles its ceiling per failure up to the cap", () => {
    const top = () => 0.999999;
    expect([1, 2, 3, 4, 7, 8, 30].map((n) => backoffDelay(policy, n, top))).toEqual([999, 1999, 3999, 7999, 59999, 59999, 59999]);
  });

  it("is reproducible with a seeded source, and spreads", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 50 }, () => backoffDelay(policy, 10, a));
    expect(Array.from({ length: 50 }, () => backoffDelay(policy, 10, b))).toEqual(xs);
    expect(new Set(xs).size).toBeGreaterThan(40);
    const r = seededRandom(7);
    for (let i = 0; i < 1000; i++) {
      const x = r();
      expect(x >= 0 && x < 1).toBe(true);
    }
  });
});

describe("dead-letter after 24 h from the first attempt", () => {
  it("retries inside the window, never scheduling past its end", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 24 * HOUR - 1 }), fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 0.9999, noNaN: true }), (elapsed, failures, r) => {
        const d = afterFailure(policy, { firstAttemptAt: 1_000_000, failures, now: 1_000_000 + elapsed }, () => r);
        return d.kind === "retry" && d.nextAttemptAt > 1_000_000 + elapsed - 1 && d.nextAttemptAt <= 1_000_000 + 24 * HOUR;
      }),
    );
  });

  it("is dead once a failure comes at or after the 24-hour mark", () => {
    expect(afterFailure(DEFAULT_RETRY_POLICY, { firstAttemptAt: 0, failures: 30, now: 24 * HOUR }, () => 0.5)).toEqual({ kind: "dead" });
    expect(afterFailure(DEFAULT_RETRY_POLICY, { firstAttemptAt: 0, failures: 30, now: 24 * HOUR - 1 }, () => 0.9)).toEqual({ kind: "retry", nextAttemptAt: 24 * HOUR });
  });
});

describe("circuit breaker per destination", () => {
  const bp = { failureThreshold: 3, coolDownMs: 10_000 };

  it("opens after the threshold of consecutive failures; a success in between resets the count", () => {
    let s: BreakerState = CLOSED_BREAKER;
    s = breakerOnFailure(s, bp, 1);
    s = breakerOnFailure(s, bp, 2);
    s = breakerOnSuccess(s);
    s = breakerOnFailure(s, bp, 3);
    s = breakerOnFailure(s, bp, 4);
    expect(s).toEqual({ state: "closed", consecutiveFailures: 2 });
    s = breakerOnFailure(s, bp, 5);
    expect(s).toEqual({ state: "open", openedAt: 5 });
    expect(breakerAdmit(s, bp, 10_004)).toEqual({ allowed: false, state: s });
    expect(breakerReopensAt(s, bp, 100)).toBe(10_005);
  });

  it("lets exactly one trial through after the cool-down; its outcome closes or reopens", () => {
    const open: BreakerState = { state: "open", openedAt: 0 };
    const trial = breakerAdmit(open, bp, 10_000);
    expect(trial).toEqual({ allowed: true, state: { state: "half_open", trialInFlight: true } });
    expect(breakerAdmit(trial.state, bp, 10_001).allowed).toBe(false);
    expect(breakerOnSuccess(trial.state)).toEqual(CLOSED_BREAKER);
    expect(breakerOnFailure(trial.state, bp, 10_500)).toEqual({ state: "open", openedAt: 10_500 });
  });

  it("a closed breaker always admits", () => {
    expect(breakerAdmit(CLOSED_BREAKER, bp, 0)).toEqual({ allowed: true, state: CLOSED_BREAKER });
    expect(breakerReopensAt(CLOSED_BREAKER, bp, 77)).toBe(77);
  });
});
