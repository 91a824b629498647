/**
 * The shapes the OpenAPI document names under #/components/schemas instead of inlining a copy
 * at every use (issue #14 item 5). Routes keep using the TypeBox values (their static types drive
 * the handlers, and validation and serialization stay as they are); the document generator
 * (openapi-document.ts) replaces each occurrence of one of these shapes, recognised by its JSON,
 * with a `$ref`, and emits each once. Nothing here changes what the server accepts or sends.
 */
import type { TSchema } from "typebox";
import { DurationSchema, FieldErrorSchema, ProblemSchema } from "../schemas/common.js";
import {
  Applicant,
  ApologyLetterBody,
  ProcedureRef,
  ApologyLetterSchema,
  DossierResponse,
  DossierSummary,
  DutySchema,
  EVENT_BRANCHES,
  EventBatch,
  EventSubmission,
  EventUnion,
  eventSchemaName,
  ReceptionBody,
  StatusLabel,
  StepSchema,
  TimelineEntrySchema,
} from "../schemas/dossier-schemas.js";
import {
  AgencyBody,
  AgencyResponse,
  CalendarBody,
  CalendarResponse,
  DayBody,
  DayDocumentResponse,
  DayResponse,
  DeadlineBody,
  DeadlineResponse,
  ProcedureBody,
  ProcedureResponse,
  PublishedYearResponse,
  WeeklyHoursSchema,
  YearPublicationBody,
} from "../schemas/catalog-schemas.js";
import { ScorecardResponse, TimelinessResponse, TimelinessRow } from "../schemas/statistics-schemas.js";
import {
  ControlSheetFormSchema,
  FormAgency,
  FormDossier,
  FormIdentity,
  ReceiptFormSchema,
  RefusalFormSchema,
  RegisterFormSchema,
  StopNoticeFormSchema,
  SupplementRequestFormSchema,
} from "../schemas/form-schemas.js";
import { KeyBody, KeyResponse } from "../routes/api-key-routes.js";
import { AuditEntrySchema } from "../routes/audit-routes.js";
import { PublicDossier } from "../routes/public-routes.js";
import { EVENT_TYPES } from "../../domain/dossier/dossier-types.js";

/** Name -> shape. Larger shapes first: a shape is looked up before the shapes inside it. */
export const NAMED_SCHEMAS: ReadonlyArray<readonly [string, TSchema]> = [
  ["Problem", ProblemSchema],
  ["FieldError", FieldErrorSchema],
  ["Duration", DurationSchema],
  // Dossiers
  ["Dossier", DossierResponse],
  ["DossierSummary", DossierSummary],
  ["DossierReception", ReceptionBody],
  ["Applicant", Applicant],
  ["StatusLabel", StatusLabel],
  ["ProcedureRef", ProcedureRef],
  ["Step", StepSchema],
  ["Duty", DutySchema],
  ["TimelineEntry", TimelineEntrySchema],
  ["EventSubmission", EventSubmission],
  ["EventBatch", EventBatch],
  ["Event", EventUnion],
  ...EVENT_TYPES.map((type, i) => [eventSchemaName(type), EVENT_BRANCHES[i]!] as const),
  ["ApologyLetter", ApologyLetterSchema],
  ["ApologyLetterRequest", ApologyLetterBody],
  ["PublicDossier", PublicDossier],
  // Catalog
  ["Calendar", CalendarResponse],
  ["CalendarRequest", CalendarBody],
  ["WeeklyHours", WeeklyHoursSchema],
  ["CalendarDay", DayResponse],
  ["CalendarDayRequest", DayBody],
  ["DayDocument", DayDocumentResponse],
  ["YearPublication", YearPublicationBody],
  ["PublishedYear", PublishedYearResponse],
  ["DeadlineRequest", DeadlineBody],
  ["Deadline", DeadlineResponse],
  ["Agency", AgencyResponse],
  ["AgencyRequest", AgencyBody],
  ["Procedure", ProcedureResponse],
  ["ProcedureRequest", ProcedureBody],
  // Reports
  ["TimelinessReport", TimelinessResponse],
  ["TimelinessRow", TimelinessRow],
  ["Scorecard", ScorecardResponse],
  // Printable forms
  ["ReceiptForm", ReceiptFormSchema],
  ["SupplementRequestForm", SupplementRequestFormSchema],
  ["RefusalForm", RefusalFormSchema],
  ["StopNoticeForm", StopNoticeFormSchema],
  ["ControlSheetForm", ControlSheetFormSchema],
  ["RegisterForm", RegisterFormSchema],
  ["FormIdentity", FormIdentity],
  ["FormAgency", FormAgency],
  ["FormDossier", FormDossier],
  // Keys and audit
  ["ApiKey", KeyResponse],
  ["ApiKeyRequest", KeyBody],
  ["AuditEntry", AuditEntrySchema],
];

const REF = "#/components/schemas/";

/** JSON with sorted keys, without TypeBox's symbol keys and without `$id`: what identifies a shape. */
function fingerprint(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(fingerprint).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([key, v]) => v !== undefined && key !== "$id")
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${fingerprint(v)}`).join(",")}}`;
}

export interface Componentizer {
  /** A copy of `schema` in which every named shape (except `self`, the one being defined) is a `$ref`. */
  refs(schema: unknown, self?: string): unknown;
  /** Every named shape, as its component definition. */
  definitions(): Record<string, unknown>;
}

export function createComponentizer(named: ReadonlyArray<readonly [string, TSchema]> = NAMED_SCHEMAS): Componentizer {
  const byFingerprint = new Map<string, string>();
  for (const [name, schema] of named) if (!byFingerprint.has(fingerprint(schema))) byFingerprint.set(fingerprint(schema), name);

  const refs = (value: unknown, self?: string, root = true): unknown => {
    if (value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) return value.map((v) => refs(v, self, false));
    const record = value as Record<string, unknown>;
    if (typeof record.$ref === "string" && !record.$ref.startsWith("#")) return { ...record, $ref: `${REF}${record.$ref}` };
    const name = byFingerprint.get(fingerprint(record));
    if (name !== undefined && !(root && name === self)) {
      // A description added where the shape is used stays with the use (OpenAPI 3.1 allows siblings of $ref).
      return { $ref: `${REF}${name}` };
    }
    const copy: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(record)) if (key !== "$id") copy[key] = refs(v, self, false);
    return copy;
  };

  return {
    refs: (schema, self) => refs(schema, self),
    definitions: () => Object.fromEntries(named.map(([name, schema]) => [name, refs(schema, name)])),
  };
}
