/**
 * A dossier's state is a pure fold over its events (DOMAIN.md §4 "Retroactive events"): the same
 * set of events yields the same state whatever order they arrived in, because they are folded in
 * one canonical order. No I/O and no clock reads: `now` is an argument, and it matters only for
 * what is still running (an open pause, the current step, "overdue").
 *
 * The clock (DOMAIN.md §4): it starts at the first working instant at or after reception; the
 * committed and legal due instants move later by the working time spent paused (supplement
 * requested, suspended), derived from the event history, never from counters; under the `restart`
 * supplement policy the full duration starts again when the supplement arrives. Which policy
 * applies is the procedure's stated one, else the default of the dossier's legal frame
 * (src/domain/law/legal-frame.ts: restart from Decree 118/2025, pause before).
 */
import type { Duration } from "../calendar/calendar-types.js";
import type { WorkingCalendar } from "../calendar/working-calendar.js";
import { effectiveSupplementPolicy, legalFrameAt, type LegalFrame } from "../law/legal-frame.js";
import { workingMinutesOf } from "../procedure/procedure-definition.js";
import type { ProcedureStep, SupplementPolicy } from "../procedure/procedure-types.js";
import { formatInstant } from "../time.js";
import type { Channel, DossierEvent, DossierStatus, Outcome, SuspensionReason, Timeliness } from "./dossier-types.js";
import { deriveDuties, dutiesAt, extensionNoticeDueAt, type Duty, type DutyHistory, type DutyStatus } from "./duties.js";
import { EVENT_TYPES, OPEN_STATUSES } from "./dossier-types.js";
import { nationalStatusCode, STATUS_LABELS } from "./status-labels.js";
import { applyTransition, PAUSED_STATUSES } from "./transitions.js";
import type { DossierRule } from "./transitions.js";

export interface DossierFacts {
  /** Epoch ms, as recorded at reception. */
  readonly receivedAt: number;
  readonly receivingAgencyCode: string;
  readonly handlingAgencyCode: string;
  readonly committedDuration: Duration;
  readonly legalDuration: Duration;
  /** As the procedure states it; null = the legal frame's default (DOMAIN.md §4 "Pauses"). */
  readonly supplementPolicy: SupplementPolicy | null;
  /** The procedure's limit for completing a supplement; null = Decree 118/2025 art. 19(5)'s 15 days. */
  readonly supplementCompletion: Duration | null;
  readonly channel: Channel;
  /** Online dossiers: when the portal's system received it (Decree 118/2025 art. 17(2)); null if unknown. */
  readonly submittedAt: number | null;
  /** The procedure's internal workflow; may be empty. */
  readonly steps: readonly ProcedureStep[];
  /** Printed at reception; immutable, passed through (DOMAIN.md §4: a calendar change must not move it). */
  readonly originalDueAt: number;
}

/** One line of the process control sheet (DOMAIN.md §4 "Steps"). */
export interface StepRecord {
  /** null for an unbudgeted hand-off (no steps defined, or past the last step). */
  readonly code: string | null;
  readonly name: string | null;
  /** step.agencyCode ?? the agency it was transferred to (reception step: the receiving agency). */
  readonly agencyCode: string;
  readonly enteredAt: number;
  /** null while current. */
  readonly leftAt: number | null;
  readonly budgetMinutes: number | null;
  /** Working minutes in the step, pauses excluded (up to now if current). */
  readonly usedMinutes: number;
  /** The budget counted from entry, moved later by the pauses inside the step. */
  readonly dueAt: number | null;
  /** Finished, budgeted steps only: late if it used more working time than its budget, else early (left on an earlier date than dueAt's) or on_time. */
  readonly timeliness: Timeliness | null;
  /** The current step, past its dueAt. */
  readonly overdue: boolean;
  /** null for the step entered at reception. */
  readonly enteredByEventId: string | null;
}

/** One per event, in fold order (GET /v1/dossiers/{code}/events). */
export interface TimelineEntry {
  readonly eventId: string;
  readonly statusAfter: DossierStatus;
  /** For `transferred`: the step it left (the hand-off with its budget, used time and timeliness); else null. */
  readonly step: StepRecord | null;
}

/** A duty (duties.ts) with its status at the fold's `now`. */
export type DutyState = Duty & { readonly status: DutyStatus };

