/**
 * A consistent online copy of the database, safe while the server takes writes:
 *   npm run backup -- ./backups/motcua-2025-06-30.db      (source: MOTCUA_DB_FILE or ./data/motcua.db)
 * better-sqlite3's backup API copies pages in steps, restarting if a writer changes the source,
 * so the copy is a snapshot of one committed state. The copy is checked with integrity_check; a
 * damaged one is moved to <target>.damaged and the command exits 1.
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
const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (result.integrity === "ok") {
  console.log(`backed up ${source} -> ${target}: ${result.pages} pages in ${seconds} s, integrity ok`);
} else {
  // The source itself is damaged (the backup API copies pages as they are): say so, loudly.
  console.error(
    `NOT A USABLE BACKUP: the copy of ${source} fails integrity_check (${result.integrity.slice(0, 500)}).\n` +
      `The copy was moved to ${result.file}; the source database is damaged: restore an earlier backup.`,
  );
}
process.exitCode = result.integrity === "ok" ? 0 : 1;
