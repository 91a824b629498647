/**
 * Dossiers over HTTP on a real SQLite file: reception, every event type, the clock with pauses and
 * restarts, the control sheet, idempotency, retroactive events and atomic batches.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, createKey, query, startTestApp, type TestApp } from "../support/test-app.js";
import { BIRTH, JUSTICE, LAND, PROVINCE, TAX, applicant, event, postEvent, receive, received, seedProvince } from "../support/dossier-fixtures.js";

let t: TestApp;
// The service's clock: a fixed "now" after every instant used below, so nothing is "in the future".
const NOW = Date.parse("2025-06-30T10:00:00+07:00");
beforeAll(async () => {
  t = await startTestApp({ now: () => NOW });
  await seedProvince(t);
});
afterAll(async () => t.close());

const get = async (code: string) => (await t.http.get(`/v1/dossiers/${code}`).set(ADMIN).expect(200)).body;

describe("reception", () => {
  it("receives a dossier, generates its receipt code and computes the committed and legal due dates", async () => {
    const res = await receive(t).expect(201);
    expect(res.headers.location).toBe(`/v1/dossiers/${res.body.receiptCode}`);
    expect(res.body.receiptCode).toMatch(/^000\.00\.01\.H22-250303-\d{4}$/);
    expect(res.body).toMatchObject({
      procedure: { code: BIRTH, name: "Đăng ký khai sinh", version: 1 },
      receivingAgencyCode: JUSTICE,
      handlingAgencyCode: JUSTICE,
      channel: "direct",
      applicant,
      status: "received",
      nationalStatusCode: 2,
      statusLabel: { vi: expect.any(String), en: expect.any(String) },
      receivedAt: "2025-03-03T08:00:00+07:00",
      // 3 working days from Mon 08:00 end Thu 08:00; the law's 5 end the next Monday 08:00.
      dueAt: "2025-03-06T08:00:00+07:00",
      originalDueAt: "2025-03-06T08:00:00+07:00",
      legalDueAt: "2025-03-10T08:00:00+07:00",
      finishedAt: null,
      timeliness: null,
      supplementRequests: 0,
      pausedMinutes: 0,
      eventCount: 0,
    });
    // The control sheet starts with the reception step.
    expect(res.body.currentStep).toMatchObject({ code: "reception", agencyCode: JUSTICE, budgetMinutes: 120 });
    expect(await get(res.body.receiptCode)).toEqual(res.body);
  });

  it("starts the clock at the next working instant after a weekend reception", async () => {
    const res = await receive(t, { receivedAt: "2025-03-08T10:00:00+07:00" }).expect(201);
    expect(res.body.clockStartedAt).toBe("2025-03-10T07:30:00+07:00");
    expect(res.body.dueAt).toBe("2025-03-12T17:00:00+07:00");
  });

  it("accepts the desk's own receipt code; the same body again answers 200, another body 409", async () => {
    const body = { receiptCode: "000.00.01.H22-250303-9001", summary: "Khai sinh cho con" };
    const first = await receive(t, body).expect(201);
    const again = await receive(t, body).expect(200);
    expect(again.body).toEqual(first.body);
    const other = await receive(t, { ...body, summary: "Khác" }).expect(409);
    expect(other.body).toMatchObject({ status: 409, errors: [{ field: "receiptCode" }] });
    expect((await get(body.receiptCode)).summary).toBe("Khai sinh cho con");
  });

  it("gives 50 concurrent receptions 50 distinct consecutive receipt codes", async () => {
    const receivedAt = "2025-04-01T09:00:00+07:00";
    const responses = await Promise.all(Array.from({ length: 50 }, () => receive(t, { receivedAt })));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(201));
    const sequences = responses.map((r) => Number(r.body.receiptCode.split("-")[2])).sort((a, b) => a - b);
    expect(sequences).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(responses.every((r) => r.body.receiptCode.startsWith(`${JUSTICE}-250401-`))).toBe(true);
  });

  it.each([
    ["an unknown procedure", { procedureCode: "9.999999" }, 404, "procedureCode"],
    ["an unknown receiving agency", { receivingAgencyCode: "999.99.99.X99" }, 404, "receivingAgencyCode"],
    ["an unknown channel", { channel: "fax" }, 400, "channel"],
    ["a reception before the calendars begin", { receivedAt: "1900-06-01T08:00:00+07:00" }, 400, "receivedAt"],
    ["a reception in the future", { receivedAt: "2025-12-01T08:00:00+07:00" }, 400, "receivedAt"],
    ["a timestamp without offset", { receivedAt: "2025-03-03T08:00:00" }, 400, "receivedAt"],
    ["a missing applicant id number", { applicant: { kind: "citizen", name: "A" } }, 400, "applicant.idNumber"],
    ["a negative fee", { feeVnd: -1 }, 400, "feeVnd"],
    ["a fractional fee", { feeVnd: 10.5 }, 400, "feeVnd"],
  ])("refuses %s and stores nothing", async (_name, body, status, field) => {
    const before = (await t.http.get("/v1/dossiers?limit=200").set(ADMIN)).body.items.length;
    const res = await receive(t, body).expect(status);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect((await t.http.get("/v1/dossiers?limit=200").set(ADMIN)).body.items.length).toBe(before);
  });

  it("lets a desk receive only for its own agencies", async () => {
    const justiceDesk = await createKey(t, "desk", [JUSTICE]);
    const provinceDesk = await createKey(t, "desk", [PROVINCE]);
    const reporter = await createKey(t, "reporter");
    await receive(t, {}, justiceDesk).expect(201);
    await receive(t, {}, provinceDesk).expect(201); // a parent agency's desk covers its sub-agencies
    await receive(t, { receivingAgencyCode: TAX }, justiceDesk).expect(403);
    await receive(t, {}, reporter).expect(403);
  });
});

describe("events and the lifecycle", () => {
  it("walks a dossier through every status with its national code", async () => {
    const code = await received(t);
    const steps: [ReturnType<typeof event>, string, number][] = [
      [event("transferred", "2025-03-03T09:00:00+07:00", { toAgencyCode: JUSTICE, stepCode: "review" }), "in_progress", 4],
      [event("supplement_requested", "2025-03-03T10:00:00+07:00", { reason: "Thiếu giấy chứng sinh", items: ["Giấy chứng sinh"] }), "supplement_requested", 5],
      [event("supplement_received", "2025-03-03T14:00:00+07:00"), "in_progress", 4],
      [event("suspended", "2025-03-03T15:00:00+07:00", { reason: "financial_obligation" }), "suspended", 6],
      [event("resumed", "2025-03-03T16:00:00+07:00"), "in_progress", 4],
      [event("result_ready", "2025-03-04T09:00:00+07:00", { outcome: "approved" }), "result_ready", 9],
      [event("returned", "2025-03-04T10:00:00+07:00", { method: "counter" }), "returned", 10],
    ];
    for (const [body, status, national] of steps) {
      const res = await postEvent(t, code, body).expect(201);
      expect(res.body).toMatchObject({ status, nationalStatusCode: national });
    }
    const final = await get(code);
    expect(final).toMatchObject({
      finishedAt: "2025-03-04T09:00:00+07:00",
      returnedAt: "2025-03-04T10:00:00+07:00",
      outcome: "approved",
      timeliness: "early",
      legalTimeliness: "early",
      overdue: false,
      eventCount: 7,
    });
  });

  it("records a withdrawal and the stop that follows", async () => {
    const code = await received(t);
    await postEvent(t, code, event("withdrawal_requested", "2025-03-03T09:00:00+07:00")).expect(201);
    const res = await postEvent(t, code, event("stopped", "2025-03-03T10:00:00+07:00", { reason: "Công dân rút hồ sơ" })).expect(201);
    expect(res.body).toMatchObject({ status: "stopped", nationalStatusCode: 8, timeliness: null, stoppedAt: "2025-03-03T10:00:00+07:00" });
  });

  it("lets only an administrator cancel a dossier", async () => {
    const code = await received(t);
    const desk = await createKey(t, "desk", [JUSTICE]);
    await postEvent(t, code, event("cancelled", "2025-03-03T09:00:00+07:00"), desk).expect(403);
    const res = await postEvent(t, code, event("cancelled", "2025-03-03T09:00:00+07:00")).expect(201);
    expect(res.body).toMatchObject({ status: "cancelled", nationalStatusCode: null });
  });

  it("refuses an invalid transition with 422 naming the rule, writing nothing", async () => {
    const code = await received(t);
    const res = await postEvent(t, code, event("supplement_received", "2025-03-03T09:00:00+07:00")).expect(422);
    expect(res.body).toMatchObject({ status: 422, code: "invalid_transition", errors: [{ field: "type" }] });
    expect(res.body.detail).toMatch(/supplement_received/);
    expect((await get(code)).eventCount).toBe(0);
  });

  it.each([
    ["a missing reason", event("supplement_requested", "2025-03-03T09:00:00+07:00"), "reason"],
    ["an unknown suspension reason", event("suspended", "2025-03-03T09:00:00+07:00", { reason: "lunch" }), "reason"],
    ["a field of another type", event("resumed", "2025-03-03T09:00:00+07:00", { outcome: "approved" }), "outcome"],
    ["an unknown type", event("approved", "2025-03-03T09:00:00+07:00"), "type"],
    ["an eventId that is not a UUID", { ...event("withdrawal_requested", "2025-03-03T09:00:00+07:00"), eventId: "42" }, "eventId"],
    ["a missing occurredAt", { ...event("withdrawal_requested", "x"), occurredAt: undefined }, "occurredAt"],
    ["an event in the future", event("withdrawal_requested", "2026-03-03T09:00:00+07:00"), "occurredAt"],
  ])("refuses %s with 400", async (_name, body, field) => {
    const code = await received(t);
    const res = await postEvent(t, code, body).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect((await get(code)).eventCount).toBe(0);
  });

  it("answers 404 for an unknown dossier and for an unknown agency in an event", async () => {
    await t.http.get("/v1/dossiers/000.00.01.H22-250303-7777").set(ADMIN).expect(404);
    await postEvent(t, "000.00.01.H22-250303-7777", event("withdrawal_requested", "2025-03-03T09:00:00+07:00")).expect(404);
    const code = await received(t);
    const res = await postEvent(t, code, event("transferred", "2025-03-03T09:00:00+07:00", { toAgencyCode: "NOWHERE" })).expect(404);
    expect(res.body.errors[0].field).toBe("toAgencyCode");
  });
});

describe("the clock", () => {
  it("moves the due date later by the working time waiting for a supplement (pause policy)", async () => {
    const code = await received(t);
    await postEvent(t, code, {
      events: [
        event("transferred", "2025-03-03T09:00:00+07:00", { toAgencyCode: JUSTICE, stepCode: "review" }),
        event("supplement_requested", "2025-03-04T08:00:00+07:00", { reason: "Thiếu tờ khai" }),
        event("supplement_received", "2025-03-05T10:00:00+07:00"),
      ],
    }).expect(201);
    // Paused Tue 08:00–17:00 (450 min) + Wed 07:30–10:00 (150 min) = 600 working minutes.
    expect(await get(code)).toMatchObject({
      pausedMinutes: 600,
      originalDueAt: "2025-03-06T08:00:00+07:00",
      dueAt: "2025-03-07T10:00:00+07:00",
      legalDueAt: "2025-03-11T10:00:00+07:00",
      supplementRequests: 1,
      supplementRequestFlagged: false,
    });
  });

  it("restarts the full duration when the supplement arrives (restart policy)", async () => {
    const code = await received(t, { procedureCode: LAND });
    expect((await get(code)).dueAt).toBe("2025-03-05T08:00:00+07:00");
    await postEvent(t, code, {
      events: [
        event("transferred", "2025-03-03T09:00:00+07:00", { toAgencyCode: JUSTICE }),
        event("supplement_requested", "2025-03-03T10:00:00+07:00", { reason: "Thiếu bản đồ" }),
        event("supplement_received", "2025-03-04T14:00:00+07:00"),
        // On the due date, after the due hour: on time by date (Circular 01/2020).
        event("result_ready", "2025-03-06T16:00:00+07:00", { outcome: "approved" }),
      ],
    }).expect(201);
    expect(await get(code)).toMatchObject({
      clockStartedAt: "2025-03-04T14:00:00+07:00",
      dueAt: "2025-03-06T14:00:00+07:00",
      legalDueAt: "2025-03-07T14:00:00+07:00",
      originalDueAt: "2025-03-05T08:00:00+07:00",
      timeliness: "on_time",
      legalTimeliness: "early",
    });
  });

  it("flags a second supplement request", async () => {
    const code = await received(t);
    const res = await postEvent(t, code, {
      events: [
        event("transferred", "2025-03-03T09:00:00+07:00", { toAgencyCode: JUSTICE }),
        event("supplement_requested", "2025-03-03T10:00:00+07:00", { reason: "Thiếu tờ khai" }),
        event("supplement_received", "2025-03-03T11:00:00+07:00"),
        event("supplement_requested", "2025-03-03T14:00:00+07:00", { reason: "Thiếu bản sao" }),
      ],
    }).expect(201);
    expect(res.body).toMatchObject({ supplementRequests: 2, supplementRequestFlagged: true, paused: true, overdue: false });
  });

  it("marks an open dossier past its due date overdue, and lists it", async () => {
    const code = await received(t, { receivedAt: "2025-05-05T08:00:00+07:00" });
    expect((await get(code)).overdue).toBe(true);
    const list = await t.http.get(`/v1/dossiers?overdue=true&receivedFrom=2025-05-05&receivedTo=2025-05-05`).set(ADMIN).expect(200);
    expect(list.body.items.map((d: { receiptCode: string }) => d.receiptCode)).toEqual([code]);
    expect(list.body.items[0].overdue).toBe(true);
  });
});

describe("the process control sheet", () => {
  it("times each hand-off against its step budget and names the agency whose step overran", async () => {
    const code = await received(t);
    await postEvent(t, code, {
      events: [
        event("transferred", "2025-03-03T09:00:00+07:00", { toAgencyCode: JUSTICE, stepCode: "review" }),
        event("transferred", "2025-03-04T10:00:00+07:00", { toAgencyCode: TAX, stepCode: "tax" }),
        event("result_ready", "2025-03-07T10:00:00+07:00", { outcome: "approved", agencyCode: TAX }),
      ],
    }).expect(201);
    const dossier = await get(code);
    expect(dossier).toMatchObject({ timeliness: "late", responsibleAgencyCode: TAX, currentAgencyCode: TAX });
    expect(dossier.steps.map((s: { code: string; timeliness: string }) => [s.code, s.timeliness])).toEqual([
      ["reception", "on_time"],
      ["review", "on_time"],
      ["tax", "late"],
    ]);
    expect(dossier.steps[2]).toMatchObject({ agencyCode: TAX, budgetMinutes: 480, dueAt: "2025-03-05T10:00:00+07:00" });

    const timeline = (await t.http.get(`/v1/dossiers/${code}/events`).set(ADMIN).expect(200)).body.items;
    expect(timeline.map((e: { type: string }) => e.type)).toEqual(["transferred", "transferred", "result_ready"]);
    expect(timeline[0]).toMatchObject({ statusAfter: "in_progress", handOff: { code: "reception", budgetMinutes: 120, usedMinutes: 60, timeliness: "on_time" } });
    expect(timeline[1]).toMatchObject({ toAgencyCode: TAX, handOff: { code: "review", agencyCode: JUSTICE, timeliness: "on_time" } });
    expect(timeline[2]).toMatchObject({ statusAfter: "result_ready", outcome: "approved", handOff: null });
  });

  it("refuses a transfer to a step the procedure does not define", async () => {
    const code = await received(t);
    const res = await postEvent(t, code, event("transferred", "2025-03-03T09:00:00+07:00", { toAgencyCode: JUSTICE, stepCode: "nope" })).expect(422);
    expect(res.body.code).toBe("unknown_step");
  });
});

describe("idempotency, retroactive events and batches", () => {
  it("acknowledges a re-sent event without change, and refuses a reused eventId with another body", async () => {
    const code = await received(t);
    const transfer = event("transferred", "2025-03-03T09:00:00+07:00", { toAgencyCode: JUSTICE });
    const first = await postEvent(t, code, transfer).expect(201);
    const again = await postEvent(t, code, transfer).expect(200);
    expect(again.body).toEqual(first.body);
    const changed = await postEvent(t, code, { ...transfer, occurredAt: "2025-03-03T09:30:00+07:00" }).expect(409);
    expect(changed.body.errors[0].field).toBe("eventId");
    expect((await get(code)).eventCount).toBe(1);
  });

  it("accepts a late event when the whole ordered history stays valid, with the same result as in-order delivery", async () => {
    const transfer = (occurredAt: string) => event("transferred", occurredAt, { toAgencyCode: JUSTICE, stepCode: "review" });
    const inOrder = await received(t);
    const late = await received(t);
    const history = [
      transfer("2025-03-03T09:00:00+07:00"),
      event("supplement_requested", "2025-03-04T08:00:00+07:00", { reason: "Thiếu tờ khai" }),
      event("supplement_received", "2025-03-04T15:00:00+07:00"),
      event("result_ready", "2025-03-06T09:00:00+07:00", { outcome: "refused" }),
    ];
    for (const e of history) await postEvent(t, inOrder, e).expect(201);
    // The supplement round trip is synced last, after the result, as one batch: either of its
    // events alone would leave a history in which the result follows an open supplement request.
    const renamed = history.map((e) => ({ ...e, eventId: crypto.randomUUID() }));
    await postEvent(t, late, renamed[0]).expect(201);
    await postEvent(t, late, renamed[3]).expect(201);
    await postEvent(t, late, renamed[1]).expect(422);
    await postEvent(t, late, { events: [renamed[2], renamed[1]] }).expect(201);
    const { receiptCode: _a, ...expected } = await get(inOrder);
    const { receiptCode: _b, ...actual } = await get(late);
    expect(actual).toEqual(expected);
    expect(actual).toMatchObject({ dueAt: "2025-03-06T15:00:00+07:00", timeliness: "on_time", outcome: "refused" });
  });

  it("refuses a late event that would make the history invalid", async () => {
    const code = await received(t);
    await postEvent(t, code, event("transferred", "2025-03-03T09:00:00+07:00", { toAgencyCode: JUSTICE })).expect(201);
    await postEvent(t, code, event("result_ready", "2025-03-04T09:00:00+07:00", { outcome: "approved" })).expect(201);
    const res = await postEvent(t, code, event("supplement_requested", "2025-03-05T09:00:00+07:00", { reason: "x" })).expect(422);
    expect(res.body.code).toBe("invalid_transition");
    const before = await postEvent(t, code, event("supplement_requested", "2025-03-02T09:00:00+07:00", { reason: "x" })).expect(422);
    expect(before.body.code).toBe("before_reception");
    expect((await get(code)).eventCount).toBe(2);
  });

  it("applies a batch all or nothing", async () => {
    const code = await received(t);
    const res = await postEvent(t, code, {
      events: [
        event("transferred", "2025-03-03T09:00:00+07:00", { toAgencyCode: JUSTICE }),
        event("resumed", "2025-03-03T10:00:00+07:00"),
      ],
    }).expect(422);
    expect(res.body.errors[0].field).toBe("events[1].type");
    const malformed = await postEvent(t, code, {
      events: [event("transferred", "2025-03-03T09:00:00+07:00", { toAgencyCode: JUSTICE }), event("stopped", "2025-03-03T10:00:00+07:00")],
    }).expect(400);
    expect(malformed.body.errors[0].field).toBe("events[1].reason");
    const duplicate = event("transferred", "2025-03-03T09:00:00+07:00", { toAgencyCode: JUSTICE });
    await postEvent(t, code, { events: [duplicate, duplicate] }).expect(400);
    await postEvent(t, code, { events: [duplicate], type: "resumed" }).expect(400);
    expect((await get(code)).eventCount).toBe(0);
    const timeline = await t.http.get(`/v1/dossiers/${code}/events`).set(ADMIN).expect(200);
    expect(timeline.body.items).toEqual([]);
  });
});

describe("listing", () => {
  it("pages newest first with a cursor that is stable under inserts", async () => {
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) codes.push(await received(t, { procedureCode: LAND, receivedAt: "2025-02-03T09:00:00+07:00" }));
    const first = await t.http.get(`/v1/dossiers?procedureCode=${LAND}&receivedFrom=2025-02-03&receivedTo=2025-02-03&limit=2`).set(ADMIN).expect(200);
    expect(first.body.items.map((d: { receiptCode: string }) => d.receiptCode)).toEqual([codes[4], codes[3]]);
    expect(first.body.items[0]).not.toHaveProperty("applicant");
    await received(t, { procedureCode: LAND, receivedAt: "2025-02-03T10:00:00+07:00" });
    const seen = [...first.body.items];
    let cursor = first.body.nextCursor;
    while (cursor) {
      const page = await t.http.get(`/v1/dossiers?procedureCode=${LAND}&receivedFrom=2025-02-03&receivedTo=2025-02-03&limit=2&cursor=${cursor}`).set(ADMIN).expect(200);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
    }
    expect(seen.map((d: { receiptCode: string }) => d.receiptCode)).toEqual([...codes].reverse());
  });

  it("filters by status and agency, and refuses a forged cursor", async () => {
    const res = await t.http.get(`/v1/dossiers?status=returned&agencyCode=${JUSTICE}`).set(ADMIN).expect(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    expect(res.body.items.every((d: { status: string }) => d.status === "returned")).toBe(true);
    const forged = await t.http.get("/v1/dossiers?cursor=abc").set(ADMIN).expect(400);
    expect(forged.body.errors[0].field).toBe("cursor");
    await t.http.get("/v1/dossiers?status=lost").set(ADMIN).expect(400);
  });

  it("shows a desk only its own agencies' dossiers", async () => {
    const taxDesk = await createKey(t, "desk", [TAX]);
    const code = await received(t, { receivedAt: "2025-01-06T08:00:00+07:00" });
    await t.http.get(`/v1/dossiers/${code}`).set(taxDesk).expect(403);
    const list = await t.http.get("/v1/dossiers?limit=200").set(taxDesk).expect(200);
    expect(list.body.items.every((d: { currentAgencyCode: string; handlingAgencyCode: string }) => [d.currentAgencyCode, d.handlingAgencyCode].includes(TAX))).toBe(true);
  });
});

describe("projections", () => {
  it("rebuilds every projection from the events to exactly the live one", async () => {
    const rows = () => query(t, "select * from dossiers order by id");
    const live = await rows();
    expect(live.length).toBeGreaterThan(20);
    // Corrupt the projection to prove the rebuild writes it back from events.
    await query(t, "update dossiers set status = 'received', due_at = 0");
    const report = await t.app.services.projections.rebuildAll({ pageSize: 7 });
    expect(report.failed).toEqual([]);
    expect(report.dossiers).toBe(live.length);
    expect(report.changed).toBe(live.length);
    expect(await rows()).toEqual(live);
    // A second rebuild finds nothing to change (overdue stretches compare as sets).
    expect((await t.app.services.projections.rebuildAll()).changed).toBe(0);
  });
});
