/**
 * Object-level authorization, table-driven: every staff route × every kind of caller. A desk acts
 * only for its agencies (and those below them), a reporter reads, an admin does everything; a
 * refusal writes nothing. The table must name every staff route of the OpenAPI document, so a new
 * route cannot ship without its row.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, startTestApp, totalChanges, type TestApp } from "../support/test-app.js";
import { applicant, BIRTH, event, JUSTICE, PROVINCE, received, seedProvince, TAX } from "../support/dossier-fixtures.js";

type Caller = "admin" | "reporter" | "ownDesk" | "otherDesk";
const CALLERS: Caller[] = ["admin", "reporter", "ownDesk", "otherDesk"];

interface Row {
  readonly method: "GET" | "POST" | "PUT" | "DELETE";
  /** The OpenAPI path, e.g. /v1/dossiers/{receiptCode}. */
  readonly path: string;
  /** Builds a fresh request (a new dossier or key where the request consumes one). */
  readonly request: () => Promise<{ url: string; body?: unknown }>;
  readonly expected: Record<Caller, number>;
}

const ALL = (status: number): Record<Caller, number> => ({ admin: status, reporter: status, ownDesk: status, otherDesk: status });
const ADMIN_ONLY = (status: number): Record<Caller, number> => ({ admin: status, reporter: 403, ownDesk: 403, otherDesk: 403 });
/** Reads of a dossier: its agencies' desks, reporters and admins; another agency's desk is refused. */
const DOSSIER_READ: Record<Caller, number> = { admin: 200, reporter: 200, ownDesk: 200, otherDesk: 403 };
const DOSSIER_WRITE: Record<Caller, number> = { admin: 201, reporter: 403, ownDesk: 201, otherDesk: 403 };
const STATS: Record<Caller, number> = { admin: 200, reporter: 200, ownDesk: 403, otherDesk: 403 };

