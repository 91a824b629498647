/**
 * The printed forms as data: for each form, the fields it carries, built from the dossier's
 * reception facts, its folded state and its events. The same object is answered as JSON (desk
 * software prints with its own templates) and drawn as a PDF (src/documents), so both always say
 * the same. Instants are ISO 8601 with +07:00 (API.md "Conventions"); durations both as data and
 * as the words printed.
 *
 * Which form: the document's own date (form-catalog.ts). Which fields: Circular 03/2025/TT-VPCP,
 * Annex I (Mẫu 01–07), and Circular 01/2018/TT-VPCP's forms for documents dated before 15 Sep 2025;
 * the layout around them (agency, motto, number, place and date, recipients, signature) is Decree
 * 30/2020/NĐ-CP's, drawn by src/documents/pdf-form.ts.
 */
import type { Duration } from "../calendar/calendar-types.js";
import type { ApologyLetter } from "../dossier/apology-letter.js";
import { orderEvents, type DossierState } from "../dossier/dossier-fold.js";
import type { Applicant, Channel, DossierEvent, DossierStatus, Timeliness } from "../dossier/dossier-types.js";
import { extensionNoticeDuty, type DutyKind, type DutyStatus } from "../dossier/duties.js";
import { OPEN_STATUSES } from "../dossier/dossier-types.js";
import { STATUS_LABELS } from "../dossier/status-labels.js";
import { DEFAULT_SUPPLEMENT_COMPLETION } from "../dossier/duties.js";
import type { ProcedureVersion } from "../procedure/procedure-types.js";
import { formatInstant } from "../time.js";
import { formFor, type FormDefinition, type FormKind } from "./form-catalog.js";
import { collectionText, DUTY_STATUS_TEXT, DUTY_TEXT, durationText, stopReasonText, TIMELINESS_TEXT } from "./form-text.js";

/** The agency a form is issued in the name of (Decree 30/2020, Annex I: the issuing body and its governing body). */
export interface FormAgency {
  readonly code: string;
  readonly name: string;
  /** The governing body printed above it (cơ quan chủ quản), or null. */
  readonly parentName: string | null;
  /** The place printed before the date ("Hà Tĩnh, ngày …"): the agency's, else its nearest ancestor's; null = left to fill in. */
  readonly place: string | null;
}

/** The applicant as the forms print them: no identity number (Personal Data Protection Law 91/2025: the minimum). */
export interface FormApplicant {
  readonly kind: Applicant["kind"];
  readonly name: string;
  readonly address: string | null;
  readonly phone: string | null;
  readonly email: string | null;
}

export interface FormDossier {
  readonly receiptCode: string;
  readonly procedureName: string;
  readonly receivedAt: string;
  /** The desk that received it (Bộ phận Một cửa), which returns the result. */
  readonly receivingAgencyName: string;
  readonly applicant: FormApplicant;
}

interface FormBase {
  readonly form: FormDefinition;
  /** The issuing agency. */
  readonly agency: FormAgency;
  /** The document's own date, which chose the form. */
  readonly date: string;
}

/** A paper received with the dossier (Mẫu 01: "thành phần hồ sơ"), where the reception recorded it. */
export type { ReceivedDocument } from "../dossier/dossier-types.js";
import type { ReceivedDocument } from "../dossier/dossier-types.js";

/** Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả. */
export interface ReceiptForm extends FormBase {
  readonly dossier: FormDossier;
  /** Printed only where the reception recorded them; null otherwise. */
  readonly documents: readonly ReceivedDocument[] | null;
  readonly setCount: number | null;
  readonly legalDuration: Duration;
  readonly legalDurationText: string;
  /** The province's published (reduced) duration, the one the appointment is computed from (DOMAIN.md §4 "Two deadlines"). */
  readonly committedDuration: Duration;
  readonly committedDurationText: string;
  /** The appointment printed at reception (originalDueAt): later pauses never change the slip. */
  readonly appointmentAt: string;
  readonly channel: Channel;
  /** How and where the result is returned. */
  readonly collection: string;
  readonly handlingAgencyName: string;
}

/** Mẫu 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (from the dossier's supplement_requested event). */
export interface SupplementRequestForm extends FormBase {
  readonly dossier: FormDossier;
  readonly requestedAt: string;
  readonly reason: string;
  readonly items: readonly string[];
  /** Decree 118/2025 art. 19(5): the applicant's limit to complete it (15 days unless the sector law says otherwise); null under Decree 61/2018. */
  readonly completeBy: string | null;
  readonly completionLimitText: string | null;
  /** 1 for the first request; more than one is recorded but flagged (DOMAIN.md §3: only once). */
  readonly requestNumber: number;
  readonly signerName: string | null;
}

