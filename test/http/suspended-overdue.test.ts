/**
 * DOMAIN.md §6: only a dossier waiting for a supplement is within time by definition; a suspended
 * one is judged against its due date moved by the pause so far, so it is overdue exactly when it
 * was already late when suspended. The example of the statistics issue, over HTTP on real SQLite:
 * everywhere a dossier is judged overdue must agree.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, startTestApp, type TestApp } from "../support/test-app.js";
import { JUSTICE, TAX, event, postEvent, received, seedProvince } from "../support/dossier-fixtures.js";

const NOW = Date.parse("2025-10-20T10:00:00+07:00");
const FIVE_DAYS = "1.000055";
let t: TestApp;
let late: string;
let onTime: string;
let waiting: string;

beforeAll(async () => {
  t = await startTestApp({ now: () => NOW });
  await seedProvince(t);
  const days = (value: number) => ({ value, unit: "working_days" });
  await t.http
    .put(`/v1/procedures/${FIVE_DAYS}`)
    .set(ADMIN)
    .send({ name: "Thủ tục 5 ngày", fieldCode: "TC", fieldName: "Tài chính", legalDuration: days(7), committedDuration: days(5) })
    .expect(201);
  // Received Thu 2 Oct 2025 14:57: due Thu 9 Oct 14:57.
  const receive = () => received(t, { procedureCode: FIVE_DAYS, receivedAt: "2025-10-02T14:57:00+07:00" });
  const transfer = event("transferred", "2025-10-02T15:30:00+07:00", { toAgencyCode: TAX });
  late = await receive();
  await postEvent(t, late, { events: [{ ...transfer }, event("suspended", "2025-10-14T15:17:00+07:00", { agencyCode: TAX, reason: "financial_obligation" })] }).expect(201);
  onTime = await receive();
  await postEvent(t, onTime, { events: [{ ...transfer, eventId: crypto.randomUUID() }, event("suspended", "2025-10-08T10:00:00+07:00", { agencyCode: TAX, reason: "financial_obligation" })] }).expect(201);
  // Waiting for a supplement after the due instant: within time by definition.
  waiting = await receive();
  await postEvent(t, waiting, {
    events: [{ ...transfer, eventId: crypto.randomUUID() }, event("supplement_requested", "2025-10-14T15:17:00+07:00", { agencyCode: TAX, reason: "Thiếu tờ khai" })],
  }).expect(201);
});
afterAll(async () => t.close());

const get = async (code: string) => (await t.http.get(`/v1/dossiers/${code}`).set(ADMIN).expect(200)).body;

describe("a dossier suspended after its due instant is overdue", () => {
  it("on the dossier itself", async () => {
    expect(await get(late)).toMatchObject({ status: "suspended", originalDueAt: "2025-10-09T14:57:00+07:00", overdue: true });
    expect(await get(onTime)).toMatchObject({ status: "suspended", overdue: false });
    expect(await get(waiting)).toMatchObject({ status: "supplement_requested", overdue: false });
  });

  it("in the overdue work list and the listing's own flag", async () => {
    const listed = (await t.http.get(`/v1/dossiers?overdue=true&agencyCode=${JUSTICE}`).set(ADMIN).expect(200)).body.items;
    expect(listed.map((i: { receiptCode: string }) => i.receiptCode)).toEqual([late]);
    const all = (await t.http.get(`/v1/dossiers?procedureCode=${FIVE_DAYS}`).set(ADMIN).expect(200)).body.items;
    // One clock: the listing shows the due instants the detail shows, moved by the pause so far (issue #12).
    for (const item of all as { receiptCode: string; dueAt: string; legalDueAt: string }[]) {
      const detail = await get(item.receiptCode);
      expect([item.dueAt, item.legalDueAt], item.receiptCode).toEqual([detail.dueAt, detail.legalDueAt]);
    }
    expect((await get(onTime)).dueAt).not.toBe((await get(onTime)).originalDueAt);
    expect(Object.fromEntries(all.map((i: { receiptCode: string; overdue: boolean }) => [i.receiptCode, i.overdue]))).toEqual({
      [late]: true,
      [onTime]: false,
      [waiting]: false,
    });
  });

  it("in report 06 for the October period (15 Sep – 14 Oct), from the aggregates and from one pass alike", async () => {
    const report = async (query: string) =>
      (await t.http.get(`/v1/stats/timeliness?groupBy=procedure&procedureCode=${FIVE_DAYS}&${query}`).set(ADMIN).expect(200)).body.total;
    for (const query of ["period=2025-10", "from=2025-09-15&to=2025-10-14", "from=2025-10-01&to=2025-10-14"]) {
      expect((await report(query)).pending, query).toEqual({ total: 3, withinTime: 2, overdue: 1 });
    }
    // A period ending before the suspension and the supplement request sees both running late
    // since 9 Oct 14:57; the early suspension is within time.
    expect((await report("from=2025-10-01&to=2025-10-10")).pending).toEqual({ total: 3, withinTime: 1, overdue: 2 });
    // And one ending before the due instant sees none overdue.
    expect((await report("from=2025-10-01&to=2025-10-08")).pending).toEqual({ total: 3, withinTime: 3, overdue: 0 });
  });

  it("in the Decision 766 progress rate", async () => {
    const card = (await t.http.get("/v1/stats/scorecard?period=2025-10").set(ADMIN).expect(200)).body;
    const progress = card.groups.find((g: { key: string }) => g.key === "progress");
    // Three handled; the late suspension is the one not on time.
    expect(progress.rate).toBeCloseTo((100 * 2) / 3, 2);
  });

  it("stays so after a projection rebuild (what an operator runs on an existing database)", async () => {
    const rebuilt = await t.app.services.projections.rebuildAll();
    expect(rebuilt).toMatchObject({ dossiers: 3, changed: 0, failed: [] });
  });
});
