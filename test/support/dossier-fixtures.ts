/** A small province for dossier tests: agencies, procedures, and helpers to post events. */
import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import { ADMIN, type TestApp } from "./test-app.js";

export const PROVINCE = "000.00.00.H22";
export const JUSTICE = "000.00.01.H22";
export const TAX = "000.00.02.H22";

const days = (value: number) => ({ value, unit: "working_days" });

/** 3 committed / 5 legal working days, pause policy, a control sheet of three steps. */
export const BIRTH = "1.000001";
/** 2 committed / 3 legal working days, restart policy, no steps. */
export const LAND = "1.000002";

export async function seedProvince(t: TestApp): Promise<void> {
  await t.http.put(`/v1/agencies/${PROVINCE}`).set(ADMIN).send({ name: "UBND tỉnh Hưng Yên" }).expect(201);
  await t.http.put(`/v1/agencies/${JUSTICE}`).set(ADMIN).send({ name: "Sở Tư pháp", parentCode: PROVINCE }).expect(201);
  await t.http.put(`/v1/agencies/${TAX}`).set(ADMIN).send({ name: "Cục Thuế", parentCode: PROVINCE }).expect(201);
  await t.http
    .put(`/v1/procedures/${BIRTH}`)
    .set(ADMIN)
    .send({
      name: "Đăng ký khai sinh",
      fieldCode: "HT",
      fieldName: "Hộ tịch",
      legalDuration: days(5),
      committedDuration: days(3),
      steps: [
        { code: "reception", name: "Tiếp nhận", budget: days(0.25) },
        { code: "review", name: "Thẩm định", budget: days(1.75) },
        { code: "tax", name: "Xác định nghĩa vụ tài chính", agencyCode: TAX, budget: days(1) },
      ],
    })
    .expect(201);
  await t.http
    .put(`/v1/procedures/${LAND}`)
    .set(ADMIN)
    .send({ name: "Đăng ký biến động đất đai", fieldCode: "DD", fieldName: "Đất đai", legalDuration: days(3), committedDuration: days(2), supplementPolicy: "restart" })
    .expect(201);
}

export const applicant = { kind: "citizen", name: "Nguyễn Văn An", idNumber: "001090012345", phone: "0912345678", address: "Hưng Yên" };

export function receive(t: TestApp, body: Record<string, unknown> = {}, auth: Record<string, string> = ADMIN) {
  return t.http
    .post("/v1/dossiers")
    .set(auth)
    .send({ procedureCode: BIRTH, receivingAgencyCode: JUSTICE, channel: "direct", receivedAt: "2025-03-03T08:00:00+07:00", applicant, ...body });
}

export async function received(t: TestApp, body: Record<string, unknown> = {}): Promise<string> {
  const res = await receive(t, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.receiptCode as string;
}

export const event = (type: string, occurredAt: string, fields: Record<string, unknown> = {}) => ({
  eventId: randomUUID(),
  type,
  occurredAt,
  agencyCode: JUSTICE,
  ...fields,
});

export const postEvent = (t: TestApp, code: string, body: unknown, auth: Record<string, string> = ADMIN) =>
  t.http.post(`/v1/dossiers/${code}/events`).set(auth).send(body as object);
