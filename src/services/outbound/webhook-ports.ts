/**
 * Webhook subscriptions (API.md "Outbound": `POST /v1/webhooks` … secret shown once, rotatable,
 * scoped by agency like desk keys). The routes are the lead's; this is their storage.
 *
 * Contract: a dossier write reads `subscribedTo` before its transaction (dossier-outbound.ts
 * `prepare`) and fans its events out inside it. Secrets are stored as issued (schema.ts
 * webhook_subscriptions explains why and what that costs); `secretsOf` returns those that sign
 * now: the current one and, for `previousSecretExpiresAt`, the one it replaced.
 */
import type { WebhookEventType } from "../../domain/outbound/outbound-types.js";

export interface WebhookSubscription {
  readonly id: string;
  readonly url: string;
  readonly events: readonly WebhookEventType[];
  /** Scoped like desk keys: these agencies and those below them; null = every agency (admin). */
  readonly agencyCodes: readonly string[] | null;
  readonly createdAt: number;
  readonly rotatedAt: number | null;
  readonly createdBy: string | null;
}

export interface WebhookSubscriptionRepository {
  insert(subscription: WebhookSubscription & { readonly secret: string }): Promise<void>;
  list(): Promise<WebhookSubscription[]>;
  get(id: string): Promise<WebhookSubscription | undefined>;
  /** Deleted subscriptions' pending messages die at their next attempt ("no longer exists"). */
  delete(id: string): Promise<boolean>;
  /** The new secret signs from now; the previous one also signs until `previousValidUntil` (receivers switch over). */
  rotate(id: string, newSecret: string, at: number, previousValidUntil: number): Promise<boolean>;
  /** The secrets that sign at `now`, newest first; undefined for an unknown subscription. */
  secretsOf(id: string, now: number): Promise<string[] | undefined>;
  /** Subscriptions that asked for this event type. */
  subscribedTo(eventType: WebhookEventType): Promise<WebhookSubscription[]>;
}
