/**
 * Apology letters (DOMAIN.md §5, API.md apology-letters): the agency responsible for a delay
 * apologises once and gives a new appointment. The letter sets rescheduledDueAt and leaves the
 * dossier's timeliness alone: it stays late against its due date.
 */
import type { Principal } from "../domain/access/roles.js";
import { apologyRefusal, issuedInTime, responsibleAgencies, type ApologyLetter } from "../domain/dossier/apology-letter.js";
import { AppError, conflict, notFound, ruleViolation, validationFailed, type FieldError } from "../domain/errors.js";
import { parseInstant } from "../domain/time.js";
import type { ApologyLetterRepository } from "./apology-letter-ports.js";
import type { AgencyRecord, AgencyRepository } from "./catalog-ports.js";
import type { CalendarService } from "./calendar-service.js";
import { checkNotFuture, type DossierUseCases, type DossierView } from "./dossiers/index.js";

export interface ApologyLetterInput {
  readonly agencyCode: string;
  readonly reason: string;
  readonly newDueAt: string;
  readonly issuedAt?: string;
  readonly place?: string;
  readonly signerName?: string;
  readonly signerTitle?: string;
  readonly recipients?: readonly string[];
}

/** A letter with what its printed form needs besides (the dossier, the agencies). */
export interface ApologyLetterView {
  readonly letter: ApologyLetter;
  readonly dossier: DossierView;
  readonly agency: AgencyRecord;
  readonly parentAgency: AgencyRecord | null;
}

import type { OutboundOf } from "./dossier-ports.js";
import type { DossierOutbound } from "./outbound/dossier-outbound.js";
const MAX_WRITE_ATTEMPTS = 5;

