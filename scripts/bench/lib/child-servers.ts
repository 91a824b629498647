/**
 * The servers a benchmark starts as child processes (the app, the bare baseline), on loopback:
 * started with their last output kept for error reports, waited for on /readyz, stopped gracefully.
 * Every child is killed when the benchmark exits, fails, or is interrupted (SIGINT/SIGTERM).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
export const HOST = "127.0.0.1";

export const log = (message: string) => process.stderr.write(`${message}\n`);
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const children = new Set<ChildProcess>();
/** Cleanups of other resources (a throwaway PostgreSQL) to run on failure and interruption. */
const cleanups = new Set<() => Promise<void>>();

export function killChildren(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try {
        process.kill(child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }
  children.clear();
}

async function cleanUp(): Promise<void> {
  killChildren();
  for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  cleanups.clear();
}

let installed = false;
function installExitHandlers(): void {
  if (installed) return;
  installed = true;
  process.on("exit", killChildren);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      log(`\nbench: ${signal}, stopping the servers`);
      void cleanUp().finally(() => process.exit(130));
    });
  }
}

/** Runs `cleanup` (once) if the benchmark fails or is interrupted; the returned function unregisters it. */
export function onAbort(cleanup: () => Promise<void>): () => void {
  installExitHandlers();
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** Stops the children and the registered resources, prints the message, exits 1. */
export async function failAndExit(message: string): Promise<never> {
  process.stderr.write(`bench: ${message}\n`);
  await cleanUp();
  process.exit(1);
}

/** Synchronous variant for argument checks and the like: kills the children, exits 1. */
export function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  killChildren();
  process.exit(1);
}

export interface Server {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  readonly port: number;
  /** The last lines it printed, for error reports. */
  readonly output: string[];
}

export function start(name: string, command: string, argv: string[], env: Record<string, string>, port: number, cwd = ROOT): Server {
  installExitHandlers();
  const child = spawn(command, argv, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    if (output.length > 50) output.splice(0, output.length - 50);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  if (child.pid === undefined) fail(`could not start ${name}`);
  return { name, child, pid: child.pid, port, output };
}

/** Graceful stop (SIGTERM: the app closes the database, a CPU profile is written), SIGKILL after 15 s. */
export async function stop(server: Server): Promise<void> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
  children.delete(child);
}

export async function waitReady(server: Server, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) fail(`${server.name} exited (${server.child.exitCode}):\n  ${server.output.join("\n  ")}`);
    try {
      const res = await fetch(`http://${HOST}:${server.port}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  fail(`${server.name} not ready after ${timeoutMs / 1000} s:\n  ${server.output.join("\n  ")}`);
}

/** Heap and external memory from the app's Prometheus metrics (prom-client defaults), in KiB. */
export async function heapOf(port: number): Promise<{ heapUsedKb: number; heapTotalKb: number; externalKb: number } | undefined> {
  try {
    const text = await (await fetch(`http://${HOST}:${port}/metrics`)).text();
    const value = (name: string) => Number(new RegExp(`^\\w*${name}\\s+([0-9.e+]+)`, "m").exec(text)?.[1] ?? NaN) / 1024;
    return { heapUsedKb: value("nodejs_heap_size_used_bytes"), heapTotalKb: value("nodejs_heap_size_total_bytes"), externalKb: value("nodejs_external_memory_bytes") };
  } catch {
    return undefined;
  }
}
