/**
 * The outbox and the moment schedule behave the same on SQLite and PostgreSQL (issue #16: "run
 * unchanged on PostgreSQL"): every scenario below runs against both implementations, on a real
 * SQLite file and on a real PostgreSQL database, and expects the same observations. Then the part
 * SQLite cannot show: several instances (separate pools, as separate processes would have) racing
 * on one database — dispatchers claiming from one backlog, writers enqueueing into the same queues
 * while others settle, schedulers firing the same due moments, writes re-planning one dossier.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { openSqlite } from "../../../src/db/sqlite/sqlite-client.js";
import { createSqliteOutboxRepository } from "../../../src/db/sqlite/outbox-repository.js";
import { createSqliteScheduleRepository } from "../../../src/db/sqlite/schedule-repository.js";
import { writeOutbound as writeOutboundSqlite } from "../../../src/db/sqlite/outbound-writes.js";
import { openPostgres, type PostgresHandle } from "../../../src/db/postgres/pg-client.js";
import { createPostgresOutboxRepository, enqueueMessages } from "../../../src/db/postgres/outbox-repository.js";
import { createPostgresScheduleRepository } from "../../../src/db/postgres/schedule-repository.js";
import { replanMoments, writeOutbound } from "../../../src/db/postgres/outbound-writes.js";
import { PORTAL_DESTINATION, type NewOutboxMessage, type OutboxMessage, type OutboxRepository } from "../../../src/services/outbound/outbox-ports.js";
import type { FiringMoment, MomentScheduleRepository, ScheduledMoment } from "../../../src/services/outbound/schedule-ports.js";
import type { OutboundOf } from "../../../src/services/dossier-ports.js";
import { createMomentScheduler } from "../../../src/services/outbound/moment-scheduler.js";
import type { Moment } from "../../../src/domain/outbound/next-moments.js";
import { planMoments } from "../../../src/domain/outbound/next-moments.js";
import { DEFAULT_CALENDAR_RULES } from "../../../src/domain/calendar/calendar-defaults.js";
import { vnDaysOfYear } from "../../../src/domain/calendar/calendar-days.js";
import { createWorkingCalendar } from "../../../src/domain/calendar/working-calendar.js";
import { computeDueAt, replayDossier, type DossierFacts } from "../../../src/domain/dossier/dossier-fold.js";
import type { DossierEvent } from "../../../src/domain/dossier/dossier-types.js";
import { seededRandom } from "../../../src/domain/seeded-random.js";
import { createTestDatabase } from "../../support/postgres.js";

// --- Backends --------------------------------------------------------------------------------

/** One backend, the same (asynchronous) shape on both: the ports, plus the write path's in-transaction calls. */
interface Backend {
  readonly name: "sqlite" | "postgres";
  readonly outbox: OutboxRepository;
  readonly schedule: MomentScheduleRepository;
  /** Enqueues in a transaction of its own (as a dossier write would); `fail` rolls it back after enqueueing. */
  enqueue(messages: readonly NewOutboxMessage[], fail?: boolean): Promise<void>;
  /** A dossier write's outbound part (writeOutbound) in a transaction of its own. */
  write(receiptCode: string, of: OutboundOf, at: number, fail?: boolean): Promise<void>;
  /** Pending messages by queue, in position order, with their due instant (the queue invariant). */
  pendingQueues(): Promise<Map<string, (number | null)[]>>;
  /** The schedule rows of a dossier: key → due instant, fired or not. */
  scheduleOf(receiptCode: string): Promise<Record<string, { at: number; fired: number | null }>>;
  /** Empties the outbox and the schedule (between property runs). */
  reset(): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * A fresh database (a copy of the migrated template, which sorts text as en-US: orders must still
 * be SQLite's); `instances` handles on it, each with its own pool (as separate app instances).
 */
async function postgresDatabase(instances = 1, poolSize = 4): Promise<{ handles: PostgresHandle[]; drop(): Promise<void> }> {
  const database = await createTestDatabase();
  const handles: PostgresHandle[] = [];
  for (let i = 0; i < instances; i++) handles.push(await openPostgres(database.url, { poolSize, applicationName: `motcua-test-${i}` }));
  return {
    handles,
    async drop() {
      for (const h of handles) await h.close();
      await database.drop();
    },
  };
}

const queueName = (kind: string, id: string, key: string) => `${kind}/${id}/${key}`;

async function makePostgres(): Promise<Backend> {
  const database = await postgresDatabase();
  const { db } = database.handles[0]!;
  return {
    name: "postgres",
    outbox: createPostgresOutboxRepository(db),
    schedule: createPostgresScheduleRepository(db),
    async enqueue(messages, fail = false) {
      await db
        .transaction(async (tx) => {
          await enqueueMessages(tx, messages);
          if (fail) throw new Error("the dossier write failed");
        })
        .catch((error: unknown) => {
          if (!fail) throw error;
        });
    },
    async write(receiptCode, of, at, fail = false) {
      await db
        .transaction(async (tx) => {
          await writeOutbound(tx, receiptCode, of, at);
          if (fail) throw new Error("the dossier write failed");
        })
        .catch((error: unknown) => {
          if (!fail) throw error;
        });
    },
    async pendingQueues() {
      const rows = (
        await db.execute(sql`select destination_kind, destination_id, ordering_key, next_attempt_at from outbox_messages where status = 'pending' order by position`)
      ).rows as { destination_kind: string; destination_id: string; ordering_key: string; next_attempt_at: string | null }[];
      const byQueue = new Map<string, (number | null)[]>();
      for (const r of rows) {
        const q = queueName(r.destination_kind, r.destination_id, r.ordering_key);
        byQueue.set(q, [...(byQueue.get(q) ?? []), r.next_attempt_at === null ? null : Number(r.next_attempt_at)]);
      }
      return byQueue;
    },
    async scheduleOf(receiptCode) {
      const rows = (await db.execute(sql`select moment_key, due_at, fired_at from outbound_schedule where receipt_code = ${receiptCode}`)).rows as {
        moment_key: string;
        due_at: string;
        fired_at: string | null;
      }[];
      return Object.fromEntries(rows.map((r) => [r.moment_key, { at: Number(r.due_at), fired: r.fired_at === null ? null : Number(r.fired_at) }]));
    },
    async reset() {
      await db.execute(sql`truncate outbox_messages, outbox_deliveries, outbound_schedule`);
    },
    dispose: () => database.drop(),
  };
}

async function makeSqlite(): Promise<Backend> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-outbound-"));
  const handle = openSqlite(path.join(dir, "outbound.db"));
  const outbox = createSqliteOutboxRepository(handle.db);
  const schedule = createSqliteScheduleRepository(handle.db, outbox);
  return {
    name: "sqlite",
    outbox,
    schedule,
    async enqueue(messages, fail = false) {
      try {
        handle.sqlite.transaction(() => {
          outbox.enqueue(messages);
          if (fail) throw new Error("the dossier write failed");
        })();
      } catch (error) {
        if (!fail) throw error;
      }
    },
    async write(receiptCode, of, at, fail = false) {
      try {
        handle.sqlite.transaction(() => {
          writeOutboundSqlite({ outbox, schedule }, receiptCode, of, at);
          if (fail) throw new Error("the dossier write failed");
        })();
      } catch (error) {
        if (!fail) throw error;
      }
    },
    async pendingQueues() {
      const rows = handle.sqlite
        .prepare("select destination_kind, destination_id, ordering_key, next_attempt_at from outbox_messages where status = 'pending' order by position")
        .all() as { destination_kind: string; destination_id: string; ordering_key: string; next_attempt_at: number | null }[];
      const byQueue = new Map<string, (number | null)[]>();
      for (const r of rows) {
        const q = queueName(r.destination_kind, r.destination_id, r.ordering_key);
        byQueue.set(q, [...(byQueue.get(q) ?? []), r.next_attempt_at]);
      }
      return byQueue;
    },
    async scheduleOf(receiptCode) {
      const rows = handle.sqlite.prepare("select moment_key, due_at, fired_at from outbound_schedule where receipt_code = ?").all(receiptCode) as {
        moment_key: string;
        due_at: number;
        fired_at: number | null;
      }[];
      return Object.fromEntries(rows.map((r) => [r.moment_key, { at: r.due_at, fired: r.fired_at }]));
    },
    async reset() {
      handle.sqlite.exec("delete from outbox_messages; delete from outbox_deliveries; delete from outbound_schedule");
    },
    async dispose() {
      handle.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs `scenario` on each backend and expects the same observations from both (its own
 * assertions run on both too). Positions differ by construction (a sequence on PostgreSQL, max + 1
 * on SQLite): observations compare their order, never their values.
 */
async function sameOnBoth<T>(scenario: (b: Backend) => Promise<T>): Promise<T> {
  const results: T[] = [];
  for (const make of [makeSqlite, makePostgres]) {
    const backend = await make();
    try {
      results.push(await scenario(backend));
    } finally {
      await backend.dispose();
    }
  }
  expect(results[1], "PostgreSQL observed what SQLite observed").toEqual(results[0]);
  return results[0]!;
}

// --- Fixtures ----------------------------------------------------------------------------------

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
/** A message as observed, without its position (whose values differ by backend). */
const seen = (m: OutboxMessage | undefined) => {
  if (m === undefined) return undefined;
  const { position: _position, ...rest } = m;
  return rest;
};
const ids = (messages: readonly OutboxMessage[]) => messages.map((m) => m.id);

// --- The outbox --------------------------------------------------------------------------------

describe("the outbox, on SQLite and PostgreSQL alike", () => {
  it("enqueues inside the caller's transaction: nothing remains of a rolled-back write", async () => {
    await sameOnBoth(async (b) => {
      await b.enqueue([msg("m1", "A"), msg("m2", "A")], true);
      expect((await b.outbox.backlog(2_000)).pending).toBe(0);
      await b.enqueue([msg("m1", "A"), msg("m2", "A")]);
      const backlog = await b.outbox.backlog(2_000);
      expect(backlog.pending).toBe(2);
      return backlog;
    });
  });

  it("claims only the head of each queue, in order per key, across keys and destinations", async () => {
    await sameOnBoth(async (b) => {
      await b.enqueue([msg("a1", "A"), msg("b1", "B"), msg("a2", "A"), msg("h1", "A", { destination: hook, eventType: "dossier.received" })]);
      const first = await b.outbox.claimDue(2_000, 10, 30_000);
      expect(ids(first).sort()).toEqual(["a1", "b1", "h1"]);
      // Leased: nothing more until they are settled.
      expect(await b.outbox.claimDue(2_000, 10, 30_000)).toEqual([]);
      await b.outbox.markDelivered("a1", ok(2_000));
      const second = await b.outbox.claimDue(2_001, 10, 30_000);
      expect(ids(second)).toEqual(["a2"]);
      return { first: first.map(seen), second: second.map(seen) };
    });
  });

  it("claims the oldest due first, and no more than the limit", async () => {
    await sameOnBoth(async (b) => {
      // Created in reverse order of their keys, some at the same instant (ties go by position).
      for (const [i, key] of ["E", "D", "C", "B", "A"].entries()) await b.enqueue([msg(`${key}1`, key, { createdAt: 1_000 + Math.floor(i / 2) * 10 })]);
      const firstTwo = await b.outbox.claimDue(2_000, 2, 30_000);
      const rest = await b.outbox.claimDue(2_000, 10, 30_000);
      expect(ids(firstTwo)).toEqual(["E1", "D1"]);
      expect(ids(rest)).toEqual(["C1", "B1", "A1"]);
      return { firstTwo: firstTwo.map(seen), rest: rest.map(seen) };
    });
  });

  it("a failed head blocks its queue until retried; an expired lease is claimed again (crash)", async () => {
    await sameOnBoth(async (b) => {
      await b.enqueue([msg("a1", "A"), msg("a2", "A")]);
      await b.outbox.claimDue(1_000, 10, 30_000);
      await b.outbox.markFailed("a1", ko(1_000), 5_000);
      expect(await b.outbox.claimDue(4_999, 10, 30_000)).toEqual([]);
      const [retry] = await b.outbox.claimDue(5_000, 10, 30_000);
      expect(retry).toMatchObject({ id: "a1", attempts: 1, firstAttemptAt: 1_000, lastError: "503" });
      // The dispatcher died mid-delivery: after the lease, a new one gets it again.
      expect(await b.outbox.claimDue(34_999, 10, 30_000)).toEqual([]);
      const again = await b.outbox.claimDue(35_000, 10, 30_000);
      expect(ids(again)).toEqual(["a1"]);
      return { retry: seen(retry), again: again.map(seen) };
    });
  });

  it("a dead head lets the queue move on; resend puts it at the end, pending with a fresh window", async () => {
    await sameOnBoth(async (b) => {
      await b.enqueue([msg("a1", "A"), msg("a2", "A")]);
      await b.outbox.claimDue(1_000, 10, 30_000);
      await b.outbox.markDead("a1", ko(1_000));
      const [next] = await b.outbox.claimDue(1_001, 10, 30_000);
      expect(next!.id).toBe("a2");
      expect(await b.outbox.resend({ ids: ["a1"] }, 2_000)).toBe(1);
      const resent = await b.outbox.get("a1");
      // Behind a2, still pending: it waits (no due instant) until a2 is settled.
      expect(resent).toMatchObject({ status: "pending", firstAttemptAt: null, nextAttemptAt: null });
      expect(resent!.position).toBeGreaterThan(next!.position);
      await b.outbox.markDelivered("a2", ok(2_000));
      const after = await b.outbox.claimDue(2_000, 10, 30_000);
      expect(ids(after)).toEqual(["a1"]);
      // A resent message alone in its queue is its head at once; a pending one is not resent.
      await b.outbox.markDead("a1", ko(2_000));
      expect(await b.outbox.resend({ ids: ["a1", "a1", "nope"] }, 3_000)).toBe(1);
      expect(await b.outbox.resend({ ids: ["a1"] }, 3_000)).toBe(0);
      return { resent: seen(resent), after: after.map(seen), alone: seen(await b.outbox.get("a1")) };
    });
  });

  it("resends by receipt code: the dead ones and the latest delivered, per destination", async () => {
    await sameOnBoth(async (b) => {
      await b.enqueue([msg("a1", "A"), msg("a2", "A"), msg("b1", "B"), msg("h1", "A", { destination: hook, eventType: "dossier.received" })]);
      await b.enqueue([msg("h2", "A", { destination: hook, eventType: "dossier.received" })]);
      for (const id of ["a1", "a2", "b1", "h1"]) {
        await b.outbox.claimDue(1_000, 10, 1);
        await b.outbox.markDelivered(id, ok(1_000));
      }
      await b.outbox.claimDue(1_000, 10, 1);
      await b.outbox.markDead("h2", ko(1_000));
      expect(await b.outbox.resend({ receiptCodes: ["A"] }, 3_000)).toBe(2);
      expect((await b.outbox.get("a2"))!.status).toBe("pending");
      expect((await b.outbox.get("a1"))!.status).toBe("delivered");
      expect((await b.outbox.get("h2"))!.status).toBe("pending");
      expect(await b.outbox.resend({ receiptCodes: ["B"], destinationKind: "webhook" }, 3_000)).toBe(0);
      expect(await b.outbox.resend({ receiptCodes: ["B"], destinationKind: "portal" }, 3_000)).toBe(1);
      return Promise.all(["a1", "a2", "b1", "h1", "h2"].map(async (id) => seen(await b.outbox.get(id))));
    });
  });

  it("reports the backlog per destination, and logs every attempt", async () => {
    await sameOnBoth(async (b) => {
      await b.enqueue([msg("a1", "A", { createdAt: 500 }), msg("a2", "A", { createdAt: 600 }), msg("h1", "A", { destination: hook, eventType: "dossier.received", createdAt: 700 })]);
      await b.enqueue([msg("z1", "Z", { destination: { kind: "webhook", id: "Wh_0" }, eventType: "dossier.received", createdAt: 800 })]);
      await b.outbox.claimDue(1_000, 10, 30_000);
      await b.outbox.markFailed("a1", ko(1_000), 1_500);
      await b.outbox.claimDue(1_500, 10, 30_000);
      await b.outbox.markDelivered("a1", { ...ok(1_500), durationMs: 4.6 });
      await b.outbox.markDead("h1", { ...ko(1_000), error: "x".repeat(600) });
      const backlog = await b.outbox.backlog(10_000);
      expect(backlog).toMatchObject({ pending: 2, dead: 1, oldestUndeliveredAt: 600, oldestUndeliveredAgeMs: 9_400 });
      expect(backlog.byDestination.map((d) => d.destination)).toEqual([PORTAL_DESTINATION, { kind: "webhook", id: "Wh_0" }, hook]);
      const log = await b.outbox.listDeliveries(PORTAL_DESTINATION, 10);
      expect(log.map((d) => [d.messageId, d.attempt, d.outcome, d.nextAttemptAt, d.durationMs])).toEqual([
        ["a1", 2, "delivered", null, 5],
        ["a1", 1, "http_error", 1_500, 5],
      ]);
      const [dead] = await b.outbox.listDeliveries(hook, 10);
      expect(dead!.error).toHaveLength(500);
      // Paging: before the newest entry's id.
      const older = await b.outbox.listDeliveries(PORTAL_DESTINATION, 10, log[0]!.id);
      expect(older.map((d) => d.attempt)).toEqual([1]);
      const strip = (entries: typeof log) => entries.map(({ id: _id, ...rest }) => rest);
      return { backlog, log: strip(log), dead: strip([dead!]), older: strip(older), empty: await b.outbox.backlog(10_000).then(() => b.outbox.listDeliveries(hook, 0)) };
    });
  });

  it("only queue heads carry a due instant; settling a head promotes the next of its queue, due from the settlement", async () => {
    await sameOnBoth(async (b) => {
      for (let i = 0; i < 50; i++) await b.enqueue([msg(`m${i}`, `K${i % 5}`)]);
      const heads = ids(await b.outbox.claimDue(2_000, 100, 30_000));
      expect(heads).toEqual(["m0", "m1", "m2", "m3", "m4"]);
      expect((await b.outbox.get("m5"))!.nextAttemptAt).toBeNull();
      await b.outbox.markDelivered("m0", ok(2_000));
      expect((await b.outbox.get("m5"))!.nextAttemptAt).toBe(2_000);
      await b.outbox.markFailed("m1", ko(2_000), 9_000);
      expect((await b.outbox.get("m6"))!.nextAttemptAt).toBeNull();
      return { heads, queues: [...(await b.pendingQueues())] };
    });
  });

  it("coalesces snapshots: a newer portal record replaces the one still waiting behind the head", async () => {
    await sameOnBoth(async (b) => {
      await b.enqueue([msg("r1", "A", { coalesce: true })]);
      await b.enqueue([msg("r2", "A", { coalesce: true, payload: "v2" })]);
      await b.enqueue([msg("r3", "A", { coalesce: true, payload: "v3", eventType: "dossier.status_changed" })]);
      await b.enqueue([msg("h1", "A", { destination: hook, eventType: "dossier.received" }), msg("h2", "A", { destination: hook, eventType: "dossier.received" })]);
      // Within one write too: the second snapshot of a batch replaces the first when it waits.
      await b.enqueue([msg("s1", "S", { coalesce: true }), msg("s2", "S", { coalesce: true, payload: "w2" }), msg("s3", "S", { coalesce: true, payload: "w3" })]);
      expect((await b.outbox.backlog(2_000)).byDestination.map((d) => [d.destination.kind, d.pending])).toEqual([
        ["portal", 4],
        ["webhook", 2],
      ]);
      expect(await b.outbox.get("r3")).toBeUndefined();
      expect(await b.outbox.get("r2")).toMatchObject({ payload: "v3", eventType: "dossier.status_changed", createdAt: 1_000 });
      expect((await b.outbox.get("s2"))!.payload).toBe("w3");
      // The head is never replaced (it may be in flight): after it, the waiting one carries the latest.
      const claimed = await b.outbox.claimDue(2_000, 10, 30_000);
      expect(ids(claimed.filter((m) => m.destination.kind === "portal"))).toEqual(["r1", "s1"]);
      // Once attempted, the waiting one is not replaced: a failed head is not the tail either.
      await b.outbox.markFailed("r1", ko(2_000), 3_000);
      await b.enqueue([msg("r4", "A", { coalesce: true, payload: "v4" })]);
      expect((await b.outbox.get("r2"))!.payload).toBe("v4");
      return Promise.all(["r1", "r2", "r3", "r4", "s1", "s2", "s3", "h1", "h2"].map(async (id) => seen(await b.outbox.get(id))));
    });
  });

  it("refuses a duplicate id, and the whole write with it", async () => {
    await sameOnBoth(async (b) => {
      await b.enqueue([msg("a1", "A")]);
      await expect(b.enqueue([msg("b1", "B"), msg("a1", "A")])).rejects.toThrow();
      expect(await b.outbox.get("b1")).toBeUndefined();
      return (await b.outbox.backlog(2_000)).pending;
    });
  });

  it("settles a batch in one call, in order; postpone ends the lease without counting an attempt", async () => {
    await sameOnBoth(async (b) => {
      await b.enqueue([msg("a1", "A"), msg("a2", "A"), msg("b1", "B"), msg("c1", "C"), msg("c2", "C")]);
      await b.outbox.claimDue(1_000, 10, 30_000);
      await b.outbox.settle([
        { id: "a1", result: "delivered", attempt: ok(1_100) },
        { id: "b1", result: "failed", attempt: ko(1_100), nextAttemptAt: 4_000 },
        { id: "c1", result: "dead", attempt: ko(1_100) },
        // A second settlement of one message changes nothing (it is no longer pending).
        { id: "a1", result: "dead", attempt: ko(1_200) },
      ]);
      await b.outbox.settle([]);
      const claimed = await b.outbox.claimDue(1_100, 10, 30_000);
      expect(ids(claimed)).toEqual(["a2", "c2"]);
      await b.outbox.postpone("a2", 9_000);
      expect(ids(await b.outbox.claimDue(8_999, 10, 30_000))).toEqual(["b1"]);
      const later = await b.outbox.claimDue(9_000, 10, 30_000);
      expect(ids(later)).toEqual(["a2"]);
      return {
        claimed: claimed.map(seen),
        later: later.map(seen),
        all: await Promise.all(["a1", "a2", "b1", "c1", "c2"].map(async (id) => seen(await b.outbox.get(id)))),
        log: (await b.outbox.listDeliveries(PORTAL_DESTINATION, 10)).map(({ id: _id, ...rest }) => rest),
      };
    });
  });

  it("purges delivered messages and their log after the retention", async () => {
    await sameOnBoth(async (b) => {
      await b.enqueue([msg("a1", "A"), msg("a2", "A"), msg("b1", "B")]);
      await b.outbox.claimDue(1_000, 10, 30_000);
      await b.outbox.markDelivered("a1", ok(1_000));
      await b.outbox.markDelivered("b1", ok(1_010));
      expect(await b.outbox.purgeDelivered(1_006)).toBe(1);
      expect(await b.outbox.get("a1")).toBeUndefined();
      expect((await b.outbox.listDeliveries(PORTAL_DESTINATION, 10)).map((d) => d.messageId)).toEqual(["b1"]);
      expect((await b.outbox.get("a2"))!.status).toBe("pending");
      return { purgedAgain: await b.outbox.purgeDelivered(1_006), b1: seen(await b.outbox.get("b1")) };
    });
  });

  it("a settled message is not changed by a late mark (a resend or dead-letter won)", async () => {
    await sameOnBoth(async (b) => {
      await b.enqueue([msg("a1", "A")]);
      await b.outbox.claimDue(1_000, 10, 30_000);
      await b.outbox.markDead("a1", ko(1_000));
      await b.outbox.markDelivered("a1", ok(1_001));
      await b.outbox.markFailed("a1", ko(1_001), 5_000);
      await b.outbox.postpone("a1", 9_000);
      expect((await b.outbox.get("a1"))!.status).toBe("dead");
      expect(await b.outbox.listDeliveries(PORTAL_DESTINATION, 10)).toHaveLength(1);
      return seen(await b.outbox.get("a1"));
    });
  });
});

describe("the outbox under random operations (property), the same on both backends", () => {
  it("every step observes the same, and every queue with pending messages has exactly one head, its first", async () => {
    const sqlite = await makeSqlite();
    const postgres = await makePostgres();
    const op = fc.oneof(
      fc.record({ kind: fc.constant("enqueue" as const), keys: fc.array(fc.constantFrom("A", "B", "C"), { minLength: 1, maxLength: 3 }), hook: fc.boolean(), coalesce: fc.boolean() }),
      fc.record({ kind: fc.constant("claim" as const), limit: fc.integer({ min: 1, max: 10 }) }),
      fc.record({ kind: fc.constant("settle" as const), how: fc.constantFrom("delivered", "failed", "dead"), pick: fc.nat(20) }),
      fc.record({ kind: fc.constant("postpone" as const), pick: fc.nat(20) }),
      fc.record({ kind: fc.constant("resend" as const), pick: fc.nat(40) }),
      fc.record({ kind: fc.constant("resendDossier" as const), key: fc.constantFrom("A", "B", "C") }),
      fc.record({ kind: fc.constant("purge" as const) }),
      fc.record({ kind: fc.constant("tick" as const), ms: fc.integer({ min: 1, max: 5_000 }) }),
    );
    type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;
    /** Plays `ops` on one backend; returns what each step observed. */
    const play = async (b: Backend, ops: readonly Op[]) => {
      await b.reset();
      const observed: unknown[] = [];
      let clock = 1_000;
      let n = 0;
      let claimed: string[] = [];
      for (const o of ops) {
        if (o.kind === "enqueue")
          await b.enqueue(
            o.keys.map((key) => msg(`m${n++}`, key, o.hook ? { destination: hook, eventType: "dossier.received", createdAt: clock } : { createdAt: clock, coalesce: o.coalesce, payload: `p${n}` })),
          );
        else if (o.kind === "claim") {
          const got = await b.outbox.claimDue(clock, o.limit, 2_000);
          observed.push(got.map(seen));
          claimed = [...claimed, ...ids(got)];
        } else if (o.kind === "settle" && claimed.length > 0) {
          const id = claimed[o.pick % claimed.length]!;
          claimed = claimed.filter((c) => c !== id);
          if (o.how === "delivered") await b.outbox.markDelivered(id, ok(clock));
          else if (o.how === "dead") await b.outbox.markDead(id, ko(clock));
          else await b.outbox.markFailed(id, ko(clock), clock + 100);
        } else if (o.kind === "postpone" && claimed.length > 0) {
          const id = claimed[o.pick % claimed.length]!;
          claimed = claimed.filter((c) => c !== id);
          await b.outbox.postpone(id, clock + 50);
        } else if (o.kind === "resend" && n > 0) observed.push(await b.outbox.resend({ ids: [`m${o.pick % n}`] }, clock));
        else if (o.kind === "resendDossier") observed.push(await b.outbox.resend({ receiptCodes: [o.key] }, clock));
        else if (o.kind === "purge") observed.push(await b.outbox.purgeDelivered(clock - 2_000));
        else if (o.kind === "tick") clock += o.ms;

        const queues = await b.pendingQueues();
        for (const dues of queues.values()) {
          expect(dues[0]).not.toBeNull();
          expect(dues.slice(1).every((due) => due === null)).toBe(true);
        }
        observed.push([...queues].sort());
      }
      observed.push(await b.outbox.backlog(clock));
      observed.push(await Promise.all(Array.from({ length: n }, async (_, i) => seen(await b.outbox.get(`m${i}`)))));
      return observed;
    };
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
          expect(await play(postgres, ops)).toEqual(await play(sqlite, ops));
        }),
        { numRuns: 40, seed: 16 },
      );
    } finally {
      await sqlite.dispose();
      await postgres.dispose();
    }
  }, 120_000);
});

