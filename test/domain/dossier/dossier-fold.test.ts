/**
 * The dossier fold as a specification, with exact instants on the real Vietnamese civil-service
 * calendar (DEFAULT_CALENDAR_RULES: Mon–Fri 07:30–11:30 and 13:00–17:00; 2025 holidays of
 * DOMAIN.md §7). 2025-03-03 is a Monday. Every expected instant was worked out by hand first.
 */
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { DEFAULT_CALENDAR_RULES, VN_TIME_ZONE } from "../../../src/domain/calendar/calendar-defaults.js";
import { vnDaysOfYear } from "../../../src/domain/calendar/calendar-days.js";
import type { Duration } from "../../../src/domain/calendar/calendar-types.js";
import { createWorkingCalendar } from "../../../src/domain/calendar/working-calendar.js";
import { computeDueAt, foldDossier, orderEvents } from "../../../src/domain/dossier/dossier-fold.js";
import type { DossierFacts, DossierState, FoldResult, StepRecord } from "../../../src/domain/dossier/dossier-fold.js";
import type { DossierEvent, Outcome, SuspensionReason } from "../../../src/domain/dossier/dossier-types.js";
import type { ProcedureStep, SupplementPolicy } from "../../../src/domain/procedure/procedure-types.js";

const calendar = createWorkingCalendar(DEFAULT_CALENDAR_RULES, vnDaysOfYear);

/** "2025-03-03T08:00:00+07:00" -> epoch ms. */
const at = (iso: string): number => {
  const dt = DateTime.fromISO(iso, { setZone: true });
  if (!dt.isValid) throw new Error(`bad instant in test: ${iso}`);
  return dt.toMillis();
};
/** epoch ms -> "2025-03-03T08:00:00+07:00". */
const show = (t: number | null): string | null =>
  t === null ? null : (DateTime.fromMillis(t, { zone: VN_TIME_ZONE }).toISO({ suppressMilliseconds: true, includeOffset: true }) as string);

const RECEIVING = "000.00.12.H22"; // a commune-level one-stop-shop desk
const HANDLING = "000.00.05.H22"; // the department that decides
const TAX = "000.20.34.H22"; // tax office: an inter-agency step
const OTHER = "000.00.07.H22";

const days = (value: number): Duration => ({ value, unit: "working_days" });
const hours = (value: number): Duration => ({ value, unit: "working_hours" });
const MON_0800 = "2025-03-03T08:00:00+07:00";

function facts(options: {
  receivedAt?: string;
  committed?: Duration;
  legal?: Duration;
  policy?: SupplementPolicy;
  steps?: readonly ProcedureStep[];
  originalDueAt?: string;
} = {}): DossierFacts {
  const receivedAt = at(options.receivedAt ?? MON_0800);
  const committed = options.committed ?? days(3);
  return {
    receivedAt,
    receivingAgencyCode: RECEIVING,
    handlingAgencyCode: HANDLING,
    committedDuration: committed,
    legalDuration: options.legal ?? days(5),
    supplementPolicy: options.policy ?? "pause",
    supplementCompletion: null,
    channel: "direct",
    submittedAt: null,
    steps: options.steps ?? [],
    originalDueAt:
      options.originalDueAt !== undefined
        ? at(options.originalDueAt)
        : computeDueAt(calendar, calendar.nextWorkingInstant(receivedAt), committed),
  };
}

// ---- events (ids default to type@instant, unique within these histories) ----------------------
const base = (type: string, when: string, id?: string) => ({ eventId: id ?? `${type}@${when}`, occurredAt: at(when), agencyCode: HANDLING });
const transferred = (when: string, toAgencyCode: string, stepCode?: string, id?: string): DossierEvent => ({
  ...base("transferred", when, id),
  type: "transferred",
  toAgencyCode,
  ...(stepCode !== undefined ? { stepCode } : {}),
});
const supplementRequested = (when: string): DossierEvent => ({ ...base("supplement_requested", when), type: "supplement_requested", reason: "missing site plan" });
const supplementReceived = (when: string): DossierEvent => ({ ...base("supplement_received", when), type: "supplement_received" });
const suspended = (when: string, reason: SuspensionReason = "financial_obligation"): DossierEvent => ({ ...base("suspended", when), type: "suspended", reason });
const resumed = (when: string): DossierEvent => ({ ...base("resumed", when), type: "resumed" });
const resultReady = (when: string, outcome: Outcome = "approved"): DossierEvent => ({ ...base("result_ready", when), type: "result_ready", outcome });
const returned = (when: string): DossierEvent => ({ ...base("returned", when), type: "returned", method: "counter" });
const withdrawalRequested = (when: string): DossierEvent => ({ ...base("withdrawal_requested", when), type: "withdrawal_requested" });
const stopped = (when: string): DossierEvent => ({ ...base("stopped", when), type: "stopped", reason: "the applicant withdrew the dossier" });
const cancelled = (when: string): DossierEvent => ({ ...base("cancelled", when), type: "cancelled" });

function fold(f: DossierFacts, events: readonly DossierEvent[], now: string): DossierState {
  const result = foldDossier(f, events, calendar, at(now), 480);
  if (!result.ok) throw new Error(`expected the history to fold: ${result.violation.rule}: ${result.violation.message}`);
  return result.state;
}

