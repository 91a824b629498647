import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_CALENDAR_RULES } from "../../../src/domain/calendar/calendar-defaults.js";
import { vnDaysOfYear } from "../../../src/domain/calendar/calendar-days.js";
import type { Duration } from "../../../src/domain/calendar/calendar-types.js";
import { createWorkingCalendar } from "../../../src/domain/calendar/working-calendar.js";
import { computeDueAt, evaluateDossier, replayDossier, type DossierFacts, type DossierReplay } from "../../../src/domain/dossier/dossier-fold.js";
import type { Channel, DossierEvent } from "../../../src/domain/dossier/dossier-types.js";
import { planMoments, type Moment } from "../../../src/domain/outbound/next-moments.js";

const calendar = createWorkingCalendar(DEFAULT_CALENDAR_RULES, vnDaysOfYear);
const at = (iso: string) => Date.parse(iso);
const A = "000.00.12.H22";
const FIVE_DAYS: Duration = { value: 5, unit: "working_days" };

function replayOf(receivedAt: number, events: DossierEvent[], options: { committed?: Duration; channel?: Channel } = {}): DossierReplay {
  const committed = options.committed ?? FIVE_DAYS;
  const facts: DossierFacts = {
    receivedAt,
    receivingAgencyCode: A,
    handlingAgencyCode: A,
    committedDuration: committed,
    legalDuration: { value: 7, unit: "working_days" },
    supplementPolicy: null,
    supplementCompletion: null,
    channel: options.channel ?? "direct",
    submittedAt: null,
    steps: [],
    originalDueAt: computeDueAt(calendar, receivedAt, committed),
  };
  const r = replayDossier(facts, events, calendar);
  if (!r.ok) throw new Error(r.violation.message);
  return r.replay;
}
const ev = (id: string, type: DossierEvent["type"], iso: string | number, fields: Record<string, unknown> = {}): DossierEvent =>
  ({ eventId: id, type, occurredAt: typeof iso === "number" ? iso : at(iso), agencyCode: A, ...fields }) as DossierEvent;
const byKey = (ms: readonly Moment[]) => Object.fromEntries(ms.map((m) => [m.key, new Date(m.at + 7 * 3_600_000).toISOString().slice(0, 23)]));

const RECEIVED = at("2025-07-07T08:00:00+07:00"); // Monday, Decree 118
const TRANSFER = ev("t1", "transferred", "2025-07-07T09:00:00+07:00", { toAgencyCode: A });

