import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { MIGRATIONS_FOLDER } from "../config.js";
import * as schema from "./schema.js";

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
 */
export function openSqlite(file: string, options: { migrationsFolder?: string } = {}): SqliteHandle {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
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
