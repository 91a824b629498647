/** The OpenAPI document is generated from the route schemas (API.md: /openapi.json, /docs). */
import type { FastifyInstance } from "fastify";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import { DurationSchema, ProblemSchema } from "../schemas/common.js";
import { documentObject, documentRoute } from "../openapi/openapi-document.js";

export const OPENAPI_INFO = {
  title: "motcua API",
  version: "1.0.0",
  description:
    "System of record for administrative-procedure dossiers in Vietnam's one-stop-shop mechanism (cơ chế một cửa, một cửa liên thông). " +
    "The contract is docs/API.md in the project's shared folder; this document is generated from the route schemas.",
};

export async function registerSwagger(app: FastifyInstance): Promise<void> {
  app.addSchema(ProblemSchema);
  app.addSchema(DurationSchema);
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: OPENAPI_INFO,
      // Relative: the server that serves this document (Swagger UI's "Try it out" calls it).
      servers: [{ url: "/", description: "This server" }],
      components: {
        securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "An API key: Authorization: Bearer <key>" } },
      },
      tags: [
        { name: "keys", description: "API keys (admin)" },
        { name: "calendars", description: "Working calendars and deadline previews" },
        { name: "agencies", description: "Agencies (a tree)" },
        { name: "procedures", description: "Administrative procedures and their versions" },
        { name: "dossiers", description: "Reception, events, the clock and the process control sheet" },
        { name: "apology letters", description: "Apology letters and new appointments (DOMAIN.md §5), as JSON or printable PDF" },
        { name: "statistics", description: "Report 06 and the Decision 766 scorecard" },
        { name: "public", description: "Citizen portals: no key, rate-limited" },
        { name: "audit", description: "Who read which personal data (admin)" },
        { name: "outbound", description: "Webhooks, the national portal sync and time-driven warnings (admin)" },
        { name: "operations", description: "Health, readiness, metrics" },
      ],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
    // operationIds, security, the refusals every route can give, ETags, named components, examples (openapi/).
    transform: documentRoute,
    transformObject: documentObject,
  });
  // Its own Content-Security-Policy: the UI needs its scripts and styles, which the API policy forbids.
  await app.register(swaggerUi, { routePrefix: "/docs", staticCSP: true });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
}