describe("access: route × caller", () => {
  let t: TestApp;
  const auth = {} as Record<Caller, Record<string, string>>;
  let dossier = "";
  let letterNumber = 0;

  beforeAll(async () => {
    t = await startTestApp();
    await seedProvince(t);
    for (const [caller, body] of [
      ["reporter", { name: "reporting tool", role: "reporter" }],
      ["ownDesk", { name: "Justice desk", role: "desk", agencyCodes: [JUSTICE] }],
      ["otherDesk", { name: "Tax desk", role: "desk", agencyCodes: [TAX] }],
    ] as const) {
      const res = await t.http.post("/v1/api-keys").set(ADMIN).send(body).expect(201);
      auth[caller] = { Authorization: `Bearer ${res.body.key}` };
    }
    auth.admin = ADMIN;
    dossier = await received(t);
    const letter = await t.http
      .post(`/v1/dossiers/${dossier}/apology-letters`)
      .set(ADMIN)
      .send({ agencyCode: JUSTICE, reason: "Chờ xác minh", newDueAt: "2025-03-20T17:00:00+07:00" })
      .expect(201);
    letterNumber = letter.body.number;
  });
  afterAll(() => t.close());

  const freshDossier = () => received(t);
  /** A dossier received on 1 Oct 2025 (Circular 03/2025's forms) with a supplement request, a refused result or a stop. */
  const papers = new Map<string, Promise<string>>();
  const withPaper = (paper: "supplement" | "refusal" | "stop") => {
    let code = papers.get(paper);
    if (code === undefined) {
      code = (async () => {
        const c = await received(t, { receivedAt: "2025-10-01T08:00:00+07:00" });
        const events = {
          supplement: [
            event("transferred", "2025-10-01T09:00:00+07:00", { toAgencyCode: JUSTICE, stepCode: "review" }),
            event("supplement_requested", "2025-10-02T09:00:00+07:00", { reason: "Thiếu giấy tờ" }),
          ],
          refusal: [event("result_ready", "2025-10-02T09:00:00+07:00", { outcome: "refused", note: "Không đủ điều kiện" })],
          stop: [event("stopped", "2025-10-02T09:00:00+07:00", { reason: "Người nộp đề nghị dừng" })],
        }[paper];
        await t.http.post(`/v1/dossiers/${c}/events`).set(ADMIN).send({ events }).expect(201);
        return c;
      })();
      papers.set(paper, code);
    }
    return code;
  };
  const freshKeyId = async () => (await t.http.post("/v1/api-keys").set(ADMIN).send({ name: "to revoke", role: "reporter" }).expect(201)).body.id as string;
  const hook = { url: "https://hooks.example.vn/motcua", events: ["dossier.received"] };
  const freshHook = async () => (await t.http.post("/v1/webhooks").set(ADMIN).send(hook).expect(201)).body.id as string;
  const static_ = (url: string, body?: unknown) => async () => ({ url, ...(body !== undefined ? { body } : {}) });
  let publishedYear = 2100;
  const publication = (year: number) => ({
    document: { number: "01/TB-THU", date: "2025-12-01" },
    days: [{ date: `${year}-01-01`, kind: "day_off", name: "Tết Dương lịch" }],
  });

  const ROWS: Row[] = [
    { method: "POST", path: "/v1/api-keys", request: static_("/v1/api-keys", { name: "k", role: "reporter" }), expected: ADMIN_ONLY(201) },
    { method: "GET", path: "/v1/api-keys", request: static_("/v1/api-keys"), expected: ADMIN_ONLY(200) },
    { method: "DELETE", path: "/v1/api-keys/{id}", request: async () => ({ url: `/v1/api-keys/${await freshKeyId()}` }), expected: ADMIN_ONLY(204) },
    { method: "GET", path: "/v1/calendars", request: static_("/v1/calendars"), expected: ALL(200) },
    { method: "GET", path: "/v1/calendars/{calendarId}", request: static_("/v1/calendars/vn"), expected: ALL(200) },
    {
      method: "PUT",
      path: "/v1/calendars/{calendarId}",
      request: static_("/v1/calendars/hy", {
        name: "Hưng Yên",
        timeZone: "Asia/Ho_Chi_Minh",
        weeklyHours: { mon: [["07:30", "11:30"]], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
        sameDayCutoff: "15:00",
      }),
      expected: ADMIN_ONLY(201),
    },
    { method: "GET", path: "/v1/calendars/{calendarId}/days", request: static_("/v1/calendars/vn/days?from=2025-01-01&to=2025-12-31"), expected: ALL(200) },
    {
      method: "PUT",
      path: "/v1/calendars/{calendarId}/days/{date}",
      request: static_("/v1/calendars/vn/days/2025-12-31", { kind: "day_off", name: "Test" }),
      expected: ADMIN_ONLY(201),
    },
    { method: "DELETE", path: "/v1/calendars/{calendarId}/days/{date}", request: static_("/v1/calendars/vn/days/2025-12-31"), expected: ADMIN_ONLY(204) },
    {
      method: "PUT",
      path: "/v1/calendars/{calendarId}/years/{year}",
      // A year never published before, so that the admin's call is a first publication (201).
      request: async () => ({ url: `/v1/calendars/vn/years/${++publishedYear}`, body: publication(publishedYear) }),
      expected: ADMIN_ONLY(201),
    },
    {
      method: "GET",
      path: "/v1/calendars/{calendarId}/years/{year}",
      request: async () => {
        await t.http.put("/v1/calendars/vn/years/2099").set(ADMIN).send(publication(2099)); // 201, then 200 writing nothing
        return { url: "/v1/calendars/vn/years/2099" };
      },
      expected: ALL(200),
    },
    {
      method: "POST",
      path: "/v1/calendars/{calendarId}/deadlines",
      request: static_("/v1/calendars/vn/deadlines", { start: "2025-03-03T08:00:00+07:00", duration: { value: 3, unit: "working_days" } }),
      expected: ALL(200),
    },
    { method: "GET", path: "/v1/agencies", request: static_("/v1/agencies"), expected: ALL(200) },
    { method: "GET", path: "/v1/agencies/{agencyCode}", request: static_(`/v1/agencies/${JUSTICE}`), expected: ALL(200) },
    { method: "PUT", path: "/v1/agencies/{agencyCode}", request: async () => ({ url: `/v1/agencies/X${Date.now()}${Math.random().toString().slice(2, 8)}`, body: { name: "Sở mới", parentCode: PROVINCE } }), expected: ADMIN_ONLY(201) },
    { method: "GET", path: "/v1/procedures", request: static_("/v1/procedures"), expected: ALL(200) },
    { method: "GET", path: "/v1/procedures/{procedureCode}", request: static_(`/v1/procedures/${BIRTH}`), expected: ALL(200) },
    { method: "GET", path: "/v1/procedures/{procedureCode}/versions", request: static_(`/v1/procedures/${BIRTH}/versions`), expected: ALL(200) },
    {
      method: "PUT",
      path: "/v1/procedures/{procedureCode}",
      request: async () => ({
        url: `/v1/procedures/9.${Math.random().toString().slice(2, 9)}`,
        body: { name: "Thủ tục mới", fieldCode: "HT", fieldName: "Hộ tịch", legalDuration: { value: 5, unit: "working_days" } },
      }),
      expected: ADMIN_ONLY(201),
    },
    {
      method: "POST",
      path: "/v1/dossiers",
      request: static_("/v1/dossiers", { procedureCode: BIRTH, receivingAgencyCode: JUSTICE, channel: "direct", receivedAt: "2025-03-03T08:00:00+07:00", applicant }),
      expected: DOSSIER_WRITE,
    },
    { method: "GET", path: "/v1/dossiers", request: static_("/v1/dossiers"), expected: ALL(200) },
    { method: "GET", path: "/v1/dossiers/{receiptCode}", request: async () => ({ url: `/v1/dossiers/${dossier}` }), expected: DOSSIER_READ },
    {
      method: "POST",
      path: "/v1/dossiers/{receiptCode}/events",
      request: async () => ({
        url: `/v1/dossiers/${await freshDossier()}/events`,
        body: event("transferred", "2025-03-03T09:00:00+07:00", { toAgencyCode: JUSTICE, stepCode: "review" }),
      }),
      expected: DOSSIER_WRITE,
    },
    { method: "GET", path: "/v1/dossiers/{receiptCode}/events", request: async () => ({ url: `/v1/dossiers/${dossier}/events` }), expected: DOSSIER_READ },
    {
      method: "POST",
      path: "/v1/dossiers/{receiptCode}/apology-letters",
      request: async () => ({
        url: `/v1/dossiers/${await freshDossier()}/apology-letters`,
        body: { agencyCode: JUSTICE, reason: "Chờ xác minh", newDueAt: "2025-03-20T17:00:00+07:00" },
      }),
      expected: DOSSIER_WRITE,
    },
    { method: "GET", path: "/v1/dossiers/{receiptCode}/apology-letters", request: async () => ({ url: `/v1/dossiers/${dossier}/apology-letters` }), expected: DOSSIER_READ },
    {
      method: "GET",
      path: "/v1/dossiers/{receiptCode}/apology-letters/{number}",
      request: async () => ({ url: `/v1/dossiers/${dossier}/apology-letters/${letterNumber}` }),
      expected: DOSSIER_READ,
    },
    { method: "GET", path: "/v1/dossiers/{receiptCode}/receipt", request: async () => ({ url: `/v1/dossiers/${dossier}/receipt` }), expected: DOSSIER_READ },
    // The printable forms (issue #13): a dossier that has the paper, read like the dossier itself.
    {
      method: "GET",
      path: "/v1/dossiers/{receiptCode}/supplement-request",
      request: async () => ({ url: `/v1/dossiers/${await withPaper("supplement")}/supplement-request` }),
      expected: DOSSIER_READ,
    },
    { method: "GET", path: "/v1/dossiers/{receiptCode}/refusal", request: async () => ({ url: `/v1/dossiers/${await withPaper("refusal")}/refusal` }), expected: DOSSIER_READ },
    { method: "GET", path: "/v1/dossiers/{receiptCode}/stop-notice", request: async () => ({ url: `/v1/dossiers/${await withPaper("stop")}/stop-notice` }), expected: DOSSIER_READ },
    { method: "GET", path: "/v1/dossiers/{receiptCode}/control-sheet", request: async () => ({ url: `/v1/dossiers/${dossier}/control-sheet` }), expected: DOSSIER_READ },
    // The register of an agency: admins, reporters and that agency's desks.
    { method: "GET", path: "/v1/agencies/{agencyCode}/register", request: static_(`/v1/agencies/${JUSTICE}/register?from=2025-03-01&to=2025-03-31`), expected: DOSSIER_READ },
    { method: "GET", path: "/v1/stats/timeliness", request: static_("/v1/stats/timeliness?period=2025"), expected: STATS },
    { method: "GET", path: "/v1/stats/scorecard", request: static_("/v1/stats/scorecard?period=2025"), expected: STATS },
    { method: "GET", path: "/v1/audit", request: async () => ({ url: `/v1/audit?receiptCode=${dossier}` }), expected: ADMIN_ONLY(200) },
    // Outbound (issue #15): webhooks and the portal sync are the administrator's; the portal record reads like the dossier.
    { method: "POST", path: "/v1/webhooks", request: static_("/v1/webhooks", hook), expected: ADMIN_ONLY(201) },
    { method: "GET", path: "/v1/webhooks", request: static_("/v1/webhooks"), expected: ADMIN_ONLY(200) },
    { method: "DELETE", path: "/v1/webhooks/{id}", request: async () => ({ url: `/v1/webhooks/${await freshHook()}` }), expected: ADMIN_ONLY(204) },
    { method: "POST", path: "/v1/webhooks/{id}/rotate", request: async () => ({ url: `/v1/webhooks/${await freshHook()}/rotate` }), expected: ADMIN_ONLY(200) },
    { method: "GET", path: "/v1/webhooks/{id}/deliveries", request: async () => ({ url: `/v1/webhooks/${await freshHook()}/deliveries` }), expected: ADMIN_ONLY(200) },
    {
      method: "POST",
      path: "/v1/webhooks/{id}/resend",
      request: async () => ({ url: `/v1/webhooks/${await freshHook()}/resend`, body: { messageIds: ["msg_unknown"] } }),
      expected: ADMIN_ONLY(400),
    },
    { method: "GET", path: "/v1/portal-sync", request: static_("/v1/portal-sync"), expected: ADMIN_ONLY(200) },
    { method: "POST", path: "/v1/portal-sync/resend", request: async () => ({ url: "/v1/portal-sync/resend", body: { receiptCodes: [dossier] } }), expected: ADMIN_ONLY(422) },
    { method: "GET", path: "/v1/dossiers/{receiptCode}/portal-record", request: async () => ({ url: `/v1/dossiers/${dossier}/portal-record` }), expected: DOSSIER_READ },
  ];

  const send = (method: Row["method"], url: string, headers: Record<string, string>, body?: unknown) => {
    const req = t.http[method.toLowerCase() as "get" | "post" | "put" | "delete"](url).set(headers);
    return body === undefined ? req : req.send(body as object);
  };

  it("has a row for every staff route of the OpenAPI document", () => {
    const documented = Object.entries((t.app.swagger() as { paths: Record<string, Record<string, unknown>> }).paths)
      .filter(([path]) => path.startsWith("/v1/") && !path.startsWith("/v1/public/"))
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    expect(ROWS.map((r) => `${r.method} ${r.path}`).sort()).toEqual(documented.sort());
  });

  describe.each(ROWS.map((row) => [`${row.method} ${row.path}`, row] as const))("%s", (_name, row) => {
    it.each(CALLERS)("answers %s as the table says; a refusal writes nothing", async (caller) => {
      const { url, body } = await row.request();
      const before = await totalChanges(t);
      const res = await send(row.method, url, auth[caller], body);
      expect(res.status, `${caller}: ${JSON.stringify(res.body)}`).toBe(row.expected[caller]);
      if (res.status >= 400) {
        expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
        expect(res.body.status).toBe(res.status);
        expect(await totalChanges(t)).toBe(before);
      }
    });

    it("answers 401 without a key or with an unknown one, writing nothing", async () => {
      const { url, body } = await row.request();
      const before = await totalChanges(t);
      const anonymous: Record<string, string>[] = [{}, { Authorization: `Bearer mc_${randomUUID()}` }, { Authorization: "Basic YWRtaW46YWRtaW4=" }];
      for (const headers of anonymous) {
        const res = await send(row.method, url, headers, body);
        expect(res.status).toBe(401);
        expect(res.headers["www-authenticate"]).toMatch(/^Bearer/);
      }
      expect(await totalChanges(t)).toBe(before);
    });
  });

  it("lists to a desk only the dossiers of its own agencies", async () => {
    const codes = async (caller: Caller) => ((await send("GET", "/v1/dossiers?limit=200", auth[caller])).body.items as { receiptCode: string }[]).map((i) => i.receiptCode);
    expect(await codes("ownDesk")).toContain(dossier);
    expect(await codes("reporter")).toContain(dossier);
    expect(await codes("otherDesk")).not.toContain(dossier);
    // Asking for another agency by name does not widen a desk's view.
    const res = await send("GET", `/v1/dossiers?agencyCode=${JUSTICE}`, auth.otherDesk).expect(200);
    expect(res.body.items).toEqual([]);
  });

  it("answers 404 for an unknown dossier whatever the caller (nothing to protect), 403 for another agency's", async () => {
    for (const caller of CALLERS) await send("GET", "/v1/dossiers/000.00.01.H22-250303-9999", auth[caller]).expect(404);
    await send("GET", `/v1/dossiers/${dossier}`, auth.otherDesk).expect(403);
  });

  it("lets the desk of the agency a dossier was transferred to read and write it", async () => {
    const code = await freshDossier();
    await send("POST", `/v1/dossiers/${code}/events`, ADMIN, event("transferred", "2025-03-03T09:00:00+07:00", { toAgencyCode: TAX, stepCode: "tax" })).expect(201);
    await send("GET", `/v1/dossiers/${code}`, auth.otherDesk).expect(200);
  });
});
