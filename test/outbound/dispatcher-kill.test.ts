/**
 * Issue #15: "kill the server mid-delivery, restart, every message arrives, none out of order per
 * dossier". The dispatcher runs in a child process on a SQLite file; it is SIGKILLed (no handler
 * runs, nothing is flushed) while deliveries are in flight; a new process on the same file
 * delivers everything.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { openSqlite } from "../../src/db/sqlite/sqlite-client.js";
import { createSqliteOutboxRepository } from "../../src/db/sqlite/outbox-repository.js";
import { PORTAL_DESTINATION } from "../../src/services/outbound/outbox-ports.js";

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), "support", "dispatcher-process.ts");
const children = new Set<ChildProcess>();

function startDispatcher(file: string, url: string, skewMs: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", SCRIPT, file, url, String(skewMs)], { stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  return new Promise((resolve, reject) => {
    let err = "";
    child.stderr!.on("data", (c) => (err += c));
    child.stdout!.on("data", (c: Buffer) => {
      if (c.toString().includes("ready")) resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`dispatcher process exited ${code}: ${err}`)));
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("the dispatcher survives kill -9", () => {
  afterEach(async () => {
    for (const c of children) await kill(c);
    children.clear();
  });

  it("a new process on the same file delivers every message, none out of order per dossier", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-outbox-kill-"));
    const file = path.join(dir, "outbox.db");
    const log: { key: string; seq: number }[] = [];
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        log.push(JSON.parse(body) as { key: string; seq: number }); // stored on arrival
        setTimeout(() => res.writeHead(200).end(), 30);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sync`;
    const handle = openSqlite(file);
    try {
      const outbox = createSqliteOutboxRepository(handle.db);
      const keys = ["K0", "K1", "K2", "K3", "K4", "K5"];
      const PER_KEY = 8;
      handle.sqlite.transaction(() => {
        for (let seq = 0; seq < PER_KEY; seq++)
          for (const key of keys)
            outbox.enqueue([{ id: `msg_${key}_${seq}`, orderingKey: key, receiptCode: key, destination: PORTAL_DESTINATION, eventType: "portal.record", payload: JSON.stringify({ key, seq }), createdAt: Date.now() }]);
      })();

      const first = await startDispatcher(file, url, 0);
      await until(() => log.length >= 12);
      await kill(first);
      const cut = log.length;
      expect((await outbox.backlog(Date.now())).pending).toBeGreaterThan(0);

      // The killed process's leases (5 s) must have run out for the new one: its clock is ahead.
      await startDispatcher(file, url, 6_000);
      await until(async () => (await outbox.backlog(Date.now())).pending === 0);

      for (const key of keys) {
        const seqs = log.filter((r) => r.key === key).map((r) => r.seq);
        for (let i = 1; i < seqs.length; i++) expect(seqs[i]!, `${key}: ${seqs.join(",")}`).toBeGreaterThanOrEqual(seqs[i - 1]!);
        expect(new Set(seqs)).toEqual(new Set(Array.from({ length: PER_KEY }, (_, i) => i)));
      }
      expect(cut).toBeLessThan(keys.length * PER_KEY);
      // Not vacuous: the kill cut deliveries in flight (received, never settled), delivered again.
      expect(log.length).toBeGreaterThan(keys.length * PER_KEY);
    } finally {
      handle.close();
      await new Promise((resolve) => server.close(resolve));
      for (const c of children) await kill(c);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
