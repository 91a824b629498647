/**
 * buildApp(): the HTTP layer over the use cases it is given (composed in src/composition.ts), ready to
 * listen or to be tested in-process. It knows nothing of the storage but its health (StorageHealth).
 * Plugins and routes are registered explicitly, top-down (STYLE.md).
 */
import Fastify, { type FastifyInstance } from "fastify";
import type { Config, TrustProxy } from "../config.js";
import type { Services } from "../services/index.js";
import type { StorageHealth } from "../services/storage-ports.js";
import { BODY_LIMITS } from "./schemas/common.js";
import { registerAuth } from "./plugins/auth.js";
import { registerErrorHandling, sendFrameworkError } from "./plugins/error-handler.js";
import { DEFAULT_LOAD_SHEDDING, registerHardening, type LoadShedding } from "./plugins/hardening.js";
import { registerMetrics } from "./plugins/metrics.js";
import { registerDomainMetrics } from "./plugins/domain-metrics.js";
import { registerIdempotency } from "./plugins/idempotency.js";
import { registerGracefulClose } from "./plugins/graceful-close.js";
import { validationSchemaController } from "./plugins/validation.js";
import { requestIdFor } from "./request-id.js";
import { registerSwagger } from "./plugins/swagger.js";
import { registerStrictRoutes } from "./plugins/strict-routes.js";
import { registerEtag } from "./plugins/etag.js";
import { serializeRequest } from "./request-log.js";
import { registerHealthRoutes } from "./routes/health-routes.js";
import { registerCalendarRoutes } from "./routes/calendar-routes.js";
import { registerAgencyRoutes } from "./routes/agency-routes.js";
import { registerProcedureRoutes } from "./routes/procedure-routes.js";
import { registerDossierRoutes } from "./routes/dossier-routes.js";
import { registerStatisticsRoutes } from "./routes/statistics-routes.js";
import { registerApiKeyRoutes } from "./routes/api-key-routes.js";
import { registerApologyLetterRoutes } from "./routes/apology-letter-routes.js";
import { registerFormRoutes } from "./routes/form-routes.js";
import { registerAuditRoutes } from "./routes/audit-routes.js";
import { registerOutboundRoutes } from "./routes/outbound-routes.js";
import { DEFAULT_PUBLIC_RATE_LIMIT, registerPublicRoutes, type PublicRateLimit } from "./routes/public-routes.js";

export interface AppOptions {
  readonly config: Pick<Config, "logLevel"> & Partial<Pick<Config, "corsOrigins" | "trustProxy">>;
  /** What the routes call (src/services), composed over a storage (src/composition.ts). */
  readonly useCases: Services;
  /** The storage's health: readiness, which errors are its failures (503), closing. */
  readonly storage: StorageHealth;
  /** false, or pino options merged over the defaults (JSON logs at config.logLevel, redacted requests). */
  readonly logger?: boolean | Record<string, unknown>;
  /** Requests per client address and window on /v1/public/*; default 60 a minute. */
  readonly publicRateLimit?: PublicRateLimit;
  /** Load-shedding thresholds (503 with Retry-After), or false to switch it off; default DEFAULT_LOAD_SHEDDING. */
  readonly loadShedding?: LoadShedding | false;
  /** Limits on slow clients; default SERVER_TIMEOUTS (tests shorten them). */
  readonly timeouts?: Partial<ServerTimeouts>;
}

/** Request log lines without personal data: redacted on the decoded query, not the raw text (request-log.ts). */
const requestSerializer = serializeRequest;

declare module "fastify" {
  interface FastifyInstance {
    services: Services;
  }
}

/**
 * Node's own limits against slow clients (docs/ROBUSTNESS.md "Load shedding and limits"):
 * - requestMs: the whole request, headers and body, must arrive within this time (slowloris);
 * - checkIntervalMs: Node enforces requestMs only when it sweeps its connections, every
 *   connectionsCheckingInterval (30 s by default: sockets were cut after 30–60 s, ~50 s measured,
 *   issue #11 item 9). A sweep a second costs a walk over the open connections and bounds the cut
 *   at requestMs + 1 s;
 * - idleMs: a socket silent this long is closed (a client that stops reading an answer);
 * - keepAliveMs: an idle keep-alive connection is closed after this (Fastify's default, kept: above
 *   the 60 s idle timeout of common load balancers, so that the proxy, not the server, closes first).
 */
