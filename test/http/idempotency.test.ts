/**
 * Idempotency-Key on POST (API.md "Retries", issue #14 item 3), through the real HTTP stack on a
 * real SQLite file: a desk that lets motcua generate the receipt code and retries after a timeout
 * must not create a second dossier.
 */
import fs from "node:fs";
import { randomUUID } from "node:crypto";
import supertest from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServiceApp } from "../../src/composition.js";
import { ADMIN, ADMIN_KEY, createKey, query, startTestApp, totalChanges, type TestApp } from "../support/test-app.js";
import { JUSTICE, event, postEvent, receive, seedProvince } from "../support/dossier-fixtures.js";

let t: TestApp;
let clock = Date.parse("2025-06-30T10:00:00+07:00");
beforeAll(async () => {
  t = await startTestApp({ now: () => clock });
  await seedProvince(t);
});
afterAll(async () => t.close());

const dossierCount = async () => Number((await query<{ n: number }>(t, "select count(*) as n from dossiers"))[0]!.n);
const withKey = (key: string, auth: Record<string, string> = ADMIN) => ({ ...auth, "Idempotency-Key": key });

describe("Idempotency-Key", () => {
  it("answers a retried reception with the stored response and creates no second dossier", async () => {
    const key = randomUUID();
    const before = await dossierCount();
    const first = await receive(t, {}, withKey(key)).expect(201);
    const changes = await totalChanges(t);
    const retry = await receive(t, {}, withKey(key)).expect(201);
    expect(retry.headers["idempotent-replayed"]).toBe("true");
    expect(retry.body).toEqual(first.body);
    expect(await dossierCount()).toBe(before + 1);
    expect(await totalChanges(t)).toBe(changes);
  });

  it("refuses the same key with another body (409 idempotency_key_reused) and writes nothing", async () => {
    const key = randomUUID();
    await receive(t, {}, withKey(key)).expect(201);
    const changes = await totalChanges(t);
    const other = await receive(t, { summary: "another dossier" }, withKey(key)).expect(409);
    expect(other.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(other.body.type).toMatch(/idempotency-key-reused/);
    expect(other.body.errors).toEqual([{ field: "Idempotency-Key", message: expect.any(String) }]);
    expect(await totalChanges(t)).toBe(changes);
  });

  it("scopes keys to the API key that sent them", async () => {
    const key = randomUUID();
    const desk = await createKey(t, "desk", [JUSTICE]);
    const a = await receive(t, {}, withKey(key)).expect(201);
    const b = await receive(t, {}, withKey(key, desk)).expect(201);
    expect(b.headers["idempotent-replayed"]).toBeUndefined();
    expect(b.body.receiptCode).not.toBe(a.body.receiptCode);
  });

  it("guards event posts too: the retry is answered as the first time, the history holds the event once", async () => {
    const code = (await receive(t).expect(201)).body.receiptCode as string;
    const body = event("transferred", "2025-03-03T09:00:00+07:00", { toAgencyCode: "000.00.02.H22" });
    const first = await postEvent(t, code, body, withKey("events-" + code)).expect(201);
    const retry = await postEvent(t, code, body, withKey("events-" + code)).expect(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers["idempotent-replayed"]).toBe("true");
    const events = await t.http.get(`/v1/dossiers/${code}/events`).set(ADMIN).expect(200);
    expect(events.body.items.filter((e: { eventId?: string }) => e.eventId === body.eventId)).toHaveLength(1);
  });

  it("lets two identical requests racing with one key write exactly one dossier", async () => {
    const key = randomUUID();
    const before = await dossierCount();
    const answers = await Promise.all([receive(t, {}, withKey(key)), receive(t, {}, withKey(key)), receive(t, {}, withKey(key))]);
    expect(await dossierCount()).toBe(before + 1);
    const created = answers.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    for (const r of answers) expect([201, 409]).toContain(r.status);
    for (const r of answers.filter((a) => a.status === 409)) expect(r.body.type).toMatch(/idempotency-key-in-use/);
    expect(new Set(created.map((r) => r.body.receiptCode)).size).toBe(1);
  });

  it("does not store a refusal: nothing was written, so the key stays free", async () => {
    const key = randomUUID();
    const changes = await totalChanges(t);
    await receive(t, { procedureCode: "9.999999" }, withKey(key)).expect(404);
    expect(await totalChanges(t)).toBe(changes);
    await receive(t, {}, withKey(key)).expect(201);
  });

  it("refuses a malformed key with 400 naming Idempotency-Key, and changes nothing", async () => {
    const changes = await totalChanges(t);
    for (const bad of ["x".repeat(256), "has space"]) {
      const res = await receive(t, {}, withKey(bad)).expect(400);
      expect(res.body.errors).toEqual([{ field: "Idempotency-Key", message: expect.any(String) }]);
    }
    expect(await totalChanges(t)).toBe(changes);
  });

  it("keeps a key 24 hours: after that the same request is a new one, and the old key is purged", async () => {
    const key = randomUUID();
    const first = await receive(t, {}, withKey(key)).expect(201);
    clock += 24 * 60 * 60_000 + 1;
    const later = await receive(t, {}, withKey(key)).expect(201);
    expect(later.headers["idempotent-replayed"]).toBeUndefined();
    expect(later.body.receiptCode).not.toBe(first.body.receiptCode);
    const purged = await t.app.services.idempotency.purge();
    expect(purged).toBeGreaterThan(0);
  });
});

describe("Idempotency-Key across a restart", () => {
  it("answers a retry sent to a restarted service with the response stored before the restart", async () => {
    const first = await startTestApp({ now: () => Date.parse("2025-06-30T10:00:00+07:00") });
    const dbFile = first.dbFile;
    try {
      await seedProvince(first);
      const key = randomUUID();
      const created = await receive(first, {}, withKey(key)).expect(201);
      await first.app.close();
      const app = await buildServiceApp({ config: { dbFile, databaseUrl: first.databaseUrl, adminKey: ADMIN_KEY, logLevel: "silent" }, logger: false, loadShedding: false, now: () => Date.parse("2025-06-30T10:05:00+07:00") });
      try {
        await app.ready();
        const retry = await receive({ ...first, app, http: supertest(app.server) }, {}, withKey(key)).expect(201);
        expect(retry.headers["idempotent-replayed"]).toBe("true");
        expect(retry.body.receiptCode).toBe(created.body.receiptCode);
      } finally {
        await app.close();
      }
    } finally {
      fs.rmSync(dbFile.replace(/motcua\.db$/, ""), { recursive: true, force: true });
    }
  });
});
