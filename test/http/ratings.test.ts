/** Satisfaction ratings (API.md "Public", DOMAIN.md §9) and their place in the Decision 766 scorecard. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, startTestApp, type TestApp } from "../support/test-app.js";
import { JUSTICE, applicant, event, postEvent, received, seedProvince } from "../support/dossier-fixtures.js";

let t: TestApp;
let done: string[];
let open: string;
beforeAll(async () => {
  t = await startTestApp({ now: () => Date.parse("2025-06-30T10:00:00+07:00") });
  await seedProvince(t);
  done = [];
  for (let i = 0; i < 2; i++) {
    const code = await received(t, { receivedAt: "2025-06-16T08:00:00+07:00" });
    await postEvent(t, code, event("result_ready", "2025-06-17T09:00:00+07:00", { outcome: "approved" })).expect(201);
    done.push(code);
  }
  open = await received(t, { receivedAt: "2025-06-16T08:00:00+07:00" });
});
afterAll(async () => t.close());

const rate = (code: string, body: Record<string, unknown>) =>
  t.http.post(`/v1/public/dossiers/${code}/rating`).send({ idNumber: applicant.idNumber, ...body });

describe("ratings", () => {
  it("takes one rating per dossier once the result is ready", async () => {
    const res = await rate(done[0]!, { level: "very_satisfied" }).expect(201);
    expect(res.body).toEqual({ receiptCode: done[0], level: "very_satisfied", reason: null, ratedAt: "2025-06-30T10:00:00+07:00" });
    await rate(done[0]!, { level: "satisfied" }).expect(409);
  });

  it.each([
    ["before the result", () => open, { level: "satisfied" }, 422],
    ["dissatisfied without a reason", () => done[1]!, { level: "dissatisfied" }, 400],
    ["dissatisfied with a blank reason", () => done[1]!, { level: "dissatisfied", reason: "  " }, 400],
    ["an unknown level", () => done[1]!, { level: "meh" }, 400],
    ["a wrong identity number", () => done[1]!, { level: "satisfied", idNumber: "999999999999" }, 404],
  ])("refuses %s", async (_name, code, body, status) => {
    await rate(code(), body).expect(status);
  });

  it("counts dissatisfied ratings in the scorecard's satisfaction", async () => {
    await rate(done[1]!, { level: "dissatisfied", reason: "Phải đi lại nhiều lần" }).expect(201);
    const res = await t.http.get(`/v1/stats/scorecard?period=2025-07&agencyCode=${JUSTICE}`).set(ADMIN).expect(200);
    // Resolved 2, none late; 2 ratings, 1 dissatisfied: 100 − (0 + 50) = 50% -> 18 × 50/90 = 10 points.
    expect(res.body.groups.find((g: { key: string }) => g.key === "satisfaction")).toMatchObject({ rate: 50, points: 10 });
  });
});
