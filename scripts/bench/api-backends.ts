/**
 * The dossier API on both storages, in one run, on the same seeded data (issue #16):
 *
 *   npx tsx scripts/bench/api-backends.ts --file /tmp/seed-20k.db [--duration 10] [--connections 50]
 *        [--warmup 2] [--ingest-dossiers 3000] [--pool 10] [--configs sqlite,pg1,pg2] [--phases lookup,ingest]
 *        [--no-baselines] [--cpu-prof] [--log-level warn] [--skip-build] [--json out.json]
 *
 * Configurations, measured back to back (same machine, same minutes):
 * - sqlite: one app instance on a copy of the seeded SQLite file (WAL, synchronous=FULL, group commit);
 * - pg1: one app instance on PostgreSQL (MOTCUA_DATABASE_URL, MOTCUA_DATABASE_POOL=--pool);
 * - pg2: two app instances on one PostgreSQL database, the load split across them (lib/http-load.ts:
 *   two autocannon runs in parallel, half the connections each, throughput summed, latencies merged).
 * PostgreSQL 18 is a throwaway server (scripts/lib/throwaway-postgres.ts) with its durable defaults
 * (fsync on, synchronous_commit on: an acknowledged write is on disk, as SQLite's synchronous=FULL),
 * pg_stat_statements loaded. The seed is copied in once with migrateToPostgres (verified), vacuumed
 * and analysed; each PostgreSQL configuration gets its own database cloned from that copy
 * (CREATE DATABASE … TEMPLATE), so every configuration starts from the same data.
 *
 * Baselines, in the same run: the disk (fdatasync; SQLite single-row commits; an event's rows with raw
 * better-sqlite3, 1 and 20 per commit), PostgreSQL alone (a round trip; single-row autocommit
 * inserts from 1 and --pool clients; an event's rows with raw pg, 1 and --pool clients, and with one
 * shared row updated by every transaction), and HTTP (bare-server.ts: a bare route, the dossier read
 * with better-sqlite3, the same read with pg).
 *
 * Phases per configuration: warm-up lookups; lookups at 1 connection (one instance only: the
 * latency of a request alone); lookups at --connections; receptions (POST /v1/dossiers); ingestion
 * (POST …/events, in order per dossier, 2 × --connections dossiers under way so that every
 * configuration posts the same mix of event types) at --connections; ingestion at 1 connection
 * (one instance). After a phase, the next waits until the apps are quiet (requests left in flight).
 * Around each phase: the CPU seconds of the app instances, of PostgreSQL's processes and of this
 * process (the load generator), and the machine's busy time (/proc): what is left is other work on
 * the machine. On PostgreSQL also: statements per request (pg_stat_statements), transactions and WAL
 * fsyncs per request (pg_stat_database, pg_stat_io), and what the app's connections were doing
 * (pg_stat_activity sampled every ~50 ms). The app's own fsync calls are counted with perf (SQLite
 * commits in the app's process). --cpu-prof profiles each configuration's first instance over its
 * whole life and prints its top functions. Children and the server are stopped at the end, on
 * error and on Ctrl-C.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { freePort } from "../crash/server-process.js";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../lib/throwaway-postgres.js";
import { migrateToPostgres } from "../../src/migrate-to-postgres.js";
import { failAndExit, fail, heapOf, HOST, log, onAbort, ROOT, sleep, start, stop, waitReady, type Server } from "./lib/child-servers.js";
import { commitCost, fdatasyncCost, pgCommitCost, pgRoundTrip, pgSameRowsCost, sameRowsCost, type CommitCost } from "./lib/commit-cost.js";
import { ingestionRequests, lookupRequests, readSeed, receptionRequests, type IngestPlan } from "./lib/dossier-workload.js";
import { summarizeProfile } from "./lib/cpu-profile.js";
import { runPhase, type PhaseResult } from "./lib/http-load.js";
import { observePostgres, OBSERVED_SETTINGS, type PhaseObservation, type PostgresObserver } from "./lib/postgres-observer.js";
import { childrenOf, cpuSeconds, machineCpuSeconds, rssKb } from "./lib/proc-readings.js";
import { countSyncCalls } from "./lib/syscall-counter.js";
import { LOAD_OPTIONS, readLoadOptions } from "./lib/load-options.js";
import type autocannon from "autocannon";

const { values: args } = parseArgs({
  options: {
    ...LOAD_OPTIONS,
    pool: { type: "string", default: "10" },
    configs: { type: "string", default: "sqlite,pg1,pg2" },
    phases: { type: "string", default: "lookup,ingest" },
    "no-baselines": { type: "boolean", default: false },
  },
  strict: true,
});
const { file: FILE, duration: DURATION, connections: CONNECTIONS, warmup: WARMUP, ingestDossiers: INGEST_DOSSIERS, logLevel: LOG_LEVEL } = readLoadOptions(args);
const POOL = Number(args.pool);
if (!Number.isFinite(POOL) || POOL < 0) fail("--pool must be a non-negative number");
if (CONNECTIONS < 2) fail("--connections must be at least 2 (one per instance)");

interface Configuration {
  readonly key: string;
  readonly label: string;
  readonly backend: "sqlite" | "postgres";
  readonly instances: number;
}
const KNOWN: readonly Configuration[] = [
  { key: "sqlite", label: "SQLite, 1 instance", backend: "sqlite", instances: 1 },
  { key: "pg1", label: "PostgreSQL, 1 instance", backend: "postgres", instances: 1 },
  { key: "pg2", label: "PostgreSQL, 2 instances", backend: "postgres", instances: 2 },
];
const CONFIGS = args.configs.split(",").map((key) => KNOWN.find((c) => c.key === key.trim()) ?? fail(`unknown configuration "${key}" (sqlite, pg1, pg2)`));
const PHASES = new Set(args.phases.split(",").map((p) => p.trim()));
for (const p of PHASES) if (p !== "lookup" && p !== "ingest") fail(`unknown phase "${p}" (lookup, ingest: reception and ingestion)`);
const BASELINES = !args["no-baselines"];
/** Dossiers kept aside from the reception phase for the 1-connection ingestion. */
const SOLO_DOSSIERS = 50;

