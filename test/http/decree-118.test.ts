/**
 * The law in force by date (DOMAIN.md §1, §4, §5, §8, §10): dossiers received on both sides of
 * Decree 118/2025's entry into force (1 Jul 2025), through the real HTTP stack on real SQLite.
 * Default calendar: Mon–Fri 07:30–11:30 and 13:00–17:00; no holiday in Jun–Aug 2025 before 30 Aug.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, startTestApp, totalChanges, type TestApp } from "../support/test-app.js";
import { BIRTH, JUSTICE, LAND, TAX, event, postEvent, receive, received, seedProvince } from "../support/dossier-fixtures.js";

// A fixed "now" after every instant below.
const NOW = Date.parse("2025-08-20T10:00:00+07:00");
/** States its supplement policy: pause, whatever the frame (sector law). */
const PAUSING = "1.000003";
/** States no policy, like BIRTH, but is used only by the statistics case below. */
const PLAIN = "1.000118";
const days = (value: number) => ({ value, unit: "working_days" });

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ now: () => NOW });
  await seedProvince(t);
  const base = { fieldCode: "HT", fieldName: "Hộ tịch", legalDuration: days(5), committedDuration: days(3) };
  await t.http.put(`/v1/procedures/${PAUSING}`).set(ADMIN).send({ ...base, name: "Thủ tục tạm dừng", supplementPolicy: "pause" }).expect(201);
  await t.http.put(`/v1/procedures/${PLAIN}`).set(ADMIN).send({ ...base, name: "Thủ tục thường", fieldCode: "XX" }).expect(201);
});
afterAll(async () => t.close());

const get = async (code: string) => (await t.http.get(`/v1/dossiers/${code}`).set(ADMIN).expect(200)).body;
const list = async (query: string) =>
  ((await t.http.get(`/v1/dossiers?${query}&limit=200`).set(ADMIN).expect(200)).body.items as { receiptCode: string }[]).map((i) => i.receiptCode);
const post = async (code: string, ...events: ReturnType<typeof event>[]) => {
  const res = await postEvent(t, code, { events });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};
const duty = (dossier: { duties: { kind: string }[] }, kind: string) => dossier.duties.filter((d) => d.kind === kind);

describe("the legal frame is a function of the reception instant (Decree 118/2025, in force 1 Jul 2025)", () => {
  it("changes exactly at 2025-07-01T00:00+07:00, on the dossier, in listings, and in the generated receipt code", async () => {
    const before = (await receive(t, { receivedAt: "2025-06-30T23:59:59+07:00", handlingAgencyCode: TAX }).expect(201)).body;
    const after = (await receive(t, { receivedAt: "2025-07-01T00:00:00+07:00", handlingAgencyCode: TAX }).expect(201)).body;
    expect(before.legalFrame).toBe("decree-61-2018");
    expect(after.legalFrame).toBe("decree-118-2025");
    // DOMAIN.md §8: art. 28 names the agency competent to handle it; Decree 61/2018 the receiving desk.
    expect(before.receiptCode).toMatch(/^000\.00\.01\.H22-250630-\d{4}$/);
    expect(after.receiptCode).toBe("000.00.02.H22-250701-0001");
    const listed = (await t.http.get("/v1/dossiers?receivedFrom=2025-06-30&receivedTo=2025-07-01").set(ADMIN).expect(200)).body.items;
    expect(Object.fromEntries(listed.map((i: { receiptCode: string; legalFrame: string }) => [i.receiptCode, i.legalFrame]))).toEqual({
      [before.receiptCode]: "decree-61-2018",
      [after.receiptCode]: "decree-118-2025",
    });
  });

  it("numbers generated codes per handling agency and day, and accepts a supplied code unchanged", async () => {
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await receive(t, { receivedAt: "2025-07-02T09:00:00+07:00", handlingAgencyCode: TAX }).expect(201)).body.receiptCode);
    expect(codes).toEqual(["000.00.02.H22-250702-0001", "000.00.02.H22-250702-0002", "000.00.02.H22-250702-0003"]);
    // The receiving desk's own sequence that day is untouched: its first code is still 0001.
    expect((await receive(t, { receivedAt: "2025-07-02T09:00:00+07:00" }).expect(201)).body.receiptCode).toBe("000.00.01.H22-250702-0001");
    const supplied = "G22.99-250702-000123";
    expect((await receive(t, { receivedAt: "2025-07-02T09:00:00+07:00", receiptCode: supplied }).expect(201)).body.receiptCode).toBe(supplied);
    // Codes supplied in the agency's own namespace, ahead of its sequence: the generator skips them.
    for (const n of ["0004", "0005", "0007"])
      await receive(t, { receivedAt: "2025-07-02T09:00:00+07:00", handlingAgencyCode: TAX, receiptCode: `000.00.02.H22-250702-${n}` }).expect(201);
    const next = async () => (await receive(t, { receivedAt: "2025-07-02T09:00:00+07:00", handlingAgencyCode: TAX }).expect(201)).body.receiptCode;
    expect([await next(), await next(), await next()]).toEqual(["000.00.02.H22-250702-0006", "000.00.02.H22-250702-0008", "000.00.02.H22-250702-0009"]);
  });
});

