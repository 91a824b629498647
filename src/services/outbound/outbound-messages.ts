/**
 * The messages a dossier change (or a fired moment) puts in the outbox: one per matching webhook
 * subscription, in the Standard Webhooks envelope `{ type, timestamp, data }` (API.md
 * "Outbound"), and the portal's DongBoHoSoMC record when the portal is configured (DOMAIN.md §8).
 * All ordered by the dossier's receipt code. Called inside the write's transaction, so it is
 * synchronous and reads nothing but its arguments.
 */
import { randomUUID } from "node:crypto";
import type { WebhookEventType } from "../../domain/outbound/outbound-types.js";
import type { PortalRecord } from "../../domain/outbound/portal-record.js";
import { formatInstant } from "../../domain/time.js";
import { PORTAL_DESTINATION, type NewOutboxMessage } from "./outbox-ports.js";
import type { WebhookSubscription } from "./webhook-ports.js";

/** A Standard Webhooks message id: `msg_` and 32 hex digits. */
export const newMessageId = (): string => `msg_${randomUUID().replace(/-/g, "")}`;

/** The body of a webhook delivery (API.md "Outbound"): `{ type, timestamp, data }`, timestamp ISO 8601 in +07:00. */
export function webhookEnvelope(type: WebhookEventType, at: number, data: unknown): string {
  return JSON.stringify({ type, timestamp: formatInstant(at), data });
}

/**
 * Whether a subscription sees a dossier (API.md "Auth": scoped like desk keys — its agencies and
 * those below them). `lineages`: for each agency the dossier involves (receiving, handling,
 * current), the agency and its ancestors.
 */
export function subscriptionCovers(subscription: Pick<WebhookSubscription, "agencyCodes">, lineages: readonly (readonly string[])[]): boolean {
  if (subscription.agencyCodes === null) return true;
  const own = new Set(subscription.agencyCodes);
  return lineages.some((lineage) => lineage.some((code) => own.has(code)));
}

export interface DossierOutboundEvent {
  readonly receiptCode: string;
  readonly type: WebhookEventType;
  /** When it happened (the event's occurredAt, or the moment's instant). */
  readonly at: number;
  readonly data: unknown;
}

/**
 * The outbox messages of a dossier's change: its webhook events to each subscription that asked
 * for the type and covers the dossier, then (when given) the portal record as it stands after
 * the change. `now` stamps createdAt; ids come from `id` (default random).
 */
export function outboundMessages(input: {
  readonly events: readonly DossierOutboundEvent[];
  readonly subscriptions: (type: WebhookEventType) => readonly WebhookSubscription[];
  readonly lineages: readonly (readonly string[])[];
  readonly portalRecord?: PortalRecord | null;
  readonly now: number;
  readonly id?: () => string;
}): NewOutboxMessage[] {
  const id = input.id ?? newMessageId;
  const messages: NewOutboxMessage[] = [];
  for (const event of input.events)
    for (const subscription of input.subscriptions(event.type))
      if (subscriptionCovers(subscription, input.lineages))
        messages.push({
          id: id(),
          orderingKey: event.receiptCode,
          receiptCode: event.receiptCode,
          destination: { kind: "webhook", id: subscription.id },
          eventType: event.type,
          payload: webhookEnvelope(event.type, event.at, event.data),
          createdAt: input.now,
        });
  const record = input.portalRecord;
  if (record !== undefined && record !== null)
    messages.push({
      id: id(),
      orderingKey: record.MaHoSo,
      receiptCode: record.MaHoSo,
      destination: PORTAL_DESTINATION,
      eventType: "portal.record",
      payload: JSON.stringify(record),
      createdAt: input.now,
      // A whole record: a newer one replaces one still waiting (outbox-ports.ts `coalesce`).
      coalesce: true,
    });
  return messages;
}