// ---- measured phases ------------------------------------------------------------------------------------

interface CpuShare {
  readonly wallSeconds: number;
  /** CPU seconds over the phase. */
  readonly app: number;
  readonly postgres: number;
  readonly loadGenerator: number;
  readonly machineBusy: number;
  readonly machineTotal: number;
}

interface Measured {
  readonly config: string;
  readonly result: PhaseResult;
  readonly cpu: CpuShare;
  /** fsync/fdatasync calls of the app processes and of PostgreSQL's (perf), when perf could count them. */
  readonly appSyncCalls: Record<string, number> | undefined;
  readonly postgresSyncCalls: Record<string, number> | undefined;
  readonly postgres: PhaseObservation | undefined;
}

interface Context {
  readonly config: Configuration;
  readonly servers: readonly Server[];
  readonly observer: PostgresObserver | undefined;
  readonly database: string | undefined;
}

async function measured(context: Context, run: () => Promise<PhaseResult>): Promise<Measured> {
  const appCpu = () => context.servers.reduce((sum, s) => sum + cpuSeconds(s.pid), 0);
  const generatorCpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  const syncs = countSyncCalls(context.servers.map((s) => s.pid));
  // PostgreSQL's processes now: after the warm-up, the pools' connections are open.
  const postgresSyncs = context.observer ? countSyncCalls([context.observer.postmasterPid, ...childrenOf(context.observer.postmasterPid)]) : undefined;
  const observation = context.observer && context.database ? await context.observer.begin(context.database) : undefined;
  const before = { app: appCpu(), postgres: context.observer?.cpuSeconds() ?? 0, generator: generatorCpu(), machine: machineCpuSeconds(), at: performance.now() };
  const result = await run();
  const after = { app: appCpu(), postgres: context.observer?.cpuSeconds() ?? 0, generator: generatorCpu(), machine: machineCpuSeconds(), at: performance.now() };
  const appSyncCalls = await syncs.stop();
  const postgresSyncCalls = await postgresSyncs?.stop();
  const postgres = observation ? await observation.end() : undefined;
  return {
    config: context.config.key,
    result,
    cpu: {
      wallSeconds: (after.at - before.at) / 1000,
      app: after.app - before.app,
      postgres: after.postgres - before.postgres,
      loadGenerator: after.generator - before.generator,
      machineBusy: after.machine.busy - before.machine.busy,
      machineTotal: after.machine.total - before.machine.total,
    },
    appSyncCalls,
    postgresSyncCalls,
    postgres,
  };
}

