/**
 * Crash safety: every event answered 2xx survives a crash, none is stored twice, the file is intact.
 *
 *   npx tsx scripts/crash-test.ts [--rounds 5] [--lanes 24] [--min-load 1.5] [--max-load 4] [--keep]
 *
 * Starts the real server (a child process on a fresh database file), sets up a catalog, and runs
 * `--lanes` concurrent desks that receive dossiers and post their events (one at a time, in batches,
 * a whole life in one reversed batch), each request with its client-chosen eventIds fixed in advance.
 * At a random moment 1.5–4 s after the first acknowledgement it SIGKILLs the server, restarts it on
 * the same file, checks, and goes on: a request the kill cut off is sent again unchanged, as a desk
 * would (200 = it had been stored, 201 = it had not). After the last round it restarts once more:
 * - through the API: every acknowledged dossier exists; every acknowledged eventId is in its
 *   timeline exactly once; the request a kill cut off is there entirely or not at all (a batch is
 *   atomic); nothing else is; the dossier's eventCount equals its stored events;
 * - in the file, read-only after a graceful stop: the same per dossier, no eventId and no reception
 *   stored twice, no row that was never sent, PRAGMA integrity_check = ok, foreign_key_check empty;
 * - a projection rebuild (on a copy) changes nothing: what was stored is exactly the fold of its events.
 * Exits 1 on any violation, listing each.
 *
 * Why synchronous=FULL (src/db/sqlite/sqlite-client.ts), and what this test can and cannot prove:
 * - A SIGKILL ends the process, not the machine. Whatever the process handed to the kernel with
 *   write() stays in the page cache and reaches the disk later, fsync or not. SQLite writes a
 *   transaction's WAL frames before COMMIT returns, so after a SIGKILL every committed transaction
 *   survives at ANY synchronous level, even OFF. What this test checks is therefore atomicity (WAL
 *   recovery drops a torn transaction, a batch is all or nothing), that the server answers 2xx only
 *   after COMMIT (no write-behind, no acknowledging a group before its commit), idempotent retries
 *   (no duplicates) and an intact file. It cannot tell FULL from NORMAL. Kills land at random
 *   moments, so a bug with a wide window (acknowledging before the commit) shows at once, while one
 *   with a window of microseconds (two transactions where one is needed) shows only over many runs.
 * - Power loss or an OS crash also loses the page cache: only what was fsynced survives. In WAL
 *   mode, synchronous=NORMAL fsyncs the WAL only at checkpoints, so the transactions committed since
 *   the last checkpoint can vanish, acknowledged or not (the file stays consistent, the newest
 *   commits are just gone). synchronous=FULL fsyncs the WAL at every COMMIT, before the server
 *   answers, so an acknowledged event is on stable storage (as far as the disk honours flushes).
 *   EXTRA adds nothing in WAL mode (it syncs the directory after deleting a rollback journal).
 *   The promise is "every acknowledged event survives", so FULL is required; its cost is one fsync
 *   per commit (docs/BENCHMARKS.md). As this test cannot observe the difference, it checks the level
 *   as configuration: the server's own opener must set synchronous >= FULL.
 * - Proving the power-loss case takes dropping unsynced writes (a VM reset, dm-log-writes replay,
 *   or a VFS shim that discards data not fsynced), which is outside a portable npm test.
 */
import { parseArgs } from "node:util";
import { runCrashTest, type CrashReport, type RoundReport } from "./crash/crash-engine.js";
import { SYNCHRONOUS_LEVELS } from "./crash/verification.js";
import type { RoundTally } from "./crash/workload.js";

const { values: args } = parseArgs({
  options: {
    rounds: { type: "string", default: "5" },
    lanes: { type: "string", default: "24" },
    "min-load": { type: "string", default: "1.5" },
    "max-load": { type: "string", default: "4" },
    "ready-timeout": { type: "string", default: "60" },
    keep: { type: "boolean", default: false },
  },
  strict: true,
});

const rounds = Number(args.rounds);
const lanes = Number(args.lanes);
const minLoad = Number(args["min-load"]);
const maxLoad = Number(args["max-load"]);
const readyTimeout = Number(args["ready-timeout"]);
if (!Number.isInteger(rounds) || rounds < 1) usage("--rounds must be a positive integer");
if (!Number.isInteger(lanes) || lanes < 1) usage("--lanes must be a positive integer");
if (!(minLoad > 0 && maxLoad >= minLoad)) usage("--min-load and --max-load are seconds, 0 < min <= max");
if (!(readyTimeout > 0)) usage("--ready-timeout is seconds, > 0");

