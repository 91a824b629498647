/**
 * The composition root (issue #12): config -> database -> repositories -> use cases -> buildApp.
 * The one place that knows both the storage and the HTTP layer; server.ts, the tests and the
 * scripts compose the service through it. The storage is the embedded SQLite file, or PostgreSQL
 * when a database URL is given (issue #16); everything above the repositories is the same.
 */
import type { FastifyInstance } from "fastify";
import type { Config } from "./config.js";
import { openSqlite, type SqliteHandle } from "./db/sqlite/sqlite-client.js";
import { createWriteProbe, isStorageFailure } from "./db/sqlite/storage-health.js";
import { createGroupCommit, type GroupCommit } from "./db/sqlite/group-commit.js";
import { createSqliteRepositories } from "./db/sqlite/index.js";
import { openPostgres, type PostgresHandle } from "./db/postgres/pg-client.js";
import { createPostgresRepositories } from "./db/postgres/index.js";
import { isPostgresFailure } from "./db/postgres/transactions.js";
import type { Repositories } from "./services/index.js";
import type { MomentScheduleRepository } from "./services/outbound/schedule-ports.js";
import { buildApp, type AppOptions } from "./http/app.js";
import { createDispatcher, type Dispatcher, type DispatcherOptions } from "./services/outbound/dispatcher.js";
import { createEndpointDirectory } from "./services/outbound/endpoint-directory.js";
import { createHttpDeliverer } from "./services/outbound/http-deliverer.js";
import { createMomentScheduler, type MomentScheduler } from "./services/outbound/moment-scheduler.js";
import { createServices, type Services } from "./services/index.js";
import type { StorageHealth } from "./services/storage-ports.js";

declare module "fastify" {
  interface FastifyInstance {
    /** The embedded SQLite database under the app (tests, scripts and operations read it directly); throws on PostgreSQL. */
    database: SqliteHandle;
    /** The storage under the app, whichever it is. */
    storageHandle: StorageHandle;
    /** The outbound loops (tests wake them after moving a pinned clock). */
    outboundLoops: { readonly dispatcher: Dispatcher; readonly scheduler: MomentScheduler };
  }
}

/** The storage a service runs on (tests and scripts that look under the repositories). */
export type StorageHandle =
  | { readonly kind: "sqlite"; readonly sqlite: SqliteHandle; readonly group: GroupCommit }
  | { readonly kind: "postgres"; readonly postgres: PostgresHandle };

export interface ComposedService {
  readonly handle: StorageHandle;
  readonly useCases: Services;
  readonly storage: StorageHealth;
  readonly dispatcher: Dispatcher;
  readonly scheduler: MomentScheduler;
}

export interface ComposeOptions {
  readonly dbFile: string;
  /** A postgres:// URL: PostgreSQL instead of the SQLite file (issue #16). */
  readonly databaseUrl?: string | null;
  /** Connections to PostgreSQL in this instance's pool. */
  readonly databasePool?: number;
  readonly adminKey: string | undefined;
  /** The service's clock (dossier instants, moments); tests pin it. */
  readonly now?: () => number;
  /** Outbound sync (issue #15): the portal, and whether webhooks may reach private networks. */
  readonly portal?: Config["portal"];
  readonly webhookAllowPrivate?: boolean;
  /** The dispatcher's own settings (tests shorten them); its clock is the wall clock unless given. */
  readonly dispatcher?: Partial<Pick<DispatcherOptions, "pollMs" | "leaseMs" | "concurrency" | "policy" | "random" | "now">> & { readonly timeoutMs?: number };
  /**
   * Start the dispatcher and the moment scheduler (default true). Tests that count the rows a
   * request writes turn them off: the loops write on their own timers (leases, fired moments).
   */
  readonly loops?: boolean;
}

/** What the service needs of a storage: its repositories, its health, and how to close it. */
interface Backend {
  readonly handle: StorageHandle;
  readonly repos: Repositories & { readonly schedule: MomentScheduleRepository };
  readiness(): Promise<{ ok: boolean; detail: string }>;
  isFailure(error: unknown): boolean;
  /** Commits what is queued (group commit) and closes. */
  close(): Promise<void>;
}

