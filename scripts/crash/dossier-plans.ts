/**
 * What the crash test sends: a small catalog, and for each dossier its whole life as a fixed list
 * of requests (reception, then events one at a time or in batches). Fixing every request up front,
 * eventIds included, lets a request that got no answer be sent again byte for byte after the
 * restart, as a real front desk would, and lets the verifier know exactly which events may exist.
 */
import { randomUUID } from "node:crypto";

export const PROVINCE = "000.00.00.H99";
export const DESK = "000.00.01.H99";
export const HANDLING = "000.00.02.H99";
export const PROCEDURE = "9.000001";

const days = (value: number) => ({ value, unit: "working_days" });

/** Admin PUTs that set up the catalog before the first kill (idempotent: 200 or 201). */
export const CATALOG: readonly { readonly path: string; readonly body: Record<string, unknown> }[] = [
  { path: `/v1/agencies/${PROVINCE}`, body: { name: "UBND tỉnh Thử Nghiệm" } },
  { path: `/v1/agencies/${DESK}`, body: { name: "Bộ phận Một cửa", parentCode: PROVINCE } },
  { path: `/v1/agencies/${HANDLING}`, body: { name: "Sở Tư pháp", parentCode: PROVINCE } },
  {
    path: `/v1/procedures/${PROCEDURE}`,
    body: {
      name: "Đăng ký khai sinh",
      fieldCode: "HT",
      fieldName: "Hộ tịch",
      legalDuration: days(5),
      committedDuration: days(3),
      steps: [
        { code: "reception", name: "Tiếp nhận", budget: days(0.5) },
        { code: "review", name: "Thẩm định", agencyCode: HANDLING, budget: days(2) },
      ],
    },
  },
];

export type RequestKind = "reception" | "event" | "batch";

export interface PlannedRequest {
  readonly kind: RequestKind;
  readonly body: Record<string, unknown>;
  /** The events this request records (none for a reception). */
  readonly eventIds: readonly string[];
}

/**
 * What became of the first request not yet acknowledged: not sent yet, sent without an answer
 * (the kill cut it off: it may or may not be committed), or refused with a status other than
 * 503 (nothing may have been written; the dossier is given up).
 */
export type PendingState = "unsent" | "unknown" | "refused";

export interface DossierPlan {
  readonly serial: number;
  /** Unique per dossier: finds the dossier in the database even when its code was generated. */
  readonly idNumber: string;
  /** Chosen by the client, or learned from the answer to a reception sent without one. */
  receiptCode: string | undefined;
  readonly requests: readonly PlannedRequest[];
  /** Index of the first request not acknowledged (requests before it were answered 2xx). */
  next: number;
  pending: PendingState;
}

const RECEIVED_AT = "2025-03-03T08:00:00+07:00";

type EventBody = Record<string, unknown> & { eventId: string };

function event(type: string, occurredAt: string, agencyCode: string, fields: Record<string, unknown> = {}): EventBody {
  return { eventId: randomUUID(), type, occurredAt, agencyCode, ...fields };
}

/** transferred → supplement_requested → supplement_received → result_ready → returned. */
function lifecycle(): EventBody[] {
  return [
    event("transferred", "2025-03-03T09:00:00+07:00", DESK, { toAgencyCode: HANDLING, stepCode: "review" }),
    event("supplement_requested", "2025-03-03T10:00:00+07:00", HANDLING, { reason: "Thiếu giấy chứng sinh", items: ["Giấy chứng sinh"] }),
    event("supplement_received", "2025-03-04T08:30:00+07:00", HANDLING),
    event("result_ready", "2025-03-05T09:00:00+07:00", HANDLING, { outcome: "approved" }),
    event("returned", "2025-03-05T10:00:00+07:00", DESK, { method: "counter" }),
  ];
}

const single = (body: EventBody): PlannedRequest => ({ kind: "event", body, eventIds: [body.eventId] });
const batch = (events: EventBody[]): PlannedRequest => ({ kind: "batch", body: { events }, eventIds: events.map((e) => e.eventId) });

/**
 * Three shapes, in turn: one event per request; a transfer then two pairs in batches; the whole
 * life in one batch in reverse order (API.md: a batch may list its events in any order). Every
 * eighth reception leaves the receipt code to the server, to exercise the code sequence.
 */
export function planDossier(serial: number): DossierPlan {
  const idNumber = `CT${String(serial).padStart(10, "0")}`;
  const generatedCode = serial % 8 === 7;
  // A supplied code is in the desk's own namespace, dated the reception day (DOMAIN.md §8), numbered
  // far above what the generator reaches in a run.
  const receiptCode = generatedCode ? undefined : `${DESK}-${RECEIVED_AT.slice(2, 10).replace(/-/g, "")}-${100000 + serial}`;
  const reception: PlannedRequest = {
    kind: "reception",
    body: {
      ...(receiptCode !== undefined ? { receiptCode } : {}),
      procedureCode: PROCEDURE,
      receivingAgencyCode: DESK,
      handlingAgencyCode: HANDLING,
      channel: "direct",
      receivedAt: RECEIVED_AT,
      applicant: { kind: "citizen", name: `Nguyễn Văn Thử ${serial}`, idNumber },
    },
    eventIds: [],
  };
  const [transfer, requested, resubmitted, ready, returned] = lifecycle() as [EventBody, EventBody, EventBody, EventBody, EventBody];
  const events: PlannedRequest[] =
    serial % 3 === 0
      ? [transfer, requested, resubmitted, ready, returned].map(single)
      : serial % 3 === 1
        ? [single(transfer), batch([requested, resubmitted]), batch([ready, returned])]
        : [batch([returned, ready, resubmitted, requested, transfer])];
  return { serial, idNumber, receiptCode, requests: [reception, ...events], next: 0, pending: "unsent" };
}

/** The path of a request, or undefined while a generated receipt code is not known. */
export function requestPath(plan: DossierPlan, request: PlannedRequest): string | undefined {
  if (request.kind === "reception") return "/v1/dossiers";
  return plan.receiptCode === undefined ? undefined : `/v1/dossiers/${encodeURIComponent(plan.receiptCode)}/events`;
}

/** Events of the requests answered 2xx: each must be stored exactly once. */
export function acknowledgedEventIds(plan: DossierPlan): string[] {
  return plan.requests.slice(0, plan.next).flatMap((r) => r.eventIds);
}

/** Events of the request cut off by a kill: all stored or none (a batch is atomic). */
export function unknownEventIds(plan: DossierPlan): readonly string[] {
  return plan.pending === "unknown" ? (plan.requests[plan.next]?.eventIds ?? []) : [];
}

/** How many events the dossier holds once its first `acknowledgedRequests` requests are stored. */
export function eventCountAfter(plan: DossierPlan, acknowledgedRequests: number): number {
  return plan.requests.slice(0, acknowledgedRequests).reduce((n, r) => n + r.eventIds.length, 0);
}

export const isFinished = (plan: DossierPlan) => plan.next >= plan.requests.length;

/**
 * Can the dossier's life go on? Not when a request was refused, nor when a reception without a
 * receipt code got no answer: sending it again could receive the dossier twice, and the client
 * has no code to look it up by (a reason for desks to choose their receipt codes).
 */
export function isResumable(plan: DossierPlan): boolean {
  if (isFinished(plan) || plan.pending === "refused") return false;
  return !(plan.pending === "unknown" && plan.receiptCode === undefined);
}
