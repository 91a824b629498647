/**
 * Calendars over HTTP on a real SQLite file: the built-in `vn` calendar, dated days, the deadline
 * preview a front desk prints on a receipt, and refusals that write nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, createKey, startTestApp, totalChanges, type TestApp } from "../support/test-app.js";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const preview = (start: string, value: number, unit: string, calendar = "vn") =>
  t.http.post(`/v1/calendars/${calendar}/deadlines`).set(ADMIN).send({ start, duration: { value, unit } });

const HCM_HOURS = {
  mon: [["07:30", "11:30"], ["13:00", "17:00"]],
  tue: [["07:30", "11:30"], ["13:00", "17:00"]],
  wed: [["07:30", "11:30"], ["13:00", "17:00"]],
  thu: [["07:30", "11:30"], ["13:00", "17:00"]],
  fri: [["07:30", "11:30"], ["13:00", "17:00"]],
  sat: [["07:30", "11:30"]],
  sun: [],
};

describe("the built-in vn calendar", () => {
  it("exists from the first start with the civil-service hours", async () => {
    const res = await t.http.get("/v1/calendars/vn").set(ADMIN).expect(200);
    expect(res.body).toMatchObject({
      id: "vn",
      timeZone: "Asia/Ho_Chi_Minh",
      sameDayCutoff: "15:00",
      workingDayMinutes: 480,
      holidayRules: "vn",
      weeklyHours: { mon: [["07:30", "11:30"], ["13:00", "17:00"]], sat: [], sun: [] },
    });
    const list = await t.http.get("/v1/calendars").set(ADMIN).expect(200);
    expect(list.body.items.map((c: { id: string }) => c.id)).toContain("vn");
  });

  it("lists Tết 2025 and the 26 Apr 2025 make-up Saturday as official days", async () => {
    const res = await t.http.get("/v1/calendars/vn/days?from=2025-01-20&to=2025-05-10").set(ADMIN).expect(200);
    const byDate = new Map(res.body.map((d: { date: string }) => [d.date, d]));
    for (const date of ["2025-01-25", "2025-01-29", "2025-02-02", "2025-04-07", "2025-04-30", "2025-05-02", "2025-05-04"])
      expect(byDate.get(date), date).toMatchObject({ kind: "day_off", source: "official" });
    expect(byDate.get("2025-04-26")).toMatchObject({ kind: "working_day", source: "official" });
    expect(byDate.has("2025-02-03")).toBe(false);
    const dates = res.body.map((d: { date: string }) => d.date);
    expect(dates).toEqual([...dates].sort());
  });

  it("proposes days from the Labour Code rules for a year without an official schedule", async () => {
    const res = await t.http.get("/v1/calendars/vn/days?from=2027-01-01&to=2027-12-31").set(ADMIN).expect(200);
    const rule = res.body.filter((d: { source: string }) => d.source === "rule").map((d: { date: string }) => d.date);
    expect(rule).toEqual(expect.arrayContaining(["2027-01-01", "2027-02-06", "2027-04-16", "2027-04-30", "2027-09-02"]));
    expect(res.body.every((d: { provisional: boolean; document: unknown }) => d.provisional && d.document === null)).toBe(true);
  });

  it("lists New Year 2026 as published, each day with its provenance", async () => {
    const res = await t.http.get("/v1/calendars/vn/days?from=2025-12-31&to=2026-01-11").set(ADMIN).expect(200);
    const cv = { number: "12729/VPCP-KGVX", date: "2025-12-25" };
    expect(res.body).toEqual([
      { date: "2026-01-01", kind: "day_off", name: "Tết Dương lịch", source: "official", provisional: false, document: expect.objectContaining({ number: "Bộ luật Lao động 2019, Điều 112", date: null }) },
      { date: "2026-01-02", kind: "day_off", name: "Nghỉ hoán đổi (làm bù thứ Bảy 10/01/2026)", source: "official", provisional: false, document: expect.objectContaining(cv) },
      { date: "2026-01-03", kind: "day_off", name: expect.any(String), source: "official", provisional: false, document: expect.objectContaining(cv) },
      { date: "2026-01-04", kind: "day_off", name: expect.any(String), source: "official", provisional: false, document: expect.objectContaining(cv) },
      { date: "2026-01-10", kind: "working_day", name: expect.any(String), source: "official", provisional: false, document: expect.objectContaining(cv) },
    ]);
  });

  it("says so where the notice of an official day is not held: provisional, document null", async () => {
    const res = await t.http.get("/v1/calendars/vn/days?from=2025-01-27&to=2025-01-27").set(ADMIN).expect(200);
    expect(res.body).toEqual([{ date: "2025-01-27", kind: "day_off", name: "Tết Nguyên Đán", source: "official", provisional: true, document: null }]);
  });
});

describe("deadline preview on vn", () => {
  it("skips 1–4 Jan 2026 and works Sat 10 Jan 2026 (Công văn 12729/VPCP-KGVX)", async () => {
    expect((await preview("2025-12-31T08:00:00+07:00", 3, "working_days").expect(200)).body.dueAt).toBe("2026-01-07T08:00:00+07:00");
    expect((await preview("2026-01-09T16:00:00+07:00", 1, "working_days").expect(200)).body.dueAt).toBe("2026-01-10T16:00:00+07:00");
  });

  it("crosses Tết 2025: Fri 24 Jan 10:00 + 3 working days = Wed 5 Feb 10:00", async () => {
    const res = await preview("2025-01-24T10:00:00+07:00", 3, "working_days").expect(200);
    expect(res.body).toEqual({
      start: "2025-01-24T10:00:00+07:00",
      countedFrom: "2025-01-24T10:00:00+07:00",
      dueAt: "2025-02-05T10:00:00+07:00",
      workingMinutes: 1440,
    });
  });

  it("counts the 26 Apr 2025 make-up Saturday with weekday hours", async () => {
    const res = await preview("2025-04-25T16:00:00+07:00", 1, "working_days").expect(200);
    expect(res.body.dueAt).toBe("2025-04-26T16:00:00+07:00");
  });

  it("starts a lunch-break reception at the afternoon opening and ends at closing, not next morning", async () => {
    const res = await preview("2025-03-03T12:00:00+07:00", 0.5, "working_days").expect(200);
    expect(res.body).toMatchObject({ countedFrom: "2025-03-03T13:00:00+07:00", dueAt: "2025-03-03T17:00:00+07:00", workingMinutes: 240 });
  });

  it("starts a Saturday reception on Monday morning and accepts other offsets", async () => {
    const res = await preview("2025-03-08T02:00:00Z", 8, "working_hours").expect(200);
    expect(res.body).toMatchObject({ countedFrom: "2025-03-10T07:30:00+07:00", dueAt: "2025-03-10T17:00:00+07:00" });
  });

  it("rolls calendar days ending on a day off to the end of the next working day (Civil Code art. 148)", async () => {
    // 23 Apr + 10 days = Sat 3 May 2025, inside the 30 Apr–4 May holiday: due end of Mon 5 May.
    const res = await preview("2025-04-23T09:00:00+07:00", 10, "calendar_days").expect(200);
    expect(res.body.dueAt).toBe("2025-05-05T17:00:00+07:00");
  });

  it("applies the 15:00 same-day cut-off", async () => {
    expect((await preview("2025-03-03T14:59:00+07:00", 1, "same_day").expect(200)).body.dueAt).toBe("2025-03-03T17:00:00+07:00");
    expect((await preview("2025-03-03T15:00:00+07:00", 1, "same_day").expect(200)).body.dueAt).toBe("2025-03-04T17:00:00+07:00");
  });

  it("answers 404 for an unknown calendar", async () => {
    const res = await preview("2025-03-03T08:00:00+07:00", 1, "working_days", "nowhere").expect(404);
    expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 404, title: "Not Found" });
  });

  it.each([
    ["a timestamp without offset", { start: "2025-03-03T08:00:00", duration: { value: 1, unit: "working_days" } }, "start"],
    ["a non-ISO timestamp", { start: "03/03/2025 08:00", duration: { value: 1, unit: "working_days" } }, "start"],
    ["an impossible date", { start: "2025-02-30T08:00:00+07:00", duration: { value: 1, unit: "working_days" } }, "start"],
    ["a zero duration", { start: "2025-03-03T08:00:00+07:00", duration: { value: 0, unit: "working_days" } }, "duration.value"],
    ["a negative duration", { start: "2025-03-03T08:00:00+07:00", duration: { value: -2, unit: "working_days" } }, "duration.value"],
    ["an unknown unit", { start: "2025-03-03T08:00:00+07:00", duration: { value: 1, unit: "fortnights" } }, "duration.unit"],
    ["fractional calendar days", { start: "2025-03-03T08:00:00+07:00", duration: { value: 1.5, unit: "calendar_days" } }, "duration.value"],
    ["an absurdly long duration", { start: "2025-03-03T08:00:00+07:00", duration: { value: 99_999, unit: "working_days" } }, "duration.value"],
    ["a deadline beyond the supported years", { start: "2198-12-03T08:00:00+07:00", duration: { value: 900, unit: "calendar_days" } }, "duration.value"],
    ["a year the holiday rules do not cover", { start: "1850-03-03T08:00:00+07:00", duration: { value: 1, unit: "working_days" } }, "start"],
    ["an unknown field", { start: "2025-03-03T08:00:00+07:00", duration: { value: 1, unit: "working_days" }, extra: 1 }, "extra"],
  ])("refuses %s with 400 naming the field", async (_name, body, field) => {
    const res = await t.http.post("/v1/calendars/vn/deadlines").set(ADMIN).send(body).expect(400);
    expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ type: expect.any(String), title: "Bad Request", status: 400, detail: expect.any(String) });
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });
});

describe("defining calendars", () => {
  it("creates a provincial calendar with Saturday mornings and previews on it", async () => {
    const created = await t.http
      .put("/v1/calendars/hcm")
      .set(ADMIN)
      .send({ name: "TP. Hồ Chí Minh", timeZone: "Asia/Ho_Chi_Minh", weeklyHours: HCM_HOURS, sameDayCutoff: "16:00" })
      .expect(201);
    expect(created.body).toMatchObject({ id: "hcm", revision: 1, workingDayMinutes: 480, holidayRules: "vn" });
    // Fri 16:00 + 4 h: 1 h Friday, 3 h of the Saturday morning (a weekly working day here).
    const res = await preview("2025-03-07T16:00:00+07:00", 4, "working_hours", "hcm").expect(200);
    expect(res.body.dueAt).toBe("2025-03-08T10:30:00+07:00");
    const replaced = await t.http
      .put("/v1/calendars/hcm")
      .set(ADMIN)
      .send({ name: "TP. HCM", timeZone: "Asia/Ho_Chi_Minh", weeklyHours: HCM_HOURS, sameDayCutoff: "16:00" })
      .expect(200);
    expect(replaced.body).toMatchObject({ name: "TP. HCM", revision: 2 });
  });

  it.each([
    ["overlapping hours", { mon: [["07:30", "11:30"], ["11:00", "17:00"]] }, "weeklyHours.mon"],
    ["inverted hours", { tue: [["17:00", "07:30"]] }, "weeklyHours.tue"],
    ["25:00", { wed: [["07:30", "25:00"]] }, "weeklyHours.wed"],
  ])("refuses %s with 400 naming the field, writing nothing", async (_name, weeklyHours, fieldPrefix) => {
    const res = await t.http
      .put("/v1/calendars/broken")
      .set(ADMIN)
      .send({ name: "Broken", timeZone: "Asia/Ho_Chi_Minh", weeklyHours, sameDayCutoff: "15:00" })
      .expect(400);
    expect(res.body.errors.some((e: { field: string }) => e.field.startsWith(fieldPrefix))).toBe(true);
    await t.http.get("/v1/calendars/broken").set(ADMIN).expect(404);
  });

  it("refuses an unknown time zone and a bad cut-off", async () => {
    const res = await t.http
      .put("/v1/calendars/broken")
      .set(ADMIN)
      .send({ name: "Broken", timeZone: "Mars/Olympus", weeklyHours: HCM_HOURS, sameDayCutoff: "99:00" })
      .expect(400);
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(["timeZone", "sameDayCutoff"]));
  });

  it("needs an admin key to write and any key to read", async () => {
    await t.http.get("/v1/calendars/vn").expect(401);
    await t.http.get("/v1/calendars/vn").set({ Authorization: "Bearer not-a-key" }).expect(401);
    const res = await t.http.put("/v1/calendars/x").send({}).expect(401);
    expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
  });
});

describe("dated days", () => {
  it("an override wins over the official schedule, and deleting it restores the schedule", async () => {
    // Before: Mon 3 Feb 2025 is the first working day after Tết.
    expect((await preview("2025-01-24T16:00:00+07:00", 2, "working_hours").expect(200)).body.dueAt).toBe("2025-02-03T08:30:00+07:00");

    await t.http.put("/v1/calendars/vn/days/2025-02-03").set(ADMIN).send({ kind: "day_off", name: "Nghỉ thêm (thử)" }).expect(201);
    const days = await t.http.get("/v1/calendars/vn/days?from=2025-02-03&to=2025-02-03").set(ADMIN).expect(200);
    expect(days.body).toEqual([
      { date: "2025-02-03", kind: "day_off", name: "Nghỉ thêm (thử)", source: "override", provisional: false, document: null },
    ]);
    expect((await preview("2025-01-24T16:00:00+07:00", 2, "working_hours").expect(200)).body.dueAt).toBe("2025-02-04T08:30:00+07:00");

    await t.http.delete("/v1/calendars/vn/days/2025-02-03").set(ADMIN).expect(204);
    expect((await preview("2025-01-24T16:00:00+07:00", 2, "working_hours").expect(200)).body.dueAt).toBe("2025-02-03T08:30:00+07:00");
    await t.http.delete("/v1/calendars/vn/days/2025-02-03").set(ADMIN).expect(404);
  });

  it("a working day may name its own hours", async () => {
    await t.http
      .put("/v1/calendars/vn/days/2025-03-15")
      .set(ADMIN)
      .send({ kind: "working_day", name: "Làm bù", hours: [["08:00", "12:00"]] })
      .expect(201);
    // Fri 14 Mar 16:00 + 2 h: 1 h Friday, then Sat 15 Mar from 08:00.
    expect((await preview("2025-03-14T16:00:00+07:00", 2, "working_hours").expect(200)).body.dueAt).toBe("2025-03-15T09:00:00+07:00");
    await t.http.delete("/v1/calendars/vn/days/2025-03-15").set(ADMIN).expect(204);
  });

  it.each([
    ["/v1/calendars/vn/days/2025-13-01", { kind: "day_off", name: "x" }, 400],
    ["/v1/calendars/vn/days/2025-02-30", { kind: "day_off", name: "x" }, 400],
    ["/v1/calendars/vn/days/2025-03-01", { kind: "holiday", name: "x" }, 400],
    ["/v1/calendars/vn/days/2025-03-01", { kind: "day_off", name: "x", hours: [["08:00", "12:00"]] }, 400],
    ["/v1/calendars/nowhere/days/2025-03-01", { kind: "day_off", name: "x" }, 404],
  ])("PUT %s %j -> %i, nothing written", async (path, body, status) => {
    await t.http.put(path).set(ADMIN).send(body).expect(status);
    const days = await t.http.get("/v1/calendars/vn/days?from=2025-03-01&to=2025-03-01").set(ADMIN).expect(200);
    expect(days.body).toEqual([]);
  });

  it("refuses bad listing ranges", async () => {
    const res = await t.http.get("/v1/calendars/vn/days?from=2025-05-01&to=2025-01-01").set(ADMIN).expect(400);
    expect(res.body.errors[0].field).toBe("from");
    await t.http.get("/v1/calendars/vn/days?from=2025-1-1&to=2025-01-31").set(ADMIN).expect(400);
    await t.http.get("/v1/calendars/vn/days?from=2000-01-01&to=2025-01-31").set(ADMIN).expect(400);
    await t.http.get("/v1/calendars/vn/days?from=2025-01-01").set(ADMIN).expect(400);
  });
});

describe("publishing a year's official schedule", () => {
  const NOTICE = { number: "999/TB-THU", date: "2026-11-20", title: "Thông báo thử nghiệm lịch nghỉ 2027" };
  const TET_2027 = ["2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08", "2027-02-09", "2027-02-10"];
  const BODY = {
    document: NOTICE,
    days: [
      ...TET_2027.map((date) => ({ date, kind: "day_off", name: "Tết Nguyên Đán" })),
      { date: "2027-01-01", kind: "day_off", name: "Tết Dương lịch" },
      { date: "2027-02-20", kind: "working_day", name: "Làm bù (thử)", hours: [["07:30", "11:30"]] },
    ],
  };
  const sortedDays = [...BODY.days].sort((a, b) => a.date.localeCompare(b.date));
  const publish = (body: unknown, year: number | string = 2027, headers: Record<string, string> = ADMIN, calendar = "vn") =>
    t.http.put(`/v1/calendars/${calendar}/years/${year}`).set(headers).send(body as object);
  const days2027 = async () => (await t.http.get("/v1/calendars/vn/days?from=2027-01-01&to=2027-12-31").set(ADMIN).expect(200)).body;
  const revision = async () => (await t.http.get("/v1/calendars/vn").set(ADMIN).expect(200)).body.revision as number;
  // Thu 4 Feb 2027 16:00 + 1 working day: 1 h on Thursday, then the next working day.
  const acrossTet = async () => (await preview("2027-02-04T16:00:00+07:00", 1, "working_days").expect(200)).body.dueAt as string;

  it("replaces the rule proposal of 2027: every day official, citing the notice, not provisional", async () => {
    // Before: the rules propose 5–9 Feb and substitute days 10–11 Feb (the lunar new year is Sat 6 Feb).
    expect(await acrossTet()).toBe("2027-02-12T16:00:00+07:00");
    await t.http.get("/v1/calendars/vn/years/2027").set(ADMIN).expect(404);
    const before = await revision();

    const res = await publish(BODY).expect(201);
    expect(res.body).toEqual({ calendarId: "vn", year: 2027, document: NOTICE, days: sortedDays, publishedAt: expect.any(String) });
    expect(await revision()).toBe(before + 1);

    const listed = await days2027();
    expect(listed).toEqual(
      sortedDays.map((day) => ({ ...day, source: "official", provisional: false, document: NOTICE })),
    );
    // Days not listed follow the weekly pattern: the proposal's 11 Feb and 30 Apr are gone.
    expect(listed.some((d: { date: string }) => d.date === "2027-02-11" || d.date === "2027-04-30")).toBe(false);
    expect((await t.http.get("/v1/calendars/vn/years/2027").set(ADMIN).expect(200)).body).toEqual(res.body);
    // The engine cached before the publication is not used any more.
    expect(await acrossTet()).toBe("2027-02-11T16:00:00+07:00");
  });

  it("answers 200 and changes nothing when the same schedule is published again, in any order", async () => {
    const before = { revision: await revision(), days: await days2027(), changes: await totalChanges(t) };
    const published = (await t.http.get("/v1/calendars/vn/years/2027").set(ADMIN).expect(200)).body;
    const res = await publish({ ...BODY, days: [...BODY.days].reverse() }).expect(200);
    expect(res.body).toEqual(published);
    expect(await totalChanges(t)).toBe(before.changes);
    expect(await revision()).toBe(before.revision);
    expect(await days2027()).toEqual(before.days);
  });

  it("replaces an earlier publication with another body (200), and the deadlines follow", async () => {
    const before = await revision();
    const other = { document: { number: "1000/TB-THU", date: "2026-12-01" }, days: [{ date: "2027-02-04", kind: "day_off", name: "Tết Nguyên Đán" }] };
    const res = await publish(other).expect(200);
    expect(res.body).toMatchObject({ year: 2027, document: other.document, days: other.days });
    expect(res.body.document.title).toBeUndefined();
    expect(await revision()).toBe(before + 1);
    expect(await days2027()).toEqual([{ ...other.days[0], source: "official", provisional: false, document: other.document }]);
    // Thu 4 Feb is now off: a reception that day counts from Fri 5 Feb 07:30.
    expect(await acrossTet()).toBe("2027-02-05T17:00:00+07:00");
    await publish(BODY).expect(200);
    expect(await acrossTet()).toBe("2027-02-11T16:00:00+07:00");
  });

  it("lets an override win over a published day, and deleting it restores the publication", async () => {
    await t.http.put("/v1/calendars/vn/days/2027-02-10").set(ADMIN).send({ kind: "working_day", name: "Mở cửa (thử)" }).expect(201);
    const listed = await days2027();
    expect(listed.find((d: { date: string }) => d.date === "2027-02-10")).toEqual({
      date: "2027-02-10",
      kind: "working_day",
      name: "Mở cửa (thử)",
      source: "override",
      provisional: false,
      document: null,
    });
    expect(await acrossTet()).toBe("2027-02-10T16:00:00+07:00");
    await t.http.delete("/v1/calendars/vn/days/2027-02-10").set(ADMIN).expect(204);
    expect((await days2027()).find((d: { date: string }) => d.date === "2027-02-10")).toMatchObject({ source: "official", document: NOTICE });
    expect(await acrossTet()).toBe("2027-02-11T16:00:00+07:00");
  });

  const day = (date: string, extra: Record<string, unknown> = {}) => ({ date, kind: "day_off", name: "Nghỉ", ...extra });
  const doc = NOTICE;
  it.each([
    ["a day of another year", 2027, { document: doc, days: [day("2027-01-01"), day("2027-02-05"), day("2027-02-08"), day("2028-01-01")] }, "days[3].date"],
    ["a repeated date", 2027, { document: doc, days: [day("2027-01-01"), day("2027-02-05"), day("2027-01-01")] }, "days[2].date"],
    ["an impossible date", 2027, { document: doc, days: [day("2027-01-01"), day("2027-02-30")] }, "days[1].date"],
    ["a malformed date", 2027, { document: doc, days: [day("2027-1-01")] }, "days[0].date"],
    ["hours on a day off", 2027, { document: doc, days: [day("2027-01-01", { hours: [["08:00", "12:00"]] })] }, "days[0].hours"],
    ["inverted hours on a working day", 2027, { document: doc, days: [day("2027-02-20", { kind: "working_day", hours: [["12:00", "08:00"]] })] }, "days[0].hours[0]"],
    ["an unknown kind", 2027, { document: doc, days: [day("2027-01-01", { kind: "holiday" })] }, "days[0].kind"],
    ["a year before the supported range", 1850, { document: doc, days: [day("1850-01-01")] }, "year"],
    ["a year after the supported range", 2250, { document: doc, days: [day("2250-01-01")] }, "year"],
    ["an empty document number", 2027, { document: { ...doc, number: "" }, days: [day("2027-01-01")] }, "document.number"],
    ["a blank document number", 2027, { document: { ...doc, number: "   " }, days: [day("2027-01-01")] }, "document.number"],
    ["an overlong document number", 2027, { document: { ...doc, number: "9".repeat(201) }, days: [day("2027-01-01")] }, "document.number"],
    ["an empty title", 2027, { document: { ...doc, title: "" }, days: [day("2027-01-01")] }, "document.title"],
    ["an overlong day name", 2027, { document: doc, days: [day("2027-01-01", { name: "x".repeat(501) })] }, "days[0].name"],
    ["a blank day name", 2027, { document: doc, days: [day("2027-01-01", { name: " " })] }, "days[0].name"],
    ["an impossible document date", 2027, { document: { ...doc, date: "2026-02-29" }, days: [day("2027-01-01")] }, "document.date"],
    ["a document date that is not YYYY-MM-DD", 2027, { document: { ...doc, date: "20/11/2026" }, days: [day("2027-01-01")] }, "document.date"],
    ["a missing document", 2027, { days: [day("2027-01-01")] }, "document"],
    ["an empty list of days", 2027, { document: doc, days: [] }, "days"],
    ["an unknown field", 2027, { document: doc, days: [day("2027-01-01")], extra: 1 }, "extra"],
  ])("refuses %s with 400 naming the field, changing nothing", async (_name, year, body, field) => {
    const before = { changes: await totalChanges(t), revision: await revision(), days: await days2027() };
    const res = await publish(body, year).expect(400);
    expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, title: "Bad Request" });
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await totalChanges(t)).toBe(before.changes);
    expect(await revision()).toBe(before.revision);
    expect(await days2027()).toEqual(before.days);
  });

  it("answers 404 for an unknown calendar or a year never published, writing nothing", async () => {
    const before = await totalChanges(t);
    await publish(BODY, 2027, ADMIN, "nowhere").expect(404);
    await t.http.get("/v1/calendars/nowhere/years/2027").set(ADMIN).expect(404);
    await t.http.get("/v1/calendars/vn/years/2031").set(ADMIN).expect(404);
    expect(await totalChanges(t)).toBe(before);
  });

  it("refuses a non-admin key with 403, changing nothing; any key reads the publication", async () => {
    for (const headers of [await createKey(t, "reporter"), await createKey(t, "desk", ["000.00.01.H22"])]) {
      const before = { changes: await totalChanges(t), days: await days2027() };
      const res = await publish({ ...BODY, document: { ...NOTICE, number: "666/TB-THU" } }, 2027, headers).expect(403);
      expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
      expect(await totalChanges(t)).toBe(before.changes);
      expect(await days2027()).toEqual(before.days);
      expect((await t.http.get("/v1/calendars/vn/years/2027").set(headers).expect(200)).body.document).toEqual(NOTICE);
    }
  });
});
