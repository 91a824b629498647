/**
 * The PostgreSQL storage (issue #16): a pool of `pg` connections, drizzle's node-postgres dialect
 * over it, and the migrations of migrations/postgres/ applied at start-up. Several app instances
 * may start at once against one database: each takes the same advisory lock around the
 * migrations, so exactly one applies them and the others find them applied.
 */
import path from "node:path";
import pg from "pg";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import { MIGRATIONS_FOLDER } from "../../config.js";
import * as schema from "./schema.js";

export type PgDb = NodePgDatabase<typeof schema>;

export interface PostgresHandle {
  readonly db: PgDb;
  readonly pool: pg.Pool;
  /** True once migrations have been applied (reported by /readyz). */
  migrated: boolean;
  /** True once close() was called: the pool refuses new work. */
  readonly closed: boolean;
  close(): Promise<void>;
}

export const POSTGRES_MIGRATIONS_FOLDER = path.join(MIGRATIONS_FOLDER, "postgres");

/** Any constant: the key of the advisory lock that serializes migrations across instances. */
const MIGRATION_LOCK_KEY = 7_391_016;

/**
 * Instants and counters are bigint (int8), and count(*) and sums of them int8 or numeric: read as
 * JavaScript numbers. Epoch milliseconds and counts stay far below 2^53; an int8 that does not is
 * refused loudly rather than rounded. Set on pg's global parsers, not the pool's: drizzle passes
 * its own per-query parsers, which fall back to the global ones (a pool-level setting would not
 * reach `sql\`count(*)\`` through drizzle).
 */
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${value} is beyond 2^53`);
  return n;
});
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value: string) => Number(value));

export interface PostgresOptions {
  /** Connections in the pool (default 10; MOTCUA_DATABASE_POOL). */
  readonly poolSize?: number;
  readonly migrationsFolder?: string;
  /** The `application_name` the server shows for these connections. */
  readonly applicationName?: string;
}

/** Connects, migrates (under the advisory lock) and returns the handle; throws when the server is unreachable. */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<PostgresHandle> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    application_name: options.applicationName ?? "motcua",
    // A request waits at most this long for a connection, then fails as "storage unavailable".
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle connection the server drops (restart, failover) emits here; without a listener it
  // would crash the process. The pool replaces it; the next query that fails answers 503.
  pool.on("error", () => undefined);
  const db = drizzle({ client: pool, schema });
  let closed = false;
  try {
    const client = await pool.connect();
    try {
      await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
      try {
        await migrate(drizzle({ client, schema }), { migrationsFolder: options.migrationsFolder ?? POSTGRES_MIGRATIONS_FOLDER });
      } finally {
        await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
      }
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  return {
    db,
    pool,
    migrated: true,
    get closed() {
      return closed;
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

/** A URL as given to MOTCUA_DATABASE_URL, with the password hidden (logs, errors). */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparsable URL)";
  }
}