export interface DossierState {
  /** The rulebook in force at reception (DOMAIN.md §1). */
  readonly legalFrame: LegalFrame;
  /** The supplement policy applied: the procedure's, else the frame's default. */
  readonly supplementPolicy: SupplementPolicy;
  readonly status: DossierStatus;
  readonly nationalStatusCode: number | null;
  readonly statusLabel: { readonly vi: string; readonly en: string };
  /** calendar.nextWorkingInstant(receivedAt), or the restart instant. */
  readonly clockStartedAt: number;
  /** The committed due, moved later by paused working time (and restarted per policy). */
  readonly dueAt: number;
  /** Same rules with the legal duration. */
  readonly legalDueAt: number;
  readonly originalDueAt: number;
  /** occurredAt of result_ready. */
  readonly finishedAt: number | null;
  readonly returnedAt: number | null;
  readonly stoppedAt: number | null;
  readonly cancelledAt: number | null;
  readonly outcome: Outcome | null;
  /** Finished dossiers only: the local date of finishedAt against that of dueAt (DOMAIN.md §6). */
  readonly timeliness: Timeliness | null;
  /** Same against legalDueAt. */
  readonly legalTimeliness: Timeliness | null;
  /**
   * Open and past the due instant (DOMAIN.md §6): never while waiting for a supplement; while
   * suspended, exactly when it was already past its due instant when suspended.
   */
  readonly overdue: boolean;
  /** Suspended after its due instant had passed: overdue for as long as the suspension lasts. */
  readonly lateWhenSuspended: boolean;
  /** Currently supplement_requested or suspended. */
  readonly paused: boolean;
  /** Working minutes spent paused (an open pause counts up to now). */
  readonly pausedMinutes: number;
  /**
   * Finished dossiers: working minutes from the clock's first start to the result, pauses
   * excluded (DOMAIN.md §6: average processing time); null until then.
   */
  readonly processingMinutes: number | null;
  readonly supplementRequests: number;
  /** More than one supplement request (DOMAIN.md §3: only once; a second is recorded but flagged). */
  readonly supplementRequestFlagged: boolean;
  /** decree-118-2025: the first request came after the 3-working-day window (art. 19(5)): recorded, flagged. */
  readonly supplementRequestOutsideWindow: boolean;
  /** decree-118-2025 only: the duties with their own deadlines (DOMAIN.md §10), extension notice aside. */
  readonly duties: readonly DutyState[];
  /** decree-118-2025 only: the last instant an extension request is in time (art. 19(6)), against dueAt. */
  readonly extensionNoticeDueAt: number | null;
  /** The agency holding it now: the last transfer's toAgencyCode, else the handling agency. */
  readonly currentAgencyCode: string;
  readonly currentStep: StepRecord | null;
  /** The process control sheet, in order. */
  readonly steps: readonly StepRecord[];
  /** Who owes the apology (DOMAIN.md §5), see `responsibleAgency`. */
  readonly responsibleAgencyCode: string | null;
  /** "received" at receivedAt, then every status change. */
  readonly history: readonly { readonly status: DossierStatus; readonly at: number }[];
  readonly timeline: readonly TimelineEntry[];
  readonly eventCount: number;
}

export interface FoldViolation {
  readonly eventId: string;
  readonly rule: DossierRule;
  readonly message: string;
}

export type FoldResult =
  | { readonly ok: true; readonly state: DossierState }
  | { readonly ok: false; readonly violation: FoldViolation };

/**
 * Ties on occurredAt are broken by where the type sits in the lifecycle, then by eventId, so the
 * order never depends on arrival (DOMAIN.md §4: front desks sync late and out of order). The
 * rank is EVENT_TYPES' order: a transfer precedes what happens in the step it opens, a request
 * precedes its answer, the result precedes its return, and cancellation comes last.
 */
const TYPE_RANK: ReadonlyMap<string, number> = new Map(EVENT_TYPES.map((type, i) => [type, i]));
const rankOf = (type: string): number => TYPE_RANK.get(type) ?? EVENT_TYPES.length;

function compareEvents(a: DossierEvent, b: DossierEvent): number {
  if (a.occurredAt !== b.occurredAt) return a.occurredAt < b.occurredAt ? -1 : 1;
  const byType = rankOf(a.type) - rankOf(b.type);
  if (byType !== 0) return byType;
  // Code-unit order, not localeCompare: the same on every machine.
  return a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;
}

/** The canonical order: occurredAt, then lifecycle rank of the type, then eventId. A new array. */
export function orderEvents(events: readonly DossierEvent[]): DossierEvent[] {
  return [...events].sort(compareEvents);
}

/**
 * The due instant of a duration whose clock starts at `start` (DOMAIN.md §4 "Units"): this is
 * what reception prints as originalDueAt. `start` may be receivedAt or its next working instant
 * (the engine counts from the next working instant either way). A working duration of zero or
 * less (refused by the API, tolerated here) is due at the clock start.
 */
