/**
 * Several instances, one database (issue #16): two real server processes on one PostgreSQL
 * database, raced against each other through HTTP.
 * - receipt codes stay gapless and unique across both;
 * - two conflicting events on one dossier, one to each instance: exactly one wins;
 * - one Idempotency-Key sent to both at once: exactly one dossier;
 * - the outbox is shared: both dispatchers run, each webhook message is delivered once.
 * SQLite runs one instance per file (README "Deployment"), so this runs in the "postgres" project only.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/config.js";
import { startServer, type ServerProcess } from "../../scripts/crash/server-process.js";
import { BIRTH, JUSTICE, PROVINCE_AGENCIES, PROVINCE_PROCEDURES } from "../../scripts/fixtures/province.js";
import { createTestDatabase, testBackend, type TestDatabase } from "../support/postgres.js";
import { fetchRetryingShed } from "../support/shed-retry.js";

const KEY = "two-instances-admin-key-0123456789";
const headers = { Authorization: `Bearer ${KEY}`, "Content-Type": "application/json" };

async function call(server: ServerProcess, method: string, url: string, body?: unknown, extra: Record<string, string> = {}) {
  const res = await fetchRetryingShed(`${server.baseUrl}${url}`, { method, headers: { ...headers, ...extra }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, body: (text === "" ? {} : JSON.parse(text)) as Record<string, unknown> };
}

async function ok(server: ServerProcess, method: string, url: string, body?: unknown) {
  const res = await call(server, method, url, body);
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const reception = (i: number) => ({
  procedureCode: BIRTH,
  receivingAgencyCode: JUSTICE,
  channel: "direct",
  receivedAt: "2025-03-03T08:00:00+07:00",
  applicant: { kind: "citizen", name: `Người Nộp ${i}`, idNumber: `0010900000${String(i % 100).padStart(2, "0")}` },
});

describe.skipIf(testBackend() !== "postgres")("two instances on one PostgreSQL database", () => {
  let database: TestDatabase;
  let a: ServerProcess;
  let b: ServerProcess;
  let receiver: http.Server;
  const delivered: { id: string; type: string; code: string }[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-two-"));

  beforeAll(async () => {
    database = await createTestDatabase();
    receiver = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString("utf8")));
      req.on("end", () => {
        const message = JSON.parse(body) as { type: string; data: { receiptCode: string } };
        delivered.push({ id: String(req.headers["webhook-id"]), type: message.type, code: message.data.receiptCode });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const options = {
      projectRoot: PROJECT_ROOT,
      dbFile: path.join(dir, "unused.db"),
      adminKey: KEY,
      readyTimeoutMs: 30_000,
      env: { MOTCUA_DATABASE_URL: database.url, MOTCUA_DATABASE_POOL: "4", MOTCUA_WEBHOOK_ALLOW_PRIVATE: "true" },
    };
    // Started together: both apply the migrations at once (an advisory lock lets one do it).
    [a, b] = await Promise.all([startServer(options), startServer(options)]);
    for (const { code, body } of PROVINCE_AGENCIES) await ok(a, "PUT", `/v1/agencies/${code}`, body);
    for (const [code, body] of Object.entries(PROVINCE_PROCEDURES)) await ok(b, "PUT", `/v1/procedures/${code}`, body);
    await ok(a, "POST", "/v1/webhooks", { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, events: ["dossier.received", "dossier.status_changed"] });
  }, 60_000);

  const dossierCodes = async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      return (await client.query<{ receipt_code: string }>("select receipt_code from dossiers")).rows.map((r) => r.receipt_code);
    } finally {
      await client.end();
    }
  };
  const dossierCount = async () => (await dossierCodes()).length;

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await new Promise((resolve) => receiver?.close(resolve));
    await database?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("gives 40 receptions raced across both instances 40 distinct, consecutive receipt codes", async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => call(i % 2 === 0 ? a : b, "POST", "/v1/dossiers", reception(i))));
    expect(answers.map((r) => r.status)).toEqual(Array(40).fill(201));
    const numbers = answers.map((r) => Number(String(r.body.receiptCode).slice(-4))).sort((x, y) => x - y);
    expect(numbers).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it("lets exactly one of two conflicting events win, each sent to another instance at once", async () => {
    const codes = await Promise.all(Array.from({ length: 12 }, async (_, i) => String((await ok(a, "POST", "/v1/dossiers", reception(100 + i))).receiptCode)));
    const outcomes = await Promise.all(
      codes.map(async (code) => {
        // Both are valid on the dossier as it stands; once one result is recorded, another is not.
        const [approved, refused] = await Promise.all([
          call(a, "POST", `/v1/dossiers/${code}/events`, { eventId: randomUUID(), type: "result_ready", occurredAt: "2025-03-03T09:00:00+07:00", agencyCode: JUSTICE, outcome: "approved" }),
          call(b, "POST", `/v1/dossiers/${code}/events`, { eventId: randomUUID(), type: "result_ready", occurredAt: "2025-03-03T09:00:00+07:00", agencyCode: JUSTICE, outcome: "refused" }),
        ]);
        const events = await ok(b, "GET", `/v1/dossiers/${code}/events`);
        return { statuses: [approved.status, refused.status].sort(), recorded: (events.items as unknown[]).length };
      }),
    );
    for (const o of outcomes) {
      expect(o.statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(o.statuses.filter((s) => s !== 201).every((s) => s === 409 || s === 422)).toBe(true);
      expect(o.recorded).toBe(1);
    }
  });

  it("shares Idempotency-Keys: one key sent to both instances at once writes one dossier", async () => {
    const before = await dossierCount();
    for (let i = 0; i < 5; i++) {
      const key = randomUUID();
      const body = reception(200 + i);
      const answers = await Promise.all([call(a, "POST", "/v1/dossiers", body, { "Idempotency-Key": key }), call(b, "POST", "/v1/dossiers", body, { "Idempotency-Key": key })]);
      for (const r of answers) expect([201, 409]).toContain(r.status);
      const created = answers.filter((r) => r.status === 201).map((r) => r.body.receiptCode);
      expect(new Set(created).size).toBe(1);
      // The same key again, now to either: the stored answer.
      const again = await call(i % 2 === 0 ? b : a, "POST", "/v1/dossiers", body, { "Idempotency-Key": key });
      expect(again.status).toBe(201);
      expect(again.body.receiptCode).toBe(created[0]);
    }
    expect((await dossierCount()) - before).toBe(5);
  });

  it("shares the outbox: both dispatchers deliver, and every message arrives exactly once", async () => {
    const codes = await dossierCodes();
    // Every dossier's reception, and the one status change of each conflict's winner, then a
    // second more for any duplicate to show up.
    const complete = () => {
      const received = new Set(delivered.filter((d) => d.type === "dossier.received").map((d) => d.code));
      return codes.every((code) => received.has(code)) && delivered.filter((d) => d.type === "dossier.status_changed").length >= 12;
    };
    const deadline = Date.now() + 20_000;
    while (!complete() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const received = new Set(delivered.filter((d) => d.type === "dossier.received").map((d) => d.code));
    expect(codes.filter((code) => !received.has(code))).toEqual([]);
    const counts = new Map<string, number>();
    for (const d of delivered) counts.set(d.id, (counts.get(d.id) ?? 0) + 1);
    expect([...counts.values()].filter((n) => n > 1)).toEqual([]);
    expect(delivered.filter((d) => d.type === "dossier.status_changed").length).toBe(12);
  }, 30_000);
});
