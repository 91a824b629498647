/**
 * From the routes to the OpenAPI document (issue #14 item 5): @fastify/swagger's per-route
 * `transform` and whole-document `transformObject`. Route schemas stay what the server validates
 * and serializes with; what is added here only documents behaviour that lives elsewhere:
 * - operationIds (operation-ids.ts);
 * - `security` from the route's own hooks: `[]` where no key is asked (public, operations);
 * - the refusals every route can give besides its own: 400 (an unknown query parameter,
 *   plugins/strict-routes.ts), 401/403 where a key is required, 413/415 where a body is read,
 *   429 where rate-limited, 503 (load shedding, storage) everywhere but /healthz;
 * - ETag, If-None-Match and 304 on routes with `config.etag` (plugins/etag.ts);
 * - the event body as a discriminated union (schemas/dossier-schemas.ts EventSubmission);
 * - named components instead of inlined copies (components.ts), and request examples (examples.ts).
 */
import type { SwaggerTransform, SwaggerTransformObject } from "@fastify/swagger";
import type { FastifySchema } from "fastify";
import type { TSchema } from "typebox";
import { EventsBody, EventSubmission } from "../schemas/dossier-schemas.js";
import { createComponentizer } from "./components.js";
import { OPERATION_IDS } from "./operation-ids.js";
import { PARAMETER_EXAMPLES, REQUEST_EXAMPLES } from "./examples.js";

const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: { $ref: "Problem" } } } });

/** Refusals that do not depend on the route's own logic (docs/ERRORS.md). */
const COMMON_PROBLEMS = {
  400: problem("Malformed request: the failing fields or query parameters are listed in `errors`"),
  401: problem("Missing or invalid API key"),
  403: problem("The key's role or agencies do not allow this"),
  413: problem("The body is too large (64 KiB; 1 MiB for event batches): code body_too_large"),
  415: problem("The body is not application/json: code unsupported_media_type"),
  429: problem("Too many requests from this address (60 a minute): code rate_limited; Retry-After says when to come back"),
  503: problem("Overloaded (load shedding, code overloaded) or the database cannot work now (storage_unavailable); nothing was changed; Retry-After says when to retry"),
} as const;

/** Bodies the document states more precisely than the schema the server validates with (which refuses the same). */
const DOCUMENTED_BODIES = new Map<unknown, TSchema>([[EventsBody, EventSubmission]]);

const ETAG_HEADER = { ETag: { type: "string", description: 'A strong tag of this representation: a hash of the body ("…"); send it back as If-None-Match' } };

/** The paths that answer without a key and are not rate-limited or shed: the liveness probe. */
const NEVER_SHED = new Set(["/healthz"]);

interface RouteLike {
  method: string | string[];
  url: string;
  onRequest?: unknown;
  config?: { etag?: boolean };
}

const openApiPath = (url: string) => url.replace(/:(\w+)/g, "{$1}");
const hooksOf = (hooks: unknown): { name?: string }[] => (hooks === undefined || hooks === null ? [] : ([hooks].flat() as { name?: string }[]));