export function computeDueAt(calendar: WorkingCalendar, start: number, duration: Duration): number {
  if ((duration.unit === "working_days" || duration.unit === "working_hours") && Number.isFinite(duration.value) && duration.value <= 0) {
    return calendar.nextWorkingInstant(start);
  }
  return calendar.addDuration(start, duration);
}

/** A pause of the clock: [start, end), end null while the dossier is still paused. */
interface Pause {
  readonly start: number;
  end: number | null;
}

/** A step while folding; turned into a StepRecord once every pause is known. */
interface StepEntry {
  readonly code: string | null;
  readonly name: string | null;
  readonly agencyCode: string;
  readonly enteredAt: number;
  leftAt: number | null;
  readonly budgetMinutes: number | null;
  readonly enteredByEventId: string | null;
  /** Position in facts.steps, null for an unbudgeted hand-off. */
  readonly index: number | null;
}

/**
 * Where the clock stood right after an event (or at reception): enough to know, for any instant
 * until the next event, the due instants and whether the dossier was overdue (overdue-spans.ts).
 */
export interface ClockPoint {
  readonly at: number;
  readonly status: DossierStatus;
  readonly clockStartedAt: number;
  /** Working minutes of the pauses that move the current clock and had ended by `at`. */
  readonly closedDueMinutes: number;
  /** The start of the pause still running at `at`, if any. */
  readonly openPauseStart: number | null;
}

/**
 * A dossier's history replayed once (DOMAIN.md §4: a pure fold over its events in canonical
 * order): everything that does not depend on the instant it is looked at. `evaluateDossier`
 * reads it at any instant, and the overdue stretches derive from its clock points, so one replay
 * serves a write's projection, its answer and its statistics (issue #12: one replay per write).
 */
export interface DossierReplay {
  readonly facts: DossierFacts;
  readonly legalFrame: LegalFrame;
  readonly supplementPolicy: SupplementPolicy;
  readonly status: DossierStatus;
  readonly suspensionReason: SuspensionReason | undefined;
  readonly clockStartedAt: number;
  /** Pauses from this index on move the current clock (a restart forgets the earlier ones). */
  readonly firstDuePause: number;
  readonly pauses: readonly Readonly<Pause>[];
  readonly finishedAt: number | null;
  readonly returnedAt: number | null;
  readonly stoppedAt: number | null;
  readonly cancelledAt: number | null;
  readonly outcome: Outcome | null;
  readonly supplementRequests: number;
  readonly currentAgencyCode: string;
  readonly steps: readonly Readonly<StepEntry>[];
  readonly currentStepIndex: number | null;
  readonly history: readonly { readonly status: DossierStatus; readonly at: number }[];
  readonly timeline: readonly { readonly eventId: string; readonly statusAfter: DossierStatus; readonly leftStep: number | null }[];
  readonly duties: Omit<DutyHistory, keyof DossierFactsForDuties>;
  /** One at reception, then one after each event, in canonical order. */
  readonly points: readonly ClockPoint[];
  readonly eventCount: number;
  /** The last event replayed, in canonical order (null: none): later events extend the replay (extendReplay). */
  readonly lastEvent: Pick<DossierEvent, "occurredAt" | "type" | "eventId"> | null;
}

type DossierFactsForDuties = Pick<
  DutyHistory,
  "receivedAt" | "submittedAt" | "channel" | "receivingAgencyCode" | "handlingAgencyCode" | "supplementCompletion"
>;

/**
 * DOMAIN.md §6: a suspended dossier is judged against the due instant it was suspended against
 * (`baseDue` moved by the pauses ended before): overdue for the whole suspension if that had
 * passed when it began, none of it otherwise. The one rule for the fold and the overdue stretches.
 */
export function lateAtSuspension(calendar: WorkingCalendar, baseDue: number, point: ClockPoint): boolean {
  return point.status === "suspended" && point.openPauseStart !== null && point.openPauseStart > later(calendar, baseDue, point.closedDueMinutes);
}

export type ReplayResult = { readonly ok: true; readonly replay: DossierReplay } | { readonly ok: false; readonly violation: FoldViolation };

/**
 * Folds the events into the dossier's state as seen at `now`: `replayDossier`, then
 * `evaluateDossier`. `workingDayMinutes` converts step budgets in working days (default: the
 * calendar's working day, 480 minutes for the default calendar), so that steps split the same day
 * the clock counts.
 * @throws WorkingCalendarError when the facts or `now` are not finite instants or a duration is invalid
 */
