/**
 * The dossier vocabulary (DOMAIN.md §2–§3). Enum tuples are defined once and reused by columns,
 * API schemas and code.
 */
import type { Duration } from "../calendar/calendar-types.js";

export const CHANNELS = ["direct", "online", "postal"] as const;
export type Channel = (typeof CHANNELS)[number];

export const APPLICANT_KINDS = ["citizen", "business", "organization"] as const;
export type ApplicantKind = (typeof APPLICANT_KINDS)[number];

/** motcua's statuses; `cancelled` only for an administrator's data-entry correction. */
export const DOSSIER_STATUSES = [
  "received",
  "in_progress",
  "supplement_requested",
  "suspended",
  "withdrawal_requested",
  "stopped",
  "result_ready",
  "returned",
  "cancelled",
] as const;
export type DossierStatus = (typeof DOSSIER_STATUSES)[number];

/** Statuses in which the agency still owes a result (the clock runs or is paused). */
export const OPEN_STATUSES: readonly DossierStatus[] = ["received", "in_progress", "supplement_requested", "suspended", "withdrawal_requested"];

/**
 * In lifecycle order: on equal occurredAt the fold applies them in this order (dossier-fold.ts),
 * so a type added later slots in where it belongs without reordering the others.
 */
export const EVENT_TYPES = [
  "transferred",
  "consultation_requested",
  "consultation_replied",
  "supplement_requested",
  "supplement_received",
  "suspended",
  "resumed",
  "result_ready",
  "returned",
  "correction_requested",
  "result_corrected",
  "withdrawal_requested",
  "stopped",
  "cancelled",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const SUSPENSION_REASONS = ["financial_obligation", "other"] as const;
export type SuspensionReason = (typeof SUSPENSION_REASONS)[number];

export const OUTCOMES = ["approved", "refused"] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const RETURN_METHODS = ["counter", "postal", "online"] as const;
export type ReturnMethod = (typeof RETURN_METHODS)[number];

export const TIMELINESS = ["early", "on_time", "late"] as const;
export type Timeliness = (typeof TIMELINESS)[number];

export interface Actor {
  readonly id: string;
  readonly name: string;
}

/** Fields every event carries (API.md "POST /v1/dossiers/{receiptCode}/events"). */
interface EventBase {
  readonly eventId: string;
  /** Epoch ms. */
  readonly occurredAt: number;
  readonly agencyCode: string;
  readonly actor?: Actor;
  readonly note?: string;
}

export type DossierEvent = EventBase &
  (
    | { readonly type: "transferred"; readonly toAgencyCode: string; readonly stepCode?: string }
    /** Decree 118/2025 art. 19(4)(c): another agency is consulted and must reply by replyDueAt (epoch ms). */
    | { readonly type: "consultation_requested"; readonly toAgencyCode: string; readonly replyDueAt: number }
    /** The consulted agency's reply; it answers that agency's oldest unanswered consultation. */
    | { readonly type: "consultation_replied"; readonly fromAgencyCode: string }
    | { readonly type: "supplement_requested"; readonly reason: string; readonly items?: readonly string[] }
    | { readonly type: "supplement_received" }
    | { readonly type: "suspended"; readonly reason: SuspensionReason }
    | { readonly type: "resumed" }
    | { readonly type: "result_ready"; readonly outcome: Outcome }
    | { readonly type: "returned"; readonly method: ReturnMethod }
    /** Decree 118/2025 art. 23(1): the returned result has an error; the agency at fault corrects it. */
    | { readonly type: "correction_requested"; readonly reason: string }
    /** The corrected result, answering the oldest open correction request. */
    | { readonly type: "result_corrected" }
    | { readonly type: "withdrawal_requested" }
    | { readonly type: "stopped"; readonly reason: string }
    | { readonly type: "cancelled" }
  );

export interface StepBudget {
  readonly code: string;
  readonly name: string;
  readonly agencyCode?: string;
  readonly budget: Duration;
}

/** Personal data (Personal Data Protection Law 91/2025): only what the procedure needs. */
export interface ApplicantContact {
  readonly phone?: string;
  readonly email?: string;
  readonly address?: string;
}

export interface Applicant extends ApplicantContact {
  readonly kind: ApplicantKind;
  readonly name: string;
  /** Identity-document number (CCCD) or business registration number. */
  readonly idNumber: string;
}

/**
 * A paper received with the dossier ("thành phần hồ sơ"), printed on the receipt (Circular
 * 03/2025/TT-VPCP Mẫu 01): its name and how many originals and copies were handed in.
 */
export interface ReceivedDocument {
  readonly name: string;
  readonly originals?: number;
  readonly copies?: number;
}

/** Satisfaction ratings (DOMAIN.md §9): a reason is required when dissatisfied. */
export const RATING_LEVELS = ["very_satisfied", "satisfied", "dissatisfied"] as const;
export type RatingLevel = (typeof RATING_LEVELS)[number];
