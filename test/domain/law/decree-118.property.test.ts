/**
 * The law in force by date, as laws of the pure domain (DOMAIN.md §1, §4, §6, §10): the frame's
 * cutover, the supplement restart against the pause, the judgement of a suspended dossier, and
 * the duties' deadlines, on random dossiers over the real Vietnamese calendar.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_CALENDAR_RULES } from "../../../src/domain/calendar/calendar-defaults.js";
import { vnDaysOfYear } from "../../../src/domain/calendar/calendar-days.js";
import type { Duration } from "../../../src/domain/calendar/calendar-types.js";
import { createWorkingCalendar } from "../../../src/domain/calendar/working-calendar.js";
import { computeDueAt, foldDossier, type DossierFacts, type DossierState } from "../../../src/domain/dossier/dossier-fold.js";
import type { DossierEvent } from "../../../src/domain/dossier/dossier-types.js";
import { overdueSpans } from "../../../src/domain/dossier/overdue-spans.js";
import { dutyStatus, extensionRequestedInTime, transferDueAt } from "../../../src/domain/dossier/duties.js";
import { DECREE_118_IN_FORCE_AT, effectiveSupplementPolicy, legalFrameAt } from "../../../src/domain/law/legal-frame.js";
import type { SupplementPolicy } from "../../../src/domain/procedure/procedure-types.js";

const calendar = createWorkingCalendar(DEFAULT_CALENDAR_RULES, vnDaysOfYear);
const MINUTE = 60_000;
const A = "000.00.01.H22";
const B = "000.00.02.H22";
const at = (iso: string) => Date.parse(iso);

const durationArb: fc.Arbitrary<Duration> = fc.oneof(
  fc.integer({ min: 1, max: 80 }).map((quarters) => ({ value: quarters / 4, unit: "working_days" as const })),
  fc.integer({ min: 1, max: 40 }).map((hours) => ({ value: hours, unit: "working_hours" as const })),
  fc.integer({ min: 1, max: 30 }).map((value) => ({ value, unit: "calendar_days" as const })),
);

function factsOf(receivedAt: number, duration: Duration, policy: SupplementPolicy | null): DossierFacts {
  return {
    receivedAt,
    receivingAgencyCode: A,
    handlingAgencyCode: A,
    committedDuration: duration,
    legalDuration: duration,
    supplementPolicy: policy,
    supplementCompletion: null,
    channel: "direct",
    submittedAt: null,
    steps: [],
    originalDueAt: computeDueAt(calendar, calendar.nextWorkingInstant(receivedAt), duration),
  };
}

const ev = (id: string, type: DossierEvent["type"], occurredAt: number, fields: Record<string, unknown> = {}): DossierEvent =>
  ({ eventId: id, type, occurredAt, agencyCode: A, ...fields }) as DossierEvent;

function fold(facts: DossierFacts, events: DossierEvent[], now: number): DossierState {
  const result = foldDossier(facts, events, calendar, now);
  if (!result.ok) throw new Error(result.violation.message);
  return result.state;
}

describe("the legal frame (DOMAIN.md §1: Decree 118/2025 in force from 1 Jul 2025)", () => {
  it("changes exactly at 2025-07-01T00:00+07:00", () => {
    expect(DECREE_118_IN_FORCE_AT).toBe(at("2025-07-01T00:00:00+07:00"));
    expect(legalFrameAt(at("2025-06-30T23:59:59.999+07:00"))).toBe("decree-61-2018");
    expect(legalFrameAt(at("2025-07-01T00:00:00+07:00"))).toBe("decree-118-2025");
    fc.assert(
      fc.property(fc.integer({ min: at("2020-01-01T00:00:00Z"), max: at("2030-01-01T00:00:00Z") }), (t) => {
        expect(legalFrameAt(t)).toBe(t < DECREE_118_IN_FORCE_AT ? "decree-61-2018" : "decree-118-2025");
      }),
    );
  });

  it("defaults the supplement policy by frame, and a stated policy wins in both (art. 19(5))", () => {
    expect(effectiveSupplementPolicy(null, "decree-61-2018")).toBe("pause");
    expect(effectiveSupplementPolicy(null, "decree-118-2025")).toBe("restart");
    for (const stated of ["pause", "restart"] as const) {
      expect(effectiveSupplementPolicy(stated, "decree-61-2018")).toBe(stated);
      expect(effectiveSupplementPolicy(stated, "decree-118-2025")).toBe(stated);
    }
  });
});

/** A dossier received, transferred, sent back for a supplement that later arrives, maybe suspended before. */
const supplementCase = fc
  .record({
    receivedAt: fc.integer({ min: at("2025-07-01T00:00:00+07:00"), max: at("2026-06-30T00:00:00+07:00") }),
    duration: durationArb,
    transferAfter: fc.integer({ min: 1, max: 3 * 1440 }),
    suspension: fc.option(fc.tuple(fc.integer({ min: 1, max: 2 * 1440 }), fc.integer({ min: 1, max: 3 * 1440 })), { nil: null }),
    requestAfter: fc.integer({ min: 1, max: 6 * 1440 }),
    waited: fc.integer({ min: 1, max: 20 * 1440 }),
  })
  .map(({ receivedAt, duration, transferAfter, suspension, requestAfter, waited }) => {
    const events: DossierEvent[] = [];
    let t = receivedAt + transferAfter * MINUTE;
    events.push(ev("e1", "transferred", t, { toAgencyCode: A }));
    if (suspension !== null) {
      t += suspension[0] * MINUTE;
      events.push(ev("e2", "suspended", t, { reason: "other" }));
      t += suspension[1] * MINUTE;
      events.push(ev("e3", "resumed", t));
    }
    t += requestAfter * MINUTE;
    events.push(ev("e4", "supplement_requested", t, { reason: "thiếu giấy tờ" }));
    t += waited * MINUTE;
    events.push(ev("e5", "supplement_received", t));
    return { receivedAt, duration, events, receivedSupplementAt: t };
  });

