/**
 * A dossier's history, replayed once and evaluated many times (issue #12): the facts the fold needs
 * from the reception, the projection stored on every write (as of the last event, so that rebuilds
 * equal live writes) and the view answered to readers (as of now). State is never edited in place:
 * it is the fold of the dossier's events (DOMAIN.md §4).
 */
import type { DossierEvent } from "../../domain/dossier/dossier-types.js";
import { evaluateDossier, replayDossier, type DossierFacts, type DossierReplay, type DossierState } from "../../domain/dossier/dossier-fold.js";
import { overdueSpansOf, type OverdueSpan } from "../../domain/dossier/overdue-spans.js";
import { monthContributions } from "../../domain/statistics/month-contributions.js";
import type { FieldError } from "../../domain/errors.js";
import type { ProcedureVersion } from "../../domain/procedure/procedure-types.js";
import type { WorkingCalendar } from "../../domain/calendar/working-calendar.js";
import type { ProcedureRepository } from "../catalog-ports.js";
import type { CalendarService } from "../calendar-service.js";
import type { DossierProjection, DossierRecord, StoredEvent } from "../dossier-ports.js";

/**
 * A dossier as read: the stored row (`record`, whose clock columns are as of its last event) and the
 * fold evaluated at the time of reading (`state`, the live clock). Responses show `state`'s instants.
 */
export interface DossierView {
  readonly record: DossierRecord;
  readonly procedure: ProcedureVersion;
  readonly state: DossierState;
}

/** Clocks of front desks drift; an instant further in the future than this is refused. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** A field error when `at` is later than now allows for clock skew. */
export function checkNotFuture(at: number, field: string, now: number): FieldError[] {
  return at > now + MAX_CLOCK_SKEW_MS ? [{ field, message: "is in the future" }] : [];
}

type ReceptionFacts = Pick<DossierRecord, "channel" | "digitized" | "feeVnd" | "paidOnline" | "receivedAt">;

/**
 * The projection from a fold as of the last event (deterministic, so rebuilds equal live writes),
 * with the stretches during which the dossier was overdue and its share of the report-month totals.
 */
export function projectionOf(
  reception: ReceptionFacts,
  state: DossierState,
  overdueSpans: readonly OverdueSpan[],
  /** The instant `state` was evaluated at: the last event (or the reception). */
  asOf: number,
): DossierProjection {
  const columns = {
    status: state.status,
    nationalStatusCode: state.nationalStatusCode,
    paused: state.paused,
    lateWhenSuspended: state.lateWhenSuspended,
    clockAsOf: asOf,
    dueAt: state.dueAt,
    legalDueAt: state.legalDueAt,
    finishedAt: state.finishedAt,
    returnedAt: state.returnedAt,
    stoppedAt: state.stoppedAt,
    outcome: state.outcome,
    timeliness: state.timeliness,
    legalTimeliness: state.legalTimeliness,
    supplementRequests: state.supplementRequests,
    pausedMinutes: state.pausedMinutes,
    processingMinutes: state.processingMinutes,
    currentStepCode: state.currentStep?.code ?? null,
    currentAgencyCode: state.currentAgencyCode,
    responsibleAgencyCode: state.responsibleAgencyCode,
    eventCount: state.eventCount,
  };
  // Every duty but the extension notice (which the apology letter answers, apology-letter-service).
  const duties = state.duties.map(({ status: _status, ...duty }) => duty);
  return { ...columns, overdueSpans, duties, statContributions: monthContributions({ ...reception, ...columns }, overdueSpans) };
}

/**
 * The projection of a replayed history: evaluated as of its last event (deterministic, so that
 * rebuilds equal live writes), with its overdue stretches from the same replay.
 */
export function projectionOfReplay(reception: ReceptionFacts, replay: DossierReplay, engine: WorkingCalendar): DossierProjection {
  const asOf = Math.max(reception.receivedAt, replay.points[replay.points.length - 1]!.at);
  return projectionOf(reception, evaluateDossier(replay, engine, asOf), overdueSpansOf(replay, engine), asOf);
}

/** What the fold needs from the reception and the procedure version it was received under. */
export function factsOf(
  record: Pick<DossierRecord, "receivedAt" | "submittedAt" | "channel" | "receivingAgencyCode" | "handlingAgencyCode" | "originalDueAt">,
  procedure: ProcedureVersion,
): DossierFacts {
  return {
    receivedAt: record.receivedAt,
    submittedAt: record.submittedAt,
    channel: record.channel,
    receivingAgencyCode: record.receivingAgencyCode,
    handlingAgencyCode: record.handlingAgencyCode,
    committedDuration: procedure.committedDuration,
    legalDuration: procedure.legalDuration,
    supplementPolicy: procedure.supplementPolicy,
    supplementCompletion: procedure.supplementCompletion,
    steps: procedure.steps,
    originalDueAt: record.originalDueAt,
  };
}

/** The instant a projection is folded at: the last thing that happened to the dossier. */
export const asOfInstant = (receivedAt: number, events: readonly DossierEvent[]) =>
  events.reduce((latest, e) => Math.max(latest, e.occurredAt), receivedAt);

/**
 * Replays histories against the procedure version and calendar each dossier was received under.
 * Procedure versions are immutable, so they are cached for the process's life.
 */
export function createDossierHistory(deps: {
  procedures: Pick<ProcedureRepository, "getVersion">;
  calendars: Pick<CalendarService, "engineFor">;
  now: () => number;
}) {
  const versionCache = new Map<string, ProcedureVersion>();

  async function procedureVersion(code: string, version: number): Promise<ProcedureVersion> {
    const key = `${code}@${version}`;
    const cached = versionCache.get(key);
    if (cached) return cached;
    const found = await deps.procedures.getVersion(code, version);
    if (!found) throw new Error(`procedure version ${key} referenced by a dossier is missing`);
    versionCache.set(key, found);
    return found;
  }

  /** The history replayed once: evaluated for the projection and for the answer alike. */
  async function replay(record: DossierRecord, events: readonly DossierEvent[]) {
    const procedure = await procedureVersion(record.procedureCode, record.procedureVersion);
    const engine = await deps.calendars.engineFor(record.calendarId);
    return { procedure, engine, result: replayDossier(factsOf(record, procedure), events, engine, engine.rules.workingDayMinutes) };
  }

  /** The view of a stored dossier, its clock read now. */
  async function view(record: DossierRecord, events: readonly StoredEvent[]): Promise<DossierView> {
    const { procedure, engine, result } = await replay(
      record,
      events.map((e) => e.event),
    );
    // Stored events were valid when written; a later calendar or code change must not hide them.
    if (!result.ok) throw new Error(`stored history of ${record.receiptCode} no longer folds: ${result.violation.message}`);
    return { record, procedure, state: evaluateDossier(result.replay, engine, deps.now()) };
  }

  return { procedureVersion, replay, view };
}

export type DossierHistory = ReturnType<typeof createDossierHistory>;
