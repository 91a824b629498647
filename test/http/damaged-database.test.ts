/**
 * A damaged database file is refused at start-up, never served (issue #11): a real database
 * written through the real API, copied, a page of it overwritten with garbage.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import supertest from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServiceApp } from "../../src/composition.js";
import { DatabaseDamagedError } from "../../src/db/sqlite/sqlite-client.js";
import { backupDatabase } from "../../src/db/sqlite/backup.js";
import { freePort } from "../../scripts/crash/server-process.js";
import { ADMIN_KEY, type TestApp } from "../support/test-app.js";
import { event, JUSTICE, postEvent, received, seedProvince } from "../support/dossier-fixtures.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-damaged-"));
const sound = path.join(dir, "sound.db");

const build = (dbFile: string) => buildServiceApp({ config: { dbFile, adminKey: ADMIN_KEY, logLevel: "silent" }, logger: false, loadShedding: false });

/** A copy of the sound database with `page` (1-based) overwritten by a repeated pattern, its header kept or not. */
function damagedCopy(name: string, page: (db: Database.Database) => number, keepPageHeader = false): string {
  const file = path.join(dir, name);
  fs.copyFileSync(sound, file);
  const db = new Database(file, { readonly: true });
  const pageSize = db.pragma("page_size", { simple: true }) as number;
  const target = page(db);
  db.close();
  const skip = keepPageHeader ? 12 : 0;
  const garbage = Buffer.alloc(pageSize - skip, Buffer.from([0xde, 0xad, 0xbe, 0xef]));
  const fd = fs.openSync(file, "r+");
  fs.writeSync(fd, garbage, 0, garbage.length, (target - 1) * pageSize + skip);
  fs.closeSync(fd);
  return file;
}

/** The root page of the events table: read by no start-up step, so only a check can notice it. */
const eventsPage = (db: Database.Database) => (db.prepare("select rootpage from sqlite_master where name = 'dossier_events'").get() as { rootpage: number }).rootpage;

beforeAll(async () => {
  // A small real database: the province, dossiers and their events, written through HTTP.
  const app = await build(sound);
  await app.ready();
  const t = { app, http: supertest(app.server), dbFile: sound, close: async () => undefined } as TestApp;
  await seedProvince(t);
  for (let i = 0; i < 5; i++) {
    const code = await received(t);
    await postEvent(t, code, event("transferred", "2025-03-03T09:00:00+07:00", { toAgencyCode: JUSTICE })).expect(201);
  }
  await app.close(); // checkpoints the WAL into the file
  expect(fs.existsSync(`${sound}-wal`)).toBe(false);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("a damaged database file", () => {
  it("starts on the sound file (the damage below is the only difference)", async () => {
    const copy = path.join(dir, "copy.db");
    fs.copyFileSync(sound, copy);
    const app = await build(copy);
    await app.ready();
    await supertest(app.server).get("/readyz").expect(200);
    await app.close();
  });

  it("is refused at start-up with a clear message when a data page holds garbage", async () => {
    const file = damagedCopy("events-page.db", eventsPage);
    const start = build(file);
    await expect(start).rejects.toBeInstanceOf(DatabaseDamagedError);
    await expect(start).rejects.toThrow(/is damaged; motcua will not start on it\.\n {2}PRAGMA quick_check: .+\n {2}Restore the latest backup/);
  });

  it("is refused when the garbage keeps a valid page header", async () => {
    const file = damagedCopy("events-cells.db", eventsPage, true);
    await expect(build(file)).rejects.toBeInstanceOf(DatabaseDamagedError);
  });

  it("is refused when the first page (the file header) holds garbage", async () => {
    const file = damagedCopy("header.db", () => 1);
    await expect(build(file)).rejects.toThrow(/is damaged; motcua will not start on it\.\n {2}PRAGMA quick_check: file is not a database/);
  });

  it("makes the real server exit 1 with that message, and it never accepts a connection", async () => {
    const file = damagedCopy("server.db", eventsPage);
    const port = await freePort();
    const child = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", MOTCUA_DB_FILE: file, MOTCUA_ADMIN_KEY: ADMIN_KEY, LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    let served = false;
    let running = true;
    void exited.then(() => (running = false));
    try {
      // Knock on the port until the process is gone (15 s at most): a start-up that got as far as listening would answer.
      const until = Date.now() + 15_000;
      while (running && Date.now() < until) {
        served ||= await new Promise<boolean>((resolve) => {
          const socket = net.connect(port, "127.0.0.1");
          socket.once("connect", () => (socket.destroy(), resolve(true)));
          socket.once("error", () => resolve(false));
        });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      if (running) child.kill("SIGKILL");
    }
    expect(served).toBe(false);
    expect(await exited).toBe(1);
    expect(stderr).toMatch(/^The database file .*server\.db is damaged; motcua will not start on it\./m);
    expect(stderr).not.toMatch(/\n\s+at /); // a sentence for the operator, not a stack trace
  }, 20_000);
});

describe("npm run backup of a damaged database", () => {
  it("reports the damage and moves the copy aside, so that nothing restorable has the backup's name", async () => {
    const source = damagedCopy("backup-source.db", eventsPage);
    const target = path.join(dir, "backup.db");
    const result = await backupDatabase(source, target);
    expect(result.integrity).not.toBe("ok");
    expect(result.file).toBe(`${target}.damaged`);
    expect(fs.existsSync(target)).toBe(false);
    expect(fs.existsSync(`${target}.damaged`)).toBe(true);
  });

  it("keeps a sound copy at the target", async () => {
    const target = path.join(dir, "sound-backup.db");
    const result = await backupDatabase(sound, target);
    expect(result).toMatchObject({ integrity: "ok", file: target });
  });
});
