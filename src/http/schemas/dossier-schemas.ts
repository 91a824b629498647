/** Request and response schemas of dossiers and their events (API.md "Dossiers"). */
import { Type, type Static, type TProperties, type TSchema } from "typebox";
import {
  APPLICANT_KINDS,
  CHANNELS,
  DOSSIER_STATUSES,
  EVENT_TYPES,
  OUTCOMES,
  TIMELINESS,
} from "../../domain/dossier/dossier-types.js";
import { ENUM_FIELDS, FIELDS_BY_TYPE, type TypeField } from "../../domain/dossier/event-input.js";
import type { EventType } from "../../domain/dossier/dossier-types.js";
import { AgencyCode, Code, Instant, Name, Nullable, StringEnum, Timestamp } from "./common.js";
import { DUTY_KINDS, DUTY_STATUSES, LISTABLE_DUTY_KINDS } from "../../domain/dossier/duties.js";
import { LEGAL_FRAMES } from "../../domain/law/legal-frame.js";
import { SUPPLEMENT_POLICIES } from "../../domain/procedure/procedure-types.js";

export const ReceiptCode = Type.String({
  description: "Receipt code (mã hồ sơ), e.g. 000.00.01.H22-250123-0007",
  pattern: "^[A-Za-z0-9][A-Za-z0-9.-]*$",
  minLength: 1,
  maxLength: 80,
});

export const Applicant = Type.Object(
  {
    kind: StringEnum(APPLICANT_KINDS),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    idNumber: Type.String({
      description: "Identity-document number (CCCD) or business registration number",
      pattern: "^[A-Za-z0-9-]+$",
      minLength: 6,
      maxLength: 20,
    }),
    phone: Type.Optional(Type.String({ pattern: "^[0-9+() .-]+$", minLength: 6, maxLength: 20 })),
    email: Type.Optional(Type.String({ format: "email", maxLength: 254 })),
    address: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const ReceptionBody = Type.Object(
  {
    receiptCode: Type.Optional(ReceiptCode),
    procedureCode: Code,
    receivingAgencyCode: AgencyCode,
    handlingAgencyCode: Type.Optional(AgencyCode),
    channel: StringEnum(CHANNELS),
    receivedAt: Type.Optional(Timestamp),
    submittedAt: Type.Optional({
      ...Timestamp,
      description: "Online dossiers: when the portal's system received it; the desk accepts within 8 working hours (Decree 118/2025 art. 17(2)(c))",
    }),
    applicant: Applicant,
    summary: Type.Optional(Type.String({ maxLength: 2000 })),
    documents: Type.Optional(
      Type.Array(
        Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 500 }),
            originals: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
            copies: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
          },
          { additionalProperties: false },
        ),
        { maxItems: 100, description: "The papers received (thành phần hồ sơ), printed on the receipt (Circular 03/2025 Mẫu 01)" },
      ),
    ),
    setCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: "Number of sets received (số bộ hồ sơ)" })),
    digitized: Type.Optional(Type.Boolean()),
    feeVnd: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000_000, description: "Fee in VND (integer)" })),
    paidOnline: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ReceptionBodyT = Static<typeof ReceptionBody>;

const Uuid = Type.String({
  description: "A UUID chosen by the client; re-sending it is safe",
  pattern: "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
});

const eventFields = {
  eventId: Uuid,
  type: StringEnum(EVENT_TYPES),
  occurredAt: Timestamp,
  agencyCode: AgencyCode,
  actor: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }), name: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
  note: Type.String({ maxLength: 2000 }),
  toAgencyCode: AgencyCode,
  stepCode: Code,
  reason: Type.String({
    minLength: 1,
    maxLength: 2000,
    description: "supplement_requested, stopped, correction_requested: free text; suspended: financial_obligation | other",
  }),
  items: Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { maxItems: 100 }),
  outcome: StringEnum(OUTCOMES),
  method: StringEnum(["counter", "postal", "online"] as const),
  replyDueAt: { ...Timestamp, description: "consultation_requested: when the consulted agency must reply (Decree 118/2025 art. 19(4)(c))" },
  fromAgencyCode: { ...AgencyCode, description: "consultation_replied: the agency that replied" },
};
export const REQUIRED_EVENT_FIELDS = ["eventId", "type", "occurredAt", "agencyCode"] as const;
const optional = <T extends TProperties>(props: T) =>
  Object.fromEntries(Object.entries(props).map(([k, v]) => [k, Type.Optional(v)])) as { [K in keyof T]: ReturnType<typeof Type.Optional<T[K]>> };

