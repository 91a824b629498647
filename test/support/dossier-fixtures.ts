/** The shared small province (scripts/fixtures/province.ts) for dossier tests, and helpers to post events. */
import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import { ADMIN, type TestApp } from "./test-app.js";
import { BIRTH, JUSTICE, PROVINCE_AGENCIES, PROVINCE_PROCEDURES } from "../../scripts/fixtures/province.js";

export { BIRTH, JUSTICE, LAND, PROVINCE, TAX } from "../../scripts/fixtures/province.js";

export async function seedProvince(t: TestApp): Promise<void> {
  for (const { code, body } of PROVINCE_AGENCIES) await t.http.put(`/v1/agencies/${code}`).set(ADMIN).send(body).expect(201);
  for (const [code, body] of Object.entries(PROVINCE_PROCEDURES)) await t.http.put(`/v1/procedures/${code}`).set(ADMIN).send(body).expect(201);
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
