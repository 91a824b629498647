/**
 * Statistics speed on seeded databases (scripts/seed.ts), in one run:
 *   npx tsx scripts/bench/stats.ts --files ./data/seed-100k.db,./data/seed.db [--rounds 7]
 *        [--backends sqlite,postgres] [--json out.json]
 * For each file and backend: the machine's baseline (`SELECT count(*) FROM dossiers`), then a year
 * report (period=2025) grouped by agency and by month through the service (maintained report-month
 * aggregates: per-dimension roll-ups), grouped by procedure under an agency filter (the full
 * aggregate cells), and the same counts by one pass over the dossiers (the path for ranges that
 * are not whole report months); then the parts of the year report by agency alone (the aggregates,
 * the apology letters, the overdue duties, and those duties counted by one pass over them, as before
 * the maintained duty counts); then the same report as of a day inside the year (its duty counts
 * from whole months, days and today's pass). Medians of the rounds, after one warm-up round. Read-only.
 *
 * With `postgres` among the backends (issue #16): a throwaway PostgreSQL 18 server (durable
 * defaults, scripts/lib/throwaway-postgres.ts) is started once; each file is copied into its own
 * database with migrateToPostgres (verified), vacuumed and analysed (as after any bulk load), and
 * the same queries run through the PostgreSQL repositories. The copy's time and size are printed,
 * and the statements one report sends (pg_stat_statements, loaded at the server's start).
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import pg from "pg";
import { openSqlite } from "../../src/db/sqlite/sqlite-client.js";
import { createSqliteRepositories } from "../../src/db/sqlite/index.js";
import { openPostgres } from "../../src/db/postgres/pg-client.js";
import { createPostgresRepositories } from "../../src/db/postgres/index.js";
import { migrateToPostgres } from "../../src/migrate-to-postgres.js";
import { createServices, type Repositories } from "../../src/services/index.js";
import { reportMonthOf } from "../../src/domain/statistics/report-period.js";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../lib/throwaway-postgres.js";
import { OBSERVED_SETTINGS } from "./lib/postgres-observer.js";

const { values } = parseArgs({
  options: {
    files: { type: "string", default: "./data/seed.db" },
    rounds: { type: "string", default: "7" },
    period: { type: "string", default: "2025" },
    backends: { type: "string", default: "sqlite" },
    json: { type: "string" },
  },
  strict: true,
});
const rounds = Number(values.rounds);
const backends = values.backends.split(",").map((b) => b.trim());
for (const b of backends) if (b !== "sqlite" && b !== "postgres") throw new Error(`unknown backend "${b}" (sqlite, postgres)`);

async function time(fn: () => unknown | Promise<unknown>): Promise<number> {
  await fn(); // warm-up: page cache, prepared statements, engines
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

/** What the measures need of a storage: its repositories and a few direct reads. */
interface Storage {
  readonly repos: Repositories;
  count(table: "dossiers" | "stat_month_totals"): Promise<number>;
  rootAgency(): Promise<string>;
  close(): Promise<void>;
  /** The overdue-duty counts by one pass over the duties due in [p0, p1) (how the report counted them before the maintained counts). */
  dutyPass(p0: number, p1: number, groupBy: "agency"): Promise<number>;
  /** Statements sent since the last call (PostgreSQL only). */
  statementsSince?(): Promise<number>;
}

interface Row {
  readonly file: string;
  readonly backend: string;
  readonly dossiers: number;
  readonly aggregateRows: number;
  readonly query: string;
  readonly medianMs: number;
  /** PostgreSQL: statements one call sends (pg_stat_statements over the timed calls). */
  readonly statements?: number;
}

