/**
 * Issue #11: attacks a hostile review made on the running service, each reproduced through the real
 * HTTP stack on a real SQLite file. Every refusal is a problem document and writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testBackend } from "../support/postgres.js";
import { ADMIN, createKey, startTestApp, totalChanges, type TestApp } from "../support/test-app.js";
import { BIRTH, JUSTICE, TAX, applicant, event, postEvent, receive, received, seedProvince } from "../support/dossier-fixtures.js";

let t: TestApp;
let justiceDesk: Record<string, string>;
let taxDesk: Record<string, string>;
const NOW = Date.parse("2025-03-10T10:00:00+07:00");

beforeAll(async () => {
  t = await startTestApp({ now: () => NOW });
  await seedProvince(t);
  justiceDesk = await createKey(t, "desk", [JUSTICE]);
  taxDesk = await createKey(t, "desk", [TAX]);
});
afterAll(async () => t.close());

/** The request is refused with `status`, as a problem naming `field`, and nothing is written. */
async function refusedWithoutWrites(request: () => PromiseLike<{ status: number; body: { errors?: { field: string }[] }; headers: Record<string, string> }>, status: number, field: string) {
  const before = await totalChanges(t);
  const res = await request();
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
  expect((res.body.errors ?? []).map((e) => e.field)).toContain(field);
  expect(await totalChanges(t)).toBe(before);
}

describe("item 2: a supplied receipt code belongs to the dossier's own namespace (DOMAIN.md §8)", () => {
  const body = (receiptCode: string) => ({ receiptCode, receivedAt: "2025-03-03T08:00:00+07:00" });

  it("refuses another agency's code (403), another date (400) and a malformed code (400)", async () => {
    await refusedWithoutWrites(() => receive(t, body(`${TAX}-250303-0001`), justiceDesk), 403, "receiptCode");
    await refusedWithoutWrites(() => receive(t, body(`${JUSTICE}-250304-0001`), justiceDesk), 400, "receiptCode");
    await refusedWithoutWrites(() => receive(t, body(`${JUSTICE}-STAT-A`), justiceDesk), 400, "receiptCode");
    await refusedWithoutWrites(() => receive(t, body(`${JUSTICE}-250303-123456789`), justiceDesk), 400, "receiptCode");
    // Its own namespace, on the reception date: accepted unchanged.
    expect((await receive(t, body(`${JUSTICE}-250303-7001`), justiceDesk).expect(201)).body.receiptCode).toBe(`${JUSTICE}-250303-7001`);
  });

  it("cannot stop another agency's receptions, and squatting its own namespace never makes the generator fail", async () => {
    // The attack: a desk takes another agency's next codes. Refused, so the tax office is unaffected.
    for (let seq = 1; seq <= 5; seq++) await receive(t, { ...body(`${TAX}-250303-${String(seq).padStart(4, "0")}`), receivingAgencyCode: JUSTICE }, justiceDesk).expect(403);
    expect((await receive(t, { receivedAt: "2025-03-03T08:00:00+07:00", receivingAgencyCode: TAX }, taxDesk).expect(201)).body.receiptCode).toBe(`${TAX}-250303-0001`);
    // A desk that takes 1,001 of its own agency's next codes (once enough to make the generator
    // give up and every reception answer 500) only makes the generator skip them.
    const day = "2025-03-04T08:00:00+07:00";
    for (let seq = 1; seq <= 1001; seq++) await receive(t, { receiptCode: `${JUSTICE}-250304-${String(seq).padStart(4, "0")}`, receivedAt: day }, justiceDesk).expect(201);
    expect((await receive(t, { receivedAt: day }, justiceDesk).expect(201)).body.receiptCode).toBe(`${JUSTICE}-250304-1002`);
  }, 60_000);
});

describe("item 5: an event is recorded in the name of an agency the caller acts for", () => {
  it("refuses a desk posting in another agency's name (403 naming agencyCode), in a batch too; an admin may", async () => {
    const code = await received(t);
    await refusedWithoutWrites(() => postEvent(t, code, event("transferred", "2025-03-03T09:00:00+07:00", { toAgencyCode: TAX, agencyCode: TAX }), justiceDesk), 403, "agencyCode");
    await refusedWithoutWrites(
      () =>
        postEvent(t, code, { events: [event("transferred", "2025-03-03T09:00:00+07:00", { toAgencyCode: TAX }), event("result_ready", "2025-03-04T09:00:00+07:00", { outcome: "approved", agencyCode: TAX })] }, justiceDesk),
      403,
      "events[1].agencyCode",
    );
    await postEvent(t, code, event("transferred", "2025-03-03T09:00:00+07:00", { toAgencyCode: TAX }), justiceDesk).expect(201);
    // The tax office's own desk records its work (the dossier is now held by it).
    await postEvent(t, code, event("result_ready", "2025-03-04T09:00:00+07:00", { outcome: "approved", agencyCode: TAX }), taxDesk).expect(201);
    const timeline = (await t.http.get(`/v1/dossiers/${code}/events`).set(ADMIN).expect(200)).body.items;
    expect(timeline.map((e: { agencyCode: string }) => e.agencyCode)).toEqual([JUSTICE, TAX]);
  });
});