describe("a complete supplement restarts the clock (Decree 118/2025 art. 19(5)); older dossiers pause", () => {
  // Transferred at 09:00, supplement requested the next morning, completed two working days later.
  const supplementTwoDays = (monday: string, tuesday: string, thursday: string) => [
    event("transferred", `${monday}T09:00:00+07:00`, { toAgencyCode: JUSTICE }),
    event("supplement_requested", `${tuesday}T08:00:00+07:00`, { reason: "Thiếu bản sao giấy chứng sinh" }),
    event("supplement_received", `${thursday}T08:00:00+07:00`),
  ];

  it("pauses a dossier received under Decree 61/2018 even when the supplement comes after the cutover", async () => {
    const code = await received(t, { receivedAt: "2025-06-23T08:00:00+07:00" });
    // Requested Tue 24 Jun, completed Thu 3 Jul (after the cutover): the frame is the reception's.
    const after = await post(
      code,
      event("transferred", "2025-06-23T09:00:00+07:00", { toAgencyCode: JUSTICE }),
      event("supplement_requested", "2025-06-24T08:00:00+07:00", { reason: "Thiếu giấy tờ" }),
      event("supplement_received", "2025-07-03T08:00:00+07:00"),
    );
    expect(after).toMatchObject({
      legalFrame: "decree-61-2018",
      supplementPolicy: "pause",
      originalDueAt: "2025-06-26T08:00:00+07:00",
      // 7 working days paused (Tue 24 Jun 08:00 – Thu 3 Jul 08:00) move both deadlines.
      dueAt: "2025-07-07T08:00:00+07:00",
      legalDueAt: "2025-07-09T08:00:00+07:00",
      clockStartedAt: "2025-06-23T08:00:00+07:00",
      duties: [],
    });
  });

  it("restarts the whole committed and legal durations from the complete supplement, on the calendar", async () => {
    const code = await received(t, { receivedAt: "2025-07-07T08:00:00+07:00" });
    const after = await post(code, ...supplementTwoDays("2025-07-07", "2025-07-08", "2025-07-10"));
    expect(after).toMatchObject({
      legalFrame: "decree-118-2025",
      supplementPolicy: "restart",
      originalDueAt: "2025-07-10T08:00:00+07:00", // printed at reception, never moved
      clockStartedAt: "2025-07-10T08:00:00+07:00",
      dueAt: "2025-07-15T08:00:00+07:00", // Thu 10 Jul 08:00 + 3 working days
      legalDueAt: "2025-07-17T08:00:00+07:00", // + 5 working days
    });
    // Pausing would have given Mon 14 Jul: restarting never gives an earlier due date.
    expect(Date.parse(after.dueAt)).toBeGreaterThan(Date.parse("2025-07-14T08:00:00+07:00"));
  });

  it("keeps a policy the procedure states: pause for a Decree 118 dossier, restart for a Decree 61 one", async () => {
    const pausing = await received(t, { procedureCode: PAUSING, receivedAt: "2025-07-07T08:00:00+07:00" });
    expect(await post(pausing, ...supplementTwoDays("2025-07-07", "2025-07-08", "2025-07-10"))).toMatchObject({
      legalFrame: "decree-118-2025",
      supplementPolicy: "pause",
      dueAt: "2025-07-14T08:00:00+07:00",
    });
    // LAND states restart (2 committed days): it restarted before the cutover too.
    const land = await received(t, { procedureCode: LAND, receivedAt: "2025-06-16T08:00:00+07:00" });
    expect(await post(land, ...supplementTwoDays("2025-06-16", "2025-06-17", "2025-06-19"))).toMatchObject({
      legalFrame: "decree-61-2018",
      supplementPolicy: "restart",
      dueAt: "2025-06-23T08:00:00+07:00",
    });
  });

  it("judges a restarted dossier on time against its restarted due date, in the dossier and in report 06 (aggregates and one pass agree)", async () => {
    const code = await received(t, { procedureCode: PLAIN, receivedAt: "2025-07-07T08:00:00+07:00" });
    await post(code, ...supplementTwoDays("2025-07-07", "2025-07-08", "2025-07-10"));
    const done = await post(code, event("result_ready", "2025-07-15T10:00:00+07:00", { outcome: "approved" }));
    expect(done).toMatchObject({ dueAt: "2025-07-15T08:00:00+07:00", timeliness: "on_time", legalTimeliness: "early" });
    const report = async (query: string) =>
      (await t.http.get(`/v1/stats/timeliness?procedureCode=${PLAIN}&groupBy=procedure&${query}`).set(ADMIN).expect(200)).body.total;
    // A whole report month (15 Jul – 14 Aug) comes from the maintained aggregates, a day's range from one pass.
    const month = await report("period=2025-08");
    const range = await report("from=2025-07-15&to=2025-07-15");
    for (const total of [month, range]) expect(total.resolved).toEqual({ total: 1, early: 0, onTime: 1, late: 0 });
    // Rebuilding every projection from the events changes nothing: the write path stored the refold.
    const rebuilt = await t.app.services.projections.rebuildAll();
    expect(rebuilt).toMatchObject({ changed: 0, failed: [] });
  });
});

