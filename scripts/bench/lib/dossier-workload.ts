/**
 * The dossier API's benchmark workload over a seeded database (scripts/seed.ts): random receipt
 * codes to look up, a procedure with steps to receive fresh dossiers on, and the requests of the
 * three phases as autocannon request lists:
 * - lookup: GET /v1/dossiers/{code} on the random codes, in turn;
 * - reception: POST /v1/dossiers, fresh dossiers received now; the codes answered are collected;
 * - ingestion: POST /v1/dossiers/{code}/events on received dossiers: transfers through the steps,
 *   result_ready and returned, strictly in order per dossier (one event in flight per dossier: a
 *   dossier's next event is queued when the previous one is acknowledged).
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import type autocannon from "autocannon";
import Database from "better-sqlite3";
import { seededRandom } from "../../../src/domain/seeded-random.js";

interface StepRow {
  readonly code: string;
  readonly agencyCode?: string;
}

export interface IngestPlan {
  readonly procedureCode: string;
  readonly receiving: string;
  readonly handling: string;
  readonly steps: readonly StepRow[];
}

export interface SeedSummary {
  readonly dossiers: number;
  readonly events: number;
  /** Up to 20,000 receipt codes drawn at random (fixed seed). */
  readonly codes: readonly string[];
  /** A procedure with 4+ steps in working days and where its dossiers are received; undefined if the seed has none. */
  readonly ingestPlan: IngestPlan | undefined;
  /** The file and its WAL. */
  readonly bytes: number;
}

export function readSeed(file: string): SeedSummary {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const count = (db.prepare("SELECT count(*) AS n FROM dossiers").get() as { n: number }).n;
    const events = (db.prepare("SELECT count(*) AS n FROM dossier_events").get() as { n: number }).n;
    const maxId = (db.prepare("SELECT max(id) AS id FROM dossiers").get() as { id: number | null }).id ?? 0;
    const random = seededRandom(20250101);
    const byId = db.prepare("SELECT receipt_code AS code FROM dossiers WHERE id = ?");
    const codes: string[] = [];
    for (let tries = 0; codes.length < 20_000 && tries < 100_000 && maxId > 0; tries++) {
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
    let ingestPlan: IngestPlan | undefined;
    for (const p of stepped) {
      const d = dossierOf.get(p.code) as { receiving: string; handling: string } | undefined;
      if (d) {
        ingestPlan = { procedureCode: p.code, receiving: d.receiving, handling: d.handling, steps: JSON.parse(p.steps) as StepRow[] };
        break;
      }
    }
    const bytes = ["", "-wal"].reduce((s, x) => s + (fs.existsSync(file + x) ? fs.statSync(file + x).size : 0), 0);
    return { dossiers: count, events, codes, ingestPlan, bytes };
  } finally {
    db.close();
  }
}

/** GET /v1/dossiers/{code} on the codes in turn. */
export function lookupRequests(codes: readonly string[]): autocannon.Request[] {
  let next = 0;
  return [{ method: "GET", setupRequest: (req) => ({ ...req, path: `/v1/dossiers/${encodeURIComponent(codes[next++ % codes.length]!)}` }) }];
}

/** The body of the n-th fresh dossier (distinct applicants). */
export function receptionBody(plan: IngestPlan, n: number): string {
  return JSON.stringify({
    procedureCode: plan.procedureCode,
    receivingAgencyCode: plan.receiving,
    ...(plan.handling !== plan.receiving ? { handlingAgencyCode: plan.handling } : {}),
    channel: "online",
    applicant: { kind: "citizen", name: `Nguyễn Văn Thử ${n}`, idNumber: `0220${String(90_000_000 + n).padStart(8, "0")}` },
    digitized: true,
  });
}

/** POST /v1/dossiers: the receipt codes of the dossiers received are pushed to `received`, in the order answered. */
export function receptionRequests(plan: IngestPlan, received: string[], firstSerial = 0): autocannon.Request[] {
  let serial = firstSerial;
  return [
    {
      method: "POST",
      setupRequest: (req) => ({ ...req, path: "/v1/dossiers", body: receptionBody(plan, serial++) }),
      onResponse: (status, body) => {
        if (status === 201) received.push((JSON.parse(body) as { receiptCode: string }).receiptCode);
      },
    },
  ];
}

