/**
 * Use cases of dossiers: reception, events (single or batch, idempotent, retroactive), reading and
 * listing. State is never edited in place: it is the fold of the dossier's events (DOMAIN.md §4),
 * recomputed on every write and stored as a projection.
 */
import { createHash } from "node:crypto";
import type { Principal } from "../domain/access/roles.js";
import { deskCovers } from "../domain/access/agency-scope.js";
import { agencySubtree } from "../domain/access/agency-tree.js";
import { sameIdNumber } from "../domain/dossier/public-view.js";
import type { Applicant, Channel, DossierEvent, RatingLevel, ReceivedDocument } from "../domain/dossier/dossier-types.js";
import { OPEN_STATUSES } from "../domain/dossier/dossier-types.js";
import { computeDueAt, evaluateDossier, replayDossier, type DossierFacts, type DossierReplay, type DossierState } from "../domain/dossier/dossier-fold.js";
import { liveDueInstants } from "../domain/dossier/live-clock.js";
import { PAUSED_STATUSES } from "../domain/dossier/transitions.js";
import { DECREE_118_IN_FORCE_AT, receiptCodeAgency } from "../domain/law/legal-frame.js";
import { parseReceiptCode, receiptCodeDay, receiptCodeProblem } from "../domain/dossier/receipt-code.js";
import type { DutyKind } from "../domain/dossier/duties.js";
import { canonicalJson, toDossierEvent, type EventInput } from "../domain/dossier/event-input.js";
import { overdueSpansOf, type OverdueSpan } from "../domain/dossier/overdue-spans.js";
import { monthContributions } from "../domain/statistics/month-contributions.js";
import { AppError, conflict, notFound, ruleViolation, validationFailed, type FieldError } from "../domain/errors.js";
import type { ProcedureVersion } from "../domain/procedure/procedure-types.js";
import { parseInstant, vietnamDayOf } from "../domain/time.js";
import type { WorkingCalendar } from "../domain/calendar/working-calendar.js";
import { VN_CALENDAR_ID } from "../domain/calendar/calendar-defaults.js";
import type { AgencyRecord, AgencyRepository, ProcedureRepository } from "./catalog-ports.js";
import { checkSupportedYear, type CalendarService } from "./calendar-service.js";
import type { DossierProjection, DossierRecord, DossierRepository, NewEvent, StoredEvent } from "./dossier-ports.js";

export interface ReceptionInput {
  readonly receiptCode?: string;
  readonly procedureCode: string;
  readonly receivingAgencyCode: string;
  readonly handlingAgencyCode?: string;
  readonly channel: Channel;
  readonly receivedAt?: string;
  /** Online dossiers: when the portal's system received it (Decree 118/2025 art. 17(2)). */
  readonly submittedAt?: string;
  readonly applicant: Applicant;
  readonly summary?: string;
  /** The papers received and how many sets (Circular 03/2025 Mẫu 01 prints them). */
  readonly documents?: readonly ReceivedDocument[];
  readonly setCount?: number;
  readonly digitized?: boolean;
  readonly feeVnd?: number;
  readonly paidOnline?: boolean;
}

/** A dossier as read: the stored facts and the fold evaluated at the time of reading. */
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

/** What the presented identity number is compared with when the receipt code is unknown (the answer is 404 whatever the result). */
const STAND_IN_ID_NUMBER = "000000 000000";

/** Optimistic-concurrency retries when two writes race on the same dossier. */
const MAX_WRITE_ATTEMPTS = 5;
const MAX_TREE_DEPTH = 64;

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/**
 * The projection from a fold as of the last event (deterministic, so rebuilds equal live writes),
 * with the stretches during which the dossier was overdue and its share of the report-month totals.
 */
