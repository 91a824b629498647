/**
 * Conditional reads (issue #14 item 7): ETag on dossier, catalog and report reads; If-None-Match
 * answers 304 with no body; a dossier read answered 304 is still in the access audit.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, startTestApp, type TestApp } from "../support/test-app.js";
import { event, JUSTICE, postEvent, received, seedProvince } from "../support/dossier-fixtures.js";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await seedProvince(t);
});
afterAll(() => t.close());

const STRONG_TAG = /^"[A-Za-z0-9_-]{22}"$/;

async function revalidates(url: string, headers: Record<string, string> = {}): Promise<string> {
  const first = await t.http.get(url).set({ ...ADMIN, ...headers }).expect(200);
  const tag = first.headers.etag as string;
  expect(tag, url).toMatch(STRONG_TAG);
  const again = await t.http.get(url).set({ ...ADMIN, ...headers, "If-None-Match": tag }).expect(304);
  expect(again.text ?? "", url).toBe("");
  expect(again.headers.etag).toBe(tag);
  expect(again.headers["content-length"] ?? "0").toBe("0");
  return tag;
}

describe("dossier reads", () => {
  it("answers a current tag with 304, and records that read in the access audit", async () => {
    const code = await received(t);
    const tag = await revalidates(`/v1/dossiers/${code}`);
    t.app.services.audit.flush();
    const audit = await t.http.get(`/v1/audit?receiptCode=${code}`).set(ADMIN).expect(200);
    expect(audit.body.items.filter((e: { action: string }) => e.action === "dossier.read")).toHaveLength(2);

    // Changed by an event: the old tag no longer matches, the full dossier comes back with a new one.
    await postEvent(t, code, event("transferred", "2025-03-03T09:00:00+07:00", { toAgencyCode: JUSTICE, stepCode: "review" })).expect(201);
    const changed = await t.http.get(`/v1/dossiers/${code}`).set({ ...ADMIN, "If-None-Match": tag }).expect(200);
    expect(changed.body.eventCount).toBe(1);
    expect(changed.headers.etag).toMatch(STRONG_TAG);
    expect(changed.headers.etag).not.toBe(tag);
  });

  it("compares weakly, as If-None-Match does: W/ tags, lists and *", async () => {
    const code = await received(t);
    const url = `/v1/dossiers/${code}`;
    const tag = (await t.http.get(url).set(ADMIN).expect(200)).headers.etag as string;
    await t.http.get(url).set({ ...ADMIN, "If-None-Match": `W/${tag}` }).expect(304);
    await t.http.get(url).set({ ...ADMIN, "If-None-Match": `"other", ${tag}` }).expect(304);
    await t.http.get(url).set({ ...ADMIN, "If-None-Match": "*" }).expect(304);
    await t.http.get(url).set({ ...ADMIN, "If-None-Match": '"other"' }).expect(200);
  });

  it("tags the listing and the timeline too", async () => {
    const code = await received(t);
    await revalidates("/v1/dossiers?limit=5");
    await revalidates(`/v1/dossiers/${code}/events`);
  });

  it("sends no tag on refusals and writes", async () => {
    const missing = await t.http.get("/v1/dossiers/000.00.01.H22-250303-7777").set(ADMIN).expect(404);
    expect(missing.headers.etag).toBeUndefined();
    const code = await received(t);
    const write = await postEvent(t, code, event("withdrawal_requested", "2025-03-03T09:00:00+07:00")).expect(201);
    expect(write.headers.etag).toBeUndefined();
  });
});

describe("catalog reads", () => {
  it.each(["/v1/calendars", "/v1/calendars/vn", "/v1/calendars/vn/days?from=2025-01-01&to=2025-12-31", "/v1/agencies", `/v1/agencies/${JUSTICE}`, "/v1/procedures"])(
    "revalidates %s",
    async (url) => {
      await revalidates(url);
    },
  );

  it("changes an agency's tag when the agency changes", async () => {
    await t.http.put("/v1/agencies/ETAG1").set(ADMIN).send({ name: "Phòng Một" }).expect(201);
    const tag = await revalidates("/v1/agencies/ETAG1");
    await t.http.put("/v1/agencies/ETAG1").set(ADMIN).send({ name: "Phòng Hai" }).expect(200);
    const res = await t.http.get("/v1/agencies/ETAG1").set({ ...ADMIN, "If-None-Match": tag }).expect(200);
    expect(res.body.name).toBe("Phòng Hai");
  });
});

describe("report reads", () => {
  it("tags the JSON and the CSV of a report apart, and revalidates each", async () => {
    const url = "/v1/stats/timeliness?from=2025-01-01&to=2025-12-31";
    const json = await revalidates(url);
    const csv = await revalidates(url, { Accept: "text/csv" });
    expect(csv).not.toBe(json);
    await revalidates("/v1/stats/scorecard?from=2025-01-01&to=2025-12-31");
  });
});
