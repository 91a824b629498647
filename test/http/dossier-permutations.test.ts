/**
 * Front desks sync late and out of order (DOMAIN.md §4): any permutation of a valid event set,
 * posted as one batch, must yield exactly the state of in-order posting, one event at a time.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, startTestApp, type TestApp } from "../support/test-app.js";
import { JUSTICE, TAX, event, postEvent, received, seedProvince } from "../support/dossier-fixtures.js";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ now: () => Date.parse("2025-06-30T10:00:00+07:00") });
  await seedProvince(t);
});
afterAll(async () => t.close());

const history = () => [
  event("transferred", "2025-03-03T09:00:00+07:00", { toAgencyCode: JUSTICE, stepCode: "review" }),
  event("supplement_requested", "2025-03-03T14:00:00+07:00", { reason: "Thiếu tờ khai", items: ["Tờ khai"] }),
  event("supplement_received", "2025-03-04T10:00:00+07:00"),
  event("transferred", "2025-03-05T09:00:00+07:00", { toAgencyCode: TAX, stepCode: "tax" }),
  event("suspended", "2025-03-05T15:00:00+07:00", { reason: "financial_obligation", agencyCode: TAX }),
  event("resumed", "2025-03-06T08:00:00+07:00", { agencyCode: TAX }),
  event("result_ready", "2025-03-07T09:00:00+07:00", { outcome: "approved", agencyCode: TAX }),
  event("returned", "2025-03-07T10:00:00+07:00", { method: "online" }),
];

async function observed(code: string) {
  const { receiptCode: _code, ...dossier } = (await t.http.get(`/v1/dossiers/${code}`).set(ADMIN).expect(200)).body;
  const timeline = (await t.http.get(`/v1/dossiers/${code}/events`).set(ADMIN).expect(200)).body.items.map(
    ({ eventId: _id, recordedAt: _at, ...rest }: Record<string, unknown>) => rest,
  );
  return { dossier, timeline };
}

describe("retroactive delivery", () => {
  it("folds any permutation posted as one batch to the in-order state", async () => {
    const reference = await received(t);
    for (const e of history()) await postEvent(t, reference, e).expect(201);
    const expected = await observed(reference);
    expect(expected.dossier).toMatchObject({ status: "returned", eventCount: 8 });

    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(history().map((_, i) => i), { minLength: 8, maxLength: 8 }), async (order) => {
        const events = history();
        const code = await received(t);
        await postEvent(t, code, { events: order.map((i) => events[i]) }).expect(201);
        expect(await observed(code)).toEqual(expected);
      }),
      { numRuns: 25 },
    );
  });
});