/** Mẫu 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ (a refused result, Decree 118/2025 art. 19(3)). */
export interface RefusalForm extends FormBase {
  readonly dossier: FormDossier;
  readonly decidedAt: string;
  /** The note recorded with the refused result; null = left to write by hand. */
  readonly reason: string | null;
  /** Refused by the desk that received it: its officer signs; refused after appraisal by the handling agency: its head, with the seal. */
  readonly refusedAtReception: boolean;
  readonly signerName: string | null;
}

/** Mẫu 04 (Circular 03/2025) or Mẫu 05 (Circular 01/2018): the apology letter, with the extension requested. */
export interface ApologyLetterForm extends FormBase {
  readonly dossier: FormDossier;
  readonly letterNumber: number;
  /** "12/PXL" */
  readonly number: string;
  readonly issuedAt: string;
  readonly reason: string;
  readonly originalDueAt: string;
  /** The new appointment proposed (Decree 118/2025 art. 19(6) "thời gian đề nghị gia hạn"). */
  readonly newDueAt: string;
  readonly issuedInTime: boolean;
  readonly signerName: string | null;
  readonly signerTitle: string | null;
  readonly recipients: readonly string[];
}

/** Mẫu 05 (Circular 03/2025): Thông báo dừng giải quyết hồ sơ. */
export interface StopNoticeForm extends FormBase {
  readonly dossier: FormDossier;
  readonly stoppedAt: string;
  /** As recorded on the stopped event. */
  readonly reason: string;
  readonly reasonText: string;
  /** When the applicant asked to withdraw it, if they did. */
  readonly withdrawalRequestedAt: string | null;
  readonly signerName: string | null;
}

export type StepResult = Timeliness | "overdue" | "in_progress";

/** One hand-off of the process control sheet (DOMAIN.md §4 "Steps"). */
export interface HandOff {
  readonly seq: number;
  /** null: the applicant handing the dossier to the desk. */
  readonly fromAgencyCode: string | null;
  readonly fromName: string;
  readonly toAgencyCode: string;
  readonly toName: string;
  readonly at: string;
  /** Who recorded it (the event's actor), if known. */
  readonly by: string | null;
  readonly stepCode: string | null;
  readonly stepName: string | null;
  readonly budget: Duration | null;
  readonly budgetText: string | null;
  readonly dueAt: string | null;
  readonly leftAt: string | null;
  readonly result: StepResult | null;
  readonly resultText: string | null;
}

export interface DutyLine {
  readonly kind: DutyKind;
  readonly text: string;
  readonly agencyCode: string;
  readonly agencyName: string;
  readonly dueAt: string;
  readonly doneAt: string | null;
  readonly status: DutyStatus;
  readonly statusText: string;
}

/** Mẫu 06 (Circular 03/2025) or Mẫu 04 (Circular 01/2018): Phiếu kiểm soát quá trình giải quyết hồ sơ. */
export interface ControlSheetForm extends FormBase {
  readonly dossier: FormDossier;
  readonly handlingAgencyName: string;
  readonly legalDurationText: string;
  readonly committedDurationText: string;
  readonly appointmentAt: string;
  readonly dueAt: string;
  readonly rescheduledDueAt: string | null;
  readonly status: DossierStatus;
  readonly statusText: string;
  readonly handOffs: readonly HandOff[];
  /** Decree 118/2025 duties with their own deadlines (DOMAIN.md §10); empty under Decree 61/2018. */
  readonly duties: readonly DutyLine[];
}

export interface RegisterRow {
  readonly seq: number;
  readonly receiptCode: string;
  readonly procedureName: string;
  readonly applicantName: string;
  readonly applicantAddress: string | null;
  readonly applicantPhone: string | null;
  readonly handlingAgencyName: string;
  readonly channel: Channel;
  readonly receivedAt: string;
  readonly appointmentAt: string;
  readonly rescheduledDueAt: string | null;
  readonly finishedAt: string | null;
  readonly returnedAt: string | null;
  readonly status: DossierStatus;
  readonly statusText: string;
  readonly timeliness: StepResult | null;
  readonly timelinessText: string | null;
}

