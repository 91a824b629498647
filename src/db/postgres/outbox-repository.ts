/**
 * The outbox on PostgreSQL (contract: src/services/outbound/outbox-ports.ts), the same statements
 * as src/db/sqlite/outbox-repository.ts, for SEVERAL app instances on one database (issue #16).
 * SQLite has one writer, so its reads-then-writes are atomic for free; here two instances run
 * them at once, and each queue's invariant — exactly one head (the pending message with the
 * lowest position carries `next_attempt_at`, the others wait with null) — needs two things:
 *
 * - Claiming is ONE statement: `UPDATE … FROM (SELECT … FOR UPDATE SKIP LOCKED)`. A head another
 *   dispatcher is claiming is locked and skipped, one it has just claimed is re-checked after the
 *   lock (READ COMMITTED re-evaluates the WHERE on the newest row version) and found leased, so no
 *   message is handed to two dispatchers; and a claim never waits for anybody.
 * - Whatever reads a queue to decide its head (enqueue: "is the queue busy?", coalescing: "which
 *   is the waiting tail?", settlement: "promote the next", resend: "busy, or the new head?") first
 *   takes a transaction-scoped advisory lock on that queue. Under READ COMMITTED, two transactions
 *   enqueueing on one empty queue would otherwise both see it empty and insert two heads (each
 *   statement sees only what was committed when it began), and a settlement racing an enqueue
 *   would promote nothing while the enqueue inserted a follower behind a head that was going
 *   away: a queue stuck for ever. Under the lock, each such transaction starts its reads after
 *   the previous one committed, which is what SQLite's single writer gives. A unique partial
 *   index ("one head per queue") would detect the first race but not the second, and turn both
 *   into errors instead of the right order; SERIALIZABLE would turn them into retries.
 *   The lock is also why positions follow commit order within a queue: `nextval` is taken under it.
 *
 * Locks are always taken in ascending key order, all of a transaction's queues at once
 * (advisory-locks.ts), before any row of outbound_schedule (schedule-repository.ts, outbound-writes.ts):
 * two transactions never wait for each other in a cycle. A dossier write takes its dossier row,
 * then its queues, then its schedule rows; `fire` its queues, then its schedule rows; settlement
 * its queues, then outbox rows (a claim holds those only for its one statement and waits for
 * nothing).
 */
import { sql, type SQL } from "drizzle-orm";
import type { DeliveryOutcome, DestinationKind, OutboundEventType, OutboxStatus } from "../../domain/outbound/outbound-types.js";
import type {
  DeliveryAttempt,
  Destination,
  DestinationBacklog,
  LoggedDelivery,
  NewOutboxMessage,
  OutboxMessage,
  OutboxRepository,
  SettleOutcome,
} from "../../services/outbound/outbox-ports.js";
import type { PgDb } from "./pg-client.js";
import type { PgTx } from "./transactions.js";
import { toNumber, toNumberOrNull } from "./pg-numbers.js";
import { lockQueues, type QueueRef } from "./advisory-locks.js";

/** The pool or a transaction: anything that runs a statement. */
type Runner = Pick<PgDb, "execute"> | PgTx;

async function rows<T>(runner: Runner, query: SQL): Promise<T[]> {
  return (await runner.execute(query)).rows as T[];
}

interface MessageRow {
  id: string;
  position: string;
  ordering_key: string;
  receipt_code: string | null;
  destination_kind: DestinationKind;
  destination_id: string;
  event_type: OutboundEventType;
  payload: string;
  created_at: string;
  status: OutboxStatus;
  attempts: string;
  first_attempt_at: string | null;
  next_attempt_at: string | null;
  last_error: string | null;
  delivered_at: string | null;
}

const toMessage = (r: MessageRow): OutboxMessage => ({
  id: r.id,
  position: toNumber(r.position),
  orderingKey: r.ordering_key,
  receiptCode: r.receipt_code,
  destination: { kind: r.destination_kind, id: r.destination_id },
  eventType: r.event_type,
  payload: r.payload,
  createdAt: toNumber(r.created_at),
  status: r.status,
  attempts: toNumber(r.attempts),
  firstAttemptAt: toNumberOrNull(r.first_attempt_at),
  nextAttemptAt: toNumberOrNull(r.next_attempt_at),
  lastError: r.last_error,
  deliveredAt: toNumberOrNull(r.delivered_at),
});