function sqliteBackend(dbFile: string): Backend {
  const database = openSqlite(dbFile);
  const group = createGroupCommit(database.sqlite);
  const probeWrite = createWriteProbe(database.sqlite);
  return {
    handle: { kind: "sqlite", sqlite: database, group },
    repos: createSqliteRepositories(database, group),
    async readiness() {
      if (!database.sqlite.open) return { ok: false, detail: "the database is closed" };
      if (!database.migrated) return { ok: false, detail: "migrations have not been applied" };
      const write = probeWrite();
      return write.ok ? { ok: true, detail: "ready" } : write;
    },
    isFailure: isStorageFailure,
    async close() {
      group.flush();
      database.close();
    },
  };
}

async function postgresBackend(url: string, poolSize: number | undefined): Promise<Backend> {
  const postgres = await openPostgres(url, poolSize === undefined ? {} : { poolSize });
  return {
    handle: { kind: "postgres", postgres },
    repos: createPostgresRepositories(postgres),
    async readiness() {
      if (postgres.closed) return { ok: false, detail: "the database pool is closed" };
      if (!postgres.migrated) return { ok: false, detail: "migrations have not been applied" };
      // A real write through the pool, as on SQLite: a connection is available and a commit succeeds.
      try {
        await postgres.pool.query("insert into storage_probe (id, at) values (1, $1) on conflict (id) do update set at = excluded.at", [Date.now()]);
        return { ok: true, detail: "ready" };
      } catch (error) {
        const code = typeof error === "object" && error !== null && "code" in error ? String((error as { code: unknown }).code) : "";
        return { ok: false, detail: `the database refuses writes${code ? ` (${code})` : ""}: ${error instanceof Error ? error.message : String(error)}` };
      }
    },
    isFailure: (error) => isPostgresFailure(error) || isStorageFailure(error),
    close: () => postgres.close(),
  };
}

/**
 * Opens (and migrates) the storage — PostgreSQL when `databaseUrl` is given, else the SQLite file —,
 * builds the repositories and the use cases over it, seeds the built-in calendars, starts the
 * outbound loops.
 */
export async function composeService(options: ComposeOptions): Promise<ComposedService> {
  const now = options.now ?? Date.now;
  const backend = options.databaseUrl ? await postgresBackend(options.databaseUrl, options.databasePool) : sqliteBackend(options.dbFile);
  const { repos } = backend;
  const policy = { allowPrivate: options.webhookAllowPrivate ?? false };
  const portal = options.portal ?? null;
  // Late-bound: the use cases wake the loops after a commit that queued messages.
  let wake = () => undefined as void;
  const useCases = createServices(repos, {
    now,
    adminKey: options.adminKey,
    outbound: { portal: portal === null ? null : { url: portal.url }, policy, committed: () => wake() },
  });

  // Outbound (issue #15): a dispatcher delivering the outbox, a scheduler firing the time-driven moments.
  const wallClock = options.dispatcher?.now ?? Date.now;
  const deliver = createHttpDeliverer({
    endpoints: createEndpointDirectory({ portal, subscriptions: repos.webhooks, now: wallClock }),
    policy,
    now: wallClock,
    ...(options.dispatcher?.timeoutMs !== undefined ? { timeoutMs: options.dispatcher.timeoutMs } : {}),
  });
  const dispatcher = createDispatcher({
    outbox: repos.outbox,
    deliver,
    now: wallClock,
    // A lease outlives the longest delivery (the deliverer's 10 s timeout): a message in flight at
    // a crash is sent again 15 s later, by the restarted service.
    leaseMs: 15_000,
    ...options.dispatcher,
    onAttempt: ({ message, outcome }) => useCases.operations.recordAttempt(message.destination.kind, outcome),
    onError: (error) => outboundError("outbox dispatcher", error, backend.isFailure),
  });
  const scheduler = createMomentScheduler({
    schedule: repos.schedule,
    messagesOf: useCases.moments.messagesOf,
    now,
    afterFire: () => dispatcher.wake(),
    onError: (error) => outboundError("moment scheduler", error, backend.isFailure),
  });
  wake = () => {
    dispatcher.wake();
    scheduler.wake();
  };

  const storage: { -readonly [K in keyof StorageHealth]: StorageHealth[K] } = {
    readiness: () => backend.readiness(),
    isFailure: (error) => backend.isFailure(error),
    async close() {
      // Deliveries in flight get a moment to finish; the rest stay leased and go again after a restart.
      scheduler.stop();
      await dispatcher.stop({ graceMs: 2_000 });
      clearInterval(purge);
      await useCases.audit.flush();
      await backend.close();
    },
  };
  try {
    await useCases.calendars.seedBuiltIns();
    await useCases.idempotency.purge();
  } catch (error) {
    await backend.close();
    throw error;
  }
  // Idempotency keys are kept 24 h (API.md "Retries"): purged hourly, and at every start.
  // Delivered outbox messages are kept 7 days for the delivery log, then purged.
  const purge = setInterval(() => {
    useCases.idempotency.purge().catch(() => undefined);
    repos.outbox.purgeDelivered(wallClock() - DELIVERED_KEPT_MS).catch(() => undefined);
  }, 60 * 60_000);
  purge.unref();
  if (options.loops ?? true) {
    dispatcher.start();
    scheduler.start();
  }
  return { handle: backend.handle, useCases, storage, dispatcher, scheduler };
}

