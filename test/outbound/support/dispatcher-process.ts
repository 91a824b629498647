/**
 * A dispatcher alone in a process, for the kill -9 test: `node --import tsx dispatcher-process.ts
 * <db file> <portal url> <clock skew ms>`. Prints "ready" once started; runs until killed.
 */
import { openSqlite } from "../../../src/db/sqlite/sqlite-client.js";
import { createSqliteOutboxRepository } from "../../../src/db/sqlite/outbox-repository.js";
import { createDispatcher } from "../../../src/services/outbound/dispatcher.js";
import { createHttpDeliverer } from "../../../src/services/outbound/http-deliverer.js";

const [file, url, skew] = process.argv.slice(2) as [string, string, string];
const now = () => Date.now() + Number(skew);
const handle = openSqlite(file);
const dispatcher = createDispatcher({
  outbox: createSqliteOutboxRepository(handle.db),
  deliver: createHttpDeliverer({ endpoints: async () => ({ url, auth: { kind: "bearer", token: "t" } }), policy: { allowPrivate: true }, now }),
  now,
  concurrency: 4,
  leaseMs: 5_000,
  pollMs: 5,
});
dispatcher.start();
process.stdout.write("ready\n");
setInterval(() => undefined, 1 << 30);
