/**
 * Swagger UI's "Try it out" works on the spec's examples (issue #14 item 5): every request-body
 * example in the committed openapi/openapi.json, sent to the real app in TRY_IT_OUT_ORDER on an
 * empty database, with the path and query parameters' own examples, is accepted.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/config.js";
import { TRY_IT_OUT_ORDER } from "../../src/http/openapi/examples.js";
import { ADMIN, startTestApp, type TestApp } from "../support/test-app.js";

interface Operation {
  operationId: string;
  security?: unknown[];
  parameters?: { in: string; name: string; required?: boolean; example?: unknown }[];
  requestBody?: { content: Record<string, { examples?: Record<string, { value: unknown }> }> };
}
const spec = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "openapi", "openapi.json"), "utf8")) as { paths: Record<string, Record<string, Operation>> };
const operations = Object.entries(spec.paths).flatMap(([route, methods]) => Object.entries(methods).map(([method, op]) => ({ route, method, op })));

/** [operationId, example name] of every request-body example in the document. */
const bodyExamples = operations.flatMap(({ op }) =>
  Object.values(op.requestBody?.content ?? {}).flatMap((media) => Object.keys(media.examples ?? {}).map((name) => `${op.operationId}/${name}`)),
);

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe("the spec's request examples", () => {
  it("are all in the story, and every operation with a body has one", () => {
    expect(bodyExamples.length).toBeGreaterThan(10);
    expect([...bodyExamples].sort()).toEqual(TRY_IT_OUT_ORDER.map(([op, name]) => `${op}/${name}`).sort());
    const withoutExample = operations.filter(({ op }) => op.requestBody && !Object.values(op.requestBody.content).some((m) => m.examples)).map(({ op }) => op.operationId);
    expect(withoutExample).toEqual([]);
  });

  it("are accepted by the server, in order, each with its parameters' examples", async () => {
    for (const [operationId, name] of TRY_IT_OUT_ORDER) {
      const { route, method, op } = operations.find(({ op }) => op.operationId === operationId)!;
      const parameter = (where: string, key: string) => op.parameters?.find((p) => p.in === where && p.name === key)?.example;
      const url = route.replace(/\{(\w+)\}/g, (_m, key: string) => encodeURIComponent(String(parameter("path", key))));
      const query = (op.parameters ?? []).filter((p) => p.in === "query" && p.required).map((p) => `${p.name}=${encodeURIComponent(String(p.example))}`);
      const body = op.requestBody!.content["application/json"]!.examples![name]!.value as object;
      const request = t.http[method as "post"](query.length > 0 ? `${url}?${query.join("&")}` : url).send(body);
      const res = await (op.security?.length ? request.set(ADMIN) : request);
      expect(res.status, `${operationId}/${name} ${method.toUpperCase()} ${url}: ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(200);
      expect(res.status, `${operationId}/${name} ${method.toUpperCase()} ${url}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    }
  });

  it("give every path parameter an example that the reads accept", async () => {
    for (const { route, method, op } of operations.filter(({ method, op }) => method === "get" && op.security?.length)) {
      const url = route.replace(/\{(\w+)\}/g, (_m, key: string) => encodeURIComponent(String(op.parameters?.find((p) => p.in === "path" && p.name === key)?.example)));
      const query = (op.parameters ?? []).filter((p) => p.in === "query" && p.example !== undefined).map((p) => `${p.name}=${encodeURIComponent(String(p.example))}`);
      const res = await t.http[method as "get"](query.length > 0 ? `${url}?${query.join("&")}` : url).set(ADMIN).set("Accept", "application/json");
      // After the story every read answers, except the forms the dossier has no paper for.
      expect([200, 404], `${op.operationId} GET ${url}: ${JSON.stringify(res.body)}`).toContain(res.status);
      if (res.status === 404) expect(res.body.code, op.operationId).toMatch(/^(no_supplement_request|not_refused|not_stopped)$/);
    }
  });
});
