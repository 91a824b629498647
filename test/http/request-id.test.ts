/**
 * Correlation (API.md "Conventions", issue #14 item 4): X-Request-Id in and out, in problem
 * documents and in the access audit, through the real HTTP stack on a real SQLite file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, startTestApp, type TestApp } from "../support/test-app.js";
import { received, seedProvince } from "../support/dossier-fixtures.js";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ now: () => Date.parse("2025-03-10T10:00:00+07:00") });
  await seedProvince(t);
});
afterAll(async () => t.close());

describe("X-Request-Id", () => {
  it("keeps a safe incoming id, answers it back, and records it in the access audit", async () => {
    const code = await received(t);
    const res = await t.http.get(`/v1/dossiers/${code}`).set(ADMIN).set("X-Request-Id", "desk-7f3a:0042").expect(200);
    expect(res.headers["x-request-id"]).toBe("desk-7f3a:0042");
    const audit = (await t.http.get(`/v1/audit?receiptCode=${code}`).set(ADMIN).expect(200)).body.items;
    expect(audit.map((e: { requestId: string }) => e.requestId)).toContain("desk-7f3a:0042");
  });

  it("generates one when none or an unsafe one is sent, on success and on every kind of refusal", async () => {
    // (A control character cannot even be sent: Node's client refuses it.)
    for (const given of [undefined, "x".repeat(129), "a b", "quote\"d", "semi;colon", "ünïcode"]) {
      const request = t.http.get("/v1/dossiers/000.00.01.H22-250303-9999").set(ADMIN);
      const res = await (given === undefined ? request : request.set("X-Request-Id", given));
      expect(res.status).toBe(404);
      const id = res.headers["x-request-id"] as string;
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.body.requestId).toBe(id);
    }
  });

  it("names the request in problem documents, validation errors and Fastify's own refusals too", async () => {
    const invalid = await t.http.post("/v1/dossiers").set(ADMIN).set("X-Request-Id", "r-400").send({ channel: "fax" }).expect(400);
    expect([invalid.headers["x-request-id"], invalid.body.requestId]).toEqual(["r-400", "r-400"]);
    const unauthorized = await t.http.get("/v1/dossiers").set("X-Request-Id", "r-401").expect(401);
    expect(unauthorized.body.requestId).toBe("r-401");
    const malformed = await t.http.get("/v1/dossiers/%E0%A4%A").set(ADMIN).set("X-Request-Id", "r-bad-url").expect(400);
    expect([malformed.headers["x-request-id"], malformed.body.requestId]).toEqual(["r-bad-url", "r-bad-url"]);
    const missing = await t.http.get("/v1/nothing-here").set("X-Request-Id", "r-404").expect(404);
    expect(missing.body.requestId).toBe("r-404");
  });
});
