/**
 * HTTP benchmark of the dossier API on a seeded database (scripts/seed.ts), in one run, on loopback.
 *
 *   npx tsx scripts/bench/api.ts [--file ./data/seed.db] [--duration 10] [--connections 50]
 *        [--warmup 2] [--ingest-dossiers 3000] [--phases bare,lookup,ingest] [--log-level warn]
 *        [--skip-build] [--app-dir DIR] [--app-node-options="--max-semi-space-size=4"] [--cpu-prof]
 *        [--json out.json]
 *
 * 1. Raw commit cost of this disk: single-row autocommit inserts in a temporary WAL database next
 *    to the seeded one, synchronous=FULL vs NORMAL, and a bare write+fdatasync loop.
 * 2. Baseline: scripts/bench/bare-server.ts (a bare Fastify JSON route) in its own process, same
 *    Node, same log level: GET /bare; then, to explain the gap, GET /bare/payload (the bytes of a
 *    real dossier response) and GET /bare/sqlite/{code} (the dossier row and its events read with
 *    prepared better-sqlite3 statements, no fold, on the same random codes as the lookup).
 * 3. Lookup: GET /v1/dossiers/{code} on random receipt codes drawn from the database.
 * 4. Reception (the set-up of 5, measured too): POST /v1/dossiers, fresh dossiers received now on a
 *    procedure with steps.
 * 5. Ingestion: POST /v1/dossiers/{code}/events on those dossiers: each gets its transfers through
 *    the steps, result_ready and returned, strictly in order (one event in flight per dossier).
 *    Every acknowledged event is committed with the app's durability (synchronous=FULL, WAL).
 * The app is `node dist/server.js` (built first with `npm run build`; --app-dir runs the build of
 * another checkout, e.g. an experiment, on the same database) as a child process with
 * PORT/HOST/MOTCUA_DB_FILE/MOTCUA_ADMIN_KEY/LOG_LEVEL; its RSS is read from /proc/<pid>/status
 * during and after the load. Children are killed at the end, on error and on SIGINT/SIGTERM.
 * Latencies are recorded per response (ms, not autocannon's 1 ms histogram buckets).
 * NOTE: phases 4–5 add dossiers and events to the database (received today).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import Database from "better-sqlite3";
import { freePort } from "../crash/server-process.js";
import { seededRandom } from "../../src/domain/seeded-random.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const HOST = "127.0.0.1";

const { values: args } = parseArgs({
  options: {
    file: { type: "string", default: "./data/seed.db" },
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "50" },
    warmup: { type: "string", default: "2" },
    "ingest-dossiers": { type: "string", default: "3000" },
    phases: { type: "string", default: "bare,lookup,ingest" },
    "log-level": { type: "string", default: "warn" },
    "skip-build": { type: "boolean", default: false },
    "app-dir": { type: "string" },
    "app-node-options": { type: "string", default: "" },
    "cpu-prof": { type: "boolean", default: false },
    json: { type: "string" },
  },
  strict: true,
});
const FILE = path.resolve(args.file);
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);
const WARMUP = Number(args.warmup);
const INGEST_DOSSIERS = Number(args["ingest-dossiers"]);
const PHASES = new Set(args.phases.split(",").map((p) => p.trim()));
const LOG_LEVEL = args["log-level"];
const APP_DIR = path.resolve(args["app-dir"] ?? ROOT);
for (const [name, value] of [["--duration", DURATION], ["--connections", CONNECTIONS], ["--warmup", WARMUP], ["--ingest-dossiers", INGEST_DOSSIERS]] as const) {
  if (!Number.isFinite(value) || value < 0) fail(`${name} must be a non-negative number`);
}
for (const p of PHASES) if (!["bare", "lookup", "ingest"].includes(p)) fail(`unknown phase "${p}" (bare, lookup, ingest)`);

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  killChildren();
  process.exit(1);
}
const log = (message: string) => process.stderr.write(`${message}\n`);

// ---- children --------------------------------------------------------------------------------------

const children = new Set<ChildProcess>();

function killChildren(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try {
        process.kill(child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }
  children.clear();
}
process.on("exit", killChildren);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    log(`\nbench: ${signal}, stopping the servers`);
    killChildren();
    process.exit(130);
  });
}

interface Server {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  readonly port: number;
  /** The last lines it printed, for error reports. */
  readonly output: string[];
}