describe("a complete supplement restarts the clock (Decree 118/2025 art. 19(5))", () => {
  // For working time. With calendar days the pause moves an end-of-day due instant by working
  // minutes (DOMAIN.md §4) while the restart counts whole dates again, so a pause of a minute in
  // a weekend can end a minute into the next morning, after a restart's end of day (fast-check found it).
  it("restart never gives an earlier due date than pause, committed and legal (working-time durations)", () => {
    fc.assert(
      fc.property(supplementCase.filter((c) => c.duration.unit !== "calendar_days"), ({ receivedAt, duration, events, receivedSupplementAt }) => {
        const paused = fold(factsOf(receivedAt, duration, "pause"), events, receivedSupplementAt);
        const restarted = fold(factsOf(receivedAt, duration, "restart"), events, receivedSupplementAt);
        expect(restarted.dueAt).toBeGreaterThanOrEqual(paused.dueAt);
        expect(restarted.legalDueAt).toBeGreaterThanOrEqual(paused.legalDueAt);
      }),
      { numRuns: 300 },
    );
  });

  it("restarts the whole duration from the supplement on the calendar, when the procedure states no policy", () => {
    fc.assert(
      fc.property(supplementCase, ({ receivedAt, duration, events, receivedSupplementAt }) => {
        const state = fold(factsOf(receivedAt, duration, null), events, receivedSupplementAt);
        expect(state.supplementPolicy).toBe("restart");
        expect(state.dueAt).toBe(computeDueAt(calendar, calendar.nextWorkingInstant(receivedSupplementAt), duration));
      }),
      { numRuns: 200 },
    );
  });

  it("pauses a dossier received before 1 Jul 2025 whose procedure states no policy", () => {
    const receivedAt = at("2025-06-23T08:00:00+07:00");
    const days3 = { value: 3, unit: "working_days" } as const;
    const events = [
      ev("e1", "transferred", at("2025-06-23T09:00:00+07:00"), { toAgencyCode: A }),
      ev("e2", "supplement_requested", at("2025-06-24T08:00:00+07:00"), { reason: "x" }),
      ev("e3", "supplement_received", at("2025-06-26T08:00:00+07:00")),
    ];
    const state = fold(factsOf(receivedAt, days3, null), events, at("2025-06-26T08:00:00+07:00"));
    expect(state.legalFrame).toBe("decree-61-2018");
    expect(state.supplementPolicy).toBe("pause");
    expect(state.dueAt).toBe(at("2025-06-30T08:00:00+07:00"));
  });
});

