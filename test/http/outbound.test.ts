/**
 * Outbound end to end (issue #15), through the real HTTP stack on a real SQLite file, with real
 * HTTP receivers on loopback: a webhook receiver that verifies Standard Webhooks signatures and a
 * fake national portal. Every committed change is delivered in order per dossier; the portal being
 * down changes nothing for the desk but the backlog; time-driven warnings fire with no request.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyWebhook } from "../../src/services/outbound/webhook-signature.js";
import { ADMIN, startTestApp, totalChanges, type TestApp } from "../support/test-app.js";
import { JUSTICE, TAX, event, postEvent, receive, seedProvince } from "../support/dossier-fixtures.js";

interface Received {
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

async function receiver(answer: (r: Received) => number) {
  const got: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      const r = { path: req.url ?? "", headers: req.headers, body };
      const status = answer(r);
      if (status < 300) got.push(r);
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { got, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

const until = async (check: () => boolean, ms = 8_000) => {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error("timed out waiting for deliveries");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

let t: TestApp;
let hooks: Awaited<ReturnType<typeof receiver>>;
let portal: Awaited<ReturnType<typeof receiver>>;
let portalUp = true;
let secret: string;
let clock = Date.parse("2025-03-05T12:00:00+07:00");

beforeAll(async () => {
  hooks = await receiver((r) => (verifyWebhook([secret], r.headers, r.body, Math.floor(Date.now() / 1000)).ok ? 204 : 401));
  portal = await receiver((r) => (portalUp && r.headers.authorization === "Bearer portal-token" ? 200 : 503));
  t = await startTestApp({
    now: () => clock,
    outbound: { portal: { url: `${portal.url}/dongbo`, token: "portal-token" }, webhookAllowPrivate: true, dispatcher: { pollMs: 50, policy: { retry: { baseDelayMs: 20, maxDelayMs: 100, minDelayMs: 10, deadAfterMs: 24 * 3_600_000 }, breaker: { failureThreshold: 5, coolDownMs: 200 } } } },
  });
  await seedProvince(t);
  const created = await t.http
    .post("/v1/webhooks")
    .set(ADMIN)
    .send({ url: `${hooks.url}/motcua`, events: ["dossier.received", "dossier.status_changed", "dossier.at_risk", "dossier.overdue", "apology_letter.issued"] })
    .expect(201);
  secret = created.body.secret;
  expect(secret).toMatch(/^whsec_/);
});
afterAll(async () => {
  await t.close();
  await hooks.close();
  await portal.close();
});

const typesFor = (code: string) => hooks.got.map((r) => JSON.parse(r.body) as { type: string; data: { receiptCode: string; status: string } }).filter((m) => m.data.receiptCode === code);
const portalFor = (code: string) => portal.got.map((r) => JSON.parse(r.body) as { MaHoSo: string; TrangThaiHoSo: number }).filter((m) => m.MaHoSo === code);

describe("webhooks and the portal", () => {
  it("delivers every committed change, signed, in order per dossier, to the webhook and to the portal", async () => {
    const code = (await receive(t, { receivedAt: "2025-03-03T08:00:00+07:00" }).expect(201)).body.receiptCode as string;
    await postEvent(t, code, event("transferred", "2025-03-03T09:00:00+07:00", { toAgencyCode: TAX })).expect(201);
    await postEvent(t, code, event("result_ready", "2025-03-04T09:00:00+07:00", { agencyCode: TAX, outcome: "approved" })).expect(201);
    await postEvent(t, code, event("returned", "2025-03-04T10:00:00+07:00", { method: "counter" })).expect(201);
    const changes = () => typesFor(code).filter((m) => m.type === "dossier.received" || m.type === "dossier.status_changed");
    await until(() => changes().length >= 4 && portalFor(code).length >= 4);
    expect(changes().map((m) => [m.type, m.data.status])).toEqual([
      ["dossier.received", "received"],
      ["dossier.status_changed", "in_progress"],
      ["dossier.status_changed", "result_ready"],
      ["dossier.status_changed", "returned"],
    ]);
    // National status codes in order (DOMAIN.md §3): received, in progress, result ready, returned.
    const statuses = portalFor(code).map((r) => r.TrangThaiHoSo);
    expect(statuses).toEqual([...statuses].sort((a, b) => a - b));
    expect(hooks.got.every((r) => typeof r.headers["webhook-id"] === "string" && /^v1,/.test(String(r.headers["webhook-signature"])))).toBe(true);
  });

  it("shows the record the portal gets, audited as a read of personal data", async () => {
    const code = (await receive(t).expect(201)).body.receiptCode as string;
    const res = await t.http.get(`/v1/dossiers/${code}/portal-record`).set(ADMIN).expect(200);
    expect(res.body).toMatchObject({ MaHoSo: code, NgayTiepNhan: expect.stringMatching(/^\d{14}$/) });
    const audit = await t.http.get(`/v1/audit?receiptCode=${code}`).set(ADMIN).expect(200);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toContain("portal_record.read");
  });

  it("never fails the desk when the portal is down: the write succeeds, the backlog grows, then drains", async () => {
    portalUp = false;
    try {
      const code = (await receive(t).expect(201)).body.receiptCode as string;
      await until(() => typesFor(code).some((m) => m.type === "dossier.received"));
      const status = await t.http.get("/v1/portal-sync").set(ADMIN).expect(200);
      expect(status.body).toMatchObject({ configured: true });
      expect(status.body.pending).toBeGreaterThan(0);
      expect(portalFor(code)).toEqual([]);
      portalUp = true;
      await until(() => portalFor(code).length === 1);
    } finally {
      portalUp = true;
    }
  });

  it("sends apology_letter.issued and the portal record with the extension (Decree 118/2025 art. 19(6))", async () => {
    const code = (await receive(t, { receivedAt: "2025-03-05T08:00:00+07:00" }).expect(201)).body.receiptCode as string;
    await t.http
      .post(`/v1/dossiers/${code}/apology-letters`)
      .set(ADMIN)
      .send({ agencyCode: JUSTICE, reason: "Cần xác minh thêm", issuedAt: "2025-03-05T10:00:00+07:00", newDueAt: "2025-03-14T16:00:00+07:00" })
      .expect(201);
    await until(() => typesFor(code).some((m) => m.type === "apology_letter.issued"));
    await until(() => portal.got.some((r) => r.body.includes(code) && r.body.includes("20250314160000")));
  });

  it("refuses webhook destinations on link-local or cloud-metadata addresses, and other schemes, writing nothing", async () => {
    const changes = await totalChanges(t);
    for (const url of ["http://169.254.169.254/latest/meta-data", "http://metadata.google.internal/x", "ftp://example.com/hook", "http://[fe80::1]/x"]) {
      const res = await t.http.post("/v1/webhooks").set(ADMIN).send({ url, events: ["dossier.received"] }).expect(400);
      expect(res.body.errors[0].field).toBe("url");
    }
    expect(await totalChanges(t)).toBe(changes);
  });

  it("fires dossier.at_risk and dossier.overdue when their moment comes, with no request, once each", async () => {
    // Received Wed 5 Mar 12:00 (the clock starts at 13:00): 3 working days end Mon 10 Mar 13:00;
    // 75 % of them is used on Fri 7 Mar at 15:00, 90 % on Mon 10 Mar at 09:06.
    const code = (await receive(t, { receivedAt: "2025-03-05T12:00:00+07:00" }).expect(201)).body.receiptCode as string;
    const count = (type: string) => typesFor(code).filter((m) => m.type === type).length;
    await until(() => count("dossier.received") === 1);
    expect(count("dossier.at_risk")).toBe(0);
    const step = async (at: string, type: string, n: number) => {
      clock = Date.parse(at);
      t.app.outboundLoops.scheduler.wake();
      await until(() => count(type) === n);
    };
    await step("2025-03-07T15:30:00+07:00", "dossier.at_risk", 1);
    await step("2025-03-10T09:30:00+07:00", "dossier.at_risk", 2);
    expect(count("dossier.overdue")).toBe(0);
    await step("2025-03-10T13:30:00+07:00", "dossier.overdue", 1);
    const fired = typesFor(code).map((m) => m.type);
    // Waking again sends nothing more: each threshold fires once.
    t.app.outboundLoops.scheduler.wake();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(typesFor(code).map((m) => m.type)).toEqual(fired);
  });
});
