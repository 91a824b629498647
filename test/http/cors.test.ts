/**
 * Browsers (issue #14 item 1, API.md "Conventions": MOTCUA_CORS_ORIGINS): pages on a listed origin
 * may call /v1/public/* and read the answers; every other origin, and every staff route, stays
 * same-origin. The same rules in a real browser: browser-cors.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, startTestApp, type TestApp } from "../support/test-app.js";
import { applicant, received, seedProvince } from "../support/dossier-fixtures.js";

const PORTAL = "https://dichvucong.example.gov.vn";
const OTHER = "https://evil.example.com";

let t: TestApp;
let code: string;
beforeAll(async () => {
  t = await startTestApp({ corsOrigins: [PORTAL, "http://localhost:8080"], publicRateLimit: { max: 5, timeWindowMs: 60_000 } });
  await seedProvince(t);
  code = await received(t);
});
afterAll(async () => t.close());

const lookupPath = () => `/v1/public/dossiers/${code}?idNumber=${applicant.idNumber}`;

describe("CORS on /v1/public/*", () => {
  it("lets a listed origin read a lookup, with the headers a script needs exposed and CORP relaxed", async () => {
    const res = await t.http.get(lookupPath()).set("Origin", PORTAL).expect(200);
    expect(res.headers["access-control-allow-origin"]).toBe(PORTAL);
    expect(res.headers["access-control-allow-credentials"]).toBeUndefined();
    expect(res.headers.vary).toMatch(/Origin/i);
    const exposed = String(res.headers["access-control-expose-headers"]).toLowerCase().split(/\s*,\s*/);
    expect(exposed).toEqual(expect.arrayContaining(["x-request-id", "retry-after", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"]));
    expect(res.headers["cross-origin-resource-policy"]).toBe("cross-origin");
  });

  it("answers a listed origin's preflight with 204, the methods and the request headers allowed", async () => {
    const res = await t.http
      .options(`/v1/public/dossiers/${code}/rating`)
      .set("Origin", PORTAL)
      .set("Access-Control-Request-Method", "POST")
      .set("Access-Control-Request-Headers", "content-type, x-request-id")
      .expect(204);
    expect(res.headers["access-control-allow-origin"]).toBe(PORTAL);
    expect(res.headers["access-control-allow-methods"]).toMatch(/POST/);
    expect(String(res.headers["access-control-allow-headers"]).toLowerCase()).toMatch(/content-type.*x-request-id/);
    expect(Number(res.headers["access-control-max-age"])).toBeGreaterThan(0);
    expect(res.headers["x-request-id"]).toBeTruthy();
  });

  it("gives an origin not listed no CORS headers, CORP same-origin, and a refused preflight", async () => {
    const read = await t.http.get(lookupPath()).set("Origin", OTHER).expect(200);
    expect(read.headers["access-control-allow-origin"]).toBeUndefined();
    expect(read.headers["cross-origin-resource-policy"]).toBe("same-origin");
    // No route answers OPTIONS for it: 405 (a known path, strict-routes.ts) as a problem, without CORS headers.
    const preflight = await t.http.options(`/v1/public/dossiers/${code}/rating`).set("Origin", OTHER).set("Access-Control-Request-Method", "POST").expect(405);
    expect(preflight.headers["access-control-allow-origin"]).toBeUndefined();
    expect(preflight.headers["content-type"]).toMatch(/application\/problem\+json/);
  });

  it("keeps staff routes same-origin: no CORS headers, preflight refused, even for a listed origin", async () => {
    const read = await t.http.get(`/v1/dossiers/${code}`).set(ADMIN).set("Origin", PORTAL).expect(200);
    expect(read.headers["access-control-allow-origin"]).toBeUndefined();
    expect(read.headers["cross-origin-resource-policy"]).toBe("same-origin");
    const preflight = await t.http.options(`/v1/dossiers/${code}`).set("Origin", PORTAL).set("Access-Control-Request-Method", "GET").set("Access-Control-Request-Headers", "authorization");
    expect(preflight.status).toBeGreaterThanOrEqual(400);
    expect(preflight.headers["access-control-allow-origin"]).toBeUndefined();
    expect(preflight.headers["access-control-allow-methods"]).toBeUndefined();
  });

  it("keeps the CORS headers on a problem and on the rate limit's 429, so that the script can read Retry-After", async () => {
    const bad = await t.http.get(`/v1/public/dossiers/${code}?idNumber=x`).set("Origin", PORTAL).expect(400);
    expect(bad.headers["access-control-allow-origin"]).toBe(PORTAL);
    let last;
    for (let i = 0; i < 6; i++) last = await t.http.get(lookupPath()).set("Origin", PORTAL);
    expect(last!.status).toBe(429);
    expect(last!.headers["access-control-allow-origin"]).toBe(PORTAL);
    expect(Number(last!.headers["retry-after"])).toBeGreaterThan(0);
  });
});

describe("CORS off (MOTCUA_CORS_ORIGINS unset)", () => {
  it("sends no CORS headers and refuses every preflight", async () => {
    const plain = await startTestApp();
    try {
      const read = await plain.http.get(`/v1/public/dossiers/X-250101-0001?idNumber=${applicant.idNumber}`).set("Origin", PORTAL).expect(404);
      expect(read.headers["access-control-allow-origin"]).toBeUndefined();
      const preflight = await plain.http.options("/v1/public/dossiers/X-250101-0001/rating").set("Origin", PORTAL).set("Access-Control-Request-Method", "POST").expect(405);
      expect(preflight.headers["access-control-allow-origin"]).toBeUndefined();
    } finally {
      await plain.close();
    }
  });
});
