/** Procedures over HTTP: legal and committed durations, steps with budgets, and versions. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, startTestApp, type TestApp } from "../support/test-app.js";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await t.http.put("/v1/agencies/000.00.00.H22").set(ADMIN).send({ name: "Văn phòng UBND tỉnh" }).expect(201);
});
afterAll(async () => t.close());

const days = (value: number) => ({ value, unit: "working_days" });
const birth = {
  name: "Đăng ký khai sinh",
  fieldCode: "HT",
  fieldName: "Hộ tịch",
  legalDuration: days(5),
  committedDuration: days(3.5),
  steps: [
    { code: "reception", name: "Tiếp nhận", budget: days(0.5) },
    { code: "review", name: "Thẩm định", budget: days(2) },
    { code: "sign", name: "Ký duyệt", agencyCode: "000.00.00.H22", budget: days(1) },
  ],
};

describe("procedures", () => {
  it("creates version 1, and the same definition again changes nothing", async () => {
    const first = await t.http.put("/v1/procedures/1.001193").set(ADMIN).send(birth).expect(201);
    expect(first.body).toMatchObject({
      code: "1.001193",
      version: 1,
      legalDuration: days(5),
      committedDuration: days(3.5),
      committedDurationDerived: false,
      // Stated by no one: each dossier's legal frame decides (DOMAIN.md §4, Decree 118/2025 art. 19(5)).
      supplementPolicy: null,
      supplementPolicyStated: false,
      supplementPolicyByFrame: { "decree-61-2018": "pause", "decree-118-2025": "restart" },
      supplementCompletion: null,
    });
    expect(first.body.steps).toHaveLength(3);
    const again = await t.http.put("/v1/procedures/1.001193").set(ADMIN).send(birth).expect(200);
    expect(again.body.version).toBe(1);
  });

  it("makes a changed definition a new version and keeps the old one readable", async () => {
    const changed = await t.http
      .put("/v1/procedures/1.001193")
      .set(ADMIN)
      .send({ ...birth, supplementPolicy: "restart" })
      .expect(201);
    expect(changed.body).toMatchObject({
      version: 2,
      supplementPolicy: "restart",
      supplementPolicyStated: true,
      supplementPolicyByFrame: { "decree-61-2018": "restart", "decree-118-2025": "restart" },
    });
    expect((await t.http.get("/v1/procedures/1.001193").set(ADMIN).expect(200)).body.version).toBe(2);
    expect((await t.http.get("/v1/procedures/1.001193?version=1").set(ADMIN).expect(200)).body.supplementPolicy).toBeNull();
    const versions = await t.http.get("/v1/procedures/1.001193/versions").set(ADMIN).expect(200);
    expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    await t.http.get("/v1/procedures/1.001193?version=9").set(ADMIN).expect(404);
  });

  it("derives the committed duration when none is published: 30% less, rounded down to a half day", async () => {
    const res = await t.http
      .put("/v1/procedures/2.000001")
      .set(ADMIN)
      .send({ name: "Cấp phép", fieldCode: "XD", fieldName: "Xây dựng", legalDuration: days(7) })
      .expect(201);
    expect(res.body).toMatchObject({ committedDuration: days(4.5), committedDurationDerived: true });
    const list = await t.http.get("/v1/procedures").set(ADMIN).expect(200);
    expect(list.body.items.map((p: { code: string }) => p.code)).toEqual(["1.001193", "2.000001"]);
  });

  it.each([
    ["a committed duration longer than the legal one", { ...birth, committedDuration: days(6) }, 422, "committedDuration"],
    ["steps needing more than the committed time", { ...birth, steps: [{ code: "a", name: "A", budget: days(4) }] }, 422, "steps"],
    ["duplicate step codes", { ...birth, steps: [birth.steps[0], birth.steps[0]] }, 400, "steps[1].code"],
    ["a step on an unknown agency", { ...birth, steps: [{ code: "a", name: "A", agencyCode: "NOPE", budget: days(1) }] }, 404, "steps[0].agencyCode"],
    ["a calendar-day step budget", { ...birth, steps: [{ code: "a", name: "A", budget: { value: 1, unit: "calendar_days" } }] }, 400, "steps[0].budget.unit"],
    ["a zero legal duration", { ...birth, legalDuration: days(0) }, 400, "legalDuration.value"],
    ["a legal duration under a working minute", { ...birth, legalDuration: { value: 1e-9, unit: "working_hours" } }, 400, "legalDuration.value"],
    ["a step budget under a working minute", { ...birth, steps: [{ code: "a", name: "A", budget: { value: 0.0001, unit: "working_days" } }] }, 400, "steps[0].budget.value"],
    ["an unknown unit", { ...birth, legalDuration: { value: 5, unit: "weeks" } }, 400, "legalDuration.unit"],
    ["an unknown supplement policy", { ...birth, supplementPolicy: "ignore" }, 400, "supplementPolicy"],
    ["a supplement limit of fractional calendar days", { ...birth, supplementCompletion: { value: 1.5, unit: "calendar_days" } }, 400, "supplementCompletion.value"],
    ["a supplement limit in an unknown unit", { ...birth, supplementCompletion: { value: 15, unit: "weeks" } }, 400, "supplementCompletion.unit"],
    ["a missing field code", { ...birth, fieldCode: undefined }, 400, "fieldCode"],
  ])("refuses %s and writes nothing", async (_name, body, status, field) => {
    const res = await t.http.put("/v1/procedures/9.999999").set(ADMIN).send(body).expect(status);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    await t.http.get("/v1/procedures/9.999999").set(ADMIN).expect(404);
  });
});
