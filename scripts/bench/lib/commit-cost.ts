/**
 * The raw cost of durable commits on this machine, the baselines of the write phases: a bare
 * fdatasync loop; single-row autocommit inserts in a temporary SQLite WAL database (FULL vs
 * NORMAL); the rows one event writes, with raw better-sqlite3; and on PostgreSQL (with the
 * server's durability: fsync on, synchronous_commit on) one round trip, single-row autocommit
 * inserts and the same rows per event with `pg` alone, from one client and from several at once.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";

export interface CommitCost {
  readonly label: string;
  readonly operations: number;
  /** Wall time per operation of one client (its latency). */
  readonly perOperationUs: number;
  /** Operations per second, all clients together. */
  readonly perSecond: number;
}

/** Single-row autocommit inserts (one transaction each) in a temporary WAL database. */
export function commitCost(dir: string, synchronous: "FULL" | "NORMAL", rowsPerCommit: number, maxMs: number): CommitCost {
  const file = path.join(dir, `.bench-commit-${process.pid}-${synchronous}-${rowsPerCommit}.db`);
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma(`synchronous = ${synchronous}`);
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
    const insert = db.prepare("INSERT INTO t (v) VALUES (?)");
    const commit = db.transaction((n: number) => {
      for (let i = 0; i < n; i++) insert.run("x".repeat(400));
    });
    for (let i = 0; i < 20; i++) commit(rowsPerCommit); // warm-up
    let count = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < maxMs && count < 100_000) {
      commit(rowsPerCommit);
      count++;
    }
    const ms = performance.now() - t0;
    return {
      label: `SQLite WAL synchronous=${synchronous}, ${rowsPerCommit} row(s) per commit`,
      operations: count,
      perOperationUs: (ms * 1000) / count,
      perSecond: (count * 1000) / ms,
    };
  } finally {
    db.close();
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
  }
}

const EVENT_PAYLOAD = JSON.stringify({ type: "transferred", agencyCode: "000.00.00.H00", toAgencyCode: "000.00.01.H00", stepCode: "S2", note: "x".repeat(150) });
const RAW_DOSSIERS = 1000;

/**
 * The rows one event writes, with raw better-sqlite3 and nothing else (the ingestion's baseline,
 * issue #12): an event row (a ~300-byte JSON payload, indexed by dossier and time) and the
 * dossier's projection row rewritten, `perCommit` events per durable transaction (1: a commit per
 * event, as before group commit; more: as the app's group commit shares one).
 */
export function sameRowsCost(dir: string, perCommit: number, maxMs: number): CommitCost {
  const file = path.join(dir, `.bench-rows-${process.pid}-${perCommit}.db`);
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    db.exec(`CREATE TABLE d (code TEXT PRIMARY KEY, status TEXT, due_at INTEGER, event_count INTEGER, updated_at INTEGER);
      CREATE TABLE e (event_id TEXT PRIMARY KEY, code TEXT NOT NULL, occurred_at INTEGER, payload TEXT, body_hash TEXT);
      CREATE INDEX e_code ON e (code, occurred_at)`);
    const insertDossier = db.prepare("INSERT INTO d VALUES (?, 'received', 0, 0, 0)");
    db.transaction(() => {
      for (let i = 0; i < RAW_DOSSIERS; i++) insertDossier.run(`D-${i}`);
    })();
    const insertEvent = db.prepare("INSERT INTO e VALUES (?, ?, ?, ?, ?)");
    const update = db.prepare("UPDATE d SET status = 'in_progress', due_at = ?, event_count = event_count + 1, updated_at = ? WHERE code = ?");
    let n = 0;
    const commit = db.transaction((count: number) => {
      for (let i = 0; i < count; i++, n++) {
        const code = `D-${n % RAW_DOSSIERS}`;
        insertEvent.run(randomUUID(), code, n, EVENT_PAYLOAD, "0".repeat(64));
        update.run(n, n, code);
      }
    });
    for (let i = 0; i < 20; i++) commit(perCommit);
    let events = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < maxMs && events < 200_000) {
      commit(perCommit);
      events += perCommit;
    }
    const ms = performance.now() - t0;
    return { label: `same rows per event (event + projection), raw better-sqlite3, ${perCommit} event(s) per FULL commit`, operations: events, perOperationUs: (ms * 1000) / events, perSecond: (events * 1000) / ms };
  } finally {
    db.close();
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
  }
}

