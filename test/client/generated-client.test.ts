/**
 * A client generated from the committed spec type-checks (issue #14 item 5): openapi-typescript
 * turns openapi/openapi.json into types, and tsc checks fixture/dossier-client.ts (openapi-fetch)
 * against them, including lines that must NOT compile (a returned event with an outcome).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import openapiTS, { astToString } from "openapi-typescript";
import { PROJECT_ROOT } from "../../src/config.js";

const FIXTURE = path.join(PROJECT_ROOT, "test", "client", "fixture");

describe("a client generated from openapi/openapi.json", () => {
  it("type-checks, and refuses a returned event with an outcome at compile time", async () => {
    const spec = fs.readFileSync(path.join(PROJECT_ROOT, "openapi", "openapi.json"), "utf8");
    const types = astToString(await openapiTS(JSON.parse(spec)));
    fs.mkdirSync(path.join(FIXTURE, "generated"), { recursive: true });
    fs.writeFileSync(path.join(FIXTURE, "generated", "motcua.ts"), types);
    try {
      const tsc = path.join(PROJECT_ROOT, "node_modules", "typescript", "bin", "tsc");
      let output = "";
      try {
        execFileSync(process.execPath, [tsc, "-p", path.join(FIXTURE, "tsconfig.json")], { encoding: "utf8", stdio: "pipe" });
      } catch (error) {
        output = String((error as { stdout?: string }).stdout ?? error);
      }
      expect(output).toBe("");
    } finally {
      fs.rmSync(path.join(FIXTURE, "generated"), { recursive: true, force: true });
    }
  }, 60_000);
});
