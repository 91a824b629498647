/** Operations endpoints, error shapes, and the committed OpenAPI document. */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS_FOLDER, PROJECT_ROOT } from "../../src/config.js";
import { renderOpenApi } from "../support/openapi.js";
import { ADMIN, query, startTestApp, type TestApp } from "../support/test-app.js";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

describe("operations", () => {
  it("is alive and ready once migrations are applied", async () => {
    expect((await t.http.get("/healthz").expect(200)).body).toEqual({ status: "ok" });
    expect((await t.http.get("/readyz").expect(200)).body).toEqual({ status: "ready" });
    // The migrations ran: drizzle's journal has every migration of this backend's folder.
    const applied = await query<{ n: number }>(t, t.backend === "sqlite" ? "select count(*) as n from __drizzle_migrations" : "select count(*) as n from drizzle.__drizzle_migrations");
    const folder = path.join(MIGRATIONS_FOLDER, ...(t.backend === "sqlite" ? [] : ["postgres"]), "meta", "_journal.json");
    expect(Number(applied[0]!.n)).toBe((JSON.parse(fs.readFileSync(folder, "utf8")) as { entries: unknown[] }).entries.length);
    const tables = await query<{ name: string }>(t, t.backend === "sqlite" ? "select name from sqlite_master where type = 'table'" : "select table_name as name from information_schema.tables where table_schema = 'public'");
    expect(tables.map((r) => r.name)).toEqual(expect.arrayContaining(["calendars", "agencies", "procedure_versions", "dossiers", "outbox_messages"]));
  });

  it("exposes Prometheus metrics, with per-route request durations", async () => {
    await t.http.get("/v1/calendars/vn").set(ADMIN).expect(200);
    const res = await t.http.get("/metrics").expect(200);
    expect(res.headers["content-type"]).toMatch(/text\/plain/);
    expect(res.text).toContain('motcua_http_request_duration_seconds_count{method="GET",route="/v1/calendars/:calendarId",status_code="200"}');
    expect(res.text).toContain("motcua_process_resident_memory_bytes");
  });

  it("serves the OpenAPI document and Swagger UI without a key", async () => {
    const spec = await t.http.get("/openapi.json").expect(200);
    expect(spec.body.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.body.paths)).toEqual(
      expect.arrayContaining(["/v1/calendars/{calendarId}/deadlines", "/v1/agencies/{agencyCode}", "/v1/procedures/{procedureCode}"]),
    );
    const docs = await t.http.get("/docs/").redirects(1);
    expect(docs.status).toBe(200);
    expect(docs.text).toContain("swagger");
  });

  it("answers unknown routes and malformed JSON with problem+json", async () => {
    const missing = await t.http.get("/v1/nothing-here").expect(404);
    expect(missing.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(missing.body).toMatchObject({ status: 404, title: "Not Found", type: expect.stringMatching(/^urn:motcua:problem:/) });
    const malformed = await t.http
      .put("/v1/agencies/X1")
      .set({ ...ADMIN, "Content-Type": "application/json" })
      .send('{"name": ')
      .expect(400);
    expect(malformed.body).toMatchObject({ status: 400, errors: [{ field: "body" }] });
  });

  it("keeps the committed openapi/openapi.json in sync with the routes (run `npm run openapi`)", async () => {
    const committed = fs.readFileSync(path.join(PROJECT_ROOT, "openapi", "openapi.json"), "utf8");
    expect(committed).toBe(await renderOpenApi());
  });
});
