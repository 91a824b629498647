/**
 * What a benchmark reads of a PostgreSQL server around a load phase, to say where the time goes:
 * - the statements the app sent (pg_stat_statements, loaded at start: shared_preload_libraries),
 *   per normalized query: calls and execution time inside the server; updated as each statement
 *   ends (the cumulative views, pg_stat_database and pg_stat_io, reach a reader only up to 10 s
 *   after a busy backend goes idle, so they are not used);
 * - the WAL written (pg_current_wal_lsn before and after);
 * - the CPU of the server's processes (/proc: the postmaster, its reaped and live children) and
 *   their memory (summed PSS);
 * - what the app's connections are doing, sampled every ~50 ms in pg_stat_activity: running,
 *   waiting for a row lock, for the WAL flush, for the app inside a transaction, or idle.
 */
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { sleep } from "./child-servers.js";
import { treeCpuSeconds, treePssKb } from "./proc-readings.js";

/** The settings a benchmark server starts with (startThrowawayPostgres `settings`). */
export const OBSERVED_SETTINGS: Readonly<Record<string, string>> = {
  shared_preload_libraries: "pg_stat_statements",
};

export interface StatementStat {
  readonly query: string;
  readonly calls: number;
  readonly ms: number;
}

export interface PhaseObservation {
  /** The app's statements (its database only), most called first. */
  readonly statements: readonly StatementStat[];
  /** WAL bytes written over the phase (the whole server). */
  readonly walBytes: number;
  /** Mean number of the app's connections in each state over the samples. */
  readonly states: Readonly<Record<string, number>>;
  readonly samples: number;
  readonly pssPeakKb: number;
}

export interface PostgresObserver {
  readonly postmasterPid: number;
  readonly version: string;
  /** Resets the statement statistics and starts sampling; `end()` returns what happened to `database` meanwhile. */
  begin(database: string): Promise<{ end(): Promise<PhaseObservation> }>;
  /** The server's CPU seconds so far. */
  cpuSeconds(): number;
  close(): Promise<void>;
}

/**
 * A connection's state in a few words: `running` (active, no wait), `row lock` (Lock:
 * transactionid or tuple: another transaction holds the row until it commits), `WAL flush`
 * (IO:WALSync, LWLock:WALWrite: its commit waits for the log to reach the disk), `in transaction,
 * waiting for the app` (idle in transaction: the next statement is a round trip away), `idle`.
 */
export function describeState(state: string | null, waitType: string | null, wait: string | null): string {
  if (state === "idle") return "idle";
  if (state === "idle in transaction" || state === "idle in transaction (aborted)") return "in transaction, waiting for the app";
  if (waitType === null) return "running";
  if (waitType === "Lock") return `row lock (${wait})`;
  if (wait === "WALSync" || wait === "WALWrite" || wait === "WALInsert") return `WAL flush (${waitType}:${wait})`;
  return `${waitType}:${wait}`;
}

export async function observePostgres(adminUrl: string, dataDirectory: string): Promise<PostgresObserver> {
  const postmasterPid = Number(fs.readFileSync(path.join(dataDirectory, "postmaster.pid"), "utf8").split("\n")[0]);
  const admin = new pg.Client({ connectionString: adminUrl, application_name: "motcua-bench-observer" });
  const sampler = new pg.Client({ connectionString: adminUrl, application_name: "motcua-bench-sampler" });
  admin.on("error", () => undefined);
  sampler.on("error", () => undefined);
  await admin.connect();
  await sampler.connect();
  await admin.query("create extension if not exists pg_stat_statements");
  const version = (await admin.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]!.v;

  const walLsn = async () => (await admin.query<{ lsn: string }>("select pg_current_wal_lsn()::text as lsn")).rows[0]!.lsn;

  return {
    postmasterPid,
    version,
    cpuSeconds: () => treeCpuSeconds(postmasterPid),
    async begin(database) {
      await admin.query("select pg_stat_statements_reset()");
      const walBefore = await walLsn();
      const tally = new Map<string, number>();
      let samples = 0;
      let pssPeakKb = treePssKb(postmasterPid);
      let sampling = true;
      const loop = (async () => {
        let tick = 0;
        while (sampling) {
          const rows = (
            await sampler.query<{ state: string | null; wait_event_type: string | null; wait_event: string | null }>(
              "select state, wait_event_type, wait_event from pg_stat_activity where datname = $1 and application_name = 'motcua' and backend_type = 'client backend'",
              [database],
            )
          ).rows;
          samples++;
          for (const r of rows) {
            const key = describeState(r.state, r.wait_event_type, r.wait_event);
            tally.set(key, (tally.get(key) ?? 0) + 1);
          }
          // PSS walks every process's page tables: every ~2 s only.
          if (++tick % 40 === 0) pssPeakKb = Math.max(pssPeakKb, treePssKb(postmasterPid));
          await sleep(50);
        }
      })();
      return {
        async end() {
          sampling = false;
          await loop;
          pssPeakKb = Math.max(pssPeakKb, treePssKb(postmasterPid));
          const walBytes = Number((await admin.query<{ n: string }>("select pg_wal_lsn_diff(pg_current_wal_lsn(), $1)::text as n", [walBefore])).rows[0]!.n);
          const statements = (
            await admin.query<{ query: string; calls: number; ms: number }>(
              `select s.query, s.calls::float8 as calls, s.total_exec_time as ms from pg_stat_statements s join pg_database d on d.oid = s.dbid
               where d.datname = $1 order by s.calls desc, s.total_exec_time desc`,
              [database],
            )
          ).rows;
          const states = Object.fromEntries([...tally].sort((a, b) => b[1] - a[1]).map(([k, n]) => [k, n / Math.max(samples, 1)]));
          return { statements, walBytes, states, samples, pssPeakKb };
        },
      };
    },
    async close() {
      await sampler.end().catch(() => undefined);
      await admin.end().catch(() => undefined);
    },
  };
}