export function foldDossier(
  facts: DossierFacts,
  events: readonly DossierEvent[],
  calendar: WorkingCalendar,
  now: number,
  workingDayMinutes?: number,
): FoldResult {
  const replayed = replayDossier(facts, events, calendar, workingDayMinutes);
  return replayed.ok ? { ok: true, state: evaluateDossier(replayed.replay, calendar, now) } : replayed;
}

/**
 * Replays the events in canonical order. The first event that the rules refuse is returned as a
 * violation; nothing is partially applied. No instant "now" is involved.
 */
export function replayDossier(
  facts: DossierFacts,
  events: readonly DossierEvent[],
  calendar: WorkingCalendar,
  workingDayMinutes?: number,
): ReplayResult {
  const dayMinutes =
    workingDayMinutes !== undefined && Number.isFinite(workingDayMinutes) && workingDayMinutes > 0
      ? workingDayMinutes
      : calendar.rules.workingDayMinutes;
  const timeZone = calendar.rules.timeZone;
  const at = (t: number) => formatInstant(t, timeZone);

  const precheck = checkEvents(facts, events, at);
  if (precheck !== null) return { ok: false, violation: precheck };
  return runReplay(facts, orderEvents(events), calendar, dayMinutes, undefined);
}

/**
 * Extends a replay with events that come after everything it has replayed, in canonical order
 * (issue #12: a write on a long history replays only what it adds): equal to replaying the whole
 * history again. Returns undefined when an added event sorts before the replay's last one (a
 * late event): the caller replays the whole history, as the fold's order requires (DOMAIN.md §4
 * "Retroactive events").
 */
export function extendReplay(
  previous: DossierReplay,
  added: readonly DossierEvent[],
  calendar: WorkingCalendar,
  workingDayMinutes?: number,
): ReplayResult | undefined {
  const dayMinutes =
    workingDayMinutes !== undefined && Number.isFinite(workingDayMinutes) && workingDayMinutes > 0
      ? workingDayMinutes
      : calendar.rules.workingDayMinutes;
  const at = (t: number) => formatInstant(t, calendar.rules.timeZone);
  const precheck = checkEvents(previous.facts, added, at);
  if (precheck !== null) return { ok: false, violation: precheck };
  const ordered = orderEvents(added);
  const last = previous.lastEvent;
  if (last !== null && ordered.length > 0 && compareEvents(ordered[0]!, last as DossierEvent) <= 0) return undefined;
  return runReplay(previous.facts, ordered, calendar, dayMinutes, previous);
}

