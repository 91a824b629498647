/**
 * The engine's general laws, on random calendars: random weekly hours (0–3 intervals a weekday),
 * random days off and working days (with or without own hours), a random zone with or without DST,
 * random starts over 2023–2027 with seconds and milliseconds, many of them near DST changes.
 * The naive day-walking implementation (test/support) is the oracle.
 */
import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import type { CalendarRules, DatedDay, HoursInterval, WeeklyHours } from "../../../src/domain/calendar/calendar-types.js";
import { createWorkingCalendar } from "../../../src/domain/calendar/working-calendar.js";
import type { WorkingCalendar } from "../../../src/domain/calendar/working-calendar.js";
import { createNaiveWorkingCalendar } from "../../support/naive-working-calendar.js";
import type { NaiveWorkingCalendar } from "../../support/naive-working-calendar.js";

const MINUTE = 60_000;
const DAY = 86_400_000;
const ZONES = ["Asia/Ho_Chi_Minh", "UTC", "Europe/Paris", "America/New_York", "Australia/Lord_Howe"] as const;
const FROM = Date.parse("2023-01-01T00:00:00Z");
const TO = Date.parse("2027-12-31T00:00:00Z");
/** DST changes in the zones above (Lord Howe shifts by 30 minutes), to start near them often. */
const DST_CHANGES = [
  "2024-03-31T01:00:00Z", "2024-10-27T01:00:00Z", "2025-03-30T01:00:00Z", "2025-10-26T01:00:00Z",
  "2024-03-10T07:00:00Z", "2024-11-03T06:00:00Z", "2025-03-09T07:00:00Z", "2025-11-02T06:00:00Z",
  "2025-04-05T15:00:00Z", "2025-10-04T15:30:00Z",
].map((iso) => Date.parse(iso));

const hhmm = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

/** 0–3 ordered, non-overlapping intervals on a 15-minute grid (so 02:00–03:00 DST hours come up). */
const dayHoursArb = (minIntervals: number): fc.Arbitrary<readonly HoursInterval[]> =>
  fc
    .uniqueArray(fc.integer({ min: 0, max: 96 }), { minLength: 2 * minIntervals, maxLength: 6 })
    .map((points) => {
      const sorted = [...points].sort((a, b) => a - b);
      const hours: HoursInterval[] = [];
      for (let i = 0; i + 1 < sorted.length; i += 2) {
        hours.push([hhmm((sorted[i] as number) * 15), hhmm((sorted[i + 1] as number) * 15)]);
      }
      return hours;
    });

const weeklyArb: fc.Arbitrary<WeeklyHours> = fc
  .record({
    mon: dayHoursArb(0),
    tue: dayHoursArb(0),
    wed: dayHoursArb(0),
    thu: dayHoursArb(0),
    fri: dayHoursArb(0),
    sat: dayHoursArb(0),
    sun: dayHoursArb(0),
  })
  .filter((week) => Object.values(week).some((hours) => hours.length > 0));

const startArb: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: FROM, max: TO }),
  fc.integer({ min: FROM / MINUTE, max: TO / MINUTE }).map((m) => m * MINUTE),
  fc.constantFrom(...DST_CHANGES).chain((t) => fc.integer({ min: t - 4 * DAY, max: t + 2 * DAY })),
);

interface Scenario {
  readonly rules: CalendarRules;
  readonly days: readonly DatedDay[];
  readonly start: number;
  /** Weekly working minutes, to size budgets to the calendar. */
  readonly weeklyMinutes: number;
  readonly engine: WorkingCalendar;
  readonly naive: NaiveWorkingCalendar;
}

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    weekly: weeklyArb,
    cutoff: fc.integer({ min: 0, max: 95 }),
    start: startArb,
    exceptions: fc.array(
      fc.record({
        offsetDays: fc.integer({ min: -3, max: 40 }),
        kind: fc.constantFrom("day_off" as const, "working_day" as const),
        hours: fc.option(dayHoursArb(1), { nil: undefined }),
      }),
      { maxLength: 12 },
    ),
  })
  .map(({ zone, weekly, cutoff, start, exceptions }) => {
    const startDay = Math.floor(start / DAY);
    const days: DatedDay[] = exceptions.map(({ offsetDays, kind, hours }) => ({
      date: new Date((startDay + offsetDays) * DAY).toISOString().slice(0, 10),
      kind,
      name: "random",
      source: "override",
      ...(kind === "working_day" && hours !== undefined ? { hours } : {}),
    }));
    const daysOfYear = (year: number) => days.filter((d) => d.date.startsWith(String(year)));
    let weeklyMinutes = 0;
    for (const hours of Object.values(weekly)) {
      for (const [a, b] of hours) weeklyMinutes += Number(b.slice(0, 2)) * 60 + Number(b.slice(3)) - Number(a.slice(0, 2)) * 60 - Number(a.slice(3));
    }
    // A working day of about a fifth of the week keeps budgets to a few weeks on sparse calendars.
    const rules: CalendarRules = {
      timeZone: zone,
      weeklyHours: weekly,
      sameDayCutoff: hhmm(cutoff * 15),
      workingDayMinutes: Math.max(15, Math.round(weeklyMinutes / 5)),
    };
    return {
      rules,
      days,
      start,
      weeklyMinutes,
      engine: createWorkingCalendar(rules, daysOfYear),
      naive: createNaiveWorkingCalendar(rules, daysOfYear),
    };
  });

