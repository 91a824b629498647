/**
 * The fold's general laws on random valid lifecycles (DOMAIN.md §3–§4): random reception instants
 * over 2024–2026 on the real Vietnamese calendar, random durations of every unit, random step
 * lists, random supplement policies, and a random walk through the lifecycle with random gaps
 * (ties on occurredAt included) — written from DOMAIN.md §3 independently of the TRANSITIONS table.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_CALENDAR_RULES } from "../../../src/domain/calendar/calendar-defaults.js";
import { vnDaysOfYear } from "../../../src/domain/calendar/calendar-days.js";
import type { Duration } from "../../../src/domain/calendar/calendar-types.js";
import { createWorkingCalendar } from "../../../src/domain/calendar/working-calendar.js";
import { computeDueAt, evaluateDossier, extendReplay, foldDossier, laterBy, orderEvents, replayDossier, type DossierReplay } from "../../../src/domain/dossier/dossier-fold.js";
import { overdueSpans, type OverdueSpan } from "../../../src/domain/dossier/overdue-spans.js";
import { liveDueInstants } from "../../../src/domain/dossier/live-clock.js";
import type { DossierFacts, DossierState } from "../../../src/domain/dossier/dossier-fold.js";
import type { DossierEvent, DossierStatus, EventType } from "../../../src/domain/dossier/dossier-types.js";
import type { ProcedureStep } from "../../../src/domain/procedure/procedure-types.js";

const calendar = createWorkingCalendar(DEFAULT_CALENDAR_RULES, vnDaysOfYear);
const MINUTE = 60_000;
const FROM = Date.parse("2024-01-01T00:00:00+07:00");
const TO = Date.parse("2026-06-30T00:00:00+07:00");
const AGENCIES = ["000.00.12.H22", "000.00.05.H22", "000.20.34.H22", "000.00.07.H22"] as const;

/**
 * DOMAIN.md §3, from the text: what may happen in each status, weighted to reach deep histories;
 * "end" stops the walk (most returned or stopped dossiers are never cancelled).
 */
const NEXT: Readonly<Record<DossierStatus, readonly (readonly [EventType | "end", number])[]>> = {
  received: [["transferred", 20], ["result_ready", 2], ["withdrawal_requested", 1], ["stopped", 1], ["cancelled", 1]],
  in_progress: [["transferred", 12], ["supplement_requested", 6], ["suspended", 6], ["result_ready", 3], ["withdrawal_requested", 1], ["stopped", 1], ["cancelled", 1]],
  supplement_requested: [["supplement_received", 20], ["withdrawal_requested", 1], ["stopped", 1], ["cancelled", 1]],
  suspended: [["resumed", 20], ["withdrawal_requested", 1], ["stopped", 1], ["cancelled", 1]],
  withdrawal_requested: [["stopped", 4], ["cancelled", 1]],
  stopped: [["cancelled", 1], ["end", 4]],
  result_ready: [["returned", 10], ["cancelled", 1]],
  returned: [["cancelled", 1], ["end", 4]],
  cancelled: [],
};
const AFTER: Readonly<Record<EventType, DossierStatus>> = {
  transferred: "in_progress",
  supplement_requested: "supplement_requested",
  supplement_received: "in_progress",
  suspended: "suspended",
  resumed: "in_progress",
  result_ready: "result_ready",
  returned: "returned",
  // Beside the lifecycle: the status stays (never drawn by this generator's MOVES).
  consultation_requested: "in_progress",
  consultation_replied: "in_progress",
  correction_requested: "returned",
  result_corrected: "returned",
  withdrawal_requested: "withdrawal_requested",
  stopped: "stopped",
  cancelled: "cancelled",
};
/** The documented tie-break rank (the brief's list). */
const RANK: readonly EventType[] = [
  "transferred", "supplement_requested", "supplement_received", "suspended", "resumed",
  "result_ready", "returned", "withdrawal_requested", "stopped", "cancelled",
];
const PAUSE_TYPES = new Set<EventType>(["supplement_requested", "supplement_received", "suspended", "resumed"]);

const durationArb: fc.Arbitrary<Duration> = fc.oneof(
  fc.integer({ min: 1, max: 60 }).map((q) => ({ value: q / 4, unit: "working_days" as const })),
  fc.integer({ min: 1, max: 40 }).map((h) => ({ value: h, unit: "working_hours" as const })),
  fc.integer({ min: 1, max: 45 }).map((d) => ({ value: d, unit: "calendar_days" as const })),
  fc.constant({ value: 1, unit: "same_day" as const }),
);

