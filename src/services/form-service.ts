/**
 * The printable forms (API.md "Printable forms"; Circular 03/2025/TT-VPCP Annex I, Circular
 * 01/2018/TT-VPCP before 15 Sep 2025): gathers what a form needs through the dossier, letter and
 * agency services (so that reading a form is authorized exactly like reading its dossier) and
 * builds the form's fields (src/domain/forms). Rendering is the HTTP layer's (src/documents).
 * Serving a form serves the applicant's personal data: the read is recorded in the access audit
 * here, under the representation asked for, before the form is handed to the renderer.
 */
import type { Principal } from "../domain/access/roles.js";
import type { ApologyLetter } from "../domain/dossier/apology-letter.js";
import type { AuditAction } from "../domain/access/audit.js";
import { AppError, ruleViolation, validationFailed } from "../domain/errors.js";
import type { FormKind } from "../domain/forms/form-catalog.js";
import {
  apologyLetterForm,
  controlSheetForm,
  receiptForm,
  refusalForm,
  registerForm,
  stopNoticeForm,
  supplementRequestForm,
  type DossierPapers,
  type FormAgency,
  type FormOutcome,
  type PrintableForm,
  type RegisterEntry,
} from "../domain/forms/form-models.js";
import { vietnamDayOf } from "../domain/time.js";
import type { AgencyService } from "./agency-service.js";
import type { AuditService, Requester } from "./audit-service.js";
import type { ApologyLetterService } from "./apology-letter-service.js";
import type { AgencyRecord } from "./catalog-ports.js";
import type { DossierRecord } from "./dossier-ports.js";
import type { DossierUseCases, DossierView } from "./dossiers/index.js";

/** The forms a dossier has, besides its apology letters (one route per form). */
export const DOSSIER_FORM_KINDS = ["receipt", "supplement_request", "refusal", "stop_notice", "control_sheet"] as const satisfies readonly FormKind[];
export type DossierFormKind = (typeof DOSSIER_FORM_KINDS)[number];

/** A register lists at most this many dossiers: a longer one is asked for in shorter periods. */
export const MAX_REGISTER_ROWS = 10_000;
/** A register covers at most a year (report years run 15 Dec – 14 Dec, DOMAIN.md §6). */
const MAX_REGISTER_DAYS = 366;
const LIST_PAGE = 500;
const MAX_TREE_DEPTH = 64;


const builders: { readonly [K in DossierFormKind]: (p: DossierPapers) => FormOutcome<K> } = {
  receipt: receiptForm,
  supplement_request: supplementRequestForm,
  refusal: refusalForm,
  stop_notice: stopNoticeForm,
  control_sheet: controlSheetForm,
};

/** A form that does not exist for this dossier: 404 naming why (API.md "Printable forms"). */
const noPaper = (outcome: { reason: string; message: string }) => new AppError("not_found", outcome.message, [], outcome.reason);

/** How a form is served; the audit action names it (a PDF print is recorded apart from a JSON read). */
export type FormRepresentation = "pdf" | "json" | "csv" | "xlsx";
type StaffRequester = Requester & { principal: Principal };

