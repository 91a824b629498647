/**
 * The two schemas describe one database (issue #16: "the shared shapes defined once"): the same
 * tables, columns, nullability and indexes on SQLite and PostgreSQL, and the same row types in
 * TypeScript, so the row-to-record mappers serve both. A column added to one schema only fails here.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { InferSelectModel } from "drizzle-orm";
import { openSqlite } from "../../../src/db/sqlite/sqlite-client.js";
import * as sqliteSchema from "../../../src/db/sqlite/schema.js";
import * as pgSchema from "../../../src/db/postgres/schema.js";
import { createTestDatabase } from "../../support/postgres.js";

type Shape = Record<string, { columns: Record<string, { nullable: boolean }>; indexes: string[] }>;

function sqliteShape(): Shape {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-parity-"));
  const handle = openSqlite(path.join(dir, "parity.db"));
  try {
    const shape: Shape = {};
    const tables = handle.sqlite.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%'").all() as { name: string }[];
    for (const { name } of tables) {
      const columns = handle.sqlite.prepare(`pragma table_info(${name})`).all() as { name: string; notnull: number; pk: number }[];
      const indexes = (handle.sqlite.prepare(`pragma index_list(${name})`).all() as { name: string; origin: string }[]).filter((i) => i.origin !== "pk" && !i.name.startsWith("sqlite_autoindex")).map((i) => i.name);
      shape[name] = {
        columns: Object.fromEntries(columns.map((c) => [c.name, { nullable: c.notnull === 0 && c.pk === 0 }])),
        indexes: indexes.sort(),
      };
    }
    return shape;
  } finally {
    handle.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresShape(): Promise<Shape> {
  const database = await createTestDatabase();
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const shape: Shape = {};
    const columns = await client.query<{ table_name: string; column_name: string; is_nullable: string }>(
      "select table_name, column_name, is_nullable from information_schema.columns where table_schema = 'public'",
    );
    for (const c of columns.rows) {
      shape[c.table_name] ??= { columns: {}, indexes: [] };
      shape[c.table_name]!.columns[c.column_name] = { nullable: c.is_nullable === "YES" };
    }
    // Every index but those behind primary keys (SQLite's origin 'pk').
    const indexes = await client.query<{ tablename: string; indexname: string }>(
      `select i.tablename, i.indexname from pg_indexes i
       where i.schemaname = 'public' and not exists (select 1 from pg_constraint k where k.conname = i.indexname and k.contype = 'p')`,
    );
    for (const i of indexes.rows) shape[i.tablename]!.indexes.push(i.indexname);
    for (const table of Object.values(shape)) table.indexes.sort();
    return shape;
  } finally {
    await client.end();
    await database.drop();
  }
}

describe("the SQLite and PostgreSQL schemas", () => {
  it("have the same tables, columns, nullability and indexes once migrated", async () => {
    expect(await postgresShape()).toEqual(sqliteShape());
  });

  it("read rows of the same TypeScript type", () => {
    expectTypeOf<InferSelectModel<typeof pgSchema.dossiers>>().toEqualTypeOf<InferSelectModel<typeof sqliteSchema.dossiers>>();
    expectTypeOf<InferSelectModel<typeof pgSchema.dossierEvents>>().toEqualTypeOf<InferSelectModel<typeof sqliteSchema.dossierEvents>>();
    expectTypeOf<InferSelectModel<typeof pgSchema.calendars>>().toEqualTypeOf<InferSelectModel<typeof sqliteSchema.calendars>>();
    expectTypeOf<InferSelectModel<typeof pgSchema.procedureVersions>>().toEqualTypeOf<InferSelectModel<typeof sqliteSchema.procedureVersions>>();
    expectTypeOf<InferSelectModel<typeof pgSchema.apologyLetters>>().toEqualTypeOf<InferSelectModel<typeof sqliteSchema.apologyLetters>>();
    expectTypeOf<InferSelectModel<typeof pgSchema.outboxMessages>>().toEqualTypeOf<InferSelectModel<typeof sqliteSchema.outboxMessages>>();
    expectTypeOf<InferSelectModel<typeof pgSchema.webhookSubscriptions>>().toEqualTypeOf<InferSelectModel<typeof sqliteSchema.webhookSubscriptions>>();
    expectTypeOf<InferSelectModel<typeof pgSchema.outboundSchedule>>().toEqualTypeOf<InferSelectModel<typeof sqliteSchema.outboundSchedule>>();
    expectTypeOf<InferSelectModel<typeof pgSchema.accessAudit>>().toEqualTypeOf<InferSelectModel<typeof sqliteSchema.accessAudit>>();
    expectTypeOf<InferSelectModel<typeof pgSchema.idempotencyKeys>>().toEqualTypeOf<InferSelectModel<typeof sqliteSchema.idempotencyKeys>>();
  });
});
