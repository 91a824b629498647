/**
 * DOMAIN.md §4 "Retroactive events" and §7: a calendar change (here the Government's notice for
 * 2027, published as one operation) must not move the appointment already printed
 * (originalDueAt), while the running due date follows the new calendar — in the dossier, in
 * listings and in statistics alike.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, startTestApp, type TestApp } from "../support/test-app.js";
import { BIRTH, event, postEvent, received, seedProvince } from "../support/dossier-fixtures.js";

const NOW = Date.parse("2026-12-30T10:00:00+07:00");
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ now: () => NOW });
  await seedProvince(t);
});
afterAll(async () => t.close());

const get = async (code: string) => (await t.http.get(`/v1/dossiers/${code}`).set(ADMIN).expect(200)).body;
const listed = async (code: string) =>
  ((await t.http.get(`/v1/dossiers?procedureCode=${BIRTH}`).set(ADMIN).expect(200)).body.items as { receiptCode: string; dueAt: string }[]).find(
    (i) => i.receiptCode === code,
  )!;

describe("publishing a year after dossiers were received", () => {
  it("keeps originalDueAt as printed and moves the running dueAt, everywhere the dossier is shown", async () => {
    // Wed 30 Dec 2026 08:00 + 3 working days: Thu 31 Dec, (Fri 1 Jan 2027 is New Year, a rule day) Mon 4 Jan, Tue 5 Jan 08:00.
    const open = await received(t, { receivedAt: "2026-12-30T08:00:00+07:00" });
    const closed = await received(t, { receivedAt: "2026-12-30T08:00:00+07:00" });
    await postEvent(t, closed, event("result_ready", "2026-12-30T09:00:00+07:00", { outcome: "approved" })).expect(201);
    expect(await get(open)).toMatchObject({ dueAt: "2027-01-05T08:00:00+07:00", originalDueAt: "2027-01-05T08:00:00+07:00" });

    // A hypothetical notice for 2027 that also gives Mon 4 Jan off.
    await t.http
      .put("/v1/calendars/vn/years/2027")
      .set(ADMIN)
      .send({
        document: { number: "9999/TB-TEST", date: "2026-12-28", title: "Thông báo thử nghiệm" },
        days: [
          { date: "2027-01-01", kind: "day_off", name: "Tết Dương lịch" },
          { date: "2027-01-04", kind: "day_off", name: "Nghỉ thử nghiệm" },
        ],
      })
      .expect(201);

    const after = await get(open);
    expect(after).toMatchObject({ dueAt: "2027-01-06T08:00:00+07:00", originalDueAt: "2027-01-05T08:00:00+07:00" });
    expect(await listed(open)).toMatchObject({ dueAt: "2027-01-06T08:00:00+07:00", originalDueAt: "2027-01-05T08:00:00+07:00" });
    // The closed dossier's due date reaches the changed day too: it follows, and stays early.
    expect(await listed(closed)).toMatchObject({ dueAt: "2027-01-06T08:00:00+07:00" });
    expect(await listed(closed)).toMatchObject({ timeliness: "early", originalDueAt: "2027-01-05T08:00:00+07:00" });
    // The stored projections equal a refold: nothing is left for a rebuild to correct.
    expect(await t.app.services.projections.rebuildAll()).toMatchObject({ changed: 0, failed: [] });
  });
});