function usage(message: string): never {
  process.stderr.write(`crash-test: ${message}\n`);
  process.exit(2);
}

const MAX_LISTED_VIOLATIONS = 50;

const n = (value: number) => value.toLocaleString("en");
const s = (ms: number) => (ms / 1000).toFixed(2);

interface Column {
  readonly heading: string;
  readonly cell: (r: RoundReport) => string;
  readonly total?: (rounds: readonly RoundReport[]) => string;
}

const summed = (pick: (t: RoundTally) => number) => ({
  cell: (r: RoundReport) => n(pick(r.tally)),
  total: (rounds: readonly RoundReport[]) => n(rounds.reduce((sum, r) => sum + pick(r.tally), 0)),
});

const COLUMNS: readonly Column[] = [
  { heading: "round", cell: (r) => String(r.round), total: () => "total" },
  { heading: "ready s", cell: (r) => s(r.readyMs) },
  { heading: "dossiers checked after restart", cell: (r) => (r.round === 1 ? "–" : `${n(r.checkedAfterRestart)} in ${s(r.checkMs)} s`) },
  { heading: "resent: had been stored", ...summed((t) => t.resentWereStored) },
  { heading: "resent: had not", ...summed((t) => t.resentWereNot) },
  { heading: "load s", cell: (r) => s(r.loadMs) },
  { heading: "acknowledged requests", ...summed((t) => t.acknowledged) },
  { heading: "acknowledged events", ...summed((t) => t.eventsAcknowledged) },
  { heading: "unanswered", ...summed((t) => t.unknown) },
  { heading: "refused", ...summed((t) => t.refused) },
  { heading: "shed (503)", ...summed((t) => t.shed) },
  { heading: "in flight at kill", cell: (r) => String(r.inFlightAtKill) },
  { heading: "kill → gone ms", cell: (r) => r.killToExitMs.toFixed(0) },
];

function format(report: CrashReport): string {
  const row = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  const f = report.final;
  const lines = [
    `crash test: ${report.rounds.length} rounds, ${report.lanes} concurrent clients, ${n(report.dossiersStarted)} dossiers started`,
    "",
    row(COLUMNS.map((c) => c.heading)),
    row(COLUMNS.map(() => "---:")),
    ...report.rounds.map((r) => row(COLUMNS.map((c) => c.cell(r)))),
    row(COLUMNS.map((c) => c.total?.(report.rounds) ?? "")),
    "",
    `final restart: ready in ${s(f.readyMs)} s; ${n(f.checkedThroughApi)} dossiers read back through the API; ` +
      `graceful stop exit ${String(f.stopExitCode)}; checks took ${s(f.verifyMs)} s`,
    `file: ${n(f.file.dossiers)} dossiers, ${n(f.file.events)} events; integrity_check ${f.file.integrity}; ` +
      `foreign_key_check ${f.file.foreignKeyViolations} rows; duplicate eventIds ${f.file.duplicateEventIds}; journal_mode ${f.file.journalMode}`,
    `requests never answered (cut off by a kill, not sent again): ${f.file.unansweredStored} stored, ${f.file.unansweredNotStored} not`,
    `rebuild of ${n(f.rebuild.dossiers)} projections from their events: ${f.rebuild.changed} changed, ${f.rebuild.failed} failed`,
    `server's opener: synchronous=${SYNCHRONOUS_LEVELS[f.rebuild.synchronous] ?? f.rebuild.synchronous}`,
    "",
  ];
  if (report.violations.length === 0) lines.push("PASS: no violation");
  else {
    lines.push(`FAIL: ${report.violations.length} violations`);
    for (const v of report.violations.slice(0, MAX_LISTED_VIOLATIONS)) lines.push(`- ${v}`);
    if (report.violations.length > MAX_LISTED_VIOLATIONS) lines.push(`- … and ${report.violations.length - MAX_LISTED_VIOLATIONS} more`);
  }
  if (args.keep) lines.push("", `database kept: ${report.dbFile}`);
  return lines.join("\n");
}

try {
  const report = await runCrashTest({
    rounds,
    lanes,
    loadMs: { min: minLoad * 1000, max: maxLoad * 1000 },
    readyTimeoutMs: readyTimeout * 1000,
    keepDatabase: args.keep,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  console.log(format(report));
  process.exitCode = report.violations.length > 0 ? 1 : 0;
} catch (error) {
  process.stderr.write(`crash-test failed to run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 2;
}