/** A 4 KiB write and fdatasync, repeated: the floor under any durable commit on this disk. */
export function fdatasyncCost(dir: string, maxMs: number): CommitCost {
  const file = path.join(dir, `.bench-fsync-${process.pid}.bin`);
  const fd = fs.openSync(file, "w");
  const block = Buffer.alloc(4096, 1);
  try {
    let count = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < maxMs && count < 100_000) {
      fs.writeSync(fd, block, 0, block.length, (count % 256) * 4096);
      fs.fdatasyncSync(fd);
      count++;
    }
    const ms = performance.now() - t0;
    return { label: "write 4 KiB + fdatasync", operations: count, perOperationUs: (ms * 1000) / count, perSecond: (count * 1000) / ms };
  } finally {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
  }
}

// ---- PostgreSQL --------------------------------------------------------------------------------------

/** `clients` connections each running `operation` back to back for `maxMs`; per-operation latency and the total rate. */
async function concurrently(url: string, clients: number, maxMs: number, setup: (c: pg.Client) => Promise<void>, operation: (c: pg.Client, client: number, n: number) => Promise<void>) {
  const connections = await Promise.all(
    Array.from({ length: clients }, async () => {
      const c = new pg.Client({ connectionString: url, application_name: "motcua-bench-raw" });
      await c.connect();
      return c;
    }),
  );
  try {
    await setup(connections[0]!);
    for (const [i, c] of connections.entries()) for (let n = 0; n < 10; n++) await operation(c, i, n); // warm-up
    let operations = 0;
    const t0 = performance.now();
    await Promise.all(
      connections.map(async (c, i) => {
        for (let n = 0; performance.now() - t0 < maxMs; n++) {
          await operation(c, i, n);
          operations++;
        }
      }),
    );
    const ms = performance.now() - t0;
    return { operations, perOperationUs: (ms * 1000 * clients) / operations, perSecond: (operations * 1000) / ms };
  } finally {
    await Promise.all(connections.map((c) => c.end()));
  }
}

/** One round trip from Node to the server: `select $1` (the extended protocol, as drizzle's queries) on one connection. */
export async function pgRoundTrip(url: string, maxMs: number): Promise<CommitCost> {
  const r = await concurrently(url, 1, maxMs, async () => undefined, async (c) => void (await c.query({ text: "select $1::int as n", values: [1] })));
  return { label: "PostgreSQL round trip (select $1), 1 client", ...r };
}

/** Single-row autocommit inserts, `clients` at once: each commit waits for its WAL flush (PostgreSQL flushes the commits that wait together). */
export async function pgCommitCost(url: string, clients: number, maxMs: number): Promise<CommitCost> {
  const r = await concurrently(
    url,
    clients,
    maxMs,
    async (c) => void (await c.query("drop table if exists bench_t; create table bench_t (id bigserial primary key, v text not null)")),
    async (c) => void (await c.query({ text: "insert into bench_t (v) values ($1)", values: ["x".repeat(400)] })),
  );
  return { label: `PostgreSQL autocommit insert, 1 row per commit, ${clients} client(s)`, ...r };
}

/**
 * The rows one event writes, with `pg` alone: BEGIN, the event row, the dossier's projection row,
 * COMMIT (four round trips, one WAL flush), `clients` at once on distinct dossiers. With
 * `hotRow`, each transaction also adds to one shared row before committing, as every write adds to
 * the month's `all` aggregate row (stat_dimension_totals): the writers then queue on its row lock,
 * each holding it until its commit is flushed.
 */
export async function pgSameRowsCost(url: string, clients: number, maxMs: number, hotRow: boolean): Promise<CommitCost> {
  const r = await concurrently(
    url,
    clients,
    maxMs,
    async (c) => {
      await c.query(`drop table if exists bench_d, bench_e, bench_hot;
        create table bench_d (code text primary key, status text, due_at bigint, event_count int, updated_at bigint);
        create table bench_e (event_id text primary key, code text not null, occurred_at bigint, payload json, body_hash text);
        create index on bench_e (code, occurred_at);
        create table bench_hot (k text primary key, n bigint not null);
        insert into bench_hot values ('all', 0);
        insert into bench_d select 'D-' || i, 'received', 0, 0, 0 from generate_series(0, ${RAW_DOSSIERS - 1}) i`);
    },
    async (c, client, n) => {
      const code = `D-${client + clients * (n % Math.floor(RAW_DOSSIERS / clients))}`; // each client its own dossiers
      await c.query("begin");
      await c.query({ text: "insert into bench_e values ($1, $2, $3, $4, $5)", values: [randomUUID(), code, n, EVENT_PAYLOAD, "0".repeat(64)] });
      await c.query({ text: "update bench_d set status = 'in_progress', due_at = $1, event_count = event_count + 1, updated_at = $1 where code = $2", values: [n, code] });
      if (hotRow) await c.query("update bench_hot set n = n + 1 where k = 'all'");
      await c.query("commit");
    },
  );
  return { label: `same rows per event, raw pg, 1 event per commit, ${clients} client(s)${hotRow ? ", + one shared row updated" : ""}`, ...r };
}
