/**
 * Decree 118/2025's duties with their own deadlines (DOMAIN.md §10), besides the dossier's due
 * date. Each is a clock on the dossier's working calendar, derived from the history that the fold
 * collects (never from counters), visible on the dossier and counted per agency; none changes the
 * dossier's own timeliness. Legal frame: decree-118-2025 only (a dossier received under Decree
 * 61/2018 has no duties listed).
 */
import { DateTime } from "luxon";
import type { Duration } from "../calendar/calendar-types.js";
import type { WorkingCalendar } from "../calendar/working-calendar.js";
import type { Channel } from "./dossier-types.js";

export const DUTY_KINDS = [
  "transfer",
  "online_acceptance",
  "supplement_request_window",
  "supplement_completion",
  "consultation_reply",
  "extension_notice",
  "result_correction",
] as const;
export type DutyKind = (typeof DUTY_KINDS)[number];

export const DUTY_STATUSES = ["pending", "done_in_time", "done_late", "overdue"] as const;
export type DutyStatus = (typeof DUTY_STATUSES)[number];

/**
 * Duties that someone owes: they can be overdue, and work lists and reports count them. The
 * supplement-request window is not owed (no request may be needed): only a request made after it
 * counts, as done late.
 */
export const OWED_DUTY_KINDS: readonly DutyKind[] = DUTY_KINDS.filter((k) => k !== "supplement_request_window");

/** Duties a `dutyOverdue` work list can ask for (extension_notice: see extensionNoticeDuty). */
export const LISTABLE_DUTY_KINDS = OWED_DUTY_KINDS;

export interface Duty {
  readonly kind: DutyKind;
  /** The agency that owes it. */
  readonly agencyCode: string;
  readonly dueAt: number;
  /** When it was done; null while not done (or never done, the dossier having closed). */
  readonly doneAt: number | null;
  /** Still owed: not done, and the dossier has not closed the need for it. */
  readonly owed: boolean;
}

/** Decree 118/2025 art. 19(5): the supplement is requested "trong thời hạn 03 ngày làm việc" from reception. */
export const SUPPLEMENT_REQUEST_WINDOW: Duration = Object.freeze({ value: 3, unit: "working_days" });
/** Decree 118/2025 art. 19(5): an applicant who does not complete the supplement within 15 days; sector law may differ. */
export const DEFAULT_SUPPLEMENT_COMPLETION: Duration = Object.freeze({ value: 15, unit: "calendar_days" });
/** Decree 118/2025 art. 17(2)(c): an online dossier is accepted or sent back within 8 working hours. */
export const ONLINE_ACCEPTANCE: Duration = Object.freeze({ value: 8, unit: "working_hours" });
/** Decree 118/2025 art. 23(1): an error in the result, the agency at fault corrects it within 3 working days. */
export const RESULT_CORRECTION: Duration = Object.freeze({ value: 3, unit: "working_days" });

/** What the fold collects from the history for the duties. Instants are epoch ms. */
export interface DutyHistory {
  readonly receivedAt: number;
  readonly submittedAt: number | null;
  readonly channel: Channel;
  readonly receivingAgencyCode: string;
  readonly handlingAgencyCode: string;
  /** When the reception desk let go of the dossier: first transfer, result, stop, withdrawal or cancellation. */
  readonly handedOffAt: number | null;
  readonly supplementRequests: readonly { readonly at: number; readonly agencyCode: string; readonly receivedAt: number | null }[];
  readonly consultations: readonly { readonly toAgencyCode: string; readonly at: number; readonly replyDueAt: number; readonly repliedAt: number | null }[];
  readonly corrections: readonly { readonly at: number; readonly correctedAt: number | null }[];
  /** When the agencies' work on the dossier ended: result ready, stopped or cancelled. */
  readonly closedAt: number | null;
  /** The procedure's limit for completing a supplement; null = DEFAULT_SUPPLEMENT_COMPLETION. */
  readonly supplementCompletion: Duration | null;
}

/** The status of a duty at `now` (API.md `duties[].status`). */
export function dutyStatus(duty: Pick<Duty, "dueAt" | "doneAt">, now: number): DutyStatus {
  if (duty.doneAt !== null) return duty.doneAt <= duty.dueAt ? "done_in_time" : "done_late";
  return now > duty.dueAt ? "overdue" : "pending";
}

/**
 * The duties as seen at `now`, each with its status. A supplement-request window that lapsed
 * unused is no longer listed: it owed nothing (no supplement had to be requested).
 */
export function dutiesAt(duties: readonly Duty[], now: number): (Duty & { readonly status: DutyStatus })[] {
  return duties
    .filter((d) => OWED_DUTY_KINDS.includes(d.kind) || d.doneAt !== null || now <= d.dueAt)
    .map((d) => ({ ...d, status: dutyStatus(d, now) }));
}

/**
 * Every duty of a decree-118-2025 dossier, in the order they arose. A duty not done when the
 * dossier closes is no longer owed: it is dropped if it was not yet due at that moment (the need
 * went away in time), and kept as missed (overdue, never done) if it was already due.
 */
