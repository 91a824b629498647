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
} from "../../services/outbound/outbox-ports.js";
import type { SqliteDb } from "../sqlite-client.js";

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
  next_attempt_at: number;
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

export function createSqliteOutboxRepository(db: SqliteDb): OutboxRepository {
  const sqlite = db.$client;
  const COLUMNS = `id, position, ordering_key, receipt_code, destination_kind, destination_id, event_type, payload, created_at, status,
    attempts, first_attempt_at, next_attempt_at, last_error, delivered_at`;

  const nextPosition = sqlite.prepare("select coalesce(max(position), 0) + 1 from outbox_messages").pluck();
  const insert = sqlite.prepare(
    `insert into outbox_messages (id, position, ordering_key, receipt_code, destination_kind, destination_id, event_type, payload, created_at, next_attempt_at)
     values (@id, @position, @orderingKey, @receiptCode, @destinationKind, @destinationId, @eventType, @payload, @createdAt, @nextAttemptAt)`,
  );

  // The head of each queue: the pending message with the lowest position of its (destination,
  // key). A queue whose head is not due, or leased (in flight), yields nothing: its later
  // messages wait behind it, which is what keeps the order per dossier.
  const due = sqlite.prepare(
    `select ${COLUMNS} from outbox_messages m
     where m.status = 'pending' and m.next_attempt_at <= @now and (m.lease_until is null or m.lease_until <= @now)
       and m.position = (select min(o.position) from outbox_messages o
                          where o.destination_kind = m.destination_kind and o.destination_id = m.destination_id
                            and o.ordering_key = m.ordering_key and o.status = 'pending')
     order by m.next_attempt_at, m.position
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
  const finish = sqlite.transaction((update: "delivered" | "failed" | "dead", p: Params) => {
    const changes = (update === "delivered" ? delivered.run({ ...p, deliveredAt: p.attemptedAt + p.durationMs }) : update === "failed" ? failed.run(p) : dead.run(p))
      .changes;
    // Logged after the update, so `attempts` already counts this one.
    if (changes === 1) logAfter.run(p);
  });

  // Resend: to the end of the queue, pending, due now, a fresh 24-hour window.
  const requeue = sqlite.prepare(
    `update outbox_messages set position = @position, status = 'pending', next_attempt_at = @now, first_attempt_at = null,
       lease_until = null, delivered_at = null
     where id = @id and status in ('dead', 'delivered')`,
  );
  const deadOf = sqlite.prepare(`select id from outbox_messages where receipt_code = ? and status = 'dead' and (? is null or destination_kind = ?) order by position`).pluck();
  const latestDeliveredOf = sqlite
    .prepare(
      `select m.id from outbox_messages m
       where m.receipt_code = ? and (? is null or m.destination_kind = ?) and m.status = 'delivered'
         and m.position = (select max(o.position) from outbox_messages o
                            where o.destination_kind = m.destination_kind and o.destination_id = m.destination_id and o.ordering_key = m.ordering_key)`,
    )
    .pluck();
  const resend = sqlite.transaction((ids: readonly string[], now: number): number => {
    let count = 0;
    for (const id of ids) {
      const position = nextPosition.get() as number;
      count += requeue.run({ id, position, now }).changes;
    }
    return count;
  });

  const byDestination = sqlite.prepare(
    `select destination_kind, destination_id,
       sum(status = 'pending') as pending, sum(status = 'dead') as dead, sum(status = 'delivered') as delivered,
       min(case when status != 'delivered' then created_at end) as oldest_undelivered_at,
       max(delivered_at) as last_delivered_at
     from outbox_messages group by destination_kind, destination_id order by destination_kind, destination_id`,
  );
  const deliveries = sqlite.prepare(
    `select id, message_id, destination_kind, destination_id, attempt, attempted_at, duration_ms, outcome, status_code, error, next_attempt_at
     from outbox_deliveries where destination_kind = @kind and destination_id = @destinationId and id < @before order by id desc limit @limit`,
  );
  const getOne = sqlite.prepare(`select ${COLUMNS} from outbox_messages where id = ?`);

  return {
    enqueue(messages: readonly NewOutboxMessage[]) {
      if (messages.length === 0) return;
      let position = nextPosition.get() as number;
      for (const m of messages) {
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
          nextAttemptAt: m.notBefore ?? m.createdAt,
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
    async postpone(id, until) {
      postpone.run(until, id);
    },
    async resend(target, now) {
      if ("ids" in target) return resend(target.ids, now);
      const kind = target.destinationKind ?? null;
      const ids = target.receiptCodes.flatMap((code) => [...(deadOf.all(code, kind, kind) as string[]), ...(latestDeliveredOf.all(code, kind, kind) as string[])]);
      return resend([...new Set(ids)], now);
    },
    async backlog(now) {
      const rows = byDestination.all() as {
        destination_kind: DestinationKind;
        destination_id: string;
        pending: number;
        dead: number;
        delivered: number;
        oldest_undelivered_at: number | null;
        last_delivered_at: number | null;
      }[];
      const list: DestinationBacklog[] = rows.map((r) => ({
        destination: { kind: r.destination_kind, id: r.destination_id },
        pending: r.pending,
        dead: r.dead,
        delivered: r.delivered,
        oldestUndeliveredAt: r.oldest_undelivered_at,
        lastDeliveredAt: r.last_delivered_at,
      }));
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
    async get(id) {
      const row = getOne.get(id) as MessageRow | undefined;
      return row === undefined ? undefined : toMessage(row);
    },
  };
}
