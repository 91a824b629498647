/**
 * The outbox on SQLite (contract: src/services/outbound/outbox-ports.ts). Plain prepared
 * statements: `enqueue` runs inside the caller's better-sqlite3 transaction and so must not open
 * one; the other writes are one statement or one short transaction each.
 */
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
import type { SqliteDb } from "./sqlite-client.js";

interface MessageRow {
  id: string;
  position: number;
  ordering_key: string;
  receipt_code: string | null;
  destination_kind: DestinationKind;
  destination_id: string;
  event_type: OutboundEventType;
  payload: string;
  created_at: number;
  status: OutboxStatus;
  attempts: number;
  first_attempt_at: number | null;
  next_attempt_at: number | null;
  last_error: string | null;
  delivered_at: number | null;
}

const toMessage = (r: MessageRow): OutboxMessage => ({
  id: r.id,
  position: r.position,
  orderingKey: r.ordering_key,
  receiptCode: r.receipt_code,
  destination: { kind: r.destination_kind, id: r.destination_id },
  eventType: r.event_type,
  payload: r.payload,
  createdAt: r.created_at,
  status: r.status,
  attempts: r.attempts,
  firstAttemptAt: r.first_attempt_at,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  deliveredAt: r.delivered_at,
});

/** Error texts are kept short: they are diagnostics, not payloads. */
const clip = (text: string | null) => (text === null ? null : text.length > 500 ? `${text.slice(0, 497)}...` : text);

/** The SQLite outbox: the port, plus `enqueue`, called inside the write's better-sqlite3 transaction. */
export interface SqliteOutboxRepository extends OutboxRepository {
  /** Inside the caller's transaction (it opens none). Throws on a duplicate id. */
  enqueue(messages: readonly NewOutboxMessage[]): void;
}

