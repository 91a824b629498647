/**
 * The crash test as a function (scripts/crash-test.ts prints it, test/crash runs a short one):
 * rounds of start → check (API and file) → load → SIGKILL at a random moment, on one database
 * file; then a last start, a check through the API, a graceful stop, the file check, and a
 * projection rebuild on a copy. What a SIGKILL can and cannot show: see scripts/crash-test.ts. */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CATALOG } from "./dossier-plans.js";
import { call, isSuccess, type Target } from "./motcua-client.js";
import { startServer, type ServerProcess } from "./server-process.js";
import { checkDatabaseFile, checkRebuild, checkThroughApi, type FileCheck, type RebuildCheck } from "./verification.js";
import { createLedger, emptyTally, startLoad, type Ledger, type RoundTally } from "./workload.js";

export interface CrashTestOptions {
  readonly rounds: number;
  /** Concurrent clients, each with one request in flight. */
  readonly lanes: number;
  /** The kill comes at a uniformly random moment in this window after the first request is acknowledged. */
  readonly loadMs: { readonly min: number; readonly max: number };
  /** How long a start may take to answer /readyz, and a load its first request (default 60 s). */
  readonly readyTimeoutMs?: number;
  /** Keep the temporary folder with the database (its path is in the report). */
  readonly keepDatabase?: boolean;
  /** Progress lines as the test goes. */
  readonly log?: (line: string) => void;
}

export interface RoundReport {
  readonly round: number;
  /** Spawn to ready; from round 2 on this includes recovering the WAL left by the kill. */
  readonly readyMs: number;
  /** Dossiers read back through the API after the restart (0 in round 1). */
  readonly checkedAfterRestart: number;
  /** The API and file checks after the restart. */
  readonly checkMs: number;
  readonly loadMs: number;
  readonly inFlightAtKill: number;
  /** SIGKILL sent to the process seen gone. */
  readonly killToExitMs: number;
  readonly tally: RoundTally;
}

export interface FinalReport {
  readonly readyMs: number;
  readonly checkedThroughApi: number;
  readonly stopExitCode: number | null;
  readonly file: FileCheck;
  readonly rebuild: RebuildCheck;
  readonly verifyMs: number;
}

export interface CrashReport {
  readonly dbFile: string;
  readonly lanes: number;
  readonly rounds: RoundReport[];
  readonly final: FinalReport;
  readonly dossiersStarted: number;
  readonly violations: string[];
}

const DEFAULT_READY_TIMEOUT_MS = 60_000;

/** This checkout: the server run is the src/ beside these scripts. */
const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));

export async function runCrashTest(options: CrashTestOptions): Promise<CrashReport> {
  const log = options.log ?? (() => {});
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-crash-"));
  const dbFile = path.join(dir, "motcua.db");
  const adminKey = `crash-${randomBytes(16).toString("hex")}`;
  const start = () =>
    startServer({ projectRoot: PROJECT_ROOT, dbFile, adminKey, readyTimeoutMs: options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS });
  const ledger = createLedger();
  const violations: string[] = [];
  const rounds: RoundReport[] = [];
  let server: ServerProcess | undefined;
  try {
    for (let round = 1; round <= options.rounds; round++) {
      server = await start();
      const target: Target = { baseUrl: server.baseUrl, adminKey };
      if (round === 1) await setUpCatalog(target);
      const checkStarted = performance.now();
      const check = await checkThroughApi(target, ledger);
      // The file too, read-only beside the idle server: the projection columns, which the API
      // does not show, must match the events before the resent requests rewrite them.
      const file = checkDatabaseFile(dbFile, ledger);
      const checkMs = performance.now() - checkStarted;
      violations.push(...[...check.violations, ...file.violations].map((v) => `after kill ${round - 1}: ${v}`));
      const report = await loadThenKill(server, target, ledger, options, violations);
      server = undefined;
      rounds.push({ round, checkedAfterRestart: check.dossiersChecked, checkMs, ...report });
      log(describeRound(rounds[rounds.length - 1]!));
    }

    server = await start();
    const readyMs = server.readyMs;
    const verifyStarted = performance.now();
    const api = await checkThroughApi({ baseUrl: server.baseUrl, adminKey }, ledger);
    violations.push(...api.violations.map((v) => `final: ${v}`));
    const stopExitCode = await server.stop();
    if (stopExitCode !== 0) violations.push(`final: the server exited with ${String(stopExitCode)} on SIGTERM:\n${server.recentOutput()}`);
    server = undefined;
    const file = checkDatabaseFile(dbFile, ledger);
    const rebuild = await checkRebuild(dbFile, dir);
    violations.push(...file.violations, ...rebuild.violations);
    const final: FinalReport = { readyMs, checkedThroughApi: api.dossiersChecked, stopExitCode, file, rebuild, verifyMs: performance.now() - verifyStarted };
    return { dbFile, lanes: options.lanes, rounds, final, dossiersStarted: ledger.plans.length, violations };
  } finally {
    await server?.kill();
    if (!options.keepDatabase) fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function setUpCatalog(target: Target): Promise<void> {
  for (const { path: url, body } of CATALOG) {
    const answer = await call(target, "PUT", url, body);
    if (!isSuccess(answer)) throw new Error(`setting up the catalog: PUT ${url} → ${answer.answered ? `${answer.status} ${answer.text}` : answer.error}`);
  }
}

/** Load for a random time, then SIGKILL in the same tick as the lanes are told to stop. */
async function loadThenKill(
  server: ServerProcess,
  target: Target,
  ledger: Ledger,
  options: CrashTestOptions,
  violations: string[],
): Promise<Omit<RoundReport, "round" | "checkedAfterRestart" | "checkMs">> {
  const tally = emptyTally();
  const killAfterMs = options.loadMs.min + Math.random() * (options.loadMs.max - options.loadMs.min);
  const load = startLoad(target, ledger, options.lanes, tally, violations);
  const started = performance.now();
  // The kill's moment is counted from the first acknowledgement, so that it lands in a flowing
  // load even when a cold server on a busy machine takes long over its first requests.
  let giveUp: NodeJS.Timeout | undefined;
  const flowTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  await Promise.race([load.flowing.then(() => sleep(killAfterMs)), load.done, new Promise((resolve) => (giveUp = setTimeout(resolve, flowTimeoutMs)))]);
  clearTimeout(giveUp);
  const loadMs = performance.now() - started;
  if (tally.acknowledged === 0) violations.push(`no request was acknowledged in ${seconds(loadMs)} of load`);
  // No await between these two: no request starts after the kill; one in flight now is either
  // answered by what the server had sent before dying, or cut off.
  const inFlightAtKill = load.stop();
  const killToExitMs = await server.kill();
  await load.done;
  return { readyMs: server.readyMs, loadMs, inFlightAtKill, killToExitMs, tally };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function describeRound(r: RoundReport): string {
  const t = r.tally;
  return (
    `round ${r.round}: ready in ${seconds(r.readyMs)}${r.round > 1 ? `, ${r.checkedAfterRestart} dossiers checked in ${seconds(r.checkMs)}` : ""}; ` +
    `${seconds(r.loadMs)} of load: ${t.acknowledged} requests acknowledged (${t.eventsAcknowledged} events), ` +
    `${t.unknown} unanswered, ${t.refused} refused, ${t.shed} shed; SIGKILL with ${r.inFlightAtKill} in flight, gone in ${r.killToExitMs.toFixed(0)} ms`
  );
}
