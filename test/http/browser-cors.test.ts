/**
 * Browsers, for real (issue #14 item 1): Debian's Chromium, headless, loads a portal page served
 * by a second local HTTP server (another origin), whose own script looks a dossier up and rates it
 * through /v1/public/*. The same page from an origin not listed cannot read anything, and even a
 * listed origin cannot call a staff route. One browser launch for the whole file.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { startTestApp, type TestApp } from "../support/test-app.js";
import { applicant, event, JUSTICE, postEvent, received, seedProvince } from "../support/dossier-fixtures.js";
import { CHROMIUM_ARGS, CHROMIUM_PATH, findChromium } from "../support/chromium.js";

const chromium = findChromium();
if (chromium === undefined) console.warn(`browser-cors.test.ts: SKIPPED, no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`);

/** The portal page: its script does what a citizen portal does, and reports what it could read. */
const PORTAL_PAGE = `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Cổng dịch vụ công</title></head>
<body><pre id="out">…</pre>
<script>
const params = new URLSearchParams(location.search);
const api = params.get("api"), code = params.get("code"), idNumber = params.get("idNumber");
async function step(name, run) {
  try { return { name, ...(await run()) }; } catch (e) { return { name, failed: String(e) }; }
}
(async () => {
  const lookup = await step("lookup", async () => {
    const res = await fetch(api + "/v1/public/dossiers/" + code + "?idNumber=" + idNumber, { headers: { "X-Request-Id": "portal-lookup-1" } });
    const body = await res.json();
    return { status: res.status, statusLabel: body.statusLabel && body.statusLabel.vi, requestId: res.headers.get("X-Request-Id"),
             rateLimitRemaining: res.headers.get("X-RateLimit-Remaining") };
  });
  const rating = await step("rating", async () => {
    const res = await fetch(api + "/v1/public/dossiers/" + code + "/rating", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ idNumber, level: "very_satisfied" }),
    });
    const body = await res.json();
    return { status: res.status, level: body.level };
  });
  const staff = await step("staff", async () => {
    const res = await fetch(api + "/v1/dossiers/" + code, { headers: { Authorization: "Bearer not-a-key-but-preflighted" } });
    return { status: res.status };
  });
  window.results = { lookup, rating, staff };
  document.getElementById("out").textContent = JSON.stringify(window.results, null, 2);
})();
</script></body></html>`;

interface StepResult {
  name: string;
  failed?: string;
  status?: number;
  [key: string]: unknown;
}

function servePortal(): Promise<{ server: http.Server; origin: string }> {
  const server = http.createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PORTAL_PAGE);
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })),
  );
}

describe.skipIf(chromium === undefined)("a citizen portal in a real browser (Chromium, headless)", () => {
  let t: TestApp;
  let api: string;
  let code: string;
  let browser: Browser;
  let listed: { server: http.Server; origin: string };
  let unlisted: { server: http.Server; origin: string };

  beforeAll(async () => {
    // Two page servers, two origins (ports differ); only the first is configured.
    listed = await servePortal();
    unlisted = await servePortal();
    t = await startTestApp({ corsOrigins: [listed.origin] });
    await seedProvince(t);
    code = await received(t);
    await postEvent(t, code, {
      events: [
        event("transferred", "2025-03-03T09:00:00+07:00", { toAgencyCode: JUSTICE }),
        event("result_ready", "2025-03-04T09:00:00+07:00", { outcome: "approved" }),
      ],
    }).expect(201);
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    api = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const { chromium: launcher } = await import("playwright-core");
    browser = await launcher.launch({ executablePath: chromium!, headless: true, args: [...CHROMIUM_ARGS] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    for (const s of [listed, unlisted]) await new Promise((resolve) => s?.server.close(resolve));
  });

  async function runPortal(origin: string): Promise<Record<"lookup" | "rating" | "staff", StepResult>> {
    const page = await browser.newPage();
    try {
      await page.goto(`${origin}/?api=${encodeURIComponent(api)}&code=${code}&idNumber=${applicant.idNumber}`);
      await page.waitForFunction(() => (globalThis as unknown as { results?: unknown }).results !== undefined, undefined, { timeout: 15_000 });
      return (await page.evaluate(() => (globalThis as unknown as { results: unknown }).results)) as Record<"lookup" | "rating" | "staff", StepResult>;
    } finally {
      await page.close();
    }
  }

  it("a page on a listed origin looks the dossier up and rates it, reading the exposed headers; a staff route stays closed to it", async () => {
    const results = await runPortal(listed.origin);
    expect(results.lookup).toEqual({ name: "lookup", status: 200, statusLabel: expect.any(String), requestId: "portal-lookup-1", rateLimitRemaining: expect.stringMatching(/^\d+$/) });
    expect(results.rating).toEqual({ name: "rating", status: 201, level: "very_satisfied" });
    // Refused by the browser (the preflight finds no CORS), not answered with a status.
    expect(results.staff).toEqual({ name: "staff", failed: expect.stringMatching(/TypeError/) });
  });

  it("a page on an origin not listed can read nothing: every fetch fails in the browser", async () => {
    const results = await runPortal(unlisted.origin);
    for (const step of ["lookup", "rating", "staff"] as const) expect(results[step]).toEqual({ name: step, failed: expect.stringMatching(/TypeError/) });
  });
});