/** @fastify/swagger `transform`: one route's schema as documented. */
export const documentRoute: SwaggerTransform = ({ schema: routeSchema, url, route: routeOptions }) => {
  const schema = routeSchema as Record<string, unknown> | undefined;
  const route = routeOptions as unknown as RouteLike;
  if (schema === undefined || schema.hide === true) return { schema: routeSchema, url };
  const method = [route.method].flat()[0]!.toUpperCase();
  const path = openApiPath(url);
  const authenticated = hooksOf(route.onRequest).some((hook) => hook.name === "requireRole");
  const hasBody = schema.body !== undefined;
  const isPublic = path.startsWith("/v1/public/");

  const response: Record<string, unknown> = { ...(schema.response as Record<string, unknown> | undefined) };
  const add = (status: keyof typeof COMMON_PROBLEMS) => {
    // A route's own declaration of one of these (its Problem $ref) becomes the problem+json one.
    const own = response[status] as { $ref?: string } | undefined;
    if (own === undefined || own.$ref === "Problem") response[status] = COMMON_PROBLEMS[status];
  };
  add(400);
  if (authenticated) (add(401), add(403));
  if (hasBody) (add(413), add(415));
  if (isPublic) add(429);
  if (!NEVER_SHED.has(path)) add(503);
  for (const [status, value] of Object.entries(response)) if ((value as { $ref?: string }).$ref === "Problem") response[status] = problem("Refused");

  let headers = schema.headers;
  if (route.config?.etag === true) {
    const ok = response[200] as Record<string, unknown>;
    response[200] = "content" in ok || "description" in ok ? { ...ok, headers: { ...(ok.headers as object), ...ETAG_HEADER } } : { description: "OK", headers: ETAG_HEADER, content: { "application/json": { schema: ok } } };
    response[304] = { type: "null", description: "Not Modified: If-None-Match holds the current tag; no body", headers: ETAG_HEADER };
    headers = {
      type: "object",
      properties: { "if-none-match": { type: "string", description: "A tag from an earlier answer's ETag: 304 with no body while it is still current" } },
    };
  }

  const documentedBody = DOCUMENTED_BODIES.get(schema.body);
  const operationId = OPERATION_IDS[`${method} ${path}`];
  const documented: Record<string, unknown> = {
    ...schema,
    ...(operationId ? { operationId } : {}),
    security: authenticated ? (schema.security ?? [{ apiKey: [] }]) : [],
    ...(hasBody ? { body: componentizer.refs(documentedBody ?? schema.body) } : {}),
    ...(headers ? { headers } : {}),
    response: refsIn(response),
  };
  return { url, schema: documented as FastifySchema };
};

const componentizer = createComponentizer();

/** Named shapes inside response declarations (status -> schema or {description, content}). */
function refsIn(response: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(response).map(([status, value]) => [status, componentizer.refs(value)]));
}

interface Operation {
  operationId?: string;
  requestBody?: { content?: Record<string, { schema?: unknown; examples?: unknown }> };
  parameters?: { name: string; in: string; example?: unknown; schema?: unknown; required?: boolean; description?: string }[];
  responses?: Record<string, unknown>;
}

/** API.md "Retries": every POST takes an Idempotency-Key (plugins/idempotency.ts). */
const IDEMPOTENCY_KEY = {
  name: "Idempotency-Key",
  in: "header",
  required: false,
  description:
    "Makes a retry safe: the same key with the same body within 24 h answers the stored response (with `Idempotent-Replayed: true`) and writes nothing; " +
    "another body answers 409 `idempotency-key-reused`, a request still in flight with the key 409 `idempotency-key-in-use`. Scoped to the API key.",
  schema: { type: "string", minLength: 1, maxLength: 255, pattern: "^[\\x21-\\x7e]+$" },
  example: "8f14e45f-ceea-467f-a0e6-4c2b1d6f0e21",
};

/** @fastify/swagger `transformObject`: components, $refs and examples over the whole document. */
export const documentObject: SwaggerTransformObject = (documentObject) => {
  const openapiObject = (documentObject as { openapiObject: Record<string, unknown> }).openapiObject;
  const paths = openapiObject.paths as Record<string, Record<string, Operation>>;
  for (const operations of Object.values(paths))
    for (const [method, operation] of Object.entries(operations)) {
      if (method === "post") {
        operation.parameters = [...(operation.parameters ?? []), { ...IDEMPOTENCY_KEY }];
        operation.responses ??= {};
        operation.responses["409"] ??= componentizer.refs({ description: "Conflict (for instance an Idempotency-Key reused with another body)", content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } });
      }
      for (const media of Object.values(operation.requestBody?.content ?? {})) media.schema = componentizer.refs(media.schema);
      const examples = operation.operationId === undefined ? undefined : REQUEST_EXAMPLES[operation.operationId];
      const json = operation.requestBody?.content?.["application/json"];
      if (examples && json) json.examples = Object.fromEntries(Object.entries(examples).map(([name, { summary, value }]) => [name, { summary, value }]));
      for (const parameter of operation.parameters ?? []) {
        const example = (operation.operationId && PARAMETER_EXAMPLES.byOperation[operation.operationId]?.[parameter.name]) ?? PARAMETER_EXAMPLES.byName[parameter.name];
        if (example !== undefined) parameter.example = example;
      }
    }
  const components = openapiObject.components as { schemas: Record<string, unknown> };
  components.schemas = { ...components.schemas, ...(componentizer.definitions() as Record<string, unknown>) };
  return openapiObject;
};
