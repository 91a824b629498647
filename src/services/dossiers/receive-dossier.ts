/**
 * Use case: a desk (or an administrator) receives a dossier (DOMAIN.md §4 "Start", §8 identifiers).
 * A supplied receipt code makes the reception idempotent: the same body again is acknowledged
 * without change, another body under the same code is a conflict.
 */
import type { Principal } from "../../domain/access/roles.js";
import type { Applicant, Channel, ReceivedDocument } from "../../domain/dossier/dossier-types.js";
import { computeDueAt, evaluateDossier, replayDossier } from "../../domain/dossier/dossier-fold.js";
import { receiptCodeAgency } from "../../domain/law/legal-frame.js";
import { parseReceiptCode, receiptCodeDay, receiptCodeProblem } from "../../domain/dossier/receipt-code.js";
import { contentHash } from "../content-hash.js";
import { AppError, conflict, notFound, ruleViolation, validationFailed } from "../../domain/errors.js";
import { parseInstant } from "../../domain/time.js";
import type { WorkingCalendar } from "../../domain/calendar/working-calendar.js";
import type { ProcedureRepository } from "../catalog-ports.js";
import { checkSupportedYear, type CalendarService } from "../calendar-service.js";
import type { DossierRepository } from "../dossier-ports.js";
import type { AgencyAccess } from "./dossier-access.js";
import type { DossierOutbound } from "../outbound/dossier-outbound.js";
import { checkNotFuture, factsOf, projectionOfReplay, type DossierHistory, type DossierView } from "./dossier-history.js";

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


export function createReceiveDossier(deps: {
  dossiers: Pick<DossierRepository, "getWithEvents" | "insert">;
  procedures: Pick<ProcedureRepository, "get">;
  calendars: Pick<CalendarService, "engineFor">;
  access: Pick<AgencyAccess, "mayActFor" | "requireAgency">;
  history: Pick<DossierHistory, "view" | "remember">;
  outbound?: Pick<DossierOutbound, "prepare">;
  /** After a commit that queued outbound messages (wakes the dispatcher). */
  committed?: () => void;
  now: () => number;
}) {
  const { dossiers, procedures, calendars, access, history } = deps;

  return async function receive(input: ReceptionInput, principal: Principal): Promise<{ created: boolean; view: DossierView }> {
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
    const receiving = await access.requireAgency(input.receivingAgencyCode, "receivingAgencyCode");
    const handling = input.handlingAgencyCode === undefined ? receiving : await access.requireAgency(input.handlingAgencyCode, "handlingAgencyCode");
    if (principal.role !== "admin") {
      if (principal.role !== "desk") throw new AppError("forbidden", "only a desk of the receiving agency or an admin receives dossiers");
      if (!(await access.mayActFor(principal, receiving.code))) throw new AppError("forbidden", "this desk key does not cover the receiving agency");
    }
    // "The receiving agency's calendar governs" the clock (DOMAIN.md §4 "Start").
    const engine: WorkingCalendar = await calendars.engineFor(receiving.calendarId);
    const day = receiptCodeDay(engine.localDate(receivedAt));
    if (input.receiptCode !== undefined) {
      // DOMAIN.md §8: a supplied code is in the dossier's own namespace (an agency the caller acts
      // for, the reception date), so that no desk can take another agency's codes.
      const codeAgency = parseReceiptCode(input.receiptCode)?.agencyCode;
      const allowed = codeAgency !== undefined && (await access.mayActFor(principal, codeAgency));
      const problem = receiptCodeProblem(input.receiptCode, day, () => allowed);
      if (problem !== null) {
        const error = { field: problem.field, message: problem.message };
        throw problem.kind === "other_agency" ? new AppError("forbidden", `receiptCode ${problem.message}`, [error]) : validationFailed([error]);
      }
    }

    const receptionHash = contentHash({ ...input, receivedAt });
    if (input.receiptCode !== undefined) {
      const existing = await dossiers.getWithEvents(input.receiptCode);
      if (existing) {
        if (existing.dossier.receptionHash !== receptionHash)
          throw conflict(`receipt code ${input.receiptCode} was already received with a different body`, [
            { field: "receiptCode", message: "already used for another reception" },
          ]);
        return { created: false, view: await history.view(existing.dossier, existing.events) };
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
    // What the reception sends out (issue #15), written in the reception's own transaction.
    const outbound = await deps.outbound?.prepare({
      kind: "received",
      dossier: { ...reception, currentAgencyCode: atReception.currentAgencyCode, ...(input.receiptCode !== undefined ? { receiptCode: input.receiptCode } : {}) },
      procedure,
      replay: replayed.replay,
      state: atReception,
      engine,
      events: [],
      added: [],
      previousStatus: null,
      at: now,
    });
    const inserted = await dossiers.insert(
      { ...reception, ...projectionOfReplay(reception, replayed.replay, engine), ...(input.receiptCode !== undefined ? { receiptCode: input.receiptCode } : {}) },
      { agencyCode: codeAgency, day },
      outbound,
    );
    if (inserted) {
      history.remember(inserted.receiptCode, 0, engine, replayed.replay, []);
      deps.committed?.();
    }
    if (!inserted) {
      // Another request took this receipt code between our check and our insert: judge against it.
      const existing = await dossiers.getWithEvents(input.receiptCode!);
      if (existing && existing.dossier.receptionHash === receptionHash) return { created: false, view: await history.view(existing.dossier, existing.events) };
      throw conflict(`receipt code ${input.receiptCode} was already received with a different body`, [
        { field: "receiptCode", message: "already used for another reception" },
      ]);
    }
    // The same replay answers: a new dossier has no events to read back.
    return { created: true, view: { record: inserted, procedure, state: evaluateDossier(replayed.replay, engine, deps.now()) } };
  };
}