const stepsArb: fc.Arbitrary<ProcedureStep[]> = fc
  .array(
    fc.record({
      budget: fc.oneof(
        fc.integer({ min: 1, max: 12 }).map((q) => ({ value: q / 4, unit: "working_days" as const })),
        fc.integer({ min: 1, max: 16 }).map((h) => ({ value: h / 2, unit: "working_hours" as const })),
      ),
      agency: fc.option(fc.constantFrom(...AGENCIES), { nil: undefined }),
    }),
    { maxLength: 5 },
  )
  .map((list) =>
    list.map(({ budget, agency }, i) => ({ code: `s${i}`, name: `Bước ${i + 1}`, budget, ...(agency !== undefined ? { agencyCode: agency } : {}) })),
  );

/** One move of the walk: which allowed event, after how long, with which details. */
const moveArb = fc.record({
  pick: fc.integer({ min: 0, max: 9_999 }),
  // Mostly hours to a few days; a zero gap now and then makes ties on occurredAt.
  gapMinutes: fc.oneof({ arbitrary: fc.constant(0), weight: 2 }, { arbitrary: fc.integer({ min: 1, max: 4 * 1440 }), weight: 5 }),
  idPrefix: fc.stringMatching(/^[0-9a-f]{4}$/),
  agency: fc.constantFrom(...AGENCIES),
  stepPick: fc.integer({ min: -2, max: 9 }),
  flag: fc.boolean(),
});

interface Lifecycle {
  readonly facts: DossierFacts;
  readonly events: readonly DossierEvent[];
  readonly now: number;
}

const lifecycleArb: fc.Arbitrary<Lifecycle> = fc
  .record({
    receivedMinute: fc.integer({ min: FROM / MINUTE, max: TO / MINUTE }),
    receivedSeconds: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 59_999 })),
    committed: durationArb,
    legal: durationArb,
    policy: fc.constantFrom("pause" as const, "restart" as const),
    steps: stepsArb,
    moves: fc.array(moveArb, { maxLength: 30, size: "max" }),
    nowAfterMinutes: fc.integer({ min: 0, max: 20 * 1440 }),
  })
  .map(({ receivedMinute, receivedSeconds, committed, legal, policy, steps, moves, nowAfterMinutes }) => {
    const receivedAt = receivedMinute * MINUTE + receivedSeconds;
    const facts: DossierFacts = {
      receivedAt,
      receivingAgencyCode: AGENCIES[0],
      handlingAgencyCode: AGENCIES[1],
      committedDuration: committed,
      legalDuration: legal,
      supplementPolicy: policy,
      supplementCompletion: null,
      channel: "direct",
      submittedAt: null,
      steps,
      originalDueAt: computeDueAt(calendar, calendar.nextWorkingInstant(receivedAt), committed),
    };
    const events: DossierEvent[] = [];
    let status: DossierStatus = "received";
    let t = receivedAt;
    let previous: DossierEvent | undefined;
    for (const [i, move] of moves.entries()) {
      const options: readonly (readonly [EventType | "end", number])[] = NEXT[status];
      const total = options.reduce((sum, [, w]) => sum + w, 0);
      if (total === 0) break;
      let r = (move.pick / 10_000) * total;
      const type: EventType | "end" = (options.find(([, w]) => (r -= w) < 0) ?? options[options.length - 1]!)[0];
      if (type === "end") break;
      const eventId = `${move.idPrefix}-${String(i).padStart(2, "0")}`;
      let at = t + move.gapMinutes * MINUTE;
      // A tie must not contradict the canonical order (rank, then eventId), or the generated list
      // would not be the order the events happened in.
      if (previous !== undefined && at === previous.occurredAt) {
        const byRank = RANK.indexOf(type) - RANK.indexOf(previous.type);
        if (byRank < 0 || (byRank === 0 && eventId <= previous.eventId)) at += MINUTE;
      }
      const common = { eventId, occurredAt: at, agencyCode: move.agency };
      const event: DossierEvent = ((): DossierEvent => {
        switch (type) {
          case "transferred": {
            const step = move.stepPick >= 0 ? steps[move.stepPick] : undefined;
            return { ...common, type, toAgencyCode: move.agency, ...(step !== undefined ? { stepCode: step.code } : {}) };
          }
          case "supplement_requested":
            return { ...common, type, reason: "thiếu giấy tờ" };
          case "suspended":
            return { ...common, type, reason: move.flag ? "financial_obligation" : "other" };
          case "result_ready":
            return { ...common, type, outcome: move.flag ? "approved" : "refused" };
          case "returned":
            return { ...common, type, method: move.flag ? "counter" : "online" };
          case "stopped":
            return { ...common, type, reason: "dừng theo đề nghị" };
          default:
            return { ...common, type } as DossierEvent;
        }
      })();
      events.push(event);
      previous = event;
      status = AFTER[type];
      t = at;
    }
    return { facts, events, now: t + nowAfterMinutes * MINUTE };
  });