/** Mẫu 07 (Circular 03/2025) or Mẫu 06 (Circular 01/2018): Sổ theo dõi hồ sơ of an agency for a period. */
export interface RegisterForm extends FormBase {
  /** Vietnam-local dates, inclusive: dossiers received in [from, to]. */
  readonly from: string;
  readonly to: string;
  readonly rows: readonly RegisterRow[];
}

export type PrintableForm =
  | ({ readonly kind: "receipt" } & ReceiptForm)
  | ({ readonly kind: "supplement_request" } & SupplementRequestForm)
  | ({ readonly kind: "refusal" } & RefusalForm)
  | ({ readonly kind: "apology_letter" } & ApologyLetterForm)
  | ({ readonly kind: "stop_notice" } & StopNoticeForm)
  | ({ readonly kind: "control_sheet" } & ControlSheetForm)
  | ({ readonly kind: "register" } & RegisterForm);

/** Why a dossier has no such paper: answered as a 404 naming it (API.md "Printable forms"). */
export const NO_PAPER_REASONS = ["no_supplement_request", "not_refused", "not_stopped", "no_form_for_date"] as const;
export type NoPaperReason = (typeof NO_PAPER_REASONS)[number];

export type FormOutcome<K extends FormKind> =
  | { readonly ok: true; readonly form: Extract<PrintableForm, { kind: K }> }
  | { readonly ok: false; readonly reason: NoPaperReason; readonly message: string };

/** What a dossier's forms are built from: reception facts, the procedure version, the fold and the events. */
export interface DossierPapers {
  readonly receiptCode: string;
  readonly procedure: Pick<ProcedureVersion, "name" | "legalDuration" | "committedDuration" | "steps" | "supplementCompletion">;
  readonly receivingAgencyCode: string;
  readonly handlingAgencyCode: string;
  readonly channel: Channel;
  readonly applicant: Applicant;
  readonly receivedAt: number;
  readonly originalDueAt: number;
  readonly rescheduledDueAt: number | null;
  readonly documents: readonly ReceivedDocument[] | null;
  readonly setCount: number | null;
  readonly state: DossierState;
  /** In any order. */
  readonly events: readonly DossierEvent[];
  readonly letters: readonly ApologyLetter[];
  /** The agency with its governing body and place; an unknown code answers a stand-in named by its code. */
  readonly agencyOf: (code: string) => FormAgency;
}

const iso = formatInstant;
const isoOrNull = (ms: number | null) => (ms === null ? null : formatInstant(ms));

const applicantOf = (a: Applicant): FormApplicant => ({ kind: a.kind, name: a.name, address: a.address ?? null, phone: a.phone ?? null, email: a.email ?? null });

const dossierOf = (p: DossierPapers): FormDossier => ({
  receiptCode: p.receiptCode,
  procedureName: p.procedure.name,
  receivedAt: iso(p.receivedAt),
  receivingAgencyName: p.agencyOf(p.receivingAgencyCode).name,
  applicant: applicantOf(p.applicant),
});

function noFormForDate(kind: FormKind, at: number): { ok: false; reason: NoPaperReason; message: string } {
  return {
    ok: false,
    reason: "no_form_for_date",
    message: `no form is prescribed for a ${kind.replace(/_/g, " ")} dated ${iso(at).slice(0, 10)}: Circular 01/2018/TT-VPCP has none, Circular 03/2025/TT-VPCP applies from 2025-09-15`,
  };
}

/** The form of `kind` for a document dated `at`, with the shared fields; null when no form existed on that date. */
function base(kind: FormKind, at: number, agency: FormAgency): FormBase | null {
  const form = formFor(kind, at);
  return form === null ? null : { form, agency, date: iso(at) };
}

/** The last event of a type, in the fold's order. */
function lastOf<T extends DossierEvent["type"]>(events: readonly DossierEvent[], type: T): Extract<DossierEvent, { type: T }> | undefined {
  return orderEvents(events)
    .filter((e): e is Extract<DossierEvent, { type: T }> => e.type === type)
    .at(-1);
}

