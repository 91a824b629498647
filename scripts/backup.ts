/**
 * A consistent online copy of the database, safe while the server takes writes.
 *
 * SQLite (the embedded default):
 *   npm run backup -- ./backups/motcua-2025-06-30.db      (source: MOTCUA_DB_FILE or ./data/motcua.db)
 * better-sqlite3's backup API copies pages in steps, restarting if a writer changes the source,
 * so the copy is a snapshot of one committed state. The copy is checked with integrity_check; a
 * damaged one is moved to <target>.damaged and the command exits 1.
 *
 * PostgreSQL (MOTCUA_DATABASE_URL set, issue #16):
 *   npm run backup -- ./backups/motcua-2025-06-30.dump
 * runs `pg_dump --format=custom` (one consistent snapshot of the database, taken while the
 * instances keep writing) when a pg_dump of the server's major version is on the PATH, and
 * otherwise prints the command to run. Restore into an empty database with
 * `pg_restore --no-owner --dbname=<url> <file>`; the instances then start on it as usual.
 */
import { spawnSync } from "node:child_process";
import { loadConfig } from "../src/config.js";
import { backupDatabase } from "../src/db/sqlite/backup.js";
import { redactedUrl } from "../src/db/postgres/pg-client.js";

const target = process.argv[2];
if (!target) {
  console.error("usage: npm run backup -- <target-file>");
  process.exit(2);
}
const config = loadConfig();

if (config.databaseUrl !== null) {
  const command = ["pg_dump", "--format=custom", "--no-owner", `--file=${target}`, config.databaseUrl];
  const shown = ["pg_dump", "--format=custom", "--no-owner", `--file=${target}`, `"${redactedUrl(config.databaseUrl)}"`].join(" ");
  const started = performance.now();
  const run = spawnSync(command[0]!, command.slice(1), { stdio: ["ignore", "inherit", "pipe"], encoding: "utf8" });
  if (run.error && (run.error as NodeJS.ErrnoException).code === "ENOENT") {
    console.error(
      `MOTCUA_DATABASE_URL is set: motcua is on PostgreSQL, which is backed up with pg_dump, not found on this PATH.\n` +
        `Install the PostgreSQL client of the server's major version (Debian: apt-get install postgresql-client-<major>) and run:\n\n  ${shown}\n\n` +
        `Restore into an empty database: pg_restore --no-owner --dbname=<url> ${target}`,
    );
    process.exit(1);
  }
  if (run.status !== 0) {
    console.error(`${shown} failed (exit ${run.status}):\n${run.stderr}\nA pg_dump older than the server refuses to dump it: use the client of the server's major version.`);
    process.exit(1);
  }
  console.log(`backed up ${redactedUrl(config.databaseUrl)} -> ${target} with pg_dump in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  process.exit(0);
}

const source = process.argv[3] ?? config.dbFile;
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