function foldOk(facts: DossierFacts, events: readonly DossierEvent[], now: number): DossierState {
  const result = foldDossier(facts, events, calendar, now, calendar.rules.workingDayMinutes);
  if (!result.ok) throw new Error(`a valid lifecycle was refused: ${result.violation.rule}: ${result.violation.message}`);
  return result.state;
}

function nonFiniteNumbers(value: unknown, path = "state"): string[] {
  if (typeof value === "number") return Number.isFinite(value) ? [] : [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => nonFiniteNumbers(v, `${path}[${i}]`));
  if (typeof value === "object" && value !== null) return Object.entries(value).flatMap(([k, v]) => nonFiniteNumbers(v, `${path}.${k}`));
  return [];
}

const RUNS = { numRuns: 150 };

describe("dossier fold laws", () => {
  it("any arrival order folds to exactly the state of the ordered history (DOMAIN.md §4 'Retroactive events')", () => {
    fc.assert(
      fc.property(
        lifecycleArb.chain((l) =>
          fc.tuple(fc.constant(l), fc.shuffledSubarray([...l.events], { minLength: l.events.length, maxLength: l.events.length })),
        ),
        ([{ facts, events, now }, shuffled]) => {
          expect(foldOk(facts, shuffled, now)).toEqual(foldOk(facts, events, now));
        },
      ),
      RUNS,
    );
  });

  it("a pause never shortens a deadline, under either supplement policy", () => {
    fc.assert(
      fc.property(lifecycleArb, ({ facts, events, now }) => {
        const withPauses = foldOk(facts, events, now);
        // Without the pause events the history stays valid: pauses leave from and return to in_progress.
        const withoutPauses = foldOk(facts, events.filter((e) => !PAUSE_TYPES.has(e.type)), now);
        expect(withPauses.dueAt).toBeGreaterThanOrEqual(withoutPauses.dueAt);
        expect(withPauses.legalDueAt).toBeGreaterThanOrEqual(withoutPauses.legalDueAt);
        expect(withoutPauses.pausedMinutes).toBe(0);
      }),
      RUNS,
    );
  });

  it("with the pause policy, the due is never before the one printed at reception", () => {
    fc.assert(
      fc.property(lifecycleArb, ({ facts, events, now }) => {
        const state = foldOk({ ...facts, supplementPolicy: "pause" }, events, now);
        expect(state.dueAt).toBeGreaterThanOrEqual(state.originalDueAt);
        expect(state.legalDueAt).toBeGreaterThanOrEqual(computeDueAt(calendar, facts.receivedAt, facts.legalDuration));
        expect(state.clockStartedAt).toBe(calendar.nextWorkingInstant(facts.receivedAt));
      }),
      RUNS,
    );
  });

  it("keeps every number finite and every duration non-negative, and the sheet consistent", () => {
    fc.assert(
      fc.property(lifecycleArb, ({ facts, events, now }) => {
        const state = foldOk(facts, events, now);
        expect(nonFiniteNumbers(state)).toEqual([]);
        expect(state.pausedMinutes).toBeGreaterThanOrEqual(0);
        expect(state.timeline).toHaveLength(events.length);
        expect(state.eventCount).toBe(events.length);
        expect(state.history[state.history.length - 1]!.status).toBe(state.status);
        expect(state.supplementRequestFlagged).toBe(state.supplementRequests > 1);
        // DOMAIN.md §6: waiting for a supplement is within time; a suspension is overdue exactly
        // when it began after the due instant.
        if (state.status === "supplement_requested") expect(state.overdue).toBe(false);
        if (state.status === "suspended") expect(state.overdue).toBe(state.lateWhenSuspended);
        if (state.finishedAt === null) expect(state.timeliness).toBeNull();
        // The control sheet is contiguous: each step is left when the next is entered; only the last may run.
        state.steps.forEach((step, i) => {
          expect(step.usedMinutes).toBeGreaterThanOrEqual(0);
          const next = state.steps[i + 1];
          if (next !== undefined) expect(step.leftAt).toBe(next.enteredAt);
        });
        expect(state.steps.filter((s) => s.leftAt === null).length).toBeLessThanOrEqual(1);
        expect(state.currentStep === null ? null : state.currentStep.leftAt).toBeNull();
      }),
      RUNS,
    );
  });
});

