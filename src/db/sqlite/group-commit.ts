/**
 * Group commit (issue #12): the writes of the requests that arrive during one turn of the event
 * loop share one transaction and one fsync, instead of a commit each. With synchronous=FULL a
 * commit costs a disk flush; under load dozens of writes now pay for one.
 *
 * - Each write runs under its own savepoint: a statement that fails (a constraint, a bug) rolls
 *   back only that write and fails only its own request; its neighbours commit.
 * - A write's promise settles only after the COMMIT that holds it has returned, so a request is
 *   acknowledged only once its rows are durable (synchronous=FULL is unchanged). A failed COMMIT
 *   (a full disk, an I/O error) fails every write of the group: none of them was acknowledged.
 * - The whole group runs synchronously, BEGIN to COMMIT, on the one connection: no read of this
 *   process can see a write before it commits, and no other write interleaves.
 * - A request's Idempotency-Key (services/idempotency.ts) is claimed by its first write, in that
 *   write's savepoint: the key and the write commit together or not at all.
 * - A storage error that makes SQLite roll the whole transaction back (SQLITE_FULL, IOERR, BUSY,
 *   NOMEM: https://sqlite.org/lang_transaction.html "Response To Errors Within A Transaction")
 *   fails the writes done so far in the group with that error; the writes after it run in a new
 *   transaction on the next turn.
 */
import type Database from "better-sqlite3";
import { IDEMPOTENCY_WINDOW_MS, keyInUse, writeContext, type RequestWrite } from "../../services/idempotency.js";

export interface GroupCommit {
  /**
   * Runs `write` in the next group transaction (synchronous better-sqlite3 calls only, no own
   * BEGIN/COMMIT) and resolves with its result once that transaction has committed.
   */
  run<T>(write: () => T): Promise<T>;
  /** Commits what is queued now (tests, shutdown). */
  flush(): void;
  /** Groups committed and writes in them, since start (benchmarks). */
  readonly stats: { groups: number; writes: number };
}

interface Pending {
  readonly write: () => unknown;
  /** The request's write context when it queued the write (its idempotency claim). */
  readonly context: RequestWrite | undefined;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

export function createGroupCommit(sqlite: Database.Database): GroupCommit {
  const begin = sqlite.prepare("begin immediate");
  const commit = sqlite.prepare("commit");
  const rollback = sqlite.prepare("rollback");
  const savepoint = sqlite.prepare("savepoint group_write");
  const release = sqlite.prepare("release group_write");
  const rollbackTo = sqlite.prepare("rollback to group_write");
  const totalChanges = sqlite.prepare("select total_changes()").pluck();

  let claimStatement: Database.Statement | undefined;
  /** Claims the request's key with its first write (over an expired claim); a key claimed already fails the write (rolled back). */
  const claim = (context: RequestWrite | undefined) => {
    if (context === undefined || context.claimed) return;
    const { scope, key, method, path, bodyHash, createdAt } = context.claim;
    claimStatement ??= sqlite.prepare(
      `insert into idempotency_keys (scope, key, method, path, body_hash, created_at) values (?, ?, ?, ?, ?, ?)
       on conflict (scope, key) do update set method = excluded.method, path = excluded.path, body_hash = excluded.body_hash,
         created_at = excluded.created_at, status = null, content_type = null, body = null
       where idempotency_keys.created_at <= excluded.created_at - ${IDEMPOTENCY_WINDOW_MS}`,
    );
    if (claimStatement.run(scope, key, method, path, bodyHash, createdAt).changes === 0) throw keyInUse();
    context.claimed = true;
  };

  let queue: Pending[] = [];
  let scheduled = false;
  const stats = { groups: 0, writes: 0 };

  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    // After the I/O callbacks of this turn: every request parsed in it has queued its write.
    setImmediate(flush);
  };

  function flush(): void {
    scheduled = false;
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    if (!sqlite.open) {
      const closed = new TypeError("The database connection is not open");
      for (const p of batch) p.reject(closed);
      return;
    }
    try {
      begin.run();
    } catch (error) {
      for (const p of batch) p.reject(error);
      return;
    }
    const done: { pending: Pending; value: unknown }[] = [];
    for (let i = 0; i < batch.length; i++) {
      const pending = batch[i]!;
      try {
        // Inside the try: flush runs from setImmediate, where anything thrown would end the process.
        savepoint.run();
        const changesBefore = pending.context === undefined ? 0 : (totalChanges.get() as number);
        const value = pending.write();
        // Only a write that wrote something claims the key (a lost optimistic race writes nothing).
        if (pending.context !== undefined && (totalChanges.get() as number) !== changesBefore) claim(pending.context);
        release.run();
        done.push({ pending, value });
      } catch (error) {
        if (!sqlite.inTransaction) {
          // SQLite rolled the whole group back: nothing of it is on disk, and nothing was acknowledged.
          pending.reject(error);
          for (const d of done) d.pending.reject(error);
          queue = [...batch.slice(i + 1), ...queue];
          if (queue.length > 0) schedule();
          return;
        }
        try {
          rollbackTo.run();
          release.run();
        } catch (undo) {
          pending.reject(error);
          for (const d of done) d.pending.reject(undo);
          queue = [...batch.slice(i + 1), ...queue];
          if (sqlite.inTransaction) safely(() => rollback.run());
          if (queue.length > 0) schedule();
          return;
        }
        pending.reject(error);
      }
    }
    try {
      commit.run();
    } catch (error) {
      if (sqlite.inTransaction) safely(() => rollback.run());
      for (const d of done) d.pending.reject(error);
      return;
    }
    stats.groups++;
    stats.writes += done.length;
    for (const d of done) d.pending.resolve(d.value);
  }

  return {
    run<T>(write: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ write, context: writeContext.getStore(), resolve: resolve as (value: unknown) => void, reject });
        schedule();
      });
    },
    flush,
    stats,
  };
}

/** A rollback after a failure may itself fail (the transaction is already gone): that changes nothing. */
function safely(action: () => void): void {
  try {
    action();
  } catch {
    // The transaction is already rolled back.
  }
}