export function deriveDuties(history: DutyHistory, calendar: WorkingCalendar): Duty[] {
  const duties: Duty[] = [];
  const add = (kind: DutyKind, agencyCode: string, dueAt: number, doneAt: number | null, endedAt: number | null) => {
    if (doneAt === null && endedAt !== null && endedAt <= dueAt) return;
    duties.push({ kind, agencyCode, dueAt, doneAt, owed: doneAt === null && endedAt === null });
  };
  const { receivedAt, closedAt } = history;

  if (history.channel === "online") {
    // Art. 17(2)(c): from when the system received it to the desk's acceptance, which is the
    // reception motcua records. Unknown without the portal's instant: then nothing is listed.
    if (history.submittedAt !== null)
      add("online_acceptance", history.receivingAgencyCode, calendar.addDuration(history.submittedAt, ONLINE_ACCEPTANCE), receivedAt, null);
  } else if (history.channel === "direct") {
    // Art. 18(2): a dossier received in person goes to the handling agency the same working day;
    // received after 15:00 (the calendar's cut-off), at the opening of the next working day.
    add("transfer", history.receivingAgencyCode, transferDueAt(calendar, receivedAt), history.handedOffAt, null);
  }

  // Art. 19(5): a supplement is requested within 3 working days of reception; a later request is
  // recorded and flagged (done late). The window is listed while open or once used.
  const windowEnd = calendar.addDuration(receivedAt, SUPPLEMENT_REQUEST_WINDOW);
  const firstRequest = history.supplementRequests[0];
  if (firstRequest !== undefined) add("supplement_request_window", firstRequest.agencyCode, windowEnd, firstRequest.at, null);
  else add("supplement_request_window", history.handlingAgencyCode, windowEnd, null, closedAt ?? null);

  // Art. 19(5): the applicant has 15 days (or the sector law's limit) to complete it; then the
  // desk closes the dossier (stopped, reason supplement_not_completed). The wait ends with the
  // supplement or with the dossier's closure; past the limit it is done late.
  for (const request of history.supplementRequests) {
    const dueAt = calendar.addDuration(request.at, history.supplementCompletion ?? DEFAULT_SUPPLEMENT_COMPLETION);
    add("supplement_completion", history.receivingAgencyCode, dueAt, request.receivedAt ?? closedAt, null);
  }

  // Art. 19(4)(c): the consulted agency replies by the deadline stated in the request.
  for (const c of history.consultations) add("consultation_reply", c.toAgencyCode, c.replyDueAt, c.repliedAt, c.repliedAt === null ? closedAt : null);

  // Art. 23(1): an error in the result is corrected within 3 working days by the agency at fault.
  for (const c of history.corrections) add("result_correction", history.handlingAgencyCode, calendar.addDuration(c.at, RESULT_CORRECTION), c.correctedAt, null);

  return duties;
}

/** Decree 118/2025 art. 18(2): the same working day, or the next one's opening when received from the cut-off on. */
export function transferDueAt(calendar: WorkingCalendar, receivedAt: number): number {
  const start = calendar.nextWorkingInstant(receivedAt);
  const endOfThatDay = calendar.endOfWorkingDay(calendar.localDate(start));
  const sameDay = calendar.addDuration(receivedAt, { value: 1, unit: "same_day" });
  return sameDay <= endOfThatDay ? endOfThatDay : calendar.nextWorkingInstant(endOfThatDay);
}

/**
 * Decree 118/2025 art. 19(6): "chậm nhất 01 ngày trước ngày hết hạn" — the apology and extension
 * request is dated at least one calendar day before the due date (the article says "ngày làm
 * việc" where it means working days, so a plain "ngày" is a calendar day): any time on the day
 * before the due date, local time. Shown as that day's last second, 23:59:59.
 */
export function extensionNoticeDueAt(calendar: WorkingCalendar, dossierDueAt: number): number {
  const dueDate = DateTime.fromISO(calendar.localDate(dossierDueAt), { zone: calendar.rules.timeZone });
  return dueDate.startOf("day").toMillis() - 1000;
}

/** Decree 118/2025 art. 19(6), by the date the letter bears: on or before the day before the due date. */
export function extensionRequestedInTime(calendar: WorkingCalendar, issuedAt: number, dossierDueAt: number): boolean {
  return calendar.localDate(issuedAt) <= calendar.localDate(extensionNoticeDueAt(calendar, dossierDueAt));
}

/**
 * The extension notice (Decree 118/2025 art. 19(6)) is owed only by a dossier expected to be
 * late: it is listed once a letter was issued (done in time or late, as the letter was judged
 * when issued), or when the dossier is late or overdue without one (overdue: never sent).
 */
export function extensionNoticeDuty(
  dossier: { readonly noticeDueAt: number; readonly late: boolean; readonly open: boolean; readonly responsibleAgencyCode: string },
  letter: { readonly agencyCode: string; readonly issuedAt: number; readonly issuedInTime: boolean } | null,
): (Duty & { readonly status: DutyStatus }) | null {
  const kind = "extension_notice";
  if (letter !== null)
    return { kind, agencyCode: letter.agencyCode, dueAt: dossier.noticeDueAt, doneAt: letter.issuedAt, owed: false, status: letter.issuedInTime ? "done_in_time" : "done_late" };
  if (!dossier.late) return null;
  return { kind, agencyCode: dossier.responsibleAgencyCode, dueAt: dossier.noticeDueAt, doneAt: null, owed: dossier.open, status: "overdue" };
}
