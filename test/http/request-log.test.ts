/**
 * The request log carries no identity number, whatever form the query takes (issue #11, item 4):
 * the real app on a real SQLite file, its real pino output captured, real HTTP requests.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import supertest from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServiceApp } from "../../src/composition.js";
import { LOGGABLE_QUERY_NAMES } from "../../src/http/request-log.js";
import { ADMIN, ADMIN_KEY, type TestApp } from "../support/test-app.js";
import { applicant, received, seedProvince } from "../support/dossier-fixtures.js";

const NUMBER = applicant.idNumber; // "001090012345"

let t: TestApp;
let lines: string[];
let code: string;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-log-"));
  lines = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString("utf8").split("\n").filter((line) => line !== ""));
      done();
    },
  });
  const app: FastifyInstance = await buildServiceApp({
    config: { dbFile: path.join(dir, "motcua.db"), adminKey: ADMIN_KEY, logLevel: "info" },
    logger: { stream },
    publicRateLimit: { max: 10_000, timeWindowMs: 60_000 },
    loadShedding: false,
  });
  await app.ready();
  t = {
    app,
    http: supertest(app.server),
    dbFile: path.join(dir, "motcua.db"),
    databaseUrl: null,
    backend: "sqlite",
    async close() {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  await seedProvince(t);
  code = await received(t);
});
afterAll(() => t.close());

/** Every log line written while `send` ran. */
async function logOf(send: () => Promise<unknown>): Promise<string[]> {
  const from = lines.length;
  await send();
  // pino writes synchronously to a plain stream; the completed-request line follows the answer.
  await new Promise((resolve) => setImmediate(resolve));
  return lines.slice(from);
}

/** The number in clear or in any encoding a reader of the log could decode. */
const leaks = (text: string) => [NUMBER, encodeURIComponent(NUMBER), [...NUMBER].map((c) => `%${c.charCodeAt(0).toString(16)}`).join("")].some((form) => text.includes(form));

const incomingUrl = (log: string[]) => (JSON.parse(log.find((line) => line.includes('"incoming request"'))!) as { req: { url: string } }).req.url;

describe("the request log", () => {
  it("logs the portal lookup with its identity number redacted (and the lookup works)", async () => {
    const log = await logOf(() => t.http.get(`/v1/public/dossiers/${code}?idNumber=${NUMBER}`).expect(200));
    expect(incomingUrl(log)).toBe(`/v1/public/dossiers/${code}?idNumber=[redacted]`);
    expect(log.some(leaks)).toBe(false);
  });

  it.each([
    ["a percent-encoded letter", `?%69dNumber=${NUMBER}`],
    ["another percent-encoded letter", `?id%4Eumber=${NUMBER}`],
    ["an array suffix", `?idNumber[]=${NUMBER}`],
    ["an indexed suffix", `?idNumber[0]=${NUMBER}`],
    ["an encoded array suffix", `?idNumber%5B%5D=${NUMBER}`],
    ["upper case", `?IDNUMBER=${NUMBER}`],
    ["snake case", `?id_number=${NUMBER}`],
    ["full-width letters", `?${encodeURIComponent("ｉｄＮｕｍｂｅｒ")}=${NUMBER}`],
    ["a double encoding", `?%2569dNumber=${NUMBER}`],
    ["an encoded equals sign", `?idNumber%3D${NUMBER}`],
    ["a NUL in the key", `?idNumber%00=${NUMBER}`],
    ["a repeated key", `?idNumber=${NUMBER}&idNumber=${NUMBER}`],
    ["an unknown key", `?q=${NUMBER}`],
    ["a pair smuggled into a loggable value", `?limit=1%26idNumber%3D${NUMBER}`],
    ["an encoded question mark in the path", `%3FidNumber%3D${NUMBER}`],
  ])("never shows the number sent with %s", async (_name, tail) => {
    const url = `/v1/public/dossiers/${code}${tail}`;
    const log = await logOf(() => t.http.get(url));
    expect(log.length).toBeGreaterThan(0);
    expect(incomingUrl(log)).toContain("[redacted]");
    for (const line of log) expect(leaks(line), line).toBe(false);
  });

  it("keeps the values of the parameters routes read, and the path", async () => {
    const log = await logOf(() => t.http.get("/v1/dossiers?status=received&limit=5").set(ADMIN).expect(200));
    expect(incomingUrl(log)).toBe("/v1/dossiers?status=received&limit=5");
  });

  it("knows every query parameter of the API: all loggable but the identity number", () => {
    const document = t.app.swagger() as { paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>> };
    const names = new Set(Object.values(document.paths).flatMap((operations) => Object.values(operations).flatMap((op) => (op.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name))));
    expect(names.has("idNumber")).toBe(true);
    expect(LOGGABLE_QUERY_NAMES.has("idNumber")).toBe(false);
    expect([...names].filter((name) => name !== "idNumber" && !LOGGABLE_QUERY_NAMES.has(name))).toEqual([]);
  });
});
