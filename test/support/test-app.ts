/**
 * Builds the real app on a real SQLite file (fresh temporary folder, real migrations) and gives a
 * supertest agent on the real HTTP server.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import supertest from "supertest";
import { randomUUID } from "node:crypto";
import { buildSqliteApp } from "../../src/composition.js";
import type { ServerTimeouts } from "../../src/http/app.js";
import { createSqliteApiKeyRepository } from "../../src/db/sqlite/api-key-repository.js";
import { generateKey, hashKey } from "../../src/services/api-key-service.js";
import type { Role } from "../../src/domain/access/roles.js";
import type { LoadShedding } from "../../src/http/plugins/hardening.js";
import type { TrustProxy } from "../../src/config.js";

export const ADMIN_KEY = "test-admin-key-0123456789abcdef";
export const ADMIN = { Authorization: `Bearer ${ADMIN_KEY}` };

export interface TestApp {
  readonly app: FastifyInstance;
  readonly http: ReturnType<typeof supertest>;
  readonly dbFile: string;
  close(): Promise<void>;
}

export async function startTestApp(
  options: {
    now?: () => number;
    publicRateLimit?: { max: number; timeWindowMs: number };
    loadShedding?: LoadShedding | false;
    timeouts?: Partial<ServerTimeouts>;
    outbound?: Parameters<typeof buildSqliteApp>[0]["outbound"];
    /** MOTCUA_CORS_ORIGINS and MOTCUA_TRUST_PROXY as loadConfig() gives them. */
    corsOrigins?: readonly string[];
    trustProxy?: TrustProxy;
  } = {},
): Promise<TestApp> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-test-"));
  const dbFile = path.join(dir, "motcua.db");
  const app = await buildSqliteApp({
    config: {
      dbFile,
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
    async close() {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Stores an API key directly (the key-management API belongs to the access-control work). */
export async function createKey(t: TestApp, role: Role, agencyCodes: string[] = []): Promise<Record<string, string>> {
  const key = generateKey();
  await createSqliteApiKeyRepository(t.app.database.db).insert(
    { id: randomUUID(), name: `${role} test key`, role, agencyCodes, createdAt: new Date().toISOString() },
    hashKey(key),
  );
  return { Authorization: `Bearer ${key}` };
}

/**
 * Rows written so far on the app's connection (SQLite total_changes()), after committing the
 * access audit's queued entries, so that reads served earlier are not counted against a later request.
 */
export function totalChanges(t: TestApp): number {
  t.app.services.audit.flush();
  return (t.app.database.sqlite.prepare("select total_changes() as n").get() as { n: number }).n;
}
