/**
 * The copy from an SQLite file to PostgreSQL (issue #16, db/postgres/import-sqlite.ts) reads the
 * report-month aggregates, which SQLite stores WITHOUT ROWID: they have no rowid to page by, so
 * they are read in primary-key order, page after page, and every row arrives once.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqlite, type SqliteHandle } from "../../../src/db/sqlite/sqlite-client.js";
import { openPostgres, type PostgresHandle } from "../../../src/db/postgres/pg-client.js";
import { importSqlite } from "../../../src/db/postgres/import-sqlite.js";
import { createTestDatabase, type TestDatabase } from "../../support/postgres.js";

const CHANNELS = ["online", "direct", "postal"] as const;

describe("Copying an SQLite file with report-month aggregates into PostgreSQL", () => {
  let dir: string;
  let sqlite: SqliteHandle;
  let database: TestDatabase;
  let target: PostgresHandle;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-import-"));
    sqlite = openSqlite(path.join(dir, "source.db"));
    // More rows than one page (500) in both WITHOUT ROWID tables, keys inserted out of order.
    const cell = sqlite.sqlite.prepare("insert into stat_month_totals (month, handling_agency_code, field_code, procedure_code, channel, received) values (?, ?, ?, ?, ?, ?)");
    const rollup = sqlite.sqlite.prepare("insert into stat_dimension_totals (dimension, month, key, received) values (?, ?, ?, ?)");
    sqlite.sqlite.transaction(() => {
      for (let i = 1_199; i >= 0; i--) cell.run(`2025-${String(1 + (i % 12)).padStart(2, "0")}`, `A${i % 7}`, `F${i % 5}`, `P${i}`, CHANNELS[i % 3], i);
      for (let i = 0; i < 700; i++) rollup.run("procedure", `2025-${String(1 + (i % 12)).padStart(2, "0")}`, `P${i}`, i + 0.5);
    })();
    database = await createTestDatabase();
    target = await openPostgres(database.url, { poolSize: 1 });
  });

  afterAll(async () => {
    await target?.close();
    await database?.drop();
    sqlite?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("copies every row once, and a re-run copies none again", async () => {
    const first = await importSqlite(sqlite.sqlite, target);
    const second = await importSqlite(sqlite.sqlite, target);

    const of = (report: typeof first, table: string) => report.tables.find((t) => t.table === table)!;
    expect(of(first, "stat_month_totals")).toEqual({ table: "stat_month_totals", source: 1_200, inserted: 1_200, target: 1_200 });
    expect(of(first, "stat_dimension_totals")).toEqual({ table: "stat_dimension_totals", source: 700, inserted: 700, target: 700 });
    expect(of(second, "stat_month_totals").inserted).toBe(0);
    expect(of(second, "stat_dimension_totals").inserted).toBe(0);
    const sums = await target.pool.query<{ cells: number; rollups: number }>(
      "select (select sum(received) from stat_month_totals) as cells, (select sum(received) from stat_dimension_totals) as rollups",
    );
    expect(sums.rows[0]).toEqual({ cells: (1_199 * 1_200) / 2, rollups: (699 * 700) / 2 + 350 });
  });
});
