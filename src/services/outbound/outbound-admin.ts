/**
 * Use cases of the outbound side (issue #15, API.md "Outbound"): webhook subscriptions (secret
 * shown once, rotatable, scoped by agency like desk keys, a delivery log, resending what died),
 * the national portal's sync status and resend, and the portal record of one dossier as it would
 * be sent now.
 */
import { randomUUID } from "node:crypto";
import type { Principal } from "../../domain/access/roles.js";
import { evaluateDossier } from "../../domain/dossier/dossier-fold.js";
import { AppError, notFound, validationFailed, type FieldError } from "../../domain/errors.js";
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from "../../domain/outbound/outbound-types.js";
import { buildPortalRecord, type PortalRecord } from "../../domain/outbound/portal-record.js";
import type { ApologyLetterRepository } from "../apology-letter-ports.js";
import type { AuditService, Requester } from "../audit-service.js";
import type { AgencyRepository } from "../catalog-ports.js";
import type { DossierRepository } from "../dossier-ports.js";
import type { AgencyAccess } from "../dossiers/dossier-access.js";
import type { DossierHistory } from "../dossiers/dossier-history.js";
import { checkUrl, type DestinationPolicy } from "./destination-guard.js";
import { PORTAL_DESTINATION, type OutboxRepository } from "./outbox-ports.js";
import { generateWebhookSecret } from "./webhook-signature.js";
import type { WebhookSubscription, WebhookSubscriptionRepository } from "./webhook-ports.js";

/** After a rotation the previous secret keeps signing this long, so that receivers can switch over (Standard Webhooks "key rotation"). */
export const SECRET_OVERLAP_MS = 24 * 60 * 60_000;
const MAX_DELIVERIES = 200;

export interface WebhookInput {
  readonly url: string;
  readonly events: readonly string[];
  readonly agencyCodes?: readonly string[];
}

