/**
 * Calendar engine benchmark: `npx tsx scripts/bench/calendar.ts` (or `npm run bench:calendar`).
 *
 * Measures the engine (src/domain/calendar/working-calendar.ts) against the naive day-walking
 * reference (test/support/naive-working-calendar.ts) in the same process, on the `vn` rules with
 * Vietnam's real days off (`vnDaysOfYear`: the official civil-service schedules, DOMAIN.md §7),
 * from random start instants over 2024–2026 (with seconds and milliseconds).
 * Targets (docs/BENCHMARKS.md): >= 1,000,000 "add 10 working days" a second, >= 50× the naive one.
 */
import os from "node:os";
import { DEFAULT_CALENDAR_RULES } from "../../src/domain/calendar/calendar-defaults.js";
import { vnDaysOfYear } from "../../src/domain/calendar/calendar-days.js";
import type { Duration } from "../../src/domain/calendar/calendar-types.js";
import { createWorkingCalendar } from "../../src/domain/calendar/working-calendar.js";
import { createNaiveWorkingCalendar } from "../../test/support/naive-working-calendar.js";
import { seededRandom } from "../../src/domain/seeded-random.js";

const DAY_MS = 86_400_000;
const STARTS = 4096; // a power of two: the loops pick starts with `i & (STARTS - 1)`
const ROUNDS = 5; // timed rounds per measurement; the median is reported

const engine = createWorkingCalendar(DEFAULT_CALENDAR_RULES, vnDaysOfYear);
const naive = createNaiveWorkingCalendar(DEFAULT_CALENDAR_RULES, vnDaysOfYear);

// A fixed seed makes runs comparable.
const next = seededRandom(20250101);
const from = Date.parse("2024-01-01T00:00:00+07:00");
const to = Date.parse("2027-01-01T00:00:00+07:00");
const starts = new Float64Array(STARTS);
for (let i = 0; i < STARTS; i++) starts[i] = Math.floor(from + next() * (to - from));

const TEN_WORKING_DAYS: Duration = Object.freeze({ value: 10, unit: "working_days" });
const SIXTY_DAYS = 60 * DAY_MS;

interface Subject {
  addDuration(start: number, duration: Duration): number;
  workingMinutesBetween(a: number, b: number): number;
}

/** Sinks the results so that no loop can be optimised away; printed at the end. */
let checksum = 0;

function measure(label: string, run: (subject: Subject, count: number) => number, subject: Subject, count: number): number {
  checksum += run(subject, Math.max(1, Math.floor(count / 10))); // warm-up (also builds the year tables)
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = process.hrtime.bigint();
    checksum += run(subject, count);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    rates.push(count / seconds);
  }
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(ROUNDS / 2)] as number;
  if (process.env.BENCH_VERBOSE) console.error(label, rates.map((r) => Math.round(r)));
  return median;
}

function addTenWorkingDays(subject: Subject, count: number): number {
  let sink = 0;
  for (let i = 0; i < count; i++) sink += subject.addDuration(starts[i & (STARTS - 1)] as number, TEN_WORKING_DAYS) - from;
  return sink / count;
}

function minutesBetween60Days(subject: Subject, count: number): number {
  let sink = 0;
  for (let i = 0; i < count; i++) {
    const start = starts[i & (STARTS - 1)] as number;
    sink += subject.workingMinutesBetween(start, start + SIXTY_DAYS);
  }
  return sink / count;
}

// Both sides must give the same answers before their speeds are compared.
for (let i = 0; i < 200; i++) {
  const start = starts[i] as number;
  const a = engine.addDuration(start, TEN_WORKING_DAYS);
  const b = naive.addDuration(start, TEN_WORKING_DAYS);
  const c = engine.workingMinutesBetween(start, start + SIXTY_DAYS);
  const d = naive.workingMinutesBetween(start, start + SIXTY_DAYS);
  if (a !== b || c !== d) throw new Error(`engine and naive disagree at ${new Date(start).toISOString()}`);
}

const cases = [
  { name: "add 10 working days", run: addTenWorkingDays, engineCount: 2_000_000, naiveCount: 1_000 },
  { name: "working minutes between, 60 days apart", run: minutesBetween60Days, engineCount: 2_000_000, naiveCount: 300 },
] as const;

const rows = cases.map(({ name, run, engineCount, naiveCount }) => {
  const engineRate = measure(`engine ${name}`, run, engine, engineCount);
  const naiveRate = measure(`naive ${name}`, run, naive, naiveCount);
  return { name, engineRate, naiveRate, ratio: engineRate / naiveRate };
});

// The cold cost: a fresh engine's first query builds that year's table.
const coldStart = process.hrtime.bigint();
checksum += createWorkingCalendar(DEFAULT_CALENDAR_RULES, vnDaysOfYear).addDuration(Date.parse("2031-06-02T09:00:00+07:00"), TEN_WORKING_DAYS);
const coldMs = Number(process.hrtime.bigint() - coldStart) / 1e6;

const fmt = (n: number): string => Math.round(n).toLocaleString("en-US");
const cpu = os.cpus()[0]?.model ?? "unknown CPU";
console.log(`Calendar engine vs naive — node ${process.version}, ${os.cpus().length} CPUs (${cpu})`);
console.log(`rules: vn (DEFAULT_CALENDAR_RULES); days: vnDaysOfYear (official schedules 2024–2026, else the Labour Code rules); ${STARTS} random starts 2024–2026; median of ${ROUNDS} rounds`);
console.log("");
const header = ["operation", "engine ops/s", "naive ops/s", "engine / naive"];
const table = rows.map((r) => [r.name, fmt(r.engineRate), fmt(r.naiveRate), `${fmt(r.ratio)}×`]);
const widths = header.map((h, c) => Math.max(h.length, ...table.map((row) => (row[c] as string).length)));
const line = (cells: readonly string[]) =>
  `| ${cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] as number) : cell.padStart(widths[c] as number))).join(" | ")} |`;
console.log(line(header));
console.log(`|${widths.map((w, c) => (c === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`);
for (const row of table) console.log(line(row));
console.log("");
console.log(`first query of a fresh engine (builds one year's table, computes that year's VN days): ${coldMs.toFixed(1)} ms`);
console.log(`checksum ${checksum}`);
