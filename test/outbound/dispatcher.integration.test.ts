/**
 * The outbox end to end with REAL HTTP receivers on loopback (issue #15 "Done means"): a fake
 * portal that fails, times out and answers slowly at random (seeded), a webhook receiver that
 * verifies signatures; per-dossier order, eventual delivery, dead-letter after 24 h (injected
 * clock), resend, and a restart mid-delivery on the same SQLite file.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { openSqlite, type SqliteHandle } from "../../src/db/sqlite/sqlite-client.js";
import { createSqliteOutboxRepository } from "../../src/db/sqlite/outbox-repository.js";
import { seededRandom } from "../../src/domain/outbound/delivery-policy.js";
import { createDispatcher, type Dispatcher } from "../../src/services/outbound/dispatcher.js";
import { createHttpDeliverer, type EndpointDirectory } from "../../src/services/outbound/http-deliverer.js";
import { PORTAL_DESTINATION, type NewOutboxMessage } from "../../src/services/outbound/outbox-ports.js";
import type { SqliteOutboxRepository } from "../../src/db/sqlite/outbox-repository.js";
import { generateWebhookSecret, verifyWebhook } from "../../src/services/outbound/webhook-signature.js";

const PORTAL_TOKEN = "portal-token-for-tests";
const SECRET = generateWebhookSecret();
const HOOK = { kind: "webhook", id: "wh_desk" } as const;

interface Received {
  readonly key: string;
  readonly seq: number;
  readonly id: string;
}

/** A receiver whose behaviour per request is `decide()`: answer status after delay ms (delay past the client's timeout = a timeout). */
async function receiver(decide: (req: http.IncomingMessage, body: string) => { status: number; delayMs: number }) {
  const log: Received[] = [];
  const sockets = new Set<import("node:net").Socket>();
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const { status, delayMs } = decide(req, body);
      // Stored on arrival, answered later: a slow answer past the sender's timeout is a message
      // the receiver has (the sender cannot know, and sends it again).
      if (status >= 200 && status < 300) {
        const { key, seq } = JSON.parse(body) as { key: string; seq: number };
        log.push({ key, seq, id: String(req.headers["webhook-id"] ?? req.headers["idempotency-key"]) });
      }
      const reply = () => {
        if (!res.destroyed) res.writeHead(status).end();
      };
      if (delayMs > 0) setTimeout(reply, delayMs);
      else reply();
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function messages(keys: readonly string[], perKey: number, destination = PORTAL_DESTINATION, createdAt = Date.now()): NewOutboxMessage[] {
  const list: NewOutboxMessage[] = [];
  // Interleaved across keys, as writes of many dossiers would be.
  for (let seq = 0; seq < perKey; seq++)
    for (const key of keys)
      list.push({
        id: `msg_${destination.kind}_${key}_${seq}`,
        orderingKey: key,
        receiptCode: key,
        destination,
        eventType: destination.kind === "portal" ? "portal.record" : "dossier.status_changed",
        payload: JSON.stringify({ key, seq }),
        createdAt,
      });
  return list;
}

/** Per key, the sequence received is non-decreasing (a repeat is a redelivery, never a step back) and complete. */
function expectOrderedAndComplete(log: readonly Received[], keys: readonly string[], perKey: number) {
  for (const key of keys) {
    const seqs = log.filter((r) => r.key === key).map((r) => r.seq);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]!, `${key}: ${seqs.join(",")}`).toBeGreaterThanOrEqual(seqs[i - 1]!);
    expect(new Set(seqs), key).toEqual(new Set(Array.from({ length: perKey }, (_, i) => i)));
  }
}

async function until(condition: () => Promise<boolean> | boolean, timeoutMs = 8_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}

const fastRetry = { baseDelayMs: 20, maxDelayMs: 150, minDelayMs: 5, deadAfterMs: 24 * 3_600_000 };