/**
 * The overdue stretches as they were computed before issue #12, written out independently: fold
 * every prefix of the history at the instant of its last event and read the state (DOMAIN.md §6:
 * open and past due; waiting for a supplement is within time; a suspension is overdue exactly
 * when it began after the due instant).
 */
function spansByPrefixes(facts: DossierFacts, events: readonly DossierEvent[]): OverdueSpan[] {
  const ordered = orderEvents(events);
  const spans: OverdueSpan[] = [];
  for (let i = 0; i <= ordered.length; i++) {
    const start = i === 0 ? facts.receivedAt : ordered[i - 1]!.occurredAt;
    const end = i < ordered.length ? ordered[i]!.occurredAt : null;
    if (end !== null && end <= start) continue;
    const state = foldOk(facts, ordered.slice(0, i), start);
    if (!["received", "in_progress", "suspended", "withdrawal_requested"].includes(state.status)) continue;
    for (const [basis, due] of [["committed", state.dueAt], ["legal", state.legalDueAt]] as const) {
      let from: number;
      if (state.status === "suspended") {
        const replayed = replayDossier(facts, ordered.slice(0, i), calendar);
        if (!replayed.ok) throw new Error("refused");
        const point = replayed.replay.points.at(-1)!;
        const baseDue = computeDueAt(calendar, point.clockStartedAt, basis === "committed" ? facts.committedDuration : facts.legalDuration);
        if (!(point.openPauseStart! > laterBy(calendar, baseDue, point.closedDueMinutes))) continue;
        from = start;
      } else from = Math.max(start, due);
      if (end !== null && from >= end) continue;
      const previous = spans.filter((s) => s.basis === basis).at(-1);
      if (previous && previous.to === start && from === start) spans[spans.indexOf(previous)] = { basis, from: previous.from, to: end };
      else spans.push({ basis, from, to: end });
    }
  }
  return spans;
}

describe("one replay, evaluated at any instant (issue #12)", () => {
  it("the overdue stretches from one pass over the replay equal those of folding every prefix", () => {
    fc.assert(
      fc.property(lifecycleArb, ({ facts, events }) => {
        expect(overdueSpans(facts, events, calendar)).toEqual(spansByPrefixes(facts, events));
      }),
      RUNS,
    );
  });

  it("evaluating one replay at several instants equals folding afresh at each (evaluation changes nothing)", () => {
    fc.assert(
      fc.property(lifecycleArb, fc.array(fc.integer({ min: -2 * 1440, max: 30 * 1440 }), { minLength: 1, maxLength: 4 }), ({ facts, events, now }, offsets) => {
        const replayed = replayDossier(facts, events, calendar, calendar.rules.workingDayMinutes);
        if (!replayed.ok) throw new Error(replayed.violation.message);
        for (const offset of offsets) {
          const at = Math.max(facts.receivedAt, now + offset * MINUTE);
          expect(evaluateDossier(replayed.replay, calendar, at)).toEqual(foldOk(facts, events, at));
        }
      }),
      RUNS,
    );
  });

  it("a paused dossier's stored clock, read later, equals the fold at that instant (listings and detail show one clock)", () => {
    fc.assert(
      fc.property(lifecycleArb, fc.integer({ min: 0, max: 30 * 1440 }), ({ facts, events }, laterMinutes) => {
        const replayed = replayDossier(facts, events, calendar, calendar.rules.workingDayMinutes);
        if (!replayed.ok) throw new Error(replayed.violation.message);
        const asOf = replayed.replay.points.at(-1)!.at;
        const stored = evaluateDossier(replayed.replay, calendar, asOf);
        const now = asOf + laterMinutes * MINUTE;
        const live = evaluateDossier(replayed.replay, calendar, now);
        expect(liveDueInstants({ status: stored.status, dueAt: stored.dueAt, legalDueAt: stored.legalDueAt, clockAsOf: asOf }, calendar, now)).toEqual({
          dueAt: live.dueAt,
          legalDueAt: live.legalDueAt,
        });
      }),
      RUNS,
    );
  });
});

