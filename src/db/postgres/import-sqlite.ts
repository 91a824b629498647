/**
 * Moves a province from its SQLite file to PostgreSQL (issue #16: `npm run migrate-to-postgres --
 * <sqlite file>`). Every table is copied as stored — events, projections, aggregates, audit,
 * outbox, schedule, keys — in ONE PostgreSQL transaction: a failed run leaves the target as it
 * was, and a re-run copies nothing twice (rows already there are kept: `on conflict do nothing`,
 * and the one table without a key, the overdue stretches, is compared row by row). Then it
 * verifies: the row counts of every table, and for a sample of dossiers that the record and the
 * events read back from PostgreSQL equal those in the file and that the stored projection is what
 * the events fold to.
 *
 * Values go as stored: booleans kept as 0/1 reach the boolean columns as '0'/'1' (valid boolean
 * input), JSON kept as text reaches the json columns as text.
 *
 * Run it with the instances stopped (or the file no longer written), before they start on
 * PostgreSQL. Once they write there, a re-run still adds only what is missing, but the file is no
 * longer the source of truth.
 */
import type Database from "better-sqlite3";
import type { PostgresHandle } from "./pg-client.js";

/**
 * The tables in an order that respects their references; `key` is what makes a row already
 * copied (null: none, compared on `match` instead).
 */
const TABLES: readonly { name: string; key: readonly string[] | null; match?: readonly string[] }[] = [
  { name: "calendars", key: ["id"] },
  { name: "calendar_days", key: ["calendar_id", "date"] },
  { name: "calendar_years", key: ["calendar_id", "year"] },
  { name: "agencies", key: ["code"] },
  { name: "procedures", key: ["code"] },
  { name: "procedure_versions", key: ["procedure_code", "version"] },
  { name: "api_keys", key: ["id"] },
  { name: "dossiers", key: ["id"] },
  { name: "dossier_events", key: ["event_id"] },
  { name: "receipt_sequences", key: ["agency_code", "day"] },
  { name: "dossier_overdue_spans", key: null, match: ["receipt_code", "basis", "from_at"] },
  { name: "dossier_duties", key: ["receipt_code", "seq"] },
  { name: "stat_month_totals", key: ["month", "handling_agency_code", "procedure_code", "channel", "field_code"] },
  { name: "stat_dimension_totals", key: ["dimension", "month", "key"] },
  { name: "stat_duty_totals", key: ["grain", "bucket", "agency_code", "procedure_code", "channel", "field_code", "kind"] },
  { name: "stat_duty_dimension_totals", key: ["dimension", "grain", "bucket", "key", "kind"] },
  { name: "dossier_ratings", key: ["receipt_code"] },
  { name: "access_audit", key: ["id"] },
  { name: "apology_letters", key: ["receipt_code"] },
  { name: "idempotency_keys", key: ["scope", "key"] },
  { name: "webhook_subscriptions", key: ["id"] },
  { name: "outbox_messages", key: ["position"] },
  { name: "outbox_deliveries", key: ["id"] },
  { name: "outbound_schedule", key: ["receipt_code", "moment_key"] },
];

/** The serial columns whose sequences must continue after the copied values. */
const SEQUENCES = [
  ["dossiers", "id"],
  ["access_audit", "id"],
  ["outbox_deliveries", "id"],
  ["outbox_messages", "position"],
] as const;

/** Rows per INSERT: well under PostgreSQL's 65,535 parameters for the widest table (dossiers, 47 columns). */
const PAGE = 500;

export interface TableCopy {
  readonly table: string;
  readonly source: number;
  /** Rows this run inserted (0 on a re-run). */
  readonly inserted: number;
  /** Rows in PostgreSQL afterwards (more than `source` if the target held other rows already). */
  readonly target: number;
}

export interface ImportReport {
  readonly tables: readonly TableCopy[];
  readonly seconds: number;
}