/** How long a delivered message stays in the outbox (and its attempts in the delivery log). */
const DELIVERED_KEPT_MS = 7 * 24 * 60 * 60_000;

/** A failing loop is logged and goes on at its next turn: outbound sync never fails a desk's write. */
function outboundError(loop: string, error: unknown, isFailure: (error: unknown) => boolean): void {
  if (isFailure(error)) return; // /readyz reports the storage; the loop retries.
  process.stderr.write(`${loop}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
}

/** The whole service (on the SQLite file, or PostgreSQL with `databaseUrl`): what `npm start` serves and what the HTTP tests drive. */
export async function buildServiceApp(
  options: Omit<AppOptions, "useCases" | "storage" | "config"> & {
    readonly config: Pick<Config, "dbFile" | "adminKey" | "logLevel"> & Partial<Pick<Config, "corsOrigins" | "trustProxy" | "databaseUrl" | "databasePool">>;
    /** The clock; tests pin it. */
    readonly now?: () => number;
    /** Outbound sync settings (issue #15). */
    readonly outbound?: Pick<ComposeOptions, "portal" | "webhookAllowPrivate" | "dispatcher" | "loops">;
  },
): Promise<FastifyInstance> {
  const service = await composeService({
    dbFile: options.config.dbFile,
    databaseUrl: options.config.databaseUrl ?? null,
    ...(options.config.databasePool !== undefined ? { databasePool: options.config.databasePool } : {}),
    adminKey: options.config.adminKey,
    ...(options.now ? { now: options.now } : {}),
    ...(options.outbound ?? {}),
  });
  const { now: _now, outbound: _outbound, ...appOptions } = options;
  const { dbFile: _file, adminKey: _key, databaseUrl: _url, databasePool: _pool, ...httpConfig } = options.config;
  const app = await buildApp({ ...appOptions, config: httpConfig, useCases: service.useCases, storage: service.storage });
  decorateStorage(app, service.handle);
  app.decorate("outboundLoops", { dispatcher: service.dispatcher, scheduler: service.scheduler });
  return app;
}

/** `app.storageHandle`, and `app.database` for the SQLite file (a clear error on PostgreSQL, where there is no file to read). */
export function decorateStorage(app: FastifyInstance, handle: StorageHandle): void {
  app.decorate("storageHandle", { getter: () => handle });
  app.decorate("database", {
    getter(): SqliteHandle {
      if (handle.kind !== "sqlite") throw new Error("app.database is the SQLite handle; this app runs on PostgreSQL (use app.storageHandle)");
      return handle.sqlite;
    },
  });
}
