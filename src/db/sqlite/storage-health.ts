/**
 * When the storage refuses to work (a full disk, an I/O error, a read-only or vanished file, a
 * lock held past the busy timeout) the service answers 503 `storage_unavailable` and keeps
 * running; /readyz says so until a real write commits again (docs/ROBUSTNESS.md).
 */
import type Database from "better-sqlite3";

/**
 * SQLite's result codes that mean "the storage cannot do it now", not "this request is wrong"
 * (https://sqlite.org/rescode.html): SQLITE_FULL, SQLITE_IOERR_*, SQLITE_READONLY_*,
 * SQLITE_CANTOPEN, SQLITE_CORRUPT, SQLITE_NOTADB, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_NOMEM,
 * SQLITE_PROTOCOL. better-sqlite3 puts the extended code in `error.code`.
 */
const STORAGE_CODES = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|CORRUPT|NOTADB|BUSY|LOCKED|NOMEM|PROTOCOL)(_|$)/;

export function isStorageFailure(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const code = (error as { code?: unknown }).code;
  // A database closed under a request (shutdown) is the storage being unavailable too.
  if (error instanceof TypeError && /database connection is not open/.test(error.message)) return true;
  return typeof code === "string" && STORAGE_CODES.test(code);
}

/**
 * Whether a write commits now: one row rewritten and committed (synchronous=FULL, so fsynced), as
 * real a write as the service does. Called by /readyz; a probe costs one small commit.
 */
export function createWriteProbe(sqlite: Database.Database): () => { ok: true } | { ok: false; detail: string } {
  let statement: Database.Statement | undefined;
  return () => {
    try {
      statement ??= sqlite.prepare("insert into storage_probe (id, at) values (1, ?) on conflict (id) do update set at = excluded.at");
      statement.run(Date.now());
      return { ok: true };
    } catch (error) {
      const code = typeof error === "object" && error !== null && "code" in error ? String((error as { code: unknown }).code) : "";
      return { ok: false, detail: `the database refuses writes${code ? ` (${code})` : ""}: ${error instanceof Error ? error.message : String(error)}` };
    }
  };
}
