/**
 * `npm run migrate-to-postgres` (issue #16): a province's SQLite file, written through the real
 * API, copied into PostgreSQL; verified; idempotent when run again; and the service on PostgreSQL
 * then answers exactly as it did on the file, and goes on numbering where the file stopped.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { migrateToPostgres } from "../../../src/migrate-to-postgres.js";
import { ADMIN, createKey, startTestApp, type TestApp } from "../../support/test-app.js";
import { JUSTICE, TAX, applicant, event, postEvent, received, seedProvince } from "../../support/dossier-fixtures.js";
import { createTestDatabase, type TestDatabase } from "../../support/postgres.js";

const NOW = Date.parse("2025-03-20T10:00:00+07:00");

describe("moving a province from its SQLite file to PostgreSQL", () => {
  let source: TestApp;
  let database: TestDatabase;
  let codes: string[];
  const answers = new Map<string, unknown>();
  let register: string;

  beforeAll(async () => {
    source = await startTestApp({ backend: "sqlite", now: () => NOW });
    await seedProvince(source);
    await createKey(source, "desk", [JUSTICE]);
    await source.http.post("/v1/webhooks").set(ADMIN).send({ url: "https://hooks.example.gov.vn/motcua", events: ["dossier.received", "dossier.status_changed"] }).expect(201);
    codes = [];
    for (let i = 0; i < 12; i++) codes.push(await received(source, { receivedAt: `2025-03-0${3 + (i % 5)}T08:00:00+07:00`, applicant: { ...applicant, name: `Người Nộp ${i}` } }));
    for (const [i, code] of codes.entries()) {
      if (i % 3 === 0) continue;
      await postEvent(source, code, event("transferred", "2025-03-07T09:00:00+07:00", { toAgencyCode: TAX })).expect(201);
      if (i % 3 === 2) {
        await postEvent(source, code, event("result_ready", "2025-03-10T09:00:00+07:00", { agencyCode: TAX, outcome: "approved" })).expect(201);
        await postEvent(source, code, event("returned", "2025-03-11T09:00:00+07:00", { method: "counter" })).expect(201);
        await source.http.post(`/v1/public/dossiers/${code}/rating`).send({ idNumber: applicant.idNumber, level: "satisfied" });
      }
    }
    for (const code of codes) answers.set(code, (await source.http.get(`/v1/dossiers/${code}`).set(ADMIN).expect(200)).body);
    register = (await source.http.get("/v1/stats/timeliness?period=2025-Q1&groupBy=agency").set(ADMIN).expect(200)).text;
    await source.app.close(); // the file stays: its folder is removed in afterAll
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database?.drop();
    fs.rmSync(path.dirname(source.dbFile), { recursive: true, force: true });
  });

  it("copies every table, verifies counts and a sample of folds, and copies nothing twice when run again", async () => {
    const first = await migrateToPostgres({ file: source.dbFile, url: database.url });
    expect(first.ok, JSON.stringify(first, null, 1)).toBe(true);
    expect(first.missing).toEqual([]);
    for (const t of first.tables) expect(t, t.table).toMatchObject({ inserted: t.source, target: t.source });
    expect(first.tables.find((t) => t.table === "dossier_events")!.source).toBeGreaterThan(10);
    expect(first.tables.find((t) => t.table === "outbox_messages")!.source).toBeGreaterThan(0);
    expect(first.sample.checked).toBe(codes.length);

    const again = await migrateToPostgres({ file: source.dbFile, url: database.url });
    expect(again.ok).toBe(true);
    for (const t of again.tables) expect(t, t.table).toMatchObject({ inserted: 0, target: t.source });
  });

  it("leaves nothing behind when a run fails halfway", async () => {
    const broken = await createTestDatabase();
    try {
      // A constraint the copy breaks in a late table (events come after calendars, agencies and dossiers).
      const client = new pg.Client({ connectionString: broken.url });
      await client.connect();
      await client.query("alter table dossier_events add constraint trap check (type <> 'returned')");
      await expect(migrateToPostgres({ file: source.dbFile, url: broken.url })).rejects.toThrow();
      const counts = await client.query("select (select count(*) from dossiers) as dossiers, (select count(*) from agencies) as agencies, (select count(*) from calendars) as calendars");
      await client.end();
      expect(counts.rows[0]).toEqual({ dossiers: 0, agencies: 0, calendars: 0 });
    } finally {
      await broken.drop();
    }
  });

  it("serves the copied dossiers exactly as the file did, and numbers new receptions after the copied ones", async () => {
    const target = await startTestApp({ backend: "postgres", existing: { databaseUrl: database.url }, now: () => NOW });
    try {
      for (const code of codes) expect((await target.http.get(`/v1/dossiers/${code}`).set(ADMIN).expect(200)).body, code).toEqual(answers.get(code));
      expect((await target.http.get("/v1/stats/timeliness?period=2025-Q1&groupBy=agency").set(ADMIN).expect(200)).text).toBe(register);
      const lastOfDay = codes.filter((c) => c.includes("-250303-")).sort().at(-1)!;
      const next = await received(target, { receivedAt: "2025-03-03T15:00:00+07:00" });
      expect(Number(next.slice(-4))).toBe(Number(lastOfDay.slice(-4)) + 1);
      const listed = (await target.http.get("/v1/dossiers?limit=1").set(ADMIN).expect(200)).body.items as { receiptCode: string }[];
      expect(listed[0]!.receiptCode).toBe(next); // the id sequence continued past the copied rows
    } finally {
      await target.close();
    }
  });
});