export function createApologyLetterService(deps: {
  letters: ApologyLetterRepository;
  dossiers: Pick<DossierUseCases, "get" | "events" | "access" | "history">;
  agencies: AgencyRepository;
  calendars: CalendarService;
  /** Outbound (issue #15): apology_letter.issued, the portal record with the extension, re-planned moments. */
  outbound?: Pick<DossierOutbound, "prepare">;
  committed?: () => void;
  now: () => number;
}) {
  const { letters, dossiers, agencies, calendars } = deps;

  function instant(text: string | undefined, field: string, fallback: number, errors: FieldError[]): number {
    if (text === undefined) return fallback;
    const ms = parseInstant(text);
    if (ms === null) errors.push({ field, message: "must be an ISO 8601 timestamp with an offset" });
    return ms ?? fallback;
  }

  /** A desk may write only for an agency it covers, and only as the agency responsible for the delay. */
  async function authorize(principal: Principal, agencyCode: string, responsible: readonly string[]): Promise<void> {
    if (principal.role === "admin") {
      if (!responsible.includes(agencyCode))
        throw ruleViolation("not_responsible_agency", `only the agency responsible for the delay (${responsible.join(" or ")}) issues the letter`, [
          { field: "agencyCode", message: `must be ${responsible.join(" or ")}` },
        ]);
      return;
    }
    if (!(await dossiers.access.mayActFor(principal, agencyCode)) || !responsible.includes(agencyCode))
      throw new AppError("forbidden", `only a desk of the agency responsible for the delay (${responsible.join(" or ")}) may issue the letter`);
  }

  async function viewOf(letter: ApologyLetter, dossier: DossierView): Promise<ApologyLetterView> {
    const agency = (await agencies.get(letter.agencyCode))!;
    const parentAgency = agency.parentCode === null ? null : ((await agencies.get(agency.parentCode)) ?? null);
    return { letter, dossier, agency, parentAgency };
  }

  return {
    async issue(receiptCode: string, input: ApologyLetterInput, principal: Principal): Promise<ApologyLetterView> {
      const now = deps.now();
      const errors: FieldError[] = [];
      const reason = input.reason.normalize("NFC").trim();
      if (reason === "") errors.push({ field: "reason", message: "is required" });
      const issuedAt = instant(input.issuedAt, "issuedAt", now, errors);
      const newDueAt = instant(input.newDueAt, "newDueAt", now, errors);
      errors.push(...checkNotFuture(issuedAt, "issuedAt", now));
      if (errors.length > 0) throw validationFailed(errors);
      if (!(await agencies.get(input.agencyCode))) throw notFound("Agency", input.agencyCode, [{ field: "agencyCode", message: "unknown agency" }]);

      for (let attempt = 1; ; attempt++) {
        // Reading checks that the caller may see the dossier at all (403 for an unrelated desk).
        const { view: dossier, events } = await dossiers.events(receiptCode, principal);
        const { record, state } = dossier;
        await authorize(principal, input.agencyCode, responsibleAgencies(record.handlingAgencyCode, state));
        const existing = await letters.listFor(receiptCode);
        const refusal = apologyRefusal(state, { issuedAt, newDueAt, receivedAt: record.receivedAt, hasLetter: existing.length > 0 });
        if (refusal) throw ruleViolation(refusal.rule, refusal.message, [{ field: refusal.field, message: refusal.message }]);

        const engine = await calendars.engineFor(record.calendarId);
        // What the letter sends out (issue #15): apology_letter.issued, the portal record with the
        // extension (NgayHenTraMoi), and the moments re-planned on the new appointment.
        let outbound: OutboundOf | undefined;
        if (deps.outbound) {
          const history = events.map((e) => e.event);
          const { procedure, result } = await dossiers.history.replay(record, history);
          if (result.ok)
            outbound = await deps.outbound.prepare({
              kind: "apology_letter",
              dossier: { ...record, rescheduledDueAt: newDueAt },
              procedure,
              replay: result.replay,
              state,
              engine,
              events: history,
              added: [],
              previousStatus: record.status,
              letter: { agencyCode: input.agencyCode, issuedAt, newDueAt, reason },
              at: now,
            });
        }
        const issued = await letters.issue(
          {
            receiptCode,
            agencyCode: input.agencyCode,
            year: Number(engine.localDate(issuedAt).slice(0, 4)),
            reason,
            issuedAt,
            originalDueAt: state.dueAt,
            newDueAt,
            issuedInTime: issuedInTime(engine, issuedAt, state.dueAt, state.legalFrame),
            place: input.place?.normalize("NFC").trim() || null,
            signerName: input.signerName?.normalize("NFC").trim() || null,
            signerTitle: input.signerTitle?.normalize("NFC").trim() || null,
            recipients: (input.recipients ?? []).map((r) => r.normalize("NFC").trim()).filter((r) => r !== ""),
            recordedBy: principal.keyId,
          },
          record.eventCount,
          now,
          outbound,
        );
        if (issued === "exists") throw ruleViolation("apology_letter_exists", "the appointment may be rescheduled only once: this dossier has a letter");
        if (issued !== "stale") deps.committed?.();
        if (issued !== "stale") return viewOf(issued, { ...dossier, record: { ...record, rescheduledDueAt: newDueAt } });
        if (attempt >= MAX_WRITE_ATTEMPTS) throw conflict("the dossier is being changed by other requests; retry");
      }
    },

    async get(receiptCode: string, number: number, principal: Principal): Promise<ApologyLetterView> {
      const dossier = await dossiers.get(receiptCode, principal);
      const letter = (await letters.listFor(receiptCode)).find((l) => l.number === number);
      if (!letter) throw notFound("Apology letter", `${receiptCode} Số ${number}/PXL`, [{ field: "number", message: "this dossier has no letter with this number" }]);
      return viewOf(letter, dossier);
    },

    async list(receiptCode: string, principal: Principal): Promise<ApologyLetter[]> {
      await dossiers.get(receiptCode, principal);
      return letters.listFor(receiptCode);
    },

    /** The dossier's letters, for the dossier's own view (already authorized). */
    listFor: (receiptCode: string) => letters.listFor(receiptCode),
  };
}

export type ApologyLetterService = ReturnType<typeof createApologyLetterService>;