/** The fold's one loop: from the reception, or on from `previous` (whose mutable parts are copied, never changed). */
function runReplay(facts: DossierFacts, ordered: readonly DossierEvent[], calendar: WorkingCalendar, dayMinutes: number, previous: DossierReplay | undefined): ReplayResult {
  const timeZone = calendar.rules.timeZone;
  const at = (t: number) => formatInstant(t, timeZone);
  const legalFrame = previous?.legalFrame ?? legalFrameAt(facts.receivedAt);
  const supplementPolicy = previous?.supplementPolicy ?? effectiveSupplementPolicy(facts.supplementPolicy, legalFrame);

  let status: DossierStatus = previous?.status ?? "received";
  let suspensionReason: SuspensionReason | undefined = previous?.suspensionReason;
  let clockStartedAt = previous?.clockStartedAt ?? calendar.nextWorkingInstant(facts.receivedAt);
  /** Pauses from this index on move the current clock (a restart forgets the earlier ones). */
  let firstDuePause = previous?.firstDuePause ?? 0;
  const pauses: Pause[] = (previous?.pauses ?? []).map((p) => ({ ...p }));
  let finishedAt: number | null = previous?.finishedAt ?? null;
  let returnedAt: number | null = previous?.returnedAt ?? null;
  let stoppedAt: number | null = previous?.stoppedAt ?? null;
  let cancelledAt: number | null = previous?.cancelledAt ?? null;
  let outcome: Outcome | null = previous?.outcome ?? null;
  let supplementRequests = previous?.supplementRequests ?? 0;
  let currentAgencyCode = previous?.currentAgencyCode ?? facts.handlingAgencyCode;
  const history: { status: DossierStatus; at: number }[] = previous ? [...previous.history] : [{ status: "received", at: facts.receivedAt }];
  // What the Decree 118 duties are derived from (duties.ts).
  let handedOffAt: number | null = previous?.duties.handedOffAt ?? null;
  let closedAt: number | null = previous?.duties.closedAt ?? null;
  const supplementAsks: { at: number; agencyCode: string; receivedAt: number | null }[] = (previous?.duties.supplementRequests ?? []).map((a) => ({ ...a }));
  const consultations: { toAgencyCode: string; at: number; replyDueAt: number; repliedAt: number | null }[] = (previous?.duties.consultations ?? []).map((c) => ({ ...c }));
  const corrections: { at: number; correctedAt: number | null }[] = (previous?.duties.corrections ?? []).map((c) => ({ ...c }));
  const timeline: { eventId: string; statusAfter: DossierStatus; leftStep: number | null }[] = previous ? [...previous.timeline] : [];

  // DOMAIN.md §4 "Steps": the dossier enters the first step at reception, at the receiving desk
  // unless the step names its agency. Without defined steps the reception desk's hold is still
  // logged (an unbudgeted line), so that the first hand-off shows who gave it away.
  const steps: StepEntry[] = (previous?.steps ?? []).map((s) => ({ ...s }));
  const first = facts.steps[0];
  if (previous === undefined)
    steps.push(
      first === undefined
        ? handOff(facts.receivingAgencyCode, facts.receivedAt, null)
        : stepEntry(first, 0, first.agencyCode ?? facts.receivingAgencyCode, facts.receivedAt, null, dayMinutes),
    );
  let currentStepIndex: number | null = previous === undefined ? (steps[0] === undefined ? null : 0) : previous.currentStepIndex;
  let currentStep: StepEntry | null = currentStepIndex === null ? null : (steps[currentStepIndex] ?? null);
  // The clock after each event (overdue-spans.ts), with a running sum of the ended pauses that move it.
  const points: ClockPoint[] = previous ? [...previous.points] : [{ at: facts.receivedAt, status, clockStartedAt, closedDueMinutes: 0, openPauseStart: null }];
  let closedDueMinutes = points[points.length - 1]!.closedDueMinutes;
  const closePauseAt = (t: number) => {
    const last = pauses[pauses.length - 1];
    if (last === undefined || last.end !== null) return;
    last.end = t;
    if (pauses.length - 1 >= firstDuePause) closedDueMinutes += Math.max(0, calendar.workingMinutesBetween(last.start, t));
  };

  for (const event of ordered) {
    const transition = applyTransition(status, event, timeZone);
    if (!transition.ok) return refuse(event, transition.rule, transition.message);
    const t = event.occurredAt;
    let leftStep: number | null = null;

    switch (event.type) {
      case "transferred": {
        let next: StepEntry;
        if (event.stepCode !== undefined) {
          const index = facts.steps.findIndex((s) => s.code === event.stepCode);
          const step = facts.steps[index];
          if (step === undefined) {
            const defined = facts.steps.length === 0 ? "the procedure defines no steps" : `defined: ${facts.steps.map((s) => s.code).join(", ")}`;
            return refuse(event, "unknown_step", `a transferred event at ${at(t)} names step ${JSON.stringify(event.stepCode)}, which the procedure does not define (${defined})`);
          }
          next = stepEntry(step, index, step.agencyCode ?? event.toAgencyCode, t, event.eventId, dayMinutes);
        } else {
          // Without a step code: the next step of the workflow; past the last one (or with no
          // steps defined) an unbudgeted hand-off that still logs who had the dossier.
          const index = currentStep?.index ?? null;
          const step = index === null ? undefined : facts.steps[index + 1];
          next =
            step === undefined || index === null
              ? handOff(event.toAgencyCode, t, event.eventId)
              : stepEntry(step, index + 1, step.agencyCode ?? event.toAgencyCode, t, event.eventId, dayMinutes);
        }
        if (currentStep !== null) {
          currentStep.leftAt = t;
          leftStep = currentStepIndex;
        }
        steps.push(next);
        currentStep = next;
        currentStepIndex = steps.length - 1;
        currentAgencyCode = event.toAgencyCode;
        break;
      }
      case "consultation_requested":
        consultations.push({ toAgencyCode: event.toAgencyCode, at: t, replyDueAt: event.replyDueAt, repliedAt: null });
        break;
      case "consultation_replied": {
        const open = consultations.find((c) => c.repliedAt === null && c.toAgencyCode === event.fromAgencyCode);
        if (open === undefined)
          return refuse(event, "nothing_to_answer", `a consultation_replied event at ${at(t)} answers no open consultation of ${event.fromAgencyCode}`);
        open.repliedAt = t;
        break;
      }
      case "correction_requested":
        corrections.push({ at: t, correctedAt: null });
        break;
      case "result_corrected": {
        const open = corrections.find((c) => c.correctedAt === null);
        if (open === undefined) return refuse(event, "nothing_to_answer", `a result_corrected event at ${at(t)} answers no open correction request`);
        open.correctedAt = t;
        break;
      }
      case "supplement_requested":
        supplementRequests++;
        supplementAsks.push({ at: t, agencyCode: event.agencyCode, receivedAt: null });
        pauses.push({ start: t, end: null });
        break;
      case "suspended":
        suspensionReason = event.reason;
        pauses.push({ start: t, end: null });
        break;
      case "supplement_received":
      case "resumed":
        closePauseAt(t);
        if (event.type === "supplement_received") {
          const ask = supplementAsks[supplementAsks.length - 1];
          if (ask !== undefined) ask.receivedAt = t;
        }
        if (event.type === "supplement_received" && supplementPolicy === "restart") {
          // DOMAIN.md §4: the full duration starts again when the supplement arrives; the time
          // before no longer counts, so neither do the pauses before it.
          clockStartedAt = calendar.nextWorkingInstant(t);
          firstDuePause = pauses.length;
          closedDueMinutes = 0;
        }
        break;
      case "result_ready":
        finishedAt = t;
        outcome = event.outcome;
        break;
      case "returned":
        returnedAt = t;
        break;
      case "withdrawal_requested":
        break;
      case "stopped":
        stoppedAt = t;
        break;
      case "cancelled":
        cancelledAt = t;
        break;
    }

    // Leaving a paused status by any other way (withdrawal, stop, cancellation) ends the pause too.
    if (PAUSED_STATUSES.includes(status) && !PAUSED_STATUSES.includes(transition.status)) closePauseAt(t);
    // The current step ends when the agencies' work ends (DOMAIN.md §4: "returning the result takes no time").
    const ends = event.type === "result_ready" || event.type === "stopped" || event.type === "cancelled";
    if (ends && currentStep !== null) {
      currentStep.leftAt = t;
      currentStep = null;
      currentStepIndex = null;
    }
    if (ends) closedAt ??= t;
    // The reception desk has let go of it (Decree 118/2025 art. 18(2)).
    if (ends || event.type === "transferred" || event.type === "withdrawal_requested") handedOffAt ??= t;
    if (transition.status !== "suspended") suspensionReason = undefined;
    if (transition.status !== status) history.push({ status: transition.status, at: t });
    status = transition.status;
    timeline.push({ eventId: event.eventId, statusAfter: status, leftStep });
    const open = pauses[pauses.length - 1];
    points.push({ at: t, status, clockStartedAt, closedDueMinutes, openPauseStart: open !== undefined && open.end === null ? open.start : null });
  }

  return {
    ok: true,
    replay: {
      facts,
      legalFrame,
      supplementPolicy,
      status,
      suspensionReason,
      clockStartedAt,
      firstDuePause,
      pauses,
      finishedAt,
      returnedAt,
      stoppedAt,
      cancelledAt,
      outcome,
      supplementRequests,
      currentAgencyCode,
      steps,
      currentStepIndex,
      history,
      timeline,
      duties: { handedOffAt, closedAt, supplementRequests: supplementAsks, consultations, corrections },
      points,
      eventCount: (previous?.eventCount ?? 0) + ordered.length,
      lastEvent: ordered.length > 0 ? pickLast(ordered[ordered.length - 1]!) : (previous?.lastEvent ?? null),
    },
  };
}