/** Mẫu 01, dated at reception (Circular 03/2025 Annex I; Circular 01/2018 Mẫu 01 before 15 Sep 2025). */
export function receiptForm(p: DossierPapers): FormOutcome<"receipt"> {
  const receiving = p.agencyOf(p.receivingAgencyCode);
  const head = base("receipt", p.receivedAt, receiving);
  if (head === null) return noFormForDate("receipt", p.receivedAt);
  return {
    ok: true,
    form: {
      kind: "receipt",
      ...head,
      dossier: dossierOf(p),
      documents: p.documents === null || p.documents.length === 0 ? null : p.documents,
      setCount: p.setCount,
      legalDuration: p.procedure.legalDuration,
      legalDurationText: durationText(p.procedure.legalDuration),
      committedDuration: p.procedure.committedDuration,
      committedDurationText: durationText(p.procedure.committedDuration),
      appointmentAt: iso(p.originalDueAt),
      channel: p.channel,
      collection: collectionText(p.channel, receiving.name),
      handlingAgencyName: p.agencyOf(p.handlingAgencyCode).name,
    },
  };
}

/**
 * Mẫu 02, dated when the supplement was requested: the dossier's latest request (a second one is
 * recorded and flagged, DOMAIN.md §3), with the items and reason of its event and, under Decree
 * 118/2025 art. 19(5), the applicant's limit to complete it.
 */
export function supplementRequestForm(p: DossierPapers): FormOutcome<"supplement_request"> {
  const requests = orderEvents(p.events).filter((e): e is Extract<DossierEvent, { type: "supplement_requested" }> => e.type === "supplement_requested");
  const request = requests.at(-1);
  if (request === undefined) return { ok: false, reason: "no_supplement_request", message: `dossier ${p.receiptCode} has no supplement request` };
  const head = base("supplement_request", request.occurredAt, p.agencyOf(request.agencyCode));
  if (head === null) return noFormForDate("supplement_request", request.occurredAt);
  // The fold lists one completion duty per request, in order (duties.ts): the last is this request's.
  const completion = p.state.legalFrame === "decree-118-2025" ? p.state.duties.filter((d) => d.kind === "supplement_completion").at(-1) : undefined;
  return {
    ok: true,
    form: {
      kind: "supplement_request",
      ...head,
      dossier: dossierOf(p),
      requestedAt: iso(request.occurredAt),
      reason: request.reason,
      items: [...(request.items ?? [])],
      completeBy: completion === undefined ? null : iso(completion.dueAt),
      completionLimitText: completion === undefined ? null : durationText(p.procedure.supplementCompletion ?? DEFAULT_SUPPLEMENT_COMPLETION),
      requestNumber: requests.length,
      signerName: request.actor?.name ?? null,
    },
  };
}

/** Mẫu 03, dated when the refusal was decided (Decree 118/2025 art. 19(3): recorded as the result). */
export function refusalForm(p: DossierPapers): FormOutcome<"refusal"> {
  const result = lastOf(p.events, "result_ready");
  if (result === undefined || result.outcome !== "refused" || p.state.outcome !== "refused")
    return { ok: false, reason: "not_refused", message: `dossier ${p.receiptCode} has no refused result` };
  const head = base("refusal", result.occurredAt, p.agencyOf(result.agencyCode));
  if (head === null) return noFormForDate("refusal", result.occurredAt);
  const note = result.note?.trim();
  return {
    ok: true,
    form: {
      kind: "refusal",
      ...head,
      dossier: dossierOf(p),
      decidedAt: iso(result.occurredAt),
      reason: note ? note : null,
      refusedAtReception: result.agencyCode === p.receivingAgencyCode && !p.events.some((e) => e.type === "transferred" && e.occurredAt <= result.occurredAt),
      signerName: result.actor?.name ?? null,
    },
  };
}

/** Mẫu 04 (Mẫu 05 of Circular 01/2018 for letters dated before 15 Sep 2025), dated as the letter is. */
export function apologyLetterForm(p: DossierPapers, letter: ApologyLetter): FormOutcome<"apology_letter"> {
  const agency = p.agencyOf(letter.agencyCode);
  const head = base("apology_letter", letter.issuedAt, { ...agency, place: letter.place ?? agency.place });
  if (head === null) return noFormForDate("apology_letter", letter.issuedAt);
  return {
    ok: true,
    form: {
      kind: "apology_letter",
      ...head,
      dossier: dossierOf(p),
      letterNumber: letter.number,
      number: `${letter.number}/PXL`,
      issuedAt: iso(letter.issuedAt),
      reason: letter.reason,
      originalDueAt: iso(letter.originalDueAt),
      newDueAt: iso(letter.newDueAt),
      issuedInTime: letter.issuedInTime,
      signerName: letter.signerName,
      signerTitle: letter.signerTitle,
      recipients: [...letter.recipients],
    },
  };
}

