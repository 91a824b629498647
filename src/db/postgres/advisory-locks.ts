/**
 * Transaction-scoped advisory locks (https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS)
 * that serialize, across app instances, the read-then-write sequences SQLite's single writer
 * serialized for free (issue #16): the outbox's queues (outbox-repository.ts explains why) and a
 * dossier's moment plan (outbound-writes.ts). Released at COMMIT or ROLLBACK, never leaked by a
 * crashed request.
 *
 * The two-int form is used: a key space apart from the migrations' single bigint key
 * (pg-client.ts). The first int names what is locked (any constants, the same in every instance),
 * the second is a 32-bit hash of its identity; two things sharing a hash only share a lock (they
 * wait for each other, harmlessly).
 *
 * Deadlock freedom: a transaction takes all the queue locks it needs in one call, in ascending
 * key order, before any outbound_schedule row and before a plan lock; a plan lock is taken for one
 * dossier per transaction.
 */
import { sql } from "drizzle-orm";
import type { PgTx } from "./transactions.js";

const QUEUE_LOCK_CLASS = 1_600_016;
const PLAN_LOCK_CLASS = 1_600_017;

/** One outbox queue: (destination, ordering key). */
export interface QueueRef {
  readonly kind: string;
  readonly destinationId: string;
  readonly orderingKey: string;
}

/**
 * FNV-1a (32 bits) as a signed int4, computed here rather than by the server's hashtext() so that
 * the keys can be sorted before locking. Every instance on a database must derive the keys alike:
 * changing this function needs all instances stopped.
 */
function lockKey(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

/**
 * Takes the queues' locks, held until the transaction ends, in ascending key order, so that
 * transactions locking overlapping sets cannot deadlock on them. A lock the transaction holds
 * already is taken again at no cost (no wait). One statement: unnest yields the keys in array order.
 */
export async function lockQueues(tx: PgTx, queues: Iterable<QueueRef>): Promise<void> {
  const keys = [...new Set([...queues].map((q) => lockKey(`${q.kind}\u0000${q.destinationId}\u0000${q.orderingKey}`)))].sort((a, b) => a - b);
  if (keys.length === 0) return;
  await tx.execute(sql`select pg_advisory_xact_lock(${QUEUE_LOCK_CLASS}, k) from unnest(${sql.param(keys)}::int4[]) as k`);
}

/** Takes the lock of one dossier's moment plan (outbound_schedule rows), held until the transaction ends. */
export async function lockPlan(tx: PgTx, receiptCode: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${PLAN_LOCK_CLASS}, ${lockKey(receiptCode)}::int4)`);
}
