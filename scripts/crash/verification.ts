/**
 * What must hold after a crash and a restart, checked against the client's ledger twice over:
 * through the API (what clients will read) and in the SQLite file itself (read-only, server
 * stopped), plus SQLite's own integrity check and a projection rebuild on a copy.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { openSqlite } from "../../src/db/sqlite/sqlite-client.js";
import { createSqliteRepositories } from "../../src/db/sqlite/index.js";
import { createServices } from "../../src/services/index.js";
import { acknowledgedEventIds, unknownEventIds, type DossierPlan } from "./dossier-plans.js";
import { call, field, type Target } from "./motcua-client.js";
import type { Ledger } from "./workload.js";

/** One dossier as found, from either source. */
export interface ObservedDossier {
  readonly receiptCode: string;
  readonly idNumber: string;
  /** As stored, a duplicate kept twice. */
  readonly eventIds: readonly string[];
  /** What the projection says the dossier holds. */
  readonly eventCount: number;
}

const LISTED_IDS = 5;
const list = (ids: readonly string[]) => ids.slice(0, LISTED_IDS).join(", ") + (ids.length > LISTED_IDS ? `, … (${ids.length})` : "");

/**
 * Every acknowledged request is stored, exactly once; the request a kill cut off is stored
 * entirely or not at all; nothing else is stored; the projection counts what is stored.
 */
export function checkDossier(plan: DossierPlan, observed: ObservedDossier | undefined, source: string): string[] {
  const name = `${source}: dossier #${plan.serial} (${plan.receiptCode ?? `generated code, applicant ${plan.idNumber}`})`;
  if (observed === undefined) return plan.next > 0 ? [`${name}: its acknowledged reception is missing`] : [];
  const problems: string[] = [];
  if (plan.next === 0 && plan.pending !== "unknown") problems.push(`${name}: stored although its reception was ${plan.pending === "refused" ? "refused" : "never sent"}`);
  if (plan.receiptCode !== undefined && observed.receiptCode !== plan.receiptCode) problems.push(`${name}: stored under ${observed.receiptCode}`);
  if (observed.idNumber !== plan.idNumber) problems.push(`${name}: holds applicant ${observed.idNumber}, sent ${plan.idNumber}`);

  const stored = new Set(observed.eventIds);
  const twice = [...stored].filter((id) => observed.eventIds.indexOf(id) !== observed.eventIds.lastIndexOf(id));
  if (twice.length > 0) problems.push(`${name}: events stored twice: ${list(twice)}`);
  const acknowledged = acknowledgedEventIds(plan);
  const lost = acknowledged.filter((id) => !stored.has(id));
  if (lost.length > 0) problems.push(`${name}: acknowledged events lost: ${list(lost)}`);
  const unknown = unknownEventIds(plan);
  const unknownStored = unknown.filter((id) => stored.has(id)).length;
  if (unknownStored > 0 && unknownStored < unknown.length) problems.push(`${name}: the unanswered batch is partly stored (${unknownStored} of ${unknown.length} events)`);
  const allowed = new Set([...acknowledged, ...unknown]);
  const stray = [...stored].filter((id) => !allowed.has(id));
  if (stray.length > 0) problems.push(`${name}: events stored that were neither acknowledged nor in flight: ${list(stray)}`);
  if (observed.eventCount !== observed.eventIds.length) problems.push(`${name}: the projection counts ${observed.eventCount} events, stored: ${observed.eventIds.length}`);
  return problems;
}

// ---- through the API --------------------------------------------------------------------------

export interface ApiCheck {
  readonly dossiersChecked: number;
  readonly violations: string[];
}

const API_CHECK_CONCURRENCY = 8;

