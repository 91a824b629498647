/**
 * The composition root (issue #12): config -> database -> repositories -> use cases -> buildApp.
 * The one place that knows both the storage and the HTTP layer; server.ts, the tests and the
 * scripts compose the service through it.
 */
import type { FastifyInstance } from "fastify";
import type { Config } from "./config.js";
import { openSqlite, type SqliteHandle } from "./db/sqlite-client.js";
import { createWriteProbe, isStorageFailure } from "./db/storage-health.js";
import { createGroupCommit, type GroupCommit } from "./db/sqlite/group-commit.js";
import { createSqliteRepositories } from "./db/sqlite/index.js";
import { buildApp, type AppOptions } from "./http/app.js";
import { createServices, type Services } from "./services/index.js";
import type { StorageHealth } from "./services/storage-ports.js";

declare module "fastify" {
  interface FastifyInstance {
    /** The embedded database under the app (tests, scripts and operations read it directly). */
    database: SqliteHandle;
  }
}

export interface SqliteService {
  readonly database: SqliteHandle;
  readonly group: GroupCommit;
  readonly useCases: Services;
  readonly storage: StorageHealth;
}

/** Opens (and migrates) the SQLite file, builds the repositories and the use cases over it, seeds the built-in calendars. */
export async function composeSqlite(options: { dbFile: string; adminKey: string | undefined; now?: () => number }): Promise<SqliteService> {
  const database = openSqlite(options.dbFile);
  const group = createGroupCommit(database.sqlite);
  const useCases = createServices(createSqliteRepositories(database, group), { now: options.now ?? Date.now, adminKey: options.adminKey });
  const probeWrite = createWriteProbe(database.sqlite);
  const storage: { -readonly [K in keyof StorageHealth]: StorageHealth[K] } = {
    readiness() {
      if (!database.sqlite.open) return { ok: false, detail: "the database is closed" };
      if (!database.migrated) return { ok: false, detail: "migrations have not been applied" };
      const write = probeWrite();
      return write.ok ? { ok: true, detail: "ready" } : write;
    },
    isFailure: isStorageFailure,
    close() {
      group.flush();
      useCases.audit.flush();
      database.close();
    },
  };
  try {
    await useCases.calendars.seedBuiltIns();
    await useCases.idempotency.purge();
  } catch (error) {
    database.close();
    throw error;
  }
  // Idempotency keys are kept 24 h (API.md "Retries"): purged hourly, and at every start.
  const purge = setInterval(() => useCases.idempotency.purge().catch(() => undefined), 60 * 60_000);
  purge.unref();
  const close = storage.close;
  storage.close = () => {
    clearInterval(purge);
    close();
  };
  return { database, group, useCases, storage };
}

/** The whole service on an SQLite file: what `npm start` serves and what the HTTP tests drive. */
export async function buildSqliteApp(
  options: Omit<AppOptions, "useCases" | "storage" | "config"> & {
    readonly config: Pick<Config, "dbFile" | "adminKey" | "logLevel">;
    /** The clock; tests pin it. */
    readonly now?: () => number;
  },
): Promise<FastifyInstance> {
  const service = await composeSqlite({ dbFile: options.config.dbFile, adminKey: options.config.adminKey, ...(options.now ? { now: options.now } : {}) });
  const { now: _now, ...appOptions } = options;
  const app = await buildApp({ ...appOptions, config: { logLevel: options.config.logLevel }, useCases: service.useCases, storage: service.storage });
  app.decorate("database", service.database);
  return app;
}
