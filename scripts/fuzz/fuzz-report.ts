/** A fuzz run's figures and failures as plain text, for the terminal and for test failure messages. */
import { fuzzPassed, STATUS_CLASSES, type ClassCounts, type FuzzFailure, type FuzzReport } from "./fuzz-engine.js";

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function countsTable(title: string, rows: Readonly<Record<string, ClassCounts>>): string[] {
  const width = Math.max(title.length, ...Object.keys(rows).map((k) => k.length));
  const header = `  ${title.padEnd(width)}  ${"sent".padStart(6)}${STATUS_CLASSES.map((c) => c.padStart(7)).join("")}${"mean ms".padStart(9)}`;
  const lines = Object.entries(rows).map(([key, counts]) => {
    const mean = counts.sent === 0 ? "-" : (counts.elapsedMs / counts.sent).toFixed(1);
    return `  ${key.padEnd(width)}  ${String(counts.sent).padStart(6)}${STATUS_CLASSES.map((c) => String(counts[c]).padStart(7)).join("")}${mean.padStart(9)}`;
  });
  return [header, ...lines];
}

export function formatFigures(report: FuzzReport): string {
  const { totals } = report;
  const rate = report.requests / (report.elapsedMs / 1000);
  const pinned = report.byStrategy.regression?.sent ?? 0;
  return [
    `fuzz: seed ${report.seed}, ${report.requests} requests (${report.requests - pinned} generated, ${pinned} pinned regressions) in ${seconds(report.elapsedMs)} (${Math.round(rate)} requests/s)`,
    `status classes: ${STATUS_CLASSES.map((c) => `${c} ${totals[c]}`).join(" · ")}`,
    `statuses: ${Object.entries(report.byStatus)
      .map(([status, n]) => `${status} ${n}`)
      .join(" · ")}`,
    `mutated requests accepted anyway (2xx): ${report.acceptedMutations}`,
    "",
    ...countsTable("route", report.byRoute),
    "",
    ...countsTable("strategy", report.byStrategy),
    "",
    "slowest requests:",
    ...report.slowest.map((t) => `  ${Math.round(t.elapsedMs)} ms  #${t.index} ${t.method} ${t.url} -> ${t.status} (${t.mutation})`),
    "",
    `database integrity: ${report.integrity}`,
    ...(report.uncoveredRoutes.length > 0 ? [`routes never reached: ${report.uncoveredRoutes.join(", ")}`] : []),
  ].join("\n");
}

function formatFailure(failure: FuzzFailure, seed: number): string {
  return [
    `${failure.index < 0 ? "pinned" : `#${failure.index}`} ${failure.method} ${failure.url}  [${failure.route}; ${failure.strategy}: ${failure.mutation}]`,
    `  headers: ${JSON.stringify(failure.headers)}`,
    `  body: ${failure.bodyExcerpt}`,
    `  -> ${failure.status} in ${Math.round(failure.elapsedMs)} ms: ${failure.responseExcerpt}`,
    ...failure.reasons.map((r) => `  ✗ ${r}`),
    failure.index < 0 ? "  replay: sent first by every run (scripts/fuzz/regressions.ts)" : `  replay: npx tsx scripts/fuzz.ts --seed ${seed} --requests ${failure.index + 1}`,
  ].join("\n");
}

export function formatVerdict(report: FuzzReport): string {
  if (fuzzPassed(report)) return "PASSED: no 5xx, every refusal a problem document, nothing written by a refused request";
  const shown = report.failures.map((f) => formatFailure(f, report.seed));
  const more = report.failureCount > report.failures.length ? [`… and ${report.failureCount - report.failures.length} more`] : [];
  const end = [
    ...(report.uncoveredRoutes.length > 0 ? [`✗ routes never reached: ${report.uncoveredRoutes.join(", ")}`] : []),
    ...(report.integrity !== "ok" ? [`✗ database integrity check: ${report.integrity}`] : []),
  ];
  return [`FAILED: ${report.failureCount} request(s) broke the contract`, ...shown, ...more, ...end].join("\n");
}