const { eventId, type, occurredAt, agencyCode, ...typeSpecific } = eventFields;
export const EventSchema = Type.Object(
  { eventId, type, occurredAt, agencyCode, ...optional(typeSpecific) },
  { additionalProperties: false, description: "One event; which of the optional fields a type needs is listed in API.md" },
);
export type EventBodyT = Static<typeof EventSchema>;

/**
 * One event, or `{ events: [...] }` for an atomic batch. Declared as one object so that
 * validation errors name fields precisely; the handler checks which form was sent.
 */
export const EventsBody = Type.Object(
  {
    events: Type.Optional(Type.Array(EventSchema, { minItems: 1, maxItems: 500 })),
    ...optional(eventFields),
  },
  {
    additionalProperties: false,
    description: "Either one event (eventId, type, occurredAt, agencyCode and the type's fields) or { events: [ … ] }, not both",
  },
);
export type EventsBodyT = Static<typeof EventsBody>;

/** transferred -> TransferredEvent: the name of an event type's schema in the OpenAPI document. */
export const eventSchemaName = (type: EventType): string => `${type.replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase())}Event`;

/** One event type's body, from the table toDossierEvent enforces (FIELDS_BY_TYPE, ENUM_FIELDS). */
function eventBranch<T extends EventType>(type: T) {
  const { required, optional: allowed } = FIELDS_BY_TYPE[type];
  const enumField = ENUM_FIELDS[type];
  const schemaOf = (field: TypeField): TSchema => {
    if (enumField?.field === field) return StringEnum(enumField.values);
    // toDossierEvent refuses required text that is only blanks.
    if (field === "reason") return { ...eventFields.reason, pattern: "\\S" };
    return eventFields[field];
  };
  return Type.Object(
    {
      eventId,
      type: Type.Literal(type),
      occurredAt,
      agencyCode,
      actor: Type.Optional(eventFields.actor),
      note: Type.Optional(eventFields.note),
      ...Object.fromEntries(required.map((field) => [field, schemaOf(field)])),
      ...Object.fromEntries(allowed.map((field) => [field, Type.Optional(schemaOf(field))])),
    },
    { additionalProperties: false, description: `A ${type} event` },
  );
}

export const EVENT_BRANCHES = EVENT_TYPES.map(eventBranch);

/**
 * The event body as the OpenAPI document states it: a union discriminated by `type`, each branch
 * with exactly its type's fields, so that a generated client refuses `{ type: "returned", outcome }`
 * at compile time. The server refuses the same bodies (validation of EventsBody, then
 * toDossierEvent, with errors naming each field); test/http/openapi-contract.test.ts checks that
 * both agree on every type and field.
 */
export const EventUnion = Type.Unsafe<Static<typeof EventsBody>>({
  oneOf: EVENT_BRANCHES,
  discriminator: {
    propertyName: "type",
    mapping: Object.fromEntries(EVENT_TYPES.map((type) => [type, `#/components/schemas/${eventSchemaName(type)}`])),
  },
  description: "One event: eventId (a UUID the client chooses), type, occurredAt, agencyCode, and the type's own fields",
});

export const EventBatch = Type.Object(
  { events: Type.Array(EventUnion, { minItems: 1, maxItems: 500, description: "Posted atomically, in any order" }) },
  { additionalProperties: false, description: "Several events at once, all or nothing" },
);

export const EventSubmission = Type.Unsafe<Static<typeof EventsBody>>({
  oneOf: [EventUnion, EventBatch],
  description: "One event, or { events: [ … ] } for an atomic batch",
});

