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
import { registerSwagger } from "./plugins/swagger.js";
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
}

/** Request log lines without personal data: the portal's identity number is redacted. */
const requestSerializer = (request: { method: string; url: string; ip?: string }) => ({
  method: request.method,
  url: request.url.replace(/([?&]idNumber=)[^&]*/gi, "$1[redacted]"),
  remoteAddress: request.ip,
});

declare module "fastify" {
  interface FastifyInstance {
    services: Services;
    database: SqliteHandle;
  }
}

/**
 * Node's own limits against slow clients: the whole request must arrive within this time
 * (slowloris), and an idle connection is closed after connectionTimeout.
 */
const REQUEST_TIMEOUT_MS = 30_000;
const CONNECTION_TIMEOUT_MS = 120_000;

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const now = options.now ?? Date.now;
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : { level: options.config.logLevel, serializers: { req: requestSerializer }, ...(typeof options.logger === "object" ? options.logger : {}) },
    bodyLimit: BODY_LIMITS.single,
    requestTimeout: REQUEST_TIMEOUT_MS,
    frameworkErrors: sendFrameworkError,
    connectionTimeout: CONNECTION_TIMEOUT_MS,
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