describe("the duties with their own deadlines (Decree 118/2025, DOMAIN.md §10)", () => {
  it("transfer: the same working day, or the next opening when received from 15:00 (art. 18(2))", async () => {
    const late = await received(t, { receivedAt: "2025-07-21T16:00:00+07:00" });
    const inTime = await received(t, { receivedAt: "2025-07-21T10:00:00+07:00" });
    const never = await received(t, { receivedAt: "2025-07-21T10:30:00+07:00" });
    await post(late, event("transferred", "2025-07-22T08:00:00+07:00", { toAgencyCode: JUSTICE }));
    await post(inTime, event("transferred", "2025-07-21T11:00:00+07:00", { toAgencyCode: JUSTICE }));
    expect(duty(await get(late), "transfer")).toEqual([
      { kind: "transfer", agencyCode: JUSTICE, dueAt: "2025-07-22T07:30:00+07:00", doneAt: "2025-07-22T08:00:00+07:00", status: "done_late" },
    ]);
    expect(duty(await get(inTime), "transfer")).toMatchObject([{ dueAt: "2025-07-21T17:00:00+07:00", status: "done_in_time" }]);
    expect(duty(await get(never), "transfer")).toMatchObject([{ dueAt: "2025-07-21T17:00:00+07:00", doneAt: null, status: "overdue" }]);
    const work = await list("dutyOverdue=transfer");
    expect(work).toContain(never);
    expect(work).not.toContain(late);
    expect(work).not.toContain(inTime);
  });

  it("online acceptance: within 8 working hours of the portal's receipt (art. 17(2)(c))", async () => {
    const online = { channel: "online", receivedAt: "2025-07-21T10:00:00+07:00" };
    const quick = (await receive(t, { ...online, submittedAt: "2025-07-18T16:00:00+07:00" }).expect(201)).body;
    const slow = (await receive(t, { ...online, submittedAt: "2025-07-17T08:00:00+07:00" }).expect(201)).body;
    // Fri 16:00–17:00, Mon 07:30–11:30 and 13:00–16:00: 8 working hours end Mon 16:00.
    expect(duty(quick, "online_acceptance")).toEqual([
      { kind: "online_acceptance", agencyCode: JUSTICE, dueAt: "2025-07-21T16:00:00+07:00", doneAt: "2025-07-21T10:00:00+07:00", status: "done_in_time" },
    ]);
    expect(duty(slow, "online_acceptance")).toMatchObject([{ dueAt: "2025-07-18T08:00:00+07:00", status: "done_late" }]);
    expect(quick.submittedAt).toBe("2025-07-18T16:00:00+07:00");
    // No transfer duty for an online dossier; art. 18(2) is about dossiers received in person.
    expect(duty(quick, "transfer")).toEqual([]);
  });

  it.each([
    ["on a dossier received in person", { channel: "direct", submittedAt: "2025-07-21T09:00:00+07:00" }],
    ["after the reception", { channel: "online", submittedAt: "2025-07-21T11:00:00+07:00" }],
    ["without an offset", { channel: "online", submittedAt: "2025-07-21T09:00:00" }],
  ])("refuses submittedAt %s, naming the field, and writes nothing", async (_name, body) => {
    const before = await totalChanges(t);
    const res = await receive(t, { receivedAt: "2025-07-21T10:00:00+07:00", ...body }).expect(400);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain("submittedAt");
    expect(await totalChanges(t)).toBe(before);
  });

  it("supplement: requested within 3 working days or flagged; completed within 15 days or closed by the desk (art. 19(5))", async () => {
    const code = await received(t, { receivedAt: "2025-07-21T08:00:00+07:00" });
    const waiting = await post(
      code,
      event("transferred", "2025-07-21T09:00:00+07:00", { toAgencyCode: JUSTICE }),
      // The window ended Thu 24 Jul 08:00.
      event("supplement_requested", "2025-07-25T08:00:00+07:00", { reason: "Thiếu tờ khai" }),
    );
    expect(waiting.supplementRequestOutsideWindow).toBe(true);
    expect(duty(waiting, "supplement_request_window")).toMatchObject([{ dueAt: "2025-07-24T08:00:00+07:00", doneAt: "2025-07-25T08:00:00+07:00", status: "done_late" }]);
    // 15 days from Fri 25 Jul is Sat 9 Aug: the period ends with the next working day (Civil Code art. 148(5)).
    expect(duty(waiting, "supplement_completion")).toEqual([
      { kind: "supplement_completion", agencyCode: JUSTICE, dueAt: "2025-08-11T17:00:00+07:00", doneAt: null, status: "overdue" },
    ]);
    expect(await list("supplementExpired=true")).toContain(code);
    expect(await list("dutyOverdue=supplement_completion")).toContain(code);
    // The desk closes it: no longer in the work list, and the wait is recorded as done late.
    const closed = await post(code, event("stopped", "2025-08-20T09:00:00+07:00", { reason: "supplement_not_completed" }));
    expect(duty(closed, "supplement_completion")).toMatchObject([{ doneAt: "2025-08-20T09:00:00+07:00", status: "done_late" }]);
    expect(await list("supplementExpired=true")).not.toContain(code);

    // A request inside the window, completed in time: nothing flagged, nothing listed.
    const prompt = await received(t, { receivedAt: "2025-07-21T08:00:00+07:00" });
    const answered = await post(
      prompt,
      event("transferred", "2025-07-21T09:00:00+07:00", { toAgencyCode: JUSTICE }),
      event("supplement_requested", "2025-07-22T08:00:00+07:00", { reason: "Thiếu tờ khai" }),
      event("supplement_received", "2025-07-28T08:00:00+07:00"),
      event("result_ready", "2025-07-30T08:00:00+07:00", { outcome: "approved" }),
    );
    expect(answered.supplementRequestOutsideWindow).toBe(false);
    expect(answered.duties.map((d: { kind: string; status: string }) => [d.kind, d.status])).toEqual([
      ["transfer", "done_in_time"],
      ["supplement_request_window", "done_in_time"],
      ["supplement_completion", "done_in_time"],
    ]);
  });

  it("supplement completion follows the procedure's own limit when it states one", async () => {
    const SECTOR = "1.000020";
    await t.http
      .put(`/v1/procedures/${SECTOR}`)
      .set(ADMIN)
      .send({ name: "Thủ tục ngành", fieldCode: "NN", fieldName: "Ngành", legalDuration: days(5), supplementCompletion: { value: 5, unit: "working_days" } })
      .expect(201);
    const code = await received(t, { procedureCode: SECTOR, receivedAt: "2025-07-21T08:00:00+07:00" });
    const after = await post(
      code,
      event("transferred", "2025-07-21T09:00:00+07:00", { toAgencyCode: JUSTICE }),
      event("supplement_requested", "2025-07-22T08:00:00+07:00", { reason: "Thiếu tờ khai" }),
    );
    expect(duty(after, "supplement_completion")).toMatchObject([{ dueAt: "2025-07-29T08:00:00+07:00", status: "overdue" }]);
  });

  it("consultation: the consulted agency replies by the stated deadline (art. 19(4)(c))", async () => {
    const code = await received(t, { receivedAt: "2025-07-21T08:00:00+07:00" });
    const after = await post(
      code,
      event("transferred", "2025-07-21T09:00:00+07:00", { toAgencyCode: JUSTICE }),
      event("consultation_requested", "2025-07-22T09:00:00+07:00", { toAgencyCode: TAX, replyDueAt: "2025-07-24T17:00:00+07:00" }),
      event("consultation_replied", "2025-07-25T09:00:00+07:00", { agencyCode: TAX, fromAgencyCode: TAX }),
      event("consultation_requested", "2025-07-25T10:00:00+07:00", { toAgencyCode: TAX, replyDueAt: "2025-07-28T17:00:00+07:00" }),
    );
    expect(after.status).toBe("in_progress"); // neither event changes the status
    expect(duty(after, "consultation_reply")).toEqual([
      { kind: "consultation_reply", agencyCode: TAX, dueAt: "2025-07-24T17:00:00+07:00", doneAt: "2025-07-25T09:00:00+07:00", status: "done_late" },
      { kind: "consultation_reply", agencyCode: TAX, dueAt: "2025-07-28T17:00:00+07:00", doneAt: null, status: "overdue" },
    ]);
    expect(await list("dutyOverdue=consultation_reply")).toContain(code);
    const timeline = (await t.http.get(`/v1/dossiers/${code}/events`).set(ADMIN).expect(200)).body.items;
    expect(timeline[1]).toMatchObject({ type: "consultation_requested", toAgencyCode: TAX, replyDueAt: "2025-07-24T17:00:00+07:00", statusAfter: "in_progress" });
  });

  it.each([
    ["a consultation without replyDueAt", { toAgencyCode: TAX }, 400, "replyDueAt"],
    ["a consultation replying before it was asked", { toAgencyCode: TAX, replyDueAt: "2025-07-22T08:00:00+07:00" }, 400, "replyDueAt"],
    ["a consultation without the agency consulted", { replyDueAt: "2025-07-24T17:00:00+07:00" }, 400, "toAgencyCode"],
  ])("refuses %s with %i naming %s, and writes nothing", async (_name, fields, status, field) => {
    const code = await received(t, { receivedAt: "2025-07-21T08:00:00+07:00" });
    const before = await totalChanges(t);
    const res = await postEvent(t, code, event("consultation_requested", "2025-07-22T09:00:00+07:00", fields)).expect(status);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await totalChanges(t)).toBe(before);
  });

  it("refuses a reply that answers no consultation, and a correction before the result was returned (422, nothing written)", async () => {
    const code = await received(t, { receivedAt: "2025-07-21T08:00:00+07:00" });
    const before = await totalChanges(t);
    const reply = await postEvent(t, code, event("consultation_replied", "2025-07-22T09:00:00+07:00", { fromAgencyCode: TAX })).expect(422);
    expect(reply.body.code).toBe("nothing_to_answer");
    const correction = await postEvent(t, code, event("correction_requested", "2025-07-22T09:00:00+07:00", { reason: "Sai ngày sinh" })).expect(422);
    expect(correction.body.code).toBe("invalid_transition");
    expect(await totalChanges(t)).toBe(before);
    expect((await get(code)).eventCount).toBe(0);
  });

  it("result correction: corrected within 3 working days of the request (art. 23(1))", async () => {
    const code = await received(t, { receivedAt: "2025-07-21T08:00:00+07:00" });
    await post(
      code,
      event("transferred", "2025-07-21T09:00:00+07:00", { toAgencyCode: JUSTICE }),
      event("result_ready", "2025-07-22T10:00:00+07:00", { outcome: "approved" }),
      event("returned", "2025-07-23T10:00:00+07:00", { method: "counter" }),
    );
    const unanswered = await postEvent(t, code, event("result_corrected", "2025-07-24T08:00:00+07:00")).expect(422);
    expect(unanswered.body.code).toBe("nothing_to_answer");
    const requested = await post(code, event("correction_requested", "2025-07-24T09:00:00+07:00", { reason: "Sai ngày sinh" }));
    expect(requested.status).toBe("returned");
    expect(await list("dutyOverdue=result_correction")).toContain(code);
    const corrected = await post(code, event("result_corrected", "2025-07-28T10:00:00+07:00"));
    expect(duty(corrected, "result_correction")).toEqual([
      { kind: "result_correction", agencyCode: JUSTICE, dueAt: "2025-07-29T09:00:00+07:00", doneAt: "2025-07-28T10:00:00+07:00", status: "done_in_time" },
    ]);
    // The first return stays the dossier's return (statistics), whatever the correction.
    expect(corrected.returnedAt).toBe("2025-07-23T10:00:00+07:00");
    expect(await list("dutyOverdue=result_correction")).not.toContain(code);
  });
});

