/**
 * The cost of one event against the length of the dossier's history (issue #12: "cost per event
 * flat from 10 to 3,000 events of history; print the curve"). In process, on a real SQLite file
 * (synchronous=FULL), through the real routes (`app.inject`: no sockets, so the figure is the
 * server's own time). Baselines measured in the same run, on the same file:
 * - `read`: reading the dossier and its n events with better-sqlite3 and parsing them (the part of
 *   a write that must grow with the history while the whole history is replayed);
 * - `commit`: one durable transaction inserting one event row (the part that must not grow).
 * And the domain alone: one replay of n events, and the overdue stretches computed the old way
 * (a fold of every prefix, O(n²)) against the new one (one pass over the replay).
 *
 *   npx tsx scripts/bench/write-path.ts [--sizes 10,100,300,1000,3000] [--repeat 15]
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { buildServiceApp } from "../../src/composition.js";
import { DEFAULT_CALENDAR_RULES } from "../../src/domain/calendar/calendar-defaults.js";
import { vnDaysOfYear } from "../../src/domain/calendar/calendar-days.js";
import { createWorkingCalendar } from "../../src/domain/calendar/working-calendar.js";
import { computeDueAt, foldDossier, orderEvents, replayDossier, type DossierFacts } from "../../src/domain/dossier/dossier-fold.js";
import type { DossierEvent } from "../../src/domain/dossier/dossier-types.js";
import type { Duration } from "../../src/domain/calendar/calendar-types.js";
import type { ProcedureStep } from "../../src/domain/procedure/procedure-types.js";
import { overdueSpansOf } from "../../src/domain/dossier/overdue-spans.js";
import { PROVINCE_AGENCIES, PROVINCE_PROCEDURES, BIRTH, JUSTICE, TAX } from "../fixtures/province.js";

const { values } = parseArgs({ options: { sizes: { type: "string", default: "10,100,300,1000,3000" }, repeat: { type: "string", default: "15" } } });
const SIZES = values.sizes.split(",").map(Number);
const REPEAT = Number(values.repeat);
const ADMIN_KEY = "bench-admin-key-0123456789abcdef";
const auth = { authorization: `Bearer ${ADMIN_KEY}` };
const RECEIVED = Date.parse("2024-01-02T08:00:00+07:00");
const MINUTE = 60_000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const fmt = (x: number) => x.toFixed(x < 10 ? 2 : 1).padStart(8);

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-bench-write-"));
  const dbFile = path.join(dir, "motcua.db");
  // The dossiers' history runs from 2024 on; the clock is after every event posted.
  let clock = RECEIVED + 400 * 24 * 60 * MINUTE;
  const app = await buildServiceApp({ config: { dbFile, adminKey: ADMIN_KEY, logLevel: "warn" }, logger: false, loadShedding: false, now: () => clock });
  await app.ready();
  const call = async (method: "POST" | "PUT", url: string, payload: unknown) => {
    const res = await app.inject({ method, url, headers: auth, payload: payload as object });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json() as { receiptCode: string };
  };
  for (const { code, body } of PROVINCE_AGENCIES) await call("PUT", `/v1/agencies/${code}`, body);
  for (const [code, body] of Object.entries(PROVINCE_PROCEDURES)) await call("PUT", `/v1/procedures/${code}`, body);
  const applicant = { kind: "citizen", name: "Nguyễn Văn Đo", idNumber: "001090000001" };
  const sqlite = app.database.sqlite;
  const readAll = sqlite.prepare("select payload from dossier_events where receipt_code = ? order by occurred_at, event_id");
  const readOne = sqlite.prepare("select * from dossiers where receipt_code = ?");
  const insertRow = sqlite.prepare("insert into storage_probe (id, at) values (?, ?) on conflict (id) do update set at = excluded.at");

  console.log(`write path: one event posted to a dossier with n events of history (median of ${REPEAT}, ms)\n`);
  console.log("       n    post     GET  read(n)  commit  post/read   replay(n)  spans-old  spans-new  answer");
  for (const n of SIZES) {
    const { receiptCode } = await call("POST", "/v1/dossiers", { procedureCode: BIRTH, receivingAgencyCode: JUSTICE, channel: "direct", receivedAt: new Date(RECEIVED).toISOString(), applicant });
    // n hand-offs back and forth, a minute apart, posted in batches of 500.
    const hops = Array.from({ length: n }, (_, i) => ({
      eventId: randomUUID(),
      type: "transferred",
      occurredAt: new Date(RECEIVED + (i + 1) * MINUTE).toISOString(),
      agencyCode: i % 2 === 0 ? JUSTICE : TAX,
      toAgencyCode: i % 2 === 0 ? TAX : JUSTICE,
    }));
    for (let i = 0; i < hops.length; i += 500) await call("POST", `/v1/dossiers/${receiptCode}/events`, { events: hops.slice(i, i + 500) });

    let last = RECEIVED + (n + 1) * MINUTE;
    const post: number[] = [];
    let bytes = 0;
    const read: number[] = [];
    const commit: number[] = [];
    const get: number[] = [];
    for (let r = 0; r < REPEAT; r++) {
      last += MINUTE;
      const body = { eventId: randomUUID(), type: "transferred", occurredAt: new Date(last).toISOString(), agencyCode: (n + r) % 2 === 0 ? JUSTICE : TAX, toAgencyCode: (n + r) % 2 === 0 ? TAX : JUSTICE };
      let start = process.hrtime.bigint();
      await call("POST", `/v1/dossiers/${receiptCode}/events`, body);
      post.push(ms(start));
      start = process.hrtime.bigint();
      const res = await app.inject({ method: "GET", url: `/v1/dossiers/${receiptCode}`, headers: auth });
      if (res.statusCode !== 200) throw new Error(`GET: ${res.statusCode}`);
      get.push(ms(start));
      if (r === 0) bytes = res.body.length;
      start = process.hrtime.bigint();
      readOne.get(receiptCode);
      for (const row of readAll.all(receiptCode) as { payload: string }[]) JSON.parse(row.payload);
      read.push(ms(start));
      start = process.hrtime.bigint();
      sqlite.transaction(() => insertRow.run(1, last))();
      commit.push(ms(start));
    }

    // The domain alone, on the same history.
    const calendar = createWorkingCalendar(DEFAULT_CALENDAR_RULES, vnDaysOfYear);
    const procedure = PROVINCE_PROCEDURES[BIRTH];
    const facts: DossierFacts = {
      receivedAt: RECEIVED,
      receivingAgencyCode: JUSTICE,
      handlingAgencyCode: JUSTICE,
      committedDuration: procedure.committedDuration as Duration,
      legalDuration: procedure.legalDuration as Duration,
      supplementPolicy: null,
      supplementCompletion: null,
      channel: "direct",
      submittedAt: null,
      steps: procedure.steps as unknown as ProcedureStep[],
      originalDueAt: computeDueAt(calendar, calendar.nextWorkingInstant(RECEIVED), procedure.committedDuration as Duration),
    };
    const events = (readAll.all(receiptCode) as { payload: string }[]).map((row) => JSON.parse(row.payload) as DossierEvent);
    const replayTimes: number[] = [];
    const newSpans: number[] = [];
    for (let r = 0; r < Math.min(REPEAT, 5); r++) {
      let start = process.hrtime.bigint();
      const replayed = replayDossier(facts, events, calendar);
      replayTimes.push(ms(start));
      if (!replayed.ok) throw new Error(replayed.violation.message);
      start = process.hrtime.bigint();
      overdueSpansOf(replayed.replay, calendar);
      newSpans.push(ms(start));
    }
    // The old way once (it is quadratic): a fold of every prefix, as overdue-spans.ts did before issue #12.
    let oldSpans = Number.NaN;
    if (n <= 1000) {
      const ordered = orderEvents(events);
      const start = process.hrtime.bigint();
      for (let i = 0; i <= ordered.length; i++) foldDossier(facts, ordered.slice(0, i), calendar, i === 0 ? RECEIVED : ordered[i - 1]!.occurredAt);
      oldSpans = ms(start);
    }
    const p = median(post);
    const rd = median(read);
    console.log(
      `${String(n + REPEAT).padStart(8)}${fmt(p)}${fmt(median(get))} ${fmt(rd)}${fmt(median(commit))}   ${(p / rd).toFixed(1).padStart(6)}x  ${fmt(median(replayTimes))}   ${Number.isNaN(oldSpans) ? "     (skip)" : fmt(oldSpans)}   ${fmt(median(newSpans))}  ${(bytes / 1024).toFixed(0).padStart(5)} KiB`,
    );
    clock = Math.max(clock, last + MINUTE);
  }
  await app.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
