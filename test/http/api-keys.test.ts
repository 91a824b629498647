/** API keys (API.md "Keys"): shown once, stored hashed, roles, agency scope, immediate revocation. */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, query, startTestApp, type TestApp } from "../support/test-app.js";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await t.http.put("/v1/agencies/000.00.01.H22").set(ADMIN).send({ name: "Sở Tư pháp" }).expect(201);
});
afterAll(async () => t.close());

describe("API keys", () => {
  it("issues a key once, stores only its hash, and the key works at once", async () => {
    const res = await t.http.post("/v1/api-keys").set(ADMIN).send({ name: "Bộ phận một cửa Sở Tư pháp", role: "desk", agencyCodes: ["000.00.01.H22"] }).expect(201);
    expect(res.body).toMatchObject({ id: expect.any(String), role: "desk", agencyCodes: ["000.00.01.H22"], key: expect.stringMatching(/^mc_/) });
    const [stored] = await query<{ key_hash: string }>(t, "select key_hash from api_keys where id = ?", [res.body.id]);
    expect(stored!.key_hash).toBe(createHash("sha256").update(res.body.key).digest("hex"));
    expect(JSON.stringify(await query(t, "select * from api_keys"))).not.toContain(res.body.key);

    const desk = { Authorization: `Bearer ${res.body.key}` };
    await t.http.get("/v1/agencies").set(desk).expect(200);
    await t.http.put("/v1/agencies/X1").set(desk).send({ name: "X" }).expect(403);

    const list = await t.http.get("/v1/api-keys").set(ADMIN).expect(200);
    expect(list.body.items.find((k: { id: string }) => k.id === res.body.id)).toMatchObject({ name: "Bộ phận một cửa Sở Tư pháp", revokedAt: null });
    expect(JSON.stringify(list.body)).not.toContain(res.body.key);

    await t.http.delete(`/v1/api-keys/${res.body.id}`).set(ADMIN).expect(204);
    await t.http.get("/v1/agencies").set(desk).expect(401);
    await t.http.delete(`/v1/api-keys/${res.body.id}`).set(ADMIN).expect(404);
  });

  it.each([
    [{ name: "d", role: "desk" }, 400, "agencyCodes"],
    [{ name: "r", role: "reporter", agencyCodes: ["000.00.01.H22"] }, 400, "agencyCodes"],
    [{ name: "d", role: "desk", agencyCodes: ["NOPE"] }, 404, "agencyCodes[0]"],
    [{ name: "x", role: "root" }, 400, "role"],
  ])("refuses %j with %i naming %s, storing nothing", async (body, status, field) => {
    const before = (await t.http.get("/v1/api-keys").set(ADMIN)).body.items.length;
    const res = await t.http.post("/v1/api-keys").set(ADMIN).send(body).expect(status);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect((await t.http.get("/v1/api-keys").set(ADMIN)).body.items.length).toBe(before);
  });

  it("is for administrators only", async () => {
    const reporter = (await t.http.post("/v1/api-keys").set(ADMIN).send({ name: "báo cáo", role: "reporter" }).expect(201)).body.key;
    await t.http.get("/v1/api-keys").set({ Authorization: `Bearer ${reporter}` }).expect(403);
    await t.http.get("/v1/api-keys").expect(401);
  });
});
