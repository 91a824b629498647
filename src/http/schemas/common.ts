/** Schemas shared by every route: problems, durations, timestamps, dates, identifiers. */
import { Type, type Static, type TSchema } from "typebox";
import { DURATION_UNITS } from "../../domain/calendar/calendar-types.js";

/**
 * Request body limits (bytes). A batch of events may hold hundreds of events; every other body is
 * a single small object, and a smaller limit stops a hostile client from making us parse megabytes.
 */
export const BODY_LIMITS = { events: 1024 * 1024, single: 64 * 1024 } as const;

/** `{ type: "string", enum: [...] }` typed as the tuple's union (clearer in OpenAPI than anyOf of consts). */
export const StringEnum = <const T extends readonly string[]>(values: T, options: Record<string, unknown> = {}) =>
  Type.Unsafe<T[number]>({ type: "string", enum: [...values], ...options });

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const Timestamp = Type.String({
  format: "date-time",
  description: "ISO 8601 timestamp with an explicit offset, e.g. 2025-01-23T09:15:00+07:00",
  // Offset required: a timestamp without one is ambiguous (API.md "Conventions").
  pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$",
  maxLength: 40,
});

/** A timestamp motcua sends (RFC 3339, `+07:00` for Vietnam, e.g. 2025-01-23T09:15:00+07:00). */
export const Instant = (options: Record<string, unknown> = {}) => Type.String({ format: "date-time", ...options });

export const LocalDate = Type.String({
  description: "A Vietnam-local date, YYYY-MM-DD",
  pattern: "^\\d{4}-\\d{2}-\\d{2}$",
  maxLength: 10,
});

export const TimeOfDay = Type.String({ description: "Local time HH:mm", pattern: "^\\d{2}:\\d{2}$", maxLength: 5 });

export const Name = Type.String({ minLength: 1, maxLength: 500 });

/** Agency codes (mã định danh, Decision 20/2020/QĐ-TTg) are validated loosely: the structure is changing (DOMAIN.md §8). */
export const AgencyCode = Type.String({
  description: "Agency code (mã định danh), letters, digits and dots, e.g. 000.00.01.H22",
  pattern: "^[A-Za-z0-9]+(\\.[A-Za-z0-9]+)*$",
  minLength: 1,
  maxLength: 64,
});

export const Code = Type.String({ pattern: "^[A-Za-z0-9][A-Za-z0-9._-]*$", minLength: 1, maxLength: 64 });

export const DurationSchema = Type.Object(
  {
    // 1,000 is far beyond any procedure (the longest are a few months) and keeps one request's work bounded.
    value: Type.Number({ exclusiveMinimum: 0, maximum: 1000, description: "Positive; may be fractional (0.25, 3.5); at most 1000" }),
    unit: StringEnum(DURATION_UNITS),
  },
  { additionalProperties: false, $id: "Duration" },
);
export type DurationBody = Static<typeof DurationSchema>;

export const FieldErrorSchema = Type.Object({ field: Type.String(), message: Type.String() });

/** RFC 9457 problem details (API.md "Errors"). */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.Optional(Type.String()),
    code: Type.Optional(Type.String({ description: "Stable machine-readable reason" })),
    errors: Type.Optional(Type.Array(FieldErrorSchema)),
    requestId: Type.Optional(Type.String({ description: "The request's id, as in the X-Request-Id response header" })),
  },
  { $id: "Problem" },
);

const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: Type.Ref("Problem") } } });

/** Error responses a route declares so they appear in the OpenAPI document (STYLE.md). */
export const problems = {
  400: problem("Malformed request: the failing fields are listed in `errors`"),
  401: problem("Missing or invalid API key"),
  403: problem("The key's role or agencies do not allow this"),
  404: problem("Unknown resource"),
  406: problem("The Accept header allows none of the representations offered"),
  409: problem("Conflict with the current state"),
  422: problem("A domain rule refuses the request"),
} as const;

export const pickProblems = <K extends keyof typeof problems>(...codes: K[]) =>
  Object.fromEntries(codes.map((c) => [c, problems[c]])) as Pick<typeof problems, K>;