/** Waits until the app instances have used no CPU for 300 ms (at most 10 s): no request left from the last phase. */
async function settle(context: Context): Promise<void> {
  const cpu = () => context.servers.reduce((sum, s) => sum + cpuSeconds(s.pid), 0);
  for (let waited = 0, last = cpu(); waited < 10_000; waited += 300) {
    await sleep(300);
    const now = cpu();
    if (now - last < 0.03) return;
    last = now;
  }
}

/** Receptions, then their events at --connections, then (one instance) the events of a few dossiers at 1 connection. */
async function ingest(context: Context, plan: IngestPlan, jsonHeaders: Record<string, string>, measures: Measured[]): Promise<void> {
  const { config, servers } = context;
  const received: string[] = [];
  const solo = config.instances === 1 ? SOLO_DOSSIERS : 0;
  log(`reception × ${fmt(INGEST_DOSSIERS + solo)}…`);
  measures.push(
    await measured(context, () =>
      runPhase("reception", { servers, connections: CONNECTIONS, requests: receptionRequests(plan, received), headers: jsonHeaders, duration: DURATION * 3, amount: INGEST_DOSSIERS + solo }),
    ),
  );
  // A phase stopped by its time limit leaves requests inside the app (receptions queued on the
  // receipt-number row): let them finish before the next phase is measured.
  await settle(context);
  const soloDossiers = solo > 0 ? received.splice(Math.max(0, received.length - solo)) : [];
  // Twice as many dossiers under way as connections: every configuration posts the script's mix of events.
  const ingestion = ingestionRequests(plan, received, CONNECTIONS, 2 * CONNECTIONS);
  if (ingestion.amount === 0) await failAndExit("not enough dossiers for ingestion: raise --ingest-dossiers");
  log(`ingestion, ${CONNECTIONS} connections: up to ${fmt(ingestion.amount)} events…`);
  measures.push(
    await measured(context, () =>
      runPhase("ingestion", { servers, connections: CONNECTIONS, requests: ingestion.requests, headers: jsonHeaders, duration: DURATION, amount: ingestion.amount }),
    ),
  );
  await settle(context);
  if (soloDossiers.length > 1) {
    const one = ingestionRequests(plan, soloDossiers, 1);
    log(`ingestion, 1 connection: ${fmt(one.amount)} events…`);
    measures.push(
      await measured(context, () => runPhase("ingestion, 1 connection", { servers, connections: 1, requests: one.requests, headers: jsonHeaders, duration: DURATION, amount: one.amount })),
    );
  }
}

// ---- formatting ---------------------------------------------------------------------------------------------

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString("en", { minimumFractionDigits: digits, maximumFractionDigits: digits }) : "–");
const mib = (kb: number) => `${fmt(kb / 1024)} MiB`;
/** A statement's text on one line, its literal lists shortened, for grouping and printing. */
const shape = (query: string) =>
  query
    .replace(/\s+/g, " ")
    .replace(/\(\$\d+(, \$\d+)*\)(, \(\$\d+(, \$\d+)*\))+/g, "($…), …")
    .replace(/\$\d+(, \$\d+){3,}/g, "$…")
    .trim();

