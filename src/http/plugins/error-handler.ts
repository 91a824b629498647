/**
 * The one place where errors become HTTP: RFC 9457 `application/problem+json` with `type`,
 * `title`, `status`, `detail` and, for validation, `errors: [{ field, message }]` (API.md "Errors").
 * 5xx details are logged, never shown.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { AppError, validationFailed, type ErrorCode, type FieldError } from "../../domain/errors.js";
import { SECURITY_HEADERS } from "../security-headers.js";
import { REQUEST_ID_HEADER } from "../request-id.js";

const STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rule_violation: 422,
};

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  409: "Conflict",
  413: "Content Too Large",
  414: "URI Too Long",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string | undefined;
  code?: string;
  errors?: FieldError[];
}

const typeFor = (slug: string) => `urn:motcua:problem:${slug.replace(/_/g, "-")}`;

/**
 * Fastify's (and find-my-way's) own refusals under motcua's stable codes (docs/ERRORS.md): a client
 * codes against `code`, so no `FST_ERR_…` name, which would change with the framework, reaches it.
 */
const FRAMEWORK_CODES: Readonly<Record<string, { code: string; detail?: string }>> = {
  FST_ERR_BAD_URL: { code: "malformed_url", detail: "The URL is not valid (a malformed percent-encoding?)" },
  FST_ERR_INVALID_URL: { code: "malformed_url", detail: "The URL is not valid" },
  FST_ERR_MAX_PARAM_LENGTH: { code: "url_too_long", detail: "A path segment is longer than 100 characters" },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: "body_too_large" },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: "unsupported_media_type" },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: "invalid_content_length" },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: "empty_body" },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: "malformed_json" },
  FST_ERR_ROUTE_MISSING_CONTENT_TYPE: { code: "unsupported_media_type" },
  FST_ERR_ROUTE_MISSING_CONTENT: { code: "empty_body" },
};

/** Any other 4xx from the framework or a plugin (rate limiting has no code of its own): by status. */
const CODES_BY_STATUS: Readonly<Record<number, string>> = {
  400: "bad_request",
  404: "route_not_found",
  405: "method_not_allowed",
  406: "not_acceptable",
  408: "request_timeout",
  413: "body_too_large",
  414: "url_too_long",
  415: "unsupported_media_type",
  429: "rate_limited",
  431: "headers_too_large",
};

/** motcua's code for an error that is not one of its own AppErrors. */
export function frameworkCode(error: { code?: string | undefined; message?: string }, status: number): { code: string; detail?: string } {
  const known = error.code === undefined ? undefined : FRAMEWORK_CODES[error.code];
  if (known) return known;
  // A JSON body that does not parse is a SyntaxError with no code.
  if (status === 400 && error instanceof SyntaxError) return { code: "malformed_json" };
  // Codes that are already ours (lower-case, e.g. not_acceptable from content-negotiation.ts) are kept.
  if (error.code !== undefined && /^[a-z][a-z_]*$/.test(error.code)) return { code: error.code };
  return { code: CODES_BY_STATUS[status] ?? `http_${status}` };
}

/** Every problem document names its request (API.md "Correlation": `requestId`, as `X-Request-Id`). */
export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type("application/problem+json; charset=utf-8").send({ ...problem, requestId: reply.request.id });
}

/** "/weeklyHours/mon/0" + "1" -> "weeklyHours.mon[0][1]" */
function fieldPath(instancePath: string, extra?: string): string {
  const parts = instancePath.split("/").slice(1).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (extra !== undefined) parts.push(extra);
  return parts.reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), "");
}

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** A request with thousands of bad fields gets the first ones listed, not a response of megabytes. */
export const MAX_LISTED_ERRORS = 100;