/** Reads back every dossier whose receipt code the client knows (GET dossier and its timeline). */
export async function checkThroughApi(target: Target, ledger: Ledger): Promise<ApiCheck> {
  const plans = ledger.plans.filter((p): p is DossierPlan & { receiptCode: string } => p.receiptCode !== undefined);
  const violations: string[] = [];
  let next = 0;
  const worker = async () => {
    for (let plan = plans[next++]; plan !== undefined; plan = plans[next++]) {
      const observed = await readThroughApi(target, plan.receiptCode);
      if (typeof observed === "string") violations.push(`API: dossier #${plan.serial} (${plan.receiptCode}): ${observed}`);
      else violations.push(...checkDossier(plan, observed, "API"));
    }
  };
  await Promise.all(Array.from({ length: API_CHECK_CONCURRENCY }, worker));
  return { dossiersChecked: plans.length, violations };
}

/** The dossier (undefined on 404), or what went wrong reading it. */
async function readThroughApi(target: Target, receiptCode: string): Promise<ObservedDossier | undefined | string> {
  const base = `/v1/dossiers/${encodeURIComponent(receiptCode)}`;
  const dossier = await call(target, "GET", base);
  if (!dossier.answered) return `GET ${base}: no answer (${dossier.error})`;
  if (dossier.status === 404) return undefined;
  if (dossier.status !== 200) return `GET ${base} answered ${dossier.status}: ${dossier.text.slice(0, 300)}`;
  const timeline = await call(target, "GET", `${base}/events`);
  if (!timeline.answered || timeline.status !== 200) return `GET ${base}/events: ${timeline.answered ? `answered ${timeline.status}` : timeline.error}`;
  const items = field(timeline.body, "items");
  return {
    receiptCode: String(field(dossier.body, "receiptCode")),
    idNumber: String(field(field(dossier.body, "applicant"), "idNumber")),
    eventIds: Array.isArray(items) ? items.map((item) => String(field(item, "eventId"))) : [],
    eventCount: Number(field(dossier.body, "eventCount")),
  };
}

// ---- in the file --------------------------------------------------------------------------------

export interface FileCheck {
  /** PRAGMA integrity_check: "ok", or its messages. */
  readonly integrity: string;
  readonly foreignKeyViolations: number;
  readonly duplicateEventIds: number;
  readonly journalMode: string;
  readonly dossiers: number;
  readonly events: number;
  /** The fate of the requests never answered (cut off by a kill and not sent again). */
  readonly unansweredStored: number;
  readonly unansweredNotStored: number;
  readonly violations: string[];
}

/**
 * Opens the file read-only and checks it against the ledger in one read transaction (one committed
 * state). It may run beside the server, which must be idle so that the ledger describes the file.
 */
export function checkDatabaseFile(file: string, ledger: Ledger): FileCheck {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.transaction(() => inspect(db, ledger))();
  } finally {
    db.close();
  }
}

function inspect(db: Database.Database, ledger: Ledger): FileCheck {
  const violations: string[] = [];
  const integrityRows = db.pragma("integrity_check") as { integrity_check: string }[];
  const integrity = integrityRows.map((r) => r.integrity_check).join("; ");
  if (integrity !== "ok") violations.push(`file: integrity_check: ${integrity}`);
  const foreignKeyViolations = (db.pragma("foreign_key_check") as unknown[]).length;
  if (foreignKeyViolations > 0) violations.push(`file: foreign_key_check reports ${foreignKeyViolations} rows`);
  // The primary key makes this impossible in an intact file; it is the requirement's own test.
  const duplicates = db.prepare("select event_id as eventId, count(*) as n from dossier_events group by event_id having count(*) > 1").all() as { eventId: string; n: number }[];
  for (const d of duplicates) violations.push(`file: event ${d.eventId} stored ${d.n} times`);
  // Each reception carries its own applicant number: two rows with one number are one reception stored twice.
  const doubled = db.prepare("select applicant_id_number as idNumber, count(*) as n from dossiers group by applicant_id_number having count(*) > 1").all() as { idNumber: string; n: number }[];
  for (const d of doubled) violations.push(`file: the reception of applicant ${d.idNumber} is stored ${d.n} times`);

  const observed = readDossiers(db);
  const planned = new Set(ledger.plans.map((p) => p.idNumber));
  for (const [idNumber, dossier] of observed) {
    if (!planned.has(idNumber)) violations.push(`file: dossier ${dossier.receiptCode} (applicant ${idNumber}) was never sent`);
  }
  let unansweredStored = 0;
  let unansweredNotStored = 0;
  for (const plan of ledger.plans) {
    const found = observed.get(plan.idNumber);
    violations.push(...checkDossier(plan, found, "file"));
    if (plan.pending !== "unknown") continue;
    const unknown = unknownEventIds(plan);
    const stored = plan.next === 0 ? found !== undefined : unknown.every((id) => found?.eventIds.includes(id));
    if (stored) unansweredStored++;
    else unansweredNotStored++;
  }
  return {
    integrity,
    foreignKeyViolations,
    duplicateEventIds: duplicates.length,
    journalMode: String(db.pragma("journal_mode", { simple: true })),
    dossiers: observed.size,
    events: [...observed.values()].reduce((n, d) => n + d.eventIds.length, 0),
    unansweredStored,
    unansweredNotStored,
    violations,
  };
}

