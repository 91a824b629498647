/**
 * Statistics speed on seeded databases (scripts/seed.ts), in one run:
 *   npx tsx scripts/bench/stats.ts --files ./data/seed-100k.db,./data/seed.db [--rounds 7]
 * For each file: the machine's baseline (`SELECT count(*) FROM dossiers`), then a year report
 * (period=2025) grouped by agency and by month through the service (maintained report-month
 * aggregates: per-dimension roll-ups), grouped by procedure under an agency filter (the full
 * aggregate cells), and the same counts by one pass over the dossiers (the path for ranges that
 * are not whole report months). Medians of the rounds, after one warm-up round. Read-only.
 */
import { parseArgs } from "node:util";
import { openSqlite } from "../../src/db/sqlite/sqlite-client.js";
import { createSqliteRepositories } from "../../src/db/sqlite/index.js";
import { createServices } from "../../src/services/index.js";

const { values } = parseArgs({
  options: { files: { type: "string", default: "./data/seed.db" }, rounds: { type: "string", default: "7" }, period: { type: "string", default: "2025" } },
});
const rounds = Number(values.rounds);

async function time(fn: () => unknown | Promise<unknown>): Promise<number> {
  await fn(); // warm-up: page cache, prepared statements, engines
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

const rows: string[][] = [];
for (const file of values.files.split(",")) {
  const handle = openSqlite(file);
  const repos = createSqliteRepositories(handle);
  const services = createServices(repos, { now: Date.now, adminKey: undefined });
  const dossiers = (handle.sqlite.prepare("select count(*) as n from dossiers").get() as { n: number }).n;
  const totals = (handle.sqlite.prepare("select count(*) as n from stat_month_totals").get() as { n: number }).n;
  const report = await services.statistics.timeliness({ period: values.period, groupBy: "agency", basis: "committed" });
  // The root of the agency tree: a filter that keeps every dossier but must read the full cells.
  const rootAgency = (handle.sqlite.prepare("select code from agencies where parent_code is null order by code limit 1").get() as { code: string }).code;
  const { from, to } = report;
  const p0 = Date.parse(`${from}T00:00:00+07:00`);
  const p1 = Date.parse(`${to}T00:00:00+07:00`) + 86_400_000;

  const measures: [string, () => unknown][] = [
    ["SELECT count(*) FROM dossiers (baseline)", () => handle.sqlite.prepare("select count(*) from dossiers").get()],
    [`year report by agency (aggregates)`, () => services.statistics.timeliness({ period: values.period, groupBy: "agency", basis: "committed" })],
    [`year report by month (aggregates)`, () => services.statistics.timeliness({ period: values.period, groupBy: "month", basis: "committed" })],
    [`scorecard for the year (aggregates)`, () => services.statistics.scorecard({ period: values.period })],
    [
      `year by procedure, one agency subtree (full cells)`,
      () => services.statistics.timeliness({ period: values.period, groupBy: "procedure", basis: "committed", agencyCode: rootAgency }),
    ],
    [`year by agency, one pass over dossiers`, () => repos.statistics.timeliness({ p0, p1, basis: "committed", groupBy: "agency", filter: {} })],
  ];
  for (const [name, fn] of measures) {
    const ms = await time(fn);
    rows.push([file, dossiers.toLocaleString("en-US"), totals.toLocaleString("en-US"), name, ms.toFixed(1)]);
    console.error(`${file}: ${name}: ${ms.toFixed(1)} ms`);
  }
  console.error(`${file}: ${report.rows.length} agency rows, total received ${report.total.received.carriedOver + report.total.received.new}, resolved ${report.total.resolved.total}, on-time rate ${report.total.onTimeRate}`);
  handle.close();
}

const header = ["database", "dossiers", "aggregate rows", "query", "median ms"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => (i >= 1 && i !== 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(" | ")} |`;
console.log(line(header));
console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
for (const r of rows) console.log(line(r));
