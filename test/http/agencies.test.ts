/** Agencies over HTTP: a tree through parentCode, each pointing to a calendar. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, startTestApp, type TestApp } from "../support/test-app.js";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

describe("agencies", () => {
  it("builds a tree: province, then a department under it, using the vn calendar by default", async () => {
    const province = await t.http.put("/v1/agencies/000.00.00.H22").set(ADMIN).send({ name: "UBND tỉnh Hưng Yên" }).expect(201);
    expect(province.body).toMatchObject({ code: "000.00.00.H22", parentCode: null, calendarId: "vn" });
    const dept = await t.http
      .put("/v1/agencies/000.00.01.H22")
      .set(ADMIN)
      .send({ name: "Sở Tư pháp", parentCode: "000.00.00.H22" })
      .expect(201);
    expect(dept.body).toMatchObject({ parentCode: "000.00.00.H22", calendarId: "vn" });
    expect(dept.body.createdAt).toMatch(/\+07:00$/);

    const renamed = await t.http
      .put("/v1/agencies/000.00.01.H22")
      .set(ADMIN)
      .send({ name: "Sở Tư pháp tỉnh Hưng Yên", parentCode: "000.00.00.H22" })
      .expect(200);
    expect(renamed.body.name).toBe("Sở Tư pháp tỉnh Hưng Yên");
    const got = await t.http.get("/v1/agencies/000.00.01.H22").set(ADMIN).expect(200);
    expect(got.body).toEqual(renamed.body);
    const list = await t.http.get("/v1/agencies").set(ADMIN).expect(200);
    expect(list.body.items).toHaveLength(2);
  });

  it("refuses a cycle in the tree with 422 and changes nothing", async () => {
    const res = await t.http
      .put("/v1/agencies/000.00.00.H22")
      .set(ADMIN)
      .send({ name: "UBND tỉnh Hưng Yên", parentCode: "000.00.01.H22" })
      .expect(422);
    expect(res.body.errors[0].field).toBe("parentCode");
    expect((await t.http.get("/v1/agencies/000.00.00.H22").set(ADMIN)).body.parentCode).toBeNull();
  });

  it("answers 404 for unknown agencies, parents and calendars, writing nothing", async () => {
    await t.http.get("/v1/agencies/999.99.99.X00").set(ADMIN).expect(404);
    const parent = await t.http.put("/v1/agencies/X1").set(ADMIN).send({ name: "X", parentCode: "NOPE" }).expect(404);
    expect(parent.body.errors[0].field).toBe("parentCode");
    const cal = await t.http.put("/v1/agencies/X1").set(ADMIN).send({ name: "X", calendarId: "nope" }).expect(404);
    expect(cal.body.errors[0].field).toBe("calendarId");
    await t.http.get("/v1/agencies/X1").set(ADMIN).expect(404);
  });

  it("validates codes loosely (letters, digits, dots) and requires a name", async () => {
    await t.http.put("/v1/agencies/bad-code").set(ADMIN).send({ name: "X" }).expect(400);
    const res = await t.http.put("/v1/agencies/G01").set(ADMIN).send({}).expect(400);
    expect(res.body.errors).toContainEqual({ field: "name", message: expect.any(String) });
  });
});
