/**
 * From a posted event body to a domain event: which fields each type needs and allows
 * (API.md "Event types and their fields"). Unknown combinations are refused field by field.
 */
import type { FieldError } from "../errors.js";
import { parseInstant } from "../time.js";
import type { DossierEvent, EventType } from "./dossier-types.js";
import { OUTCOMES, RETURN_METHODS, SUSPENSION_REASONS } from "./dossier-types.js";

export interface EventInput {
  readonly eventId: string;
  readonly type: EventType;
  readonly occurredAt: string;
  readonly agencyCode: string;
  readonly actor?: { readonly id: string; readonly name: string };
  readonly note?: string;
  readonly toAgencyCode?: string;
  readonly stepCode?: string;
  readonly reason?: string;
  readonly items?: readonly string[];
  readonly outcome?: string;
  readonly method?: string;
  readonly replyDueAt?: string;
  readonly fromAgencyCode?: string;
}

export const TYPE_FIELDS = ["toAgencyCode", "stepCode", "reason", "items", "outcome", "method", "replyDueAt", "fromAgencyCode"] as const;
export type TypeField = (typeof TYPE_FIELDS)[number];

/** For each type: required fields, then optional ones. */
export const FIELDS_BY_TYPE: Record<EventType, { required: TypeField[]; optional: TypeField[] }> = {
  transferred: { required: ["toAgencyCode"], optional: ["stepCode"] },
  consultation_requested: { required: ["toAgencyCode", "replyDueAt"], optional: [] },
  consultation_replied: { required: ["fromAgencyCode"], optional: [] },
  supplement_requested: { required: ["reason"], optional: ["items"] },
  supplement_received: { required: [], optional: [] },
  suspended: { required: ["reason"], optional: [] },
  resumed: { required: [], optional: [] },
  result_ready: { required: ["outcome"], optional: [] },
  returned: { required: ["method"], optional: [] },
  correction_requested: { required: ["reason"], optional: [] },
  result_corrected: { required: [], optional: [] },
  withdrawal_requested: { required: [], optional: [] },
  stopped: { required: ["reason"], optional: [] },
  cancelled: { required: [], optional: [] },
};

export const ENUM_FIELDS: Partial<Record<EventType, { field: TypeField; values: readonly string[] }>> = {
  suspended: { field: "reason", values: SUSPENSION_REASONS },
  result_ready: { field: "outcome", values: OUTCOMES },
  returned: { field: "method", values: RETURN_METHODS },
};

/** Validates and converts one event; `prefix` names its place in the request ("" or "events[2]."). */
export function toDossierEvent(input: EventInput, prefix = ""): { event?: DossierEvent; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const occurredAt = parseInstant(input.occurredAt);
  if (occurredAt === null) errors.push({ field: `${prefix}occurredAt`, message: "must be an ISO 8601 timestamp with an offset" });

  const spec = FIELDS_BY_TYPE[input.type];
  for (const field of spec.required) {
    const value = input[field];
    if (value === undefined || (typeof value === "string" && value.trim() === ""))
      errors.push({ field: `${prefix}${field}`, message: `is required for a ${input.type} event` });
  }
  for (const field of TYPE_FIELDS) {
    if (input[field] !== undefined && !spec.required.includes(field) && !spec.optional.includes(field))
      errors.push({ field: `${prefix}${field}`, message: `is not a field of a ${input.type} event` });
  }
  const enumSpec = ENUM_FIELDS[input.type];
  if (enumSpec) {
    const value = input[enumSpec.field];
    if (typeof value === "string" && !enumSpec.values.includes(value))
      errors.push({ field: `${prefix}${enumSpec.field}`, message: `must be one of: ${enumSpec.values.join(", ")}` });
  }
  let replyDueAt: number | null = null;
  if (input.type === "consultation_requested" && input.replyDueAt !== undefined && input.replyDueAt.trim() !== "") {
    replyDueAt = parseInstant(input.replyDueAt);
    if (replyDueAt === null) errors.push({ field: `${prefix}replyDueAt`, message: "must be an ISO 8601 timestamp with an offset" });
    // Decree 118/2025 art. 19(4)(c): the request states when the reply is due, after the request.
    else if (occurredAt !== null && replyDueAt <= occurredAt) errors.push({ field: `${prefix}replyDueAt`, message: "must be after occurredAt" });
  }
  if (errors.length > 0 || occurredAt === null) return { errors };

  const base = {
    eventId: input.eventId.toLowerCase(),
    occurredAt,
    agencyCode: input.agencyCode,
    ...(input.actor ? { actor: { id: input.actor.id, name: input.actor.name } } : {}),
    ...(input.note !== undefined ? { note: input.note } : {}),
  };
  const event = ((): DossierEvent => {
    switch (input.type) {
      case "transferred":
        return { ...base, type: input.type, toAgencyCode: input.toAgencyCode!, ...(input.stepCode !== undefined ? { stepCode: input.stepCode } : {}) };
      case "supplement_requested":
        return { ...base, type: input.type, reason: input.reason!, ...(input.items ? { items: [...input.items] } : {}) };
      case "suspended":
        return { ...base, type: input.type, reason: input.reason as (typeof SUSPENSION_REASONS)[number] };
      case "result_ready":
        return { ...base, type: input.type, outcome: input.outcome as (typeof OUTCOMES)[number] };
      case "returned":
        return { ...base, type: input.type, method: input.method as (typeof RETURN_METHODS)[number] };
      case "stopped":
      case "correction_requested":
        return { ...base, type: input.type, reason: input.reason! };
      case "consultation_requested":
        return { ...base, type: input.type, toAgencyCode: input.toAgencyCode!, replyDueAt: replyDueAt! };
      case "consultation_replied":
        return { ...base, type: input.type, fromAgencyCode: input.fromAgencyCode! };
      default:
        return { ...base, type: input.type };
    }
  })();
  return { event, errors };
}

/** JSON with object keys sorted: equal data gives equal text, whatever the key order posted. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}