const pickLast = (e: DossierEvent) => ({ occurredAt: e.occurredAt, type: e.type, eventId: e.eventId });

/** The dossier's state as seen at `now`, from its replay (cheap: no event is read again). */
export function evaluateDossier(replay: DossierReplay, calendar: WorkingCalendar, now: number): DossierState {
  const { facts, legalFrame, supplementPolicy, status, suspensionReason, clockStartedAt, firstDuePause, pauses, steps } = replay;
  const { finishedAt, returnedAt, stoppedAt, cancelledAt, outcome, supplementRequests, currentAgencyCode, history, timeline } = replay;
  const pauseEnd = (p: Pause): number => p.end ?? Math.max(now, p.start);
  const pauseMinutes = (p: Pause): number => Math.max(0, calendar.workingMinutesBetween(p.start, pauseEnd(p)));
  const pausedMinutes = pauses.reduce((sum, p) => sum + pauseMinutes(p), 0);
  const duePausedMinutes = pauses.slice(firstDuePause).reduce((sum, p) => sum + pauseMinutes(p), 0);

  const committedBase = computeDueAt(calendar, clockStartedAt, facts.committedDuration);
  const dueAt = later(calendar, committedBase, duePausedMinutes);
  const legalDueAt = later(calendar, computeDueAt(calendar, clockStartedAt, facts.legalDuration), duePausedMinutes);

  const paused = PAUSED_STATUSES.includes(status);
  const open = OPEN_STATUSES.includes(status);
  // DOMAIN.md §6: a dossier waiting for a supplement is within time by definition (the applicant
  // holds it); a suspended one is judged against its due date moved by the pause so far, so it
  // is overdue exactly when it was already past its due instant when suspended: a pause never
  // makes a late dossier on time, nor an on-time one late.
  const lateWhenSuspended = lateAtSuspension(calendar, committedBase, replay.points[replay.points.length - 1]!);
  const overdue = open && (status === "suspended" ? lateWhenSuspended : !paused && now > dueAt);
  const timeliness = finishedAt === null ? null : byDate(calendar, finishedAt, dueAt);
  const legalTimeliness = finishedAt === null ? null : byDate(calendar, finishedAt, legalDueAt);

  const records = steps.map((s) => stepRecord(s, pauses, pauseEnd, calendar, now));
  const current = replay.currentStepIndex === null ? null : (records[replay.currentStepIndex] ?? null);

  const duties: DutyState[] = legalFrame === "decree-118-2025" ? dutiesAt(deriveDuties({ ...dutyFactsOf(facts), ...replay.duties }, calendar), now) : [];

  return {
      legalFrame,
      supplementPolicy,
      status,
      nationalStatusCode: nationalStatusCode(status, suspensionReason),
      statusLabel: STATUS_LABELS[status],
      clockStartedAt,
      dueAt,
      legalDueAt,
      originalDueAt: facts.originalDueAt,
      finishedAt,
      returnedAt,
      stoppedAt,
      cancelledAt,
      outcome,
      timeliness,
      legalTimeliness,
      overdue,
      lateWhenSuspended,
      paused,
      pausedMinutes,
      processingMinutes:
        finishedAt === null
          ? null
          : Math.max(0, calendar.workingMinutesBetween(calendar.nextWorkingInstant(facts.receivedAt), finishedAt) - pausedMinutes),
      supplementRequests,
      supplementRequestFlagged: supplementRequests > 1,
      supplementRequestOutsideWindow: duties.some((d) => d.kind === "supplement_request_window" && d.status === "done_late"),
      duties,
      extensionNoticeDueAt: legalFrame === "decree-118-2025" ? extensionNoticeDueAt(calendar, dueAt) : null,
      currentAgencyCode,
      currentStep: current,
      steps: records,
      responsibleAgencyCode: responsibleAgency(records, { timeliness, overdue, finished: finishedAt !== null, currentAgencyCode, handlingAgencyCode: facts.handlingAgencyCode }),
      history,
      timeline: timeline.map((e) => ({ eventId: e.eventId, statusAfter: e.statusAfter, step: e.leftStep === null ? null : (records[e.leftStep] ?? null) })),
      eventCount: replay.eventCount,
  };
}