async function measure(file: string, backend: string, storage: Storage, rows: Row[]): Promise<void> {
  const { repos } = storage;
  const services = createServices(repos, { now: Date.now, adminKey: undefined });
  const dossiers = await storage.count("dossiers");
  const totals = await storage.count("stat_month_totals");
  const report = await services.statistics.timeliness({ period: values.period, groupBy: "agency", basis: "committed" });
  // The root of the agency tree: a filter that keeps every dossier but must read the full cells.
  const rootAgency = await storage.rootAgency();
  const { from, to } = report;
  const p0 = Date.parse(`${from}T00:00:00+07:00`);
  const p1 = Date.parse(`${to}T00:00:00+07:00`) + 86_400_000;
  // "Now" inside the period: the 20th of its tenth month, 10:00.
  const inYear = { now: Date.parse(`${to.slice(0, 4)}-10-20T10:00:00+07:00`), label: `${to.slice(0, 4)}-10-20 10:00` };
  const servicesInYear = createServices(repos, { now: () => inYear.now, adminKey: undefined });

  const measures: [string, () => unknown][] = [
    ["SELECT count(*) FROM dossiers (baseline)", () => storage.count("dossiers")],
    [`year report by agency (aggregates)`, () => services.statistics.timeliness({ period: values.period, groupBy: "agency", basis: "committed" })],
    [`year report by month (aggregates)`, () => services.statistics.timeliness({ period: values.period, groupBy: "month", basis: "committed" })],
    [`scorecard for the year (aggregates)`, () => services.statistics.scorecard({ period: values.period })],
    [
      `year by procedure, one agency subtree (full cells)`,
      () => services.statistics.timeliness({ period: values.period, groupBy: "procedure", basis: "committed", agencyCode: rootAgency }),
    ],
    [`year by agency, one pass over dossiers`, () => repos.statistics.timeliness({ p0, p1, basis: "committed", groupBy: "agency", filter: {} })],
    // The parts of the year report by agency, each alone: the aggregates, then what every report adds to them.
    [`  part: the aggregates alone (roll-up by agency)`, () => repos.statistics.timelinessByMonths({ fromMonth: reportMonthOf(from), toMonth: reportMonthOf(to), basis: "committed", groupBy: "agency", filter: {} })],
    [`  part: apology letters of the year by agency`, () => repos.statistics.apologyLetters({ p0, p1, groupBy: "agency", filter: {} })],
    [`  part: overdue duties of the year by agency (maintained counts)`, () => repos.statistics.overdueDuties({ p0, p1, now: Date.now(), groupBy: "agency", filter: {} })],
    [`  part: overdue duties, one pass over the duties (baseline: before #16)`, () => storage.dutyPass(p0, p1, "agency")],
    // A report reaching today: whole report months, the days of the current one, and today before now.
    [`year report by agency as of ${inYear.label} (aggregates)`, () => servicesInYear.statistics.timeliness({ period: values.period, groupBy: "agency", basis: "committed" })],
    [`  part: overdue duties as of ${inYear.label} (months, days, today's pass)`, () => repos.statistics.overdueDuties({ p0, p1, now: inYear.now, groupBy: "agency", filter: {} })],
    [`  part: overdue duties as of ${inYear.label}, one pass (baseline)`, () => storage.dutyPass(p0, Math.min(p1, inYear.now), "agency")],
    [`  part: overdue duties as of ${inYear.label} by procedure under the root (full cells)`, () => repos.statistics.overdueDuties({ p0, p1, now: inYear.now, groupBy: "procedure", filter: { agencyCodes: [rootAgency] } })],
  ];
  for (const [name, fn] of measures) {
    await storage.statementsSince?.();
    const ms = await time(fn);
    const statements = storage.statementsSince ? (await storage.statementsSince()) / (rounds + 1) : undefined;
    rows.push({ file, backend, dossiers, aggregateRows: totals, query: name, medianMs: ms, ...(statements !== undefined ? { statements } : {}) });
    console.error(`${file} (${backend}): ${name}: ${ms.toFixed(1)} ms`);
  }
  console.error(
    `${file} (${backend}): ${report.rows.length} agency rows, total received ${report.total.received.carriedOver + report.total.received.new}, resolved ${report.total.resolved.total}, on-time rate ${report.total.onTimeRate}`,
  );
}

