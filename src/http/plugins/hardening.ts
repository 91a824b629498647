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

/** The Swagger UI (a page for people, with its own policy in swagger.ts) keeps its own caching and CSP. */
const DOCS = /^\/docs(\/|$|\?)/;

export async function registerHardening(app: FastifyInstance, shedding: LoadShedding | false): Promise<void> {
  app.addHook("onRequest", (request, reply, done) => {
    if (!DOCS.test(request.url)) reply.headers(SECURITY_HEADERS);
    else reply.header("x-content-type-options", "nosniff").header("referrer-policy", "no-referrer");
    done();
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
