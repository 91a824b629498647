/** The committed spec passes `redocly lint` (recommended ruleset, redocly.yaml) with no error (issue #14 item 5). */
import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/config.js";

describe("openapi/openapi.json", () => {
  it("passes redocly lint with 0 errors and 0 warnings", () => {
    const cli = path.join(PROJECT_ROOT, "node_modules", "@redocly", "cli", "bin", "cli.js");
    let output: string;
    let status = 0;
    try {
      output = execFileSync(process.execPath, [cli, "lint", "openapi/openapi.json", "--format=json"], {
        cwd: PROJECT_ROOT,
        encoding: "utf8",
        stdio: "pipe",
        // No telemetry or update check from a test run.
        env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
      });
    } catch (error) {
      status = (error as { status?: number }).status ?? 1;
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    const report = JSON.parse(output.slice(output.indexOf("{"))) as { totals: { errors: number; warnings: number }; problems: { ruleId: string; message: string }[] };
    expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    expect(status).toBe(0);
  }, 30_000);
});
