/**
 * Counts the fsync-family system calls of some processes over a span, with `perf stat` on the
 * kernel's syscall tracepoints (attached and detached around the span; the processes run at full
 * speed meanwhile, unlike under strace). It is how a benchmark shows the commits that reach the
 * disk: SQLite's group commit (one fdatasync for many writes) against a commit per transaction.
 * Undefined when perf or the tracepoints are not available (not root, no tracefs).
 */
import { spawn, spawnSync } from "node:child_process";

const EVENTS = ["syscalls:sys_enter_fdatasync", "syscalls:sys_enter_fsync"];

export interface SyscallCount {
  /** Stops counting; the counts per call (fdatasync, fsync), or undefined if perf failed. */
  stop(): Promise<Record<string, number> | undefined>;
}

let available: boolean | undefined;
function perfAvailable(): boolean {
  available ??= spawnSync("perf", ["stat", "-x,", "-e", EVENTS.join(","), "-a", "true"], { encoding: "utf8" }).status === 0;
  return available;
}

export function countSyncCalls(pids: readonly number[]): SyscallCount {
  if (pids.length === 0 || !perfAvailable()) return { stop: async () => undefined };
  const child = spawn("perf", ["stat", "-x,", "-e", EVENTS.join(","), "-p", pids.join(",")], { stdio: ["ignore", "ignore", "pipe"] });
  let output = "";
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    async stop() {
      // perf stat prints its counts when interrupted.
      await new Promise((resolve) => setTimeout(resolve, 50));
      child.kill("SIGINT");
      await exited;
      const counts: Record<string, number> = {};
      for (const line of output.split("\n")) {
        const [value, , event] = line.split(",");
        const name = event?.replace("syscalls:sys_enter_", "");
        if (name && /^\d+$/.test(value ?? "")) counts[name] = Number(value);
      }
      return Object.keys(counts).length > 0 ? counts : undefined;
    },
  };
}