function refused(result: FoldResult): { eventId: string; rule: string; message: string } {
  if (result.ok) throw new Error("expected a violation");
  return result.violation;
}

/** A control-sheet line, readable. */
const line = (r: StepRecord | null) =>
  r === null
    ? null
    : {
        code: r.code,
        agency: r.agencyCode,
        entered: show(r.enteredAt),
        left: show(r.leftAt),
        budget: r.budgetMinutes,
        used: r.usedMinutes,
        due: show(r.dueAt),
        timeliness: r.timeliness,
        overdue: r.overdue,
      };

const THREE_DAY_STEPS: readonly ProcedureStep[] = [
  { code: "reception", name: "Tiếp nhận hồ sơ", budget: days(0.25) },
  { code: "review", name: "Thẩm định", budget: days(1) },
  { code: "approval", name: "Lãnh đạo phê duyệt", budget: hours(2) },
  { code: "tax", name: "Xác định nghĩa vụ tài chính", agencyCode: TAX, budget: days(1) },
  { code: "registry", name: "Vào sổ, đóng dấu", budget: days(0.25) },
];

describe("the clock at reception (DOMAIN.md §4 'Start')", () => {
  it("a fresh dossier: received, due 3 working days later, nothing else happened", () => {
    const state = fold(facts(), [], "2025-03-03T09:00:00+07:00");
    expect(state).toMatchObject({
      status: "received",
      nationalStatusCode: 2,
      statusLabel: { vi: "Đã tiếp nhận", en: "Received" },
      finishedAt: null,
      returnedAt: null,
      stoppedAt: null,
      cancelledAt: null,
      outcome: null,
      timeliness: null,
      legalTimeliness: null,
      overdue: false,
      paused: false,
      pausedMinutes: 0,
      supplementRequests: 0,
      supplementRequestFlagged: false,
      currentAgencyCode: HANDLING,
      responsibleAgencyCode: null,
      timeline: [],
      eventCount: 0,
    });
    expect(show(state.clockStartedAt)).toBe("2025-03-03T08:00:00+07:00");
    // Mon 08:00–11:30 + 13:00–17:00 = 450 min, Tue 480, Wed 480 -> 1410; 30 more on Thu.
    expect(show(state.dueAt)).toBe("2025-03-06T08:00:00+07:00");
    expect(show(state.originalDueAt)).toBe("2025-03-06T08:00:00+07:00");
    // 5 days: 450 + 4 × 480 = 2370 by Fri evening; 30 more on Mon 10.
    expect(show(state.legalDueAt)).toBe("2025-03-10T08:00:00+07:00");
    expect(state.history).toEqual([{ status: "received", at: at(MON_0800) }]);
  });

  it("starts the clock at the next working instant: a Saturday reception counts from Monday 07:30", () => {
    const state = fold(facts({ receivedAt: "2025-03-08T10:00:00+07:00", committed: days(1) }), [], "2025-03-08T10:00:00+07:00");
    expect(show(state.clockStartedAt)).toBe("2025-03-10T07:30:00+07:00");
    expect(show(state.dueAt)).toBe("2025-03-10T17:00:00+07:00"); // 480 min used up at closing, not next morning
    // History keeps the real reception instant; only the clock moves.
    expect(state.history).toEqual([{ status: "received", at: at("2025-03-08T10:00:00+07:00") }]);
  });

  it("a reception in the lunch break starts at 13:00", () => {
    const state = fold(facts({ receivedAt: "2025-03-04T12:10:00+07:00", committed: hours(4) }), [], "2025-03-04T12:10:00+07:00");
    expect(show(state.clockStartedAt)).toBe("2025-03-04T13:00:00+07:00");
    expect(show(state.dueAt)).toBe("2025-03-04T17:00:00+07:00");
  });

  it("skips the real 2025 holidays: received Tue 29 Apr 16:00, 1 working day -> Mon 5 May 16:00 (30 Apr–4 May off)", () => {
    const state = fold(facts({ receivedAt: "2025-04-29T16:00:00+07:00", committed: days(1), legal: days(1) }), [], "2025-04-29T16:00:00+07:00");
    // Tue 16:00–17:00 = 60; Mon 5 May 07:30–11:30 = 240, 13:00 + 180.
    expect(show(state.dueAt)).toBe("2025-05-05T16:00:00+07:00");
  });

  it("passes originalDueAt through unchanged, even when the calendar would now say otherwise", () => {
    const state = fold(facts({ originalDueAt: "2025-03-05T17:00:00+07:00" }), [], "2025-03-03T09:00:00+07:00");
    expect(show(state.originalDueAt)).toBe("2025-03-05T17:00:00+07:00");
    expect(show(state.dueAt)).toBe("2025-03-06T08:00:00+07:00");
  });

  it("computeDueAt gives the same due from receivedAt or from its next working instant, for every unit", () => {
    const sat = at("2025-03-08T10:00:00+07:00");
    for (const d of [days(2.5), hours(3), { value: 15, unit: "calendar_days" } as Duration, { value: 0, unit: "same_day" } as Duration]) {
      expect(computeDueAt(calendar, sat, d)).toBe(computeDueAt(calendar, calendar.nextWorkingInstant(sat), d));
    }
    // Tolerated zero budget: due at the clock start, never NaN.
    expect(show(computeDueAt(calendar, sat, days(0)))).toBe("2025-03-10T07:30:00+07:00");
  });
});

