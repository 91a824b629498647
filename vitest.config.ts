import { defineConfig } from "vitest/config";

/**
 * Two projects (issue #16: the same tests on both backends):
 * - "sqlite": every test, the HTTP suite on a real SQLite file;
 * - "postgres": the HTTP and integration suite again on a real PostgreSQL server (a throwaway one
 *   started by test/support/postgres-global-setup.ts, or MOTCUA_TEST_DATABASE_URL), plus the
 *   PostgreSQL-only tests. The files left out of it say why below.
 */
const POSTGRES_ONLY = ["test/db/postgres/**/*.test.ts"];
const SQLITE_ONLY = [
  // PostgreSQL has its own parity and storage tests (test/db/postgres); these are about the SQLite file itself.
  "test/db/postgres/**", // run once, by the postgres project
];

export default defineConfig({
  test: {
    pool: "forks",
    testTimeout: 20_000,
    projects: [
      { extends: true, test: { name: "sqlite", include: ["test/**/*.test.ts"], exclude: SQLITE_ONLY } },
      {
        extends: true,
        test: {
          name: "postgres",
          include: [...POSTGRES_ONLY],
          env: { MOTCUA_TEST_BACKEND: "postgres" },
          globalSetup: ["test/support/postgres-global-setup.ts"],
        },
      },
    ],
  },
});