/** Mẫu 05 of Circular 03/2025, dated when the dossier was stopped; Circular 01/2018 had no such form. */
export function stopNoticeForm(p: DossierPapers): FormOutcome<"stop_notice"> {
  const stopped = lastOf(p.events, "stopped");
  if (stopped === undefined || p.state.status !== "stopped") return { ok: false, reason: "not_stopped", message: `dossier ${p.receiptCode} has not been stopped` };
  const head = base("stop_notice", stopped.occurredAt, p.agencyOf(stopped.agencyCode));
  if (head === null) return noFormForDate("stop_notice", stopped.occurredAt);
  const withdrawal = lastOf(p.events, "withdrawal_requested");
  return {
    ok: true,
    form: {
      kind: "stop_notice",
      ...head,
      dossier: dossierOf(p),
      stoppedAt: iso(stopped.occurredAt),
      reason: stopped.reason,
      reasonText: stopReasonText(stopped.reason),
      withdrawalRequestedAt: withdrawal === undefined ? null : iso(withdrawal.occurredAt),
      signerName: stopped.actor?.name ?? null,
    },
  };
}

const APPLICANT_SIDE = "Tổ chức, cá nhân nộp hồ sơ";

/**
 * Mẫu 06 (Mẫu 04 of Circular 01/2018), opened with the dossier at reception and dated then: every
 * hand-off with who gave and who received it, when, the step's budget and whether the step was
 * early, on time or late (DOMAIN.md §4 "Steps"), then the return of the result; and the Decree
 * 118/2025 duties with their own deadlines (DOMAIN.md §10).
 */
export function controlSheetForm(p: DossierPapers): FormOutcome<"control_sheet"> {
  const receiving = p.agencyOf(p.receivingAgencyCode);
  const head = base("control_sheet", p.receivedAt, receiving);
  if (head === null) return noFormForDate("control_sheet", p.receivedAt);
  const { state } = p;
  const actors = new Map(p.events.map((e) => [e.eventId, e.actor?.name ?? null]));
  const budgets = new Map(p.procedure.steps.map((s) => [s.code, s.budget]));
  const handOffs: HandOff[] = state.steps.map((step, i) => {
    const previous = i === 0 ? null : state.steps[i - 1]!;
    const budget = step.code === null ? null : (budgets.get(step.code) ?? null);
    const result: StepResult | null = step.timeliness ?? (step.leftAt !== null ? null : step.overdue ? "overdue" : "in_progress");
    return {
      seq: i + 1,
      fromAgencyCode: previous?.agencyCode ?? null,
      fromName: previous === null ? APPLICANT_SIDE : p.agencyOf(previous.agencyCode).name,
      toAgencyCode: step.agencyCode,
      toName: p.agencyOf(step.agencyCode).name,
      at: iso(step.enteredAt),
      by: step.enteredByEventId === null ? null : (actors.get(step.enteredByEventId) ?? null),
      stepCode: step.code,
      stepName: step.name,
      budget,
      budgetText: budget === null ? null : durationText(budget),
      dueAt: isoOrNull(step.dueAt),
      leftAt: isoOrNull(step.leftAt),
      result,
      resultText: result === null ? null : TIMELINESS_TEXT[result],
    };
  });
  // The result goes back to the desk, then to the applicant ("returning the result takes no time").
  const last = state.steps.at(-1);
  const closing: { at: number | null; from: string | null; to: string | null; result: StepResult | null; label: string } [] = [
    { at: state.finishedAt, from: last?.agencyCode ?? p.handlingAgencyCode, to: p.receivingAgencyCode, result: state.timeliness, label: "Kết quả" },
    { at: state.returnedAt, from: p.receivingAgencyCode, to: null, result: null, label: "Trả kết quả" },
  ];
  for (const c of closing) {
    if (c.at === null) continue;
    handOffs.push({
      seq: handOffs.length + 1,
      fromAgencyCode: c.from,
      fromName: c.from === null ? APPLICANT_SIDE : p.agencyOf(c.from).name,
      toAgencyCode: c.to ?? "",
      toName: c.to === null ? APPLICANT_SIDE : `Bộ phận Tiếp nhận và Trả kết quả, ${p.agencyOf(c.to).name}`,
      at: iso(c.at),
      by: null,
      stepCode: null,
      stepName: c.label,
      budget: null,
      budgetText: null,
      dueAt: null,
      leftAt: null,
      result: c.result,
      resultText: c.result === null ? null : TIMELINESS_TEXT[c.result],
    });
  }
  return {
    ok: true,
    form: {
      kind: "control_sheet",
      ...head,
      dossier: dossierOf(p),
      handlingAgencyName: p.agencyOf(p.handlingAgencyCode).name,
      legalDurationText: durationText(p.procedure.legalDuration),
      committedDurationText: durationText(p.procedure.committedDuration),
      appointmentAt: iso(p.originalDueAt),
      dueAt: iso(state.dueAt),
      rescheduledDueAt: isoOrNull(p.rescheduledDueAt),
      status: state.status,
      statusText: STATUS_LABELS[state.status].vi,
      handOffs,
      duties: dutiesOf(p).map((d) => ({
        kind: d.kind,
        text: DUTY_TEXT[d.kind],
        agencyCode: d.agencyCode,
        agencyName: p.agencyOf(d.agencyCode).name,
        dueAt: iso(d.dueAt),
        doneAt: isoOrNull(d.doneAt),
        status: d.status,
        statusText: DUTY_STATUS_TEXT[d.status],
      })),
    },
  };
}

