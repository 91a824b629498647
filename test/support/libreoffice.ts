/**
 * LibreOffice, headless, as a Vietnamese-locale spreadsheet user has it: a file converted to flat
 * ODS (an XML document) tells how Calc read each cell (its type, its value, and its text as shown
 * in the locale). `.ci/run` installs Debian's libreoffice-calc when `soffice` is missing; tests
 * using it skip, saying so, without it.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export function findSoffice(): string | undefined {
  try {
    return execFileSync("sh", ["-c", "command -v soffice"], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export interface CalcCell {
  /** Calc's own type: string, float, percentage, date, time, boolean, or empty. */
  readonly type: string;
  /** The value behind the display: the number or ISO date for non-strings, else the text. */
  readonly value: string;
  /** The text as Calc shows it, in its locale. */
  readonly shown: string;
}

/**
 * Opens each file in Calc under `locale` (e.g. vi_VN.UTF-8) and returns every sheet's rows as Calc
 * read them. `infilter` is Calc's import filter with its options (for CSV: separator, quote,
 * character set, first line, column formats, language). One soffice run, a fresh profile.
 */
export function openInCalc(soffice: string, files: readonly string[], options: { locale: string; infilter?: string }): CalcCell[][][] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-calc-"));
  try {
    const args = [`-env:UserInstallation=file://${dir}/profile`, "--headless", "--norestore"];
    if (options.infilter !== undefined) args.push(`--infilter=${options.infilter}`);
    args.push("--convert-to", "fods", "--outdir", dir, ...files);
    execFileSync(soffice, args, { env: { ...process.env, LANG: options.locale, LC_ALL: options.locale }, stdio: "pipe", timeout: 120_000 });
    return files.map((file) => parseFlatOds(fs.readFileSync(path.join(dir, `${path.parse(file).name}.fods`), "utf8")));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const unescapeXml = (s: string) =>
  s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");

/** The first sheet's rows; trailing filler cells (repeated thousands of times) are dropped. */
function parseFlatOds(xml: string): CalcCell[][] {
  const table = /<table:table [^>]*>([\s\S]*?)<\/table:table>/.exec(xml)?.[1] ?? "";
  const rows: CalcCell[][] = [];
  for (const [, rowXml] of table.matchAll(/<table:table-row[^>]*>([\s\S]*?)<\/table:table-row>/g)) {
    const row: CalcCell[] = [];
    for (const [, attributes, inner] of rowXml!.matchAll(/<table:table-cell([^>]*?)(?:\/>|>([\s\S]*?)<\/table:table-cell>)/g)) {
      const attr = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(attributes!)?.[1];
      const repeated = Math.min(Number(attr("table:number-columns-repeated") ?? 1), 64);
      const shown = unescapeXml([...(inner ?? "").matchAll(/<text:p>([\s\S]*?)<\/text:p>/g)].map(([, p]) => p!.replace(/<text:s\/>/g, " ").replace(/<[^>]+>/g, "")).join("\n"));
      const type = attr("office:value-type") ?? "empty";
      const value = attr("office:value") ?? attr("office:date-value") ?? shown;
      for (let i = 0; i < repeated; i++) row.push({ type, value: unescapeXml(value), shown });
    }
    while (row.length > 0 && row[row.length - 1]!.type === "empty") row.pop();
    rows.push(row);
  }
  while (rows.length > 0 && rows[rows.length - 1]!.length === 0) rows.pop();
  return rows;
}