describe("the time-driven moments of a dossier", () => {
  it("75 % and 90 % of the committed WORKING time, the overdue instant, and the owed duties", () => {
    const moments = planMoments({ replay: replayOf(RECEIVED, []), calendar });
    expect(byKey(moments)).toEqual({
      // Art. 18(2): received in person before 15:00 -> to the handling agency by the end of that working day.
      "duty:transfer:0": "2025-07-07T17:00:00.001",
      // 1800 of 2400 working minutes: Mon 7.5 h, Tue 8, Wed 8, Thu 07:30–11:30 and 13:00–15:30.
      [`at_risk:75:p0`]: "2025-07-10T15:30:00.000",
      [`at_risk:90:p0`]: "2025-07-11T13:30:00.000",
      [`overdue:p0`]: "2025-07-14T08:00:00.001",
    });
    expect(moments.map((m) => m.eventType)).toEqual(["duty.overdue", "dossier.at_risk", "dossier.at_risk", "dossier.overdue"]);
    const overdue = moments.find((m) => m.eventType === "dossier.overdue")!;
    // The fold agrees: overdue 1 ms after, not at, the due instant.
    const replay = replayOf(RECEIVED, []);
    expect(evaluateDossier(replay, calendar, overdue.at - 1).overdue).toBe(false);
    expect(evaluateDossier(replay, calendar, overdue.at).overdue).toBe(true);
    // Stale at-risk warnings expire with the overdue moment.
    expect(moments.filter((m) => m.eventType === "dossier.at_risk").every((m) => m.expiresAt === overdue.at)).toBe(true);
  });

  it("a suspension moves the thresholds later by the working time paused; the keys stay (fire once)", () => {
    const paused = planMoments({
      replay: replayOf(RECEIVED, [TRANSFER, ev("s", "suspended", "2025-07-08T10:00:00+07:00", { reason: "other" }), ev("r", "resumed", "2025-07-09T10:00:00+07:00")]),
      calendar,
    });
    expect(byKey(paused)).toMatchObject({
      [`at_risk:75:p0`]: "2025-07-11T15:30:00.000",
      [`at_risk:90:p0`]: "2025-07-14T13:30:00.000",
      [`overdue:p0`]: "2025-07-15T08:00:00.001",
    });
  });

  it("nothing about the deadline while paused; the supplement's completion limit is watched (art. 19(5))", () => {
    const waiting = planMoments({ replay: replayOf(RECEIVED, [TRANSFER, ev("q", "supplement_requested", "2025-07-08T10:00:00+07:00", { reason: "x" })]), calendar });
    expect(waiting.map((m) => m.key)).toEqual(["duty:supplement_completion:0"]);
    // 15 calendar days from Tue 8 Jul: Wed 23 Jul, end of that (working) day.
    expect(byKey(waiting)["duty:supplement_completion:0"]).toBe("2025-07-23T17:00:00.001");
  });

  it("a restart under Decree 118 art. 19(5) opens a new period: its thresholds fire again, the old ones are gone", () => {
    const before = planMoments({ replay: replayOf(RECEIVED, [TRANSFER]), calendar });
    const fired = new Set(before.filter((m) => m.key.startsWith("at_risk:75")).map((m) => m.key));
    const restarted = planMoments({
      replay: replayOf(RECEIVED, [TRANSFER, ev("q", "supplement_requested", "2025-07-08T10:00:00+07:00", { reason: "x" }), ev("g", "supplement_received", "2025-07-10T14:00:00+07:00")]),
      calendar,
      fired,
    });
    expect(byKey(restarted)).toEqual({
      // From Thu 14:00 again: 30 h -> Wed 16 Jul 10:30; 36 h -> Thu 17 Jul 08:30; 40 h -> Thu 14:00.
      [`at_risk:75:p1`]: "2025-07-16T10:30:00.000",
      [`at_risk:90:p1`]: "2025-07-17T08:30:00.000",
      [`overdue:p1`]: "2025-07-17T14:00:00.001",
    });
  });

  it("under Decree 61/2018 the supplement pauses: same period, same keys, later moments", () => {
    const received = at("2025-03-03T08:00:00+07:00");
    const t = ev("t1", "transferred", "2025-03-03T09:00:00+07:00", { toAgencyCode: A });
    const plain = planMoments({ replay: replayOf(received, [t]), calendar });
    const paused = planMoments({
      replay: replayOf(received, [t, ev("q", "supplement_requested", "2025-03-04T08:00:00+07:00", { reason: "x" }), ev("g", "supplement_received", "2025-03-05T08:00:00+07:00")]),
      calendar,
    });
    expect(paused.map((m) => m.key)).toEqual(plain.map((m) => m.key));
    // Each moved by the working day paused (Tue 08:00 -> Wed 08:00), over a weekend where it falls.
    for (const m of paused) expect(calendar.workingMinutesBetween(plain.find((p) => p.key === m.key)!.at, m.at)).toBeCloseTo(480, 3);
  });

  it("an extension letter keeps the overdue moment and adds one for the rescheduled appointment", () => {
    const rescheduled = at("2025-07-18T17:00:00+07:00");
    const moments = planMoments({ replay: replayOf(RECEIVED, [TRANSFER]), calendar, rescheduledDueAt: rescheduled });
    expect(moments.filter((m) => m.eventType === "dossier.overdue").map((m) => [m.key, m.at])).toEqual([
      [`overdue:p0`, at("2025-07-14T08:00:00+07:00") + 1],
      ["overdue:rescheduled", rescheduled + 1],
    ]);
  });

  it("a calendar change that moves the clock's start re-plans the same period (same keys: fired ones stay fired)", () => {
    const saturday = at("2025-07-05T09:00:00+07:00"); // the clock starts on Monday 7 Jul
    const before = planMoments({ replay: replayOf(saturday, []), calendar });
    // A late decree makes Monday 7 Jul a day off: the clock now starts on Tuesday.
    const moved = createWorkingCalendar(DEFAULT_CALENDAR_RULES, (year) => [
      ...vnDaysOfYear(year),
      ...(year === 2025 ? [{ date: "2025-07-07", kind: "day_off" as const, name: "Nghỉ bù", source: "override" as const }] : []),
    ]);
    const facts = replayOf(saturday, []).facts;
    const r = replayDossier(facts, [], moved);
    if (!r.ok) throw new Error(r.violation.message);
    const after = planMoments({ replay: r.replay, calendar: moved, fired: new Set(["at_risk:75:p0"]) });
    expect(after.map((m) => m.key)).toEqual(before.map((m) => m.key).filter((k) => k !== "at_risk:75:p0"));
    for (const m of after) expect(m.at).toBeGreaterThan(before.find((b) => b.key === m.key)!.at);
  });

  it("what fired is not planned again; closed dossiers plan nothing but the correction duty after the return (art. 23(1))", () => {
    const all = planMoments({ replay: replayOf(RECEIVED, [TRANSFER]), calendar });
    expect(planMoments({ replay: replayOf(RECEIVED, [TRANSFER]), calendar, fired: new Set(all.map((m) => m.key)) })).toEqual([]);
    expect(planMoments({ replay: replayOf(RECEIVED, [TRANSFER, ev("x", "stopped", "2025-07-08T10:00:00+07:00", { reason: "r" })]), calendar })).toEqual([]);
    expect(planMoments({ replay: replayOf(RECEIVED, [ev("x", "cancelled", "2025-07-08T10:00:00+07:00")]), calendar })).toEqual([]);
    const done = [TRANSFER, ev("d", "result_ready", "2025-07-09T10:00:00+07:00", { outcome: "approved" })];
    expect(planMoments({ replay: replayOf(RECEIVED, done), calendar })).toEqual([]);
    const returned = [...done, ev("r", "returned", "2025-07-10T10:00:00+07:00", { method: "counter" }), ev("c", "correction_requested", "2025-07-11T10:00:00+07:00", { reason: "sai tên" })];
    expect(planMoments({ replay: replayOf(RECEIVED, returned), calendar }).map((m) => m.key)).toEqual(["duty:result_correction:0"]);
  });
});

