/**
 * Webhook subscription rows to records, for both dialects (issue #16: "the shared shapes defined
 * once"). Typed on the SQLite schema's rows, which equal the PostgreSQL ones
 * (test/db/postgres/schema-parity.test.ts).
 */
import type { WebhookEventType } from "../../domain/outbound/outbound-types.js";
import type { WebhookSubscription } from "../../services/outbound/webhook-ports.js";
import type { webhookSubscriptions } from "../sqlite/schema.js";

export type WebhookSubscriptionRow = typeof webhookSubscriptions.$inferSelect;

/** What a subscription shows: every column but the secrets. */
export type WebhookSubscriptionPublicRow = Pick<WebhookSubscriptionRow, "id" | "url" | "events" | "agencyCodes" | "createdAt" | "rotatedAt" | "createdBy">;

export const toWebhookSubscription = (row: WebhookSubscriptionPublicRow): WebhookSubscription => ({
  id: row.id,
  url: row.url,
  events: row.events as WebhookEventType[],
  agencyCodes: row.agencyCodes,
  createdAt: row.createdAt,
  rotatedAt: row.rotatedAt,
  createdBy: row.createdBy,
});

/** The secrets that sign at `now`, newest first: the current one and, until it expires, the one it replaced. */
export const signingSecrets = (row: Pick<WebhookSubscriptionRow, "secret" | "previousSecret" | "previousSecretExpiresAt">, now: number): string[] => {
  const previousValid = row.previousSecret !== null && row.previousSecretExpiresAt !== null && now < row.previousSecretExpiresAt;
  return previousValid ? [row.secret, row.previousSecret!] : [row.secret];
};