// --- Several instances on one PostgreSQL database ----------------------------------------------

describe("several instances on one PostgreSQL database", () => {
  it("dispatchers on two pools claiming concurrently deliver every message exactly once, in order per queue", async () => {
    const database = await postgresDatabase(2, 4);
    try {
      const [one, two] = database.handles.map((h) => createPostgresOutboxRepository(h.db));
      const { db } = database.handles[0]!;
      // A backlog: 40 queues (two destinations × 20 dossiers) of 8 messages, enqueued interleaved.
      const expected = new Map<string, string[]>();
      for (let round = 0; round < 8; round++)
        await db.transaction(async (tx) => {
          const batch: NewOutboxMessage[] = [];
          for (let d = 0; d < 20; d++)
            for (const destination of [PORTAL_DESTINATION, hook]) {
              const m = msg(`m-${destination.kind}-${d}-${round}`, `D${d}`, { destination, eventType: destination.kind === "portal" ? "portal.record" : "dossier.received" });
              batch.push(m);
              const q = queueName(destination.kind, destination.id, m.orderingKey);
              expected.set(q, [...(expected.get(q) ?? []), m.id]);
            }
          await enqueueMessages(tx, batch);
        });
      const total = 8 * 40;
      const delivered: { id: string; queue: string; worker: string }[] = [];
      const now = 10_000;
      // Three dispatch loops per instance: claim a few, settle them together (group commit), until dry.
      const worker = async (outbox: OutboxRepository, name: string) => {
        let idle = 0;
        while (idle < 3) {
          const claimed = await outbox.claimDue(now, 4, 60_000);
          if (claimed.length === 0) {
            idle++;
            await new Promise((resolve) => setTimeout(resolve, 5));
            continue;
          }
          idle = 0;
          for (const m of claimed) delivered.push({ id: m.id, queue: queueName(m.destination.kind, m.destination.id, m.orderingKey), worker: name });
          await outbox.settle(claimed.map((m) => ({ id: m.id, result: "delivered" as const, attempt: ok(now) })));
        }
      };
      await Promise.all([worker(one!, "1a"), worker(one!, "1b"), worker(one!, "1c"), worker(two!, "2a"), worker(two!, "2b"), worker(two!, "2c")]);

      expect(delivered).toHaveLength(total);
      expect(new Set(delivered.map((d) => d.id)).size).toBe(total);
      const byQueue = new Map<string, string[]>();
      for (const d of delivered) byQueue.set(d.queue, [...(byQueue.get(d.queue) ?? []), d.id]);
      expect(byQueue).toEqual(expected);
      // Both instances did part of the work (otherwise this raced nothing).
      expect(new Set(delivered.map((d) => d.worker[0])).size).toBe(2);
      expect(await one!.backlog(now)).toMatchObject({ pending: 0, dead: 0 });
    } finally {
      await database.drop();
    }
  }, 60_000);

  it("writers enqueueing into the same queues from two pools, while dispatchers settle, keep one head per queue and lose nothing", async () => {
    const database = await postgresDatabase(2, 6);
    try {
      const pools = database.handles.map((h) => ({ db: h.db, outbox: createPostgresOutboxRepository(h.db) }));
      const random = seededRandom(16);
      const keys = ["A", "B", "C"];
      const written = new Map<string, string[]>();
      let n = 0;
      let writing = true;
      const writer = async (p: (typeof pools)[number], name: string) => {
        for (let i = 0; i < 25; i++) {
          const key = keys[Math.floor(random() * keys.length)]!;
          const id = `w${name}-${n++}`;
          await p.db.transaction(async (tx) => {
            await enqueueMessages(tx, [msg(id, key, { destination: hook, eventType: "dossier.received" })]);
            // Held a moment, as a dossier write holds its transaction open: the others must wait, not guess.
            await tx.execute(sql`select pg_sleep(${random() * 0.003})`);
          });
          written.set(key, [...(written.get(key) ?? []), id]);
        }
      };
      const delivered = new Map<string, string[]>();
      const dispatcher = async (p: (typeof pools)[number]) => {
        let idle = 0;
        while (writing || idle < 3) {
          const claimed = await p.outbox.claimDue(10_000, 10, 60_000);
          if (claimed.length === 0) {
            if (!writing) idle++;
            await new Promise((resolve) => setTimeout(resolve, 3));
            continue;
          }
          idle = 0;
          for (const m of claimed) delivered.set(m.orderingKey, [...(delivered.get(m.orderingKey) ?? []), m.id]);
          await p.outbox.settle(claimed.map((m) => ({ id: m.id, result: "delivered" as const, attempt: ok(10_000) })));
        }
      };
      const writers = Promise.all([writer(pools[0]!, "a"), writer(pools[0]!, "b"), writer(pools[1]!, "c"), writer(pools[1]!, "d")]).finally(() => {
        writing = false;
      });
      await Promise.all([writers, dispatcher(pools[0]!), dispatcher(pools[1]!)]);

      // Each queue delivered everything written to it, in the order the writes committed.
      expect([...delivered.keys()].sort()).toEqual([...written.keys()].sort());
      for (const [key, list] of written) expect(delivered.get(key), key).toEqual(list);
      expect(await pools[0]!.outbox.backlog(10_000)).toMatchObject({ pending: 0 });
    } finally {
      await database.drop();
    }
  }, 60_000);
});