export interface ServerTimeouts {
  readonly requestMs: number;
  readonly checkIntervalMs: number;
  readonly idleMs: number;
  readonly keepAliveMs: number;
}
export const SERVER_TIMEOUTS: ServerTimeouts = { requestMs: 30_000, checkIntervalMs: 1_000, idleMs: 120_000, keepAliveMs: 72_000 };

/**
 * Fastify's `trustProxy`: the addresses as a list for proxy-addr (the config's frozen array
 * copied); a hop count as the function Fastify itself makes of a number (its types omit numbers):
 * the socket's peer is hop 0, the nearest X-Forwarded-For entry hop 1, and so on.
 */
function trustProxyOption(trust: TrustProxy): false | string[] | ((address: string, hop: number) => boolean) {
  if (trust === false) return false;
  if (typeof trust === "number") return (_address, hop) => hop < trust;
  return [...trust];
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const timeouts = { ...SERVER_TIMEOUTS, ...options.timeouts };
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : { level: options.config.logLevel, serializers: { req: requestSerializer }, ...(typeof options.logger === "object" ? options.logger : {}) },
    bodyLimit: BODY_LIMITS.single,
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    // headersTimeout would default to 60 s, above requestTimeout: the same bound for the headers.
    http: { connectionsCheckingInterval: timeouts.checkIntervalMs, headersTimeout: timeouts.requestMs, requestTimeout: timeouts.requestMs },
    frameworkErrors: sendFrameworkError,
    // X-Request-Id in and out (request-id.ts): a safe incoming id is kept, else one is generated.
    requestIdHeader: false,
    genReqId: requestIdFor,
    connectionTimeout: timeouts.idleMs,
    // MOTCUA_TRUST_PROXY: request.ip (rate limit, audit, logs) comes from X-Forwarded-For only
    // through the trusted hops; unset, the socket's peer is the client and the header is ignored.
    trustProxy: trustProxyOption(options.config.trustProxy ?? false),
    // Bodies are validated as sent, query strings and parameters coerced (plugins/validation.ts).
    schemaController: validationSchemaController(),
    // The serializer picks a nullable field's branch with ajv; checking `format: date-time` there
    // ran a regex per instant of every answer (a 3,000-step timeline: +14 ms a read) on strings
    // the server formats itself. Request validation still checks formats.
    serializerOpts: { ajv: { validateFormats: false } },
  });

  const { useCases: services, storage } = options;
  app.addHook("onClose", async () => storage.close());
  app.decorate("services", services);

  registerErrorHandling(app, { isFailure: storage.isFailure });
  registerGracefulClose(app);
  registerStrictRoutes(app);
  registerEtag(app);
  await registerSwagger(app);
  // Metrics before hardening: load shedding counts its refusals.
  const metrics = registerMetrics(app);
  registerDomainMetrics(app, metrics.registry, services.operations);
  await registerHardening(app, options.loadShedding ?? DEFAULT_LOAD_SHEDDING, metrics.counters);
  registerAuth(app, services.apiKeys);
  registerIdempotency(app, services.idempotency);

  // Ready while a write commits: a full disk or a read-only file turns it 503 until writes succeed again.
  registerHealthRoutes(app, () => storage.readiness());
  registerApiKeyRoutes(app, services.apiKeys);
  registerCalendarRoutes(app, services.calendars);
  registerAgencyRoutes(app, services.agencies);
  registerProcedureRoutes(app, services.procedures);
  registerDossierRoutes(app, services.dossiers, services.apologyLetters);
  registerApologyLetterRoutes(app, services.apologyLetters);
  registerFormRoutes(app, { forms: services.forms });
  registerAuditRoutes(app, services.audit);
  registerOutboundRoutes(app, services.outbound);
  registerStatisticsRoutes(app, services.statistics);
  await registerPublicRoutes(app, services.dossiers.portal, {
    rateLimit: options.publicRateLimit ?? DEFAULT_PUBLIC_RATE_LIMIT,
    corsOrigins: options.config.corsOrigins ?? [],
  });

  return app;
}
