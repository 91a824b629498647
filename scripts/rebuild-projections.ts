/**
 * Rebuilds every dossier projection from the append-only events.
 *   npx tsx scripts/rebuild-projections.ts [db-file]   (default: MOTCUA_DB_FILE or ./data/motcua.db)
 * Safe to run while the server is stopped; with the server running, a concurrent event write to
 * the same dossier wins (its projection is folded from the same events).
 */
import { loadConfig } from "../src/config.js";
import { openSqlite } from "../src/db/sqlite/sqlite-client.js";
import { createSqliteRepositories } from "../src/db/sqlite/index.js";
import { createServices } from "../src/services/index.js";

const config = loadConfig();
const file = process.argv[2] ?? config.dbFile;
const handle = openSqlite(file);
try {
  const services = createServices(createSqliteRepositories(handle), { now: Date.now, adminKey: undefined });
  const started = performance.now();
  const report = await services.projections.rebuildAll({ onProgress: (n) => process.stderr.write(`\r${n} dossiers`) });
  process.stderr.write("\n");
  console.log(
    `rebuilt ${report.dossiers} dossiers in ${((performance.now() - started) / 1000).toFixed(1)} s: ${report.changed} changed, ${report.failed.length} failed`,
  );
  for (const f of report.failed) console.log(`  ${f.receiptCode}: ${f.reason}`);
  process.exitCode = report.failed.length > 0 ? 1 : 0;
} finally {
  handle.close();
}
