/**
 * Builds the real app on a real database — a fresh SQLite file, or, in the "postgres" vitest
 * project, a fresh PostgreSQL database copied from the migrated template (issue #16: the same
 * tests on both backends) — and gives a supertest agent on the real HTTP server.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import supertest from "supertest";
import { randomUUID } from "node:crypto";
import { buildServiceApp } from "../../src/composition.js";
import type { ServerTimeouts } from "../../src/http/app.js";
import { createTestDatabase, testBackend, type TestDatabase } from "./postgres.js";
import { generateKey, hashKey } from "../../src/services/api-key-service.js";
import type { Role } from "../../src/domain/access/roles.js";
import type { LoadShedding } from "../../src/http/plugins/hardening.js";
import type { TrustProxy } from "../../src/config.js";

export const ADMIN_KEY = "test-admin-key-0123456789abcdef";
export const ADMIN = { Authorization: `Bearer ${ADMIN_KEY}` };

export interface TestApp {
  readonly app: FastifyInstance;
  readonly http: ReturnType<typeof supertest>;
  /** The SQLite file (unused on PostgreSQL). */
  readonly dbFile: string;
  /** The PostgreSQL database URL, on that backend. */
  readonly databaseUrl: string | null;
  readonly backend: "sqlite" | "postgres";
  close(): Promise<void>;
}

export async function startTestApp(
  options: {
    now?: () => number;
    publicRateLimit?: { max: number; timeWindowMs: number };
    loadShedding?: LoadShedding | false;
    timeouts?: Partial<ServerTimeouts>;
    outbound?: Parameters<typeof buildServiceApp>[0]["outbound"];
    /** Another app on the same database (issue #16: several instances); the first app owns it. */
    sameDatabaseAs?: TestApp;
    /** This backend rather than the project's (a test that moves data from one to the other). */
    backend?: "sqlite" | "postgres";
    /** An existing PostgreSQL database (not dropped at close), or SQLite file (kept at close). */
    existing?: { databaseUrl?: string; dbFile?: string };
    /** MOTCUA_CORS_ORIGINS and MOTCUA_TRUST_PROXY as loadConfig() gives them. */
    corsOrigins?: readonly string[];
    trustProxy?: TrustProxy;
  } = {},
): Promise<TestApp> {
  const backend = options.sameDatabaseAs?.backend ?? options.backend ?? testBackend();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-test-"));
  const dbFile = options.sameDatabaseAs?.dbFile ?? options.existing?.dbFile ?? path.join(dir, "motcua.db");
  let database: TestDatabase | undefined;
  const databaseUrl =
    backend === "sqlite" ? null : (options.sameDatabaseAs?.databaseUrl ?? options.existing?.databaseUrl ?? (database = await createTestDatabase()).url);
  const app = await buildServiceApp({
    config: {
      dbFile,
      databaseUrl,
      databasePool: 4,
      adminKey: ADMIN_KEY,
      logLevel: "silent",
      ...(options.corsOrigins ? { corsOrigins: options.corsOrigins } : {}),
      ...(options.trustProxy !== undefined ? { trustProxy: options.trustProxy } : {}),
    },
    logger: false,
    ...(options.now ? { now: options.now } : {}),
    ...(options.publicRateLimit ? { publicRateLimit: options.publicRateLimit } : {}),
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
    // The outbound loops write on their own timers: on only where a test is about them.
    outbound: options.outbound ?? { loops: false },
    // Off unless a test is about it: a worker stalled for a second by the other tests' CPU would
    // otherwise be shed (503), which is the plugin doing its job, not the behaviour under test.
    loadShedding: options.loadShedding ?? false,
  });
  await app.ready();
  return {
    app,
    http: supertest(app.server),
    dbFile,
    databaseUrl,
    backend,
    async close() {
      await app.close();
      await database?.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs SQL on the app's database, whichever it is (`?` placeholders): the rows of a query, or []
 * for a statement. For checks that look under the API; keep the SQL portable.
 */
export async function query<T = Record<string, unknown>>(t: TestApp, text: string, params: readonly unknown[] = []): Promise<T[]> {
  const handle = t.app.storageHandle;
  if (handle.kind === "sqlite") {
    const statement = handle.sqlite.sqlite.prepare(text);
    if (statement.reader) return statement.all(...params) as T[];
    statement.run(...params);
    return [];
  }
  let n = 0;
  const result = await handle.postgres.pool.query(text.replace(/\?/g, () => `$${++n}`), params as unknown[]);
  return (result.rows ?? []) as T[];
}

/** Stores an API key directly (the key-management API belongs to the access-control work). */
export async function createKey(t: TestApp, role: Role, agencyCodes: string[] = []): Promise<Record<string, string>> {
  const key = generateKey();
  await query(t, "insert into api_keys (id, name, role, agency_codes, key_hash, created_at) values (?, ?, ?, ?, ?, ?)", [
    randomUUID(),
    `${role} test key`,
    role,
    JSON.stringify(agencyCodes),
    hashKey(key),
    new Date().toISOString(),
  ]);
  return { Authorization: `Bearer ${key}` };
}

/**
 * What the database holds, to compare before and after a request that must change nothing, after
 * committing the access audit's queued entries (reads served earlier are not counted against a
 * later request). SQLite: rows written so far on the app's connection (total_changes(), which also
 * counts a write that rewrote a row as it was). PostgreSQL: a digest of every table's rows.
 */
export async function totalChanges(t: TestApp): Promise<number | string> {
  await t.app.services.audit.flush();
  const handle = t.app.storageHandle;
  if (handle.kind === "sqlite") return (handle.sqlite.sqlite.prepare("select total_changes() as n").get() as { n: number }).n;
  const tables = await handle.postgres.pool.query<{ name: string }>("select table_name as name from information_schema.tables where table_schema = 'public' order by 1");
  const digests: string[] = [];
  for (const { name } of tables.rows) {
    const { rows } = await handle.postgres.pool.query<{ n: number; h: string }>(
      `select count(*) as n, coalesce(md5(string_agg(x::text, '|' order by x::text)), '') as h from "${name}" x`,
    );
    digests.push(`${name}:${rows[0]!.n}:${rows[0]!.h}`);
  }
  return digests.join(",");
}
