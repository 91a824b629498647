/**
 * Rebuilds every dossier projection from the append-only events.
 *   npx tsx scripts/rebuild-projections.ts [db-file]   (default: MOTCUA_DB_FILE or ./data/motcua.db)
 *   MOTCUA_DATABASE_URL=postgres://… npm run rebuild-projections   (PostgreSQL, issue #16)
 * Safe to run while the server is stopped; with the server running, a concurrent event write to
 * the same dossier wins (a projection is replaced only over the history it was folded from).
 */
import { loadConfig } from "../src/config.js";
import { openSqlite } from "../src/db/sqlite/sqlite-client.js";
import { createSqliteRepositories } from "../src/db/sqlite/index.js";
import { openPostgres, redactedUrl } from "../src/db/postgres/pg-client.js";
import { createPostgresRepositories } from "../src/db/postgres/index.js";
import { createServices, type Repositories } from "../src/services/index.js";

const config = loadConfig();
const storage =
  config.databaseUrl !== null
    ? await (async () => {
        const handle = await openPostgres(config.databaseUrl!, { poolSize: 2, applicationName: "motcua-rebuild" });
        return { name: redactedUrl(config.databaseUrl!), repos: createPostgresRepositories(handle) as Repositories, close: () => handle.close() };
      })()
    : (() => {
        const file = process.argv[2] ?? config.dbFile;
        const handle = openSqlite(file);
        return { name: file, repos: createSqliteRepositories(handle) as Repositories, close: async () => handle.close() };
      })();
try {
  const services = createServices(storage.repos, { now: Date.now, adminKey: undefined });
  const started = performance.now();
  const report = await services.projections.rebuildAll({ onProgress: (n) => process.stderr.write(`\r${n} dossiers`) });
  process.stderr.write("\n");
  console.log(
    `rebuilt ${report.dossiers} dossiers of ${storage.name} in ${((performance.now() - started) / 1000).toFixed(1)} s: ${report.changed} changed, ${report.failed.length} failed`,
  );
  for (const f of report.failed) console.log(`  ${f.receiptCode}: ${f.reason}`);
  process.exitCode = report.failed.length > 0 ? 1 : 0;
} finally {
  await storage.close();
}