export const StatusLabel = Type.Object({ vi: Type.String(), en: Type.String() });
const TimelinessOrNull = Nullable(StringEnum(TIMELINESS));

export const StepSchema = Type.Object({
  code: Nullable(Type.String()),
  name: Nullable(Type.String()),
  agencyCode: Type.String(),
  enteredAt: Instant(),
  leftAt: Nullable(Instant()),
  budgetMinutes: Nullable(Type.Number()),
  usedMinutes: Type.Number({ description: "Working minutes in the step, pauses excluded" }),
  dueAt: Nullable(Instant()),
  timeliness: TimelinessOrNull,
  overdue: Type.Boolean(),
});

export const ProcedureRef = Type.Object({ code: Type.String(), name: Type.String(), version: Type.Integer() });

export const DutySchema = Type.Object({
  kind: StringEnum(DUTY_KINDS),
  agencyCode: Type.String({ description: "The agency that owes it" }),
  dueAt: Instant(),
  doneAt: Nullable(Instant()),
  status: StringEnum(DUTY_STATUSES),
});

const summaryFields = {
  receiptCode: Type.String(),
  procedure: ProcedureRef,
  legalFrame: StringEnum(LEGAL_FRAMES, { description: "The rulebook in force when the dossier was received (Decree 118/2025 from 1 Jul 2025)" }),
  receivingAgencyCode: Type.String(),
  handlingAgencyCode: Type.String(),
  currentAgencyCode: Type.String({ description: "The agency holding the dossier now" }),
  channel: StringEnum(CHANNELS),
  status: StringEnum(DOSSIER_STATUSES),
  nationalStatusCode: Nullable(Type.Integer({ description: "TrangThaiHoSo 1–10 of the national portal" })),
  statusLabel: StatusLabel,
  receivedAt: Instant(),
  dueAt: Instant({ description: "The committed appointment, moved later by paused working time" }),
  originalDueAt: Instant({ description: "The appointment printed at reception; never changes" }),
  legalDueAt: Instant(),
  rescheduledDueAt: Nullable(Instant()),
  finishedAt: Nullable(Instant()),
  returnedAt: Nullable(Instant()),
  outcome: Nullable(StringEnum(OUTCOMES)),
  timeliness: TimelinessOrNull,
  overdue: Type.Boolean(),
  supplementRequests: Type.Integer(),
};

/** API.md apology-letters: the letter as JSON. */
export const ApologyLetterSchema = Type.Object({
  receiptCode: Type.String(),
  number: Type.Integer({ description: 'Per issuing agency and year; printed "Số: {number}/PXL"' }),
  year: Type.Integer(),
  agencyCode: Type.String(),
  reason: Type.String(),
  issuedAt: Instant(),
  originalDueAt: Instant({ description: "The appointment being moved: the due date when the letter was issued" }),
  newDueAt: Instant(),
  issuedInTime: Type.Boolean({
    description: "Decree 118/2025 dossiers: dated at least one day before the due date (art. 19(6)); older ones: at least one working day before",
  }),
  place: Nullable(Type.String()),
  signerName: Nullable(Type.String()),
  signerTitle: Nullable(Type.String()),
  recipients: Type.Array(Type.String()),
});

export const ApologyLetterBody = Type.Object(
  {
    agencyCode: AgencyCode,
    reason: Type.String({ minLength: 1, maxLength: 2000, description: "Why the result is late; printed on the letter" }),
    newDueAt: Timestamp,
    issuedAt: Type.Optional(Timestamp),
    place: Type.Optional(Type.String({ maxLength: 100, description: 'Printed before the date: "Hưng Yên, ngày …"' })),
    signerName: Type.Optional(Type.String({ maxLength: 200 })),
    signerTitle: Type.Optional(Type.String({ maxLength: 200 })),
    recipients: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 20, description: "Nơi nhận, besides the applicant" })),
  },
  { additionalProperties: false },
);

