/**
 * The database going away under a running instance (issue #16: "/readyz checks the pool"; the
 * hardening rule: nothing crashes the process, bad times answer 503 and change nothing): the
 * database stops taking connections and every open one is cut, then it comes back.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, startTestApp, type TestApp } from "../../support/test-app.js";
import { received, receive, seedProvince } from "../../support/dossier-fixtures.js";

describe("a PostgreSQL outage under a running instance", () => {
  let t: TestApp;
  let admin: pg.Client;
  let name: string;

  beforeAll(async () => {
    t = await startTestApp({ backend: "postgres", now: () => Date.parse("2025-03-05T10:00:00+07:00") });
    await seedProvince(t);
    await received(t);
    name = new URL(t.databaseUrl!).pathname.slice(1);
    const adminUrl = new URL(t.databaseUrl!);
    adminUrl.pathname = "/postgres";
    admin = new pg.Client({ connectionString: adminUrl.toString() });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.query(`alter database ${name} allow_connections true`).catch(() => undefined);
    await admin.end();
    await t.close();
  });

  it("answers 503 (not_ready, storage_unavailable) while the database is away, and serves again when it is back", async () => {
    await admin.query(`alter database ${name} allow_connections false`);
    await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1", [name]);

    const ready = await t.http.get("/readyz").expect(503);
    expect(ready.body.code).toBe("not_ready");
    const write = await receive(t).expect(503);
    expect(write.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(write.body.code).toBe("storage_unavailable");
    const read = await t.http.get("/v1/dossiers?limit=5").set(ADMIN).expect(503);
    expect(read.body.code).toBe("storage_unavailable");

    await admin.query(`alter database ${name} allow_connections true`);
    await t.http.get("/readyz").expect(200);
    const listed = await t.http.get("/v1/dossiers?limit=5").set(ADMIN).expect(200);
    expect(listed.body.items).toHaveLength(1); // the refused reception wrote nothing
    await receive(t).expect(201);
  });
});
