/**
 * Copies a motcua SQLite file into the PostgreSQL database of MOTCUA_DATABASE_URL, then verifies it
 * (issue #16; README "Moving from SQLite to PostgreSQL"):
 *   MOTCUA_DATABASE_URL=postgres://… npm run migrate-to-postgres -- ./data/motcua.db
 * One transaction: a failure leaves the database as it was. Idempotent: a re-run copies nothing
 * twice and verifies again. Exit 0 when every table and the sampled folds check out, 1 otherwise.
 */
import { loadConfig } from "../src/config.js";
import { redactedUrl } from "../src/db/postgres/pg-client.js";
import { migrateToPostgres } from "../src/migrate-to-postgres.js";

const file = process.argv[2];
const config = loadConfig();
if (!file || config.databaseUrl === null) {
  console.error("usage: MOTCUA_DATABASE_URL=postgres://… npm run migrate-to-postgres -- <sqlite file> [sample size]");
  process.exit(2);
}
const sampleSize = process.argv[3] === undefined ? 200 : Number(process.argv[3]);
let last = "";
const report = await migrateToPostgres({
  file,
  url: config.databaseUrl,
  sampleSize,
  onProgress: (table, rows) => {
    if (process.stderr.isTTY) process.stderr.write(`\r${table}: ${rows} rows${" ".repeat(Math.max(0, last.length - table.length))}`);
    last = table;
  },
});
if (process.stderr.isTTY) process.stderr.write("\n");
console.log(`${file} -> ${redactedUrl(config.databaseUrl)} in ${report.copySeconds.toFixed(1)} s`);
console.log(["table".padEnd(24), "in file".padStart(10), "copied now".padStart(11), "in postgres".padStart(12)].join(" "));
for (const t of report.tables) console.log([t.table.padEnd(24), String(t.source).padStart(10), String(t.inserted).padStart(11), String(t.target).padStart(12)].join(" "));
const s = report.sample;
console.log(`sample of ${s.checked} dossiers: ${s.mismatched.length} read back differently, ${s.foldsDiffering.length} projections differ from their fold, ${s.foldsFailed.length} do not fold`);
for (const code of [...s.mismatched, ...s.foldsDiffering, ...s.foldsFailed].slice(0, 20)) console.log(`  ${code}`);
if (report.missing.length > 0) console.log(`MISSING rows in PostgreSQL: ${report.missing.join(", ")}`);
console.log(report.ok ? "verified: ok" : "NOT VERIFIED: see above");
process.exitCode = report.ok ? 0 : 1;