function start(name: string, command: string, argv: string[], env: Record<string, string>, port: number, cwd = ROOT): Server {
  const child = spawn(command, argv, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    if (output.length > 50) output.splice(0, output.length - 50);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  if (child.pid === undefined) fail(`could not start ${name}`);
  return { name, child, pid: child.pid, port, output };
}

/** Graceful stop (SIGTERM: the app closes the database, a CPU profile is written), SIGKILL after 15 s. */
async function stop(server: Server): Promise<void> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
  children.delete(child);
}

async function waitReady(server: Server, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) fail(`${server.name} exited (${server.child.exitCode}):\n  ${server.output.join("\n  ")}`);
    try {
      const res = await fetch(`http://${HOST}:${server.port}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  fail(`${server.name} not ready after ${timeoutMs / 1000} s:\n  ${server.output.join("\n  ")}`);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Heap and external memory from the app's Prometheus metrics (prom-client defaults), in KiB. */
async function heapOf(port: number): Promise<{ heapUsedKb: number; heapTotalKb: number; externalKb: number } | undefined> {
  try {
    const text = await (await fetch(`http://${HOST}:${port}/metrics`)).text();
    const value = (name: string) => Number(new RegExp(`^\\w*${name}\\s+([0-9.e+]+)`, "m").exec(text)?.[1] ?? NaN) / 1024;
    return { heapUsedKb: value("nodejs_heap_size_used_bytes"), heapTotalKb: value("nodejs_heap_size_total_bytes"), externalKb: value("nodejs_external_memory_bytes") };
  } catch {
    return undefined;
  }
}

/** VmRSS of a process in KiB (0 once it is gone). */
function rssKb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

// ---- load phases -------------------------------------------------------------------------------------

interface PhaseResult {
  readonly name: string;
  readonly responses: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly statusCodes: Record<string, number>;
  readonly rssPeakKb: number;
  readonly bytesPerResponse: number;
}

interface PhaseOptions {
  readonly server: Server;
  readonly requests: autocannon.Request[];
  readonly headers?: Record<string, string>;
  /** Seconds (a cap when `amount` is given). */
  readonly duration: number;
  /** Stop after this many responses. */
  readonly amount?: number;
  readonly initialContext?: object;
}

const percentile = (sorted: Float64Array, q: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);

function runPhase(name: string, options: PhaseOptions): Promise<PhaseResult> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const statusCodes: Record<string, number> = {};
    let bytes = 0;
    let rssPeakKb = rssKb(options.server.pid);
    let first = 0;
    let last = 0;
    const sampler = setInterval(() => (rssPeakKb = Math.max(rssPeakKb, rssKb(options.server.pid))), 200);
    const started = performance.now();
    const instance = autocannon(
      {
        url: `http://${HOST}:${options.server.port}`,
        connections: CONNECTIONS,
        pipelining: 1,
        duration: options.duration,
        ...(options.amount !== undefined ? { amount: options.amount } : {}),
        ...(options.headers ? { headers: options.headers } : {}),
        ...(options.initialContext ? { initialContext: options.initialContext } : {}),
        requests: options.requests,
        timeout: 30,
      },
      (error, result) => {
        clearInterval(sampler);
        clearTimeout(cap);
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        const sorted = Float64Array.from(latencies).sort();
        // The rate over the span of responses (first to last), not over the set-up of connections.
        const seconds = latencies.length > 1 ? (last - first) / 1000 : (performance.now() - started) / 1000;
        const non2xx = Object.entries(statusCodes).reduce((s, [code, n]) => s + (code.startsWith("2") ? 0 : n), 0);
        resolve({
          name,
          responses: latencies.length,
          seconds,
          perSecond: latencies.length / Math.max(seconds, 1e-9),
          p50: percentile(sorted, 0.5),
          p90: percentile(sorted, 0.9),
          p99: percentile(sorted, 0.99),
          max: sorted.length > 0 ? sorted[sorted.length - 1]! : 0,
          non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          statusCodes,
          rssPeakKb,
          bytesPerResponse: latencies.length > 0 ? bytes / latencies.length : 0,
        });
      },
    );
    instance.on("response", (_client, statusCode, resBytes, responseTime) => {
      const now = performance.now();
      if (latencies.length === 0) first = now;
      last = now;
      latencies.push(responseTime);
      bytes += resBytes;
      statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
    });
    // With `amount`, autocannon ignores the duration: cap it ourselves.
    const cap = setTimeout(() => instance.stop(), (options.duration + 5) * 1000);
  });
}

