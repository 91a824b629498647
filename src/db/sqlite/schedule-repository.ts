/** The durable schedule on SQLite (contract: src/services/outbound/schedule-ports.ts). */
import type { MomentEventType } from "../../domain/outbound/outbound-types.js";
import type { MomentDetail } from "../../domain/outbound/next-moments.js";
import { expiredAt, type MomentScheduleRepository, type ScheduledMoment } from "../../services/outbound/schedule-ports.js";
import type { Moment } from "../../domain/outbound/next-moments.js";
import type { NewOutboxMessage } from "../../services/outbound/outbox-ports.js";
import type { SqliteDb } from "./sqlite-client.js";

/**
 * The SQLite schedule: the port, plus the synchronous calls a dossier write makes inside its
 * better-sqlite3 transaction (outbound-writes.ts).
 */
export interface SqliteScheduleRepository extends MomentScheduleRepository {
  /** Replaces the dossier's unfired moments with `moments` (minus keys already fired). In the caller's transaction. */
  replan(receiptCode: string, moments: readonly Moment[], plannedAt: number): void;
  /** Keys already fired for the dossier: pass them to planMoments. */
  firedKeys(receiptCode: string): Set<string>;
  /** Marks a moment fired; false when it was fired already (or re-planned away). In the caller's transaction. */
  markFired(receiptCode: string, key: string, at: number): boolean;
}

interface Row {
  receipt_code: string;
  moment_key: string;
  event_type: MomentEventType;
  due_at: number;
  expires_at: number | null;
  detail: string;
  planned_at: number;
}

/** `outbox`: where `fire` enqueues, in the same transaction. */
export function createSqliteScheduleRepository(db: SqliteDb, outbox?: { enqueue(messages: readonly NewOutboxMessage[]): void }): SqliteScheduleRepository {
  const sqlite = db.$client;
  const dropUnfired = sqlite.prepare("delete from outbound_schedule where receipt_code = ? and fired_at is null");
  // A key that fired is never planned again (the primary key and `or ignore` keep the fired row).
  const insert = sqlite.prepare(
    `insert or ignore into outbound_schedule (receipt_code, moment_key, event_type, due_at, expires_at, detail, planned_at)
     values (@receiptCode, @key, @eventType, @at, @expiresAt, @detail, @plannedAt)`,
  );
  const fired = sqlite.prepare("select moment_key from outbound_schedule where receipt_code = ? and fired_at is not null").pluck();
  const due = sqlite.prepare(
    `select receipt_code, moment_key, event_type, due_at, expires_at, detail, planned_at from outbound_schedule
     where fired_at is null and due_at <= ? order by due_at, receipt_code, moment_key limit ?`,
  );
  const mark = sqlite.prepare("update outbound_schedule set fired_at = ? where receipt_code = ? and moment_key = ? and fired_at is null");
  const next = sqlite.prepare("select min(due_at) from outbound_schedule where fired_at is null").pluck();

  return {
    replan(receiptCode, moments, plannedAt) {
      dropUnfired.run(receiptCode);
      for (const m of moments) insert.run({ receiptCode, key: m.key, eventType: m.eventType, at: m.at, expiresAt: m.expiresAt, detail: JSON.stringify(m.detail), plannedAt });
    },
    firedKeys(receiptCode) {
      return new Set(fired.all(receiptCode) as string[]);
    },
    async due(now, limit) {
      return (due.all(now, limit) as Row[]).map(
        (r): ScheduledMoment => ({
          receiptCode: r.receipt_code,
          key: r.moment_key,
          eventType: r.event_type,
          at: r.due_at,
          expiresAt: r.expires_at,
          detail: JSON.parse(r.detail) as MomentDetail,
          plannedAt: r.planned_at,
        }),
      );
    },
    markFired(receiptCode, key, at) {
      return mark.run(at, receiptCode, key).changes === 1;
    },
    async fire(batch, at) {
      return sqlite.transaction(() => {
        let sent = 0;
        for (const { moment, messages } of batch) {
          if (mark.run(at, moment.receiptCode, moment.key).changes !== 1) continue;
          if (expiredAt(moment, at)) continue;
          if (messages.length > 0) {
            if (outbox === undefined) throw new Error("the schedule was built without an outbox to fire into");
            outbox.enqueue(messages);
          }
          sent++;
        }
        return sent;
      })();
    },
    async nextDueAt() {
      return (next.get() as number | null) ?? null;
    },
  };
}