export function projectionOf(
  reception: Pick<DossierRecord, "channel" | "digitized" | "feeVnd" | "paidOnline" | "receivedAt">,
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
export function projectionOfReplay(
  reception: Pick<DossierRecord, "channel" | "digitized" | "feeVnd" | "paidOnline" | "receivedAt">,
  replay: DossierReplay,
  engine: WorkingCalendar,
): DossierProjection {
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

export function createDossierService(deps: {
  dossiers: DossierRepository;
  procedures: ProcedureRepository;
  agencies: AgencyRepository;
  calendars: CalendarService;
  now: () => number;
}) {
  const { dossiers, procedures, agencies, calendars } = deps;
  // Procedure versions are immutable: cache them for the process's life.
  const versionCache = new Map<string, ProcedureVersion>();

  async function procedureVersion(code: string, version: number): Promise<ProcedureVersion> {
    const key = `${code}@${version}`;
    const cached = versionCache.get(key);
    if (cached) return cached;
    const found = await procedures.getVersion(code, version);
    if (!found) throw new Error(`procedure version ${key} referenced by a dossier is missing`);
    versionCache.set(key, found);
    return found;
  }

  async function requireAgency(code: string, field: string): Promise<AgencyRecord> {
    const agency = await agencies.get(code);
    if (!agency) throw notFound("Agency", code, [{ field, message: "unknown agency" }]);
    return agency;
  }

  async function lineage(code: string): Promise<string[]> {
    const chain: string[] = [];
    let cursor: string | null = code;
    while (cursor !== null && chain.length < MAX_TREE_DEPTH) {
      chain.push(cursor);
      cursor = (await agencies.get(cursor))?.parentCode ?? null;
    }
    return chain;
  }

  /**
   * The one rule for "may this caller act for this agency" (API.md "Auth"): an administrator for
   * any, a desk for its agencies and those below them in the tree, a reporter for none.
   */
  async function mayActFor(principal: Principal, agencyCode: string): Promise<boolean> {
    if (principal.role === "admin") return true;
    return principal.role === "desk" && deskCovers(principal, [await lineage(agencyCode)]);
  }

  /** Admins and reporters see everything; a desk only dossiers its agencies receive, handle or hold. */
  async function authorize(principal: Principal, agencyCodes: readonly string[], write: boolean): Promise<void> {
    if (principal.role === "admin") return;
    if (principal.role === "reporter") {
      if (!write) return;
      throw new AppError("forbidden", "a reporter key can only read");
    }
    const lineages = await Promise.all([...new Set(agencyCodes)].map(lineage));
    if (!deskCovers(principal, lineages)) throw new AppError("forbidden", "this desk key does not cover the dossier's agencies");
  }

  const dossierAgencies = (r: DossierRecord) => [r.receivingAgencyCode, r.handlingAgencyCode, r.currentAgencyCode];

  /** The history replayed once (issue #12): evaluated for the projection and for the answer alike. */
  async function replay(record: DossierRecord, events: readonly DossierEvent[]) {
    const procedure = await procedureVersion(record.procedureCode, record.procedureVersion);
    const engine = await calendars.engineFor(record.calendarId);
    return { procedure, engine, result: replayDossier(factsOf(record, procedure), events, engine, engine.rules.workingDayMinutes) };
  }

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
   * The portal's identity check (DOMAIN.md §9): receipt code AND identity number; a wrong number
   * is answered exactly like an unknown code, so the code alone reveals nothing.
   */
  async function applicantsDossier(receiptCode: string, idNumber: string) {
    // The identity number is compared before anything else is read, and an unknown code does the
    // same work against a stand-in, so that the time taken tells nothing about whether the code
    // exists or how long its history is (issue #11 item 7).
    const record = await dossiers.get(receiptCode);
    const matches = sameIdNumber(record?.applicant.idNumber ?? STAND_IN_ID_NUMBER, idNumber);
    const found = record !== undefined && matches && record.status !== "cancelled" ? await dossiers.getWithEvents(receiptCode) : undefined;
    if (!found) throw new AppError("not_found", "No dossier matches this receipt code and identity number", [], "dossier_not_found");
    return found;
  }

  return {
    async receive(input: ReceptionInput, principal: Principal): Promise<{ created: boolean; view: DossierView }> {
      const now = deps.now();
      const receivedAt = input.receivedAt === undefined ? now : parseInstant(input.receivedAt);
      if (receivedAt === null) throw validationFailed([{ field: "receivedAt", message: "must be an ISO 8601 timestamp with an offset" }]);
      // Not in the future, and in a year the receiving agency's calendar can count in.
      const outOfRange = [...checkNotFuture(receivedAt, "receivedAt", now), ...checkSupportedYear(receivedAt, "receivedAt")];
      if (outOfRange.length > 0) throw validationFailed(outOfRange);
      const submittedAt = input.submittedAt === undefined ? null : parseInstant(input.submittedAt);
      if (input.submittedAt !== undefined) {
        // Decree 118/2025 art. 17(2): the portal's system receives an online dossier, then the desk accepts it.
        const field = "submittedAt";
        if (input.channel !== "online") throw validationFailed([{ field, message: "only an online dossier is submitted before it is received" }]);
        if (submittedAt === null) throw validationFailed([{ field, message: "must be an ISO 8601 timestamp with an offset" }]);
        if (submittedAt > receivedAt) throw validationFailed([{ field, message: "must not be after receivedAt" }]);
        const unsupported = checkSupportedYear(submittedAt, field);
        if (unsupported.length > 0) throw validationFailed(unsupported);
      }

      const procedure = await procedures.get(input.procedureCode);
      if (!procedure) throw notFound("Procedure", input.procedureCode, [{ field: "procedureCode", message: "unknown procedure" }]);
      const receiving = await requireAgency(input.receivingAgencyCode, "receivingAgencyCode");
      const handling = input.handlingAgencyCode === undefined ? receiving : await requireAgency(input.handlingAgencyCode, "handlingAgencyCode");
      if (principal.role !== "admin") {
        if (principal.role !== "desk") throw new AppError("forbidden", "only a desk of the receiving agency or an admin receives dossiers");
        if (!(await mayActFor(principal, receiving.code))) throw new AppError("forbidden", "this desk key does not cover the receiving agency");
      }
      // "The receiving agency's calendar governs" the clock (DOMAIN.md §4 "Start").
      const engine: WorkingCalendar = await calendars.engineFor(receiving.calendarId);
      const day = receiptCodeDay(engine.localDate(receivedAt));
      if (input.receiptCode !== undefined) {
        // DOMAIN.md §8: a supplied code is in the dossier's own namespace (an agency the caller acts
        // for, the reception date), so that no desk can take another agency's codes.
        const codeAgency = parseReceiptCode(input.receiptCode)?.agencyCode;
        const allowed = codeAgency !== undefined && (await mayActFor(principal, codeAgency));
        const problem = receiptCodeProblem(input.receiptCode, day, () => allowed);
        if (problem !== null) {
          const error = { field: problem.field, message: problem.message };
          throw problem.kind === "other_agency" ? new AppError("forbidden", `receiptCode ${problem.message}`, [error]) : validationFailed([error]);
        }
      }

      const receptionHash = sha256(canonicalJson({ ...input, receivedAt }));
      if (input.receiptCode !== undefined) {
        const existing = await dossiers.getWithEvents(input.receiptCode);
        if (existing) {
          if (existing.dossier.receptionHash !== receptionHash)
            throw conflict(`receipt code ${input.receiptCode} was already received with a different body`, [
              { field: "receiptCode", message: "already used for another reception" },
            ]);
          return { created: false, view: await view(existing.dossier, existing.events) };
        }
      }

      const clockStart = engine.nextWorkingInstant(receivedAt);
      const originalDueAt = computeDueAt(engine, clockStart, procedure.committedDuration);
      const reception = {
        procedureCode: procedure.code,
        procedureVersion: procedure.version,
        fieldCode: procedure.fieldCode,
        receivingAgencyCode: receiving.code,
        handlingAgencyCode: handling.code,
        calendarId: receiving.calendarId,
        channel: input.channel,
        applicant: input.applicant,
        summary: input.summary ?? null,
        documents: input.documents === undefined || input.documents.length === 0 ? null : input.documents.map((d) => ({ ...d, name: d.name.normalize("NFC").trim() })),
        setCount: input.setCount ?? null,
        digitized: input.digitized ?? false,
        feeVnd: input.feeVnd ?? null,
        paidOnline: input.paidOnline ?? false,
        receivedAt,
        submittedAt,
        originalDueAt,
        // Set only by an apology letter (apology-letter-service), never by the fold.
        rescheduledDueAt: null,
        receptionHash,
        createdAt: now,
        updatedAt: now,
      };
      const replayed = replayDossier(factsOf(reception, procedure), [], engine, engine.rules.workingDayMinutes);
      if (!replayed.ok) throw ruleViolation(replayed.violation.rule, replayed.violation.message);
      const atReception = evaluateDossier(replayed.replay, engine, receivedAt);
      // DOMAIN.md §8: the code names the handling agency from Decree 118/2025 (art. 28), the receiving desk before.
      const codeAgency = receiptCodeAgency(atReception.legalFrame, reception);
      const inserted = await dossiers.insert(
        { ...reception, ...projectionOfReplay(reception, replayed.replay, engine), ...(input.receiptCode !== undefined ? { receiptCode: input.receiptCode } : {}) },
        { agencyCode: codeAgency, day },
      );
      if (!inserted) {
        // Another request took this receipt code between our check and our insert: judge against it.
        const existing = await dossiers.getWithEvents(input.receiptCode!);
        if (existing && existing.dossier.receptionHash === receptionHash) return { created: false, view: await view(existing.dossier, existing.events) };
        throw conflict(`receipt code ${input.receiptCode} was already received with a different body`, [
          { field: "receiptCode", message: "already used for another reception" },
        ]);
      }
      // The same replay answers: a new dossier has no events to read back.
      return { created: true, view: { record: inserted, procedure, state: evaluateDossier(replayed.replay, engine, deps.now()) } };
    },

    async get(receiptCode: string, principal: Principal): Promise<DossierView> {
      const found = await dossiers.getWithEvents(receiptCode);
      if (!found) throw notFound("Dossier", receiptCode);
      await authorize(principal, dossierAgencies(found.dossier), false);
      return view(found.dossier, found.events);
    },

    /**
     * The citizen portal's lookup (DOMAIN.md §9): status, dates and the handling agency.
     */
    async publicLookup(receiptCode: string, idNumber: string): Promise<DossierView & { agencyName: string }> {
      const found = await applicantsDossier(receiptCode, idNumber);
      const handling = await agencies.get(found.dossier.handlingAgencyCode);
      return { ...(await view(found.dossier, found.events)), agencyName: handling?.name ?? found.dossier.handlingAgencyCode };
    },

    /**
     * The applicant rates the service once, after the result (DOMAIN.md §9); a reason is required
     * when dissatisfied. Same identity check as the lookup.
     */
    async publicRate(receiptCode: string, input: { idNumber: string; level: RatingLevel; reason?: string }) {
      const found = await applicantsDossier(receiptCode, input.idNumber);
      const reason = input.reason?.trim() ? input.reason.trim() : null;
      if (input.level === "dissatisfied" && reason === null) throw validationFailed([{ field: "reason", message: "is required when dissatisfied" }]);
      if (found.dossier.status !== "result_ready" && found.dossier.status !== "returned")
        throw ruleViolation("result_not_ready", "a dossier can be rated once its result is ready");
      const ratedAt = deps.now();
      if (!(await dossiers.insertRating(receiptCode, { level: input.level, reason, ratedAt })))
        throw conflict("this dossier has been rated already");
      return { receiptCode, level: input.level, reason, ratedAt };
    },

    async events(receiptCode: string, principal: Principal): Promise<{ view: DossierView; events: StoredEvent[] }> {
      const found = await dossiers.getWithEvents(receiptCode);
      if (!found) throw notFound("Dossier", receiptCode);
      await authorize(principal, dossierAgencies(found.dossier), false);
      return { view: await view(found.dossier, found.events), events: found.events };
    },

    /**
     * Records events (one or a batch, in any order, all or nothing). Re-sent events with the same
     * body are acknowledged without change; a reused eventId with another body is a conflict.
     */
    async postEvents(receiptCode: string, inputs: readonly EventInput[], principal: Principal, batch: boolean): Promise<{ created: boolean; view: DossierView }> {
      const now = deps.now();
      const prefix = (i: number) => (batch ? `events[${i}].` : "");
      const errors: FieldError[] = [];
      const parsed: { event: DossierEvent; bodyHash: string; index: number }[] = [];
      const seen = new Map<string, number>();
      inputs.forEach((input, index) => {
        const { event, errors: eventErrors } = toDossierEvent(input, prefix(index));
        errors.push(...eventErrors);
        if (!event) return;
        errors.push(...checkNotFuture(event.occurredAt, `${prefix(index)}occurredAt`, now));
        if (seen.has(event.eventId)) errors.push({ field: `${prefix(index)}eventId`, message: `repeats events[${seen.get(event.eventId)}].eventId` });
        seen.set(event.eventId, index);
        parsed.push({ event, bodyHash: sha256(canonicalJson(event)), index });
      });
      if (errors.length > 0) throw validationFailed(errors);

      for (let attempt = 1; ; attempt++) {
        const found = await dossiers.getWithEvents(receiptCode);
        if (!found) throw notFound("Dossier", receiptCode);
        const { dossier } = found;
        await authorize(principal, dossierAgencies(dossier), true);
        for (const { event, index } of parsed) {
          // An event is recorded in the name of an agency the caller acts for, never another's.
          if (!(await mayActFor(principal, event.agencyCode)))
            throw new AppError("forbidden", `this key may not record events in the name of ${event.agencyCode}`, [
              { field: `${prefix(index)}agencyCode`, message: "is an agency this key may not act for" },
            ]);
          if (event.type === "cancelled" && principal.role !== "admin")
            throw new AppError("forbidden", "only an administrator may cancel a dossier (data-entry corrections)", [
              { field: `${prefix(index)}type`, message: "cancelled is for administrators" },
            ]);
          await requireAgency(event.agencyCode, `${prefix(index)}agencyCode`);
          if (event.type === "transferred") await requireAgency(event.toAgencyCode, `${prefix(index)}toAgencyCode`);
        }

        const stored = new Map((await dossiers.findEvents(parsed.map((p) => p.event.eventId))).map((s) => [s.event.eventId, s]));
        const fresh: NewEvent[] = [];
        for (const { event, bodyHash, index } of parsed) {
          const previous = stored.get(event.eventId);
          if (!previous) fresh.push({ event, bodyHash, recordedBy: principal.keyId });
          else if (previous.receiptCode !== receiptCode || previous.bodyHash !== bodyHash)
            throw conflict(`event ${event.eventId} was already recorded with a different body`, [
              { field: `${prefix(index)}eventId`, message: "already used for another event" },
            ]);
        }
        if (fresh.length === 0) return { created: false, view: await view(dossier, found.events) };

        // A late event is accepted when the whole history, in occurredAt order, stays valid (API.md).
        const history = [...found.events.map((e) => e.event), ...fresh.map((f) => f.event)];
        const { procedure, engine, result } = await replay(dossier, history);
        if (!result.ok) {
          const culprit = parsed.find((p) => p.event.eventId === result.violation.eventId);
          const field = culprit ? `${prefix(culprit.index)}type` : "events";
          throw ruleViolation(result.violation.rule, result.violation.message, [{ field, message: result.violation.message }]);
        }
        // One replay: the projection (as of the last event, so that rebuilds equal live writes),
        // its overdue stretches, and the answer (as of now).
        const projection = projectionOfReplay(dossier, result.replay, engine);
        if (await dossiers.appendEvents(receiptCode, dossier.eventCount, fresh, projection, now)) {
          // What was just committed, without reading it back: the old record with the new projection.
          const { overdueSpans: _spans, statContributions: _totals, duties: _duties, ...columns } = projection;
          return { created: true, view: { record: { ...dossier, ...columns, updatedAt: now }, procedure, state: evaluateDossier(result.replay, engine, now) } };
        }
        if (attempt >= MAX_WRITE_ATTEMPTS) throw conflict("the dossier is being changed by other requests; retry");
      }
    },

    async list(
      filter: {
        agencyCode?: string;
        status?: DossierRecord["status"];
        overdue?: boolean;
        atRisk?: boolean;
        apology?: "none" | "issued";
        dutyOverdue?: DutyKind;
        supplementExpired?: boolean;
        procedureCode?: string;
        receivedFrom?: string;
        receivedTo?: string;
        limit: number;
        cursor?: number;
      },
      principal: Principal,
    ) {
      const now = deps.now();
      let agencyCodes: string[] | undefined;
      if (filter.agencyCode !== undefined) agencyCodes = [filter.agencyCode];
      if (principal.role === "desk") {
        // A desk lists only its own agencies (and those below them).
        const covered = agencySubtree(principal.agencyCodes, await agencies.list());
        agencyCodes = agencyCodes === undefined ? covered : agencyCodes.filter((c) => covered.includes(c));
      }
      let receivedFrom = filter.receivedFrom === undefined ? undefined : vietnamDayOf(filter.receivedFrom, "receivedFrom").start;
      // Duty work lists (DOMAIN.md §10). Waiting past the applicant's limit (Decree 118/2025 art.
      // 19(5)) is the supplement-completion duty overdue: the desk closes these dossiers.
      const kinds = new Set<DutyKind>([...(filter.dutyOverdue === undefined ? [] : [filter.dutyOverdue]), ...(filter.supplementExpired ? ["supplement_completion" as const] : [])]);
      if (kinds.has("extension_notice")) {
        // Owed by a late dossier without a letter (art. 19(6)); a Decree 118 duty, so received from its entry into force.
        kinds.delete("extension_notice");
        filter = { ...filter, overdue: true, apology: "none" };
        receivedFrom = Math.max(receivedFrom ?? DECREE_118_IN_FORCE_AT, DECREE_118_IN_FORCE_AT);
      }
      const dutiesOverdue = [...kinds];
      const receivedBefore = filter.receivedTo === undefined ? undefined : vietnamDayOf(filter.receivedTo, "receivedTo").end;
      const page = await dossiers.list({
        ...(agencyCodes !== undefined ? { agencyCodes } : {}),
        ...(filter.status !== undefined ? { status: filter.status } : {}),
        ...(filter.overdue !== undefined ? { overdue: filter.overdue } : {}),
        ...(filter.atRisk === true ? { dueWithin: await nextWorkingDayFrom(now, filter.agencyCode), apology: "none" as const } : {}),
        ...(filter.apology !== undefined ? { apology: filter.apology } : {}),
        ...(dutiesOverdue.length > 0 ? { dutiesOverdue } : {}),
        ...(filter.procedureCode !== undefined ? { procedureCode: filter.procedureCode } : {}),
        ...(receivedFrom !== undefined ? { receivedFrom } : {}),
        ...(receivedBefore !== undefined ? { receivedBefore } : {}),
        ...(filter.cursor !== undefined ? { cursor: filter.cursor } : {}),
        limit: filter.limit,
        now,
      });
      // One engine per calendar for the page (a paused dossier's due instants are read on it).
      const engines = new Map<string, Promise<WorkingCalendar>>();
      const engineOf = (calendarId: string) => engines.get(calendarId) ?? engines.set(calendarId, calendars.engineFor(calendarId)).get(calendarId)!;
      return { items: await Promise.all(page.items.map((record) => listView(record, engineOf))), nextCursor: page.nextCursor };
    },
  };

  /**
   * The "at risk" horizon (API.md: due within the next working day): from now to one working day
   * later on the calendar of the agency asked about, else the national one.
   */
  async function nextWorkingDayFrom(now: number, agencyCode: string | undefined): Promise<{ from: number; to: number }> {
    const calendarId = (agencyCode === undefined ? undefined : (await agencies.get(agencyCode))?.calendarId) ?? VN_CALENDAR_ID;
    const engine = await calendars.engineFor(calendarId);
    return { from: now, to: engine.addWorkingMinutes(engine.nextWorkingInstant(now), engine.rules.workingDayMinutes) };
  }

  async function listView(
    record: DossierRecord,
    engineOf: (calendarId: string) => Promise<WorkingCalendar>,
  ): Promise<{ record: DossierRecord; procedure: ProcedureVersion; overdue: boolean }> {
    const procedure = await procedureVersion(record.procedureCode, record.procedureVersion);
    // The stored clock read now, as the dossier's detail reads it (live-clock.ts).
    if (PAUSED_STATUSES.includes(record.status)) record = { ...record, ...liveDueInstants(record, await engineOf(record.calendarId), deps.now()) };
    const open = OPEN_STATUSES.includes(record.status);
    // DOMAIN.md §6, as the fold judges it (dossier-fold.ts `overdue`) from the stored columns.
    const overdue = open && (record.status === "suspended" ? record.lateWhenSuspended : !record.paused && deps.now() > record.dueAt);
    return { record, procedure, overdue };
  }
}


export type DossierService = ReturnType<typeof createDossierService>;
