/**
 * Operators (issue #14 item 8): the HTTP refusals are counted in /metrics (rate limit, load
 * shedding, rejected bodies), named as Prometheus expects, and the whole exposition passes
 * `promtool check metrics` (Debian's prometheus package; the lint test skips, saying so, without it).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, startTestApp, type TestApp } from "../support/test-app.js";
import { JUSTICE, TAX, applicant, event, postEvent, received, seedProvince } from "../support/dossier-fixtures.js";

const promtool = (() => {
  try {
    return execFileSync("sh", ["-c", "command -v promtool"], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
})();
if (promtool === undefined) console.warn("metrics.test.ts: promtool lint SKIPPED, promtool not found (apt-get install prometheus)");

/** The value of one series in the exposition text, 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

let t: TestApp;
let code: string;
beforeAll(async () => {
  t = await startTestApp({ publicRateLimit: { max: 1, timeWindowMs: 60_000 } });
  await seedProvince(t);
  code = await received(t);
});
afterAll(async () => t.close());

const metrics = async () => (await t.http.get("/metrics").expect(200)).text;

describe("domain metrics", () => {
  it("shows open, overdue and at-risk dossiers by agency, and events accepted, duplicate and refused by reason", async () => {
    const before = await metrics();
    const open = sample(before, `motcua_dossiers_open{agency="${JUSTICE}"}`);
    // The reception of 3 Mar 2025 is long overdue by the wall clock: it counts as open and overdue.
    expect(open).toBeGreaterThanOrEqual(1);
    expect(sample(before, `motcua_dossiers_overdue{agency="${JUSTICE}"}`)).toBe(open);
    const other = await received(t);
    const transfer = event("transferred", "2025-03-03T09:00:00+07:00", { toAgencyCode: TAX });
    await postEvent(t, other, transfer).expect(201);
    await postEvent(t, other, transfer).expect(200);
    await postEvent(t, other, event("returned", "2025-03-03T10:00:00+07:00", { method: "counter" })).expect(422);
    // The gauges are cached for 10 s; the counters move at once.
    const after = await metrics();
    expect(sample(after, 'motcua_dossier_events_total{outcome="accepted",reason=""}')).toBe(1);
    expect(sample(after, 'motcua_dossier_events_total{outcome="duplicate",reason=""}')).toBe(1);
    expect(sample(after, 'motcua_dossier_events_total{outcome="refused",reason="invalid_transition"}')).toBe(1);
    expect(sample(after, 'motcua_dossiers_received_total{channel="direct"}')).toBeGreaterThanOrEqual(1);
    expect(after).toMatch(/^# TYPE motcua_outbox_pending gauge$/m);
    expect(after).toMatch(/^# TYPE motcua_outbox_deliveries_total counter$/m);
  });
});

describe("HTTP refusal counters", () => {
  it("counts rate-limit refusals by route", async () => {
    const lookup = () => t.http.get(`/v1/public/dossiers/${code}?idNumber=${applicant.idNumber}`);
    await lookup().expect(200);
    await lookup().expect(429);
    await lookup().expect(429);
    expect(sample(await metrics(), 'motcua_http_rate_limit_refusals_total{route="/v1/public/dossiers/:receiptCode"}')).toBe(2);
  });

  it("counts rejected request bodies by route and reason: too large, wrong media type, malformed, invalid", async () => {
    const route = "/v1/agencies/:agencyCode";
    const put = () => t.http.put("/v1/agencies/X.1").set(ADMIN);
    await put().set("Content-Type", "application/json").send(JSON.stringify({ name: "x".repeat(70 * 1024) })).expect(413);
    await put().set("Content-Type", "application/xml").send("<agency/>").expect(415);
    await put().set("Content-Type", "application/json").send('{"name": ').expect(400);
    await put().send({ name: "Sở", colour: "blue" }).expect(400);
    await put().send({ name: "Sở Nội vụ" }).expect(201); // not a rejection
    await t.http.get("/v1/dossiers?limit=abc").set(ADMIN).expect(400); // a query, not a body
    const text = await metrics();
    for (const reason of ["too_large", "unsupported_media_type", "malformed", "invalid"])
      expect(sample(text, `motcua_http_request_body_rejections_total{route="${route}",reason="${reason}"}`), reason).toBe(1);
    expect(text).not.toMatch(/motcua_http_request_body_rejections_total\{route="\/v1\/dossiers"/);
  });

  it("names counters with _total and no gauge with it, and passes promtool check metrics", async () => {
    const text = await metrics();
    const types = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map(([, name, type]) => ({ name: name!, type: type! }));
    for (const { name, type } of types) {
      if (type === "counter") expect(name, name).toMatch(/_total$/);
      else expect(name, name).not.toMatch(/_total$/);
    }
    if (promtool === undefined) return;
    const lint = spawnSync(promtool, ["check", "metrics"], { input: text, encoding: "utf8" });
    expect(`${lint.stdout}${lint.stderr}`.trim()).toBe("");
    expect(lint.status).toBe(0);
  });
});

describe("load-shedding refusals", () => {
  it("counts each 503 by cause, and /metrics itself is never shed", async () => {
    // A heap cap below any real heap: every request but the never-shed ones is refused.
    const shed = await startTestApp({ loadShedding: { maxEventLoopDelayMs: 10_000, sampleIntervalMs: 50, maxHeapShare: 0.000_001, retryAfterSeconds: 1 } });
    try {
      await new Promise((resolve) => setTimeout(resolve, 200)); // a heap sample taken
      await shed.http.get("/v1/agencies").set(ADMIN).expect(503);
      await shed.http.get("/readyz").expect(503);
      const text = (await shed.http.get("/metrics").expect(200)).text;
      expect(sample(text, 'motcua_http_load_shedding_refusals_total{reason="heap"}')).toBe(2);
    } finally {
      await shed.close();
    }
  });
});