const COLUMN_NAMES = [
  "id",
  "position",
  "ordering_key",
  "receipt_code",
  "destination_kind",
  "destination_id",
  "event_type",
  "payload",
  "created_at",
  "status",
  "attempts",
  "first_attempt_at",
  "next_attempt_at",
  "last_error",
  "delivered_at",
] as const;
const COLUMNS = sql.raw(COLUMN_NAMES.join(", "));
const M_COLUMNS = sql.raw(COLUMN_NAMES.map((c) => `m.${c}`).join(", "));

/** Error texts are kept short: they are diagnostics, not payloads. */
const clip = (text: string | null) => (text === null ? null : text.length > 500 ? `${text.slice(0, 497)}...` : text);

// --- Queue locks (advisory-locks.ts) ----------------------------------------------------------

const queueOfMessage = (m: NewOutboxMessage): QueueRef => ({ kind: m.destination.kind, destinationId: m.destination.id, orderingKey: m.orderingKey });

/** The queues of stored messages, by id. */
async function queuesOf(tx: PgTx, ids: readonly string[]): Promise<QueueRef[]> {
  if (ids.length === 0) return [];
  const found = await rows<{ destination_kind: string; destination_id: string; ordering_key: string }>(
    tx,
    sql`select distinct destination_kind, destination_id, ordering_key from outbox_messages where id = any(${sql.param([...ids])}::text[])`,
  );
  return found.map((r) => ({ kind: r.destination_kind, destinationId: r.destination_id, orderingKey: r.ordering_key }));
}

// --- Enqueue (inside the caller's transaction) ----------------------------------------------------

/**
 * Queues `messages` inside the caller's transaction (the dossier write's, or `fire`'s): they commit
 * or roll back with it. Same semantics as the SQLite `enqueue`: a message becomes its queue's head
 * (due at its createdAt) when the queue has no pending message, else waits behind; a coalescing
 * snapshot replaces the body of the queue's waiting tail instead. Throws on a duplicate id (the
 * unique index), which aborts the transaction.
 */
export async function enqueueMessages(tx: PgTx, messages: readonly NewOutboxMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await lockQueues(tx, messages.map(queueOfMessage));
  for (const m of messages) {
    const kind = m.destination.kind;
    const destinationId = m.destination.id;
    if (m.coalesce === true) {
      // The last message of the queue, if it is a pending follower (waiting, never attempted).
      const replaced = await tx.execute(sql`
        update outbox_messages set payload = ${m.payload}, event_type = ${m.eventType}
        where position = (select max(position) from outbox_messages where destination_kind = ${kind} and destination_id = ${destinationId} and ordering_key = ${m.orderingKey})
          and status = 'pending' and next_attempt_at is null and attempts = 0`);
      if ((replaced.rowCount ?? 0) > 0) continue;
    }
    // Its queue's head (due at once) unless another message of the queue is pending. The position
    // is the sequence's next value (the column's default), taken under the queue's lock.
    await tx.execute(sql`
      insert into outbox_messages (id, ordering_key, receipt_code, destination_kind, destination_id, event_type, payload, created_at, next_attempt_at)
      select ${m.id}, ${m.orderingKey}, ${m.receiptCode}::text, ${kind}, ${destinationId}, ${m.eventType}, ${m.payload}, ${m.createdAt}::bigint,
        case when exists (
          select 1 from outbox_messages where destination_kind = ${kind} and destination_id = ${destinationId} and ordering_key = ${m.orderingKey}
            and status = 'pending' and id <> ${m.id}
        ) then null else ${m.createdAt}::bigint end`);
  }
}

// --- The repository -------------------------------------------------------------------------------

interface Params {
  id: string;
  attemptedAt: number;
  durationMs: number;
  outcome: DeliveryOutcome;
  statusCode: number | null;
  error: string | null;
  nextAttemptAt: number | null;
}
const params = (id: string, a: DeliveryAttempt, nextAttemptAt: number | null): Params => ({
  id,
  attemptedAt: a.attemptedAt,
  durationMs: Math.max(0, Math.round(a.durationMs)),
  outcome: a.outcome,
  statusCode: a.statusCode,
  error: clip(a.error),
  nextAttemptAt,
});