/** The tables of the file that this importer does not know: a newer schema than this code. */
export function unknownTables(sqlite: Database.Database): string[] {
  const known = new Set([...TABLES.map((t) => t.name), "storage_probe", "__drizzle_migrations"]);
  const names = (sqlite.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'").all() as { name: string }[]).map((r) => r.name);
  return names.filter((n) => !known.has(n));
}

export async function importSqlite(sqlite: Database.Database, target: PostgresHandle, onProgress?: (table: string, rows: number) => void): Promise<ImportReport> {
  const unknown = unknownTables(sqlite);
  if (unknown.length > 0) throw new Error(`the SQLite file has tables this version does not copy: ${unknown.join(", ")}; run the motcua version that wrote it`);
  const started = performance.now();
  const copies: TableCopy[] = [];
  const client = await target.pool.connect();
  try {
    await client.query("begin");
    for (const table of TABLES) {
      const columns = (sqlite.prepare(`pragma table_info(${table.name})`).all() as { name: string }[]).map((c) => c.name);
      const source = (sqlite.prepare(`select count(*) as n from ${table.name}`).get() as { n: number }).n;
      const page = pageReader(sqlite, table.name, columns, table.key);
      // The keyless table's VALUES list is not an INSERT's: its parameters need their types spelled out.
      const types = new Map(
        (await client.query<{ column_name: string; data_type: string }>("select column_name, data_type from information_schema.columns where table_schema = 'public' and table_name = $1", [table.name])).rows.map(
          (r) => [r.column_name, r.data_type],
        ),
      );
      const placeholder = (n: number, column: string) => (table.key === null ? `$${n}::${types.get(column) ?? "text"}` : `$${n}`);
      let inserted = 0;
      for (let after: Record<string, unknown> | undefined; ; ) {
        const rows = page(after);
        if (rows.length === 0) break;
        after = rows[rows.length - 1]!;
        const params: unknown[] = [];
        const tuples = rows.map((row) => `(${columns.map((c) => placeholder(params.push(row[c] ?? null), c)).join(", ")})`);
        const columnList = columns.join(", ");
        const text =
          table.key !== null
            ? `insert into ${table.name} (${columnList}) values ${tuples.join(", ")} on conflict (${table.key.join(", ")}) do nothing`
            : // No key: insert the rows not present yet (compared on `match`).
              `insert into ${table.name} (${columnList}) select * from (values ${tuples.join(", ")}) as v (${columnList})
               where not exists (select 1 from ${table.name} t where ${table.match!.map((c) => `t.${c} = v.${c}`).join(" and ")})`;
        inserted += (await client.query(text, params)).rowCount ?? 0;
        onProgress?.(table.name, inserted);
      }
      const targetCount = Number((await client.query(`select count(*) as n from ${table.name}`)).rows[0].n);
      copies.push({ table: table.name, source, inserted, target: targetCount });
    }
    // The serial columns continue after the copied values (a new dossier must not reuse an id).
    for (const [table, column] of SEQUENCES)
      await client.query(`select setval(pg_get_serial_sequence('${table}', '${column}'), coalesce((select max(${column}) from ${table}), 0) + 1, false)`);
    await client.query("commit");
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  return { tables: copies, seconds: (performance.now() - started) / 1000 };
}

/**
 * Reads a table page by page, after the last row of the previous page: in rowid order, or in
 * primary-key order for a WITHOUT ROWID table (the maintained aggregates), which has no rowid.
 */
function pageReader(sqlite: Database.Database, table: string, columns: readonly string[], key: readonly string[] | null) {
  const ddl = (sqlite.prepare("select sql from sqlite_master where type = 'table' and name = ?").get(table) as { sql: string } | undefined)?.sql ?? "";
  if (!/without\s+rowid\s*$/i.test(ddl.trim())) {
    const page = sqlite.prepare(`select rowid as __rowid, ${columns.join(", ")} from ${table} where rowid > ? order by rowid limit ${PAGE}`);
    return (after: Record<string, unknown> | undefined) => page.all(after === undefined ? Number.MIN_SAFE_INTEGER : after.__rowid) as Record<string, unknown>[];
  }
  if (key === null) throw new Error(`${table} is WITHOUT ROWID but has no key to page by`);
  const list = key.join(", ");
  const first = sqlite.prepare(`select ${columns.join(", ")} from ${table} order by ${list} limit ${PAGE}`);
  const next = sqlite.prepare(`select ${columns.join(", ")} from ${table} where (${list}) > (${key.map(() => "?").join(", ")}) order by ${list} limit ${PAGE}`);
  return (after: Record<string, unknown> | undefined) =>
    (after === undefined ? first.all() : next.all(...key.map((k) => after[k]))) as Record<string, unknown>[];
}

/** A sample of receipt codes spread over the file (by rowid), for the fold check. */
export function sampleCodes(sqlite: Database.Database, size: number): string[] {
  const total = (sqlite.prepare("select count(*) as n from dossiers").get() as { n: number }).n;
  if (total === 0) return [];
  const step = Math.max(1, Math.floor(total / size));
  return (sqlite.prepare(`select receipt_code from (select receipt_code, row_number() over (order by id) as r from dossiers) where (r - 1) % ? = 0 limit ?`).all(step, size) as { receipt_code: string }[]).map(
    (r) => r.receipt_code,
  );
}
