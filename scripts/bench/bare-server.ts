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
 * - GET /bare/postgres/:code -> with BARE_PG_URL (a PostgreSQL copy of the seed): the same two reads
 *                         with `pg` alone, as the app's repository does them (one read-only
 *                         repeatable-read transaction: BEGIN, the row, the events, COMMIT), on a
 *                         pool of BARE_PG_POOL connections (default 10): the floor of a lookup on
 *                         PostgreSQL.
 * - GET /readyz        -> 200 once listening.
 * Loopback only (127.0.0.1). SIGTERM/SIGINT close it.
 */
import fs from "node:fs";
import Database from "better-sqlite3";
import Fastify from "fastify";
import pg from "pg";

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

const pgUrl = process.env.BARE_PG_URL;
if (pgUrl) {
  const pool = new pg.Pool({ connectionString: pgUrl, max: Number(process.env.BARE_PG_POOL ?? "10"), application_name: "motcua-bare" });
  pool.on("error", () => undefined);
  app.get<{ Params: { code: string } }>("/bare/postgres/:code", async (request, reply) => {
    const client = await pool.connect();
    try {
      await client.query("begin isolation level repeatable read read only");
      const row = (await client.query({ text: "select * from dossiers where receipt_code = $1", values: [request.params.code] })).rows[0] as object | undefined;
      const events = row
        ? (
            await client.query({
              text: 'select payload, recorded_at from dossier_events where receipt_code = $1 order by occurred_at, event_id collate "C"',
              values: [request.params.code],
            })
          ).rows.map((e: { payload: object; recorded_at: number }) => ({ ...e.payload, recordedAt: e.recorded_at }))
        : [];
      await client.query("commit");
      return row ? { dossier: row, events } : reply.code(404).send({ error: "not found" });
    } catch (error) {
      await client.query("rollback").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  });
  app.addHook("onClose", async () => pool.end());
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