function statementSummary(observation: PhaseObservation, responses: number, top: number): string[] {
  const grouped = new Map<string, { calls: number; ms: number }>();
  for (const s of observation.statements) {
    const key = shape(s.query).slice(0, 110);
    const g = grouped.get(key) ?? { calls: 0, ms: 0 };
    g.calls += s.calls;
    g.ms += s.ms;
    grouped.set(key, g);
  }
  return [...grouped]
    .sort((a, b) => b[1].calls - a[1].calls)
    .slice(0, top)
    .map(([query, g]) => `| ${fmt(g.calls / responses, 2)} | ${fmt((1000 * g.ms) / g.calls, 0)} µs | \`${query.replace(/\|/g, "\\|")}\` |`);
}

// ---- the run ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (!fs.existsSync(FILE)) fail(`${FILE} does not exist: run scripts/seed.ts first`);
  const seed = readSeed(FILE);
  if (seed.dossiers === 0) fail(`${FILE} has no dossiers`);
  const plan = seed.ingestPlan ?? fail("no procedure with 4+ steps in working days was found for the ingestion phase");
  const machine = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "?",
    memoryGiB: os.totalmem() / 2 ** 30,
    loadAverageBefore: os.loadavg().map((l) => l.toFixed(2)).join(" "),
    loadAverageAfter: "",
  };
  log(`database ${FILE}: ${fmt(seed.dossiers)} dossiers, ${fmt(seed.events)} events, ${fmt(seed.bytes / 2 ** 20)} MiB`);

  if (!args["skip-build"]) {
    log("npm run build…");
    const build = spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
    if (build.status !== 0) fail("npm run build failed");
  }
  const git = (...argv: string[]) => spawnSync("git", ["--no-optional-locks", ...argv], { cwd: ROOT, encoding: "utf8" }).stdout?.trim() ?? "";
  const changed = git("status", "--porcelain", "--untracked-files=no", "--", "src").split("\n").filter(Boolean).length;
  const revision = `${git("rev-parse", "--short", "HEAD") || "?"}${changed > 0 ? ` with ${changed} changed file(s) in src/` : ""}`;

  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-bench-backends-"));
  let server: ThrowawayPostgres | undefined;
  let observer: PostgresObserver | undefined;
  const cleanup = async () => {
    await observer?.close();
    await server?.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  };
  const unregister = onAbort(cleanup);
  try {
    // The SQLite configuration's copy, taken before anything opens the seed.
    const sqliteFile = path.join(workDir, "sqlite.db");
    for (const suffix of ["", "-wal"]) if (fs.existsSync(FILE + suffix)) fs.copyFileSync(FILE + suffix, sqliteFile + suffix);

    // PostgreSQL: a durable throwaway server, the seed copied in once and verified, one clone per configuration.
    const usesPostgres = CONFIGS.some((c) => c.backend === "postgres");
    let migration: { seconds: number; copySeconds: number; ok: boolean; vacuumSeconds: number; cloneSeconds: number; bytes: number } | undefined;
    if (usesPostgres) {
      log("starting PostgreSQL (durable: fsync on, synchronous_commit on)…");
      server = await startThrowawayPostgres({ durable: true, settings: OBSERVED_SETTINGS });
      observer = await observePostgres(server.url, server.dataDirectory);
      const admin = new pg.Client({ connectionString: server.url });
      admin.on("error", () => undefined);
      await admin.connect();
      try {
        await admin.query("create database motcua_seed");
        log("copying the seed into PostgreSQL with migrateToPostgres…");
        const t0 = performance.now();
        const report = await migrateToPostgres({ file: FILE, url: server.urlOf("motcua_seed"), sampleSize: 200 });
        const seconds = (performance.now() - t0) / 1000;
        if (!report.ok) await failAndExit(`migrateToPostgres did not verify: ${JSON.stringify({ missing: report.missing, sample: report.sample })}`);
        const seeded = new pg.Client({ connectionString: server.urlOf("motcua_seed") });
        await seeded.connect();
        const t1 = performance.now();
        await seeded.query("vacuum (analyze)");
        const vacuumSeconds = (performance.now() - t1) / 1000;
        await seeded.end();
        const t2 = performance.now();
        for (const c of CONFIGS.filter((c) => c.backend === "postgres")) await admin.query(`create database motcua_${c.key} template motcua_seed`);
        await admin.query("create database motcua_raw");
        await admin.query("checkpoint");
        const cloneSeconds = (performance.now() - t2) / 1000;
        const bytes = Number((await admin.query<{ n: string }>("select pg_database_size('motcua_seed')::text as n")).rows[0]!.n);
        migration = { seconds, copySeconds: report.copySeconds, ok: report.ok, vacuumSeconds, cloneSeconds, bytes };
        log(`copied in ${seconds.toFixed(1)} s (verified), vacuum ${vacuumSeconds.toFixed(1)} s, clones ${cloneSeconds.toFixed(1)} s, ${fmt(bytes / 2 ** 20)} MiB`);
      } finally {
        await admin.end();
      }
    }
    const settings = server ? await readSettings(server.url) : undefined;

    // Baselines: the disk, PostgreSQL alone.
    const disk: CommitCost[] = [];
    if (BASELINES) {
      log("measuring the commit cost of this disk…");
      disk.push(fdatasyncCost(workDir, 2000), commitCost(workDir, "FULL", 1, 2000), sameRowsCost(workDir, 1, 2000), sameRowsCost(workDir, 20, 2000));
    }
    if (server && BASELINES) {
      log("measuring PostgreSQL alone (round trip, commits)…");
      const raw = server.urlOf("motcua_raw");
      disk.push(
        await pgRoundTrip(raw, 2000),
        await pgCommitCost(raw, 1, 2000),
        await pgCommitCost(raw, POOL, 2000),
        await pgSameRowsCost(raw, 1, 2000, false),
        await pgSameRowsCost(raw, POOL, 2000, false),
        await pgSameRowsCost(raw, POOL, 2000, true),
      );
    }

    const measures: Measured[] = [];
    const adminKey = `bench_${randomBytes(24).toString("hex")}`;
    const auth = { authorization: `Bearer ${adminKey}` };
    const jsonHeaders = { ...auth, "content-type": "application/json" };

    // Baselines: bare HTTP routes (no app), the dossier read with better-sqlite3 and with pg.
    if (BASELINES) {
      const port = await freePort();
      const bare = start(
        "the bare server",
        process.execPath,
        ["--import", "tsx", "scripts/bench/bare-server.ts"],
        { PORT: String(port), LOG_LEVEL, BARE_DB_FILE: FILE, ...(server ? { BARE_PG_URL: server.urlOf("motcua_seed"), BARE_PG_POOL: String(POOL) } : {}) },
        port,
      );
      try {
        await waitReady(bare);
        const context: Context = { config: { key: "bare", label: "bare Fastify", backend: "sqlite", instances: 1 }, servers: [bare], observer, database: server ? "motcua_seed" : undefined };
        const byCode = (prefix: string): autocannon.Request[] => {
          let next = 0;
          return [{ method: "GET", setupRequest: (req) => ({ ...req, path: `${prefix}/${encodeURIComponent(seed.codes[next++ % seed.codes.length]!)}` }) }];
        };
        const routes: [string, autocannon.Request[]][] = [
          ["bare GET /bare", [{ method: "GET", path: "/bare" }]],
          ["bare GET /bare/sqlite/{code}", byCode("/bare/sqlite")],
          ...(server ? [["bare GET /bare/postgres/{code}", byCode("/bare/postgres")] as [string, autocannon.Request[]]] : []),
        ];
        for (const [name, requests] of routes) {
          if (WARMUP > 0) await runPhase("warm-up", { servers: [bare], connections: CONNECTIONS, requests, duration: WARMUP });
          log(`${name}…`);
          measures.push(await measured(context, () => runPhase(name, { servers: [bare], connections: CONNECTIONS, requests, duration: DURATION })));
        }
      } finally {
        await stop(bare);
      }
    }

    // The configurations, back to back.
    const profileSummaries: string[] = [];
    const instancesOf = new Map<string, { rssReadyKb: number[]; rssAfterKb: number[]; heapAfter: (Awaited<ReturnType<typeof heapOf>> | undefined)[] }>();
    for (const config of CONFIGS) {
      const database = config.backend === "postgres" ? `motcua_${config.key}` : undefined;
      const env: Record<string, string> =
        config.backend === "sqlite"
          ? { MOTCUA_DB_FILE: sqliteFile }
          : { MOTCUA_DATABASE_URL: server!.urlOf(database!), MOTCUA_DATABASE_POOL: String(POOL), MOTCUA_DB_FILE: path.join(workDir, "unused.db") };
      log(`\n== ${config.label} ==`);
      const servers: Server[] = [];
      for (let i = 0; i < config.instances; i++) {
        const port = await freePort();
        servers.push(
          start(
            `app #${i + 1} (${config.key})`,
            process.execPath,
            [...(args["cpu-prof"] && i === 0 ? ["--cpu-prof", `--cpu-prof-dir=${path.join(workDir, "profiles", config.key)}`] : []), path.join(ROOT, "dist/server.js")],
            { PORT: String(port), HOST, MOTCUA_ADMIN_KEY: adminKey, LOG_LEVEL, ...env },
            port,
          ),
        );
      }
      await Promise.all(servers.map((s) => waitReady(s)));
      const rssReadyKb = servers.map((s) => rssKb(s.pid));
      for (const s of servers) {
        const res = await fetch(`http://${HOST}:${s.port}/v1/dossiers/${encodeURIComponent(seed.codes[0]!)}`, { headers: auth });
        if (res.status !== 200) await failAndExit(`${s.name}: GET /v1/dossiers/${seed.codes[0]} answered ${res.status}: ${await res.text()}`);
      }
      const context: Context = { config, servers, observer: config.backend === "postgres" ? observer : undefined, database };
      const lookups = lookupRequests(seed.codes);

      if (WARMUP > 0) await runPhase("warm-up", { servers, connections: CONNECTIONS, requests: lookups, headers: auth, duration: WARMUP });
      if (PHASES.has("lookup") && config.instances === 1) {
        log("lookup, 1 connection…");
        measures.push(await measured(context, () => runPhase("lookup, 1 connection", { servers, connections: 1, requests: lookups, headers: auth, duration: Math.max(1, DURATION / 2) })));
      }
      if (PHASES.has("lookup")) {
        log(`lookup, ${CONNECTIONS} connections…`);
        measures.push(await measured(context, () => runPhase("lookup", { servers, connections: CONNECTIONS, requests: lookups, headers: auth, duration: DURATION })));
      }
      if (PHASES.has("ingest")) await ingest(context, plan, jsonHeaders, measures);

      await sleep(2000);
      const rssAfterKb = servers.map((s) => rssKb(s.pid));
      const heapAfter = await Promise.all(servers.map((s) => heapOf(s.port)));
      instancesOf.set(config.key, { rssReadyKb, rssAfterKb, heapAfter });
      for (const s of servers) await stop(s);
      const profiles = path.join(workDir, "profiles", config.key);
      if (args["cpu-prof"] && fs.existsSync(profiles))
        for (const f of fs.readdirSync(profiles)) profileSummaries.push(`CPU profile of ${config.label}, instance #1 (whole life):\n${summarizeProfile(path.join(profiles, f), 30)}`);
    }
    machine.loadAverageAfter = os.loadavg().map((l) => l.toFixed(2)).join(" ");

    // ---- report --------------------------------------------------------------------------------------------
    const lines: string[] = [];
    lines.push(
      `${machine.date}, Node ${machine.node}, ${machine.cpus} cores (${machine.cpuModel}), ${fmt(machine.memoryGiB)} GiB, load average ${machine.loadAverageBefore} (after: ${machine.loadAverageAfter})`,
      `app at ${revision}; seed ${FILE}: ${fmt(seed.dossiers)} dossiers, ${fmt(seed.events)} events, ${fmt(seed.bytes / 2 ** 20)} MiB in SQLite` +
        (migration ? `, ${fmt(migration.bytes / 2 ** 20)} MiB in PostgreSQL (migrateToPostgres ${migration.seconds.toFixed(1)} s, verified; vacuum analyze ${migration.vacuumSeconds.toFixed(1)} s; clones ${migration.cloneSeconds.toFixed(1)} s)` : ""),
      `${CONNECTIONS} connections, ${DURATION} s per phase (warm-up ${WARMUP} s), LOG_LEVEL=${LOG_LEVEL}, loopback ${HOST}` +
        (settings ? `; PostgreSQL ${observer!.version}, MOTCUA_DATABASE_POOL=${POOL} per instance, ${settings}` : ""),
      "",
    );

    // Side by side.
    const phases = [...new Set(measures.filter((m) => CONFIGS.some((c) => c.key === m.config)).map((m) => m.result.name))];
    const cell = (m: Measured | undefined) => (m ? `${fmt(m.result.perSecond)}/s · ${fmt(m.result.p50, 1)} / ${fmt(m.result.p99, 1)} ms${m.result.non2xx > 0 ? ` · ${fmt(m.result.non2xx)} non-2xx` : ""}` : "–");
    lines.push(`| phase (requests/s · p50 / p99) | ${CONFIGS.map((c) => c.label).join(" | ")} |`, `|---|${CONFIGS.map(() => "---:").join("|")}|`);
    for (const phase of phases) lines.push(`| ${phase} | ${CONFIGS.map((c) => cell(measures.find((m) => m.config === c.key && m.result.name === phase))).join(" | ")} |`);
    lines.push("");

    // Every phase in detail, baselines first.
    lines.push(
      "| configuration | phase | requests/s | p50 ms | p90 ms | p99 ms | max ms | responses | non-2xx | RSS peak per instance | CPU ms/request: app | PostgreSQL | bench process (load generator, observer) | cores busy: ours | others |",
      "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    );
    for (const m of measures) {
      const r = m.result;
      const perRequest = (seconds: number) => fmt((1000 * seconds) / Math.max(r.responses, 1), 2);
      const ours = m.cpu.app + m.cpu.postgres + m.cpu.loadGenerator;
      const label = KNOWN.find((c) => c.key === m.config)?.label ?? "bare Fastify";
      lines.push(
        `| ${label} | ${r.name} | ${fmt(r.perSecond)} | ${fmt(r.p50, 2)} | ${fmt(r.p90, 2)} | ${fmt(r.p99, 2)} | ${fmt(r.max, 1)} | ${fmt(r.responses)} | ${fmt(r.non2xx)} | ${r.rssPeaksKb.map(mib).join(" + ")} | ${perRequest(m.cpu.app)} | ${m.postgres ? perRequest(m.cpu.postgres) : "–"} | ${perRequest(m.cpu.loadGenerator)} | ${fmt(ours / m.cpu.wallSeconds, 2)} | ${fmt(Math.max(0, m.cpu.machineBusy - ours) / m.cpu.wallSeconds, 2)} |`,
      );
    }
    for (const m of measures) if (m.result.non2xx > 0) lines.push(`  ${m.config} ${m.result.name}: status codes ${JSON.stringify(m.result.statusCodes)}`);
    lines.push("");
    for (const config of CONFIGS) {
      const i = instancesOf.get(config.key);
      if (!i) continue;
      const heap = i.heapAfter.map((h) => (h ? `${mib(h.heapUsedKb)} of ${mib(h.heapTotalKb)}` : "?")).join(" + ");
      lines.push(`- ${config.label}: RSS at ready ${i.rssReadyKb.map(mib).join(" + ")}, 2 s after the load ${i.rssAfterKb.map(mib).join(" + ")}; V8 heap after ${heap}`);
    }
    lines.push("");

    // Statements, commits and fsyncs.
    lines.push(
      "| configuration | phase | statements/request | BEGIN…COMMIT/request | fsync calls/request: app | PostgreSQL | WAL/request | server time/request (sum of statement times) | PostgreSQL memory (PSS peak) |",
      "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    );
    const syncSum = (calls: Record<string, number> | undefined) => (calls ? Object.values(calls).reduce((s, x) => s + x, 0) : NaN);
    for (const m of measures) {
      const n = Math.max(m.result.responses, 1);
      const o = m.postgres;
      const statements = o ? o.statements.reduce((s, x) => s + x.calls, 0) : NaN;
      const commits = o ? o.statements.filter((x) => /^commit\b/i.test(x.query.trim())).reduce((s, x) => s + x.calls, 0) : NaN;
      const serverMs = o ? o.statements.reduce((s, x) => s + x.ms, 0) : NaN;
      const label = KNOWN.find((c) => c.key === m.config)?.label ?? "bare Fastify";
      lines.push(
        `| ${label} | ${m.result.name} | ${fmt(statements / n, 2)} | ${fmt(commits / n, 2)} | ${fmt(syncSum(m.appSyncCalls) / n, 3)} | ${fmt(syncSum(m.postgresSyncCalls) / n, 3)} | ${o ? `${fmt(o.walBytes / n / 1024, 1)} KiB` : "–"} | ${o ? `${fmt((1000 * serverMs) / n)} µs` : "–"} | ${o ? mib(o.pssPeakKb) : "–"} |`,
      );
    }
    lines.push("");

    // What the app's connections were doing.
    lines.push("What the app's PostgreSQL connections were doing (mean number of connections per state, sampled every ~50 ms):", "");
    for (const m of measures.filter((m) => m.postgres && m.config !== "bare")) {
      const o = m.postgres!;
      lines.push(`- ${KNOWN.find((c) => c.key === m.config)!.label}, ${m.result.name} (${o.samples} samples): ${Object.entries(o.states).map(([k, v]) => `${k} ${fmt(v, 2)}`).join(", ")}`);
    }
    lines.push("");

    // The statements.
    for (const m of measures.filter((m) => m.postgres && m.config !== "bare")) {
      lines.push(`Statements of ${KNOWN.find((c) => c.key === m.config)!.label}, ${m.result.name}:`, "", "| per request | mean time in the server | statement |", "|---:|---:|---|");
      lines.push(...statementSummary(m.postgres!, Math.max(m.result.responses, 1), 16), "");
    }

    lines.push("| baseline | per operation (one client's latency) | operations/s (all clients) |", "|---|---:|---:|");
    for (const d of disk) lines.push(`| ${d.label} | ${fmt(d.perOperationUs)} µs | ${fmt(d.perSecond)} |`);
    console.log(lines.join("\n"));
    for (const summary of profileSummaries) console.log(`\n${summary}`);

    if (args.json)
      fs.writeFileSync(args.json, JSON.stringify({ machine, revision, seed: { file: FILE, dossiers: seed.dossiers, events: seed.events, bytes: seed.bytes }, migration, settings, pool: POOL, measures, disk, instances: Object.fromEntries(instancesOf) }, null, 2));
  } finally {
    unregister();
    await cleanup();
  }
}

/** The server settings that bear on commits and memory, as one line. */
async function readSettings(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const names = ["fsync", "synchronous_commit", "wal_sync_method", "full_page_writes", "commit_delay", "shared_buffers", "max_wal_size", "max_connections"];
    const rows = (await client.query<{ name: string; setting: string; unit: string | null }>("select name, setting, unit from pg_settings where name = any($1)", [names])).rows;
    return names.map((n) => rows.find((r) => r.name === n)).filter((r) => r !== undefined).map((r) => `${r.name}=${r.setting}${r.unit && r.unit !== "" ? ` ${r.unit}` : ""}`).join(", ");
  } finally {
    await client.end();
  }
}

main().catch(async (error: unknown) => {
  await failAndExit(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
});
