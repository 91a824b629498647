/**
 * A dossier's history, replayed once and evaluated many times (issue #12): the facts the fold needs
 * from the reception, the projection stored on every write (as of the last event, so that rebuilds
 * equal live writes) and the view answered to readers (as of now). State is never edited in place:
 * it is the fold of the dossier's events (DOMAIN.md §4).
 */
import type { DossierEvent } from "../../domain/dossier/dossier-types.js";
import { evaluateDossier, extendReplay, replayDossier, type DossierFacts, type DossierReplay, type DossierState, type ReplayResult } from "../../domain/dossier/dossier-fold.js";
import { overdueSpansOf, type OverdueSpan } from "../../domain/dossier/overdue-spans.js";
import { dutyContributions } from "../../domain/statistics/duty-contributions.js";
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
  return {
    ...columns,
    overdueSpans,
    duties,
    statContributions: monthContributions({ ...reception, ...columns }, overdueSpans),
    dutyContributions: dutyContributions(columns.status, duties),
  };
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

/** The replays kept in memory: at most this many events in all (a 3,000-event dossier is ~3 MiB of replay and events). */
export const REPLAY_CACHE_EVENTS = 20_000;

interface CachedReplay {
  /** The dossier's event count the replay is of: the optimistic-concurrency version of its row. */
  readonly eventCount: number;
  /** The calendar engine it was replayed on (a new revision of the calendar is a new engine). */
  readonly engine: WorkingCalendar;
  readonly replay: DossierReplay;
  readonly events: readonly DossierEvent[];
}

/**
 * Replays histories against the procedure version and calendar each dossier was received under.
 * Procedure versions are immutable, so they are cached for the process's life.
 *
 * The latest replay of recently written dossiers is kept (bounded, least recently used out), so
 * that a write whose events come after the history extends it (extendReplay) instead of reading
 * and replaying every event again (issue #12). A kept replay is used only while it is of the
 * dossier's current event count (any other writer's append, here or in another process, bumps
 * it) and of the calendar engine now in force; otherwise the history is read and replayed.
 */
export function createDossierHistory(deps: {
  procedures: Pick<ProcedureRepository, "getVersion">;
  calendars: Pick<CalendarService, "engineFor">;
  now: () => number;
  /** Events the replay cache may hold in all; 0 turns it off. */
  cacheEvents?: number;
}) {
  const versionCache = new Map<string, ProcedureVersion>();
  const maxEvents = deps.cacheEvents ?? REPLAY_CACHE_EVENTS;
  const replays = new Map<string, CachedReplay>();
  let cachedEvents = 0;
  const forget = (code: string) => {
    const old = replays.get(code);
    if (old === undefined) return;
    replays.delete(code);
    cachedEvents -= old.events.length;
  };
  const keep = (code: string, entry: CachedReplay) => {
    forget(code);
    if (entry.events.length > maxEvents) return;
    replays.set(code, entry);
    cachedEvents += entry.events.length;
    for (const [oldest] of replays) {
      if (cachedEvents <= maxEvents) break;
      forget(oldest);
    }
  };

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

  /**
   * The history with `added` appended, replayed: from the kept replay when it is current and the
   * added events come after it, else from `readEvents()` and a full replay. `events` is the whole
   * history in storage order of the kept part, then `added`.
   */
  async function replayWith(
    record: DossierRecord,
    added: readonly DossierEvent[],
    readEvents: () => Promise<readonly DossierEvent[]>,
  ): Promise<{ procedure: ProcedureVersion; engine: WorkingCalendar; result: ReplayResult; events: readonly DossierEvent[]; incremental: boolean }> {
    const procedure = await procedureVersion(record.procedureCode, record.procedureVersion);
    const engine = await deps.calendars.engineFor(record.calendarId);
    const kept = replays.get(record.receiptCode);
    if (kept !== undefined && kept.eventCount === record.eventCount && kept.engine === engine) {
      const extended = extendReplay(kept.replay, added, engine, engine.rules.workingDayMinutes);
      if (extended !== undefined) return { procedure, engine, result: extended, events: [...kept.events, ...added], incremental: true };
    }
    const events = [...(await readEvents()), ...added];
    return { procedure, engine, result: replayDossier(factsOf(record, procedure), events, engine, engine.rules.workingDayMinutes), events, incremental: false };
  }

  /** Keeps a committed replay for the next write on the dossier. */
  function remember(receiptCode: string, eventCount: number, engine: WorkingCalendar, replay: DossierReplay, events: readonly DossierEvent[]): void {
    if (maxEvents > 0) keep(receiptCode, { eventCount, engine, replay, events });
  }

  return { procedureVersion, replay, replayWith, remember, view, cacheSize: () => ({ dossiers: replays.size, events: cachedEvents }) };
}

export type DossierHistory = ReturnType<typeof createDossierHistory>;