/** A replay as it is stored (JSON) and read back: the incremental path starts from such a copy. */
const stored = (replay: DossierReplay): DossierReplay => JSON.parse(JSON.stringify(replay)) as DossierReplay;

describe("incremental replay (issue #12: extend the stored history instead of replaying it)", () => {
  it("extending the stored replay of any prefix with the rest, in batches, equals replaying the whole history", () => {
    fc.assert(
      fc.property(
        lifecycleArb.chain((l) => fc.tuple(fc.constant(l), fc.array(fc.integer({ min: 0, max: l.events.length }), { maxLength: 4 }))),
        ([{ facts, events, now }, cuts]) => {
          const ordered = orderEvents(events);
          const bounds = [0, ...[...new Set(cuts)].sort((a, b) => a - b), ordered.length];
          const first = replayDossier(facts, ordered.slice(0, bounds[1]), calendar);
          if (!first.ok) throw new Error(first.violation.message);
          let replay = first.replay;
          for (let i = 1; i < bounds.length - 1; i++) {
            const extended = extendReplay(stored(replay), ordered.slice(bounds[i], bounds[i + 1]), calendar);
            expect(extended, "events in canonical order always extend").toBeDefined();
            if (!extended!.ok) throw new Error(extended!.violation.message);
            replay = extended!.replay;
          }
          const full = replayDossier(facts, ordered, calendar);
          if (!full.ok) throw new Error(full.violation.message);
          expect(stored(replay)).toEqual(stored(full.replay));
          expect(evaluateDossier(replay, calendar, now)).toEqual(evaluateDossier(full.replay, calendar, now));
        },
      ),
      RUNS,
    );
  });

  it("refuses to extend with a late event (one that sorts before the last replayed), so the caller replays in full", () => {
    fc.assert(
      fc.property(
        lifecycleArb.filter((l) => l.events.length >= 2),
        ({ facts, events }) => {
          const ordered = orderEvents(events);
          const withoutSecond = [ordered[0]!, ...ordered.slice(2)];
          const replayed = replayDossier(facts, withoutSecond, calendar);
          if (!replayed.ok) return; // removing an event may break the lifecycle; nothing to extend then
          const late = ordered[1]!;
          const last = withoutSecond[withoutSecond.length - 1]!;
          const sortsBefore = late.occurredAt < last.occurredAt || (late.occurredAt === last.occurredAt && orderEvents([late, last])[0] === late);
          const extended = extendReplay(stored(replayed.replay), [late], calendar);
          if (sortsBefore) expect(extended).toBeUndefined();
        },
      ),
      RUNS,
    );
  });

  it("refuses what a full replay refuses: an event the lifecycle forbids after the history", () => {
    fc.assert(
      fc.property(lifecycleArb.filter((l) => l.events.length >= 1), ({ facts, events }) => {
        const ordered = orderEvents(events);
        const replayed = replayDossier(facts, ordered, calendar);
        if (!replayed.ok) throw new Error(replayed.violation.message);
        const last = ordered[ordered.length - 1]!;
        // A second reception-time "cancelled" after a cancellation, or a return before any result, is refused either way.
        const probe: DossierEvent = { eventId: "zz-probe", type: "returned", method: "counter", occurredAt: last.occurredAt + MINUTE, agencyCode: AGENCIES[0] };
        const full = replayDossier(facts, [...ordered, probe], calendar);
        const extended = extendReplay(stored(replayed.replay), [probe], calendar);
        expect(extended).toBeDefined();
        expect(extended!.ok).toBe(full.ok);
        if (full.ok && extended!.ok) expect(stored(extended!.replay)).toEqual(stored(full.replay));
      }),
      RUNS,
    );
  });
});