export const DossierResponse = Type.Object({
  ...summaryFields,
  applicant: Type.Object({
    kind: StringEnum(APPLICANT_KINDS),
    name: Type.String(),
    idNumber: Type.String(),
    phone: Type.Optional(Type.String()),
    email: Type.Optional(Type.String()),
    address: Type.Optional(Type.String()),
  }),
  summary: Nullable(Type.String()),
  documents: Nullable(Type.Array(Type.Object({ name: Type.String(), originals: Type.Optional(Type.Integer()), copies: Type.Optional(Type.Integer()) }))),
  setCount: Nullable(Type.Integer()),
  digitized: Type.Boolean(),
  feeVnd: Nullable(Type.Integer()),
  paidOnline: Type.Boolean(),
  legalTimeliness: TimelinessOrNull,
  stoppedAt: Nullable(Instant()),
  clockStartedAt: Instant({ description: "When the clock started (the next working instant after reception, or a restart)" }),
  paused: Type.Boolean(),
  pausedMinutes: Type.Number(),
  supplementRequestFlagged: Type.Boolean({ description: "More than one supplement request (Decree 118/2025 allows one)" }),
  supplementRequestOutsideWindow: Type.Boolean({ description: "The supplement was requested after 3 working days from reception (Decree 118/2025 art. 19(5))" }),
  supplementPolicy: StringEnum(SUPPLEMENT_POLICIES, { description: "Applied: the procedure's, else the legal frame's default" }),
  submittedAt: Nullable(Instant()),
  duties: Type.Array(DutySchema, { description: "Decree 118/2025 duties with their own deadlines (DOMAIN.md §10); empty for older dossiers" }),
  responsibleAgencyCode: Nullable(Type.String({ description: "The agency whose step overran: it owes the apology letter" })),
  currentStep: Nullable(StepSchema),
  steps: Type.Array(StepSchema),
  apologyLetters: Type.Array(ApologyLetterSchema),
  eventCount: Type.Integer(),
});

export const DossierSummary = Type.Object(summaryFields, { description: "A dossier in a listing (no personal data, no control sheet)" });

export const DossierListQuery = Type.Object(
  {
    agencyCode: Type.Optional(AgencyCode),
    status: Type.Optional(StringEnum(DOSSIER_STATUSES)),
    overdue: Type.Optional(Type.Boolean()),
    atRisk: Type.Optional(
      Type.Literal(true, { description: "The desks' work list: open, clock running, due within the next working day, no apology letter yet" }),
    ),
    apology: Type.Optional(StringEnum(["none", "issued"] as const, { description: "none: no apology letter yet (with overdue=true: late without a letter)" })),
    dutyOverdue: Type.Optional(
      StringEnum(LISTABLE_DUTY_KINDS, { description: "Work list: dossiers owing this Decree 118/2025 duty past its deadline" }),
    ),
    supplementExpired: Type.Optional(
      Type.Literal(true, { description: "Waiting for a supplement past the applicant's limit (15 days, art. 19(5)): the desk closes them (stopped, supplement_not_completed)" }),
    ),
    procedureCode: Type.Optional(Code),
    receivedFrom: Type.Optional(Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$" })),
    receivedTo: Type.Optional(Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$" })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: false },
);

export const TimelineEntrySchema = Type.Object({
  eventId: Type.String(),
  type: StringEnum([...EVENT_TYPES, "apology_letter_issued"], { description: "apology_letter_issued: an apology letter (POST …/apology-letters), not an event a desk posts" }),
  occurredAt: Instant(),
  recordedAt: Instant(),
  agencyCode: Type.String(),
  actor: Type.Optional(Type.Object({ id: Type.String(), name: Type.String() })),
  note: Type.Optional(Type.String()),
  toAgencyCode: Type.Optional(Type.String()),
  stepCode: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
  items: Type.Optional(Type.Array(Type.String())),
  outcome: Type.Optional(Type.String()),
  method: Type.Optional(Type.String()),
  replyDueAt: Type.Optional(Instant()),
  fromAgencyCode: Type.Optional(Type.String()),
  number: Type.Optional(Type.Integer()),
  newDueAt: Type.Optional(Instant()),
  statusAfter: StringEnum(DOSSIER_STATUSES),
  handOff: Nullable(StepSchema),
});

export { Name };