describe("the moments' general laws (random histories on the real calendar)", () => {
  const FROM = at("2024-06-01T00:00:00+07:00");
  const TO = at("2026-06-01T00:00:00+07:00");
  const HOUR = 3_600_000;
  const durations = fc.constantFrom<Duration>(
    { value: 5, unit: "working_days" },
    { value: 0.5, unit: "working_days" },
    { value: 3.5, unit: "working_days" },
    { value: 6, unit: "working_hours" },
    { value: 10, unit: "calendar_days" },
    { value: 1, unit: "same_day" },
  );
  const history = fc.record({
    receivedAt: fc.integer({ min: FROM, max: TO }),
    committed: durations,
    gaps: fc.array(fc.integer({ min: 0, max: 72 * HOUR }), { minLength: 4, maxLength: 4 }),
    pauseKind: fc.constantFrom("suspended", "supplement_requested"),
    channel: fc.constantFrom<Channel>("direct", "online", "postal"),
  });

  it("75 % ≤ 90 % ≤ due < overdue, in the current period, for any open dossier", () => {
    fc.assert(
      fc.property(history, ({ receivedAt, committed, gaps }) => {
        const replay = replayOf(receivedAt, [ev("t", "transferred", receivedAt + gaps[0]!, { toAgencyCode: A })], { committed });
        const ms = planMoments({ replay, calendar });
        const get = (prefix: string) => ms.find((m) => m.key.startsWith(prefix))!;
        const [r75, r90, over] = [get("at_risk:75:"), get("at_risk:90:"), get("overdue:")];
        expect(r75.at).toBeLessThanOrEqual(r90.at);
        expect(r90.at).toBeLessThan(over.at);
        expect(over.at - 1).toBe(evaluateDossier(replay, calendar, receivedAt + gaps[0]!).dueAt);
        for (const m of [r75, r90, over]) expect(m.key.endsWith(`:p${replay.firstDuePause}`)).toBe(true);
        for (const m of [r75, r90, over]) expect(m.detail).toMatchObject({ periodStartedAt: replay.clockStartedAt });
      }),
      { numRuns: 100 },
    );
  });

  it("a zero-length suspension moves nothing, not even by a rounded millisecond (fast-check's counterexample, pinned)", () => {
    const receivedAt = 1729729953054;
    const committed: Duration = { value: 10, unit: "calendar_days" };
    const s = receivedAt + 120446946;
    const base = [ev("t", "transferred", receivedAt, { toAgencyCode: A })];
    const paused = [...base, ev("s", "suspended", s, { reason: "other" }), ev("r", "resumed", s)];
    const plan = (events: DossierEvent[]) => planMoments({ replay: replayOf(receivedAt, events, { committed, channel: "direct" }), calendar }).map((m) => [m.key, m.at]);
    expect(plan(paused)).toEqual(plan(base));
  });

  it("a suspension never brings a moment earlier", () => {
    fc.assert(
      fc.property(history, ({ receivedAt, committed, gaps, channel }) => {
        const t1 = receivedAt + gaps[0]!;
        const base = [ev("t", "transferred", t1, { toAgencyCode: A })];
        const s = t1 + gaps[1]!;
        const paused = [...base, ev("s", "suspended", s, { reason: "other" }), ev("r", "resumed", s + gaps[2]!)];
        const before = planMoments({ replay: replayOf(receivedAt, base, { committed, channel }), calendar });
        const after = planMoments({ replay: replayOf(receivedAt, paused, { committed, channel }), calendar });
        for (const m of after) {
          const was = before.find((b) => b.key === m.key);
          if (was) expect(m.at).toBeGreaterThanOrEqual(was.at);
        }
        // And re-planning is a pure function of the history: the same answer twice.
        expect(planMoments({ replay: replayOf(receivedAt, paused, { committed, channel }), calendar })).toEqual(after);
      }),
      { numRuns: 100 },
    );
  });

  it("nothing about the deadline fires while paused or once closed", () => {
    fc.assert(
      fc.property(history, ({ receivedAt, committed, gaps, pauseKind }) => {
        const t1 = receivedAt + gaps[0]!;
        const base = [ev("t", "transferred", t1, { toAgencyCode: A })];
        const pause = pauseKind === "suspended" ? ev("p", "suspended", t1 + gaps[1]!, { reason: "financial_obligation" }) : ev("p", "supplement_requested", t1 + gaps[1]!, { reason: "x" });
        const deadlineKinds = (events: DossierEvent[]) =>
          planMoments({ replay: replayOf(receivedAt, events, { committed }), calendar }).filter((m) => m.eventType !== "duty.overdue");
        expect(deadlineKinds([...base, pause])).toEqual([]);
        expect(deadlineKinds([...base, ev("z", "stopped", t1 + gaps[1]!, { reason: "r" })])).toEqual([]);
        expect(deadlineKinds([...base, ev("z", "result_ready", t1 + gaps[1]!, { outcome: "refused" })])).toEqual([]);
        expect(planMoments({ replay: replayOf(receivedAt, [...base, ev("z", "cancelled", t1 + gaps[1]!)], { committed }), calendar })).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});
