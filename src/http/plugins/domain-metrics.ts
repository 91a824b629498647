/**
 * Domain metrics in /metrics (issue #14 item 8, issue #15 "Metrics"): dossiers open, overdue and at
 * risk by handling agency (gauges read on scrape from the open dossiers' index, cached 10 s:
 * operations-status.ts), events accepted and refused by reason, receptions, apology letters,
 * ratings, and the outbox: backlog, oldest undelivered age and deliveries by outcome, per
 * destination. Gauge names carry no `_total`; counters do (promtool check metrics).
 */
import type { FastifyInstance } from "fastify";
import { Counter, Gauge, type Registry } from "prom-client";
import { AppError } from "../../domain/errors.js";
import type { OperationsStatus } from "../../services/operations-status.js";

declare module "fastify" {
  interface FastifyRequest {
    /** Why the request was refused (a problem code, or the rule's reason), for the counters. */
    refusalReason?: string;
  }
}

const EVENTS_ROUTE = "/v1/dossiers/:receiptCode/events";
const RECEPTION_ROUTE = "/v1/dossiers";
const LETTERS_ROUTE = "/v1/dossiers/:receiptCode/apology-letters";
const RATING_ROUTE = "/v1/public/dossiers/:receiptCode/rating";

export function registerDomainMetrics(app: FastifyInstance, registry: Registry, operations: OperationsStatus): void {
  const registers = [registry];
  const byAgency = (name: string, help: string, pick: "open" | "overdue" | "atRisk") =>
    new Gauge({
      name,
      help,
      labelNames: ["agency"] as const,
      registers,
      async collect() {
        this.reset();
        for (const row of await operations.agencyLoad()) this.set({ agency: row.agencyCode }, row[pick]);
      },
    });
  byAgency("motcua_dossiers_open", "Open dossiers by handling agency", "open");
  byAgency("motcua_dossiers_overdue", "Open dossiers past their due instant (DOMAIN.md §6), by handling agency", "overdue");
  byAgency("motcua_dossiers_at_risk", "Open dossiers due within the next working day, not yet overdue, by handling agency", "atRisk");

  const destination = (d: { kind: string; id: string }) => (d.kind === "portal" ? "portal" : `${d.kind}:${d.id}`);
  const backlogGauge = (name: string, help: string, value: (d: Awaited<ReturnType<OperationsStatus["outboxBacklog"]>>["byDestination"][number], now: number) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ["destination"] as const,
      registers,
      async collect() {
        this.reset();
        const now = Date.now();
        for (const d of (await operations.outboxBacklog()).byDestination) this.set({ destination: destination(d.destination) }, value(d, now));
      },
    });
  backlogGauge("motcua_outbox_pending", "Outbound messages not yet delivered (retrying included), per destination", (d) => d.pending);
  backlogGauge("motcua_outbox_dead", "Outbound messages given up after 24 h of failures (dead letters), per destination", (d) => d.dead);
  backlogGauge("motcua_outbox_oldest_undelivered_age_seconds", "Age of the oldest message not delivered, per destination", (d, now) =>
    d.oldestUndeliveredAt === null ? 0 : Math.max(0, (now - d.oldestUndeliveredAt) / 1000),
  );
  new Counter({
    name: "motcua_outbox_deliveries_total",
    help: "Delivery attempts settled, by destination kind and outcome",
    labelNames: ["destination", "outcome"] as const,
    registers,
    collect() {
      this.reset();
      for (const d of operations.deliveries()) this.inc({ destination: d.destination, outcome: d.outcome }, d.count);
    },
  });

  const events = new Counter({
    name: "motcua_dossier_events_total",
    help: "Dossier events posted: accepted (recorded), duplicate (acknowledged, already recorded) or refused, by reason",
    labelNames: ["outcome", "reason"] as const,
    registers,
  });
  const received = new Counter({ name: "motcua_dossiers_received_total", help: "Dossiers received, by channel", labelNames: ["channel"] as const, registers });
  const letters = new Counter({ name: "motcua_apology_letters_issued_total", help: "Apology letters (and extension requests) issued", registers });
  const ratings = new Counter({ name: "motcua_ratings_total", help: "Applicants' ratings, by level", labelNames: ["level"] as const, registers });

  app.addHook("onError", async (request, _reply, error) => {
    request.refusalReason = error instanceof AppError ? (error.reason ?? error.code) : (error as { validation?: unknown }).validation ? "validation_failed" : String((error as { code?: unknown }).code ?? "error");
  });
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url;
    const status = reply.statusCode;
    if (route === EVENTS_ROUTE && request.method === "POST") {
      const body = request.body as { events?: unknown[] } | undefined;
      const count = Array.isArray(body?.events) ? body.events.length : 1;
      if (status === 201) events.inc({ outcome: "accepted", reason: "" }, count);
      else if (status === 200) events.inc({ outcome: "duplicate", reason: "" }, count);
      else if (status >= 400 && status < 500) events.inc({ outcome: "refused", reason: request.refusalReason ?? String(status) }, count);
    } else if (route === RECEPTION_ROUTE && request.method === "POST" && status === 201) {
      received.inc({ channel: String((request.body as { channel?: unknown } | undefined)?.channel ?? "unknown") });
    } else if (route === LETTERS_ROUTE && request.method === "POST" && status === 201) {
      letters.inc();
    } else if (route === RATING_ROUTE && status === 201) {
      ratings.inc({ level: String((request.body as { level?: unknown } | undefined)?.level ?? "unknown") });
    }
  });
}
