/**
 * What the ETag costs a dossier lookup (issue #14 item 7): CPU per GET /v1/dossiers/{code}, in one
 * process, on two apps built over copies of the same seeded database: this checkout's, and a
 * baseline checkout's (e.g. the commit before the ETag, exported with `git archive` next to it,
 * its node_modules a symlink to these). Batches of 500 lookups alternate between the two, so that
 * other load on the machine falls on both alike; the first two rounds warm up and are not counted.
 *
 *   git archive <commit> | tar -x -C /tmp/baseline && ln -s "$PWD/node_modules" /tmp/baseline/node_modules
 *   npx tsx scripts/seed.ts --dossiers 20000 --file /tmp/seed.db
 *   npx tsx scripts/bench/etag.ts --baseline /tmp/baseline --file /tmp/seed.db
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import type { FastifyInstance } from "fastify";
import { buildServiceApp } from "../../src/composition.js";

const { values: args } = parseArgs({ options: { baseline: { type: "string" }, file: { type: "string", default: "./data/seed.db" }, rounds: { type: "string", default: "12" } } });
if (args.baseline === undefined) throw new Error("--baseline DIR: a checkout to compare with");
const KEY = "bench-admin-key-0123456789abcdef";
const BATCH = 500;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-etag-"));
const copy = (name: string) => {
  const file = path.join(dir, `${name}.db`);
  fs.copyFileSync(args.file, file);
  return file;
};
const codes = (new Database(args.file, { readonly: true }).prepare(`select receipt_code as c from dossiers order by random() limit ${4 * BATCH}`).all() as { c: string }[]).map((r) => r.c);
const options = (dbFile: string) => ({ config: { dbFile, adminKey: KEY, logLevel: "silent" as const }, logger: false, loadShedding: false as const });
// The baseline is a checkout from before the composition root, whose buildApp opened the database itself.
const baseline = (await import(path.resolve(args.baseline, "src/http/app.ts"))) as { buildApp: (o: ReturnType<typeof options>) => Promise<FastifyInstance> };
const apps: Record<string, FastifyInstance> = { baseline: await baseline.buildApp(options(copy("baseline"))), "this checkout": await buildServiceApp({ ...options(copy("this")), outbound: { loops: false } }) };
for (const app of Object.values(apps)) await app.ready();

const cpu: Record<string, number> = {};
const count: Record<string, number> = {};
const tagged: Record<string, number> = {};
for (let round = 0; round < Number(args.rounds); round++)
  for (const [name, app] of Object.entries(apps)) {
    const start = process.cpuUsage();
    for (const code of codes.slice((round % 4) * BATCH, (round % 4 + 1) * BATCH)) {
      const res = await app.inject({ method: "GET", url: `/v1/dossiers/${code}`, headers: { authorization: `Bearer ${KEY}` } });
      if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
      if (res.headers.etag !== undefined) tagged[name] = (tagged[name] ?? 0) + 1;
    }
    const used = process.cpuUsage(start);
    if (round < 2) continue;
    cpu[name] = (cpu[name] ?? 0) + used.user + used.system;
    count[name] = (count[name] ?? 0) + BATCH;
  }
const perLookup = (name: string) => cpu[name]! / count[name]!;
for (const name of Object.keys(apps)) console.log(`${name}: ${perLookup(name).toFixed(0)} µs CPU per lookup over ${count[name]} lookups (${tagged[name] ?? 0} answers with an ETag)`);
console.log(`difference: ${((perLookup("this checkout") / perLookup("baseline") - 1) * 100).toFixed(1)} %`);
for (const app of Object.values(apps)) await app.close();
fs.rmSync(dir, { recursive: true, force: true });
