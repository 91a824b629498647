/**
 * One load phase with autocannon against one server or several instances of it. With several,
 * the connections (and the request budget) are split evenly and one autocannon run per instance
 * goes in parallel, in this process: the load generator costs the same CPU as against one
 * instance, and requests that share state (a queue of dossiers) draw from it whichever instance
 * they go to. Throughput is summed and latencies merged, per response, in ms (autocannon's own
 * histogram has 1 ms buckets). The RSS of each instance is sampled every 200 ms.
 */
import autocannon from "autocannon";
import { HOST, type Server } from "./child-servers.js";
import { rssKb } from "./proc-readings.js";

export interface PhaseResult {
  readonly name: string;
  readonly responses: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly statusCodes: Record<string, number>;
  /** The highest RSS of any instance. */
  readonly rssPeakKb: number;
  /** The highest RSS of each instance, in the order given. */
  readonly rssPeaksKb: readonly number[];
  readonly bytesPerResponse: number;
}

export interface PhaseOptions {
  /** One server, or the instances to split the load across. */
  readonly servers: readonly Server[];
  readonly connections: number;
  readonly requests: autocannon.Request[];
  readonly headers?: Record<string, string>;
  /** Seconds (a cap when `amount` is given). */
  readonly duration: number;
  /** Stop after this many responses (in all). */
  readonly amount?: number;
  readonly initialContext?: object;
}

const percentile = (sorted: Float64Array, q: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);

/** `total` split in `parts` near-equal integers, the larger ones first. */
const split = (total: number, parts: number) => Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));

export async function runPhase(name: string, options: PhaseOptions): Promise<PhaseResult> {
  const { servers } = options;
  if (servers.length === 0 || options.connections < servers.length) throw new Error(`${name}: at least one connection per instance`);
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let bytes = 0;
  let first = 0;
  let last = 0;
  const rssPeaksKb = servers.map((s) => rssKb(s.pid));
  const sampler = setInterval(() => servers.forEach((s, i) => (rssPeaksKb[i] = Math.max(rssPeaksKb[i]!, rssKb(s.pid)))), 200);
  const started = performance.now();
  const connections = split(options.connections, servers.length);
  const amounts = options.amount === undefined ? undefined : split(options.amount, servers.length);
  try {
    const results = await Promise.all(
      servers.map(
        (server, i) =>
          new Promise<autocannon.Result>((resolve, reject) => {
            const instance = autocannon(
              {
                url: `http://${HOST}:${server.port}`,
                connections: connections[i]!,
                pipelining: 1,
                duration: options.duration,
                ...(amounts !== undefined ? { amount: amounts[i]! } : {}),
                ...(options.headers ? { headers: options.headers } : {}),
                ...(options.initialContext ? { initialContext: options.initialContext } : {}),
                requests: options.requests,
                timeout: 30,
              },
              (error, result) => {
                clearTimeout(cap);
                if (error) reject(error instanceof Error ? error : new Error(String(error)));
                else resolve(result);
              },
            );
            instance.on("response", (_client, statusCode, resBytes, responseTime) => {
              const now = performance.now();
              if (latencies.length === 0) first = now;
              last = now;
              latencies.push(responseTime);
              bytes += resBytes;
              statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
            });
            // With `amount`, autocannon ignores the duration: cap it ourselves.
            const cap = setTimeout(() => instance.stop(), (options.duration + 5) * 1000);
          }),
      ),
    );
    const sorted = Float64Array.from(latencies).sort();
    // The rate over the span of responses (first to last), not over the set-up of connections.
    const seconds = latencies.length > 1 ? (last - first) / 1000 : (performance.now() - started) / 1000;
    const non2xx = Object.entries(statusCodes).reduce((s, [code, n]) => s + (code.startsWith("2") ? 0 : n), 0);
    return {
      name,
      responses: latencies.length,
      seconds,
      perSecond: latencies.length / Math.max(seconds, 1e-9),
      p50: percentile(sorted, 0.5),
      p90: percentile(sorted, 0.9),
      p99: percentile(sorted, 0.99),
      max: sorted.length > 0 ? sorted[sorted.length - 1]! : 0,
      non2xx,
      errors: results.reduce((s, r) => s + r.errors, 0),
      timeouts: results.reduce((s, r) => s + r.timeouts, 0),
      statusCodes,
      rssPeakKb: Math.max(...rssPeaksKb),
      rssPeaksKb,
      bytesPerResponse: latencies.length > 0 ? bytes / latencies.length : 0,
    };
  } finally {
    clearInterval(sampler);
  }
}