/** Every dossier with its stored events, by applicant number. */
function readDossiers(db: Database.Database): Map<string, ObservedDossier> {
  const eventsByCode = new Map<string, string[]>();
  for (const e of db.prepare("select event_id as eventId, receipt_code as receiptCode from dossier_events").all() as { eventId: string; receiptCode: string }[]) {
    const ids = eventsByCode.get(e.receiptCode) ?? [];
    ids.push(e.eventId);
    eventsByCode.set(e.receiptCode, ids);
  }
  const rows = db.prepare("select receipt_code as receiptCode, applicant_id_number as idNumber, event_count as eventCount from dossiers").all() as {
    receiptCode: string;
    idNumber: string;
    eventCount: number;
  }[];
  return new Map(rows.map((r) => [r.idNumber, { ...r, eventIds: eventsByCode.get(r.receiptCode) ?? [] }]));
}

// ---- projections ----------------------------------------------------------------------------------

export interface RebuildCheck {
  readonly dossiers: number;
  readonly changed: number;
  readonly failed: number;
  /** PRAGMA synchronous on a connection opened by the server's own opener (2 = FULL). */
  readonly synchronous: number;
  readonly violations: string[];
}

/** SQLite's PRAGMA synchronous values. */
export const SYNCHRONOUS_LEVELS: Readonly<Record<number, string>> = { 0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA" };

/**
 * Rebuilds every projection from the events on a copy (the evidence stays untouched): after a
 * crash, the stored projection must be exactly the fold of the stored events. The copy is opened
 * with the server's own openSqlite, which also tells the synchronous level the server runs with.
 */
export async function checkRebuild(file: string, scratchDir: string): Promise<RebuildCheck> {
  const copy = path.join(scratchDir, "rebuild-copy.db");
  const source = new Database(file, { readonly: true, fileMustExist: true });
  try {
    source.prepare("vacuum into ?").run(copy);
  } finally {
    source.close();
  }
  const handle = openSqlite(copy);
  try {
    const synchronous = Number(handle.sqlite.pragma("synchronous", { simple: true }));
    const services = createServices(createSqliteRepositories(handle), { now: Date.now, adminKey: undefined });
    const report = await services.projections.rebuildAll();
    const violations = [
      ...report.failed.map((f) => `rebuild: ${f.receiptCode} no longer folds: ${f.reason}`),
      ...(report.changed > 0 ? [`rebuild: ${report.changed} projections differ from the fold of their events`] : []),
      // A SIGKILL cannot tell FULL from NORMAL (see scripts/crash-test.ts): the level is checked as configuration.
      ...(synchronous < 2 ? [`the server opens its database with synchronous=${SYNCHRONOUS_LEVELS[synchronous] ?? synchronous}: acknowledged events can be lost on power loss`] : []),
    ];
    return { dossiers: report.dossiers, changed: report.changed, failed: report.failed.length, synchronous, violations };
  } finally {
    handle.close();
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(copy + suffix, { force: true });
  }
}
