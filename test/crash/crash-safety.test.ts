/**
 * A short run of scripts/crash-test.ts: the real server in a child process, SIGKILLed twice
 * mid-load on one database file. The engine kills its child and removes its folder in a finally.
 */
import { describe, expect, it } from "vitest";
import { runCrashTest } from "../../scripts/crash/crash-engine.js";

describe("crash safety", () => {
  it(
    "when the server is SIGKILLed mid-load and restarted, every acknowledged event is stored exactly once and the file is intact",
    async () => {
      const report = await runCrashTest({ rounds: 2, lanes: 8, loadMs: { min: 500, max: 1000 } });

      expect(report.violations).toEqual([]);
      const sum = (pick: (t: (typeof report.rounds)[number]["tally"]) => number) => report.rounds.reduce((n, r) => n + pick(r.tally), 0);
      // Not vacuous: events were acknowledged, and the kills cut requests off in flight.
      expect(sum((t) => t.eventsAcknowledged)).toBeGreaterThan(0);
      expect(sum((t) => t.unknown)).toBeGreaterThan(0);
      expect(report.final.file.integrity).toBe("ok");
      expect(report.final.file.duplicateEventIds).toBe(0);
      expect(report.final.rebuild).toMatchObject({ changed: 0, failed: 0, synchronous: 2 });
    },
    90_000,
  );
});