// --- The moment schedule -----------------------------------------------------------------------

const moment = (key: string, at: number, over: Partial<Moment> = {}): Moment => ({
  key,
  eventType: "dossier.at_risk",
  at,
  expiresAt: null,
  detail: { kind: "at_risk", percent: 75, dueAt: at + 1_000, periodStartedAt: 0 },
  ...over,
});
/** A dossier write's outbound part: its messages now, and a fixed plan. */
const change = (messages: readonly NewOutboxMessage[], plan: readonly Moment[]): OutboundOf => () => ({ messages, moments: (fired) => plan.filter((m) => !fired.has(m.key)) });
/** What a due moment sends: one webhook message, with an id of the sending instance's own (as a fresh UUID would be). */
const firing = (instance: string) => (m: ScheduledMoment): FiringMoment => ({
  moment: m,
  messages: [{ id: `msg_${instance}_${m.receiptCode}_${m.key}`, orderingKey: m.receiptCode, receiptCode: m.receiptCode, destination: hook, eventType: m.eventType, payload: JSON.stringify(m.detail), createdAt: m.at }],
});

describe("the moment schedule, on SQLite and PostgreSQL alike", () => {
  it("a write queues its messages and plans its moments in its own transaction; a rolled-back write leaves neither", async () => {
    await sameOnBoth(async (b) => {
      await b.write("A-1", change([msg("a1", "A-1")], [moment("k1", 5_000)]), 1_000, true);
      expect(await b.scheduleOf("A-1")).toEqual({});
      expect((await b.outbox.backlog(1_000)).pending).toBe(0);
      await b.write("A-1", change([msg("a1", "A-1")], [moment("k1", 5_000), moment("k2", 6_000, { expiresAt: 7_000 })]), 1_000);
      expect(await b.scheduleOf("A-1")).toEqual({ k1: { at: 5_000, fired: null }, k2: { at: 6_000, fired: null } });
      return { due: await b.schedule.due(10_000, 10), next: await b.schedule.nextDueAt(), a1: seen(await b.outbox.get("a1")) };
    });
  });

  it("lists due moments earliest first (ties in bytewise order), fires each once, skips what fired, drops what expired", async () => {
    await sameOnBoth(async (b) => {
      expect(await b.schedule.nextDueAt()).toBeNull();
      // Receipt codes whose en-US order is not their bytewise order.
      for (const code of ["b-1", "B-2", "a.1", "A1"]) await b.write(code, change([], [moment("overdue:p0", 5_000), moment("at_risk:90:p0", 4_000, { expiresAt: 4_500 })]), 1_000);
      await b.write("C-1", change([], [moment("at_risk:75:p0", 3_000)]), 1_000);
      expect(await b.schedule.nextDueAt()).toBe(3_000);
      const due = await b.schedule.due(5_000, 100);
      expect(due.map((m) => `${m.at} ${m.receiptCode} ${m.key}`)).toEqual([
        "3000 C-1 at_risk:75:p0",
        "4000 A1 at_risk:90:p0",
        "4000 B-2 at_risk:90:p0",
        "4000 a.1 at_risk:90:p0",
        "4000 b-1 at_risk:90:p0",
        "5000 A1 overdue:p0",
        "5000 B-2 overdue:p0",
        "5000 a.1 overdue:p0",
        "5000 b-1 overdue:p0",
      ]);
      expect(await b.schedule.due(4_000, 3)).toEqual(due.slice(0, 3));
      const batch = due.slice(0, 6).map(firing("one"));
      // The at-risk ones fire at 4 600, past their expiry: marked, not sent. A repeated moment fires once.
      expect(await b.schedule.fire([...batch, batch[0]!], 4_600)).toBe(2);
      expect(await b.schedule.fire(due.map(firing("two")), 4_700)).toBe(3);
      expect(await b.schedule.fire([], 4_700)).toBe(0);
      expect(await b.schedule.due(10_000, 100)).toEqual([]);
      expect(await b.schedule.nextDueAt()).toBeNull();
      const sent = (await b.outbox.claimDue(10_000, 100, 1_000)).map((m) => m.id).sort();
      expect(sent).toEqual(["msg_one_A1_overdue:p0", "msg_one_C-1_at_risk:75:p0", "msg_two_B-2_overdue:p0", "msg_two_a.1_overdue:p0", "msg_two_b-1_overdue:p0"]);
      return { due, sent, schedule: await Promise.all(["A1", "C-1", "b-1"].map((code) => b.scheduleOf(code))) };
    });
  });

  it("a re-plan keeps what fired (each threshold fires once) and replaces what did not", async () => {
    await sameOnBoth(async (b) => {
      await b.write("A-1", change([], [moment("k1", 2_000), moment("k2", 3_000)]), 1_000);
      expect(await b.schedule.fire((await b.schedule.due(2_000, 10)).map(firing("one")), 2_000)).toBe(1);
      // The next write plans k1 again (the plan ignores what fired), moves k2 and adds k3.
      await b.write("A-1", () => ({ messages: [], moments: () => [moment("k1", 9_000), moment("k2", 8_000), moment("k3", 7_000)] }), 2_500);
      const schedule = await b.scheduleOf("A-1");
      expect(schedule).toEqual({ k1: { at: 2_000, fired: 2_000 }, k2: { at: 8_000, fired: null }, k3: { at: 7_000, fired: null } });
      // A moment re-planned away is not fired by a batch read before.
      const stale = (await b.schedule.due(9_000, 10)).map(firing("one"));
      await b.write("A-1", change([], [moment("k3", 7_000)]), 3_000);
      expect(await b.schedule.fire(stale, 9_000)).toBe(1);
      return { schedule, after: await b.scheduleOf("A-1"), backlog: await b.outbox.backlog(9_000) };
    });
  });

  it("the scheduler fires a real dossier's plan once per threshold, re-plans keeping what fired", async () => {
    const calendar = createWorkingCalendar(DEFAULT_CALENDAR_RULES, vnDaysOfYear);
    const at = (iso: string) => Date.parse(iso);
    const A = "000.00.12.H22";
    const CODE = "000.00.12.H22-250707-0001";
    const RECEIVED = at("2025-07-07T08:00:00+07:00");
    const ev = (id: string, type: DossierEvent["type"], iso: string, fields: Record<string, unknown> = {}): DossierEvent =>
      ({ eventId: id, type, occurredAt: at(iso), agencyCode: A, ...fields }) as DossierEvent;
    const facts: DossierFacts = {
      receivedAt: RECEIVED,
      receivingAgencyCode: A,
      handlingAgencyCode: A,
      committedDuration: { value: 5, unit: "working_days" },
      legalDuration: { value: 7, unit: "working_days" },
      supplementPolicy: null,
      supplementCompletion: null,
      channel: "online",
      submittedAt: null,
      steps: [],
      originalDueAt: computeDueAt(calendar, RECEIVED, { value: 5, unit: "working_days" }),
    };
    await sameOnBoth(async (b) => {
      let clock = RECEIVED;
      const write = (events: DossierEvent[]) => {
        const r = replayDossier(facts, events, calendar);
        if (!r.ok) throw new Error(r.violation.message);
        return b.write(CODE, () => ({ messages: [], moments: (fired) => planMoments({ replay: r.replay, calendar, fired }) }), clock);
      };
      const s = createMomentScheduler({ schedule: b.schedule, messagesOf: async (m, firedAt) => [{ ...firing("x")(m).messages[0]!, createdAt: firedAt }], now: () => clock });
      const transfer = ev("t", "transferred", "2025-07-07T09:00:00+07:00", { toAgencyCode: A });
      await write([transfer]);
      const fired: number[] = [await s.runDue()];
      clock = at("2025-07-10T15:30:00+07:00"); // 75 %
      fired.push(await s.runDue(), await s.runDue());
      await write([transfer]); // a later write re-plans: the 75 % does not come back
      fired.push(await s.runDue());
      const restart = [transfer, ev("q", "supplement_requested", "2025-07-10T16:00:00+07:00", { reason: "x" }), ev("g", "supplement_received", "2025-07-11T08:00:00+07:00")];
      clock = at("2025-07-11T08:00:00+07:00");
      await write(restart);
      clock = (await b.schedule.nextDueAt())!;
      fired.push(await s.runDue());
      clock = at("2025-07-30T08:00:00+07:00"); // long past the due instant: the stale warnings are dropped
      fired.push(await s.runDue());
      expect(fired.slice(0, 5)).toEqual([0, 1, 0, 0, 1]);
      expect(fired[5]).toBeGreaterThanOrEqual(1);
      return { fired, schedule: await b.scheduleOf(CODE), backlog: await b.outbox.backlog(clock), sent: (await b.outbox.claimDue(clock, 100, 1)).map(seen) };
    });
  });
});