describe("the dispatcher against real HTTP receivers", () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  function open(file = ":memory:"): { handle: SqliteHandle; outbox: SqliteOutboxRepository } {
    const handle = openSqlite(file);
    cleanup.push(() => handle.close());
    return { handle, outbox: createSqliteOutboxRepository(handle.db) };
  }

  it("delivers everything in order per dossier to a portal that fails, times out and dawdles at random (seeded), and signs webhooks", async () => {
    const chaos = seededRandom(20250701);
    const portal = await receiver((req) => {
      if (req.headers.authorization !== `Bearer ${PORTAL_TOKEN}`) return { status: 401, delayMs: 0 };
      const r = chaos();
      if (r < 0.25) return { status: 503, delayMs: 0 };
      if (r < 0.35) return { status: 200, delayMs: 400 }; // past the 150 ms timeout: the portal may have stored it, we retry
      if (r < 0.55) return { status: 200, delayMs: 60 }; // slow but in time
      return { status: 200, delayMs: 0 };
    });
    cleanup.push(portal.close);
    let badSignatures = 0;
    const desk = await receiver((req, body) => {
      const verified = verifyWebhook([SECRET], req.headers, body, Math.floor(Date.now() / 1000));
      if (!verified.ok) badSignatures++;
      return verified.ok ? { status: chaos() < 0.2 ? 500 : 204, delayMs: 0 } : { status: 400, delayMs: 0 };
    });
    cleanup.push(desk.close);

    const endpoints: EndpointDirectory = async (d) =>
      d.kind === "portal" ? { url: `${portal.url}/sync`, auth: { kind: "bearer", token: PORTAL_TOKEN } } : { url: `${desk.url}/hook`, auth: { kind: "webhook", secrets: [SECRET] } };
    const { outbox } = open();
    const keys = Array.from({ length: 12 }, (_, i) => `000.00.01.H22-250701-${String(i).padStart(4, "0")}`);
    outbox.enqueue(messages(keys, 6));
    outbox.enqueue(messages(keys.slice(0, 4), 5, HOOK));

    const dispatcher = createDispatcher({
      outbox,
      deliver: createHttpDeliverer({ endpoints, policy: { allowPrivate: true }, timeoutMs: 150, now: Date.now }),
      policy: { retry: fastRetry, breaker: { failureThreshold: 4, coolDownMs: 50 } },
      random: seededRandom(7),
      now: Date.now,
      concurrency: 8,
      leaseMs: 2_000,
      pollMs: 10,
    });
    cleanup.push(() => dispatcher.stop({ graceMs: 0 }));
    dispatcher.start();
    await until(async () => (await outbox.backlog(Date.now())).pending === 0, 12_000);

    expectOrderedAndComplete(portal.log, keys, 6);
    expectOrderedAndComplete(desk.log, keys.slice(0, 4), 5);
    expect(badSignatures).toBe(0);
    const backlog = await outbox.backlog(Date.now());
    expect(backlog.dead).toBe(0);
    // The chaos really happened: failures and timeouts are in the delivery log.
    const attempts = await outbox.listDeliveries(PORTAL_DESTINATION, 1_000);
    expect(attempts.some((a) => a.outcome === "timeout")).toBe(true);
    expect(attempts.some((a) => a.outcome === "http_error")).toBe(true);
  }, 15_000);

  it("dead-letters 24 h after the first attempt (injected clock), keeps the queue moving, and resends", async () => {
    let up = false;
    const portal = await receiver(() => ({ status: up ? 200 : 503, delayMs: 0 }));
    cleanup.push(portal.close);
    const { outbox } = open();
    let clock = Date.parse("2025-07-01T08:00:00+07:00");
    outbox.enqueue(messages(["K1"], 2, PORTAL_DESTINATION, clock));
    const dispatcher = createDispatcher({
      outbox,
      deliver: createHttpDeliverer({ endpoints: async () => ({ url: portal.url, auth: { kind: "bearer", token: PORTAL_TOKEN } }), policy: { allowPrivate: true }, now: () => clock }),
      policy: { breaker: { failureThreshold: 1_000, coolDownMs: 1 } },
      random: seededRandom(1),
      now: () => clock,
    });

    const first = clock;
    let rounds = 0;
    while ((await outbox.get("msg_portal_K1_0"))!.status === "pending") {
      await dispatcher.runOnce();
      const m = (await outbox.get("msg_portal_K1_0"))!;
      if (m.status === "pending") clock = Math.max(clock, m.nextAttemptAt!);
      rounds++;
      expect(rounds).toBeLessThan(200);
    }
    const dead = (await outbox.get("msg_portal_K1_0"))!;
    expect(dead).toMatchObject({ status: "dead", firstAttemptAt: first, lastError: "HTTP 503" });
    expect(clock - first).toBeGreaterThanOrEqual(24 * 3_600_000);
    // The back-off grew: far fewer attempts than a fixed short interval would make in 24 h.
    expect(dead.attempts).toBeLessThan(100); // a fixed 5 s interval would make 17,280
    expect((await outbox.backlog(clock)).dead).toBe(1);

    // The queue moved on: the next message is attempted (and fails while the portal is down).
    up = true;
    await dispatcher.runOnce();
    expect((await outbox.get("msg_portal_K1_1"))!.status).toBe("delivered");
    // An admin resends the dead one: it goes at the end of the queue and is delivered.
    expect(await outbox.resend({ receiptCodes: ["K1"] }, clock)).toBeGreaterThanOrEqual(1);
    await dispatcher.runOnce();
    await dispatcher.runOnce();
    expect((await outbox.get("msg_portal_K1_0"))!.status).toBe("delivered");
    expect(portal.log.map((r) => r.seq)).toEqual([1, 0, 1]);
  });

  it("survives a stop mid-delivery: a new dispatcher on the same SQLite file delivers everything, none out of order", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-outbox-"));
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, "outbox.db");
    const portal = await receiver(() => ({ status: 200, delayMs: 40 }));
    cleanup.push(portal.close);
    const endpoints: EndpointDirectory = async () => ({ url: portal.url, auth: { kind: "bearer", token: PORTAL_TOKEN } });
    const keys = Array.from({ length: 6 }, (_, i) => `K${i}`);
    const leaseMs = 5_000;

    const before = open(file);
    before.outbox.enqueue(messages(keys, 8));
    const a: Dispatcher = createDispatcher({
      outbox: before.outbox,
      deliver: createHttpDeliverer({ endpoints, policy: { allowPrivate: true }, now: Date.now }),
      now: Date.now,
      concurrency: 4,
      leaseMs,
      pollMs: 5,
    });
    a.start();
    await until(() => portal.log.length >= 10);
    // "kill": deliveries in flight are abandoned, nothing is recorded for them.
    await a.stop({ graceMs: 0 });
    before.handle.close();
    const afterStop = await (async () => {
      const peek = open(file);
      return (await peek.outbox.backlog(Date.now())).pending;
    })();
    expect(afterStop).toBeGreaterThan(0);

    // A new process: its clock is past the abandoned leases.
    const after = open(file);
    const skew = leaseMs + 1;
    const b = createDispatcher({
      outbox: after.outbox,
      deliver: createHttpDeliverer({ endpoints, policy: { allowPrivate: true }, now: () => Date.now() + skew }),
      now: () => Date.now() + skew,
      concurrency: 4,
      leaseMs,
      pollMs: 5,
    });
    cleanup.push(() => b.stop({ graceMs: 0 }));
    b.start();
    await until(async () => (await after.outbox.backlog(Date.now() + skew)).pending === 0);
    expectOrderedAndComplete(portal.log, keys, 8);
    expect((await after.outbox.backlog(Date.now() + skew)).byDestination[0]).toMatchObject({ delivered: 48, dead: 0 });
  });
});
