/**
 * The one place where errors become HTTP: RFC 9457 `application/problem+json` with `type`,
 * `title`, `status`, `detail` and, for validation, `errors: [{ field, message }]` (API.md "Errors").
 * 5xx details are logged, never shown.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { AppError, type ErrorCode, type FieldError } from "../../domain/errors.js";

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

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type("application/problem+json; charset=utf-8").send(problem);
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

function validationErrors(errors: readonly AjvError[], context: string | undefined): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    let extra: string | undefined;
    let message = e.message ?? "is invalid";
    if (e.keyword === "required") extra = String(e.params.missingProperty);
    if (e.keyword === "additionalProperties") {
      extra = String(e.params.additionalProperty);
      message = "is not a known field";
    }
    if (e.keyword === "enum" && Array.isArray(e.params.allowedValues)) message = `must be one of: ${e.params.allowedValues.join(", ")}`;
    if (e.keyword === "pattern") message = "has an invalid format";
    const field = fieldPath(e.instancePath, extra) || (context === "body" ? "body" : (context ?? "request"));
    if (!out.some((o) => o.field === field && o.message === message)) out.push({ field, message });
  }
  return out;
}

export function registerErrorHandling(app: FastifyInstance): void {
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
    if (error.validation) {
      const errors = validationErrors(error.validation as unknown as AjvError[], error.validationContext);
      return sendProblem(reply, {
        type: typeFor("validation_failed"),
        title: TITLES[400]!,
        status: 400,
        detail: errors.map((e) => `${e.field}: ${e.message}`).join("; "),
        instance,
        code: "validation_failed",
        errors,
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
      });
    }
    // Fastify's own 4xx: malformed JSON, empty body, media type, body too large, …
    const field = status === 400 || status === 413 || status === 415 ? [{ field: "body", message: error.message }] : undefined;
    return sendProblem(reply, {
      type: typeFor(error.code ? error.code.toLowerCase() : `http_${status}`),
      title: TITLES[status] ?? "Client Error",
      status,
      detail: error.message,
      instance,
      ...(error.code ? { code: error.code } : {}),
      ...(field ? { errors: field } : {}),
    });
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, {
      type: typeFor("route_not_found"),
      title: TITLES[404]!,
      status: 404,
      detail: `No route ${request.method} ${request.url.split("?")[0]}`,
      instance: request.url.split("?")[0]!,
      code: "route_not_found",
    }),
  );
}