export function createSqliteOutboxRepository(db: SqliteDb): SqliteOutboxRepository {
  const sqlite = db.$client;
  const COLUMNS = `id, position, ordering_key, receipt_code, destination_kind, destination_id, event_type, payload, created_at, status,
    attempts, first_attempt_at, next_attempt_at, last_error, delivered_at`;

  const nextPosition = sqlite.prepare("select coalesce(max(position), 0) + 1 from outbox_messages").pluck();
  const queueBusy = sqlite
    .prepare("select 1 from outbox_messages where destination_kind = ? and destination_id = ? and ordering_key = ? and status = 'pending' and id != ? limit 1")
    .pluck();
  // The last message of a queue, if it is a pending follower (waiting, never attempted).
  const waitingTail = sqlite
    .prepare(
      `select id from outbox_messages where destination_kind = ? and destination_id = ? and ordering_key = ?
       and position = (select max(position) from outbox_messages where destination_kind = ? and destination_id = ? and ordering_key = ?)
       and status = 'pending' and next_attempt_at is null and attempts = 0`,
    )
    .pluck();
  const replacePayload = sqlite.prepare("update outbox_messages set payload = ?, event_type = ? where id = ?");
  const queueOf = sqlite.prepare("select destination_kind, destination_id, ordering_key from outbox_messages where id = ?");
  // The next message of the queue becomes its head, due at once.
  const promote = sqlite.prepare(
    `update outbox_messages set next_attempt_at = @at
     where id = (select id from outbox_messages where destination_kind = @kind and destination_id = @destinationId and ordering_key = @key
                  and status = 'pending' order by position limit 1)
       and next_attempt_at is null`,
  );
  const promoteAfter = (id: string, at: number) => {
    const q = queueOf.get(id) as { destination_kind: string; destination_id: string; ordering_key: string } | undefined;
    if (q) promote.run({ at, kind: q.destination_kind, destinationId: q.destination_id, key: q.ordering_key });
  };
  const insert = sqlite.prepare(
    `insert into outbox_messages (id, position, ordering_key, receipt_code, destination_kind, destination_id, event_type, payload, created_at, next_attempt_at)
     values (@id, @position, @orderingKey, @receiptCode, @destinationKind, @destinationId, @eventType, @payload, @createdAt, @nextAttemptAt)`,
  );

  // Only heads have a next_attempt_at (see the schema): a range scan of the due index, stopped at
  // `limit`. A leased head (in flight) is skipped; its queue waits behind it, which is what keeps
  // the order per dossier.
  const due = sqlite.prepare(
    `select ${COLUMNS} from outbox_messages
     where status = 'pending' and next_attempt_at <= @now and (lease_until is null or lease_until <= @now)
     order by next_attempt_at
     limit @limit`,
  );
  const lease = sqlite.prepare("update outbox_messages set lease_until = ? where id = ? and status = 'pending'");
  const claim = sqlite.transaction((now: number, limit: number, leaseMs: number): OutboxMessage[] => {
    const rows = due.all({ now, limit }) as MessageRow[];
    for (const row of rows) lease.run(now + leaseMs, row.id);
    return rows.map(toMessage);
  });

  const delivered = sqlite.prepare(
    `update outbox_messages set status = 'delivered', attempts = attempts + 1, first_attempt_at = coalesce(first_attempt_at, @attemptedAt),
       delivered_at = @deliveredAt, lease_until = null, last_error = null
     where id = @id and status = 'pending'`,
  );
  const failed = sqlite.prepare(
    `update outbox_messages set attempts = attempts + 1, first_attempt_at = coalesce(first_attempt_at, @attemptedAt),
       next_attempt_at = @nextAttemptAt, lease_until = null, last_error = @error
     where id = @id and status = 'pending'`,
  );
  const dead = sqlite.prepare(
    `update outbox_messages set status = 'dead', attempts = attempts + 1, first_attempt_at = coalesce(first_attempt_at, @attemptedAt),
       lease_until = null, last_error = @error
     where id = @id and status = 'pending'`,
  );
  const postpone = sqlite.prepare("update outbox_messages set lease_until = null, next_attempt_at = ? where id = ? and status = 'pending'");

  type Params = { id: string; attemptedAt: number; durationMs: number; outcome: DeliveryOutcome; statusCode: number | null; error: string | null; nextAttemptAt: number | null };
  const params = (id: string, a: DeliveryAttempt, nextAttemptAt: number | null): Params => ({
    id,
    attemptedAt: a.attemptedAt,
    durationMs: Math.max(0, Math.round(a.durationMs)),
    outcome: a.outcome,
    statusCode: a.statusCode,
    error: clip(a.error),
    nextAttemptAt,
  });
  const logAfter = sqlite.prepare(
    `insert into outbox_deliveries (message_id, destination_kind, destination_id, attempt, attempted_at, duration_ms, outcome, status_code, error, next_attempt_at)
     select id, destination_kind, destination_id, attempts, @attemptedAt, @durationMs, @outcome, @statusCode, @error, @nextAttemptAt
     from outbox_messages where id = @id`,
  );
  const apply = (update: "delivered" | "failed" | "dead", p: Params) => {
    const changes = (update === "delivered" ? delivered.run({ ...p, deliveredAt: p.attemptedAt + p.durationMs }) : update === "failed" ? failed.run(p) : dead.run(p))
      .changes;
    if (changes !== 1) return;
    // Logged after the update, so `attempts` already counts this one.
    logAfter.run(p);
    if (update !== "failed") promoteAfter(p.id, p.attemptedAt); // due at once: no later than any clock that settles it
  };
  const finish = sqlite.transaction(apply);
  const settleAll = sqlite.transaction((outcomes: readonly SettleOutcome[]) => {
    for (const o of outcomes) apply(o.result, params(o.id, o.attempt, o.result === "failed" ? o.nextAttemptAt : null));
  });

  // Resend: to the end of the queue, pending, due now, a fresh 24-hour window.
  const requeue = sqlite.prepare(
    `update outbox_messages set position = @position, status = 'pending', next_attempt_at = @nextAttemptAt, first_attempt_at = null,
       lease_until = null, delivered_at = null
     where id = @id and status in ('dead', 'delivered')`,
  );
  // A dossier's queues: its ordering key (the receipt code, by the port's contract) on each destination.
  const destinations = sqlite.prepare("select distinct destination_kind, destination_id from outbox_messages");
  const deadOf = sqlite
    .prepare("select id from outbox_messages where destination_kind = ? and destination_id = ? and ordering_key = ? and status = 'dead' order by position")
    .pluck();
  const lastOf = sqlite
    .prepare("select id, status from outbox_messages where destination_kind = ? and destination_id = ? and ordering_key = ? order by position desc limit 1");
  const resend = sqlite.transaction((ids: readonly string[], now: number): number => {
    let count = 0;
    for (const id of ids) {
      const position = nextPosition.get() as number;
      const q = queueOf.get(id) as { destination_kind: string; destination_id: string; ordering_key: string } | undefined;
      if (q === undefined) continue;
      // At the end of its queue: its head if the queue is empty, else behind the others.
      const busy = queueBusy.get(q.destination_kind, q.destination_id, q.ordering_key, id) !== undefined;
      count += requeue.run({ id, position, nextAttemptAt: busy ? null : now }).changes;
    }
    return count;
  });

  // Index only (outbox_messages_backlog_idx): no message body is read.
  const byDestination = sqlite.prepare(
    `select destination_kind, destination_id, status, count(*) as n, min(created_at) as oldest, max(delivered_at) as last_delivered_at
     from outbox_messages group by destination_kind, destination_id, status`,
  );
  const deliveries = sqlite.prepare(
    `select id, message_id, destination_kind, destination_id, attempt, attempted_at, duration_ms, outcome, status_code, error, next_attempt_at
     from outbox_deliveries where destination_kind = @kind and destination_id = @destinationId and id < @before order by id desc limit @limit`,
  );
  const getOne = sqlite.prepare(`select ${COLUMNS} from outbox_messages where id = ?`);
  const purgeLog = sqlite.prepare(
    "delete from outbox_deliveries where message_id in (select id from outbox_messages where status = 'delivered' and delivered_at < ?)",
  );
  const purgeMessages = sqlite.prepare("delete from outbox_messages where status = 'delivered' and delivered_at < ?");
  const purge = sqlite.transaction((before: number) => {
    purgeLog.run(before);
    return purgeMessages.run(before).changes;
  });

  return {
    enqueue(messages: readonly NewOutboxMessage[]) {
      if (messages.length === 0) return;
      let position = nextPosition.get() as number;
      for (const m of messages) {
        if (m.coalesce === true) {
          const q = [m.destination.kind, m.destination.id, m.orderingKey] as const;
          const tail = waitingTail.get(...q, ...q) as string | undefined;
          if (tail !== undefined) {
            replacePayload.run(m.payload, m.eventType, tail);
            continue;
          }
        }
        const busy = queueBusy.get(m.destination.kind, m.destination.id, m.orderingKey, m.id) !== undefined;
        insert.run({
          id: m.id,
          position: position++,
          orderingKey: m.orderingKey,
          receiptCode: m.receiptCode,
          destinationKind: m.destination.kind,
          destinationId: m.destination.id,
          eventType: m.eventType,
          payload: m.payload,
          createdAt: m.createdAt,
          nextAttemptAt: busy ? null : m.createdAt,
        });
      }
    },
    async claimDue(now, limit, leaseMs) {
      return claim(now, limit, leaseMs);
    },
    async markDelivered(id, attempt) {
      finish("delivered", params(id, attempt, null));
    },
    async markFailed(id, attempt, nextAttemptAt) {
      finish("failed", params(id, attempt, nextAttemptAt));
    },
    async markDead(id, attempt) {
      finish("dead", params(id, attempt, null));
    },
    async settle(outcomes) {
      if (outcomes.length > 0) settleAll(outcomes);
    },
    async postpone(id, until) {
      postpone.run(until, id);
    },
    async resend(target, now) {
      if ("ids" in target) return resend(target.ids, now);
      const queues = (destinations.all() as { destination_kind: DestinationKind; destination_id: string }[]).filter(
        (d) => target.destinationKind === undefined || d.destination_kind === target.destinationKind,
      );
      const ids: string[] = [];
      for (const code of target.receiptCodes)
        for (const d of queues) {
          ids.push(...(deadOf.all(d.destination_kind, d.destination_id, code) as string[]));
          const last = lastOf.get(d.destination_kind, d.destination_id, code) as { id: string; status: OutboxStatus } | undefined;
          if (last?.status === "delivered") ids.push(last.id);
        }
      return resend([...new Set(ids)], now);
    },
    async backlog(now) {
      const rows = byDestination.all() as {
        destination_kind: DestinationKind;
        destination_id: string;
        status: OutboxStatus;
        n: number;
        oldest: number | null;
        last_delivered_at: number | null;
      }[];
      const byKey = new Map<string, { destination: Destination; pending: number; dead: number; delivered: number; oldestUndeliveredAt: number | null; lastDeliveredAt: number | null }>();
      for (const r of rows) {
        const key = `${r.destination_kind}\u0000${r.destination_id}`;
        const d = byKey.get(key) ?? { destination: { kind: r.destination_kind, id: r.destination_id }, pending: 0, dead: 0, delivered: 0, oldestUndeliveredAt: null, lastDeliveredAt: null };
        d[r.status] = r.n;
        if (r.status === "delivered") d.lastDeliveredAt = r.last_delivered_at;
        else if (r.oldest !== null && (d.oldestUndeliveredAt === null || r.oldest < d.oldestUndeliveredAt)) d.oldestUndeliveredAt = r.oldest;
        byKey.set(key, d);
      }
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
      const rows = deliveries.all({ kind: destination.kind, destinationId: destination.id, before: beforeId ?? Number.MAX_SAFE_INTEGER, limit }) as {
        id: number;
        message_id: string;
        destination_kind: DestinationKind;
        destination_id: string;
        attempt: number;
        attempted_at: number;
        duration_ms: number;
        outcome: DeliveryOutcome;
        status_code: number | null;
        error: string | null;
        next_attempt_at: number | null;
      }[];
      return rows.map(
        (r): LoggedDelivery & { id: number } => ({
          id: r.id,
          messageId: r.message_id,
          destination: { kind: r.destination_kind, id: r.destination_id },
          attempt: r.attempt,
          attemptedAt: r.attempted_at,
          durationMs: r.duration_ms,
          outcome: r.outcome,
          statusCode: r.status_code,
          error: r.error,
          nextAttemptAt: r.next_attempt_at,
        }),
      );
    },
    async purgeDelivered(before) {
      return purge(before);
    },
    async get(id) {
      const row = getOne.get(id) as MessageRow | undefined;
      return row === undefined ? undefined : toMessage(row);
    },
  };
}
