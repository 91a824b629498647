/**
 * A consistent online copy of the database, safe while the server takes writes:
 *   npm run backup -- ./backups/motcua-2025-06-30.db      (source: MOTCUA_DB_FILE or ./data/motcua.db)
 * better-sqlite3's backup API copies pages in steps, restarting if a writer changes the source,
 * so the copy is a snapshot of one committed state. The copy is checked with integrity_check.
 */
import { loadConfig } from "../src/config.js";
import { backupDatabase } from "../src/db/sqlite-backup.js";

const target = process.argv[2];
if (!target) {
  console.error("usage: npm run backup -- <target-file>");
  process.exit(2);
}
const source = process.argv[3] ?? loadConfig().dbFile;
const started = performance.now();
const result = await backupDatabase(source, target);
console.log(
  `backed up ${source} -> ${target}: ${result.pages} pages in ${((performance.now() - started) / 1000).toFixed(1)} s, integrity ${result.integrity}`,
);
process.exitCode = result.integrity === "ok" ? 0 : 1;
