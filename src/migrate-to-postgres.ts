/**
 * From an SQLite file to PostgreSQL, verified (issue #16; scripts/migrate-to-postgres.ts is the
 * command): the file is opened as the service opens it (migrated to this version's schema,
 * checked with quick_check), every table is copied in one transaction (db/postgres/import-sqlite.ts),
 * then the copy is checked: row counts per table, and for a sample of dossiers spread over the
 * file, the record and events read back through the PostgreSQL repositories equal those read
 * through the SQLite ones, and the stored projection equals the fold of the events.
 */
import { openSqlite } from "./db/sqlite/sqlite-client.js";
import { createSqliteRepositories } from "./db/sqlite/index.js";
import { openPostgres } from "./db/postgres/pg-client.js";
import { createPostgresRepositories } from "./db/postgres/index.js";
import { importSqlite, sampleCodes, type TableCopy } from "./db/postgres/import-sqlite.js";
import { createServices } from "./services/index.js";

export interface MigrationReport {
  readonly tables: readonly TableCopy[];
  readonly copySeconds: number;
  /** Tables with fewer rows in PostgreSQL than in the file (must be none). */
  readonly missing: readonly string[];
  readonly sample: { readonly checked: number; readonly mismatched: readonly string[]; readonly foldsDiffering: readonly string[]; readonly foldsFailed: readonly string[] };
  readonly ok: boolean;
}

export async function migrateToPostgres(options: {
  readonly file: string;
  readonly url: string;
  readonly sampleSize?: number;
  readonly onProgress?: (table: string, rows: number) => void;
}): Promise<MigrationReport> {
  const source = openSqlite(options.file);
  try {
    const target = await openPostgres(options.url, { poolSize: 2, applicationName: "motcua-migrate" });
    try {
      const copy = await importSqlite(source.sqlite, target, options.onProgress);
      const missing = copy.tables.filter((t) => t.target < t.source).map((t) => t.table);

      const from = createSqliteRepositories(source);
      const to = createPostgresRepositories(target);
      const services = createServices(to, { now: Date.now, adminKey: undefined });
      const codes = sampleCodes(source.sqlite, options.sampleSize ?? 200);
      const mismatched: string[] = [];
      for (const code of codes) {
        const [a, b] = await Promise.all([from.dossiers.getWithEvents(code), to.dossiers.getWithEvents(code)]);
        const [spansA, spansB] = await Promise.all([from.dossiers.getOverdueSpans(code), to.dossiers.getOverdueSpans(code)]);
        const [dutiesA, dutiesB] = await Promise.all([from.dossiers.getDuties(code), to.dossiers.getDuties(code)]);
        if (JSON.stringify([a, spansA, dutiesA]) !== JSON.stringify([b, spansB, dutiesB])) mismatched.push(code);
      }
      const folds = await services.projections.verify(codes);
      const sample = {
        checked: codes.length,
        mismatched,
        foldsDiffering: folds.differing,
        foldsFailed: folds.failed.map((f) => `${f.receiptCode}: ${f.reason}`),
      };
      return {
        tables: copy.tables,
        copySeconds: copy.seconds,
        missing,
        sample,
        ok: missing.length === 0 && mismatched.length === 0 && folds.differing.length === 0 && folds.failed.length === 0,
      };
    } finally {
      await target.close();
    }
  } finally {
    source.close();
  }
}
