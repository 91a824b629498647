/**
 * The maintained counts of missed Decree 118 duties (DOMAIN.md §10 "counted per agency";
 * src/domain/statistics/duty-contributions.ts) on both storages: kept with every write (reception,
 * events, a second event on the same dossier, cancellation), they equal a recount from the stored
 * duties for any period and any "now"; migration 0017's backfill (postgres/0002) and the rebuild
 * after a bulk load produce the same counts and shares as the writes did; report 06 shows them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { ADMIN, query, startTestApp, type TestApp } from "../support/test-app.js";
import { BIRTH, JUSTICE, LAND, TAX, event, postEvent, receive, seedProvince } from "../support/dossier-fixtures.js";
import { seededRandom } from "../../src/domain/seeded-random.js";
import { createSqliteStatisticsRepository, rebuildDutyTotals } from "../../src/db/sqlite/statistics-repository.js";
import { createPostgresStatisticsRepository, rebuildPostgresDutyTotals } from "../../src/db/postgres/statistics-repository.js";
import { dayOfInstant, missesDeadline, type DutyContribution } from "../../src/domain/statistics/duty-contributions.js";
import { reportMonthOf } from "../../src/domain/statistics/report-period.js";
import { DUTY_KINDS, type DutyKind } from "../../src/domain/dossier/duties.js";
import type { StatDimension, StatFilter } from "../../src/services/statistics-ports.js";

const NOW = Date.parse("2025-09-30T10:00:00+07:00");
const DAY = 86_400_000;
let t: TestApp;

/** "YYYY-MM-DDTHH:MM:00+07:00" of a weekday `n` working days after Mon 7 Jul 2025, at `hhmm`. */
function at(n: number, hhmm: string): string {
  const weeks = Math.floor(n / 5);
  const date = new Date(Date.parse("2025-07-07T00:00:00Z") + (weeks * 7 + (n % 5)) * DAY).toISOString().slice(0, 10);
  return `${date}T${hhmm}:00+07:00`;
}
const later = (iso: string, days: number, hhmm = "09:00") => `${new Date(Date.parse(iso) + days * DAY + 7 * 3_600_000).toISOString().slice(0, 10)}T${hhmm}:00+07:00`;