describe("several schedulers on one PostgreSQL database", () => {
  it("firing the same due moments from two pools at once sends each moment's messages once", async () => {
    const database = await postgresDatabase(2, 4);
    try {
      const [one, two] = database.handles.map((h) => ({ db: h.db, schedule: createPostgresScheduleRepository(h.db), outbox: createPostgresOutboxRepository(h.db) }));
      // 30 dossiers × 4 moments, all due; plus messages already queued for some of them.
      for (let d = 0; d < 30; d++)
        await one!.db.transaction((tx) =>
          writeOutbound(tx, `D-${d}`, change(d % 3 === 0 ? [msg(`w-${d}`, `D-${d}`, { destination: hook, eventType: "dossier.received" })] : [], [0, 1, 2, 3].map((k) => moment(`k${k}`, 1_000 + ((d * 7 + k * 13) % 50)))), 500),
        );
      const total = 30 * 4;
      const sentBy: Record<string, number> = {};
      const offeredBy: Record<string, number> = {};
      // Each instance: read what is due, fire it (two loops per instance, small batches, so they overlap).
      const loop = async (instance: { schedule: MomentScheduleRepository }, name: string) => {
        sentBy[name] = 0;
        offeredBy[name] = 0;
        for (;;) {
          const due = await instance.schedule.due(2_000, 7);
          if (due.length === 0) return;
          offeredBy[name] += due.length;
          sentBy[name] += await instance.schedule.fire(due.map(firing(name)), 2_000);
        }
      };
      await Promise.all([loop(one!, "1a"), loop(one!, "1b"), loop(two!, "2a"), loop(two!, "2b")]);

      expect(Object.values(sentBy).reduce((a, b) => a + b, 0)).toBe(total);
      const rows = (await one!.db.execute(sql`select id, ordering_key from outbox_messages where id like 'msg_%'`)).rows as { id: string; ordering_key: string }[];
      expect(rows).toHaveLength(total);
      // One message per moment, whichever instance sent it.
      const perMoment = new Map<string, number>();
      for (const r of rows) {
        const momentId = r.id.replace(/^msg_[^_]+_/, "");
        perMoment.set(momentId, (perMoment.get(momentId) ?? 0) + 1);
      }
      expect(perMoment.size).toBe(total);
      expect([...perMoment.values()].every((count) => count === 1)).toBe(true);
      // They raced: both instances handed moments to `fire`, more than there were moments.
      expect(offeredBy["1a"]! + offeredBy["1b"]!).toBeGreaterThan(0);
      expect(offeredBy["2a"]! + offeredBy["2b"]!).toBeGreaterThan(0);
      expect(Object.values(offeredBy).reduce((a, b) => a + b, 0)).toBeGreaterThan(total);
      expect(await one!.schedule.nextDueAt()).toBeNull();
      // And each dossier's queue still has exactly one head.
      const heads = (await one!.db.execute(sql`select ordering_key, count(*) filter (where next_attempt_at is not null) as heads from outbox_messages group by ordering_key`)).rows as {
        heads: string;
      }[];
      expect(heads.every((h) => Number(h.heads) === 1)).toBe(true);
    } finally {
      await database.drop();
    }
  }, 60_000);

  it("two instances re-planning one dossier at once leave one plan or the other, never a mix", async () => {
    const database = await postgresDatabase(2, 2);
    try {
      const [one, two] = database.handles.map((h) => h.db);
      const planA = [moment("shared", 5_000), moment("onlyA", 6_000)];
      const planB = [moment("shared", 7_000), moment("onlyB", 8_000)];
      const asRows = (plan: readonly Moment[]) => Object.fromEntries(plan.map((m) => [m.key, m.at]));
      for (let round = 0; round < 40; round++) {
        const replan = (db: typeof one, plan: readonly Moment[]) =>
          db!.transaction(async (tx) => {
            await replanMoments(tx, "D-1", () => plan, round);
            // Held a moment (the rest of a dossier write), so that the other one runs into it.
            await tx.execute(sql`select pg_sleep(0.002)`);
          });
        await Promise.all([replan(one, planA), replan(two, planB)]);
        const rows = (await one!.execute(sql`select moment_key, due_at from outbound_schedule where receipt_code = 'D-1'`)).rows as { moment_key: string; due_at: string }[];
        const plan = Object.fromEntries(rows.map((r) => [r.moment_key, Number(r.due_at)]));
        expect([asRows(planA), asRows(planB)]).toContainEqual(plan);
      }
    } finally {
      await database.drop();
    }
  }, 60_000);
});
