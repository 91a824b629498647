/**
 * The outbox's cost (issue #15 "Done means": events/s with the outbox on vs off, same run, and
 * delivery throughput). On a real SQLite file opened like the server's (WAL, synchronous=FULL).
 *
 * 1. Ingestion, until the write path enqueues (the lead wires it): one durable transaction per
 *    "event" inserting a row shaped like an event, alone (off) or with what the outbox adds to a
 *    dossier write (on): the portal record (~2 KB), one webhook message, and the dossier's
 *    re-planned moments (4 rows). Rerun against the real routes once wired.
 * 2. Delivery: messages over many dossiers to a loopback receiver answering 204 at once, and one
 *    answering after 20 ms, through the real dispatcher and HTTP deliverer.
 *
 *   npx tsx scripts/bench/outbox.ts [--writes 2000] [--messages 2000] [--concurrency 16]
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { openSqlite } from "../../src/db/sqlite/sqlite-client.js";
import { createSqliteOutboxRepository } from "../../src/db/sqlite/outbox-repository.js";
import { createSqliteScheduleRepository } from "../../src/db/sqlite/schedule-repository.js";
import type { Moment } from "../../src/domain/outbound/next-moments.js";
import { createDispatcher } from "../../src/services/outbound/dispatcher.js";
import { createHttpDeliverer } from "../../src/services/outbound/http-deliverer.js";
import { newMessageId, webhookEnvelope } from "../../src/services/outbound/outbound-messages.js";
import { PORTAL_DESTINATION } from "../../src/services/outbound/outbox-ports.js";

const { values } = parseArgs({ options: { writes: { type: "string", default: "2000" }, messages: { type: "string", default: "2000" }, concurrency: { type: "string", default: "16" } } });
const WRITES = Number(values.writes);
const MESSAGES = Number(values.messages);
const CONCURRENCY = Number(values.concurrency);
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

const record = JSON.stringify({
  MaHoSo: "000.00.12.H22-250707-0001",
  MaTTHC: "1.001234",
  TenTTHC: "Đăng ký khai sinh",
  QuaTrinhXuLy: Array.from({ length: 8 }, (_, i) => ({ NguoiXuLy: "Trần Thị Bình", ThoiDiemXuLy: "20250707090000", PhongBanXuLy: "Sở Tư pháp", NoiDungXuLy: `Bước ${i}`, TrangThai: 4 })),
  padding: "x".repeat(1200),
});

function ingestion(dir: string) {
  const handle = openSqlite(path.join(dir, "ingest.db"));
  const { sqlite } = handle;
  sqlite.exec("create table bench_events (id integer primary key, receipt_code text not null, payload text not null)");
  const insertEvent = sqlite.prepare("insert into bench_events (receipt_code, payload) values (?, ?)");
  const outbox = createSqliteOutboxRepository(handle.db);
  const schedule = createSqliteScheduleRepository(handle.db);
  const event = JSON.stringify({ eventId: "00000000-0000-4000-8000-000000000000", type: "transferred", occurredAt: 1_751_853_600_000, agencyCode: "000.00.12.H22", toAgencyCode: "000.20.34.H22" });
  const moments = (i: number): Moment[] =>
    ["at_risk:75", "at_risk:90", "overdue", "duty:transfer:0"].map((k, j) => ({
      key: `${k}:${i}`,
      eventType: j < 2 ? "dossier.at_risk" : j === 2 ? "dossier.overdue" : "duty.overdue",
      at: 1_751_853_600_000 + j * 3_600_000,
      expiresAt: null,
      detail: { kind: "overdue", basis: "due", dueAt: 0, periodStartedAt: 0 },
    }));
  const off = sqlite.transaction((i: number) => insertEvent.run(`D${i % 500}`, event));
  const on = sqlite.transaction((i: number) => {
    const code = `D${i % 500}`;
    insertEvent.run(code, event);
    outbox.enqueue([
      { id: newMessageId(), orderingKey: code, receiptCode: code, destination: PORTAL_DESTINATION, eventType: "portal.record", payload: record, createdAt: i },
      { id: newMessageId(), orderingKey: code, receiptCode: code, destination: { kind: "webhook", id: "wh_1" }, eventType: "dossier.status_changed", payload: webhookEnvelope("dossier.status_changed", i, { receiptCode: code, status: "in_progress" }), createdAt: i },
    ]);
    schedule.replan(code, moments(i), i);
  });
  const run = (fn: (i: number) => unknown) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < WRITES; i++) fn(i);
    return WRITES / seconds(start);
  };
  // Alternate, twice each, so that disk warm-up does not favour one side.
  const offRates = [run(off), run(off)];
  const onRates = [run(on), run(on)];
  offRates.push(run(off));
  onRates.push(run(on));
  handle.close();
  const best = (xs: number[]) => Math.max(...xs);
  return { off: best(offRates), on: best(onRates) };
}

async function delivery(dir: string, delayMs: number, synchronous: "FULL" | "NORMAL") {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => (delayMs > 0 ? setTimeout(() => res.writeHead(204).end(), delayMs) : res.writeHead(204).end()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sync`;
  const handle = openSqlite(path.join(dir, `deliver-${delayMs}-${synchronous}.db`));
  // The dispatcher's own writes (leases, settlements) may skip the fsync: losing the last of them
  // in a power cut only means delivering again (at least once). Enqueues stay FULL (the writes').
  handle.sqlite.pragma(`synchronous = ${synchronous}`);
  const outbox = createSqliteOutboxRepository(handle.db);
  handle.sqlite.transaction(() => {
    for (let i = 0; i < MESSAGES; i++) {
      const code = `D${i % 200}`;
      outbox.enqueue([{ id: newMessageId(), orderingKey: code, receiptCode: code, destination: PORTAL_DESTINATION, eventType: "portal.record", payload: record, createdAt: 0 }]);
    }
  })();
  const dispatcher = createDispatcher({
    outbox,
    deliver: createHttpDeliverer({ endpoints: async () => ({ url, auth: { kind: "bearer", token: "t" } }), policy: { allowPrivate: true }, now: Date.now }),
    now: Date.now,
    concurrency: CONCURRENCY,
    pollMs: 5,
  });
  const start = process.hrtime.bigint();
  dispatcher.start();
  while ((await outbox.backlog(Date.now())).pending > 0) await new Promise((r) => setTimeout(r, 100));
  const rate = MESSAGES / seconds(start);
  await dispatcher.stop();
  handle.close();
  await new Promise((resolve) => server.close(resolve));
  return rate;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-bench-outbox-"));
  try {
    console.log(`node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), ${WRITES} writes, ${MESSAGES} messages, concurrency ${CONCURRENCY}`);
    const { off, on } = ingestion(dir);
    console.log(`ingestion (durable transactions/s): outbox off ${off.toFixed(0)}, on ${on.toFixed(0)} (${(((off - on) / off) * 100).toFixed(1)} % slower)`);
    for (const sync of ["FULL", "NORMAL"] as const) {
      console.log(`delivery (dispatcher connection synchronous=${sync}), receiver answers at once: ${(await delivery(dir, 0, sync)).toFixed(0)} messages/s`);
      console.log(`delivery (dispatcher connection synchronous=${sync}), receiver answers after 20 ms: ${(await delivery(dir, 20, sync)).toFixed(0)} messages/s`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