describe("item 6: bodies are taken as sent, never type-coerced", () => {
  it.each([
    ["feeVnd: null", { feeVnd: null }, "feeVnd"],
    ["feeVnd: true", { feeVnd: true }, "feeVnd"],
    ["feeVnd: \"5000\"", { feeVnd: "5000" }, "feeVnd"],
    ["digitized: 1", { digitized: 1 }, "digitized"],
    ["applicant.name: 12345", { applicant: { ...applicant, name: 12345 } }, "applicant.name"],
    ["channel: [\"direct\"]", { channel: ["direct"] }, "channel"],
  ])("refuses %s with 400 naming the field", async (_name, fields, field) => {
    await refusedWithoutWrites(() => receive(t, fields), 400, field);
  });

  it("still reads numbers and booleans from query strings", async () => {
    const res = await t.http.get(`/v1/dossiers?limit=2&overdue=false&procedureCode=${BIRTH}`).set(ADMIN).expect(200);
    expect(res.body.items.length).toBeLessThanOrEqual(2);
  });
});

describe("item 7: the public lookup does the same work for an unknown code and a wrong identity number", () => {
  // The count instruments better-sqlite3's statements; the PostgreSQL repositories read through the
  // same use case (citizen-portal.ts checks the identity number on the dossier row before the events).
  it.skipIf(testBackend() === "postgres")("reads no history before the identity number matches, whatever its length", async () => {
    const long = await received(t, { receivedAt: "2025-03-05T08:00:00+07:00" });
    const hops = Array.from({ length: 300 }, (_, i) =>
      event("transferred", new Date(Date.parse("2025-03-05T08:01:00+07:00") + i * 60_000).toISOString(), { toAgencyCode: JUSTICE }),
    );
    await postEvent(t, long, { events: hops }).expect(201);

    // Count what the real database is asked to do, per path (statements run and rows returned).
    const sqlite = t.app.database.sqlite;
    const Statement = Object.getPrototypeOf(sqlite.prepare("select 1")) as { get: (...a: unknown[]) => unknown; all: (...a: unknown[]) => unknown[] };
    const original = { get: Statement.get, all: Statement.all };
    let work = { statements: 0, rows: 0 };
    Statement.get = function (this: unknown, ...args: unknown[]) {
      work.statements++;
      const row = original.get.apply(this, args);
      if (row !== undefined) work.rows++;
      return row;
    };
    Statement.all = function (this: unknown, ...args: unknown[]) {
      work.statements++;
      const rows = original.all.apply(this, args);
      work.rows += rows.length;
      return rows;
    };
    const lookup = async (code: string, idNumber: string) => {
      work = { statements: 0, rows: 0 };
      await t.http.get(`/v1/public/dossiers/${code}?idNumber=${idNumber}`).expect(404);
      return work;
    };
    try {
      const wrongNumber = await lookup(long, "079099999999");
      const unknownCode = await lookup(`${JUSTICE}-250305-9999`, "079099999999");
      expect(wrongNumber.statements).toBe(unknownCode.statements);
      // The dossier's row is read (it exists), never its 300 events.
      expect(wrongNumber.rows).toBeLessThanOrEqual(unknownCode.rows + 1);
    } finally {
      Statement.get = original.get;
      Statement.all = original.all;
    }
    // The right number still finds it.
    await t.http.get(`/v1/public/dossiers/${long}?idNumber=${applicant.idNumber}`).expect(200);
  });
});

describe("item 8: the masked name has a fixed shape and echoes no control or bidi character", () => {
  it("shows two initials whatever the name", async () => {
    const code = await received(t, { receivedAt: "2025-03-06T08:00:00+07:00", applicant: { ...applicant, name: "\u202ENguyễn\u202C Thị Thanh\u200B \u0007Hương" } });
    const res = await t.http.get(`/v1/public/dossiers/${code}?idNumber=${applicant.idNumber}`).expect(200);
    expect(res.body.applicantName).toBe("N. H.");
    expect(res.text).not.toMatch(/\\u202e|\\u200b|\\u0007/i);
  });
});
