/**
 * Per-test PostgreSQL databases (issue #16: the same tests on both backends). The global setup
 * (postgres-global-setup.ts) migrated a template; each test app gets a fresh copy of it, dropped
 * when the app closes.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";

export const TEMPLATE_DATABASE = "motcua_test_template";

/** Which backend this test run drives: the "postgres" vitest project sets MOTCUA_TEST_BACKEND. */
export function testBackend(): "sqlite" | "postgres" {
  return process.env.MOTCUA_TEST_BACKEND === "postgres" ? "postgres" : "sqlite";
}

export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject("postgresAdminUrl") });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A new database, a copy of the migrated template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `motcua_t_${randomBytes(6).toString("hex")}`;
  await withAdmin((c) => c.query(`create database ${name} template ${TEMPLATE_DATABASE}`));
  return {
    url: withDatabase(inject("postgresAdminUrl"), name),
    drop: () => withAdmin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}

/** The same server's URL for another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
