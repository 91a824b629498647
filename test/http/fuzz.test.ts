/**
 * The fuzzer (scripts/fuzz.ts) as part of the suite, smaller: hostile requests across every
 * endpoint on a fixed seed and on a fresh random one (printed in the test's name, to replay it with
 * `npx tsx scripts/fuzz.ts --seed N`), each run opening with the requests that once broke the service.
 * The full run is `npx tsx scripts/fuzz.ts --requests 10000`.
 */
import { describe, expect, it } from "vitest";
import { fuzzPassed, runFuzz } from "../../scripts/fuzz/fuzz-engine.js";
import { formatFigures, formatVerdict } from "../../scripts/fuzz/fuzz-report.js";

const FIXED_SEED = 42;
const RANDOM_SEED = Math.floor(Math.random() * 2 ** 31);

describe("hostile requests across every endpoint", () => {
  it.each([
    { name: "a fixed seed", seed: FIXED_SEED, requests: 800 },
    { name: "a random seed", seed: RANDOM_SEED, requests: 500 },
  ])(
    "with $name ($seed): no 5xx, every refusal a problem document, and nothing written by a refused request",
    async ({ seed, requests }) => {
      // Every 10th request also compares the whole database, not only SQLite's change counter.
      const report = await runFuzz({ requests, seed, fingerprintEvery: 10, slowRequestMs: 5_000 });
      expect(fuzzPassed(report), `${formatVerdict(report)}\n\n${formatFigures(report)}`).toBe(true);
    },
    60_000,
  );
});
