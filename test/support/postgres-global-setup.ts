/**
 * Vitest global setup of the "postgres" project (vitest.config.ts): a PostgreSQL server for the
 * whole run — the one MOTCUA_TEST_DATABASE_URL names, or a throwaway one started here — and a
 * migrated template database, from which every test app gets its own database in milliseconds
 * (test/support/postgres.ts). The URL reaches the tests through `provide`.
 */
import pg from "pg";
import type { TestProject } from "vitest/node";
import { openPostgres } from "../../src/db/postgres/pg-client.js";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../scripts/lib/throwaway-postgres.js";
import { TEMPLATE_DATABASE, withDatabase } from "./postgres.js";

declare module "vitest" {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}

export default async function setup(project: TestProject) {
  let server: ThrowawayPostgres | undefined;
  const given = process.env.MOTCUA_TEST_DATABASE_URL;
  const adminUrl = given ?? (server = await startThrowawayPostgres({ durable: false })).url;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${TEMPLATE_DATABASE} with (force)`);
    // Text sorts as on a server initialised in en-US (ICU), not bytewise: the repositories must ask
    // for SQLite's order themselves (src/db/postgres/text-order.ts) for listings to agree.
    await admin.query(`create database ${TEMPLATE_DATABASE} template template0 encoding 'UTF8' locale_provider icu icu_locale 'en-US'`);
  } finally {
    await admin.end();
  }
  const template = await openPostgres(withDatabase(adminUrl, TEMPLATE_DATABASE), { poolSize: 1 });
  await template.close();
  project.provide("postgresAdminUrl", adminUrl);
  return async () => {
    await server?.stop();
  };
}
