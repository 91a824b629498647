/**
 * Problem documents speak motcua, not Fastify (issue #14 item 6, docs/ERRORS.md): stable codes of
 * our own, 405 with Allow for a known path's missing method, unknown query parameters refused on
 * every route of the OpenAPI document.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/config.js";
import { ADMIN, startTestApp, type TestApp } from "../support/test-app.js";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const spec = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "openapi", "openapi.json"), "utf8")) as {
  paths: Record<string, Record<string, { parameters?: { in: string; name: string; required?: boolean; schema?: { type?: string } }[] }>>;
};
const errorsDoc = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "ERRORS.md"), "utf8");

function expectProblem(res: { status: number; headers: Record<string, string>; body: Record<string, unknown> }, status: number, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code, type: `urn:motcua:problem:${code.replace(/_/g, "-")}` });
  expect(JSON.stringify(res.body)).not.toMatch(/FST_/);
  // Every code a client can meet is documented.
  expect(errorsDoc).toContain(`\`${code}\``);
}

describe("framework refusals under motcua's own codes", () => {
  it.each([
    ["a malformed percent-encoding", () => t.http.get("/v1/dossiers/%zz").set(ADMIN), 400, "malformed_url"],
    ["an over-long path segment", () => t.http.get(`/v1/dossiers/${"x".repeat(101)}`).set(ADMIN), 414, "url_too_long"],
    ["malformed JSON", () => t.http.put("/v1/agencies/X1").set({ ...ADMIN, "Content-Type": "application/json" }).send('{"name": '), 400, "malformed_json"],
    ["an empty JSON body", () => t.http.put("/v1/agencies/X1").set({ ...ADMIN, "Content-Type": "application/json" }).send(""), 400, "empty_body"],
    ["a form body", () => t.http.put("/v1/agencies/X1").set({ ...ADMIN, "Content-Type": "application/x-www-form-urlencoded" }).send("name=x"), 415, "unsupported_media_type"],
    ["a body over the limit", () => t.http.put("/v1/agencies/X1").set(ADMIN).send({ name: "x".repeat(70 * 1024) }), 413, "body_too_large"],
  ])("answers %s", async (_name, request, status, code) => {
    expectProblem(await request(), status, code);
  });

  it("answers the public rate limit with rate_limited", async () => {
    const limited = await startTestApp({ publicRateLimit: { max: 1, timeWindowMs: 60_000 } });
    try {
      await limited.http.get("/v1/public/dossiers/X-1?idNumber=001090012345");
      expectProblem(await limited.http.get("/v1/public/dossiers/X-1?idNumber=001090012345"), 429, "rate_limited");
    } finally {
      await limited.close();
    }
  });
});

describe("methods", () => {
  it.each([
    ["DELETE", "/v1/dossiers/000.00.01.H22-250303-0001", "GET, HEAD"],
    ["PATCH", "/v1/calendars/vn", "GET, HEAD, PUT"],
    ["POST", "/v1/agencies", "GET, HEAD"],
    ["PUT", "/healthz", "GET, HEAD"],
  ])("answers %s %s with 405 and Allow: %s", async (method, url, allow) => {
    const res = await t.http[method.toLowerCase() as "delete"](url).set(ADMIN);
    expectProblem(res, 405, "method_not_allowed");
    expect(res.headers.allow).toBe(allow);
  });

  it("keeps unknown paths 404, whatever the method", async () => {
    expectProblem(await t.http.get("/v1/nothing-here").set(ADMIN), 404, "route_not_found");
    expectProblem(await t.http.delete("/v1/dossiers/X/nothing").set(ADMIN), 404, "route_not_found");
  });
});

describe("unknown query parameters", () => {
  /** A value each path parameter accepts, so that only the query is wrong. */
  const sample = (name: string, type: string | undefined) =>
    type === "integer" ? (name === "year" ? "2025" : "1") : name === "date" ? "2025-01-01" : name === "calendarId" ? "vn" : "X1";

  const operations = Object.entries(spec.paths).flatMap(([route, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const url = route.replace(/\{(\w+)\}/g, (_m, name: string) => sample(name, op.parameters?.find((p) => p.in === "path" && p.name === name)?.schema?.type));
      // Required query parameters get a value of their kind: only the unknown one is wrong.
      const required = (op.parameters ?? []).filter((p) => p.in === "query" && p.required).map((p) => `${p.name}=${p.name === "idNumber" ? "001090012345" : "2025-01-01"}`);
      return [`${method.toUpperCase()} ${route}`, method, `${url}?${[...required, "recievedFrom=2025-01-01"].join("&")}`] as const;
    }),
  );

  it("covers every operation of the OpenAPI document", () => {
    expect(operations.length).toBeGreaterThan(30);
  });

  it.each(operations)("%s refuses ?recievedFrom= with 400 naming it", async (_name, method, url) => {
    const res = await t.http[method as "get"](url).set(ADMIN).send(method === "get" || method === "delete" ? undefined : {});
    expectProblem(res, 400, "validation_failed");
    expect(res.body.errors).toEqual([{ field: "recievedFrom", message: "is not a known query parameter" }]);
  });
});