function validationErrors(errors: readonly AjvError[], context: string | undefined): { listed: FieldError[]; total: number } {
  const seen = new Set<string>();
  const listed: FieldError[] = [];
  for (const e of errors) {
    let extra: string | undefined;
    let message = e.message ?? "is invalid";
    if (e.keyword === "required") extra = String(e.params.missingProperty);
    if (e.keyword === "additionalProperties") {
      extra = String(e.params.additionalProperty);
      message = context === "querystring" && e.instancePath === "" ? "is not a known query parameter" : "is not a known field";
    }
    if (e.keyword === "enum" && Array.isArray(e.params.allowedValues)) message = `must be one of: ${e.params.allowedValues.join(", ")}`;
    if (e.keyword === "pattern") message = "has an invalid format";
    const field = fieldPath(e.instancePath, extra) || (context === "body" ? "body" : (context ?? "request"));
    // A Set, not a scan of the list: a body with 80,000 unknown keys must not cost seconds.
    const key = `${field}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (listed.length < MAX_LISTED_ERRORS) listed.push({ field, message });
  }
  return { listed, total: seen.size };
}

/**
 * URL-coerced numbers: Ajv turns "Infinity" or "1e400" into ±Infinity, which passes
 * `type: integer` and skips minimum/maximum. Checked once here for every route's query and params.
 */
function nonFiniteNumbers(request: FastifyRequest): FieldError[] {
  const errors: FieldError[] = [];
  for (const part of [request.query, request.params])
    if (part !== null && typeof part === "object")
      for (const [field, value] of Object.entries(part)) if (typeof value === "number" && !Number.isFinite(value)) errors.push({ field, message: "must be a finite number" });
  return errors;
}

/**
 * Fastify's own refusals before routing (a malformed percent-encoding, an over-long path
 * parameter) as problems like every other error (the `frameworkErrors` server option).
 */
export function sendFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = typeof error.statusCode === "number" && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  const path = request.url.split("?")[0]!;
  const { code, detail } = frameworkCode(error, status);
  // Answered before any hook runs: the headers every other answer gets are set here.
  reply.headers(SECURITY_HEADERS).header(REQUEST_ID_HEADER, request.id);
  sendProblem(reply, {
    type: typeFor(code),
    title: TITLES[status] ?? "Client Error",
    status,
    detail: detail ?? error.message,
    ...(request.url.startsWith("/v1/public/") ? {} : { instance: path }),
    code,
    errors: [{ field: "url", message: detail ?? error.message }],
  });
}

/** Seconds a client should wait before retrying when the storage refuses to work. */
const STORAGE_RETRY_AFTER_SECONDS = 30;

export function registerErrorHandling(app: FastifyInstance, storage: { isFailure: (error: unknown) => boolean }): void {
  app.addHook("preHandler", (request, _reply, done) => {
    const errors = nonFiniteNumbers(request);
    done(errors.length > 0 ? validationFailed(errors) : undefined);
  });

  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    // The path only: query strings may carry personal data (the portal's identity number). Public
    // answers carry none, so that a wrong identity number reads exactly like an unknown code.
    const instance = request.url.startsWith("/v1/public/") ? undefined : request.url.split("?")[0]!;
    if (error instanceof AppError) {
      const status = STATUS[error.code];
      return sendProblem(reply, {
        type: typeFor(error.reason ?? error.code),
        title: TITLES[status] ?? "Error",
        status,
        detail: error.message,
        instance,
        code: error.reason ?? error.code,
        ...(error.errors.length > 0 ? { errors: [...error.errors] } : {}),
      });
    }
    if (storage.isFailure(error)) {
      // A full disk, an I/O error, a read-only file: nothing was written (the transaction rolled
      // back), the process goes on, and the client may retry later (docs/ROBUSTNESS.md).
      request.log.error({ err: error }, "storage unavailable");
      reply.header("retry-after", String(STORAGE_RETRY_AFTER_SECONDS));
      return sendProblem(reply, {
        type: typeFor("storage_unavailable"),
        title: TITLES[503]!,
        status: 503,
        detail: "The database cannot store or read this now (e.g. the disk is full); nothing was changed. Retry later.",
        instance,
        code: "storage_unavailable",
      });
    }
    if (error.validation) {
      const { listed, total } = validationErrors(error.validation as unknown as AjvError[], error.validationContext);
      const more = total > listed.length ? `; and ${total - listed.length} more` : "";
      return sendProblem(reply, {
        type: typeFor("validation_failed"),
        title: TITLES[400]!,
        status: 400,
        detail: listed.map((e) => `${e.field}: ${e.message}`).join("; ") + more,
        instance,
        code: "validation_failed",
        errors: listed,
      });
    }
    const status = typeof error.statusCode === "number" && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, "request failed");
      return sendProblem(reply, {
        type: typeFor("internal_error"),
        title: TITLES[status] ?? "Server Error",
        status,
        detail: status === 503 ? "The service is temporarily unable to handle the request" : "An unexpected error occurred; it has been logged",
        instance,
        code: status === 503 ? "service_unavailable" : "internal_error",
      });
    }
    // Fastify's own 4xx: malformed JSON, empty body, media type, body too large, …
    const { code, detail } = frameworkCode(error, status);
    const field = status === 400 || status === 413 || status === 415 ? [{ field: "body", message: detail ?? error.message }] : undefined;
    return sendProblem(reply, {
      type: typeFor(code),
      title: TITLES[status] ?? "Client Error",
      status,
      detail: detail ?? error.message,
      instance,
      code,
      ...(field ? { errors: field } : {}),
    });
  });
}