describe("the apology letter becomes an extension request (Decree 118/2025 art. 19(6))", () => {
  const letter = (issuedAt: string) => ({ agencyCode: JUSTICE, reason: "Chờ xác minh của cơ quan thuế", newDueAt: "2025-08-29T17:00:00+07:00", issuedAt });
  const issue = (code: string, body: unknown) => t.http.post(`/v1/dossiers/${code}/apology-letters`).set(ADMIN).send(body as object);

  it("is in time one calendar day before the due date, a Sunday included; the old frame needed the last working day", async () => {
    // Both due on a Monday 08:00 (3 working days from a Wednesday 08:00); both letters dated the Sunday before.
    const modern = await received(t, { receivedAt: "2025-07-23T08:00:00+07:00" });
    const older = await received(t, { receivedAt: "2025-06-18T08:00:00+07:00" });
    expect((await get(modern)).dueAt).toBe("2025-07-28T08:00:00+07:00");
    expect((await get(older)).dueAt).toBe("2025-06-23T08:00:00+07:00");
    expect((await issue(modern, letter("2025-07-27T10:00:00+07:00")).expect(201)).body.issuedInTime).toBe(true);
    expect((await issue(older, letter("2025-06-22T10:00:00+07:00")).expect(201)).body.issuedInTime).toBe(false);
    expect(duty(await get(modern), "extension_notice")).toEqual([
      { kind: "extension_notice", agencyCode: JUSTICE, dueAt: "2025-07-27T23:59:59+07:00", doneAt: "2025-07-27T10:00:00+07:00", status: "done_in_time" },
    ]);
    // Still late against the original due date: the letter changes no timeliness.
    expect(await get(modern)).toMatchObject({ overdue: true, rescheduledDueAt: "2025-08-29T17:00:00+07:00" });
  });

  it("is dated on the due date: not in time; a second one is refused", async () => {
    const code = await received(t, { receivedAt: "2025-07-23T08:00:00+07:00" });
    expect((await issue(code, letter("2025-07-28T07:00:00+07:00")).expect(201)).body.issuedInTime).toBe(false);
    await issue(code, letter("2025-07-28T09:00:00+07:00")).expect(422);
  });

  it("lists late Decree 118 dossiers that owe the notice, and shows the missed duty", async () => {
    const owing = await received(t, { receivedAt: "2025-07-30T08:00:00+07:00" });
    const older = await received(t, { receivedAt: "2025-06-25T08:00:00+07:00" });
    const work = await list("dutyOverdue=extension_notice");
    expect(work).toContain(owing);
    expect(work).not.toContain(older); // Decree 61/2018: no Decree 118 duty
    expect(duty(await get(owing), "extension_notice")).toMatchObject([{ agencyCode: JUSTICE, doneAt: null, status: "overdue" }]);
  });
});