export function createFormService(deps: {
  dossiers: Pick<DossierUseCases, "events" | "list" | "access">;
  letters: Pick<ApologyLetterService, "get" | "listFor">;
  agencies: Pick<AgencyService, "get" | "list">;
  audit: Pick<AuditService, "record">;
}) {
  const { dossiers, letters, agencies, audit } = deps;
  const actionOf = (kind: string, representation: FormRepresentation) => `${kind}.${representation === "json" ? "read" : representation}` as AuditAction;

  /** Every agency as the forms name it: with its governing body and its place (its own or its nearest ancestor's). */
  async function agencyDirectory(): Promise<(code: string) => FormAgency> {
    const all = new Map<string, AgencyRecord>((await agencies.list()).map((a) => [a.code, a]));
    const placeOf = (code: string): string | null => {
      let cursor: string | null = code;
      for (let depth = 0; cursor !== null && depth < MAX_TREE_DEPTH; depth++) {
        const agency = all.get(cursor);
        if (agency === undefined) return null;
        if (agency.place !== null) return agency.place;
        cursor = agency.parentCode;
      }
      return null;
    };
    const cache = new Map<string, FormAgency>();
    return (code) => {
      let found = cache.get(code);
      if (found === undefined) {
        const agency = all.get(code);
        const parent = agency?.parentCode ? all.get(agency.parentCode) : undefined;
        found = { code, name: agency?.name ?? code, parentName: parent?.name ?? null, place: placeOf(code) };
        cache.set(code, found);
      }
      return found;
    };
  }

  function papersOf(view: DossierView, events: DossierPapers["events"], dossierLetters: DossierPapers["letters"], agencyOf: DossierPapers["agencyOf"]): DossierPapers {
    const record: DossierRecord = view.record;
    return {
      receiptCode: record.receiptCode,
      procedure: view.procedure,
      receivingAgencyCode: record.receivingAgencyCode,
      handlingAgencyCode: record.handlingAgencyCode,
      channel: record.channel,
      applicant: record.applicant,
      receivedAt: record.receivedAt,
      originalDueAt: record.originalDueAt,
      rescheduledDueAt: record.rescheduledDueAt,
      documents: record.documents ?? null,
      setCount: record.setCount ?? null,
      state: view.state,
      events,
      letters: dossierLetters,
      agencyOf,
    };
  }

  return {
    /** One of the dossier's forms; 404 when the dossier has no such paper, or no form existed on its date. */
    async dossierForm<K extends DossierFormKind>(
      kind: K,
      receiptCode: string,
      requester: StaffRequester,
      representation: "pdf" | "json",
    ): Promise<Extract<PrintableForm, { kind: K }>> {
      const { view, events } = await dossiers.events(receiptCode, requester.principal);
      const [agencyOf, dossierLetters] = await Promise.all([agencyDirectory(), letters.listFor(receiptCode)]);
      const papers = papersOf(
        view,
        events.map((e) => e.event),
        dossierLetters,
        agencyOf,
      );
      const outcome = builders[kind](papers) as FormOutcome<K>;
      if (!outcome.ok) throw noPaper(outcome);
      await audit.record(actionOf(kind, representation), view.record.receiptCode, requester);
      return outcome.form;
    },

    /** The apology letter as printed: Mẫu 04 of Circular 03/2025, Mẫu 05 of Circular 01/2018 before 15 Sep 2025. */
    async apologyLetter(
      receiptCode: string,
      number: number,
      requester: StaffRequester,
      representation: "pdf" | "json",
    ): Promise<{ letter: ApologyLetter; form: Extract<PrintableForm, { kind: "apology_letter" }> }> {
      const { letter, dossier } = await letters.get(receiptCode, number, requester.principal);
      const outcome = apologyLetterForm(papersOf(dossier, [], [letter], await agencyDirectory()), letter);
      if (!outcome.ok) throw noPaper(outcome);
      await audit.record(actionOf("apology_letter", representation), dossier.record.receiptCode, requester);
      return { letter, form: outcome.form };
    },

    /**
     * The agency's register (Mẫu 07) of the dossiers it received or handles, received from `from`
     * to `to` (Vietnam-local dates, inclusive). Admins and reporters read any agency's; a desk only
     * its own agencies' (and those below them).
     */
    async register(
      agencyCode: string,
      period: { from: string; to: string },
      requester: StaffRequester,
      representation: FormRepresentation,
    ): Promise<Extract<PrintableForm, { kind: "register" }>> {
      const { principal } = requester;
      const from = vietnamDayOf(period.from, "from");
      const to = vietnamDayOf(period.to, "to");
      if (to.start < from.start) throw validationFailed([{ field: "to", message: "must not be before from" }]);
      if ((to.start - from.start) / 86_400_000 + 1 > MAX_REGISTER_DAYS) throw validationFailed([{ field: "to", message: `a register covers at most ${MAX_REGISTER_DAYS} days` }]);
      await agencies.get(agencyCode); // 404 for an unknown agency
      if (principal.role === "desk" && !(await dossiers.access.mayActFor(principal, agencyCode)))
        throw new AppError("forbidden", "a desk key reads the register of its own agencies only");

      const entries: RegisterEntry[] = [];
      let cursor: number | undefined;
      do {
        const page = await dossiers.list({ agencyCode, receivedFrom: period.from, receivedTo: period.to, limit: LIST_PAGE, ...(cursor !== undefined ? { cursor } : {}) }, principal);
        for (const { record, procedure, clock } of page.items) {
          // The list also finds dossiers the agency merely holds for a step: the register is of those it received or handles.
          if (record.receivingAgencyCode !== agencyCode && record.handlingAgencyCode !== agencyCode) continue;
          entries.push({
            receiptCode: record.receiptCode,
            procedureName: procedure.name,
            applicant: record.applicant,
            handlingAgencyCode: record.handlingAgencyCode,
            channel: record.channel,
            receivedAt: record.receivedAt,
            originalDueAt: record.originalDueAt,
            rescheduledDueAt: record.rescheduledDueAt,
            finishedAt: record.finishedAt,
            returnedAt: record.returnedAt,
            status: record.status,
            timeliness: record.timeliness,
            overdue: clock.overdue,
          });
        }
        if (entries.length > MAX_REGISTER_ROWS)
          throw ruleViolation("register_too_large", `the register would list more than ${MAX_REGISTER_ROWS} dossiers: ask for a shorter period`, [
            { field: "to", message: "ask for a shorter period" },
          ]);
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);

      const agencyOf = await agencyDirectory();
      const outcome = registerForm(agencyOf(agencyCode), { from: period.from, to: period.to, endsAt: to.start }, entries, (code) => agencyOf(code).name);
      if (!outcome.ok) throw noPaper(outcome);
      // Each dossier listed is a read of its applicant's personal data.
      await Promise.all(outcome.form.rows.map((row) => audit.record(actionOf("register", representation), row.receiptCode, requester)));
      return outcome.form;
    },
  };
}

export type FormService = ReturnType<typeof createFormService>;
