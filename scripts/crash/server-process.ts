/**
 * The real server as a child process on a given database file: start and wait for /readyz, kill
 * it with SIGKILL (a crash: no handler runs, nothing is flushed or closed) or stop it gracefully.
 * It runs as `node --import tsx src/server.ts`, one process: `npx tsx` would put a wrapper
 * process in between, and a SIGKILL to the wrapper would leave the server running.
 */
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";

const HOST = "127.0.0.1";
const KEPT_OUTPUT_LINES = 40;

export interface ServerOptions {
  /** The project folder holding src/server.ts. */
  readonly projectRoot: string;
  readonly dbFile: string;
  readonly adminKey: string;
  readonly readyTimeoutMs: number;
  /** More environment for the server (MOTCUA_PORTAL_URL, …). */
  readonly env?: Readonly<Record<string, string>>;
}

export interface ServerProcess {
  readonly baseUrl: string;
  /** From spawn to /readyz answering 200, including WAL recovery after a crash. */
  readonly readyMs: number;
  /** SIGKILL; resolves with the milliseconds until the process was seen gone. */
  kill(): Promise<number>;
  /** SIGTERM: the server closes the database (checkpointing the WAL); resolves with the exit code. */
  stop(): Promise<number | null>;
  /** The last lines the server printed, for error reports. */
  recentOutput(): string;
}

// Children still running when this process exits (an error, a failed test) are killed with it.
const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** A port nobody listens on now (the kernel's pick for port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

const START_ATTEMPTS = 3;

/**
 * Starts the server on a free port. Between probing the port and the server binding it another
 * process may take it (tests run in parallel): that start is retried on a new port.
 */
export async function startServer(options: ServerOptions): Promise<ServerProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(options, await freePort());
    } catch (error) {
      if (attempt >= START_ATTEMPTS || !String(error).includes("EADDRINUSE")) throw error;
    }
  }
}

async function launch(options: ServerOptions, port: number): Promise<ServerProcess> {
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
    cwd: options.projectRoot,
    env: { ...process.env, PORT: String(port), HOST, MOTCUA_DB_FILE: options.dbFile, MOTCUA_ADMIN_KEY: options.adminKey, LOG_LEVEL: "warn", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  // "close" comes after "exit" and after the output pipes are drained: error reports are complete.
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
  void exited.then(() => running.delete(child));
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    output.splice(0, Math.max(0, output.length - KEPT_OUTPUT_LINES));
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const recentOutput = () => output.join("\n");
  const gone = () => child.exitCode !== null || child.signalCode !== null;

  const baseUrl = `http://${HOST}:${port}`;
  try {
    await waitReady(baseUrl, options.readyTimeoutMs, gone);
  } catch (error) {
    child.kill("SIGKILL");
    await exited;
    throw new Error(`${error instanceof Error ? error.message : String(error)}; server output:\n${recentOutput()}`);
  }
  const readyMs = performance.now() - started;

  return {
    baseUrl,
    readyMs,
    recentOutput,
    async kill() {
      const signalled = performance.now();
      if (!gone()) child.kill("SIGKILL");
      await exited;
      return performance.now() - signalled;
    },
    async stop() {
      if (!gone()) child.kill("SIGTERM");
      // The server forces its own exit after 10 s; this is the backstop if even that hangs.
      const backstop = setTimeout(() => child.kill("SIGKILL"), 20_000);
      await exited;
      clearTimeout(backstop);
      return child.exitCode;
    },
  };
}

async function waitReady(baseUrl: string, timeoutMs: number, gone: () => boolean): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (gone()) throw new Error("the server exited before it was ready");
    try {
      const res = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(5_000) });
      await res.body?.cancel();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the server was not ready after ${timeoutMs} ms`);
}
