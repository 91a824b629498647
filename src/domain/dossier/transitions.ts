/**
 * The dossier lifecycle of DOMAIN.md §3 as data: for each event type, the statuses it may happen
 * in and the status it leads to. Anything not listed is refused with a stable rule code, so the
 * HTTP layer can answer 422 with a message a desk officer understands.
 */
import { VN_TIME_ZONE } from "../calendar/calendar-defaults.js";
import { formatInstant } from "../time.js";
import type { DossierEvent, DossierStatus, EventType } from "./dossier-types.js";
import { DOSSIER_STATUSES, EVENT_TYPES, OUTCOMES, RETURN_METHODS, SUSPENSION_REASONS } from "./dossier-types.js";

/** Stable reasons a history is refused (AppError.reason of a rule_violation). */
export const DOSSIER_RULES = [
  /** The event cannot happen in the dossier's status at that time (DOMAIN.md §3). */
  "invalid_transition",
  /** The event is malformed: unknown type, missing reason/outcome/method/agency. */
  "invalid_event",
  /** occurredAt is not a finite instant. */
  "invalid_instant",
  /** The event happened before the dossier was received (the dossier did not exist yet). */
  "before_reception",
  /** A transfer names a step the procedure does not define (DOMAIN.md §4 "Steps"). */
  "unknown_step",
  /** Two events share an eventId (client-chosen UUIDs: one id, one event). */
  "duplicate_event",
  /** A reply or correction with nothing open to answer (no consultation of that agency, no correction request). */
  "nothing_to_answer",
] as const;
export type DossierRule = (typeof DOSSIER_RULES)[number];

/** Statuses in which the clock does not run (DOMAIN.md §4 "Pauses"). */
export const PAUSED_STATUSES: readonly DossierStatus[] = ["supplement_requested", "suspended"];
/** Statuses from which the applicant may withdraw or the agency may stop: the agency still owes work. */
const WORKING_STATUSES: readonly DossierStatus[] = ["received", "in_progress", "supplement_requested", "suspended"];

export interface Transition {
  readonly from: readonly DossierStatus[];
  /** "unchanged": the event records something that happens beside the lifecycle. */
  readonly to: DossierStatus | "unchanged";
}

const NOT_CANCELLED = DOSSIER_STATUSES.filter((s) => s !== "cancelled");

/**
 * DOMAIN.md §3 "Transitions":
 * - received -> in_progress (a transfer to a handling step); in_progress -> in_progress is a
 *   hand-off between steps or agencies (inter-agency handling, "liên thông");
 * - in_progress <-> supplement_requested; in_progress <-> suspended;
 * - received or in_progress -> result_ready -> returned;
 * - any open status -> withdrawal_requested -> stopped; any open status -> stopped (with a reason);
 * - cancelled from any status but cancelled (an administrator's data-entry correction).
 */
export const TRANSITIONS: Readonly<Record<EventType, Transition>> = Object.freeze({
  transferred: { from: ["received", "in_progress"], to: "in_progress" },
  // Decree 118/2025 art. 19(4)(c): consulting another agency while the dossier is being handled;
  // its reply is recorded whenever it comes (a late reply still counts against the consulted agency).
  consultation_requested: { from: WORKING_STATUSES, to: "unchanged" },
  consultation_replied: { from: NOT_CANCELLED, to: "unchanged" },
  supplement_requested: { from: ["in_progress"], to: "supplement_requested" },
  supplement_received: { from: ["supplement_requested"], to: "in_progress" },
  suspended: { from: ["in_progress"], to: "suspended" },
  resumed: { from: ["suspended"], to: "in_progress" },
  result_ready: { from: ["received", "in_progress"], to: "result_ready" },
  returned: { from: ["result_ready"], to: "returned" },
  // Decree 118/2025 art. 23(1): an error found in a returned result is corrected by the agency at fault.
  correction_requested: { from: ["returned"], to: "unchanged" },
  result_corrected: { from: ["returned"], to: "unchanged" },
  withdrawal_requested: { from: WORKING_STATUSES, to: "withdrawal_requested" },
  stopped: { from: [...WORKING_STATUSES, "withdrawal_requested"], to: "stopped" },
  cancelled: { from: NOT_CANCELLED, to: "cancelled" },
} satisfies Record<EventType, Transition>);

export type TransitionResult =
  | { readonly ok: true; readonly status: DossierStatus }
  | { readonly ok: false; readonly rule: DossierRule; readonly message: string };

/** The event types that may happen in a status, in lifecycle order. */
export function allowedEvents(status: DossierStatus): EventType[] {
  return EVENT_TYPES.filter((type) => TRANSITIONS[type].from.includes(status));
}

/**
 * The status after `event`, or why it cannot happen. Pure: it checks the status and the event's
 * own fields; steps, instants and history are the fold's concern. `timeZone` only formats the
 * instant in messages.
 */
export function applyTransition(status: DossierStatus, event: DossierEvent, timeZone: string = VN_TIME_ZONE): TransitionResult {
  const type: string = event.type;
  if (!Object.hasOwn(TRANSITIONS, type)) {
    return refuse("invalid_event", `unknown event type ${JSON.stringify(type)} (expected one of ${EVENT_TYPES.join(", ")})`);
  }
  const malformed = malformedField(event);
  if (malformed !== null) return refuse("invalid_event", `a ${event.type} event ${malformed}`);

  const transition = TRANSITIONS[event.type];
  if (!transition.from.includes(status)) {
    const when = Number.isFinite(event.occurredAt) ? ` at ${formatInstant(event.occurredAt, timeZone)}` : "";
    const needed = event.type === "cancelled" ? "not cancelled" : orList(transition.from);
    return refuse("invalid_transition", `a ${event.type} event needs the dossier to be ${needed}, but it is ${status}${when}`);
  }
  return { ok: true, status: transition.to === "unchanged" ? status : transition.to };
}

/** What is wrong with the type-specific fields (input may come from storage or untyped JSON). */
function malformedField(event: DossierEvent): string | null {
  const blank = (s: unknown) => typeof s !== "string" || s.trim() === "";
  switch (event.type) {
    case "transferred":
      return blank(event.toAgencyCode) ? "needs the agency it goes to (toAgencyCode)" : null;
    case "suspended":
      return SUSPENSION_REASONS.includes(event.reason) ? null : `needs a reason among ${SUSPENSION_REASONS.join(", ")}`;
    case "result_ready":
      return OUTCOMES.includes(event.outcome) ? null : `needs an outcome among ${OUTCOMES.join(", ")}`;
    case "returned":
      return RETURN_METHODS.includes(event.method) ? null : `needs a method among ${RETURN_METHODS.join(", ")}`;
    case "stopped":
      // DOMAIN.md §3: "any open status -> stopped (with a reason)".
      return blank(event.reason) ? "needs a reason" : null;
    case "consultation_requested":
      if (blank(event.toAgencyCode)) return "needs the agency consulted (toAgencyCode)";
      // Art. 19(4)(c): the request states the reply deadline, after the request itself.
      return typeof event.replyDueAt !== "number" || !Number.isFinite(event.replyDueAt) || event.replyDueAt <= event.occurredAt
        ? "needs a reply deadline (replyDueAt) after the request"
        : null;
    case "consultation_replied":
      return blank(event.fromAgencyCode) ? "needs the agency that replied (fromAgencyCode)" : null;
    case "correction_requested":
      return blank(event.reason) ? "needs a reason (the error found)" : null;
    default:
      return null;
  }
}

function refuse(rule: DossierRule, message: string): TransitionResult {
  return { ok: false, rule, message };
}

function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1] as string}`;
}