/** The settlement's update of the message, only while it is pending (a resend or dead-letter won otherwise). */
function settleUpdate(update: "delivered" | "failed" | "dead", p: Params): SQL {
  const firstAttempt = sql`first_attempt_at = coalesce(first_attempt_at, ${p.attemptedAt}::bigint)`;
  if (update === "delivered")
    return sql`update outbox_messages set status = 'delivered', attempts = attempts + 1, ${firstAttempt},
       delivered_at = ${p.attemptedAt + p.durationMs}::bigint, lease_until = null, last_error = null
     where id = ${p.id} and status = 'pending'`;
  if (update === "failed")
    return sql`update outbox_messages set attempts = attempts + 1, ${firstAttempt},
       next_attempt_at = ${p.nextAttemptAt}::bigint, lease_until = null, last_error = ${p.error}::text
     where id = ${p.id} and status = 'pending'`;
  return sql`update outbox_messages set status = 'dead', attempts = attempts + 1, ${firstAttempt},
       lease_until = null, last_error = ${p.error}::text
     where id = ${p.id} and status = 'pending'`;
}

/**
 * One settlement, in the caller's transaction, which holds the message's queue lock: the update,
 * the attempt logged (after the update, so `attempts` already counts this one: one statement, the
 * log reads the update's RETURNING), and the next message of the queue promoted to head, due at
 * once (no later than any clock that settles it).
 */
async function apply(tx: PgTx, update: "delivered" | "failed" | "dead", p: Params): Promise<void> {
  const updated = await rows<{ destination_kind: string; destination_id: string; ordering_key: string }>(
    tx,
    sql`with u as (${settleUpdate(update, p)}
          returning id, destination_kind, destination_id, ordering_key, attempts),
        logged as (
          insert into outbox_deliveries (message_id, destination_kind, destination_id, attempt, attempted_at, duration_ms, outcome, status_code, error, next_attempt_at)
          select id, destination_kind, destination_id, attempts, ${p.attemptedAt}::bigint, ${p.durationMs}::bigint, ${p.outcome}::text, ${p.statusCode}::bigint,
            ${p.error}::text, ${p.nextAttemptAt}::bigint
          from u)
        select destination_kind, destination_id, ordering_key from u`,
  );
  const q = updated[0];
  if (q === undefined || update === "failed") return;
  // A separate statement: it must see the settled message as no longer pending.
  await tx.execute(sql`
    update outbox_messages set next_attempt_at = ${p.attemptedAt}::bigint
    where position = (select position from outbox_messages where destination_kind = ${q.destination_kind} and destination_id = ${q.destination_id}
                        and ordering_key = ${q.ordering_key} and status = 'pending' order by position limit 1)
      and next_attempt_at is null`);
}

/** Settlements in one transaction: the queues locked first (all at once, in key order), then applied in the given order. */
async function settleAll(db: PgDb, outcomes: readonly { result: "delivered" | "failed" | "dead"; p: Params }[]): Promise<void> {
  await db.transaction(async (tx) => {
    await lockQueues(tx, await queuesOf(tx, outcomes.map((o) => o.p.id)));
    for (const o of outcomes) await apply(tx, o.result, o.p);
  });
}

/**
 * Resend: to the end of the queue (a new position from the sequence, taken under the queue's
 * lock, in the order of `ids`), pending, due now when nothing else of its queue is pending (else it
 * waits behind), a fresh 24-hour window. Only dead or delivered messages; returns how many.
 */
async function requeue(tx: PgTx, ids: readonly string[], now: number): Promise<number> {
  await lockQueues(tx, await queuesOf(tx, ids));
  let count = 0;
  for (const id of ids) {
    const requeued = await tx.execute(sql`
      update outbox_messages m set position = nextval(pg_get_serial_sequence('outbox_messages', 'position')), status = 'pending',
        next_attempt_at = case when exists (
          select 1 from outbox_messages o where o.destination_kind = m.destination_kind and o.destination_id = m.destination_id
            and o.ordering_key = m.ordering_key and o.status = 'pending' and o.id <> m.id
        ) then null else ${now}::bigint end,
        first_attempt_at = null, lease_until = null, delivered_at = null
      where m.id = ${id} and m.status in ('dead', 'delivered')`);
    count += requeued.rowCount ?? 0;
  }
  return count;
}

