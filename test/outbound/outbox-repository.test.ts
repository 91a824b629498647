import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqlite, type SqliteHandle } from "../../src/db/sqlite/sqlite-client.js";
import { createSqliteOutboxRepository } from "../../src/db/sqlite/outbox-repository.js";
import { PORTAL_DESTINATION, type NewOutboxMessage } from "../../src/services/outbound/outbox-ports.js";
import type { SqliteOutboxRepository } from "../../src/db/sqlite/outbox-repository.js";

const hook = { kind: "webhook", id: "wh_1" } as const;
const msg = (id: string, key: string, over: Partial<NewOutboxMessage> = {}): NewOutboxMessage => ({
  id,
  orderingKey: key,
  receiptCode: key,
  destination: PORTAL_DESTINATION,
  eventType: "portal.record",
  payload: JSON.stringify({ id }),
  createdAt: 1_000,
  ...over,
});
const ok = (at: number) => ({ attemptedAt: at, durationMs: 5, outcome: "delivered" as const, statusCode: 200, error: null });
const ko = (at: number) => ({ attemptedAt: at, durationMs: 5, outcome: "http_error" as const, statusCode: 503, error: "503" });

describe("the SQLite outbox", () => {
  let handle: SqliteHandle;
  let outbox: SqliteOutboxRepository;
  beforeEach(() => {
    handle = openSqlite(":memory:");
    outbox = createSqliteOutboxRepository(handle.db);
  });
  afterEach(() => handle.close());

  it("enqueues inside the caller's transaction: nothing remains of a rolled-back write", async () => {
    const write = handle.sqlite.transaction((fail: boolean) => {
      outbox.enqueue([msg("m1", "A"), msg("m2", "A")]);
      if (fail) throw new Error("the dossier write failed");
    });
    expect(() => write(true)).toThrow("the dossier write failed");
    expect((await outbox.backlog(2_000)).pending).toBe(0);
    write(false);
    expect((await outbox.backlog(2_000)).pending).toBe(2);
  });

  it("claims only the head of each queue, in order per key, across keys and destinations", async () => {
    outbox.enqueue([msg("a1", "A"), msg("b1", "B"), msg("a2", "A"), msg("h1", "A", { destination: hook, eventType: "dossier.received" })]);
    const first = await outbox.claimDue(2_000, 10, 30_000);
    expect(first.map((m) => m.id).sort()).toEqual(["a1", "b1", "h1"]);
    // Leased: nothing more until they are settled.
    expect(await outbox.claimDue(2_000, 10, 30_000)).toEqual([]);
    await outbox.markDelivered("a1", ok(2_000));
    expect((await outbox.claimDue(2_001, 10, 30_000)).map((m) => m.id)).toEqual(["a2"]);
  });

  it("a failed head blocks its queue until retried; an expired lease is claimed again (crash)", async () => {
    outbox.enqueue([msg("a1", "A"), msg("a2", "A")]);
    await outbox.claimDue(1_000, 10, 30_000);
    await outbox.markFailed("a1", ko(1_000), 5_000);
    expect(await outbox.claimDue(4_999, 10, 30_000)).toEqual([]);
    const [retry] = await outbox.claimDue(5_000, 10, 30_000);
    expect(retry).toMatchObject({ id: "a1", attempts: 1, firstAttemptAt: 1_000, lastError: "503" });
    // The dispatcher died mid-delivery: after the lease, a new one gets it again.
    expect(await outbox.claimDue(34_999, 10, 30_000)).toEqual([]);
    expect((await outbox.claimDue(35_000, 10, 30_000)).map((m) => m.id)).toEqual(["a1"]);
  });

  it("a dead head lets the queue move on; resend puts it at the end, pending with a fresh window", async () => {
    outbox.enqueue([msg("a1", "A"), msg("a2", "A")]);
    await outbox.claimDue(1_000, 10, 30_000);
    await outbox.markDead("a1", ko(1_000));
    const [next] = await outbox.claimDue(1_001, 10, 30_000);
    expect(next!.id).toBe("a2");
    expect(await outbox.resend({ ids: ["a1"] }, 2_000)).toBe(1);
    const resent = await outbox.get("a1");
    // Behind a2, still pending: it waits (no due instant) until a2 is settled.
    expect(resent).toMatchObject({ status: "pending", firstAttemptAt: null, nextAttemptAt: null });
    expect(resent!.position).toBeGreaterThan(next!.position);
    await outbox.markDelivered("a2", ok(2_000));
    expect((await outbox.claimDue(2_000, 10, 30_000)).map((m) => m.id)).toEqual(["a1"]);
  });

  it("resends by receipt code: the dead ones and the latest delivered, per destination", async () => {
    outbox.enqueue([msg("a1", "A"), msg("a2", "A"), msg("b1", "B")]);
    for (const id of ["a1", "a2", "b1"]) {
      await outbox.claimDue(1_000, 10, 1);
      await outbox.markDelivered(id, ok(1_000));
    }
    expect(await outbox.resend({ receiptCodes: ["A"] }, 3_000)).toBe(1);
    expect((await outbox.get("a2"))!.status).toBe("pending");
    expect((await outbox.get("a1"))!.status).toBe("delivered");
    expect(await outbox.resend({ receiptCodes: ["B"], destinationKind: "webhook" }, 3_000)).toBe(0);
  });

  it("reports the backlog per destination, and logs every attempt", async () => {
    outbox.enqueue([msg("a1", "A", { createdAt: 500 }), msg("a2", "A", { createdAt: 600 }), msg("h1", "A", { destination: hook, eventType: "dossier.received", createdAt: 700 })]);
    await outbox.claimDue(1_000, 10, 30_000);
    await outbox.markFailed("a1", ko(1_000), 1_500);
    await outbox.claimDue(1_500, 10, 30_000);
    await outbox.markDelivered("a1", ok(1_500));
    await outbox.markDead("h1", ko(1_000));
    const backlog = await outbox.backlog(10_000);
    expect(backlog).toMatchObject({ pending: 1, dead: 1, oldestUndeliveredAt: 600, oldestUndeliveredAgeMs: 9_400 });
    expect(backlog.byDestination).toEqual([
      { destination: PORTAL_DESTINATION, pending: 1, dead: 0, delivered: 1, oldestUndeliveredAt: 600, lastDeliveredAt: 1_505 },
      { destination: hook, pending: 0, dead: 1, delivered: 0, oldestUndeliveredAt: 700, lastDeliveredAt: null },
    ]);
    const log = await outbox.listDeliveries(PORTAL_DESTINATION, 10);
    expect(log.map((d) => [d.messageId, d.attempt, d.outcome, d.nextAttemptAt])).toEqual([
      ["a1", 2, "delivered", null],
      ["a1", 1, "http_error", 1_500],
    ]);
  });

  it("claims in constant work whatever the backlog: only queue heads carry a due instant, scanned by index", async () => {
    for (let i = 0; i < 50; i++) outbox.enqueue([msg(`m${i}`, `K${i % 5}`)]);
    const heads = (await outbox.claimDue(2_000, 100, 30_000)).map((m) => m.id);
    expect(heads).toEqual(["m0", "m1", "m2", "m3", "m4"]);
    expect((await outbox.get("m5"))!.nextAttemptAt).toBeNull();
    const plan = handle.sqlite
      .prepare(
        `explain query plan select id from outbox_messages where status = 'pending' and next_attempt_at <= 1 and (lease_until is null or lease_until <= 1) order by next_attempt_at limit 10`,
      )
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail)).toEqual(["SEARCH outbox_messages USING INDEX outbox_messages_due_idx (status=? AND next_attempt_at<?)"]);
    // The backlog reads the index only, never a message body.
    const backlogPlan = handle.sqlite
      .prepare(
        `explain query plan select destination_kind, destination_id, status, count(*), min(created_at), max(delivered_at) from outbox_messages group by destination_kind, destination_id, status`,
      )
      .all() as { detail: string }[];
    expect(backlogPlan.map((p) => p.detail)).toEqual(["SCAN outbox_messages USING COVERING INDEX outbox_messages_backlog_idx"]);
    // Settling a head promotes the next of its queue, due from the settlement.
    await outbox.markDelivered("m0", ok(2_000));
    expect((await outbox.get("m5"))!.nextAttemptAt).toBe(2_000);
  });

  it("coalesces snapshots: a newer portal record replaces the one still waiting behind the head", async () => {
    outbox.enqueue([msg("r1", "A", { coalesce: true })]);
    outbox.enqueue([msg("r2", "A", { coalesce: true, payload: "v2" })]);
    outbox.enqueue([msg("r3", "A", { coalesce: true, payload: "v3" })]);
    outbox.enqueue([msg("h1", "A", { destination: hook, eventType: "dossier.received" }), msg("h2", "A", { destination: hook, eventType: "dossier.received" })]);
    expect((await outbox.backlog(2_000)).byDestination.map((d) => [d.destination.kind, d.pending])).toEqual([
      ["portal", 2],
      ["webhook", 2],
    ]);
    expect(await outbox.get("r3")).toBeUndefined();
    expect((await outbox.get("r2"))!.payload).toBe("v3");
    // The head is never replaced (it may be in flight): after it, the waiting one carries the latest.
    const [head] = (await outbox.claimDue(2_000, 10, 30_000)).filter((m) => m.destination.kind === "portal");
    expect(head!.id).toBe("r1");
  });

  it("purges delivered messages and their log after the retention", async () => {
    outbox.enqueue([msg("a1", "A"), msg("a2", "A")]);
    await outbox.claimDue(1_000, 10, 30_000);
    await outbox.markDelivered("a1", ok(1_000));
    expect(await outbox.purgeDelivered(1_006)).toBe(1);
    expect(await outbox.get("a1")).toBeUndefined();
    expect(await outbox.listDeliveries(PORTAL_DESTINATION, 10)).toEqual([]);
    expect((await outbox.get("a2"))!.status).toBe("pending");
  });

  it("a settled message is not changed by a late mark (a resend or dead-letter won)", async () => {
    outbox.enqueue([msg("a1", "A")]);
    await outbox.claimDue(1_000, 10, 30_000);
    await outbox.markDead("a1", ko(1_000));
    await outbox.markDelivered("a1", ok(1_001));
    expect((await outbox.get("a1"))!.status).toBe("dead");
    expect(await outbox.listDeliveries(PORTAL_DESTINATION, 10)).toHaveLength(1);
  });
});

