import { defineConfig } from "vitest/config";

/**
 * Two projects (issue #16: the same tests on both backends):
 * - "sqlite": every test; the HTTP suite drives the real app on a real SQLite file;
 * - "postgres": the HTTP and integration suite again, on a real PostgreSQL server (a throwaway one
 *   started by test/support/postgres-global-setup.ts, or MOTCUA_TEST_DATABASE_URL), plus the tests
 *   of the PostgreSQL storage itself. The HTTP files it leaves out are about the SQLite file, each
 *   for the reason given; the domain and service tests use no storage and run once.
 */
const SQLITE_FILE_ONLY = [
  // `npm run backup`: SQLite's online backup of the file (PostgreSQL: pg_dump, README "Backups").
  "test/http/backup.test.ts",
  // A damaged SQLite file refused at start-up (PRAGMA quick_check); PostgreSQL checks its own pages.
  "test/http/damaged-database.test.ts",
  // A full disk under the SQLite file (a real tmpfs filled up); on PostgreSQL the server's disk is the server's.
  "test/http/storage-failure.test.ts",
  // The request log's fields: no storage involved.
  "test/http/request-log.test.ts",
];

export default defineConfig({
  test: {
    pool: "forks",
    // Two test files at a time on CI's two cores (vitest's default is cores − 1 = 1): most of a
    // file's time is waiting on a server, a disk or a child process (measured in the closing note
    // of issue #16). Tests that spawn real servers resend a load-shedding 503 (test/support/shed-retry.ts).
    maxWorkers: 2,
    testTimeout: 20_000,
    projects: [
      { extends: true, test: { name: "sqlite", include: ["test/**/*.test.ts"], exclude: ["test/db/postgres/**"] } },
      {
        extends: true,
        test: {
          name: "postgres",
          // test/crash/crash-safety.test.ts stays on SQLite: it checks the file after a SIGKILL (WAL
          // recovery, integrity_check); the outbox's crash test runs on both.
          include: ["test/http/**/*.test.ts", "test/db/postgres/**/*.test.ts", "test/crash/outbound-kill.test.ts"],
          exclude: SQLITE_FILE_ONLY,
          env: { MOTCUA_TEST_BACKEND: "postgres" },
          globalSetup: ["test/support/postgres-global-setup.ts"],
        },
      },
    ],
  },
});