/** The PostgreSQL outbox. Its writes take their queues' locks; `enqueueMessages` is the in-transaction enqueue. */
export function createPostgresOutboxRepository(db: PgDb): OutboxRepository {
  return {
    async claimDue(now, limit, leaseMs) {
      // Only heads have a next_attempt_at (see the schema): a range scan of the due index, stopped
      // at `limit`. A leased head (in flight) is skipped; its queue waits behind it, which is what
      // keeps the order per dossier. Ties in due instant go by position, as SQLite's index gives them.
      const claimed = await rows<MessageRow>(
        db,
        sql`update outbox_messages m set lease_until = ${now + leaseMs}::bigint
            from (
              select position from outbox_messages
              where status = 'pending' and next_attempt_at <= ${now}::bigint and (lease_until is null or lease_until <= ${now}::bigint)
              order by next_attempt_at, position
              limit ${limit}
              for update skip locked
            ) due
            where m.position = due.position
            returning ${M_COLUMNS}`,
      );
      // RETURNING comes in no particular order: oldest due first.
      return claimed.map(toMessage).sort((a, b) => a.nextAttemptAt! - b.nextAttemptAt! || a.position - b.position);
    },
    async markDelivered(id, attempt) {
      await settleAll(db, [{ result: "delivered", p: params(id, attempt, null) }]);
    },
    async markFailed(id, attempt, nextAttemptAt) {
      await settleAll(db, [{ result: "failed", p: params(id, attempt, nextAttemptAt) }]);
    },
    async markDead(id, attempt) {
      await settleAll(db, [{ result: "dead", p: params(id, attempt, null) }]);
    },
    async settle(outcomes) {
      if (outcomes.length === 0) return;
      await settleAll(
        db,
        outcomes.map((o) => ({ result: o.result, p: params(o.id, o.attempt, o.result === "failed" ? o.nextAttemptAt : null) })),
      );
    },
    async postpone(id, until) {
      // The head stays the head: no queue lock needed.
      await db.execute(sql`update outbox_messages set lease_until = null, next_attempt_at = ${until}::bigint where id = ${id} and status = 'pending'`);
    },
    async resend(target, now) {
      return db.transaction(async (tx) => {
        if ("ids" in target) return requeue(tx, target.ids, now);
        // A dossier's queues: its ordering key (the receipt code, by the port's contract) on each
        // destination. Read under the queues' locks, so that "its latest message" is still the
        // latest when it is requeued.
        const destinations = (
          await rows<{ destination_kind: DestinationKind; destination_id: string }>(tx, sql`select distinct destination_kind, destination_id from outbox_messages`)
        ).filter((d) => target.destinationKind === undefined || d.destination_kind === target.destinationKind);
        await lockQueues(
          tx,
          target.receiptCodes.flatMap((code) => destinations.map((d) => ({ kind: d.destination_kind, destinationId: d.destination_id, orderingKey: code }))),
        );
        const ids: string[] = [];
        for (const code of target.receiptCodes)
          for (const d of destinations) {
            const queue = sql`destination_kind = ${d.destination_kind} and destination_id = ${d.destination_id} and ordering_key = ${code}`;
            const dead = await rows<{ id: string }>(tx, sql`select id from outbox_messages where ${queue} and status = 'dead' order by position`);
            ids.push(...dead.map((r) => r.id));
            const [last] = await rows<{ id: string; status: OutboxStatus }>(tx, sql`select id, status from outbox_messages where ${queue} order by position desc limit 1`);
            if (last?.status === "delivered") ids.push(last.id);
          }
        return requeue(tx, [...new Set(ids)], now);
      });
    },
    async backlog(now) {
      // Index only (outbox_messages_backlog_idx): no message body is read.
      const found = await rows<{
        destination_kind: DestinationKind;
        destination_id: string;
        status: OutboxStatus;
        n: string;
        oldest: string | null;
        last_delivered_at: string | null;
      }>(
        db,
        sql`select destination_kind, destination_id, status, count(*) as n, min(created_at) as oldest, max(delivered_at) as last_delivered_at
            from outbox_messages group by destination_kind, destination_id, status`,
      );
      const byKey = new Map<string, { destination: Destination; pending: number; dead: number; delivered: number; oldestUndeliveredAt: number | null; lastDeliveredAt: number | null }>();
      for (const r of found) {
        const key = `${r.destination_kind}\u0000${r.destination_id}`;
        const d = byKey.get(key) ?? { destination: { kind: r.destination_kind, id: r.destination_id }, pending: 0, dead: 0, delivered: 0, oldestUndeliveredAt: null, lastDeliveredAt: null };
        const oldest = toNumberOrNull(r.oldest);
        d[r.status] = toNumber(r.n);
        if (r.status === "delivered") d.lastDeliveredAt = toNumberOrNull(r.last_delivered_at);
        else if (oldest !== null && (d.oldestUndeliveredAt === null || oldest < d.oldestUndeliveredAt)) d.oldestUndeliveredAt = oldest;
        byKey.set(key, d);
      }
      // Sorted here by code units, as on SQLite (the server's collation may order text otherwise).
      const list: DestinationBacklog[] = [...byKey.values()].sort((a, b) =>
        a.destination.kind !== b.destination.kind ? (a.destination.kind < b.destination.kind ? -1 : 1) : a.destination.id < b.destination.id ? -1 : a.destination.id > b.destination.id ? 1 : 0,
      );
      const oldest = list.reduce<number | null>((min, d) => (d.oldestUndeliveredAt !== null && (min === null || d.oldestUndeliveredAt < min) ? d.oldestUndeliveredAt : min), null);
      return {
        pending: list.reduce((s, d) => s + d.pending, 0),
        dead: list.reduce((s, d) => s + d.dead, 0),
        oldestUndeliveredAt: oldest,
        oldestUndeliveredAgeMs: oldest === null ? 0 : Math.max(0, now - oldest),
        byDestination: list,
      };
    },
    async listDeliveries(destination: Destination, limit: number, beforeId?: number) {
      const found = await rows<{
        id: string;
        message_id: string;
        destination_kind: DestinationKind;
        destination_id: string;
        attempt: string;
        attempted_at: string;
        duration_ms: string;
        outcome: DeliveryOutcome;
        status_code: string | null;
        error: string | null;
        next_attempt_at: string | null;
      }>(
        db,
        sql`select id, message_id, destination_kind, destination_id, attempt, attempted_at, duration_ms, outcome, status_code, error, next_attempt_at
            from outbox_deliveries where destination_kind = ${destination.kind} and destination_id = ${destination.id} and id < ${beforeId ?? Number.MAX_SAFE_INTEGER}::bigint
            order by id desc limit ${limit}`,
      );
      return found.map(
        (r): LoggedDelivery & { id: number } => ({
          id: toNumber(r.id),
          messageId: r.message_id,
          destination: { kind: r.destination_kind, id: r.destination_id },
          attempt: toNumber(r.attempt),
          attemptedAt: toNumber(r.attempted_at),
          durationMs: toNumber(r.duration_ms),
          outcome: r.outcome,
          statusCode: toNumberOrNull(r.status_code),
          error: r.error,
          nextAttemptAt: toNumberOrNull(r.next_attempt_at),
        }),
      );
    },
    async purgeDelivered(before) {
      return db.transaction(async (tx) => {
        await tx.execute(
          sql`delete from outbox_deliveries where message_id in (select id from outbox_messages where status = 'delivered' and delivered_at < ${before}::bigint)`,
        );
        return (await tx.execute(sql`delete from outbox_messages where status = 'delivered' and delivered_at < ${before}::bigint`)).rowCount ?? 0;
      });
    },
    async get(id) {
      const [row] = await rows<MessageRow>(db, sql`select ${COLUMNS} from outbox_messages where id = ${id}`);
      return row === undefined ? undefined : toMessage(row);
    },
  };
}
