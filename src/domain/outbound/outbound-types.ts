/**
 * The outbound vocabulary (API.md "Outbound"; issue #15). Enum tuples defined once, reused by the
 * columns (src/db/sqlite/schema.ts), the API schemas and the code (STYLE.md).
 */

/** Where a message goes: the National Public Service Portal (DOMAIN.md §8) or a webhook subscription. */
export const DESTINATION_KINDS = ["portal", "webhook"] as const;
export type DestinationKind = (typeof DESTINATION_KINDS)[number];

/** pending: to be delivered (or being delivered); delivered: a 2xx came back; dead: given up after 24 h (resendable). */
export const OUTBOX_STATUSES = ["pending", "delivered", "dead"] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** API.md "Outbound": the webhook event types; `portal.record` is the DongBoHoSoMC snapshot sent to the portal. */
export const OUTBOUND_EVENT_TYPES = [
  "dossier.received",
  "dossier.status_changed",
  "dossier.at_risk",
  "dossier.overdue",
  "duty.overdue",
  "apology_letter.issued",
  "portal.record",
] as const;
export type OutboundEventType = (typeof OUTBOUND_EVENT_TYPES)[number];

/** The webhook event types a subscription may ask for (the portal record is not one). */
export type WebhookEventType = Exclude<OutboundEventType, "portal.record">;
export const WEBHOOK_EVENT_TYPES: readonly WebhookEventType[] = OUTBOUND_EVENT_TYPES.filter((t): t is WebhookEventType => t !== "portal.record");

/** How one delivery attempt ended (the delivery log). */
export const DELIVERY_OUTCOMES = ["delivered", "http_error", "timeout", "network_error", "refused_destination", "breaker_open"] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

/** Time-driven events (next-moments.ts). */
export const MOMENT_EVENT_TYPES = ["dossier.at_risk", "dossier.overdue", "duty.overdue"] as const;
export type MomentEventType = (typeof MOMENT_EVENT_TYPES)[number];