describe("pauses (DOMAIN.md §4 'Pauses')", () => {
  it("a supplement request pauses the clock: 600 working minutes paused move the due from Thu 08:00 to Fri 10:00", () => {
    const events = [
      transferred("2025-03-03T09:00:00+07:00", HANDLING),
      supplementRequested("2025-03-04T08:00:00+07:00"),
      supplementReceived("2025-03-05T10:00:00+07:00"),
    ];
    const state = fold(facts(), events, "2025-03-05T11:00:00+07:00");
    // Paused Tue 08:00–11:30 (210) + 13:00–17:00 (240) + Wed 07:30–10:00 (150) = 600.
    // (The brief's "480 + 150 = 630" counted Tuesday from 07:30; the request came at 08:00.)
    expect(state.pausedMinutes).toBe(600);
    // Thu 08:00–11:30 = 210, 13:00–17:00 = 240 -> 450; 150 more from Fri 07:30.
    expect(show(state.dueAt)).toBe("2025-03-07T10:00:00+07:00");
    // Legal: Mon 10 08:00 + 600 -> Mon 210 + 240, Tue 11 07:30 + 150.
    expect(show(state.legalDueAt)).toBe("2025-03-11T10:00:00+07:00");
    expect(show(state.originalDueAt)).toBe("2025-03-06T08:00:00+07:00");
    expect(show(state.clockStartedAt)).toBe("2025-03-03T08:00:00+07:00");
    expect(state).toMatchObject({ status: "in_progress", nationalStatusCode: 4, paused: false, supplementRequests: 1, supplementRequestFlagged: false });
    expect(state.history.map((h) => [h.status, show(h.at)])).toEqual([
      ["received", "2025-03-03T08:00:00+07:00"],
      ["in_progress", "2025-03-03T09:00:00+07:00"],
      ["supplement_requested", "2025-03-04T08:00:00+07:00"],
      ["in_progress", "2025-03-05T10:00:00+07:00"],
    ]);
  });

  it("moves a calendar-days due by the paused working time too", () => {
    const f = facts({ committed: { value: 15, unit: "calendar_days" }, legal: { value: 15, unit: "calendar_days" } });
    const events = [
      transferred("2025-03-03T09:00:00+07:00", HANDLING),
      supplementRequested("2025-03-04T08:00:00+07:00"),
      supplementReceived("2025-03-05T10:00:00+07:00"),
    ];
    expect(show(f.originalDueAt)).toBe("2025-03-18T17:00:00+07:00"); // 3 Mar + 15 days = Tue 18 Mar, end of day
    // + 600: Wed 19 Mar 480, Thu 20 Mar 07:30 + 120.
    expect(show(fold(f, events, "2025-03-06T08:00:00+07:00").dueAt)).toBe("2025-03-20T09:30:00+07:00");
  });

  it("a suspension for a financial obligation pauses the clock and reports national code 6", () => {
    const f = facts();
    const events = [transferred("2025-03-03T09:00:00+07:00", HANDLING), suspended("2025-03-03T15:00:00+07:00")];
    const during = fold(f, events, "2025-03-03T16:00:00+07:00");
    expect(during).toMatchObject({ status: "suspended", nationalStatusCode: 6, paused: true, pausedMinutes: 60 });
    expect(during.statusLabel.vi).toBe("Tạm dừng xử lý");

    const after = fold(f, [...events, resumed("2025-03-04T09:00:00+07:00")], "2025-03-04T10:00:00+07:00");
    // Mon 15:00–17:00 (120) + Tue 07:30–09:00 (90) = 210: Thu 08:00 + 210 ends exactly at the lunch break.
    expect(after.pausedMinutes).toBe(210);
    expect(show(after.dueAt)).toBe("2025-03-06T11:30:00+07:00");
    expect(after).toMatchObject({ status: "in_progress", nationalStatusCode: 4, paused: false });
  });

  it("a suspension for another reason is still a pause, reported to the portal as 4 (being processed)", () => {
    const state = fold(facts(), [transferred("2025-03-03T09:00:00+07:00", HANDLING), suspended("2025-03-03T15:00:00+07:00", "other")], "2025-03-03T16:00:00+07:00");
    expect(state).toMatchObject({ status: "suspended", nationalStatusCode: 4, paused: true });
  });

  it("an open pause counts up to now: the due keeps moving and the dossier is never overdue", () => {
    const f = facts();
    const events = [transferred("2025-03-03T09:00:00+07:00", HANDLING), supplementRequested("2025-03-05T08:00:00+07:00")];
    // Now is past the original due (Thu 06 08:00).
    const monday = fold(f, events, "2025-03-10T09:00:00+07:00");
    // Wed 450 + Thu 480 + Fri 480 + Mon 07:30–09:00 90 = 1500.
    expect(monday.pausedMinutes).toBe(1500);
    // 480 minutes were left when the request came (Wed 08:00 -> Thu 08:00); they run from now.
    expect(show(monday.dueAt)).toBe("2025-03-11T09:00:00+07:00");
    expect(monday).toMatchObject({ status: "supplement_requested", nationalStatusCode: 5, paused: true, overdue: false, responsibleAgencyCode: null });

    const tuesday = fold(f, events, "2025-03-11T09:00:00+07:00");
    expect(tuesday.pausedMinutes).toBe(1980);
    expect(show(tuesday.dueAt)).toBe("2025-03-12T09:00:00+07:00");
    expect(tuesday.overdue).toBe(false);
  });

  it("RESTART policy: the full duration starts again when the supplement arrives", () => {
    const f = facts({ policy: "restart" });
    const events = [
      transferred("2025-03-03T09:00:00+07:00", HANDLING),
      supplementRequested("2025-03-04T08:00:00+07:00"),
      supplementReceived("2025-03-05T10:00:00+07:00"),
    ];
    const restarted = fold(f, events, "2025-03-05T11:00:00+07:00");
    expect(show(restarted.clockStartedAt)).toBe("2025-03-05T10:00:00+07:00");
    // Wed 10:00–11:30 90 + 240, Thu 480, Fri 480 -> 1290; Mon 10 07:30 + 150.
    expect(show(restarted.dueAt)).toBe("2025-03-10T10:00:00+07:00");
    // Legal 2400: + Mon 480 + Tue 480 -> 2250; Wed 12 07:30 + 150.
    expect(show(restarted.legalDueAt)).toBe("2025-03-12T10:00:00+07:00");
    expect(restarted.pausedMinutes).toBe(600); // still reported: the applicant's time
    expect(show(restarted.originalDueAt)).toBe("2025-03-06T08:00:00+07:00");

    // A later suspension still moves the restarted clock: Mon 08:00–11:30 210 + 13:00–14:00 60 = 270.
    const suspendedLater = fold(f, [...events, suspended("2025-03-10T08:00:00+07:00"), resumed("2025-03-10T14:00:00+07:00")], "2025-03-10T15:00:00+07:00");
    expect(suspendedLater.pausedMinutes).toBe(870);
    expect(show(suspendedLater.dueAt)).toBe("2025-03-10T16:00:00+07:00"); // Mon 10:00 + 90 to lunch + 180
    expect(show(suspendedLater.legalDueAt)).toBe("2025-03-12T16:00:00+07:00");
  });

  it("a restart on a supplement received after hours counts from the next morning", () => {
    const events = [
      transferred("2025-03-03T09:00:00+07:00", HANDLING),
      supplementRequested("2025-03-04T08:00:00+07:00"),
      supplementReceived("2025-03-07T18:30:00+07:00"), // Friday evening
    ];
    const state = fold(facts({ policy: "restart", committed: days(1) }), events, "2025-03-08T09:00:00+07:00");
    expect(show(state.clockStartedAt)).toBe("2025-03-10T07:30:00+07:00");
    expect(show(state.dueAt)).toBe("2025-03-10T17:00:00+07:00");
  });

  it("a second supplement request is recorded but flagged (DOMAIN.md §3: only once)", () => {
    const events = [
      transferred("2025-03-03T09:00:00+07:00", HANDLING),
      supplementRequested("2025-03-03T10:00:00+07:00"),
      supplementReceived("2025-03-03T11:00:00+07:00"),
      supplementRequested("2025-03-04T10:00:00+07:00"),
      supplementReceived("2025-03-04T11:00:00+07:00"),
    ];
    const state = fold(facts(), events, "2025-03-04T12:00:00+07:00");
    expect(state).toMatchObject({ supplementRequests: 2, supplementRequestFlagged: true, pausedMinutes: 120, status: "in_progress" });
    expect(show(state.dueAt)).toBe("2025-03-06T10:00:00+07:00");
  });

  it("a withdrawal ends the pause; the stopped dossier has no timeliness and is never overdue", () => {
    const events = [
      transferred("2025-03-03T09:00:00+07:00", HANDLING),
      supplementRequested("2025-03-04T08:00:00+07:00"),
      withdrawalRequested("2025-03-04T10:00:00+07:00"),
    ];
    const asked = fold(facts(), events, "2025-03-06T10:00:00+07:00");
    expect(asked).toMatchObject({ status: "withdrawal_requested", nationalStatusCode: 7, paused: false, pausedMinutes: 120 });
    expect(show(asked.dueAt)).toBe("2025-03-06T10:00:00+07:00"); // Thu 08:00 + 120

    const done = fold(facts(), [...events, stopped("2025-03-05T09:00:00+07:00")], "2025-03-20T10:00:00+07:00");
    expect(done).toMatchObject({
      status: "stopped",
      nationalStatusCode: 8,
      statusLabel: { vi: "Dừng xử lý", en: "Stopped" },
      timeliness: null,
      legalTimeliness: null,
      overdue: false,
      finishedAt: null,
      currentStep: null,
      responsibleAgencyCode: null,
    });
    expect(show(done.stoppedAt)).toBe("2025-03-05T09:00:00+07:00");
    expect(show(done.dueAt)).toBe("2025-03-06T10:00:00+07:00"); // frozen: no more running pause
  });
});

