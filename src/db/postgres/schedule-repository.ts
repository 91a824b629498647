/**
 * The durable schedule on PostgreSQL (contract: src/services/outbound/schedule-ports.ts), the same
 * statements as src/db/sqlite/schedule-repository.ts. Several instances may run a moment scheduler
 * on one database (issue #16): they read the same due moments and `fire` them at once, and each
 * moment must be marked, and its messages enqueued, exactly once. The mark is a conditional
 * UPDATE (`… and fired_at is null`): under READ COMMITTED the second instance's update waits for
 * the first's transaction, re-reads the row, finds it fired and changes nothing, so only the
 * instance that marked a moment sends it. The dossier write path (re-planning, in the write's own
 * transaction) is in outbound-writes.ts.
 */
import { sql } from "drizzle-orm";
import type { MomentDetail } from "../../domain/outbound/next-moments.js";
import type { MomentEventType } from "../../domain/outbound/outbound-types.js";
import { expiredAt, type MomentScheduleRepository, type ScheduledMoment } from "../../services/outbound/schedule-ports.js";
import type { NewOutboxMessage } from "../../services/outbound/outbox-ports.js";
import { lockQueues } from "./advisory-locks.js";
import { enqueueMessages } from "./outbox-repository.js";
import type { PgDb } from "./pg-client.js";
import { toNumber, toNumberOrNull } from "./pg-numbers.js";

interface Row {
  receipt_code: string;
  moment_key: string;
  event_type: MomentEventType;
  due_at: string;
  expires_at: string | null;
  /** json: parsed by the driver. */
  detail: MomentDetail;
  planned_at: string;
}

export function createPostgresScheduleRepository(db: PgDb): MomentScheduleRepository {
  return {
    async due(now, limit) {
      // Ties in due instant in SQLite's (bytewise) order of receipt code and key.
      const found = await db.execute(sql`
        select receipt_code, moment_key, event_type, due_at, expires_at, detail, planned_at from outbound_schedule
        where fired_at is null and due_at <= ${now}::bigint order by due_at, receipt_code collate "C", moment_key collate "C" limit ${limit}`);
      return (found.rows as unknown as Row[]).map(
        (r): ScheduledMoment => ({
          receiptCode: r.receipt_code,
          key: r.moment_key,
          eventType: r.event_type,
          at: toNumber(r.due_at),
          expiresAt: toNumberOrNull(r.expires_at),
          detail: r.detail,
          plannedAt: toNumber(r.planned_at),
        }),
      );
    },
    async fire(batch, at) {
      if (batch.length === 0) return 0;
      return db.transaction(async (tx) => {
        // Locks in the order every writer takes them (advisory-locks.ts): the queues of everything
        // the batch may send, then the batch's schedule rows in key order (two instances firing
        // overlapping batches queue up on the first shared row instead of deadlocking).
        await lockQueues(
          tx,
          batch.flatMap(({ messages }) => messages.map((m) => ({ kind: m.destination.kind, destinationId: m.destination.id, orderingKey: m.orderingKey }))),
        );
        const codes = sql.param(batch.map((b) => b.moment.receiptCode));
        const keys = sql.param(batch.map((b) => b.moment.key));
        const pairs = sql`(select * from unnest(${codes}::text[], ${keys}::text[]))`;
        await tx.execute(sql`select 1 from outbound_schedule where (receipt_code, moment_key) in ${pairs} order by receipt_code, moment_key for update`);
        // A moment fired already (by another instance) or re-planned away is not marked now.
        const marked = await tx.execute(sql`
          update outbound_schedule set fired_at = ${at}::bigint where (receipt_code, moment_key) in ${pairs} and fired_at is null
          returning receipt_code, moment_key`);
        const markedNow = new Set((marked.rows as { receipt_code: string; moment_key: string }[]).map((r) => `${r.receipt_code}\u0000${r.moment_key}`));
        let sent = 0;
        const messages: NewOutboxMessage[] = [];
        for (const { moment, messages: of } of batch) {
          // Each marked moment counts once, as on SQLite where a repeated one finds itself fired.
          if (!markedNow.delete(`${moment.receiptCode}\u0000${moment.key}`)) continue;
          if (expiredAt(moment, at)) continue;
          messages.push(...of);
          sent++;
        }
        // In the batch's order: a dossier's moments queue in the order they came due.
        await enqueueMessages(tx, messages);
        return sent;
      });
    },
    async nextDueAt() {
      const [row] = (await db.execute(sql`select min(due_at) as next from outbound_schedule where fired_at is null`)).rows as { next: string | null }[];
      return toNumberOrNull(row?.next);
    },
  };
}