describe("report 06 counts overdue duties per owing agency", () => {
  it("counts the duties due in the period and not done by their deadline, by kind", async () => {
    const report = (await t.http.get("/v1/stats/timeliness?from=2025-07-21&to=2025-07-31&groupBy=agency").set(ADMIN).expect(200)).body;
    const byAgency = Object.fromEntries(report.rows.map((r: { key: string; overdueDuties: unknown }) => [r.key, r.overdueDuties]));
    // Recounted from the dossiers' own duties as the API shows them.
    const expected = new Map<string, Record<string, number>>();
    let cursor: string | null = null;
    do {
      const page: { items: { receiptCode: string }[]; nextCursor: string | null } = (await t.http.get(`/v1/dossiers?limit=200${cursor ? `&cursor=${cursor}` : ""}`).set(ADMIN).expect(200)).body;
      for (const { receiptCode } of page.items) {
        for (const d of (await get(receiptCode)).duties as { kind: string; agencyCode: string; dueAt: string; doneAt: string | null; status: string }[]) {
          const due = Date.parse(d.dueAt);
          const inPeriod = due >= Date.parse("2025-07-21T00:00:00+07:00") && due < Date.parse("2025-08-01T00:00:00+07:00");
          const missed = d.status === "done_late" || (d.status === "overdue" && d.kind !== "extension_notice");
          if (!inPeriod || !missed || d.kind === "extension_notice") continue;
          const counts = expected.get(d.agencyCode) ?? {};
          counts[d.kind] = (counts[d.kind] ?? 0) + 1;
          expected.set(d.agencyCode, counts);
        }
      }
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(expected.get(TAX)).toMatchObject({ consultation_reply: 2 });
    for (const [agency, counts] of expected) {
      expect(byAgency[agency], agency).toMatchObject({ byKind: counts, total: Object.values(counts).reduce((a, b) => a + b, 0) });
    }
    for (const [agency, counts] of Object.entries(byAgency) as [string, { total: number }][]) if (!expected.has(agency)) expect(counts.total, agency).toBe(0);
    expect(report.total.overdueDuties.total).toBe([...expected.values()].reduce((sum, c) => sum + Object.values(c).reduce((a, b) => a + b, 0), 0));
  });
});
