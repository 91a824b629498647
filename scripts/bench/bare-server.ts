/**
 * The baseline of scripts/bench/api.ts: a bare Fastify server on the same Node, in its own process
 * like the app, with the logger at the same level and nothing else (no hooks, no schemas).
 *
 *   PORT=3999 LOG_LEVEL=warn [BARE_PAYLOAD_FILE=dossier.json] node --import tsx scripts/bench/bare-server.ts
 *
 * - GET /bare          -> {"hello":"world"}: the cost of Fastify + HTTP + a tiny JSON body.
 * - GET /bare/payload  -> the JSON of BARE_PAYLOAD_FILE (a real dossier response), serialized with
 *                         JSON.stringify on every request: the same bytes on the wire as a lookup.
 * - GET /bare/sqlite/:code -> with BARE_DB_FILE (the seeded database, opened read-only): the dossier
 *                         row and its events (payloads parsed) through prepared better-sqlite3
 *                         statements: the floor of a lookup that must read the database.
 * - GET /readyz        -> 200 once listening.
 * Loopback only (127.0.0.1). SIGTERM/SIGINT close it.
 */
import fs from "node:fs";
import Database from "better-sqlite3";
import Fastify from "fastify";

const port = Number(process.env.PORT ?? "3999");
const level = process.env.LOG_LEVEL ?? "warn";
const payloadFile = process.env.BARE_PAYLOAD_FILE;
const payload: unknown = payloadFile ? JSON.parse(fs.readFileSync(payloadFile, "utf8")) : { hello: "world" };

const app = Fastify({ logger: { level } });
app.get("/bare", async () => ({ hello: "world" }));
app.get("/bare/payload", async () => payload);
app.get("/readyz", async () => ({ status: "ready" }));

const dbFile = process.env.BARE_DB_FILE;
if (dbFile) {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  const dossier = db.prepare("SELECT * FROM dossiers WHERE receipt_code = ?");
  const events = db.prepare("SELECT payload, recorded_at FROM dossier_events WHERE receipt_code = ? ORDER BY occurred_at, event_id");
  const read = db.transaction((code: string) => {
    const row = dossier.get(code);
    if (row === undefined) return undefined;
    const history = (events.all(code) as { payload: string; recorded_at: number }[]).map((e) => ({ ...(JSON.parse(e.payload) as object), recordedAt: e.recorded_at }));
    return { dossier: row, events: history };
  });
  app.get<{ Params: { code: string } }>("/bare/sqlite/:code", async (request, reply) => {
    const found = read(request.params.code);
    return found ?? reply.code(404).send({ error: "not found" });
  });
  app.addHook("onClose", async () => db.close());
}

const close = () => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on("SIGTERM", close);
process.on("SIGINT", close);

await app.listen({ port, host: "127.0.0.1" });