/** A transferred dossier suspended at a random instant, looked at some time into the suspension. */
const suspensionCase = fc
  .record({
    receivedAt: fc.integer({ min: at("2024-01-01T00:00:00+07:00"), max: at("2026-06-30T00:00:00+07:00") }),
    duration: durationArb,
    suspendAfter: fc.integer({ min: 2, max: 40 * 1440 }),
    lookAfter: fc.integer({ min: 0, max: 40 * 1440 }),
    policy: fc.constantFrom<SupplementPolicy | null>(null, "pause", "restart"),
  })
  .map(({ receivedAt, duration, suspendAfter, lookAfter, policy }) => {
    const facts = factsOf(receivedAt, duration, policy);
    const transferredAt = receivedAt + MINUTE;
    const suspendedAt = receivedAt + suspendAfter * MINUTE;
    const events = [ev("e1", "transferred", transferredAt, { toAgencyCode: B }), ev("e2", "suspended", suspendedAt, { reason: "financial_obligation" })];
    // The due instant the dossier was suspended against: the running clock just before.
    const dueBefore = fold(facts, events.slice(0, 1), suspendedAt).dueAt;
    return { facts, events, suspendedAt, dueBefore, now: suspendedAt + lookAfter * MINUTE };
  });

describe("a suspended dossier is judged against its due date moved by the pause (DOMAIN.md §6)", () => {
  it("suspending before the due instant never makes a dossier overdue while suspended", () => {
    fc.assert(
      fc.property(
        suspensionCase.filter((c) => c.suspendedAt <= c.dueBefore),
        ({ facts, events, now }) => {
          const state = fold(facts, events, now);
          expect(state.status).toBe("suspended");
          expect(state.overdue).toBe(false);
          // Nor in the stretches behind past periods.
          expect(overdueSpans(facts, events, calendar).filter((s) => s.basis === "committed" && (s.to === null || s.to > events[1]!.occurredAt))).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("suspending after it never makes it within time, for the whole suspension", () => {
    fc.assert(
      fc.property(
        suspensionCase.filter((c) => c.suspendedAt > c.dueBefore),
        ({ facts, events, suspendedAt, now }) => {
          const state = fold(facts, events, now);
          expect(state.overdue).toBe(true);
          expect(state.lateWhenSuspended).toBe(true);
          // One committed stretch, from the due instant, still running through the suspension.
          const committed = overdueSpans(facts, events, calendar).filter((s) => s.basis === "committed");
          expect(committed.at(-1)).toMatchObject({ to: null });
          expect(committed.at(-1)!.from).toBeLessThan(suspendedAt);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("duties' deadlines (DOMAIN.md §10)", () => {
  it("transfer: by the end of the reception's working day before 15:00, else at the next opening (art. 18(2))", () => {
    expect(transferDueAt(calendar, at("2025-07-21T14:59:00+07:00"))).toBe(at("2025-07-21T17:00:00+07:00"));
    expect(transferDueAt(calendar, at("2025-07-21T15:00:00+07:00"))).toBe(at("2025-07-22T07:30:00+07:00"));
    // Friday after 15:00: Monday's opening. Saturday: the next working day, whole.
    expect(transferDueAt(calendar, at("2025-07-25T16:00:00+07:00"))).toBe(at("2025-07-28T07:30:00+07:00"));
    expect(transferDueAt(calendar, at("2025-07-26T10:00:00+07:00"))).toBe(at("2025-07-28T17:00:00+07:00"));
    fc.assert(
      fc.property(fc.integer({ min: at("2025-07-01T00:00:00+07:00"), max: at("2026-12-31T00:00:00+07:00") }), (t) => {
        const due = transferDueAt(calendar, t);
        expect(due).toBeGreaterThan(t);
        // Never later than the end of the next working day after reception.
        const next = calendar.nextWorkingDate(calendar.localDate(calendar.nextWorkingInstant(t)));
        expect(due).toBeLessThanOrEqual(calendar.endOfWorkingDay(next));
      }),
    );
  });

  it("extension request: in time exactly when dated before the due date's calendar date (art. 19(6))", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: at("2025-07-01T00:00:00+07:00"), max: at("2026-12-31T00:00:00+07:00") }),
        fc.integer({ min: -20 * 1440, max: 5 * 1440 }),
        (due, offsetMinutes) => {
          const issued = due + offsetMinutes * MINUTE;
          expect(extensionRequestedInTime(calendar, issued, due)).toBe(calendar.localDate(issued) < calendar.localDate(due));
        },
      ),
    );
  });

  it("a duty is done in time when done by its deadline, overdue when not done past it", () => {
    expect(dutyStatus({ dueAt: 10, doneAt: 10 }, 99)).toBe("done_in_time");
    expect(dutyStatus({ dueAt: 10, doneAt: 11 }, 99)).toBe("done_late");
    expect(dutyStatus({ dueAt: 10, doneAt: null }, 10)).toBe("pending");
    expect(dutyStatus({ dueAt: 10, doneAt: null }, 11)).toBe("overdue");
  });
});
