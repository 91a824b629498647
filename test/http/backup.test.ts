/** Online backup while the service takes writes: a consistent copy that restores to the same data. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backupDatabase } from "../../src/db/sqlite/backup.js";
import { startTestApp, type TestApp } from "../support/test-app.js";
import { event, postEvent, received, seedProvince, JUSTICE } from "../support/dossier-fixtures.js";

let t: TestApp;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-backup-"));
beforeAll(async () => {
  t = await startTestApp({ now: () => Date.parse("2025-06-30T10:00:00+07:00") });
  await seedProvince(t);
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const tables = ["dossiers", "dossier_events", "dossier_overdue_spans", "stat_month_totals", "agencies", "procedure_versions"];
const dump = (db: Database.Database) => Object.fromEntries(tables.map((name) => [name, db.prepare(`select * from ${name} order by 1, 2`).all()]));

describe("backup", () => {
  it("copies consistently while writes go on, and the copy restores to the same data", async () => {
    // Writes in flight during the backup: receptions with a transfer each.
    const writing = (async () => {
      for (let i = 0; i < 40; i++) {
        const code = await received(t);
        await postEvent(t, code, event("transferred", "2025-03-03T09:00:00+07:00", { toAgencyCode: JUSTICE })).expect(201);
      }
    })();
    const during = await backupDatabase(t.dbFile, path.join(dir, "during.db"));
    await writing;
    expect(during.integrity).toBe("ok");
    const copy = new Database(path.join(dir, "during.db"), { readonly: true });
    // A snapshot of one committed state: every projection agrees with the events it counts.
    const mismatched = copy
      .prepare("select d.receipt_code from dossiers d where d.event_count <> (select count(*) from dossier_events e where e.receipt_code = d.receipt_code)")
      .all();
    expect(mismatched).toEqual([]);
    copy.close();

    const after = await backupDatabase(t.dbFile, path.join(dir, "after.db"));
    expect(after.integrity).toBe("ok");
    const restored = new Database(path.join(dir, "after.db"), { readonly: true });
    expect(dump(restored)).toEqual(dump(t.app.database.sqlite));
    expect((restored.prepare("select count(*) as n from dossiers").get() as { n: number }).n).toBe(40);
    restored.close();
  });

  it("refuses to overwrite an existing file", async () => {
    await expect(backupDatabase(t.dbFile, path.join(dir, "after.db"))).rejects.toThrow(/exists/);
  });
});
