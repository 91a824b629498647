/**
 * STYLE.md: dependencies point one way (http -> services -> domain; db implements service ports),
 * and the domain core does no I/O. This reads the import lines of every source file.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/config.js";

const SRC = path.join(PROJECT_ROOT, "src");

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(full) : e.name.endsWith(".ts") ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  return [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']/gm)].map((m) => m[1]!);
}

const layerOf = (file: string) => path.relative(SRC, file).split(path.sep)[0];

describe("architecture", () => {
  it("keeps src/domain free of I/O, frameworks and clock reads", () => {
    const forbidden = /^(node:)?(fs|fs\/promises|net|http|https|child_process|worker_threads)$|^fastify|^@fastify|^drizzle-orm|^better-sqlite3|^pino/;
    const offenders: string[] = [];
    for (const file of sourceFiles(path.join(SRC, "domain"))) {
      for (const spec of importsOf(file)) if (forbidden.test(spec)) offenders.push(`${path.relative(SRC, file)} imports ${spec}`);
      const text = fs.readFileSync(file, "utf8");
      if (/Date\.now\(\)|new Date\(\)|DateTime\.now\(\)/.test(text)) offenders.push(`${path.relative(SRC, file)} reads the clock`);
    }
    expect(offenders).toEqual([]);
  });

  it("points dependencies one way: domain <- services <- http, db implements services' ports", () => {
    const allowed: Record<string, string[]> = {
      domain: ["domain"],
      services: ["domain", "services"],
      db: ["domain", "services", "db", "config.ts"],
      http: ["domain", "services", "http", "documents", "config.ts"],
      documents: ["domain", "documents"],
    };
    const offenders: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const from = layerOf(file)!;
      const rules = allowed[from];
      if (!rules) continue;
      for (const spec of importsOf(file).filter((s) => s.startsWith("."))) {
        const target = path.relative(SRC, path.resolve(path.dirname(file), spec)).split(path.sep)[0]!.replace(/\.js$/, ".ts");
        if (!rules.includes(target)) offenders.push(`${path.relative(SRC, file)} -> ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("keeps each dialect's driver and SQL in its own folder (issue #16): better-sqlite3 in src/db/sqlite, pg in src/db/postgres", () => {
    const homes: [RegExp, string][] = [
      [/^better-sqlite3$/, path.join("db", "sqlite")],
      [/^pg$|^drizzle-orm\/(node-postgres|pg-core)/, path.join("db", "postgres")],
      [/^drizzle-orm\/(better-sqlite3|sqlite-core)/, path.join("db", "sqlite")],
    ];
    const offenders: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const relative = path.relative(SRC, file);
      for (const spec of importsOf(file))
        for (const [pattern, home] of homes) if (pattern.test(spec) && !relative.startsWith(home + path.sep)) offenders.push(`${relative} imports ${spec}`);
    }
    // The importer reads an SQLite file from the PostgreSQL side (migrate-to-postgres), by type only.
    expect(offenders.filter((o) => o !== `${path.join("db", "postgres", "import-sqlite.ts")} imports better-sqlite3`)).toEqual([]);
  });
});
