/**
 * The endpoints to fuzz, read from the app's own OpenAPI document so that an endpoint added later
 * is fuzzed without touching the fuzzer, plus the operational routes the document hides.
 */
export type JsonSchema = { readonly [key: string]: unknown };

export interface ParamSpec {
  readonly name: string;
  readonly schema: JsonSchema;
  readonly required: boolean;
}

export interface RouteSpec {
  readonly method: string;
  /** OpenAPI-style path, e.g. /v1/dossiers/{receiptCode}. */
  readonly template: string;
  readonly pathParams: readonly ParamSpec[];
  readonly query: readonly ParamSpec[];
  /** The JSON request body's schema, $refs resolved; undefined when the route takes no body. */
  readonly body: JsonSchema | undefined;
  /** Needs `Authorization: Bearer <key>`: without a valid key the answer must be 401. */
  readonly secured: boolean;
}

interface OpenApiParameter {
  readonly in: string;
  readonly name: string;
  readonly required?: boolean;
  readonly schema?: JsonSchema;
}

interface OpenApiOperation {
  readonly parameters?: readonly OpenApiParameter[];
  readonly requestBody?: { readonly content?: Readonly<Record<string, { readonly schema?: JsonSchema }>> };
  readonly security?: readonly unknown[];
}

export interface OpenApiDocument {
  readonly paths: Readonly<Record<string, Readonly<Record<string, OpenApiOperation>>>>;
  readonly components?: { readonly schemas?: Readonly<Record<string, JsonSchema>> };
}

const HTTP_METHODS = new Set(["get", "put", "post", "delete", "patch"]);
/** Schemas reference a few shared ones; a longer chain of $refs is a cycle. */
const MAX_REF_DEPTH = 32;

export const routeKey = (route: Pick<RouteSpec, "method" | "template">): string => `${route.method} ${route.template}`;

/** Routes registered with `hide: true` (operations and the Swagger UI): not in the document, still reachable. */
export const UNDOCUMENTED_ROUTES: readonly RouteSpec[] = [
  ...["/metrics", "/openapi.json", "/docs", "/docs/json", "/docs/yaml"].map((template) => plainGet(template)),
  {
    ...plainGet("/docs/static/{file}"),
    pathParams: [{ name: "file", schema: { type: "string", enum: ["index.html", "swagger-initializer.js", "swagger-ui.css"] }, required: true }],
  },
];

function plainGet(template: string): RouteSpec {
  return { method: "GET", template, pathParams: [], query: [], body: undefined, secured: false };
}

export function routesFromOpenApi(doc: OpenApiDocument): RouteSpec[] {
  const components = doc.components?.schemas ?? {};
  const resolve = (schema: JsonSchema | undefined) => (schema === undefined ? undefined : (resolveRefs(schema, components, 0) as JsonSchema));
  const routes: RouteSpec[] = [];
  for (const [template, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (!HTTP_METHODS.has(method)) continue;
      const parameters = (operation.parameters ?? []).map((p) => ({ name: p.name, in: p.in, required: p.required ?? false, schema: resolve(p.schema) ?? {} }));
      routes.push({
        method: method.toUpperCase(),
        template,
        pathParams: parameters.filter((p) => p.in === "path"),
        query: parameters.filter((p) => p.in === "query"),
        body: resolve(operation.requestBody?.content?.["application/json"]?.schema),
        secured: (operation.security ?? []).length > 0,
      });
    }
  }
  return routes;
}

/** Inlines `#/components/schemas/X` references so that generators see whole schemas. */
function resolveRefs(value: unknown, components: Readonly<Record<string, JsonSchema>>, depth: number): unknown {
  if (depth > MAX_REF_DEPTH) throw new Error("the OpenAPI document's $refs nest too deeply (a cycle?)");
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, components, depth));
  if (value === null || typeof value !== "object") return value;
  const ref = (value as { $ref?: unknown }).$ref;
  if (typeof ref === "string") {
    const target = components[ref.replace(/^#\/components\/schemas\//, "")];
    if (target === undefined) throw new Error(`unresolved $ref ${ref} in the OpenAPI document`);
    return resolveRefs(target, components, depth + 1);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(v, components, depth)]));
}
