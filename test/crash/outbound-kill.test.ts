/**
 * Outbound survives a crash (issue #15): the real server (`node --import tsx src/server.ts`) sends
 * its dossiers' changes to a slow webhook receiver and a slow fake portal, is SIGKILLed in the
 * middle of delivering, and is started again on the same file. Every webhook message arrives (at
 * least once: duplicates are allowed, receivers deduplicate on webhook-id), in order per dossier,
 * and the portal ends with every dossier's latest record, never an older one after a newer one.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/config.js";
import { verifyWebhook } from "../../src/services/outbound/webhook-signature.js";
import { startServer, type ServerProcess } from "../../scripts/crash/server-process.js";
import { BIRTH, JUSTICE, PROVINCE_AGENCIES, PROVINCE_PROCEDURES, TAX } from "../../scripts/fixtures/province.js";
import { createTestDatabase, testBackend } from "../support/postgres.js";
import { fetchRetryingShed } from "../support/shed-retry.js";

const KEY = "outbound-kill-admin-key-0123456789";
const auth = { Authorization: `Bearer ${KEY}`, "Content-Type": "application/json" };
const DOSSIERS = 8;
/** The statuses each dossier goes through: reception, then three events. */
const STATUSES = ["received", "in_progress", "result_ready", "returned"];

let secret = "";
const hooks: { id: string; code: string; status: string; type: string }[] = [];
const records: { code: string; status: number }[] = [];
let seed = 7;
/** 150–400 ms an answer (seeded): slow enough that the kill finds most messages undelivered. */
const slowly = () => 150 + ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % 250);

async function receiver(handle: (body: string, headers: http.IncomingHttpHeaders) => number) {
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => setTimeout(() => res.writeHead(handle(body, req.headers)).end(), slowly()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(r)) };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-outbound-kill-"));
const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of [...closers].reverse()) await close(); // the server first, then its database, then the receivers
  fs.rmSync(dir, { recursive: true, force: true });
});

const call = async (server: ServerProcess, method: string, url: string, body?: unknown) => {
  const res = await fetchRetryingShed(`${server.baseUrl}${url}`, { method, headers: auth, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
};

const until = async (check: () => boolean, ms: number) => {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe("outbound across a crash of the server", () => {
  it("delivers every webhook message in order per dossier and leaves the portal with each dossier's latest record", async () => {
    const hookReceiver = await receiver((body, headers) => {
      if (!verifyWebhook([secret], headers, body, Math.floor(Date.now() / 1000)).ok) return 401;
      const message = JSON.parse(body) as { type: string; data: { receiptCode: string; status: string } };
      hooks.push({ id: String(headers["webhook-id"]), code: message.data.receiptCode, status: message.data.status, type: message.type });
      return 204;
    });
    const portal = await receiver((body) => {
      const record = JSON.parse(body) as { MaHoSo: string; TrangThaiHoSo: number };
      records.push({ code: record.MaHoSo, status: record.TrangThaiHoSo });
      return 200;
    });
    closers.push(hookReceiver.close, portal.close);
    // On PostgreSQL (the "postgres" project, issue #16) the killed server leaves its leases in the database.
    const database = testBackend() === "postgres" ? await createTestDatabase() : undefined;
    if (database) closers.push(() => database.drop());
    const options = {
      projectRoot: PROJECT_ROOT,
      dbFile: path.join(dir, "motcua.db"),
      adminKey: KEY,
      readyTimeoutMs: 30_000,
      env: {
        MOTCUA_PORTAL_URL: `${portal.url}/dongbo`,
        MOTCUA_WEBHOOK_ALLOW_PRIVATE: "true",
        ...(database ? { MOTCUA_DATABASE_URL: database.url, MOTCUA_DATABASE_POOL: "4" } : {}),
      },
    };
    let server = await startServer(options);
    closers.push(() => server.stop());
    for (const { code, body } of PROVINCE_AGENCIES) await call(server, "PUT", `/v1/agencies/${code}`, body);
    for (const [code, body] of Object.entries(PROVINCE_PROCEDURES)) await call(server, "PUT", `/v1/procedures/${code}`, body);
    secret = String((await call(server, "POST", "/v1/webhooks", { url: `${hookReceiver.url}/motcua`, events: ["dossier.received", "dossier.status_changed"] })).secret);

    const codes: string[] = [];
    await Promise.all(
      Array.from({ length: DOSSIERS }, async (_, i) => {
        const dossier = await call(server, "POST", "/v1/dossiers", {
          procedureCode: BIRTH,
          receivingAgencyCode: JUSTICE,
          channel: "direct",
          applicant: { kind: "citizen", name: `Người Nộp ${i}`, idNumber: `0010900000${String(i).padStart(2, "0")}` },
        });
        const code = String(dossier.receiptCode);
        codes.push(code);
        const at = () => new Date().toISOString();
        for (const event of [
          { type: "transferred", agencyCode: JUSTICE, toAgencyCode: TAX },
          { type: "result_ready", agencyCode: TAX, outcome: "approved" },
          { type: "returned", agencyCode: JUSTICE, method: "counter" },
        ])
          await call(server, "POST", `/v1/dossiers/${code}/events`, { eventId: randomUUID(), occurredAt: at(), ...event });
      }),
    );
    // Mid-delivery: some messages have arrived, most have not.
    await until(() => hooks.length >= 3, 20_000);
    expect(hooks.length).toBeLessThan(DOSSIERS * STATUSES.length);
    await server.kill();

    server = await startServer(options);
    const delivered = () => codes.every((code) => STATUSES.every((status) => hooks.some((h) => h.code === code && h.status === status)));
    const synced = () => codes.every((code) => records.some((r) => r.code === code && r.status === 10));
    await until(() => delivered() && synced(), 60_000);

    for (const code of codes) {
      // In order per dossier: the first delivery of each message comes in the order of the changes.
      const ids = new Set<string>();
      const firsts: string[] = [];
      for (const h of hooks.filter((x) => x.code === code)) if (!ids.has(h.id)) (ids.add(h.id), firsts.push(h.status));
      expect(firsts, code).toEqual(STATUSES);
      // The portal never gets an older status after a newer one (records coalesce, DOMAIN.md §3 codes rise).
      const portalStatuses = records.filter((r) => r.code === code).map((r) => r.status);
      expect(portalStatuses, code).toEqual([...portalStatuses].sort((a, b) => a - b));
    }
  }, 120_000);
});