/**
 * Checks that do not depend on order, so a malformed history is refused the same way whatever
 * order it arrived in: instants are finite and not before reception, event ids are unique.
 */
function checkEvents(facts: DossierFacts, events: readonly DossierEvent[], at: (t: number) => string): FoldViolation | null {
  // The smallest offending eventId is reported, for the same answer under any permutation.
  let found: FoldViolation | null = null;
  const consider = (v: FoldViolation) => {
    if (found === null || v.eventId < found.eventId) found = v;
  };
  for (const e of events) {
    if (typeof e.occurredAt !== "number" || !Number.isFinite(e.occurredAt)) {
      consider({ eventId: e.eventId, rule: "invalid_instant", message: `event ${e.eventId} (${String(e.type)}) has no valid occurredAt` });
    }
  }
  if (found !== null) return found;
  for (const e of events) {
    // DOMAIN.md §4 "Start": the dossier exists from reception; nothing can happen to it before.
    if (e.occurredAt < facts.receivedAt) {
      consider({
        eventId: e.eventId,
        rule: "before_reception",
        message: `a ${e.type} event at ${at(e.occurredAt)} is before the dossier was received at ${at(facts.receivedAt)}`,
      });
    }
  }
  if (found !== null) return found;
  const seen = new Set<string>();
  for (const e of events) {
    if (seen.has(e.eventId)) consider({ eventId: e.eventId, rule: "duplicate_event", message: `event id ${e.eventId} is used by more than one event` });
    seen.add(e.eventId);
  }
  return found;
}

function refuse(event: DossierEvent, rule: DossierRule, message: string): { readonly ok: false; readonly violation: FoldViolation } {
  return { ok: false, violation: { eventId: event.eventId, rule, message } };
}

function dutyFactsOf(facts: DossierFacts): DossierFactsForDuties {
  return {
    receivedAt: facts.receivedAt,
    submittedAt: facts.submittedAt,
    channel: facts.channel,
    receivingAgencyCode: facts.receivingAgencyCode,
    handlingAgencyCode: facts.handlingAgencyCode,
    supplementCompletion: facts.supplementCompletion,
  };
}

