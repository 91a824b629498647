/**
 * Calendars over HTTP on a real SQLite file: the built-in `vn` calendar, dated days, the deadline
 * preview a front desk prints on a receipt, and refusals that write nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, startTestApp, type TestApp } from "../support/test-app.js";

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
  });
});

describe("deadline preview on vn", () => {
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
    expect(days.body).toEqual([{ date: "2025-02-03", kind: "day_off", name: "Nghỉ thêm (thử)", source: "override" }]);
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
