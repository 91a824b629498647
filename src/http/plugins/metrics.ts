/**
 * Prometheus metrics (GET /metrics) with prom-client: process defaults, per-route latency, and
 * the HTTP refusals an operator watches (issue #14 item 8): rate-limit refusals, load-shedding
 * refusals and request bodies rejected. Counters end in `_total`, as Prometheus and promtool
 * expect; label values are route patterns and fixed reasons, never URLs (bounded series).
 */
import type { FastifyError, FastifyInstance } from "fastify";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export interface HttpCounters {
  /** 429 from the public rate limit, by route. */
  readonly rateLimited: Counter<"route">;
  /** 503 from load shedding, by cause (event_loop_lag, heap, …); no route: it is refused before routing matters. */
  readonly loadShed: Counter<"reason">;
  /** Bodies refused before any handler ran: too_large (413), unsupported_media_type (415), malformed or invalid (400). */
  readonly bodyRejected: Counter<"route" | "reason">;
}

export interface Metrics {
  readonly registry: Registry;
  readonly counters: HttpCounters;
}

/** The body's refusal reason, or undefined when the error is not about the body. */
export function bodyRejectionReason(error: FastifyError): string | undefined {
  if (error.statusCode === 413) return "too_large";
  if (error.statusCode === 415) return "unsupported_media_type";
  if (error.statusCode !== 400) return undefined;
  // Fastify's content-type parsers: unparsable JSON, an empty JSON body, a wrong Content-Length.
  if (error.code?.startsWith("FST_ERR_CTP_")) return "malformed";
  if (error.validation && error.validationContext === "body") return "invalid";
  return undefined;
}

export function registerMetrics(app: FastifyInstance): Metrics {
  // A registry per app instance: tests build many apps in one process.
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "motcua_" });
  // prom-client's default gauges nodejs_active_{handles,requests,resources}_total end in _total,
  // which Prometheus reserves for counters (promtool check metrics refuses them). They are only
  // the sums of the by-type gauges kept beside them: sum(motcua_nodejs_active_handles) in PromQL.
  for (const name of ["active_handles_total", "active_requests_total", "active_resources_total"]) registry.removeSingleMetric(`motcua_nodejs_${name}`);
  const duration = new Histogram({
    name: "motcua_http_request_duration_seconds",
    help: "HTTP request duration by method, route and status code",
    labelNames: ["method", "route", "status_code"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const counters: HttpCounters = {
    rateLimited: new Counter({
      name: "motcua_http_rate_limit_refusals_total",
      help: "Requests refused with 429 by the per-address rate limit on /v1/public/*, by route",
      labelNames: ["route"] as const,
      registers: [registry],
    }),
    loadShed: new Counter({
      name: "motcua_http_load_shedding_refusals_total",
      help: "Requests refused with 503 by load shedding, by cause (event_loop_lag, heap)",
      labelNames: ["reason"] as const,
      registers: [registry],
    }),
    bodyRejected: new Counter({
      name: "motcua_http_request_body_rejections_total",
      help: "Request bodies refused before a handler ran, by route and reason (too_large 413, unsupported_media_type 415, malformed or invalid 400)",
      labelNames: ["route", "reason"] as const,
      registers: [registry],
    }),
  };

  app.addHook("onResponse", async (request, reply) => {
    // The route pattern, not the URL: one series per route, whatever the receipt codes.
    const route = request.routeOptions.url ?? "unmatched";
    duration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  // Every refusal that goes through the error handler passes here first: the rate limit's 429
  // (thrown from its onRequest hook) and the body parsers' and validators' 400/413/415.
  app.addHook("onError", async (request, _reply, error) => {
    const route = request.routeOptions.url ?? "unmatched";
    if (error.statusCode === 429) counters.rateLimited.inc({ route });
    const reason = bodyRejectionReason(error);
    if (reason !== undefined) counters.bodyRejected.inc({ route, reason });
  });

  app.get("/metrics", { schema: { hide: true } }, async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
  return { registry, counters };
}