describe("timeliness (DOMAIN.md §6) and overdue", () => {
  const handled = (finish: string) => [transferred("2025-03-03T09:00:00+07:00", HANDLING), resultReady(finish)];

  it.each([
    ["early: a date before the due date", "2025-03-05T16:00:00+07:00", "early"],
    ["on time: the due date, even after the due hour (08:00)", "2025-03-06T16:30:00+07:00", "on_time"],
    ["on time: exactly at the due instant", "2025-03-06T08:00:00+07:00", "on_time"],
    ["late: the next working morning", "2025-03-07T07:45:00+07:00", "late"],
  ] as const)("%s", (_what, finish, expected) => {
    const state = fold(facts(), handled(finish), "2025-03-10T08:00:00+07:00");
    expect(state.timeliness).toBe(expected);
    expect(state.finishedAt).toBe(at(finish));
    expect(state).toMatchObject({ status: "result_ready", nationalStatusCode: 9, outcome: "approved", overdue: false, currentStep: null });
  });

  it("judges against both deadlines: late against the committed 3 days, early against the legal 5", () => {
    const state = fold(facts(), handled("2025-03-07T10:00:00+07:00"), "2025-03-07T10:00:00+07:00");
    expect(state.timeliness).toBe("late");
    expect(state.legalTimeliness).toBe("early");
    // Late without a late step: the handling agency owed the result.
    expect(state.responsibleAgencyCode).toBe(HANDLING);
  });

  it("a refused application is finished too, and the return keeps its timeliness", () => {
    const events = [...handled("2025-03-05T16:00:00+07:00").slice(0, 1), resultReady("2025-03-05T16:00:00+07:00", "refused"), returned("2025-03-06T09:00:00+07:00")];
    const state = fold(facts(), events, "2025-03-06T09:00:00+07:00");
    expect(state).toMatchObject({ status: "returned", nationalStatusCode: 10, outcome: "refused", timeliness: "early" });
    expect(show(state.returnedAt)).toBe("2025-03-06T09:00:00+07:00");
  });

  it("an open dossier is overdue only strictly after its due instant, and the holder answers for it", () => {
    const events = [transferred("2025-03-03T09:00:00+07:00", OTHER)];
    expect(fold(facts(), events, "2025-03-06T08:00:00+07:00")).toMatchObject({ overdue: false, responsibleAgencyCode: null });
    const late = fold(facts(), events, "2025-03-06T08:01:00+07:00");
    expect(late).toMatchObject({ overdue: true, timeliness: null, currentAgencyCode: OTHER, responsibleAgencyCode: OTHER });
  });

  it("a dossier still at reception, overdue, is the handling agency's (no transfer yet)", () => {
    expect(fold(facts(), [], "2025-03-07T08:00:00+07:00")).toMatchObject({ overdue: true, currentAgencyCode: HANDLING, responsibleAgencyCode: HANDLING });
  });

  it("cancellation (an admin correction) has no national code and is neither overdue nor running", () => {
    const state = fold(facts(), [transferred("2025-03-03T09:00:00+07:00", HANDLING), cancelled("2025-03-03T10:00:00+07:00")], "2025-03-20T08:00:00+07:00");
    expect(state).toMatchObject({ status: "cancelled", nationalStatusCode: null, statusLabel: { vi: "Đã hủy", en: "Cancelled" }, overdue: false, currentStep: null });
    expect(show(state.cancelledAt)).toBe("2025-03-03T10:00:00+07:00");
    expect(state.steps.every((s) => s.leftAt !== null)).toBe(true);
  });

  it("a dossier may be finished straight from reception", () => {
    const state = fold(facts(), [resultReady("2025-03-03T10:00:00+07:00")], "2025-03-03T10:00:00+07:00");
    expect(state).toMatchObject({ status: "result_ready", timeliness: "early" });
    expect(state.history.map((h) => h.status)).toEqual(["received", "result_ready"]);
  });
});

