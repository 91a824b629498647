/**
 * Requests outside what the routes declare (issue #14 item 6, docs/ERRORS.md):
 * - a known path with a method it does not have answers 405 with `Allow` (RFC 9110 §15.5.6), an
 *   unknown path 404, both as problems;
 * - an unknown query parameter is refused on every route of the OpenAPI document (400 naming it),
 *   as an unknown body field is: `?recievedFrom=` silently ignored would answer the wrong list.
 * Registered before the routes: it sees each one as it is added (onRoute).
 */
import type { FastifyInstance, preValidationHookHandler, RouteOptions } from "fastify";
import { validationFailed } from "../../domain/errors.js";
import { sendProblem } from "./error-handler.js";

interface KnownPath {
  readonly pattern: RegExp;
  readonly methods: Set<string>;
}

/** "/v1/dossiers/:receiptCode/events" -> /^\/v1\/dossiers\/[^/]+\/events$/ */
function patternOf(url: string): RegExp {
  const source = url
    .split("/")
    .map((segment) => (segment.startsWith(":") ? "[^/]+" : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("/");
  return new RegExp(`^${source}$`);
}

/**
 * A route-level preValidation hook refusing query parameters the route does not declare. Before
 * validation, so that the answer does not depend on whether the body or the path were valid too.
 */
function refuseUnknownQuery(querystring: unknown): preValidationHookHandler | null {
  const schema = (querystring ?? {}) as { properties?: Record<string, unknown>; additionalProperties?: unknown };
  // A schema that says it takes any parameter keeps doing so.
  if (schema.additionalProperties !== undefined && schema.additionalProperties !== false) return null;
  const declared = new Set(Object.keys(schema.properties ?? {}));
  return (request, _reply, done) => {
    const unknown = Object.keys(request.query as Record<string, unknown>).filter((name) => !declared.has(name));
    done(unknown.length > 0 ? validationFailed(unknown.map((field) => ({ field, message: "is not a known query parameter" }))) : undefined);
  };
}

export function registerStrictRoutes(app: FastifyInstance): void {
  const known = new Map<string, KnownPath>();

  app.addHook("onRoute", (route: RouteOptions) => {
    // Wildcards (the Swagger UI's files, a catch-all preflight) match any path: they say nothing about a method.
    if (!route.url.includes("*")) {
      const entry = known.get(route.url) ?? { pattern: patternOf(route.url), methods: new Set<string>() };
      for (const method of [route.method].flat()) entry.methods.add(method);
      known.set(route.url, entry);
    }
    // Every route of the OpenAPI document; the hidden ones (Swagger UI, /openapi.json, /metrics) are not the API.
    const schema = route.schema as (Record<string, unknown> & { hide?: boolean }) | undefined;
    if (schema === undefined || schema.hide === true) return;
    const check = refuseUnknownQuery(schema.querystring);
    if (check !== null) route.preValidation = [...[route.preValidation ?? []].flat(), check];
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0]!;
    const allowed = new Set<string>();
    for (const { pattern, methods } of known.values()) if (pattern.test(path)) for (const m of methods) allowed.add(m);
    if (allowed.size > 0 && !allowed.has(request.method)) {
      if (allowed.has("GET")) allowed.add("HEAD");
      const allow = [...allowed].sort().join(", ");
      reply.header("Allow", allow);
      return sendProblem(reply, {
        type: "urn:motcua:problem:method-not-allowed",
        title: "Method Not Allowed",
        status: 405,
        detail: `${path} answers ${allow}, not ${request.method}`,
        instance: path,
        code: "method_not_allowed",
      });
    }
    return sendProblem(reply, {
      type: "urn:motcua:problem:route-not-found",
      title: "Not Found",
      status: 404,
      detail: `No route ${request.method} ${path}`,
      instance: path,
      code: "route_not_found",
    });
  });
}
