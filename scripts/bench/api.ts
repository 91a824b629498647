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
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type autocannon from "autocannon";
import { freePort } from "../crash/server-process.js";
import { fail, heapOf, HOST, killChildren, log, ROOT, sleep, start, stop, waitReady, type Server } from "./lib/child-servers.js";
import { commitCost, fdatasyncCost, sameRowsCost, type CommitCost } from "./lib/commit-cost.js";
import { ingestionRequests, lookupRequests, readSeed, receptionRequests } from "./lib/dossier-workload.js";
import { runPhase as runLoad, type PhaseResult } from "./lib/http-load.js";
import { rssKb } from "./lib/proc-readings.js";
import { summarizeProfile } from "./lib/cpu-profile.js";
import { LOAD_OPTIONS, readLoadOptions } from "./lib/load-options.js";

const { values: args } = parseArgs({
  options: {
    ...LOAD_OPTIONS,
    phases: { type: "string", default: "bare,lookup,ingest" },
    "app-dir": { type: "string" },
    "app-node-options": { type: "string", default: "" },
  },
  strict: true,
});
const { file: FILE, duration: DURATION, connections: CONNECTIONS, warmup: WARMUP, ingestDossiers: INGEST_DOSSIERS, logLevel: LOG_LEVEL } = readLoadOptions(args);
const PHASES = new Set(args.phases.split(",").map((p) => p.trim()));
const APP_DIR = path.resolve(args["app-dir"] ?? ROOT);
for (const p of PHASES) if (!["bare", "lookup", "ingest"].includes(p)) fail(`unknown phase "${p}" (bare, lookup, ingest)`);

/** A phase against one server at --connections (the shared runner splits load across instances; here there is one). */
const runPhase = (
  name: string,
  options: { server: Server; requests: autocannon.Request[]; headers?: Record<string, string>; duration: number; amount?: number },
): Promise<PhaseResult> => {
  const { server, ...rest } = options;
  return runLoad(name, { servers: [server], connections: CONNECTIONS, ...rest });
};

// ---- the run -----------------------------------------------------------------------------------------------

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
  const seed = readSeed(FILE);
  const { dossiers: count, events, codes, ingestPlan, bytes: dbBytes } = seed;
  if (count === 0) fail(`${FILE} has no dossiers`);
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
      const requests = lookupRequests(codes);
      if (WARMUP > 0) await runPhase("warm-up", { server: app, requests, headers: auth, duration: WARMUP });
      log(`lookup GET /v1/dossiers/{code} on ${codes.length.toLocaleString("en")} random codes…`);
      results.push(await runPhase("lookup GET /v1/dossiers/{code}", { server: app, requests, headers: auth, duration: DURATION }));
    }

    if (app && PHASES.has("ingest")) {
      if (!ingestPlan) fail("no procedure with 4+ steps in working days was found for the ingestion phase");
      // 4. Fresh dossiers, received now.
      const received: string[] = [];
      const jsonHeaders = { ...auth, "content-type": "application/json" };
      log(`reception POST /v1/dossiers × ${INGEST_DOSSIERS.toLocaleString("en")}…`);
      results.push(
        await runPhase("reception POST /v1/dossiers", {
          server: app,
          requests: receptionRequests(ingestPlan, received),
          headers: jsonHeaders,
          duration: DURATION * 3,
          amount: INGEST_DOSSIERS,
        }),
      );

      // 5. Their events, in order per dossier: transfers through the steps, the result, the return.
      const ingestion = ingestionRequests(ingestPlan, received, CONNECTIONS);
      if (ingestion.amount === 0) fail(`not enough dossiers for ingestion: raise --ingest-dossiers`);
      log(`ingestion POST /v1/dossiers/{code}/events: ${ingestion.amount.toLocaleString("en")} events (${ingestion.perDossier} per dossier, at most ${DURATION} s)…`);
      results.push(
        await runPhase("ingestion POST /v1/dossiers/{code}/events", {
          server: app,
          requests: ingestion.requests,
          headers: jsonHeaders,
          duration: DURATION,
          amount: ingestion.amount,
        }),
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
