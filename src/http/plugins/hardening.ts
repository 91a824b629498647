/**
 * Defences that apply to every route: security headers, no caching of personal data, and load
 * shedding (503 with Retry-After) before the event loop collapses. Body-size limits and
 * timeouts are server options (app.ts); only the events route takes larger bodies.
 */
import { getHeapStatistics } from "node:v8";
import type { FastifyInstance } from "fastify";
import underPressure from "@fastify/under-pressure";
import { sendProblem } from "./error-handler.js";
import { SECURITY_HEADERS } from "../security-headers.js";
import { REQUEST_ID_HEADER } from "../request-id.js";
import { startEventLoopLagMonitor } from "../event-loop-lag-monitor.js";
import type { HttpCounters } from "./metrics.js";

export interface LoadShedding {
  /** Shed when the event loop lags by more than this (ms) over one sample interval (event-loop-lag-monitor.ts). */
  readonly maxEventLoopDelayMs: number;
  /** How often the lag and heap are sampled (ms): lag sheds after SUSTAINED_WINDOWS such windows in a row, and until one is calm. */
  readonly sampleIntervalMs?: number;
  /** Shed when the V8 heap is fuller than this share of its limit (0–1): a 503 beats an out-of-memory crash. */
  readonly maxHeapShare: number;
  /** Seconds a shed client should wait (Retry-After). */
  readonly retryAfterSeconds: number;
}

/**
 * Measured with scripts/bench/load-shedding.ts (docs/ROBUSTNESS.md "Issue #11"):
 * - 150 ms of lag: a healthy server under the benchmark's 50 connections lags 20–80 ms (at 100 %
 *   utilisation, so utilisation is no signal), while from 150–200 ms per turn answers pile up
 *   behind the stall (p90 2.5–5 s). The old 1 s let latencies reach 3–6 s unshed.
 * - 500 ms windows, two in a row (SUSTAINED_WINDOWS): shedding starts about 1 s into a sustained
 *   lag, never after a single slow turn.
 * - 90 % of the heap: a 503 beats an out-of-memory crash.
 */
export const DEFAULT_LOAD_SHEDDING: LoadShedding = { maxEventLoopDelayMs: 150, sampleIntervalMs: 500, maxHeapShare: 0.9, retryAfterSeconds: 5 };

/**
 * Shed on lag only when it lasts this many sample windows in a row. One slow turn (a report's
 * SQL on a million dossiers takes ~0.8 s, BENCHMARKS.md) delays the requests that arrived during
 * it, but the loop is free again afterwards: refusing everyone for the next window (and telling
 * them to come back in 5 s) would be worse than the wait they already had. A check cannot run
 * during a turn, so a single turn, however long, is seen by one window only.
 */
const SUSTAINED_WINDOWS = 2;

/**
 * Never shed: the liveness probe and the metrics. An orchestrator restarts a process whose liveness fails, so a
 * 503 there would kill a busy but healthy server exactly when it is needed (issue #11, item 3).
 * Readiness (/readyz) may shed: a load balancer then sends traffic elsewhere, which is the point.
 * The metrics: an overload is exactly when the operator needs to see it (and its refusals);
 * a scrape is one small text answer every 15–60 s.
 */
const NEVER_SHED: ReadonlySet<string> = new Set(["/healthz", "/metrics"]);

/** The Swagger UI (a page for people, with its own policy in swagger.ts) keeps its own caching and CSP. */
const DOCS = /^\/docs(\/|$|\?)/;

/** under-pressure's names for what is under pressure -> the metric's `reason` label. */
const SHED_REASONS: Readonly<Record<string, string>> = { healthCheck: "event_loop_lag", heapUsedBytes: "heap", rssBytes: "rss", eventLoopDelay: "event_loop_delay", eventLoopUtilization: "event_loop_utilization" };

export async function registerHardening(app: FastifyInstance, shedding: LoadShedding | false, counters?: Pick<HttpCounters, "loadShed">): Promise<void> {
  app.addHook("onRequest", (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    if (!DOCS.test(request.url)) reply.headers(SECURITY_HEADERS);
    else reply.header("x-content-type-options", "nosniff").header("referrer-policy", "no-referrer");
    done();
  });

  if (shedding === false) return;
  const sampleIntervalMs = shedding.sampleIntervalMs ?? DEFAULT_LOAD_SHEDDING.sampleIntervalMs ?? 1_000;
  const lag = startEventLoopLagMonitor();
  let lastLagMs = 0;
  let laggingWindows = 0;
  // Start-up (migrations, schema compilation) runs long turns by design: not a load to shed.
  let ready = false;
  app.addHook("onReady", async () => {
    lag.take();
    laggingWindows = 0;
    ready = true;
  });
  app.addHook("onClose", async () => lag.stop());
  await app.register(underPressure, {
    // The lag is ours (event-loop-lag-monitor.ts: weighted by time, as clients feel it), fed in
    // through under-pressure's periodic health check; its own maxEventLoopDelay is a mean over loop
    // turns in which one long stall drowns among idle turns, so it stays off. So does
    // maxEventLoopUtilization: a healthy server under the benchmark's load is at ~100 % too (measured).
    healthCheck: async () => {
      lastLagMs = lag.take();
      laggingWindows = lastLagMs > shedding.maxEventLoopDelayMs ? laggingWindows + 1 : 0;
      return !ready || laggingWindows < SUSTAINED_WINDOWS;
    },
    healthCheckInterval: sampleIntervalMs,
    maxHeapUsedBytes: Math.floor(getHeapStatistics().heap_size_limit * shedding.maxHeapShare),
    sampleInterval: sampleIntervalMs,
    retryAfter: shedding.retryAfterSeconds,
    pressureHandler: (request, reply, type) => {
      // Returning nothing lets under-pressure pass the request on (its handlePressure calls next()).
      if (request.routeOptions.url !== undefined && NEVER_SHED.has(request.routeOptions.url)) return;
      const cause = type === "healthCheck" ? `event-loop lag ${Math.round(lastLagMs)} ms` : type;
      counters?.loadShed.inc({ reason: SHED_REASONS[type] ?? "other" });
      reply.header("retry-after", String(shedding.retryAfterSeconds));
      sendProblem(reply, {
        type: "urn:motcua:problem:overloaded",
        title: "Service Unavailable",
        status: 503,
        detail: `The service is overloaded (${cause}); retry in ${shedding.retryAfterSeconds} s`,
        code: "overloaded",
      });
    },
  });
}