describe("steps: the process control sheet (DOMAIN.md §4 'Steps')", () => {
  const events = [
    transferred("2025-03-03T09:30:00+07:00", HANDLING), // -> review (the next step)
    transferred("2025-03-03T14:00:00+07:00", HANDLING), // -> approval
    transferred("2025-03-03T15:00:00+07:00", TAX, "tax"), // inter-agency: the tax office
    transferred("2025-03-06T10:00:00+07:00", HANDLING), // -> registry, two days late
    resultReady("2025-03-07T09:00:00+07:00"),
  ];

  it("logs each hand-off with its budget, used time and early / on time / late", () => {
    const state = fold(facts({ steps: THREE_DAY_STEPS }), events, "2025-03-07T09:00:00+07:00");
    expect(state.steps.map(line)).toEqual([
      { code: "reception", agency: RECEIVING, entered: "2025-03-03T08:00:00+07:00", left: "2025-03-03T09:30:00+07:00", budget: 120, used: 90, due: "2025-03-03T10:00:00+07:00", timeliness: "on_time", overdue: false },
      // 1 day from Mon 09:30: 120 + 240 on Monday, Tue 07:30 + 120. Left on Monday: early.
      { code: "review", agency: HANDLING, entered: "2025-03-03T09:30:00+07:00", left: "2025-03-03T14:00:00+07:00", budget: 480, used: 180, due: "2025-03-04T09:30:00+07:00", timeliness: "early", overdue: false },
      { code: "approval", agency: HANDLING, entered: "2025-03-03T14:00:00+07:00", left: "2025-03-03T15:00:00+07:00", budget: 120, used: 60, due: "2025-03-03T16:00:00+07:00", timeliness: "on_time", overdue: false },
      // Mon 15:00–17:00 120, Tue 07:30–11:30 240, 13:00 + 120 -> due Tue 15:00; used 120 + 480 + 480 + 150.
      { code: "tax", agency: TAX, entered: "2025-03-03T15:00:00+07:00", left: "2025-03-06T10:00:00+07:00", budget: 480, used: 1230, due: "2025-03-04T15:00:00+07:00", timeliness: "late", overdue: false },
      // Thu 10:00 + 120 -> 90 to lunch, 13:00 + 30; used Thu 330 + Fri 90.
      { code: "registry", agency: HANDLING, entered: "2025-03-06T10:00:00+07:00", left: "2025-03-07T09:00:00+07:00", budget: 120, used: 420, due: "2025-03-06T13:30:00+07:00", timeliness: "late", overdue: false },
    ]);
    expect(state.steps.map((s) => s.enteredByEventId)).toEqual([null, ...events.slice(0, 4).map((e) => e.eventId)]);
    expect(state.steps.map((s) => s.name)).toEqual(THREE_DAY_STEPS.map((s) => s.name));
    // The first step that overran was the tax office's: it owes the apology, not the holder.
    expect(state).toMatchObject({ timeliness: "late", responsibleAgencyCode: TAX, currentAgencyCode: HANDLING, currentStep: null });
  });

  it("gives each transfer in the timeline the step it left; other events none", () => {
    const state = fold(facts({ steps: THREE_DAY_STEPS }), events, "2025-03-07T09:00:00+07:00");
    expect(state.timeline.map((e) => [e.eventId, e.statusAfter, e.step?.code ?? null, e.step?.timeliness ?? null])).toEqual([
      [events[0]!.eventId, "in_progress", "reception", "on_time"],
      [events[1]!.eventId, "in_progress", "review", "early"],
      [events[2]!.eventId, "in_progress", "approval", "on_time"],
      [events[3]!.eventId, "in_progress", "tax", "late"],
      [events[4]!.eventId, "result_ready", null, null],
    ]);
    expect(state.timeline[3]!.step).toEqual(state.steps[3]);
    expect(state.eventCount).toBe(5);
  });

  it("shows the current step while it runs, and a step past its due as overdue and responsible", () => {
    const running = fold(facts({ steps: THREE_DAY_STEPS }), events.slice(0, 3), "2025-03-05T08:00:00+07:00");
    expect(line(running.currentStep)).toEqual({
      code: "tax", agency: TAX, entered: "2025-03-03T15:00:00+07:00", left: null, budget: 480, used: 630,
      due: "2025-03-04T15:00:00+07:00", timeliness: null, overdue: true,
    });
    // The dossier itself is still within its time (due Thu 08:00), but the tax office is late.
    expect(running).toMatchObject({ overdue: false, currentAgencyCode: TAX, responsibleAgencyCode: TAX });
  });

  it("a hand-off after closing on the due date used no extra working time: on time, not late", () => {
    // approval: 0.25 day entered Mon 15:00 -> due Mon 17:00; handed off at 17:30 the same evening.
    const late = [transferred("2025-03-03T09:30:00+07:00", HANDLING), transferred("2025-03-03T15:00:00+07:00", HANDLING), transferred("2025-03-03T17:30:00+07:00", TAX, "tax")];
    const state = fold(facts({ steps: THREE_DAY_STEPS }), late, "2025-03-03T17:30:00+07:00");
    expect(line(state.steps[2]!)).toMatchObject({ code: "approval", used: 120, budget: 120, due: "2025-03-03T17:00:00+07:00", timeliness: "on_time" });
    // …and one handed off the next morning before opening is still on time, not "early".
    const nextMorning = [late[0]!, late[1]!, transferred("2025-03-04T07:00:00+07:00", TAX, "tax")];
    expect(fold(facts({ steps: THREE_DAY_STEPS }), nextMorning, "2025-03-04T07:00:00+07:00").steps[2]!.timeliness).toBe("on_time");
  });

  it("the reception step can overrun at the desk", () => {
    const state = fold(facts({ steps: THREE_DAY_STEPS }), [], "2025-03-03T10:30:00+07:00");
    expect(line(state.currentStep)).toMatchObject({ code: "reception", agency: RECEIVING, used: 150, due: "2025-03-03T10:00:00+07:00", overdue: true });
    expect(state.responsibleAgencyCode).toBe(RECEIVING);
  });

  it("a pause inside a step is excluded from its used time and moves its due", () => {
    const steps: ProcedureStep[] = [
      { code: "reception", name: "Tiếp nhận", budget: days(0.25) },
      { code: "review", name: "Thẩm định", budget: days(1) },
    ];
    const state = fold(facts({ steps }), [
      transferred("2025-03-03T09:00:00+07:00", HANDLING),
      supplementRequested("2025-03-03T14:00:00+07:00"),
      supplementReceived("2025-03-04T10:00:00+07:00"),
      resultReady("2025-03-04T15:00:00+07:00"),
    ], "2025-03-04T15:00:00+07:00");
    // Review: due Tue 09:00 (390 on Monday + 90); paused Mon 14–17 180 + Tue 07:30–10:00 150 = 330
    // -> Tue 09:00 + 330 = 16:00; used 750 − 330 = 420.
    expect(state.steps.map(line)).toEqual([
      { code: "reception", agency: RECEIVING, entered: "2025-03-03T08:00:00+07:00", left: "2025-03-03T09:00:00+07:00", budget: 120, used: 60, due: "2025-03-03T10:00:00+07:00", timeliness: "on_time", overdue: false },
      { code: "review", agency: HANDLING, entered: "2025-03-03T09:00:00+07:00", left: "2025-03-04T15:00:00+07:00", budget: 480, used: 420, due: "2025-03-04T16:00:00+07:00", timeliness: "on_time", overdue: false },
    ]);
    expect(show(state.dueAt)).toBe("2025-03-06T15:00:00+07:00"); // Thu 08:00 + 330
    expect(state).toMatchObject({ timeliness: "early", responsibleAgencyCode: null });
  });

  it("refuses a transfer to a step the procedure does not define", () => {
    const bad = transferred("2025-03-03T09:00:00+07:00", HANDLING, "appraisal");
    expect(refused(foldDossier(facts({ steps: THREE_DAY_STEPS }), [bad], calendar, at("2025-03-03T10:00:00+07:00")))).toEqual({
      eventId: bad.eventId,
      rule: "unknown_step",
      message: 'a transferred event at 2025-03-03T09:00:00+07:00 names step "appraisal", which the procedure does not define (defined: reception, review, approval, tax, registry)',
    });
    expect(refused(foldDossier(facts(), [bad], calendar, at("2025-03-03T10:00:00+07:00"))).rule).toBe("unknown_step");
  });

  it("without defined steps, logs who had the dossier as unbudgeted hand-offs", () => {
    const state = fold(facts(), [transferred("2025-03-03T09:00:00+07:00", HANDLING), transferred("2025-03-04T10:00:00+07:00", OTHER)], "2025-03-05T08:00:00+07:00");
    expect(state.steps.map(line)).toEqual([
      { code: null, agency: RECEIVING, entered: "2025-03-03T08:00:00+07:00", left: "2025-03-03T09:00:00+07:00", budget: null, used: 60, due: null, timeliness: null, overdue: false },
      { code: null, agency: HANDLING, entered: "2025-03-03T09:00:00+07:00", left: "2025-03-04T10:00:00+07:00", budget: null, used: 540, due: null, timeliness: null, overdue: false },
      { code: null, agency: OTHER, entered: "2025-03-04T10:00:00+07:00", left: null, budget: null, used: 360, due: null, timeliness: null, overdue: false },
    ]);
    expect(state.currentStep).toEqual(state.steps[2]);
    expect(state.currentAgencyCode).toBe(OTHER);
    expect(state.timeline[1]!.step).toEqual(state.steps[1]);
  });

  it("follows a step code back for rework, then the list again, and past the last step hands off unbudgeted", () => {
    const steps = THREE_DAY_STEPS.slice(0, 3);
    const state = fold(facts({ steps }), [
      transferred("2025-03-03T09:00:00+07:00", HANDLING), // review
      transferred("2025-03-03T10:00:00+07:00", HANDLING), // approval
      transferred("2025-03-03T11:00:00+07:00", HANDLING, "review"), // sent back
      transferred("2025-03-03T13:30:00+07:00", HANDLING), // approval again
      transferred("2025-03-03T14:00:00+07:00", OTHER), // past the last step
    ], "2025-03-03T15:00:00+07:00");
    expect(state.steps.map((s) => [s.code, s.agencyCode, s.budgetMinutes])).toEqual([
      ["reception", RECEIVING, 120],
      ["review", HANDLING, 480],
      ["approval", HANDLING, 120],
      ["review", HANDLING, 480],
      ["approval", HANDLING, 120],
      [null, OTHER, null],
    ]);
  });

  it("converts working-day budgets with the calendar's working day unless told otherwise", () => {
    const steps: ProcedureStep[] = [{ code: "reception", name: "Tiếp nhận", budget: days(0.5) }];
    const f = facts({ steps });
    expect(foldDossier(f, [], calendar, at(MON_0800))).toMatchObject({ ok: true, state: { currentStep: { budgetMinutes: 240 } } });
    expect(foldDossier(f, [], calendar, at(MON_0800), 420)).toMatchObject({ ok: true, state: { currentStep: { budgetMinutes: 210 } } });
  });
});