/** A budget in whole milliseconds (exact in the engine), up to about two weeks of this calendar's work. */
const budgetMs = (scenario: Scenario): fc.Arbitrary<number> =>
  fc.integer({ min: 1, max: Math.max(60, 2 * scenario.weeklyMinutes) * MINUTE });

const withBudget = scenarioArb.chain((scenario) => fc.tuple(fc.constant(scenario), budgetMs(scenario)));
const withTwoBudgets = scenarioArb.chain((scenario) => fc.tuple(fc.constant(scenario), budgetMs(scenario), budgetMs(scenario)));

/** Kept small for a fast suite; PROPERTY_RUNS_SCALE=20 (say) searches deeper. */
const SCALE = Number(process.env.PROPERTY_RUNS_SCALE ?? "1") || 1;
const RUNS = { numRuns: Math.round(200 * SCALE) };
const ORACLE_RUNS = { numRuns: Math.round(150 * SCALE) };

describe("working calendar laws on random calendars", () => {
  it("the due instant is never outside working time: the millisecond before it is working", () => {
    fc.assert(
      fc.property(withBudget, ([{ engine, start }, ms]) => {
        const due = engine.addWorkingMinutes(start, ms / MINUTE);
        expect(due).toBeGreaterThan(start);
        expect(engine.isWorkingInstant(due - 1)).toBe(true);
      }),
      RUNS,
    );
  });

  it("add(add(s, a), b) = add(s, a + b)", () => {
    fc.assert(
      fc.property(withTwoBudgets, ([{ engine, start }, a, b]) => {
        const stepwise = engine.addWorkingMinutes(engine.addWorkingMinutes(start, a / MINUTE), b / MINUTE);
        expect(stepwise).toBe(engine.addWorkingMinutes(start, (a + b) / MINUTE));
      }),
      RUNS,
    );
  });

  it("workingMinutesBetween(s, add(s, m)) = m", () => {
    fc.assert(
      fc.property(withBudget, ([{ engine, start }, ms]) => {
        const minutes = ms / MINUTE;
        expect(engine.workingMinutesBetween(start, engine.addWorkingMinutes(start, minutes))).toBe(minutes);
      }),
      RUNS,
    );
  });

  it("is monotone: adding more never ends earlier, starting later never ends earlier", () => {
    fc.assert(
      fc.property(withTwoBudgets, fc.integer({ min: 0, max: 10 * DAY }), ([{ engine, start }, a, b], delay) => {
        const [less, more] = a <= b ? [a, b] : [b, a];
        expect(engine.addWorkingMinutes(start, less / MINUTE)).toBeLessThanOrEqual(engine.addWorkingMinutes(start, more / MINUTE));
        expect(engine.addWorkingMinutes(start, a / MINUTE)).toBeLessThanOrEqual(engine.addWorkingMinutes(start + delay, a / MINUTE));
      }),
      RUNS,
    );
  });

  it("working time between is additive and antisymmetric", () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: 0, max: 30 * DAY }), fc.integer({ min: 0, max: 30 * DAY }), ({ engine, start }, d1, d2) => {
        const [a, b, c] = [start, start + d1, start + d1 + d2];
        const ab = engine.workingMinutesBetween(a, b);
        const bc = engine.workingMinutesBetween(b, c);
        // Integer ms of working time: the sum is exact once back in milliseconds.
        expect(Math.round((ab + bc) * MINUTE)).toBe(Math.round(engine.workingMinutesBetween(a, c) * MINUTE));
        expect(engine.workingMinutesBetween(b, a)).toBe(0 - ab);
      }),
      RUNS,
    );
  });

  it("localDate agrees with luxon", () => {
    fc.assert(
      fc.property(scenarioArb, ({ engine, rules, start }) => {
        expect(engine.localDate(start)).toBe(DateTime.fromMillis(start, { zone: rules.timeZone }).toISODate());
      }),
      RUNS,
    );
  });
});

describe("agreement with the naive day-walking implementation", () => {
  it("addWorkingMinutes and nextWorkingInstant", () => {
    fc.assert(
      fc.property(withBudget, ([{ engine, naive, start }, ms]) => {
        expect(engine.nextWorkingInstant(start)).toBe(naive.nextWorkingInstant(start));
        expect(engine.addWorkingMinutes(start, ms / MINUTE)).toBe(naive.addWorkingMinutes(start, ms / MINUTE));
      }),
      ORACLE_RUNS,
    );
  });

  it("workingMinutesBetween, in both directions", () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: -21 * DAY, max: 21 * DAY }), ({ engine, naive, start }, delta) => {
        const to = start + delta;
        expect(engine.workingMinutesBetween(start, to)).toBe(naive.workingMinutesBetween(start, to));
      }),
      ORACLE_RUNS,
    );
  });

  it("addDuration in every unit", () => {
    const durationArb = fc.oneof(
      fc.record({ value: fc.integer({ min: 1, max: 16 }).map((q) => q / 4), unit: fc.constant("working_days" as const) }),
      fc.record({ value: fc.integer({ min: 1, max: 40 }).map((q) => q / 2), unit: fc.constant("working_hours" as const) }),
      fc.record({ value: fc.integer({ min: 1, max: 30 }), unit: fc.constant("calendar_days" as const) }),
      fc.record({ value: fc.constant(0), unit: fc.constant("same_day" as const) }),
    );
    fc.assert(
      fc.property(scenarioArb, durationArb, ({ engine, naive, start }, duration) => {
        expect(engine.addDuration(start, duration)).toBe(naive.addDuration(start, duration));
      }),
      ORACLE_RUNS,
    );
  });
});
