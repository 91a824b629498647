/**
 * Outbound (API.md "Outbound", issue #15): webhook subscriptions and their delivery log, the
 * national portal's sync status and resend, and a dossier's portal record as it would be sent now.
 */
import type { FastifyInstance } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { DELIVERY_OUTCOMES, WEBHOOK_EVENT_TYPES } from "../../domain/outbound/outbound-types.js";
import { formatInstant } from "../../domain/time.js";
import type { OutboundAdmin } from "../../services/outbound/outbound-admin.js";
import type { WebhookSubscription } from "../../services/outbound/webhook-ports.js";
import { ANY_ROLE, staffRequesterOf } from "../plugins/auth.js";
import { AgencyCode, Nullable, pickProblems, StringEnum } from "../schemas/common.js";
import { ReceiptCode } from "../schemas/dossier-schemas.js";

const security = [{ apiKey: [] }];
const iso = (ms: number | null) => (ms === null ? null : formatInstant(ms));

const WebhookBody = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2000, description: "http(s); loopback and private networks only with MOTCUA_WEBHOOK_ALLOW_PRIVATE=true; link-local and cloud metadata never" }),
    events: Type.Array(StringEnum(WEBHOOK_EVENT_TYPES), { minItems: 1, maxItems: WEBHOOK_EVENT_TYPES.length }),
    agencyCodes: Type.Optional(Type.Array(AgencyCode, { maxItems: 200, description: "Only dossiers of these agencies (and those below them), like a desk key; absent: every agency" })),
  },
  { additionalProperties: false },
);

const Webhook = Type.Object({
  id: Type.String(),
  url: Type.String(),
  events: Type.Array(Type.String()),
  agencyCodes: Nullable(Type.Array(Type.String())),
  createdAt: Type.String({ format: "date-time" }),
  rotatedAt: Nullable(Type.String({ format: "date-time" })),
});
const WebhookWithSecret = Type.Object({ ...Webhook.properties, secret: Type.String({ description: "whsec_…: shown only in this response" }) });

const presentWebhook = (w: WebhookSubscription) => ({
  id: w.id,
  url: w.url,
  events: [...w.events],
  agencyCodes: w.agencyCodes === null ? null : [...w.agencyCodes],
  createdAt: formatInstant(w.createdAt),
  rotatedAt: iso(w.rotatedAt),
});