describe("canonical order and refused histories (DOMAIN.md §4 'Retroactive events')", () => {
  it("refuses an event before reception", () => {
    const early = transferred("2025-03-03T07:59:00+07:00", HANDLING);
    expect(refused(foldDossier(facts(), [early], calendar, at("2025-03-03T09:00:00+07:00")))).toEqual({
      eventId: early.eventId,
      rule: "before_reception",
      message: "a transferred event at 2025-03-03T07:59:00+07:00 is before the dossier was received at 2025-03-03T08:00:00+07:00",
    });
    // At the reception instant itself is fine.
    expect(foldDossier(facts(), [transferred(MON_0800, HANDLING)], calendar, at(MON_0800)).ok).toBe(true);
  });

  it("reports the first event that breaks the lifecycle, with its id", () => {
    const events = [transferred("2025-03-03T09:00:00+07:00", HANDLING), supplementReceived("2025-03-04T10:00:00+07:00")];
    expect(refused(foldDossier(facts(), events, calendar, at("2025-03-05T08:00:00+07:00")))).toEqual({
      eventId: events[1]!.eventId,
      rule: "invalid_transition",
      message: "a supplement_received event needs the dossier to be supplement_requested, but it is in_progress at 2025-03-04T10:00:00+07:00",
    });
  });

  it("refuses two events with the same id", () => {
    const a = transferred("2025-03-03T09:00:00+07:00", HANDLING, undefined, "same");
    const b = transferred("2025-03-03T10:00:00+07:00", OTHER, undefined, "same");
    expect(refused(foldDossier(facts(), [a, b], calendar, at("2025-03-03T11:00:00+07:00"))).rule).toBe("duplicate_event");
  });

  it("accepts a late-synced event that fits the history, with the same result as in-order delivery", () => {
    const inOrder = [
      transferred("2025-03-03T09:00:00+07:00", HANDLING),
      supplementRequested("2025-03-04T08:00:00+07:00"),
      supplementReceived("2025-03-05T10:00:00+07:00"),
      resultReady("2025-03-06T15:00:00+07:00"),
      returned("2025-03-07T09:00:00+07:00"),
    ];
    const asSynced = [inOrder[4]!, inOrder[0]!, inOrder[3]!, inOrder[2]!, inOrder[1]!];
    expect(fold(facts(), asSynced, "2025-03-08T09:00:00+07:00")).toEqual(fold(facts(), inOrder, "2025-03-08T09:00:00+07:00"));
    expect(orderEvents(asSynced)).toEqual(inOrder);
  });

  it("breaks occurredAt ties by lifecycle rank, whatever the arrival order", () => {
    const t = "2025-03-03T09:00:00+07:00";
    // A transfer and the result at the same instant: transfer first (result_ready from received
    // would also be valid, so the rank, not luck, decides what the sheet shows).
    const pair = [resultReady(t), transferred(t, HANDLING)];
    const a = fold(facts(), pair, t);
    expect(a).toEqual(fold(facts(), [...pair].reverse(), t));
    expect(a.timeline.map((e) => e.statusAfter)).toEqual(["in_progress", "result_ready"]);
    expect(a.steps).toHaveLength(2);

    // A request answered within the same millisecond: a pause of zero.
    const instant = [supplementReceived("2025-03-03T10:00:00+07:00"), supplementRequested("2025-03-03T10:00:00+07:00"), transferred(t, HANDLING)];
    const b = fold(facts(), instant, "2025-03-03T11:00:00+07:00");
    expect(b).toMatchObject({ status: "in_progress", pausedMinutes: 0, supplementRequests: 1 });
    expect(show(b.dueAt)).toBe("2025-03-06T08:00:00+07:00");
  });

  it("breaks ties of the same type by eventId", () => {
    const t = "2025-03-03T09:00:00+07:00";
    const steps = THREE_DAY_STEPS.slice(0, 3);
    const second = transferred(t, OTHER, undefined, "b-0002");
    const first = transferred(t, HANDLING, undefined, "a-0001");
    const state = fold(facts({ steps }), [second, first], t);
    expect(state.steps.map((s) => [s.code, s.enteredByEventId, s.agencyCode])).toEqual([
      ["reception", null, RECEIVING],
      ["review", "a-0001", HANDLING],
      ["approval", "b-0002", OTHER],
    ]);
    expect(state).toEqual(fold(facts({ steps }), [first, second], t));
    expect(orderEvents([second, first]).map((e) => e.eventId)).toEqual(["a-0001", "b-0002"]);
  });

  it("never yields NaN: now before reception, zero budgets, events in the future of now", () => {
    const steps: ProcedureStep[] = [{ code: "handover", name: "Bàn giao", budget: days(0) }];
    const events = [transferred("2025-03-04T09:00:00+07:00", HANDLING), supplementRequested("2025-03-05T09:00:00+07:00")];
    const state = fold(facts({ steps }), events, "2025-03-01T00:00:00+07:00");
    expect(nonFiniteNumbers(state)).toEqual([]);
    expect(state.pausedMinutes).toBe(0);
    expect(state.steps[0]).toMatchObject({ budgetMinutes: 0, dueAt: at(MON_0800), timeliness: "late" });
    expect(state.steps[1]).toMatchObject({ usedMinutes: 0, overdue: false });
  });
});

/** Paths of every number that is NaN or infinite (JSON.stringify would hide them as null). */
function nonFiniteNumbers(value: unknown, path = "state"): string[] {
  if (typeof value === "number") return Number.isFinite(value) ? [] : [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => nonFiniteNumbers(v, `${path}[${i}]`));
  if (typeof value === "object" && value !== null) return Object.entries(value).flatMap(([k, v]) => nonFiniteNumbers(v, `${path}.${k}`));
  return [];
}
