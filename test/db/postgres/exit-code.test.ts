/**
 * CI reads the test run's exit code. The throwaway PostgreSQL server's package once turned a failed
 * run into exit 0 (scripts/lib/throwaway-postgres.ts explains how); this runs a failing test under
 * the same global setup and requires the run to fail.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect, it } from "vitest";
import { PROJECT_ROOT } from "../../../src/config.js";

it("a failing test fails the run (exit code 1) with the PostgreSQL server started and stopped around it", () => {
  const run = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "node_modules/vitest/vitest.mjs"), "run", "--config", "test/fixtures/failing-run/vitest.config.ts"], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
    env: { ...process.env, MOTCUA_TEST_BACKEND: "postgres" },
    timeout: 60_000,
  });
  expect(run.stdout + run.stderr).toMatch(/1 failed/);
  expect(run.status).toBe(1);
}, 60_000);