function sqliteStorage(file: string): Storage {
  const handle = openSqlite(file);
  return {
    repos: createSqliteRepositories(handle),
    count: async (table) => (handle.sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n,
    rootAgency: async () => (handle.sqlite.prepare("select code from agencies where parent_code is null order by code limit 1").get() as { code: string }).code,
    dutyPass: async (p0, p1) =>
      handle.sqlite
        .prepare(
          `select l.agency_code as key, l.kind, count(*) as n from dossier_duties l join dossiers d on d.receipt_code = l.receipt_code
           where l.due_at >= ? and l.due_at < ? and d.status <> 'cancelled' and (l.done_at > l.due_at or (l.done_at is null and l.kind <> 'supplement_request_window'))
           group by 1, 2`,
        )
        .all(p0, p1).length,
    close: async () => handle.close(),
  };
}

async function postgresStorage(url: string, adminUrl: string, database: string): Promise<Storage> {
  const handle = await openPostgres(url, { poolSize: 2, applicationName: "motcua-bench-stats" });
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  return {
    async statementsSince() {
      const calls = Number(
        (await admin.query("select coalesce(sum(s.calls), 0)::text as n from pg_stat_statements s join pg_database d on d.oid = s.dbid where d.datname = $1", [database])).rows[0].n,
      );
      await admin.query("select pg_stat_statements_reset()");
      return calls;
    },
    repos: createPostgresRepositories(handle),
    count: async (table) => Number((await handle.pool.query(`select count(*) as n from ${table}`)).rows[0].n),
    rootAgency: async () => (await handle.pool.query(`select code from agencies where parent_code is null order by code collate "C" limit 1`)).rows[0].code as string,
    dutyPass: async (p0, p1) =>
      (
        await handle.pool.query(
          `select l.agency_code collate "C" as key, l.kind, count(*) as n from dossier_duties l join dossiers d on d.receipt_code = l.receipt_code
           where l.due_at >= $1 and l.due_at < $2 and d.status <> 'cancelled' and (l.done_at > l.due_at or (l.done_at is null and l.kind <> 'supplement_request_window'))
           group by 1, 2`,
          [p0, p1],
        )
      ).rowCount ?? 0,
    close: async () => {
      await admin.end();
      await handle.close();
    },
  };
}

interface Copy {
  readonly file: string;
  readonly seconds: number;
  readonly vacuumSeconds: number;
  readonly megabytes: number;
}

const rows: Row[] = [];
const copies: Copy[] = [];
let server: ThrowawayPostgres | undefined;
try {
  if (backends.includes("postgres")) {
    server = await startThrowawayPostgres({ durable: true, settings: OBSERVED_SETTINGS });
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query("create extension if not exists pg_stat_statements");
    await admin.end();
  }
  for (const [index, file] of values.files.split(",").entries()) {
    if (!fs.existsSync(file)) throw new Error(`${file} does not exist: run scripts/seed.ts first`);
    if (backends.includes("sqlite")) {
      const storage = sqliteStorage(file);
      try {
        await measure(file, "SQLite", storage, rows);
      } finally {
        await storage.close();
      }
    }
    if (server) {
      const database = `stats_${index}`;
      const admin = new pg.Client({ connectionString: server.url });
      await admin.connect();
      await admin.query(`create database ${database}`);
      console.error(`${file}: copying into PostgreSQL with migrateToPostgres…`);
      const t0 = performance.now();
      const report = await migrateToPostgres({ file, url: server.urlOf(database), sampleSize: 200 });
      const seconds = (performance.now() - t0) / 1000;
      if (!report.ok) throw new Error(`${file}: the copy did not verify: ${JSON.stringify({ missing: report.missing, sample: report.sample })}`);
      const t1 = performance.now();
      const target = new pg.Client({ connectionString: server.urlOf(database) });
      await target.connect();
      await target.query("vacuum (analyze)");
      await target.end();
      const vacuumSeconds = (performance.now() - t1) / 1000;
      const bytes = Number((await admin.query(`select pg_database_size('${database}')::text as n`)).rows[0].n);
      await admin.end();
      copies.push({ file, seconds, vacuumSeconds, megabytes: bytes / 2 ** 20 });
      console.error(`${file}: copied in ${seconds.toFixed(1)} s (verified), vacuum analyze ${vacuumSeconds.toFixed(1)} s, ${(bytes / 2 ** 20).toFixed(0)} MiB`);
      const storage = await postgresStorage(server.urlOf(database), server.url, database);
      try {
        await measure(file, "PostgreSQL", storage, rows);
      } finally {
        await storage.close();
      }
    }
  }
} finally {
  await server?.stop();
}

const header = ["database", "backend", "dossiers", "aggregate rows", "query", "median ms", "statements"];
const cells = rows.map((r) => [
  r.file,
  r.backend,
  r.dossiers.toLocaleString("en-US"),
  r.aggregateRows.toLocaleString("en-US"),
  r.query,
  r.medianMs.toFixed(1),
  r.statements === undefined ? "" : r.statements.toFixed(0),
]);
const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
const numeric = new Set([2, 3, 5, 6]);
const line = (c: string[]) => `| ${c.map((x, i) => (numeric.has(i) ? x.padStart(widths[i]!) : x.padEnd(widths[i]!))).join(" | ")} |`;
console.log(line(header));
console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
for (const c of cells) console.log(line(c));
if (copies.length > 0) {
  console.log("");
  for (const c of copies) console.log(`${c.file}: migrateToPostgres ${c.seconds.toFixed(1)} s (verified), vacuum analyze ${c.vacuumSeconds.toFixed(1)} s, ${c.megabytes.toFixed(0)} MiB in PostgreSQL`);
}
if (values.json) fs.writeFileSync(values.json, JSON.stringify({ date: new Date().toISOString(), node: process.version, rounds, rows, copies }, null, 2));
