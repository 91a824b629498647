/**
 * What a dossier write sends out (issue #15), on PostgreSQL: its messages queued and its moments
 * re-planned in the write's own transaction, as src/db/sqlite/outbound-writes.ts does on SQLite.
 *
 * Lock order (advisory-locks.ts): call these after the dossier's own row is written, and
 * `writeOutbound` enqueues before it re-plans, so a write takes its queues' locks before its
 * plan's; one dossier's plan per transaction.
 */
import { sql } from "drizzle-orm";
import type { Moment } from "../../domain/outbound/next-moments.js";
import type { OutboundChange, OutboundOf } from "../../services/dossier-ports.js";
import { lockPlan } from "./advisory-locks.js";
import { enqueueMessages } from "./outbox-repository.js";
import { outboundSchedule } from "./schema.js";
import type { PgTx } from "./transactions.js";

/**
 * Re-plans the dossier's moments, keeping out the keys fired already (each fires once). In the
 * caller's transaction.
 *
 * Two transactions re-planning one dossier (a desk's write and a calendar change's re-plan, on two
 * instances) are serialized by the plan's lock: without it, under READ COMMITTED, the second's
 * DELETE would not see the rows the first inserted meanwhile, its INSERTs would meet them and do
 * nothing, and the plan committed last would be a mix of both. A moment another instance fires
 * meanwhile needs no lock: the DELETE of unfired rows waits for the firing transaction, re-reads
 * the row, finds it fired and keeps it, and `on conflict do nothing` never re-inserts its key.
 */
export async function replanMoments(tx: PgTx, receiptCode: string, moments: OutboundChange["moments"], at: number): Promise<void> {
  await lockPlan(tx, receiptCode);
  const fired = await tx.execute(sql`select moment_key from outbound_schedule where receipt_code = ${receiptCode} and fired_at is not null`);
  const planned: readonly Moment[] = moments(new Set((fired.rows as { moment_key: string }[]).map((r) => r.moment_key)));
  await tx.execute(sql`delete from outbound_schedule where receipt_code = ${receiptCode} and fired_at is null`);
  if (planned.length === 0) return;
  // A key that fired is never planned again (the primary key and `do nothing` keep the fired row).
  await tx
    .insert(outboundSchedule)
    .values(
      planned.map((m) => ({
        receiptCode,
        momentKey: m.key,
        eventType: m.eventType,
        dueAt: m.at,
        expiresAt: m.expiresAt,
        detail: m.detail as unknown as Record<string, unknown>,
        plannedAt: at,
      })),
    )
    .onConflictDoNothing();
}

/** The write's messages queued and its moments re-planned, in the write's own transaction (nothing without a change). */
export async function writeOutbound(tx: PgTx, receiptCode: string, of: OutboundOf | undefined, at: number): Promise<void> {
  if (of === undefined) return;
  const change = of(receiptCode);
  await enqueueMessages(tx, change.messages);
  await replanMoments(tx, receiptCode, change.moments, at);
}