export function createOutboundAdmin(deps: {
  subscriptions: WebhookSubscriptionRepository;
  outbox: Pick<OutboxRepository, "backlog" | "listDeliveries" | "resend" | "get">;
  dossiers: Pick<DossierRepository, "getWithEvents">;
  agencies: Pick<AgencyRepository, "get" | "list">;
  letters: Pick<ApologyLetterRepository, "listFor">;
  access: Pick<AgencyAccess, "authorizeDossier">;
  history: Pick<DossierHistory, "replay">;
  audit: Pick<AuditService, "record">;
  policy: DestinationPolicy;
  portal: { readonly url: string } | null;
  /** Wakes the dispatcher after a resend. */
  committed: () => void;
  now: () => number;
}) {
  async function requireSubscription(id: string): Promise<WebhookSubscription> {
    const found = await deps.subscriptions.get(id);
    if (!found) throw notFound("Webhook", id);
    return found;
  }

  return {
    webhooks: {
      /** A new subscription; its secret is in this answer only (stored to sign, never shown again). */
      async create(input: WebhookInput, principal: Principal): Promise<WebhookSubscription & { secret: string }> {
        const errors: FieldError[] = [];
        const url = checkUrl(input.url, deps.policy);
        if (!url.ok) errors.push({ field: "url", message: `${url.detail} (${url.reason})` });
        const unknown = input.events.filter((e) => !WEBHOOK_EVENT_TYPES.includes(e as WebhookEventType));
        if (input.events.length === 0) errors.push({ field: "events", message: "must name at least one event type" });
        if (unknown.length > 0) errors.push({ field: "events", message: `unknown event types: ${unknown.join(", ")} (known: ${WEBHOOK_EVENT_TYPES.join(", ")})` });
        for (const [i, code] of (input.agencyCodes ?? []).entries())
          if (!(await deps.agencies.get(code))) errors.push({ field: `agencyCodes[${i}]`, message: "unknown agency" });
        if (errors.length > 0) throw validationFailed(errors);
        const subscription: WebhookSubscription = {
          id: randomUUID(),
          url: url.ok ? url.url.toString() : input.url,
          events: [...new Set(input.events as WebhookEventType[])],
          agencyCodes: input.agencyCodes === undefined || input.agencyCodes.length === 0 ? null : [...new Set(input.agencyCodes)],
          createdAt: deps.now(),
          rotatedAt: null,
          createdBy: principal.keyId,
        };
        const secret = generateWebhookSecret();
        await deps.subscriptions.insert({ ...subscription, secret });
        return { ...subscription, secret };
      },
      list: () => deps.subscriptions.list(),
      get: requireSubscription,
      async delete(id: string): Promise<void> {
        if (!(await deps.subscriptions.delete(id))) throw notFound("Webhook", id);
      },
      /** A new secret; the previous one keeps signing for SECRET_OVERLAP_MS. */
      async rotate(id: string): Promise<WebhookSubscription & { secret: string }> {
        const subscription = await requireSubscription(id);
        const secret = generateWebhookSecret();
        const now = deps.now();
        if (!(await deps.subscriptions.rotate(id, secret, now, now + SECRET_OVERLAP_MS))) throw notFound("Webhook", id);
        return { ...subscription, rotatedAt: now, secret };
      },
      async deliveries(id: string, limit = 50) {
        await requireSubscription(id);
        return deps.outbox.listDeliveries({ kind: "webhook", id }, Math.min(Math.max(1, limit), MAX_DELIVERIES));
      },
      /** Queues the named messages of this subscription again (dead ones, or delivered ones a receiver lost). */
      async resend(id: string, messageIds: readonly string[]): Promise<{ queued: number }> {
        await requireSubscription(id);
        const errors: FieldError[] = [];
        for (const [i, messageId] of messageIds.entries()) {
          const message = await deps.outbox.get(messageId);
          if (!message || message.destination.kind !== "webhook" || message.destination.id !== id)
            errors.push({ field: `messageIds[${i}]`, message: "is not a message of this webhook" });
        }
        if (errors.length > 0) throw validationFailed(errors);
        const queued = await deps.outbox.resend({ ids: messageIds }, deps.now());
        deps.committed();
        return { queued };
      },
    },

    portal: {
      /** Backlog and failures of the portal sync (admin). */
      async status() {
        const now = deps.now();
        const backlog = await deps.outbox.backlog(now);
        const portal = backlog.byDestination.find((d) => d.destination.kind === "portal" && d.destination.id === PORTAL_DESTINATION.id);
        return {
          configured: deps.portal !== null,
          pending: portal?.pending ?? 0,
          failed: portal?.dead ?? 0,
          synced: portal?.delivered ?? 0,
          oldestUnsentAt: portal?.oldestUndeliveredAt ?? null,
          lastSyncedAt: portal?.lastDeliveredAt ?? null,
        };
      },
      /** Queues the dossiers' failed records, and their latest record again when it was delivered. */
      async resend(receiptCodes: readonly string[]): Promise<{ queued: number }> {
        if (deps.portal === null) throw new AppError("rule_violation", "the portal sync is off: MOTCUA_PORTAL_URL is not set", [], "portal_sync_off");
        const queued = await deps.outbox.resend({ receiptCodes, destinationKind: "portal" }, deps.now());
        deps.committed();
        return { queued };
      },
      /** The DongBoHoSoMC record of the dossier as it would be sent now (DOMAIN.md §8); a read of personal data, audited. */
      async record(receiptCode: string, requester: Requester & { principal: Principal }): Promise<PortalRecord> {
        const found = await deps.dossiers.getWithEvents(receiptCode);
        if (!found) throw notFound("Dossier", receiptCode);
        await deps.access.authorizeDossier(requester.principal, found.dossier, false);
        const events = found.events.map((e) => e.event);
        const { procedure, engine, result } = await deps.history.replay(found.dossier, events);
        if (!result.ok) throw new Error(`stored history of ${receiptCode} no longer folds: ${result.violation.message}`);
        const names = new Map((await deps.agencies.list()).map((a) => [a.code, a.name]));
        const record = buildPortalRecord({
          dossier: found.dossier,
          procedure,
          replay: result.replay,
          state: evaluateDossier(result.replay, engine, deps.now()),
          events,
          extensions: (await deps.letters.listFor(receiptCode)).map((l) => ({ issuedAt: l.issuedAt, originalDueAt: l.originalDueAt, newDueAt: l.newDueAt, reason: l.reason })),
          agencyName: (code) => names.get(code),
          calendar: engine,
        });
        if (record === null) throw new AppError("not_found", "a cancelled dossier has no portal record (DOMAIN.md §3)", [], "no_portal_record");
        await deps.audit.record("portal_record.read", receiptCode, requester);
        return record;
      },
    },
  };
}

export type OutboundAdmin = ReturnType<typeof createOutboundAdmin>;
