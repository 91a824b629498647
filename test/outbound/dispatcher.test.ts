import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqlite, type SqliteHandle } from "../../src/db/sqlite/sqlite-client.js";
import { createSqliteOutboxRepository } from "../../src/db/sqlite/outbox-repository.js";
import { seededRandom } from "../../src/domain/outbound/delivery-policy.js";
import { createDispatcher } from "../../src/services/outbound/dispatcher.js";
import type { Deliver, DeliveryResult } from "../../src/services/outbound/http-deliverer.js";
import { PORTAL_DESTINATION, type NewOutboxMessage } from "../../src/services/outbound/outbox-ports.js";
import type { SqliteOutboxRepository } from "../../src/db/sqlite/outbox-repository.js";

const msg = (key: string, seq: number, destination = PORTAL_DESTINATION): NewOutboxMessage => ({
  id: `m_${destination.id}_${key}_${seq}`,
  orderingKey: key,
  receiptCode: key,
  destination,
  eventType: "portal.record",
  payload: JSON.stringify({ key, seq }),
  createdAt: 0,
});
const ok: DeliveryResult = { ok: true, statusCode: 200, durationMs: 1 };
const down: DeliveryResult = { ok: false, outcome: "http_error", statusCode: 503, error: "HTTP 503", durationMs: 1 };

describe("the dispatcher (fake deliverer)", () => {
  let handle: SqliteHandle;
  let outbox: SqliteOutboxRepository;
  beforeEach(() => {
    handle = openSqlite(":memory:");
    outbox = createSqliteOutboxRepository(handle.db);
  });
  afterEach(() => handle.close());

  it("runs queues concurrently, but never two messages of one queue at once", async () => {
    for (let seq = 0; seq < 3; seq++) outbox.enqueue(["A", "B", "C", "D"].map((k) => msg(k, seq)));
    const inFlight = new Map<string, number>();
    let maxOverall = 0;
    let overall = 0;
    const order: string[] = [];
    const deliver: Deliver = async (m) => {
      const n = (inFlight.get(m.orderingKey) ?? 0) + 1;
      inFlight.set(m.orderingKey, n);
      expect(n).toBe(1);
      maxOverall = Math.max(maxOverall, ++overall);
      await new Promise((r) => setTimeout(r, 5));
      order.push(m.id);
      overall--;
      inFlight.set(m.orderingKey, n - 1);
      return ok;
    };
    const d = createDispatcher({ outbox, deliver, now: () => 1_000, concurrency: 8 });
    while ((await d.runOnce()) > 0);
    expect(maxOverall).toBe(4);
    for (const k of ["A", "B", "C", "D"]) expect(order.filter((id) => id.includes(`_${k}_`))).toEqual([0, 1, 2].map((s) => `m_portal_${k}_${s}`));
  });

  it("opens the breaker after consecutive failures: no calls during the cool-down, one trial after, closed on success", async () => {
    for (let i = 0; i < 6; i++) outbox.enqueue([msg(`K${i}`, 0)]);
    let clock = 1_000;
    let calls = 0;
    let healthy = false;
    const deliver: Deliver = async () => {
      calls++;
      return healthy ? ok : down;
    };
    const outcomes: string[] = [];
    const d = createDispatcher({
      outbox,
      deliver,
      now: () => clock,
      random: seededRandom(3),
      concurrency: 1,
      pollMs: 100,
      policy: { breaker: { failureThreshold: 3, coolDownMs: 10_000 }, retry: { baseDelayMs: 1, maxDelayMs: 1, minDelayMs: 1, deadAfterMs: 86_400_000 } },
      onAttempt: (e) => outcomes.push(e.final),
    });
    for (let i = 0; i < 3; i++) await d.runOnce();
    expect(calls).toBe(3);
    clock += 5; // retries due, but the breaker is open
    await d.runOnce();
    await d.runOnce();
    expect(calls).toBe(3);
    expect(outcomes.filter((o) => o === "postponed").length).toBeGreaterThan(0);
    // Nothing was counted against the postponed messages.
    const after = await Promise.all(["K3", "K4", "K5"].map((k) => outbox.get(`m_portal_${k}_0`)));
    expect(after.every((m) => m!.attempts === 0)).toBe(true);

    clock += 10_000;
    healthy = true;
    await d.runOnce(); // the one trial
    expect(calls).toBe(4);
    for (let i = 0; i < 10; i++) await d.runOnce();
    expect((await outbox.backlog(clock)).pending).toBe(0);
  });

  it("a refused destination does not trip the breaker for others' sake, and dies after 24 h like any failure", async () => {
    outbox.enqueue([msg("K", 0)]);
    let clock = 0;
    const refused: DeliveryResult = { ok: false, outcome: "refused_destination", statusCode: null, error: "metadata", durationMs: 0 };
    const d = createDispatcher({ outbox, deliver: async () => refused, now: () => clock, random: () => 0.999, policy: { breaker: { failureThreshold: 1, coolDownMs: 1e9 } } });
    for (let i = 0; i < 200 && (await outbox.get("m_portal_K_0"))!.status === "pending"; i++) {
      await d.runOnce();
      clock = Math.max(clock, (await outbox.get("m_portal_K_0"))!.nextAttemptAt!);
    }
    expect(await outbox.get("m_portal_K_0")).toMatchObject({ status: "dead", lastError: "metadata" });
  });
});
