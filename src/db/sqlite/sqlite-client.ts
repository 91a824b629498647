import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { MIGRATIONS_FOLDER } from "../../config.js";
import * as schema from "./schema.js";

/** SQLite's result codes for a file that is not (or no longer) a valid database. */
const DAMAGE_CODES: ReadonlySet<string> = new Set(["SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_CORRUPT_INDEX", "SQLITE_CORRUPT_SEQUENCE", "SQLITE_CORRUPT_VTAB"]);
/** quick_check lists up to 100 problems; the first few tell an operator enough. */
const PROBLEMS_SHOWN = 5;

/** The database file is damaged: the service must not serve from it (server.ts prints the message and exits 1). */
export class DatabaseDamagedError extends Error {
  override readonly name = "DatabaseDamagedError";
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(
      `The database file ${file} is damaged; motcua will not start on it.\n` +
        `  PRAGMA quick_check: ${problems.slice(0, PROBLEMS_SHOWN).join("; ")}${problems.length > PROBLEMS_SHOWN ? `; and ${problems.length - PROBLEMS_SHOWN} more` : ""}\n` +
        `  Restore the latest backup (npm run backup checks every copy with integrity_check), or salvage with the sqlite3 shell's .recover.`,
    );
  }
}

export type SqliteDb = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export interface SqliteHandle {
  readonly db: SqliteDb;
  readonly sqlite: Database.Database;
  /** True once migrations have been applied (reported by /readyz). */
  migrated: boolean;
  close(): void;
}

/**
 * Opens the embedded database and brings it to the current schema.
 * - WAL: readers never block the writer, and a crash leaves a consistent file.
 * - synchronous=FULL: in WAL mode, NORMAL may lose the last commits on power loss; an event that was
 *   acknowledged must survive it (DEVELOPERS.md "nothing acknowledged is lost"), so every commit
 *   is fsynced. The cost is measured in docs/BENCHMARKS.md.
 * - foreign keys on; a busy timeout so a second process (backup, scripts) waits instead of failing.
 * - PRAGMA quick_check before anything else (issue #11): a damaged page otherwise passes start-up
 *   and /readyz and fails only the requests that reach it — or, worse, a write that builds on it.
 *   The service refuses to start instead (DatabaseDamagedError). quick_check verifies every page's
 *   b-tree structure, not that indexes match their tables (integrity_check, 5–7× slower, does:
 *   `npm run backup` runs it on every copy). Measured cost: docs/ROBUSTNESS.md "Issue #11".
 */
export function openSqlite(file: string, options: { migrationsFolder?: string } = {}): SqliteHandle {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  let sqlite: Database.Database | undefined;
  try {
    sqlite = new Database(file);
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = FULL");
    sqlite.pragma("foreign_keys = ON");
    sqlite.pragma("busy_timeout = 5000");
    const problems = (sqlite.pragma("quick_check") as { quick_check: string }[]).map((row) => row.quick_check);
    if (problems.length !== 1 || problems[0] !== "ok") throw new DatabaseDamagedError(file, problems);
  } catch (error) {
    sqlite?.close();
    // A damaged header or first page fails before quick_check can run: the same refusal, the same words.
    if (error instanceof Database.SqliteError && DAMAGE_CODES.has(error.code)) throw new DatabaseDamagedError(file, [error.message]);
    throw error;
  }
  const db = drizzle(sqlite, { schema }) as SqliteDb;
  migrate(db, { migrationsFolder: options.migrationsFolder ?? MIGRATIONS_FOLDER });
  return {
    db,
    sqlite,
    migrated: true,
    close() {
      if (sqlite.open) sqlite.close();
    },
  };
}