async function post(code: string, ...events: ReturnType<typeof event>[]) {
  const res = await postEvent(t, code, { events });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

/** 64 dossiers received over Jul–Sep 2025, each with a different way of meeting or missing its duties. */
async function seedDossiers() {
  const random = seededRandom(118);
  const pick = (n: number) => Math.floor(random() * n);
  for (let i = 0; i < 64; i++) {
    const day = pick(45); // working days from 7 Jul to 5 Sep (the last events fall before NOW)
    const receivedAt = at(day, ["08:00", "10:30", "15:30", "16:45"][pick(4)]!);
    const scenario = i % 8;
    const body: Record<string, unknown> = { receivedAt, procedureCode: i % 3 === 0 ? LAND : BIRTH };
    if (scenario === 4) Object.assign(body, { channel: "online", submittedAt: later(receivedAt, -pick(4), "08:00") });
    if (scenario === 7) Object.assign(body, { channel: "postal", handlingAgencyCode: TAX });
    const res = await receive(t, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const code = res.body.receiptCode as string;
    // Half an hour after the reception, or at 09:00 days later.
    const transfer = (days: number) =>
      event("transferred", days === 0 ? new Date(Date.parse(receivedAt) + 1_800_000).toISOString() : later(receivedAt, days), { toAgencyCode: scenario === 7 ? TAX : JUSTICE });
    switch (scenario) {
      case 0: // not transferred at first; transferred late by a second write (the count moves, it does not double)
        if (i % 16 === 0) await post(code, transfer(2 + pick(3)));
        break;
      case 1: // transferred the same day or days later
        await post(code, transfer(pick(3)));
        break;
      case 2: {
        // a supplement requested inside or after the 3-working-day window, completed in time, late or never
        const requested = later(receivedAt, 1 + pick(6));
        await post(code, transfer(0), event("supplement_requested", requested, { reason: "Thiếu tờ khai" }));
        const answer = pick(3);
        if (answer < 2) await post(code, event("supplement_received", later(requested, answer === 0 ? 3 : 16)));
        break;
      }
      case 3: {
        // the tax office consulted: replies before its deadline, after it, or not at all
        const asked = later(receivedAt, 1);
        const replyDueAt = later(asked, 2, "17:00");
        await post(code, transfer(0), event("consultation_requested", asked, { toAgencyCode: TAX, replyDueAt }));
        const reply = pick(3);
        if (reply < 2) await post(code, event("consultation_replied", later(asked, reply === 0 ? 1 : 5), { agencyCode: TAX, fromAgencyCode: TAX }));
        break;
      }
      case 4: // online: accepted within 8 working hours of the portal's receipt, or not
        break;
      case 5: // missed its transfer, then cancelled as a data-entry error: counts nothing any more
        await post(code, event("cancelled", later(receivedAt, 2)));
        break;
      case 6: {
        // a correction of the result requested, made in time, late or never
        const ready = later(receivedAt, 2);
        await post(code, transfer(0), event("result_ready", ready, { outcome: "approved" }), event("returned", later(ready, 1), { method: "counter" }));
        const requested = later(ready, 2);
        await post(code, event("correction_requested", requested, { reason: "Sai ngày sinh" }));
        const fix = pick(3);
        if (fix < 2) await post(code, event("result_corrected", later(requested, fix === 0 ? 1 : 8)));
        break;
      }
      case 7: // handled by the tax office, received by post
        await post(code, transfer(pick(2)), event("result_ready", later(receivedAt, 3), { outcome: "approved", agencyCode: TAX }));
        break;
    }
  }
}

beforeAll(async () => {
  t = await startTestApp({ now: () => NOW });
  await seedProvince(t);
  await seedDossiers();
}, 60_000); // some 130 requests: seconds on PostgreSQL when the machine is busy
afterAll(async () => t.close());

interface StoredDuty {
  receipt_code: string;
  kind: DutyKind;
  agency_code: string;
  due_at: number;
  done_at: number | null;
  status: string;
  procedure_code: string;
  channel: string;
  field_code: string;
}
const storedDuties = async () =>
  (
    await query<StoredDuty>(
      t,
      `select l.receipt_code, l.kind, l.agency_code, l.due_at, l.done_at, d.status, d.procedure_code, d.channel, d.field_code
       from dossier_duties l join dossiers d on d.receipt_code = l.receipt_code order by l.receipt_code, l.seq`,
    )
  ).map((r) => ({ ...r, due_at: Number(r.due_at), done_at: r.done_at === null ? null : Number(r.done_at) }));

/** The counts recomputed from the stored duties with the domain's own rule: missed once due, not cancelled. */
function recount(duties: readonly StoredDuty[], q: { p0: number; p1: number; now: number; groupBy: StatDimension | null; filter: StatFilter }) {
  const out: Record<string, Partial<Record<DutyKind, number>>> = {};
  for (const d of duties) {
    if (d.status === "cancelled" || !missesDeadline({ kind: d.kind, dueAt: d.due_at, doneAt: d.done_at })) continue;
    if (d.due_at < q.p0 || d.due_at >= Math.min(q.p1, q.now)) continue;
    if (q.filter.agencyCodes && !q.filter.agencyCodes.includes(d.agency_code)) continue;
    if (q.filter.procedureCode && d.procedure_code !== q.filter.procedureCode) continue;
    if (q.filter.channel && d.channel !== q.filter.channel) continue;
    const key = q.groupBy === null ? "" : q.groupBy === "agency" ? d.agency_code : q.groupBy === "field" ? d.field_code : q.groupBy === "procedure" ? d.procedure_code : d.channel;
    const counts = (out[key] ??= {});
    counts[d.kind] = (counts[d.kind] ?? 0) + 1;
  }
  return out;
}

/** The maintained cells and roll-ups, recomputed from the stored duties (non-zero, in a fixed order). */
function recomputedTotals(duties: readonly StoredDuty[]) {
  const cells = new Map<string, number>();
  const rollups = new Map<string, number>();
  const add = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  for (const d of duties) {
    if (d.status === "cancelled" || !missesDeadline({ kind: d.kind, dueAt: d.due_at, doneAt: d.done_at })) continue;
    const day = dayOfInstant(d.due_at);
    for (const [grain, bucket] of [["month", reportMonthOf(day)], ["day", day]]) {
      add(cells, [grain, bucket, d.agency_code, d.procedure_code, d.channel, d.field_code, d.kind].join("|"));
      for (const [dimension, key] of [["all", ""], ["agency", d.agency_code], ["channel", d.channel], ["field", d.field_code], ["procedure", d.procedure_code]])
        add(rollups, [dimension, grain, bucket, key, d.kind].join("|"));
    }
  }
  const sorted = (map: Map<string, number>) => [...map].sort(([a], [b]) => (a < b ? -1 : 1));
  return { cells: sorted(cells), rollups: sorted(rollups) };
}

async function maintainedTotals() {
  const nonZero = (rows: Record<string, unknown>[], columns: string[]) =>
    rows
      .filter((r) => Number(r.missed) !== 0)
      .map((r) => [columns.map((c) => String(r[c])).join("|"), Number(r.missed)] as [string, number])
      .sort(([a], [b]) => (a < b ? -1 : 1));
  const cellColumns = ["grain", "bucket", "agency_code", "procedure_code", "channel", "field_code", "kind"];
  const rollupColumns = ["dimension", "grain", "bucket", "key", "kind"];
  return {
    cells: nonZero(await query(t, "select * from stat_duty_totals"), cellColumns),
    rollups: nonZero(await query(t, "select * from stat_duty_dimension_totals"), rollupColumns),
  };
}

/** Every dossier's stored share, as the domain computes it from its stored duties. */
async function sharesAgree() {
  const duties = await storedDuties();
  const rows = await query<{ receipt_code: string; status: string; duty_contributions: unknown }>(t, "select receipt_code, status, duty_contributions from dossiers");
  for (const row of rows) {
    const stored = (typeof row.duty_contributions === "string" ? JSON.parse(row.duty_contributions) : row.duty_contributions) as DutyContribution[];
    const expected =
      row.status === "cancelled"
        ? []
        : duties
            .filter((d) => d.receipt_code === row.receipt_code && missesDeadline({ kind: d.kind, dueAt: d.due_at, doneAt: d.done_at }))
            .map((d) => ({ day: dayOfInstant(d.due_at), agencyCode: d.agency_code, kind: d.kind }));
    expect(stored, row.receipt_code).toEqual(expected);
  }
}

const statisticsRepository = () => {
  const handle = t.app.storageHandle;
  return handle.kind === "sqlite" ? createSqliteStatisticsRepository(handle.sqlite) : createPostgresStatisticsRepository(handle.postgres.db);
};

describe("the maintained duty counts", () => {
  it("hold missed duties of every kind the scenarios produce, and none of the cancelled dossiers", async () => {
    const duties = await storedDuties();
    const missed = duties.filter((d) => d.status !== "cancelled" && missesDeadline({ kind: d.kind, dueAt: d.due_at, doneAt: d.done_at }));
    // Every stored kind (the extension notice is not a stored duty: the apology letter answers it, duties.ts).
    expect(new Set(missed.map((d) => d.kind))).toEqual(new Set(DUTY_KINDS.filter((k) => k !== "extension_notice")));
    expect(duties.some((d) => d.status === "cancelled" && missesDeadline({ kind: d.kind, dueAt: d.due_at, doneAt: d.done_at }))).toBe(true);
    const { cells } = await maintainedTotals();
    expect(cells.reduce((sum, [key, n]) => sum + (key.startsWith("day|") ? n : 0), 0)).toBe(missed.length);
  });

  it("equal the cells and roll-ups recomputed from the stored duties, and each dossier's share its duties", async () => {
    expect(await maintainedTotals()).toEqual(recomputedTotals(await storedDuties()));
    await sharesAgree();
  });

  it("count any period as of any instant exactly as a recount of the duties would", async () => {
    const repo = statisticsRepository();
    const duties = await storedDuties();
    const midnight = (date: string) => Date.parse(`${date}T00:00:00+07:00`);
    const dates = ["2025-06-15", "2025-07-07", "2025-07-14", "2025-07-15", "2025-07-23", "2025-08-14", "2025-08-15", "2025-09-14", "2025-09-15", "2025-10-14"];
    const nows = [Date.parse("2025-07-21T10:30:00+07:00"), midnight("2025-08-15") - 1, midnight("2025-08-15"), Date.parse("2025-09-03T16:20:00+07:00"), NOW, midnight("2025-12-01")];
    const groupings: (StatDimension | null)[] = [null, "agency", "field", "procedure", "channel"];
    const filters: StatFilter[] = [{}, { agencyCodes: [TAX] }, { channel: "direct" }, { procedureCode: LAND }, { agencyCodes: [JUSTICE], channel: "online" }];
    let compared = 0;
    let nonEmpty = 0;
    for (const [i, from] of dates.entries())
      for (const to of dates.slice(i))
        for (const [k, now] of nows.entries()) {
          const p0 = midnight(from);
          const p1 = midnight(to) + DAY;
          // Every grouping with no filter, and a filter in turn with a grouping in turn.
          const combos: [StatDimension | null, StatFilter][] = [...groupings.map((g) => [g, {}] as [StatDimension | null, StatFilter]), [groupings[(i + k) % 5]!, filters[(i + k) % 5]!]];
          for (const [groupBy, filter] of combos) {
            const q = { p0, p1, now, groupBy, filter };
            const got = Object.fromEntries(await repo.overdueDuties(q));
            const expected = recount(duties, q);
            expect(got, `${from}..${to} as of ${new Date(now).toISOString()} ${groupBy} ${JSON.stringify(filter)}`).toEqual(expected);
            compared++;
            if (Object.keys(expected).length > 0) nonEmpty++;
          }
        }
    expect(compared).toBe(55 * 6 * 6);
    expect(nonEmpty).toBeGreaterThan(compared / 3);
  }, 60_000);

  it("show in report 06 per owing agency, for a whole report month and for a range reaching today", async () => {
    const duties = await storedDuties();
    const all = (body: { rows: { key: string; overdueDuties: { byKind: Record<string, number> } }[] }) =>
      Object.fromEntries(
        body.rows
          .map((r) => [r.key, Object.fromEntries(Object.entries(r.overdueDuties.byKind).filter(([, n]) => n > 0))] as const)
          .filter(([, counts]) => Object.keys(counts).length > 0),
      );
    for (const [query, p0, p1] of [
      ["period=2025-08", "2025-07-15", "2025-08-14"],
      ["from=2025-07-20&to=2025-10-03", "2025-07-20", "2025-10-03"],
    ] as const) {
      const body = (await t.http.get(`/v1/stats/timeliness?${query}&groupBy=agency`).set(ADMIN).expect(200)).body;
      const expected = recount(duties, { p0: Date.parse(`${p0}T00:00:00+07:00`), p1: Date.parse(`${p1}T00:00:00+07:00`) + DAY, now: NOW, groupBy: "agency", filter: {} });
      expect(Object.keys(expected).length).toBeGreaterThan(0);
      expect(all(body), query).toEqual(expected);
      for (const kind of DUTY_KINDS)
        expect(body.total.overdueDuties.byKind[kind], `${query} ${kind}`).toBe(Object.values(expected).reduce((sum, c) => sum + (c[kind] ?? 0), 0));
    }
  });
});

/** The backfill statements of a migration: everything after its schema changes. */
function backfill(file: string): string[] {
  const statements = fs.readFileSync(path.join(import.meta.dirname, "../../migrations", file), "utf8").split("--> statement-breakpoint");
  return statements.map((s) => s.trim()).filter((s) => /^(--[^\n]*\n)*(UPDATE|INSERT)/i.test(s));
}

describe("upgrading a database that holds duties already", () => {
  async function clear() {
    await query(t, "delete from stat_duty_totals");
    await query(t, "delete from stat_duty_dimension_totals");
    await query(t, "update dossiers set duty_contributions = '[]'");
  }

  it("the migration's backfill gives the counts and shares the writes gave, and later writes move them on", async () => {
    const before = await maintainedTotals();
    expect(before.cells.length).toBeGreaterThan(0);
    await clear();
    expect((await maintainedTotals()).cells).toEqual([]);
    const statements = backfill(t.app.storageHandle.kind === "sqlite" ? "0017_duty_totals.sql" : "postgres/0002_duty_totals.sql");
    expect(statements.length).toBe(8);
    for (const statement of statements) await query(t, statement);
    expect(await maintainedTotals()).toEqual(before);
    await sharesAgree();

    // A write after the upgrade takes back exactly what the backfill added for that dossier.
    const code = (await receive(t, { receivedAt: "2025-09-24T10:00:00+07:00" }).expect(201)).body.receiptCode as string;
    await post(code, event("transferred", "2025-09-26T09:00:00+07:00", { toAgencyCode: JUSTICE }));
    await post(code, event("cancelled", "2025-09-26T10:00:00+07:00"));
    expect(await maintainedTotals()).toEqual(recomputedTotals(await storedDuties()));
  });

  it("the rebuild after a bulk load (scripts/seed.ts, the contract tests) gives them too", async () => {
    const handle = t.app.storageHandle;
    const before = await maintainedTotals();
    await clear();
    if (handle.kind === "sqlite") rebuildDutyTotals(handle.sqlite);
    else await rebuildPostgresDutyTotals(handle.postgres.db);
    expect(await maintainedTotals()).toEqual(before);
    await sharesAgree();
  });
});
