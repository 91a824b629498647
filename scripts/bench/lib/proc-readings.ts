/**
 * What the benchmarks read of processes and of the machine from Linux's /proc: resident memory,
 * CPU time, and the machine's busy time (so that a figure can say where the CPU went and how much
 * of the machine other work took during the run). Every reader returns 0 for a process that is gone.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux almost always). */
export const CLOCK_TICKS: number = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** VmRSS of a process in KiB. */
export function rssKb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * Proportional set size in KiB (/proc/<pid>/smaps_rollup): shared pages divided among the processes
 * that map them, so that the PSS of a server's processes add up to the memory the server uses
 * (the RSS of PostgreSQL's processes would count its shared buffers once per process).
 */
export function pssKb(pid: number): number {
  try {
    const match = /^Pss:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** Fields 14–17 of /proc/<pid>/stat (utime, stime, cutime, cstime), in ticks; the name may hold spaces. */
function statTimes(pid: number): [number, number, number, number] | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    // fields[0] is field 3 (state): utime is field 14, so fields[11].
    return [Number(fields[11]), Number(fields[12]), Number(fields[13]), Number(fields[14])];
  } catch {
    return undefined;
  }
}

/** CPU seconds a process has used (user + system), with those of its children it has waited for when asked. */
export function cpuSeconds(pid: number, withReapedChildren = false): number {
  const t = statTimes(pid);
  if (!t) return 0;
  return (t[0] + t[1] + (withReapedChildren ? t[2] + t[3] : 0)) / CLOCK_TICKS;
}

/** The live children of a process (by their parent pid). */
export function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(text.slice(text.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/**
 * CPU seconds of a server that forks a process per connection (PostgreSQL): the parent's own, those
 * of the children it has reaped (connections closed), and those of its live children. The
 * difference of two readings is what the server used in between, whatever connections came and went.
 */
export function treeCpuSeconds(pid: number): number {
  return cpuSeconds(pid, true) + childrenOf(pid).reduce((sum, child) => sum + cpuSeconds(child), 0);
}

/** The summed PSS of a server and its live children, in KiB. */
export function treePssKb(pid: number): number {
  return pssKb(pid) + childrenOf(pid).reduce((sum, child) => sum + pssKb(child), 0);
}

/** The machine's CPU seconds from /proc/stat: busy (not idle, not waiting for I/O) and in all, summed over the cores. */
export function machineCpuSeconds(): { busy: number; total: number } {
  const line = fs.readFileSync("/proc/stat", "utf8").split("\n")[0]!;
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest times are inside user already)
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = ticks;
  const busy = user + nice + system + irq + softirq + steal;
  return { busy: busy / CLOCK_TICKS, total: (busy + idle + iowait) / CLOCK_TICKS };
}
