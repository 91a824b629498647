/**
 * Defences that apply to every route: security headers, no caching of personal data, and load
 * shedding (503 with Retry-After) before the event loop collapses. Body-size limits and
 * timeouts are server options (app.ts); routes with small bodies lower the limit.
 */
import { getHeapStatistics } from "node:v8";
import type { FastifyInstance } from "fastify";
import helmet from "@fastify/helmet";
import underPressure from "@fastify/under-pressure";
import { sendProblem } from "./error-handler.js";

export interface LoadShedding {
  /** Shed when the event loop lags by more than this (ms). */
  readonly maxEventLoopDelayMs: number;
  /** Shed when the V8 heap is fuller than this share of its limit (0–1): a 503 beats an out-of-memory crash. */
  readonly maxHeapShare: number;
  /** Seconds a shed client should wait (Retry-After). */
  readonly retryAfterSeconds: number;
}

/**
 * Lenient enough never to trip on a healthy but busy server (the API benchmark keeps the loop
 * 100 % busy with a lag of tens of ms, so utilisation is no signal), strict enough to answer 503
 * quickly rather than let latencies grow into client timeouts or the heap into a crash.
 */
export const DEFAULT_LOAD_SHEDDING: LoadShedding = { maxEventLoopDelayMs: 1_000, maxHeapShare: 0.9, retryAfterSeconds: 5 };

export async function registerHardening(app: FastifyInstance, shedding: LoadShedding | false): Promise<void> {
  await app.register(helmet, {
    // A JSON API: nothing may be framed, scripted or embedded. /docs sets its own policy (swagger.ts).
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    crossOriginResourcePolicy: { policy: "same-origin" },
    referrerPolicy: { policy: "no-referrer" },
  });

  // Dossiers carry personal data (DOMAIN.md §9): no shared or browser cache may keep a copy.
  app.addHook("onSend", async (request, reply, payload) => {
    if (!reply.hasHeader("cache-control") && !request.url.startsWith("/docs")) reply.header("cache-control", "no-store");
    return payload;
  });

  if (shedding === false) return;
  await app.register(underPressure, {
    maxEventLoopDelay: shedding.maxEventLoopDelayMs,
    maxHeapUsedBytes: Math.floor(getHeapStatistics().heap_size_limit * shedding.maxHeapShare),
    retryAfter: shedding.retryAfterSeconds,
    pressureHandler: (_request, reply, type) => {
      reply.header("retry-after", String(shedding.retryAfterSeconds));
      sendProblem(reply, {
        type: "urn:motcua:problem:overloaded",
        title: "Service Unavailable",
        status: 503,
        detail: `The service is overloaded (${type}); retry in ${shedding.retryAfterSeconds} s`,
        code: "overloaded",
      });
    },
  });
}
