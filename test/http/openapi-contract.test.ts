/**
 * The event body as the spec states it (a union discriminated by `type`) and as the server
 * validates it (one loose object, then each type's fields in toDossierEvent) accept exactly the
 * same events: for every type, its own fields, each missing required field, each field of another
 * type, a wrong enum value and blank text, the published schema and the real app agree.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { AjvCompiler } from "@fastify/ajv-compiler";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/config.js";
import { EVENT_TYPES, type EventType } from "../../src/domain/dossier/dossier-types.js";
import { ENUM_FIELDS, FIELDS_BY_TYPE, TYPE_FIELDS, type TypeField } from "../../src/domain/dossier/event-input.js";
import { ADMIN, startTestApp, type TestApp } from "../support/test-app.js";
import { JUSTICE } from "../support/dossier-fixtures.js";

// Ajv's discriminator reads each branch's `type` const and does not take OpenAPI's `mapping` (which names the same branches).
const spec = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "openapi", "openapi.json"), "utf8"), (key, value) =>
  key === "discriminator" ? { propertyName: value.propertyName } : value,
) as { components: unknown };
const validate = AjvCompiler()({}, { customOptions: { strict: false, allErrors: true, discriminator: true, removeAdditional: false, useDefaults: false, coerceTypes: false } } as never)({
  schema: { components: spec.components, allOf: [{ $ref: "#/components/schemas/EventSubmission" }] },
  method: "POST",
  url: "/",
  httpPart: "body",
} as never) as (body: unknown) => boolean;

const SAMPLES: Record<TypeField, unknown> = {
  toAgencyCode: JUSTICE,
  stepCode: "review",
  reason: "Thiếu giấy chứng sinh",
  items: ["Giấy chứng sinh"],
  outcome: "approved",
  method: "counter",
  replyDueAt: "2025-03-10T09:00:00+07:00",
  fromAgencyCode: JUSTICE,
};
const sample = (type: EventType, field: TypeField) => (ENUM_FIELDS[type]?.field === field ? ENUM_FIELDS[type]!.values[0] : SAMPLES[field]);

function variants(type: EventType): [string, Record<string, unknown>][] {
  const { required, optional } = FIELDS_BY_TYPE[type];
  const base = { eventId: randomUUID(), type, occurredAt: "2025-03-03T09:00:00+07:00", agencyCode: JUSTICE, ...Object.fromEntries(required.map((f) => [f, sample(type, f)])) };
  const out: [string, Record<string, unknown>][] = [[`${type}`, base]];
  for (const f of optional) out.push([`${type} + ${f}`, { ...base, [f]: sample(type, f) }]);
  for (const f of required) {
    const { [f]: _dropped, ...rest } = base as Record<string, unknown>;
    out.push([`${type} - ${f}`, rest]);
    if (typeof base[f as keyof typeof base] === "string") out.push([`${type} with blank ${f}`, { ...base, [f]: "   " }]);
  }
  for (const f of TYPE_FIELDS.filter((f) => !required.includes(f) && !optional.includes(f))) out.push([`${type} + foreign ${f}`, { ...base, [f]: SAMPLES[f] }]);
  const enumField = ENUM_FIELDS[type];
  if (enumField) out.push([`${type} with ${enumField.field} "lunch"`, { ...base, [enumField.field]: "lunch" }]);
  return out;
}
const cases = EVENT_TYPES.flatMap(variants);

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe("the published event union and the server", () => {
  it("cover every type, with refusals among the cases", () => {
    expect(cases.length).toBeGreaterThan(100);
    expect(cases.filter(([, body]) => !validate(body)).length).toBeGreaterThan(50);
  });

  // An unknown dossier: the body is checked first (400), a valid one then finds no dossier (404).
  it.each(cases)("agree on %s", async (_name, body) => {
    // (The validator must not change the body it judges: no removeAdditional, no defaults, no coercion.)
    const single = await t.http.post("/v1/dossiers/NO.SUCH-250303-0001/events").set(ADMIN).send(body);
    expect([400, 404]).toContain(single.status);
    expect(single.status === 404, JSON.stringify(single.body)).toBe(validate(body));
    const batch = await t.http.post("/v1/dossiers/NO.SUCH-250303-0001/events").set(ADMIN).send({ events: [body] });
    expect(batch.status === 404, JSON.stringify(batch.body)).toBe(validate({ events: [body] }));
  });
});

describe("timestamps", () => {
  it("are documented as date-time, and still accepted without seconds as before (ISO 8601 with an offset)", async () => {
    const components = spec.components as { schemas: Record<string, { properties: Record<string, { format?: string }> }> };
    expect(components.schemas.ReturnedEvent!.properties.occurredAt!.format).toBe("date-time");
    expect(components.schemas.Dossier!.properties.dueAt!.format).toBe("date-time");
    const body = { eventId: randomUUID(), type: "resumed", occurredAt: "2025-03-03T09:00+07:00", agencyCode: JUSTICE };
    await t.http.post("/v1/dossiers/NO.SUCH-250303-0001/events").set(ADMIN).send(body).expect(404);
    const offsetless = await t.http.post("/v1/dossiers/NO.SUCH-250303-0001/events").set(ADMIN).send({ ...body, occurredAt: "2025-03-03T09:00:00" }).expect(400);
    expect(offsetless.body.errors[0].field).toBe("occurredAt");
  });
});
