/** The citizen portal's lookup (API.md "Public", DOMAIN.md §9). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/test-app.js";
import { JUSTICE, applicant, event, postEvent, received, seedProvince } from "../support/dossier-fixtures.js";

let t: TestApp;
let code: string;
beforeAll(async () => {
  t = await startTestApp({ now: () => Date.parse("2025-06-30T10:00:00+07:00"), publicRateLimit: { max: 8, timeWindowMs: 60_000 } });
  await seedProvince(t);
  code = await received(t);
  await postEvent(t, code, {
    events: [
      event("transferred", "2025-03-03T09:00:00+07:00", { toAgencyCode: JUSTICE }),
      event("result_ready", "2025-03-04T09:00:00+07:00", { outcome: "approved" }),
    ],
  }).expect(201);
});
afterAll(async () => t.close());

// The same X-Request-Id on every lookup: answers then differ only by what the service tells.
const lookup = (receiptCode: string, idNumber: string) => t.http.get(`/v1/public/dossiers/${receiptCode}?idNumber=${idNumber}`).set("X-Request-Id", "portal-lookup");

describe("public lookup", () => {
  it("shows status, dates, the handling agency and the history, with the name masked and no contact details", async () => {
    const res = await lookup(code, applicant.idNumber).expect(200);
    expect(res.body).toEqual({
      receiptCode: code,
      procedureName: "Đăng ký khai sinh",
      agencyName: "Sở Tư pháp",
      status: "result_ready",
      statusLabel: { vi: expect.any(String), en: expect.any(String) },
      receivedAt: "2025-03-03T08:00:00+07:00",
      dueAt: "2025-03-06T08:00:00+07:00",
      rescheduledDueAt: null,
      finishedAt: "2025-03-04T09:00:00+07:00",
      returnedAt: null,
      applicantName: "N. A.",
      history: [
        { status: "received", statusLabel: expect.any(Object), at: "2025-03-03T08:00:00+07:00" },
        { status: "in_progress", statusLabel: expect.any(Object), at: "2025-03-03T09:00:00+07:00" },
        { status: "result_ready", statusLabel: expect.any(Object), at: "2025-03-04T09:00:00+07:00" },
      ],
    });
    for (const secret of [applicant.phone, applicant.address, applicant.idNumber, "Nguyễn"]) expect(res.text).not.toContain(secret);
  });

  it("answers a wrong identity number byte for byte like an unknown receipt code", async () => {
    const wrongNumber = await lookup(code, "999999999999").expect(404);
    const unknownCode = await lookup(`${code.slice(0, -4)}9999`, applicant.idNumber).expect(404);
    expect(wrongNumber.text).toBe(unknownCode.text);
    expect(wrongNumber.headers["content-type"]).toBe(unknownCode.headers["content-type"]);
    expect(wrongNumber.body).toMatchObject({ status: 404, title: "Not Found" });
    expect(wrongNumber.text).not.toContain("999999999999");
  });

  it("refuses a malformed identity number with 400 and rate-limits per address with 429 and Retry-After", async () => {
    await lookup(code, "x'--").expect(400);
    let last;
    for (let i = 0; i < 10; i++) last = await lookup(code, applicant.idNumber);
    expect(last!.status).toBe(429);
    expect(Number(last!.headers["retry-after"])).toBeGreaterThan(0);
    expect(last!.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(last!.body).toMatchObject({ status: 429 });
  });
});

describe("request logs", () => {
  it("never contain the portal's identity number", async () => {
    const { Writable } = await import("node:stream");
    const { buildServiceApp } = await import("../../src/composition.js");
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const app = await buildServiceApp({ config: { dbFile: ":memory:", adminKey: undefined, logLevel: "info" }, logger: { stream } });
    await app.inject({ method: "GET", url: "/v1/public/dossiers/X-250101-0001?idNumber=001090012345" });
    await app.close();
    const incoming = lines.find((l) => l.includes("incoming request"));
    expect(incoming).toContain("idNumber=[redacted]");
    expect(lines.join("")).not.toContain("001090012345");
  });
});
