/** The access audit: every response carrying a dossier's personal data is on record, and only those. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, createKey, startTestApp, type TestApp } from "../support/test-app.js";
import { applicant, JUSTICE, received, seedProvince, TAX } from "../support/dossier-fixtures.js";

interface AuditItem {
  at: string;
  receiptCode: string;
  action: string;
  actor: { keyId: string | null; name: string | null; role: string };
  remoteAddress: string | null;
  requestId: string | null;
}

describe("access audit", () => {
  let t: TestApp;
  let code = "";
  let desk: Record<string, string> = {};
  let otherDesk: Record<string, string> = {};
  const audit = async (query: string) => (await t.http.get(`/v1/audit?${query}`).set(ADMIN).expect(200)).body as { items: AuditItem[]; nextCursor: string | null };

  beforeAll(async () => {
    t = await startTestApp({ now: () => Date.parse("2025-03-05T10:00:00+07:00") });
    await seedProvince(t);
    code = await received(t);
    desk = await createKey(t, "desk", [JUSTICE]);
    otherDesk = await createKey(t, "desk", [TAX]);
  });
  afterAll(() => t.close());

  it("records who read a dossier and its timeline, when, from where; newest first", async () => {
    await t.http.get(`/v1/dossiers/${code}`).set(desk).expect(200);
    await t.http.get(`/v1/dossiers/${code}/events`).set(ADMIN).expect(200);
    const { items } = await audit(`receiptCode=${code}`);
    expect(items.map((i) => [i.action, i.actor.role])).toEqual([
      ["dossier.events", "admin"],
      ["dossier.read", "desk"],
    ]);
    expect(items[1]!.actor).toEqual({ keyId: expect.any(String), name: "desk test key", role: "desk" });
    expect(items[1]!.at).toBe("2025-03-05T10:00:00+07:00");
    expect(items[1]!.remoteAddress).toMatch(/127\.0\.0\.1/);
    expect(items[1]!.requestId).toEqual(expect.any(String));
    // Audit rows skip their own fsync; the connection is back at FULL for every other write.
    if (t.backend === "sqlite") expect(t.app.database.sqlite.pragma("synchronous", { simple: true })).toBe(2);
  });

  it("records the portal's lookups as the public, and not a wrong identity number", async () => {
    await t.http.get(`/v1/public/dossiers/${code}?idNumber=${applicant.idNumber}`).expect(200);
    await t.http.get(`/v1/public/dossiers/${code}?idNumber=999999999999`).expect(404);
    const { items } = await audit(`receiptCode=${code}`);
    expect(items.filter((i) => i.action === "public.lookup").map((i) => i.actor)).toEqual([{ keyId: null, name: null, role: "public" }]);
  });

  it("records nothing for refused reads, lists without personal data, or reads of the audit itself", async () => {
    const before = (await audit(`receiptCode=${code}&limit=500`)).items.length;
    await t.http.get(`/v1/dossiers/${code}`).set(otherDesk).expect(403);
    await t.http.get(`/v1/dossiers/${code}`).expect(401);
    await t.http.get("/v1/dossiers").set(desk).expect(200);
    expect((await audit(`receiptCode=${code}&limit=500`)).items.length).toBe(before);
  });

  it("filters by key and by Vietnam-local dates, and pages with a cursor", async () => {
    const other = await received(t);
    for (let i = 0; i < 3; i++) await t.http.get(`/v1/dossiers/${other}`).set(desk).expect(200);
    const deskKeyId = (await audit(`receiptCode=${other}`)).items[0]!.actor.keyId!;
    const byKey = await audit(`keyId=${encodeURIComponent(deskKeyId)}&limit=2`);
    expect(byKey.items).toHaveLength(2);
    expect(byKey.items.every((i) => i.actor.keyId === deskKeyId)).toBe(true);
    const next = await audit(`keyId=${encodeURIComponent(deskKeyId)}&limit=2&cursor=${byKey.nextCursor}`);
    expect(next.items.length).toBeGreaterThan(0);
    expect(next.items.map((i) => i.at)).not.toContain(undefined);
    expect((await audit("from=2025-03-05&to=2025-03-05")).items.length).toBeGreaterThan(0);
    expect((await audit("from=2025-03-06")).items).toEqual([]);
    expect((await audit("to=2025-03-04")).items).toEqual([]);
  });

  it("is for administrators only, and refuses bad filters with the field named", async () => {
    await t.http.get("/v1/audit").set(desk).expect(403);
    await t.http.get("/v1/audit").set(await createKey(t, "reporter")).expect(403);
    for (const [query, field] of [
      ["from=2025-02-30", "from"],
      ["cursor=abc", "cursor"],
      ["limit=0", "limit"],
      ["who=me", "who"],
    ]) {
      const res = await t.http.get(`/v1/audit?${query}`).set(ADMIN).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });
});