describe("the queue invariant under random operations (property)", () => {
  it("every queue with pending messages has exactly one head, its lowest position; claims return heads only", async () => {
    const fc = (await import("fast-check")).default;
    const op = fc.oneof(
      fc.record({ kind: fc.constant("enqueue" as const), key: fc.constantFrom("A", "B", "C"), hook: fc.boolean(), coalesce: fc.boolean() }),
      fc.record({ kind: fc.constant("claim" as const) }),
      fc.record({ kind: fc.constant("settle" as const), how: fc.constantFrom("delivered", "failed", "dead"), pick: fc.nat(20) }),
      fc.record({ kind: fc.constant("resend" as const), pick: fc.nat(40) }),
      fc.record({ kind: fc.constant("tick" as const), ms: fc.integer({ min: 1, max: 5_000 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 60 }), async (ops) => {
        const handle = openSqlite(":memory:");
        const outbox = createSqliteOutboxRepository(handle.db);
        let clock = 1_000;
        let n = 0;
        let claimed: string[] = [];
        try {
          for (const o of ops) {
            if (o.kind === "enqueue") outbox.enqueue([msg(`m${n++}`, o.key, o.hook ? { destination: hook, eventType: "dossier.received", createdAt: clock } : { createdAt: clock, coalesce: o.coalesce })]);
            else if (o.kind === "claim") {
              const got = await outbox.claimDue(clock, 10, 2_000);
              // Heads only: nothing claimed shares a queue with another pending message of lower position.
              for (const m of got) {
                const earlier = handle.sqlite
                  .prepare("select count(*) from outbox_messages where destination_kind = ? and destination_id = ? and ordering_key = ? and status = 'pending' and position < ?")
                  .pluck()
                  .get(m.destination.kind, m.destination.id, m.orderingKey, m.position);
                expect(earlier).toBe(0);
              }
              claimed = [...claimed, ...got.map((m) => m.id)];
            } else if (o.kind === "settle" && claimed.length > 0) {
              const id = claimed[o.pick % claimed.length]!;
              claimed = claimed.filter((c) => c !== id);
              if (o.how === "delivered") await outbox.markDelivered(id, ok(clock));
              else if (o.how === "dead") await outbox.markDead(id, ko(clock));
              else await outbox.markFailed(id, ko(clock), clock + 100);
            } else if (o.kind === "resend" && n > 0) await outbox.resend({ ids: [`m${o.pick % n}`] }, clock);
            else if (o.kind === "tick") clock += o.ms;

            const rows = handle.sqlite
              .prepare("select destination_kind || '/' || destination_id || '/' || ordering_key as q, position, next_attempt_at from outbox_messages where status = 'pending' order by position")
              .all() as { q: string; position: number; next_attempt_at: number | null }[];
            const byQueue = new Map<string, typeof rows>();
            for (const r of rows) byQueue.set(r.q, [...(byQueue.get(r.q) ?? []), r]);
            for (const list of byQueue.values()) {
              expect(list[0]!.next_attempt_at).not.toBeNull();
              expect(list.slice(1).every((r) => r.next_attempt_at === null)).toBe(true);
            }
          }
        } finally {
          handle.close();
        }
      }),
      { numRuns: 60 },
    );
  });
});