/** The fold's duties and the extension notice the dossier's letter answers (Decree 118/2025 art. 19(6)), as the dossier's JSON lists them. */
function dutiesOf(p: DossierPapers) {
  const { state } = p;
  if (state.extensionNoticeDueAt === null) return [...state.duties];
  const notice = extensionNoticeDuty(
    {
      noticeDueAt: state.extensionNoticeDueAt,
      late: state.overdue || state.timeliness === "late",
      open: OPEN_STATUSES.includes(state.status),
      responsibleAgencyCode: state.responsibleAgencyCode ?? p.handlingAgencyCode,
    },
    p.letters[0] ?? null,
  );
  return notice === null ? [...state.duties] : [...state.duties, notice];
}

/** One dossier as the register lists it (its stored projection: no fold needed). */
export interface RegisterEntry {
  readonly receiptCode: string;
  readonly procedureName: string;
  readonly applicant: Applicant;
  readonly handlingAgencyCode: string;
  readonly channel: Channel;
  readonly receivedAt: number;
  readonly originalDueAt: number;
  readonly rescheduledDueAt: number | null;
  readonly finishedAt: number | null;
  readonly returnedAt: number | null;
  readonly status: DossierStatus;
  readonly timeliness: Timeliness | null;
  readonly overdue: boolean;
}

/**
 * Mẫu 07 (Mẫu 06 of Circular 01/2018): the agency's register of the dossiers received in a period,
 * in reception order, dated on the period's last day (a register is closed at its end).
 * Cancelled dossiers (data-entry errors) are left out, as from the statistics.
 */
export function registerForm(agency: FormAgency, period: { from: string; to: string; endsAt: number }, entries: readonly RegisterEntry[], agencyName: (code: string) => string): FormOutcome<"register"> {
  const head = base("register", period.endsAt, agency);
  if (head === null) return noFormForDate("register", period.endsAt);
  const rows = entries
    .filter((e) => e.status !== "cancelled")
    .sort((a, b) => a.receivedAt - b.receivedAt || (a.receiptCode < b.receiptCode ? -1 : a.receiptCode > b.receiptCode ? 1 : 0))
    .map((e, i): RegisterRow => {
      const timeliness: StepResult | null = e.timeliness ?? (e.overdue ? "overdue" : OPEN_STATUSES.includes(e.status) ? "in_progress" : null);
      return {
        seq: i + 1,
        receiptCode: e.receiptCode,
        procedureName: e.procedureName,
        applicantName: e.applicant.name,
        applicantAddress: e.applicant.address ?? null,
        applicantPhone: e.applicant.phone ?? null,
        handlingAgencyName: agencyName(e.handlingAgencyCode),
        channel: e.channel,
        receivedAt: iso(e.receivedAt),
        appointmentAt: iso(e.originalDueAt),
        rescheduledDueAt: isoOrNull(e.rescheduledDueAt),
        finishedAt: isoOrNull(e.finishedAt),
        returnedAt: isoOrNull(e.returnedAt),
        status: e.status,
        statusText: STATUS_LABELS[e.status].vi,
        timeliness,
        timelinessText: timeliness === null ? null : TIMELINESS_TEXT[timeliness],
      };
    });
  return { ok: true, form: { kind: "register", ...head, from: period.from, to: period.to, rows } };
}
