/**
 * Report 06 and the Decision 766 scorecard on fixtures whose tables were computed by hand
 * (DOMAIN.md §6). Report month 2025-04 runs from 15 Mar to 14 Apr 2025; 7 Apr is Hùng Kings' day.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, createKey, query, startTestApp, type TestApp } from "../support/test-app.js";
import { STAT_COLUMN_NAMES } from "../../src/db/sqlite/schema.js";
import { JUSTICE, PROVINCE, TAX, applicant, event, postEvent, seedProvince } from "../support/dossier-fixtures.js";
import { createSqliteStatisticsRepository } from "../../src/db/sqlite/statistics-repository.js";
import { createPostgresStatisticsRepository } from "../../src/db/postgres/statistics-repository.js";
import { reportMonth } from "../../src/domain/statistics/report-period.js";
import { DUTY_KINDS } from "../../src/domain/dossier/duties.js";

let t: TestApp;
const STAT = "2.000001"; // 3 committed / 5 legal working days, no steps
const CODES: Record<string, string> = {};

async function dossier(name: string, receivedAt: string, channel: string, extra: Record<string, unknown>, events: ReturnType<typeof event>[]) {
  const res = await t.http
    .post("/v1/dossiers")
    .set(ADMIN)
    // A code in the desk's own namespace (DOMAIN.md §8): the agency, the reception date, a sequence from 9001.
    .send({ receiptCode: `${JUSTICE}-${receivedAt.slice(2, 10).replace(/-/g, "")}-${9001 + Object.keys(CODES).length}`, procedureCode: STAT, receivingAgencyCode: JUSTICE, channel, receivedAt, applicant, ...extra })
    .expect(201);
  CODES[name] = res.body.receiptCode;
  if (events.length > 0) await postEvent(t, res.body.receiptCode, { events }).expect(201);
}

beforeAll(async () => {
  t = await startTestApp({ now: () => Date.parse("2025-06-30T10:00:00+07:00") });
  await seedProvince(t);
  await t.http
    .put(`/v1/procedures/${STAT}`)
    .set(ADMIN)
    .send({ name: "Chứng thực", fieldCode: "CT", fieldName: "Chứng thực", legalDuration: { value: 5, unit: "working_days" }, committedDuration: { value: 3, unit: "working_days" } })
    .expect(201);
  const ready = (at: string) => event("result_ready", at, { outcome: "approved" });
  // A: received before the period, finished inside it: late (due Thu 13 Mar), on time against the law (due Mon 17 Mar 08:00).
  await dossier("A", "2025-03-10T08:00:00+07:00", "direct", {}, [ready("2025-03-17T09:00:00+07:00")]);
  // B: open across the period's end, within time (due Thu 17 Apr).
  await dossier("B", "2025-04-14T08:00:00+07:00", "online", { digitized: true }, []);
  // C: open across the period's end and overdue (due Fri 4 Apr); finished only after the period.
  await dossier("C", "2025-04-01T08:00:00+07:00", "direct", {}, [ready("2025-04-21T09:00:00+07:00")]);
  // D: overdue (due Thu 20 Mar), then waiting for a supplement at the period's end: within time.
  await dossier("D", "2025-03-17T08:00:00+07:00", "postal", {}, [
    event("transferred", "2025-03-17T09:00:00+07:00", { toAgencyCode: JUSTICE }),
    event("supplement_requested", "2025-03-24T09:00:00+07:00", { reason: "Thiếu bản sao" }),
  ]);
  // E: withdrawn and stopped.
  await dossier("E", "2025-03-18T08:00:00+07:00", "direct", {}, [
    event("withdrawal_requested", "2025-03-19T09:00:00+07:00"),
    event("stopped", "2025-03-19T10:00:00+07:00", { reason: "Công dân rút hồ sơ" }),
  ]);
  // F: finished on the due date (Thu 27 Mar 10:00) after the due hour: on time by date; early against the law.
  await dossier("F", "2025-03-24T10:00:00+07:00", "online", { digitized: true, feeVnd: 50_000, paidOnline: true }, [ready("2025-03-27T16:00:00+07:00")]);
  // G: early.
  await dossier("G", "2025-03-25T08:00:00+07:00", "direct", { feeVnd: 30_000 }, [ready("2025-03-26T10:00:00+07:00")]);
  // H: received and finished before the period (early): only in the March report month.
  await dossier("H", "2025-03-03T08:00:00+07:00", "direct", {}, [ready("2025-03-05T09:00:00+07:00")]);
  // I: received after the period.
  await dossier("I", "2025-04-16T08:00:00+07:00", "online", {}, []);
  // J: handled by the tax office: late on both bases (due Mon 31 Mar, legal Wed 2 Apr).
  await dossier("J", "2025-03-26T08:00:00+07:00", "online", { handlingAgencyCode: TAX, digitized: true }, [
    { ...ready("2025-04-11T09:00:00+07:00"), agencyCode: TAX },
  ]);
  // K: cancelled (a data-entry error): removed from statistics.
  await dossier("K", "2025-03-20T08:00:00+07:00", "online", {}, [event("cancelled", "2025-03-20T09:00:00+07:00")]);
});
afterAll(async () => t.close());

const stats = (query: string, auth: Record<string, string> = ADMIN) => t.http.get(`/v1/stats/timeliness?${query}`).set(auth);

const row = (carriedOver: number, n: number, online: number, resolved: [number, number, number], pending: [number, number], stopped: number) => {
  const [early, onTime, late] = resolved;
  const total = early + onTime + late;
  return {
    received: { carriedOver, new: n, online, offline: n - online },
    resolved: { total, early, onTime, late },
    pending: { total: pending[0] + pending[1], withinTime: pending[0], overdue: pending[1] },
    stopped,
    apologyLetters: 0,
    // Dossiers of 2025-Q1/Q2 were received under Decree 61/2018: no Decree 118 duties.
    overdueDuties: { total: 0, byKind: Object.fromEntries(DUTY_KINDS.map((k) => [k, 0])) },
    onTimeRate: total === 0 ? null : Math.round((10000 * (early + onTime)) / total) / 100,
  };
};

describe("report 06", () => {
  it("counts the report month against committed due dates", async () => {
    const res = await stats("period=2025-04&groupBy=agency").expect(200);
    expect(res.body).toMatchObject({ from: "2025-03-15", to: "2025-04-14", period: "2025-04", groupBy: "agency", basis: "committed" });
    expect(res.body.total).toMatchObject({ key: "total", ...row(1, 7, 3, [1, 1, 2], [2, 1], 1) });
    expect(res.body.total.onTimeRate).toBe(50);
    expect(res.body.rows).toEqual([
      { key: JUSTICE, label: "Sở Tư pháp", ...row(1, 6, 2, [1, 1, 1], [2, 1], 1) },
      { key: TAX, label: "Cục Thuế", ...row(0, 1, 1, [0, 0, 1], [0, 0], 0) },
    ]);
  });

  it("judges against the legal due dates with basis=legal", async () => {
    const res = await stats("from=2025-03-15&to=2025-04-14&groupBy=channel&basis=legal").expect(200);
    expect(res.body.total).toMatchObject(row(1, 7, 3, [2, 1, 1], [2, 1], 1));
    expect(res.body.total.onTimeRate).toBe(75);
    expect(res.body.rows.map((r: { key: string; label: string }) => [r.key, r.label])).toEqual([
      ["direct", "Trực tiếp"],
      ["online", "Trực tuyến"],
      ["postal", "Bưu chính công ích"],
    ]);
  });

  it("groups by report month across period boundaries", async () => {
    const res = await stats("from=2025-03-01&to=2025-04-30&groupBy=month").expect(200);
    expect(res.body.rows.map((r: { key: string; label: string }) => [r.key, r.label])).toEqual([
      ["2025-03", "01/03/2025–14/03/2025"],
      ["2025-04", "15/03/2025–14/04/2025"],
      ["2025-05", "15/04/2025–30/04/2025"],
    ]);
    const [march, april, may] = res.body.rows;
    expect(march).toMatchObject(row(0, 2, 0, [1, 0, 0], [0, 1], 0));
    expect(april).toMatchObject(row(1, 7, 3, [1, 1, 2], [2, 1], 1));
    // B, C, D carried over; I new; C resolved late; at 1 May B and I overdue, D waiting (within time).
    expect(may).toMatchObject(row(3, 1, 1, [0, 0, 1], [1, 2], 0));
    expect(res.body.total).toMatchObject(row(0, 10, 4, [2, 1, 3], [1, 2], 1));
  });

  it("filters by agency including sub-agencies, by procedure and by channel", async () => {
    expect((await stats("period=2025-04&agencyCode=" + PROVINCE).expect(200)).body.total).toMatchObject(row(1, 7, 3, [1, 1, 2], [2, 1], 1));
    expect((await stats("period=2025-04&agencyCode=" + TAX).expect(200)).body.total).toMatchObject(row(0, 1, 1, [0, 0, 1], [0, 0], 0));
    expect((await stats("period=2025-04&channel=online").expect(200)).body.total).toMatchObject(row(0, 3, 3, [0, 1, 1], [1, 0], 0));
    const byProcedure = await stats(`period=2025-04&groupBy=procedure&procedureCode=${STAT}`).expect(200);
    expect(byProcedure.body.rows).toHaveLength(1);
    // Processing times in working minutes: A 2460 (Mon 10 08:00 – Mon 17 09:00), F 1710, G 600,
    // J 5340 (Wed 26 Mar – Fri 11 Apr, Hùng Kings' day off): 10110 / 4 / 480 = 5.27 working days.
    expect(byProcedure.body.rows[0]).toMatchObject({ key: STAT, label: "Chứng thực", averageProcessingTime: { value: 5.27, unit: "working_days" } });
  });

  it("negotiates CSV by q-values like every printable route: q=0 refuses, a higher q wins, nothing acceptable is 406", async () => {
    expect((await stats("period=2025-04").set("Accept", "text/csv;q=0, application/json").expect(200)).type).toMatch(/json/);
    expect((await stats("period=2025-04").set("Accept", "application/json;q=0.5, text/csv").expect(200)).type).toMatch(/text\/csv/);
    const refused = await stats("period=2025-04").set("Accept", "application/pdf").expect(406);
    expect(refused.type).toMatch(/problem\+json/);
  });

  it("answers CSV with a BOM and Vietnamese headings, with the same numbers as the JSON", async () => {
    const json = (await stats("period=2025-04&groupBy=agency").expect(200)).body;
    const viaAccept = await stats("period=2025-04&groupBy=agency").set("Accept", "text/csv").buffer(true).parse((res, cb) => {
      let data = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (data += chunk));
      res.on("end", () => cb(null, data));
    });
    expect(viaAccept.status).toBe(200);
    expect(viaAccept.headers["content-type"]).toMatch(/^text\/csv; charset=utf-8/);
    const csv = viaAccept.body as string;
    expect(csv.startsWith("\uFEFF")).toBe(true);
    const lines = csv.slice(1).trimEnd().split("\r\n").map((l) => l.split(","));
    expect(lines[0]).toContain("Kỳ trước chuyển qua");
    expect(lines[0]).toContain("Giải quyết quá hạn");
    for (const [i, r] of [...json.rows, json.total].entries()) {
      const cells = lines[i + 1]!;
      expect(cells[0]).toBe(r.key);
      expect(cells.slice(2).map(Number)).toEqual([
        r.received.carriedOver + r.received.new, r.received.carriedOver, r.received.new, r.received.online, r.received.offline,
        r.resolved.total, r.resolved.early, r.resolved.onTime, r.resolved.late,
        r.pending.total, r.pending.withinTime, r.pending.overdue, r.stopped, r.apologyLetters, r.onTimeRate, r.overdueDuties.total,
      ]);
    }
    const viaFormat = await stats("period=2025-04&groupBy=agency&format=csv").buffer(true).parse((res, cb) => {
      let data = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (data += chunk));
      res.on("end", () => cb(null, data));
    });
    expect(viaFormat.body).toBe(csv);
  });

  it.each([
    ["from=2025-05-01&to=2025-04-01", "from", 400],
    ["period=2025-Q5", "period", 400],
    ["period=25", "period", 400],
    ["period=2025&from=2025-01-01", "period", 400],
    ["from=2025-01-01", "to", 400],
    ["period=2025&groupBy=weekday", "groupBy", 400],
    ["period=2025&basis=hope", "basis", 400],
    ["period=2025&agencyCode=999.99.99.X00", "agencyCode", 404],
  ])("refuses %s naming %s", async (query, field, status) => {
    const res = await stats(query).expect(status);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it("is for reporters and admins", async () => {
    await t.http.get("/v1/stats/timeliness?period=2025").expect(401);
    await stats("period=2025", await createKey(t, "desk", [JUSTICE])).expect(403);
    await stats("period=2025", await createKey(t, "reporter")).expect(200);
  });
});

describe("periods", () => {
  it.each([
    ["2025", "2024-12-15", "2025-12-14"],
    ["2025-Q1", "2024-12-15", "2025-03-14"],
    ["2025-Q3", "2025-06-15", "2025-09-14"],
    ["2025-H2", "2025-06-15", "2025-12-14"],
    ["2025-01", "2024-12-15", "2025-01-14"],
  ])("expands %s to %s – %s", async (period, from, to) => {
    expect((await stats(`period=${period}`).expect(200)).body).toMatchObject({ from, to });
  });
});

describe("Decision 766 scorecard", () => {
  it("scores the measurable groups and rates the total over the measurable maximum", async () => {
    const res = await t.http.get("/v1/stats/scorecard?period=2025-04").set(ADMIN).expect(200);
    const groups = Object.fromEntries(res.body.groups.map((g: { key: string }) => [g.key, g]));
    // Handled 8 (A + 7 new); on time: B, D (paused), E (stopped before due), G -> 50%.
    expect(groups.progress).toMatchObject({ rate: 50, points: 10, maxPoints: 20, measurable: true });
    expect(groups.online_service).toMatchObject({ rate: 42.86, points: 10.29, maxPoints: 12 });
    expect(groups.digitization).toMatchObject({ rate: 42.86, points: 11.79, maxPoints: 22 });
    expect(groups.online_payment).toMatchObject({ rate: 50, points: 5, maxPoints: 10 });
    expect(groups.satisfaction).toMatchObject({ rate: 50, points: 10, maxPoints: 18 });
    expect(groups.transparency).toMatchObject({ measurable: false, points: 0 });
    expect(res.body.notMeasurable).toEqual(["transparency"]);
    expect(res.body.total).toEqual({ points: 47.08, maxPoints: 82, percentOfMax: 57.41, rating: "average" });
  });
});

describe("maintained report-month aggregates", () => {
  it("give exactly the counts of a pass over the dossiers, for every month range, grouping, basis and filter", async () => {
    // The app's own storage: the maintained aggregates on PostgreSQL equal a recomputation too (issue #16).
    const handle = t.app.storageHandle;
    const repo = handle.kind === "sqlite" ? createSqliteStatisticsRepository(handle.sqlite) : createPostgresStatisticsRepository(handle.postgres.db);
    const months = ["2025-02", "2025-03", "2025-04", "2025-05", "2025-06", "2025-07"];
    const midnight = (date: string) => Date.parse(`${date}T00:00:00+07:00`);
    let compared = 0;
    for (const [i, fromMonth] of months.entries()) {
      for (const toMonth of months.slice(i)) {
        const [fy, fm] = fromMonth.split("-").map(Number) as [number, number];
        const [ty, tm] = toMonth.split("-").map(Number) as [number, number];
        const p0 = midnight(reportMonth(fy, fm).from);
        const p1 = midnight(reportMonth(ty, tm).to) + 86_400_000;
        for (const groupBy of [null, "agency", "field", "procedure", "channel"] as const)
          for (const basis of ["committed", "legal"] as const)
            for (const filter of [{}, { agencyCodes: [TAX] }, { channel: "online" as const }]) {
              const scan = await repo.timeliness({ p0, p1, basis, groupBy, filter });
              const aggregated = await repo.timelinessByMonths({ fromMonth, toMonth, basis, groupBy, filter });
              expect(aggregated, `${fromMonth}..${toMonth} ${groupBy} ${basis} ${JSON.stringify(filter)}`).toEqual(scan);
              compared++;
            }
      }
    }
    expect(compared).toBe(21 * 5 * 2 * 3);
  });
});

describe("per-dimension roll-ups", () => {
  it("kept with every write equal a roll-up recomputed from the full cells", async () => {
    // Portable SQL, so the same check runs on SQLite and PostgreSQL (issue #16).
    const sums = STAT_COLUMN_NAMES.map((c) => `sum(${c}) as ${c}`).join(", ");
    const nonZero = (rows: Record<string, unknown>[]) =>
      rows
        .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "string" && STAT_COLUMN_NAMES.includes(k) ? Number(v) : v])))
        .filter((r) => STAT_COLUMN_NAMES.some((c) => r[c] !== 0))
        // Sorted here, not by the database: collations differ between the two backends.
        .sort((a, b) => (String(a.dimension) + "|" + String(a.month) + "|" + String(a.key) < String(b.dimension) + "|" + String(b.month) + "|" + String(b.key) ? -1 : 1));
    const maintained = nonZero(await query(t, `select dimension, month, key, ${STAT_COLUMN_NAMES.join(", ")} from stat_dimension_totals order by dimension, month, key`));
    expect(maintained.filter((r) => r.dimension === "all").length).toBeGreaterThan(0);
    const recomputed = nonZero(
      await query(
        t,
        `select dimension, month, key, ${STAT_COLUMN_NAMES.join(", ")} from (
           select 'agency' as dimension, month, handling_agency_code as key, ${sums} from stat_month_totals group by month, handling_agency_code
           union all select 'all', month, '', ${sums} from stat_month_totals group by month
           union all select 'channel', month, channel, ${sums} from stat_month_totals group by month, channel
           union all select 'field', month, field_code, ${sums} from stat_month_totals group by month, field_code
           union all select 'procedure', month, procedure_code, ${sums} from stat_month_totals group by month, procedure_code
         ) r order by dimension, month, key`,
      ),
    );
    expect(recomputed).toEqual(maintained);
  });
});
