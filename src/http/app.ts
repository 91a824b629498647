/**
 * buildApp(): the whole HTTP service on one database, ready to listen or to be tested in-process.
 * Plugins and routes are registered explicitly, top-down (STYLE.md).
 */
import Fastify, { type FastifyInstance } from "fastify";
import type { Config } from "../config.js";
import { openSqlite, type SqliteHandle } from "../db/sqlite-client.js";
import { createWriteProbe, isStorageFailure } from "../db/storage-health.js";
import { createSqliteRepositories } from "../db/sqlite/index.js";
import { createServices, type Services } from "../services/index.js";
import { BODY_LIMITS } from "./schemas/common.js";
import { registerAuth } from "./plugins/auth.js";
import { registerErrorHandling, sendFrameworkError } from "./plugins/error-handler.js";
import { DEFAULT_LOAD_SHEDDING, registerHardening, type LoadShedding } from "./plugins/hardening.js";
import { registerMetrics } from "./plugins/metrics.js";
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
import { DEFAULT_PUBLIC_RATE_LIMIT, registerPublicRoutes, type PublicRateLimit } from "./routes/public-routes.js";

export interface AppOptions {
  readonly config: Pick<Config, "dbFile" | "adminKey" | "logLevel">;
  /** The clock; tests pin it. */
  readonly now?: () => number;
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
    database: SqliteHandle;
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

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const now = options.now ?? Date.now;
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
    // Bodies are validated as sent, query strings and parameters coerced (plugins/validation.ts).
    schemaController: validationSchemaController(),
  });

  const database = openSqlite(options.config.dbFile);
  const services = createServices(createSqliteRepositories(database), { now, adminKey: options.config.adminKey });
  app.addHook("onClose", async () => {
    services.audit.flush();
    database.close();
  });
  await services.calendars.seedBuiltIns();
  app.decorate("database", database);
  app.decorate("services", services);

  registerErrorHandling(app, { isFailure: isStorageFailure });
  registerStrictRoutes(app);
  registerEtag(app);
  await registerSwagger(app);
  await registerHardening(app, options.loadShedding ?? DEFAULT_LOAD_SHEDDING);
  registerMetrics(app);
  registerAuth(app, services.apiKeys);

  // Ready while a write commits: a full disk or a read-only file turns it 503 until writes succeed again.
  const probeWrite = createWriteProbe(database.sqlite);
  registerHealthRoutes(app, () => {
    if (!database.sqlite.open) return { ok: false, detail: "the database is closed" };
    if (!database.migrated) return { ok: false, detail: "migrations have not been applied" };
    const write = probeWrite();
    return write.ok ? { ok: true, detail: "ready" } : write;
  });
  registerApiKeyRoutes(app, services.apiKeys);
  registerCalendarRoutes(app, services.calendars);
  registerAgencyRoutes(app, services.agencies);
  registerProcedureRoutes(app, services.procedures);
  registerDossierRoutes(app, services.dossiers, services.apologyLetters, services.audit);
  registerApologyLetterRoutes(app, { letters: services.apologyLetters, dossiers: services.dossiers, agencies: services.agencies, audit: services.audit });
  registerFormRoutes(app, { letters: services.apologyLetters, dossiers: services.dossiers, agencies: services.agencies, audit: services.audit });
  registerAuditRoutes(app, services.audit);
  registerStatisticsRoutes(app, services.statistics);
  await registerPublicRoutes(app, services.dossiers, services.audit, options.publicRateLimit ?? DEFAULT_PUBLIC_RATE_LIMIT);

  return app;
}