const Delivery = Type.Object({
  id: Type.Integer(),
  messageId: Type.String(),
  attempt: Type.Integer(),
  attemptedAt: Type.String({ format: "date-time" }),
  durationMs: Type.Number(),
  outcome: StringEnum(DELIVERY_OUTCOMES),
  statusCode: Nullable(Type.Integer()),
  error: Nullable(Type.String()),
  nextAttemptAt: Nullable(Type.String({ format: "date-time" })),
});

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export function registerOutboundRoutes(root: FastifyInstance, outbound: OutboundAdmin): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const admin = { onRequest: app.requireRole("admin") };

  app.post(
    "/v1/webhooks",
    {
      ...admin,
      schema: {
        tags: ["outbound"],
        summary: "Subscribe a URL to dossier events (Standard Webhooks: signed, at least once, in order per dossier); the secret is shown once",
        security,
        body: WebhookBody,
        response: { 201: WebhookWithSecret, ...pickProblems(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const created = await outbound.webhooks.create(request.body, request.principal!);
      return reply.code(201).header("location", `/v1/webhooks/${created.id}`).send({ ...presentWebhook(created), secret: created.secret });
    },
  );

  app.get(
    "/v1/webhooks",
    { ...admin, schema: { tags: ["outbound"], summary: "Webhook subscriptions (never their secrets)", security, response: { 200: Type.Object({ items: Type.Array(Webhook) }), ...pickProblems(401, 403) } } },
    async () => ({ items: (await outbound.webhooks.list()).map(presentWebhook) }),
  );

  app.delete(
    "/v1/webhooks/:id",
    {
      ...admin,
      schema: { tags: ["outbound"], summary: "Delete a subscription; its undelivered messages are dropped at their next attempt", security, params: IdParams, response: { 204: Type.Null(), ...pickProblems(400, 401, 403, 404) } },
    },
    async (request, reply) => {
      await outbound.webhooks.delete(request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    "/v1/webhooks/:id/rotate",
    {
      ...admin,
      schema: {
        tags: ["outbound"],
        summary: "A new signing secret (shown once); the previous one also signs for 24 h so that the receiver can switch over",
        security,
        params: IdParams,
        response: { 200: WebhookWithSecret, ...pickProblems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const rotated = await outbound.webhooks.rotate(request.params.id);
      return { ...presentWebhook(rotated), secret: rotated.secret };
    },
  );

  app.get(
    "/v1/webhooks/:id/deliveries",
    {
      ...admin,
      schema: {
        tags: ["outbound"],
        summary: "The delivery log of a subscription, newest first: attempts, status codes, next retry",
        security,
        params: IdParams,
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(Delivery) }), ...pickProblems(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      items: (await outbound.webhooks.deliveries(request.params.id, request.query.limit)).map((d) => ({
        id: d.id,
        messageId: d.messageId,
        attempt: d.attempt,
        attemptedAt: formatInstant(d.attemptedAt),
        durationMs: d.durationMs,
        outcome: d.outcome,
        statusCode: d.statusCode,
        error: d.error,
        nextAttemptAt: iso(d.nextAttemptAt),
      })),
    }),
  );

  app.post(
    "/v1/webhooks/:id/resend",
    {
      ...admin,
      schema: {
        tags: ["outbound"],
        summary: "Queue messages of this subscription again (dead-lettered after 24 h of failures, or lost by the receiver)",
        security,
        params: IdParams,
        body: Type.Object({ messageIds: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 1000 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ queued: Type.Integer() }), ...pickProblems(400, 401, 403, 404) },
      },
    },
    async (request) => outbound.webhooks.resend(request.params.id, request.body.messageIds),
  );

  app.get(
    "/v1/portal-sync",
    {
      ...admin,
      schema: {
        tags: ["outbound"],
        summary: "The national portal sync: pending, failed (dead-lettered) and synced records, the oldest unsent change",
        security,
        response: {
          200: Type.Object({
            configured: Type.Boolean(),
            pending: Type.Integer(),
            failed: Type.Integer(),
            synced: Type.Integer(),
            oldestUnsentAt: Nullable(Type.String({ format: "date-time" })),
            lastSyncedAt: Nullable(Type.String({ format: "date-time" })),
          }),
          ...pickProblems(401, 403),
        },
      },
    },
    async () => {
      const status = await outbound.portal.status();
      return { ...status, oldestUnsentAt: iso(status.oldestUnsentAt), lastSyncedAt: iso(status.lastSyncedAt) };
    },
  );

  app.post(
    "/v1/portal-sync/resend",
    {
      ...admin,
      schema: {
        tags: ["outbound"],
        summary: "Queue the dossiers' failed portal records again, and their latest record when it was delivered",
        security,
        body: Type.Object({ receiptCodes: Type.Array(ReceiptCode, { minItems: 1, maxItems: 1000 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ queued: Type.Integer() }), ...pickProblems(400, 401, 403, 422) },
      },
    },
    async (request) => outbound.portal.resend(request.body.receiptCodes),
  );

  app.get(
    "/v1/dossiers/:receiptCode/portal-record",
    {
      onRequest: app.requireRole(...ANY_ROLE),
      schema: {
        tags: ["outbound"],
        summary: "The dossier's DongBoHoSoMC record for the National Public Service Portal, as it would be sent now (dates yyyyMMddHHmmss, Asia/Ho_Chi_Minh)",
        security,
        params: Type.Object({ receiptCode: ReceiptCode }),
        response: { 200: Type.Object({ MaHoSo: Type.String() }, { additionalProperties: true }), ...pickProblems(400, 401, 403, 404) },
      },
    },
    async (request) => outbound.portal.record(request.params.receiptCode, staffRequesterOf(request)),
  );
}

