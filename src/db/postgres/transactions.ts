/**
 * Writes on PostgreSQL (issue #16). Each repository write is one transaction on a pooled
 * connection; the server's own concurrency control replaces SQLite's single writer:
 * - optimistic concurrency is a conditional UPDATE (`… where event_count = $expected`): under READ
 *   COMMITTED the second of two racing writers waits for the first to commit, re-reads the row,
 *   finds the condition false and updates nothing, so exactly one wins;
 * - a request's Idempotency-Key (services/idempotency.ts) is claimed by its write, inside the
 *   write's transaction, as on SQLite (group-commit.ts): the key and the write commit together or
 *   not at all. Two instances claiming one key: the second INSERT waits on the first's unique-index
 *   entry, then finds it taken and fails with 409 idempotency_key_in_use (rolled back).
 * Durability: a write resolves after COMMIT returns, and PostgreSQL's synchronous_commit (on by
 * default) flushes the WAL first: nothing acknowledged is lost.
 */
import { sql } from "drizzle-orm";
import { IDEMPOTENCY_WINDOW_MS, keyInUse, writeContext } from "../../services/idempotency.js";
import type { PgDb } from "./pg-client.js";

/** The transaction handle drizzle gives a `db.transaction` callback. */
export type PgTx = Parameters<Parameters<PgDb["transaction"]>[0]>[0];

/**
 * Runs `write` in one transaction. When the request being served carries an Idempotency-Key and
 * `changed(result)` says the write wrote something (a lost race or a no-op claims nothing), the
 * key is claimed in the same transaction.
 */
export async function guardedWrite<T>(db: PgDb, write: (tx: PgTx) => Promise<T>, changed: (result: T) => boolean = () => true): Promise<T> {
  const context = writeContext.getStore();
  return db.transaction(async (tx) => {
    const result = await write(tx);
    if (context !== undefined && !context.claimed && changed(result)) {
      const { scope, key, method, path, bodyHash, createdAt } = context.claim;
      const claimed = await tx.execute(sql`
        insert into idempotency_keys (scope, key, method, path, body_hash, created_at)
        values (${scope}, ${key}, ${method}, ${path}, ${bodyHash}, ${createdAt})
        on conflict (scope, key) do update set method = excluded.method, path = excluded.path, body_hash = excluded.body_hash,
          created_at = excluded.created_at, status = null, content_type = null, body = null
        where idempotency_keys.created_at <= excluded.created_at - ${IDEMPOTENCY_WINDOW_MS}`);
      if ((claimed.rowCount ?? 0) === 0) throw keyInUse();
      context.claimed = true;
    }
    return result;
  });
}

/**
 * PostgreSQL errors that mean "the storage cannot do it now", not "this request is wrong"
 * (https://www.postgresql.org/docs/current/errcodes-appendix.html): class 08 connection
 * exceptions, 53 insufficient resources (disk full, out of memory, too many connections), 57
 * operator intervention (admin shutdown, cannot connect now), 58 system errors (I/O), 40 a
 * serialization failure or deadlock the caller may retry, 25006 a read-only transaction (a standby);
 * and the driver's own: a refused or reset connection, the pool's wait timing out, a pool ended
 * by shutdown. Answered 503, never a crash.
 */
const SQLSTATE_FAILURE = /^(08|53|57|58|40)[0-9A-Z]{3}$|^25006$/;
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH", "EAI_AGAIN"]);

export function isPostgresFailure(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  // drizzle wraps driver errors (DrizzleQueryError) with the original as `cause`.
  const cause = (error as { cause?: unknown }).cause;
  if (cause !== undefined && cause !== error && isPostgresFailure(cause)) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && (SQLSTATE_FAILURE.test(code) || NETWORK_CODES.has(code))) return true;
  const message = error instanceof Error ? error.message : "";
  // 55000 at connection time: the database is not accepting connections (ALTER DATABASE … ALLOW_CONNECTIONS false, maintenance).
  return /timeout exceeded when trying to connect|Cannot use a pool after calling end|Connection terminated|Client has encountered a connection error|is not currently accepting connections/i.test(message);
}
