/**
 * Apology letters (DOMAIN.md §5; Circular 01/2018 Mẫu 05 "Phiếu xin lỗi và hẹn lại ngày trả kết
 * quả"; from Decree 118/2025 art. 19(6) the "văn bản xin lỗi và đề nghị gia hạn"): when a dossier
 * is expected to be late, the agency responsible writes to the applicant with the reason and a new
 * appointment. Once per dossier; it does not change timeliness (late against the original due date).
 */
import type { WorkingCalendar } from "../calendar/working-calendar.js";
import type { LegalFrame } from "../law/legal-frame.js";
import { extensionRequestedInTime } from "./duties.js";
import type { DossierState } from "./dossier-fold.js";
import { OPEN_STATUSES } from "./dossier-types.js";

export interface ApologyLetter {
  readonly receiptCode: string;
  /** The issuing agency: the one responsible for the delay. */
  readonly agencyCode: string;
  /** Per agency and calendar year of issue (local), printed "Số: {number}/PXL". */
  readonly number: number;
  readonly year: number;
  readonly reason: string;
  readonly issuedAt: number;
  /** The appointment being moved: the dossier's due date when the letter was issued. */
  readonly originalDueAt: number;
  readonly newDueAt: number;
  /** Issued in time under the dossier's legal frame (issuedInTime). */
  readonly issuedInTime: boolean;
  readonly place: string | null;
  readonly signerName: string | null;
  readonly signerTitle: string | null;
  readonly recipients: readonly string[];
  readonly recordedBy: string | null;
  /** When motcua stored it (issuedAt is the date on the letter, which may be earlier). */
  readonly recordedAt: number;
}

export const APOLOGY_RULES = ["dossier_not_open", "apology_letter_exists", "new_due_not_later", "issued_before_reception", "not_responsible_agency"] as const;
export type ApologyRule = (typeof APOLOGY_RULES)[number];

/**
 * "The agency responsible for the delay (in inter-agency handling: the agency whose step
 * overran)": the handling agency, and the agency the fold names for an overrun step.
 */
export function responsibleAgencies(handlingAgencyCode: string, state: Pick<DossierState, "responsibleAgencyCode">): string[] {
  return [...new Set([handlingAgencyCode, ...(state.responsibleAgencyCode === null ? [] : [state.responsibleAgencyCode])])];
}

/** The first rule a new letter breaks, or null. */
export function apologyRefusal(
  state: Pick<DossierState, "status" | "dueAt">,
  request: { readonly issuedAt: number; readonly newDueAt: number; readonly receivedAt: number; readonly hasLetter: boolean },
): { rule: ApologyRule; message: string; field: string } | null {
  if (!OPEN_STATUSES.includes(state.status))
    return { rule: "dossier_not_open", message: `the dossier is ${state.status}: a letter is only for a dossier still being handled`, field: "receiptCode" };
  if (request.hasLetter) return { rule: "apology_letter_exists", message: "the appointment may be rescheduled only once: this dossier has a letter", field: "receiptCode" };
  if (request.issuedAt < request.receivedAt) return { rule: "issued_before_reception", message: "a letter cannot be issued before the dossier was received", field: "issuedAt" };
  if (request.newDueAt <= state.dueAt) return { rule: "new_due_not_later", message: "the new appointment must be later than the current due date", field: "newDueAt" };
  return null;
}

/**
 * Whether the letter was issued in time, by date as the letter is dated, under the dossier's frame:
 * - decree-61-2018 (DOMAIN.md §5): no later than one working day before the due date: dated on
 *   or before the last working date before the due date's date;
 * - decree-118-2025 art. 19(6): "chậm nhất 01 ngày trước ngày hết hạn": at least one calendar day
 *   before the due date (duties.ts).
 */
export function issuedInTime(calendar: WorkingCalendar, issuedAt: number, dueAt: number, frame: LegalFrame): boolean {
  if (frame === "decree-118-2025") return extensionRequestedInTime(calendar, issuedAt, dueAt);
  return calendar.localDate(issuedAt) <= calendar.previousWorkingDate(calendar.localDate(dueAt));
}