type EventBody = Record<string, unknown>;

/** The events of one dossier, in order: transfers through the steps after the first, the result, the return. */
export function eventScript(plan: IngestPlan): EventBody[] {
  return [
    ...plan.steps.slice(1).map((s) => ({ type: "transferred", toAgencyCode: s.agencyCode ?? plan.handling, stepCode: s.code })),
    { type: "result_ready", outcome: "approved" },
    { type: "returned", method: "online" },
  ];
}

/** Where a dossier is in its script. */
interface Progress {
  readonly code: string;
  step: number;
  holder: string;
  lastAt: number;
}

/** The body of a dossier's next event (its agency: the holder for a transfer, the handling agency for the result, the desk for the return). */
function nextEvent(plan: IngestPlan, script: readonly EventBody[], d: Progress): string {
  const event = script[d.step]!;
  const at = Math.max(Date.now(), d.lastAt + 1);
  d.lastAt = at;
  const agencyCode = event.type === "result_ready" ? plan.handling : event.type === "returned" ? plan.receiving : d.holder;
  return JSON.stringify({ eventId: randomUUID(), occurredAt: new Date(at).toISOString(), agencyCode, ...event });
}

function advance(script: readonly EventBody[], d: Progress): boolean {
  const event = script[d.step]!;
  if (event.type === "transferred") d.holder = String(event.toAgencyCode);
  return ++d.step < script.length;
}

/**
 * POST /v1/dossiers/{code}/events over the dossiers, one event in flight per dossier. Without a
 * window every dossier is queued at once, so a phase cut short by its time limit posts mostly first
 * events (breadth first). With `window`, only that many dossiers are under way at a time and the
 * next one enters when one finishes its script: the mix of event types is the script's (transfers,
 * the result, the return in their proportions) however many events the phase gets through, so
 * backends of different speeds are measured on the same mix. `amount` leaves slack: at the end,
 * the dossiers still in flight cannot give an event to every connection.
 */
export function ingestionRequests(
  plan: IngestPlan,
  dossiers: readonly string[],
  connections: number,
  window?: number,
): { requests: autocannon.Request[]; amount: number; perDossier: number } {
  const script = eventScript(plan);
  const all: Progress[] = dossiers.map((code) => ({ code, step: 0, holder: plan.receiving, lastAt: 0 }));
  const queue = window === undefined ? all : all.slice(0, window);
  let entering = queue.length;
  let head = 0;
  const amount = Math.max(0, all.length * script.length - Math.max(connections, window ?? 0) * script.length);
  const requests: autocannon.Request[] = [
    {
      method: "POST",
      setupRequest: (req, context) => {
        const d = queue[head++];
        if (!d) throw new Error("the ingestion queue ran dry (a bug of the bench)");
        (context as { dossier?: Progress }).dossier = d;
        return { ...req, path: `/v1/dossiers/${encodeURIComponent(d.code)}/events`, body: nextEvent(plan, script, d) };
      },
      onResponse: (status, _body, context) => {
        const d = (context as { dossier?: Progress }).dossier;
        if (!d || status !== 201) return; // counted as non-2xx; the dossier is left alone
        if (advance(script, d)) queue.push(d);
        else if (entering < all.length) queue.push(all[entering++]!);
      },
    },
  ];
  return { requests, amount, perDossier: script.length };
}

/**
 * Sends every event of the dossiers one request at a time (no concurrency), each to the next of
 * `bases` in turn (round robin over instances), and returns the count sent; throws on a non-201.
 */
export async function postEventsInTurn(plan: IngestPlan, dossiers: readonly string[], bases: readonly string[], headers: Record<string, string>): Promise<number> {
  const script = eventScript(plan);
  let sent = 0;
  for (const code of dossiers) {
    const d: Progress = { code, step: 0, holder: plan.receiving, lastAt: 0 };
    do {
      const res = await fetch(`${bases[sent % bases.length]}/v1/dossiers/${encodeURIComponent(code)}/events`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: nextEvent(plan, script, d),
      });
      sent++;
      if (res.status !== 201) throw new Error(`POST …/${code}/events answered ${res.status}: ${await res.text()}`);
    } while (advance(script, d));
  }
  return sent;
}