// ---- disk commit cost --------------------------------------------------------------------------------

interface CommitCost {
  readonly label: string;
  readonly operations: number;
  readonly perOperationUs: number;
  readonly perSecond: number;
}

/** Single-row autocommit inserts (one transaction each) in a temporary WAL database. */
function commitCost(dir: string, synchronous: "FULL" | "NORMAL", rowsPerCommit: number, maxMs: number): CommitCost {
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

/**
 * The rows one event writes, with raw better-sqlite3 and nothing else (the ingestion's baseline,
 * issue #12): an event row (a ~300-byte JSON payload, indexed by dossier and time) and the
 * dossier's projection row rewritten, `perCommit` events per durable transaction (1: a commit per
 * event, as before group commit; more: as the app's group commit shares one).
 */
function sameRowsCost(dir: string, perCommit: number, maxMs: number): CommitCost {
  const file = path.join(dir, `.bench-rows-${process.pid}-${perCommit}.db`);
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    db.exec(`CREATE TABLE d (code TEXT PRIMARY KEY, status TEXT, due_at INTEGER, event_count INTEGER, updated_at INTEGER);
      CREATE TABLE e (event_id TEXT PRIMARY KEY, code TEXT NOT NULL, occurred_at INTEGER, payload TEXT, body_hash TEXT);
      CREATE INDEX e_code ON e (code, occurred_at)`);
    const dossiers = 1000;
    const insertDossier = db.prepare("INSERT INTO d VALUES (?, 'received', 0, 0, 0)");
    db.transaction(() => {
      for (let i = 0; i < dossiers; i++) insertDossier.run(`D-${i}`);
    })();
    const insertEvent = db.prepare("INSERT INTO e VALUES (?, ?, ?, ?, ?)");
    const update = db.prepare("UPDATE d SET status = 'in_progress', due_at = ?, event_count = event_count + 1, updated_at = ? WHERE code = ?");
    const payload = JSON.stringify({ type: "transferred", agencyCode: "000.00.00.H00", toAgencyCode: "000.00.01.H00", stepCode: "S2", note: "x".repeat(150) });
    let n = 0;
    const commit = db.transaction((count: number) => {
      for (let i = 0; i < count; i++, n++) {
        const code = `D-${n % dossiers}`;
        insertEvent.run(randomUUID(), code, n, payload, "0".repeat(64));
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
function fdatasyncCost(dir: string, maxMs: number): CommitCost {
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

// ---- CPU profile summary -------------------------------------------------------------------------------

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: number[];
}

/** Top functions by self and inclusive time of a .cpuprofile (V8's format). */
function summarizeProfile(file: string, top = 25): string {
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n: ProfileNode) => {
    const where = n.callFrame.url.replace(/^file:\/\//, "").replace(ROOT, "").split("/node_modules/").pop() ?? "";
    return `${n.callFrame.functionName || "(anonymous)"} ${where}${where ? `:${n.callFrame.lineNumber + 1}` : ""}`;
  };
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    const node = byId.get(id)!;
    self.set(label(node), (self.get(label(node)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let cursor: number | undefined = id; cursor !== undefined; cursor = parent.get(cursor)) {
      const key = label(byId.get(cursor)!);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + dt);
    }
  });
  const list = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => `  ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`)
      .join("\n");
  return `self time:\n${list(self)}\n\ninclusive time:\n${list(inclusive)}`;
}

// ---- the run -----------------------------------------------------------------------------------------------

interface StepRow {
  readonly code: string;
  readonly agencyCode?: string;
}

async function main(): Promise<void> {
  if (!fs.existsSync(FILE)) fail(`${FILE} does not exist: run scripts/seed.ts first`);
  const results: PhaseResult[] = [];
  const machine = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "?",
    loadAverageBefore: os.loadavg().map((l) => l.toFixed(2)).join(" "),
  };

  // The data: counts, random receipt codes, a procedure with steps for ingestion.
  const db = new Database(FILE, { readonly: true, fileMustExist: true });
  const count = (db.prepare("SELECT count(*) AS n FROM dossiers").get() as { n: number }).n;
  const events = (db.prepare("SELECT count(*) AS n FROM dossier_events").get() as { n: number }).n;
  const maxId = (db.prepare("SELECT max(id) AS id FROM dossiers").get() as { id: number | null }).id ?? 0;
  if (count === 0) fail(`${FILE} has no dossiers`);
  const random = seededRandom(20250101);
  const byId = db.prepare("SELECT receipt_code AS code FROM dossiers WHERE id = ?");
  const codes: string[] = [];
  for (let tries = 0; codes.length < 20_000 && tries < 100_000; tries++) {
    const row = byId.get(1 + Math.floor(random() * maxId)) as { code: string } | undefined;
    if (row) codes.push(row.code);
  }
  const stepped = db
    .prepare(
      `SELECT v.procedure_code AS code, v.steps AS steps FROM procedure_versions v JOIN procedures p ON p.code = v.procedure_code AND p.current_version = v.version
       WHERE json_array_length(v.steps) >= 4 AND v.committed_duration_unit = 'working_days' ORDER BY v.procedure_code`,
    )
    .all() as { code: string; steps: string }[];
  const dossierOf = db.prepare("SELECT receiving_agency_code AS receiving, handling_agency_code AS handling FROM dossiers WHERE procedure_code = ? LIMIT 1");
  let ingestPlan: { procedureCode: string; receiving: string; handling: string; steps: StepRow[] } | undefined;
  for (const p of stepped) {
    const d = dossierOf.get(p.code) as { receiving: string; handling: string } | undefined;
    if (d) {
      ingestPlan = { procedureCode: p.code, receiving: d.receiving, handling: d.handling, steps: JSON.parse(p.steps) as StepRow[] };
      break;
    }
  }
  db.close();
  const dbBytes = ["", "-wal"].reduce((s, x) => s + (fs.existsSync(FILE + x) ? fs.statSync(FILE + x).size : 0), 0);
  log(`database ${FILE}: ${count.toLocaleString("en")} dossiers, ${events.toLocaleString("en")} events, ${(dbBytes / 2 ** 20).toFixed(0)} MiB`);

  // 1. The disk.
  log("measuring the commit cost of this disk…");
  const dir = path.dirname(FILE);
  const disk: CommitCost[] = [
    fdatasyncCost(dir, 2000),
    commitCost(dir, "FULL", 1, 3000),
    commitCost(dir, "NORMAL", 1, 3000),
    commitCost(dir, "FULL", 10, 3000),
    sameRowsCost(dir, 1, 3000),
    sameRowsCost(dir, 20, 3000),
  ];

  // 2–5. The servers.
  if (!args["skip-build"] && (PHASES.has("lookup") || PHASES.has("ingest"))) {
    log(`npm run build in ${APP_DIR}…`);
    const build = spawnSync("npm", ["run", "build"], { cwd: APP_DIR, stdio: ["ignore", "inherit", "inherit"] });
    if (build.status !== 0) fail("npm run build failed");
  }
  // Read-only git queries (--no-optional-locks: not even the index is refreshed).
  const git = (...argv: string[]) => spawnSync("git", ["--no-optional-locks", ...argv], { cwd: APP_DIR, encoding: "utf8" }).stdout?.trim() ?? "";
  const changed = git("status", "--porcelain", "--untracked-files=no", "--", "src").split("\n").filter(Boolean).length;
  const revision = `${git("rev-parse", "--short", "HEAD") || "?"}${changed > 0 ? ` with ${changed} changed file(s) in src/` : ""}`;
  const adminKey = `bench_${randomBytes(24).toString("hex")}`;
  const auth = { authorization: `Bearer ${adminKey}` };
  const profileDir = path.join(ROOT, "data", "profiles");
  let app: Server | undefined;
  let rssIdleKb = 0;
  let heapIdle: Awaited<ReturnType<typeof heapOf>>;
  let heapAfter: Awaited<ReturnType<typeof heapOf>>;
  let payloadFile: string | undefined;

  if (PHASES.has("lookup") || PHASES.has("ingest")) {
    const port = await freePort();
    const nodeArgs = [...args["app-node-options"].split(/\s+/).filter(Boolean), ...(args["cpu-prof"] ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [])];
    app = start(
      "the app",
      process.execPath,
      [...nodeArgs, path.join(APP_DIR, "dist/server.js")],
      { PORT: String(port), HOST, MOTCUA_DB_FILE: FILE, MOTCUA_ADMIN_KEY: adminKey, LOG_LEVEL },
      port,
      APP_DIR,
    );
    await waitReady(app);
    rssIdleKb = rssKb(app.pid);
    heapIdle = await heapOf(port);
    // One real lookup: it must answer 200; its body is the baseline's payload.
    const res = await fetch(`http://${HOST}:${port}/v1/dossiers/${encodeURIComponent(codes[0]!)}`, { headers: auth });
    if (res.status !== 200) fail(`GET /v1/dossiers/${codes[0]} answered ${res.status}: ${await res.text()}`);
    payloadFile = path.join(os.tmpdir(), `motcua-bench-payload-${process.pid}.json`);
    fs.writeFileSync(payloadFile, await res.text());
  }

  try {
    if (PHASES.has("bare")) {
      const port = await freePort();
      const bare = start("the bare server", process.execPath, ["--import", "tsx", "scripts/bench/bare-server.ts"], {
        PORT: String(port),
        LOG_LEVEL,
        BARE_DB_FILE: FILE,
        ...(payloadFile ? { BARE_PAYLOAD_FILE: payloadFile } : {}),
      }, port);
      try {
        await waitReady(bare);
        let next = 0;
        const routes: [string, autocannon.Request][] = [
          ["/bare", { method: "GET", path: "/bare" }],
          ...(payloadFile ? [["/bare/payload", { method: "GET", path: "/bare/payload" }] as [string, autocannon.Request]] : []),
          [
            "/bare/sqlite/{code}",
            { method: "GET", setupRequest: (req) => ({ ...req, path: `/bare/sqlite/${encodeURIComponent(codes[next++ % codes.length]!)}` }) },
          ],
        ];
        for (const [route, request] of routes) {
          if (WARMUP > 0) await runPhase("warm-up", { server: bare, requests: [request], duration: WARMUP });
          log(`bare GET ${route}…`);
          results.push(await runPhase(`bare GET ${route}`, { server: bare, requests: [request], duration: DURATION }));
        }
      } finally {
        await stop(bare);
      }
    }

    if (app && PHASES.has("lookup")) {
      let next = 0;
      const requests: autocannon.Request[] = [
        { method: "GET", setupRequest: (req) => ({ ...req, path: `/v1/dossiers/${encodeURIComponent(codes[next++ % codes.length]!)}` }) },
      ];
      if (WARMUP > 0) await runPhase("warm-up", { server: app, requests, headers: auth, duration: WARMUP });
      log(`lookup GET /v1/dossiers/{code} on ${codes.length.toLocaleString("en")} random codes…`);
      results.push(await runPhase("lookup GET /v1/dossiers/{code}", { server: app, requests, headers: auth, duration: DURATION }));
    }

    if (app && PHASES.has("ingest")) {
      if (!ingestPlan) fail("no procedure with 4+ steps in working days was found for the ingestion phase");
      const plan = ingestPlan;
      // 4. Fresh dossiers, received now.
      const received: string[] = [];
      let serial = 0;
      const receptionRequests: autocannon.Request[] = [
        {
          method: "POST",
          setupRequest: (req) => {
            const n = serial++;
            return {
              ...req,
              path: "/v1/dossiers",
              body: JSON.stringify({
                procedureCode: plan.procedureCode,
                receivingAgencyCode: plan.receiving,
                ...(plan.handling !== plan.receiving ? { handlingAgencyCode: plan.handling } : {}),
                channel: "online",
                applicant: { kind: "citizen", name: `Nguyễn Văn Thử ${n}`, idNumber: `0220${String(90_000_000 + n).padStart(8, "0")}` },
                digitized: true,
              }),
            };
          },
          onResponse: (status, body) => {
            if (status === 201) received.push((JSON.parse(body) as { receiptCode: string }).receiptCode);
          },
        },
      ];
      const jsonHeaders = { ...auth, "content-type": "application/json" };
      log(`reception POST /v1/dossiers × ${INGEST_DOSSIERS.toLocaleString("en")}…`);
      results.push(
        await runPhase("reception POST /v1/dossiers", { server: app, requests: receptionRequests, headers: jsonHeaders, duration: DURATION * 3, amount: INGEST_DOSSIERS }),
      );

      // 5. Their events, in order per dossier: transfers through the steps, the result, the return.
      type Body = Record<string, unknown>;
      const script: Body[] = [
        ...plan.steps.slice(1).map((s) => ({ type: "transferred", toAgencyCode: s.agencyCode ?? plan.handling, stepCode: s.code })),
        { type: "result_ready", outcome: "approved" },
        { type: "returned", method: "online" },
      ];
      interface Progress {
        readonly code: string;
        step: number;
        holder: string;
        lastAt: number;
      }
      const queue: Progress[] = received.map((code) => ({ code, step: 0, holder: plan.receiving, lastAt: 0 }));
      let head = 0;
      const total = queue.length * script.length;
      // Slack: at the end, the dossiers still in flight cannot give an event to every connection.
      const amount = Math.max(0, total - CONNECTIONS * script.length);
      if (amount === 0) fail(`not enough dossiers for ingestion: raise --ingest-dossiers`);
      const eventRequests: autocannon.Request[] = [
        {
          method: "POST",
          setupRequest: (req, context) => {
            const d = queue[head++];
            if (!d) throw new Error("the ingestion queue ran dry (a bug of the bench)");
            (context as { dossier?: Progress }).dossier = d;
            const event = script[d.step]!;
            const at = Math.max(Date.now(), d.lastAt + 1);
            d.lastAt = at;
            const agencyCode = event.type === "result_ready" ? plan.handling : event.type === "returned" ? plan.receiving : d.holder;
            return {
              ...req,
              path: `/v1/dossiers/${encodeURIComponent(d.code)}/events`,
              body: JSON.stringify({ eventId: randomUUID(), occurredAt: new Date(at).toISOString(), agencyCode, ...event }),
            };
          },
          onResponse: (status, _body, context) => {
            const d = (context as { dossier?: Progress }).dossier;
            if (!d || status !== 201) return; // counted as non-2xx; the dossier is left alone
            const event = script[d.step]!;
            if (event.type === "transferred") d.holder = String(event.toAgencyCode);
            if (++d.step < script.length) queue.push(d);
          },
        },
      ];
      log(`ingestion POST /v1/dossiers/{code}/events: ${amount.toLocaleString("en")} events (${script.length} per dossier, at most ${DURATION} s)…`);
      results.push(
        await runPhase("ingestion POST /v1/dossiers/{code}/events", { server: app, requests: eventRequests, headers: jsonHeaders, duration: DURATION, amount }),
      );
    }
  } finally {
    if (payloadFile) fs.rmSync(payloadFile, { force: true });
  }

  let rssAfterKb = 0;
  if (app) {
    await sleep(2000);
    rssAfterKb = rssKb(app.pid);
    heapAfter = await heapOf(app.port);
    await stop(app);
  }
  machine.loadAverageBefore += ` (after: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")})`;

  // ---- report ---------------------------------------------------------------------------------------------
  const fmt = (n: number, digits = 0) => n.toLocaleString("en", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const mb = (kb: number) => `${fmt(kb / 1024, 0)} MiB`;
  const lines: string[] = [];
  lines.push(
    `${machine.date}, Node ${machine.node}, ${machine.cpus} cores (${machine.cpuModel}), load average ${machine.loadAverageBefore}`,
    `app ${path.relative(ROOT, APP_DIR) || "."} at ${revision}${args["app-node-options"] ? `, node ${args["app-node-options"]}` : ""}`,
    `database ${path.relative(ROOT, FILE)}: ${fmt(count)} dossiers, ${fmt(events)} events, ${fmt(dbBytes / 2 ** 20)} MiB; ` +
      `${CONNECTIONS} connections, ${DURATION} s per phase (warm-up ${WARMUP} s), LOG_LEVEL=${LOG_LEVEL}, loopback ${HOST}`,
    "",
    "| phase | requests/s | p50 ms | p90 ms | p99 ms | max ms | responses | non-2xx | errors | bytes/resp | server RSS peak |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const r of results) {
    lines.push(
      `| ${r.name} | ${fmt(r.perSecond)} | ${fmt(r.p50, 2)} | ${fmt(r.p90, 2)} | ${fmt(r.p99, 2)} | ${fmt(r.max, 1)} | ${fmt(r.responses)} | ${fmt(r.non2xx)} | ${fmt(r.errors)} | ${fmt(r.bytesPerResponse)} | ${mb(r.rssPeakKb)} |`,
    );
  }
  for (const r of results) {
    if (r.non2xx > 0) lines.push(`  ${r.name}: status codes ${JSON.stringify(r.statusCodes)}`);
  }
  lines.push("", "| disk commit cost | per operation | operations/s |", "|---|---:|---:|");
  for (const d of disk) lines.push(`| ${d.label} | ${fmt(d.perOperationUs)} µs | ${fmt(d.perSecond)} |`);

  const bare = results.find((r) => r.name === "bare GET /bare");
  const lookup = results.find((r) => r.name.startsWith("lookup"));
  const ingest = results.find((r) => r.name.startsWith("ingestion"));
  const verdict = (ok: boolean) => (ok ? "MET" : "MISSED");
  lines.push("", "targets:");
  if (bare && lookup) {
    const ratio = lookup.perSecond / bare.perSecond;
    lines.push(`- lookup / bare requests/s = ${fmt(100 * ratio, 1)}% (target ≥ 80%): ${verdict(ratio >= 0.8)}`);
  }
  if (lookup) lines.push(`- lookup p99 = ${fmt(lookup.p99, 2)} ms at ${CONNECTIONS} connections (target < 5 ms): ${verdict(lookup.p99 < 5)}`);
  if (ingest)
    lines.push(`- ingestion = ${fmt(ingest.perSecond)} events/s, ${fmt(ingest.non2xx)} non-2xx (target ≥ 5,000 events/s, 0 non-2xx): ${verdict(ingest.perSecond >= 5000 && ingest.non2xx === 0)}`);
  for (const raw of disk.filter((d) => d.label.startsWith("same rows")))
    if (ingest) lines.push(`  ingestion / ${raw.label} = ${fmt(100 * (ingest.perSecond / raw.perSecond), 1)}%`);
  if (app) {
    const peak = Math.max(rssIdleKb, rssAfterKb, ...results.filter((r) => !r.name.startsWith("bare")).map((r) => r.rssPeakKb));
    lines.push(`- app RSS: ready ${mb(rssIdleKb)}, peak under load ${mb(peak)}, 2 s after ${mb(rssAfterKb)} (target < 200 MB): ${verdict(peak < 200 * 1000)}`);
    const heap = (h: typeof heapIdle) => (h ? `V8 heap used ${mb(h.heapUsedKb)} of ${mb(h.heapTotalKb)}, external ${mb(h.externalKb)}` : "?");
    lines.push(`  at ready: ${heap(heapIdle)}; after the load: ${heap(heapAfter)}`);
  }
  console.log(lines.join("\n"));

  if (args["cpu-prof"] && app) {
    const profiles = fs.existsSync(profileDir) ? fs.readdirSync(profileDir).filter((f) => f.endsWith(".cpuprofile")) : [];
    const newest = profiles.map((f) => path.join(profileDir, f)).sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
    if (newest) console.log(`\nCPU profile of the app (${path.relative(ROOT, newest)}, whole process life):\n${summarizeProfile(newest)}`);
  }
  if (args.json) fs.writeFileSync(args.json, JSON.stringify({ machine, database: { file: FILE, dossiers: count, events, bytes: dbBytes }, results, disk, rssIdleKb, rssAfterKb, heapIdle, heapAfter }, null, 2));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  killChildren();
  process.exit(1);
});