/** t moved later by `minutes` of working time (no move for nothing, or for less than 1 ms). */
export { later as laterBy };
function later(calendar: WorkingCalendar, t: number, minutes: number): number {
  return Math.round(minutes * 60_000) >= 1 ? calendar.addWorkingMinutes(t, minutes) : t;
}

/**
 * DOMAIN.md §6 (Biểu 06/VPCP/KSTT): early = finished on a calendar date before the due date,
 * on time = on the due date (even after the due hour), late = after; local dates.
 */
function byDate(calendar: WorkingCalendar, finished: number, due: number): Timeliness {
  const finishedDate = calendar.localDate(finished);
  const dueDate = calendar.localDate(due);
  return finishedDate < dueDate ? "early" : finishedDate === dueDate ? "on_time" : "late";
}

function stepEntry(step: ProcedureStep, index: number, agencyCode: string, enteredAt: number, eventId: string | null, dayMinutes: number): StepEntry {
  const minutes = workingMinutesOf(step.budget, dayMinutes);
  return {
    code: step.code,
    name: step.name,
    agencyCode,
    enteredAt,
    leftAt: null,
    // A malformed budget is treated as none rather than producing NaN instants.
    budgetMinutes: Number.isFinite(minutes) && minutes >= 0 ? minutes : null,
    enteredByEventId: eventId,
    index,
  };
}

function handOff(agencyCode: string, enteredAt: number, eventId: string | null): StepEntry {
  return { code: null, name: null, agencyCode, enteredAt, leftAt: null, budgetMinutes: null, enteredByEventId: eventId, index: null };
}

/** A line of the control sheet: used time and due instant exclude the pauses inside the step. */
function stepRecord(
  step: StepEntry,
  pauses: readonly Pause[],
  pauseEnd: (p: Pause) => number,
  calendar: WorkingCalendar,
  now: number,
): StepRecord {
  const end = step.leftAt ?? Math.max(now, step.enteredAt);
  let pausedInStep = 0;
  for (const p of pauses) {
    const from = Math.max(p.start, step.enteredAt);
    const to = Math.min(pauseEnd(p), end);
    if (to > from) pausedInStep += calendar.workingMinutesBetween(from, to);
  }
  const usedMinutes = Math.max(0, calendar.workingMinutesBetween(step.enteredAt, end) - pausedInStep);
  let dueAt: number | null = null;
  let timeliness: Timeliness | null = null;
  if (step.budgetMinutes !== null) {
    const base = step.budgetMinutes > 0 ? calendar.addWorkingMinutes(step.enteredAt, step.budgetMinutes) : step.enteredAt;
    dueAt = later(calendar, base, pausedInStep);
    if (step.leftAt !== null) {
      // DOMAIN.md §4 "each step is early / on time / late against its budget": late when the step
      // used more working time than its budget (a step lasts hours, so a date would hide a whole
      // day's overrun, and a hand-off at 17:30 after a 17:00 due used no extra working minute);
      // otherwise early when left on a date before the due date, on time on or after it (§6).
      timeliness =
        usedMinutes > step.budgetMinutes ? "late" : calendar.localDate(step.leftAt) < calendar.localDate(dueAt) ? "early" : "on_time";
    }
  }
  return {
    code: step.code,
    name: step.name,
    agencyCode: step.agencyCode,
    enteredAt: step.enteredAt,
    leftAt: step.leftAt,
    budgetMinutes: step.budgetMinutes,
    usedMinutes,
    dueAt,
    timeliness,
    overdue: step.leftAt === null && step.budgetMinutes !== null && usedMinutes > step.budgetMinutes,
    enteredByEventId: step.enteredByEventId,
  };
}

/**
 * Who owes the apology letter (DOMAIN.md §5: "in inter-agency handling, the agency whose step
 * overran"): the agency of the first late or currently overdue step on the control sheet; else,
 * if the dossier itself is late or overdue, the agency holding it (once finished: the handling
 * agency, which owed the result); else nobody.
 */
function responsibleAgency(
  records: readonly StepRecord[],
  dossier: { timeliness: Timeliness | null; overdue: boolean; finished: boolean; currentAgencyCode: string; handlingAgencyCode: string },
): string | null {
  const culprit = records.find((r) => r.timeliness === "late" || r.overdue);
  if (culprit !== undefined) return culprit.agencyCode;
  if (dossier.timeliness === "late" || dossier.overdue) return dossier.finished ? dossier.handlingAgencyCode : dossier.currentAgencyCode;
  return null;
}

