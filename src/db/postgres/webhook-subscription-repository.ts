/** Webhook subscriptions on PostgreSQL (contract: src/services/outbound/webhook-ports.ts; the same rules as src/db/sqlite/webhook-subscription-repository.ts). */
import { asc, eq, sql } from "drizzle-orm";
import type { WebhookEventType } from "../../domain/outbound/outbound-types.js";
import type { WebhookSubscription, WebhookSubscriptionRepository } from "../../services/outbound/webhook-ports.js";
import { signingSecrets, toWebhookSubscription } from "../rows/webhook-subscription.js";
import { webhookSubscriptions as subscriptions } from "./schema.js";
import type { PgDb } from "./pg-client.js";
import { bytewise } from "./text-order.js";

/** Every column but the secrets. */
const shown = {
  id: subscriptions.id,
  url: subscriptions.url,
  events: subscriptions.events,
  agencyCodes: subscriptions.agencyCodes,
  createdAt: subscriptions.createdAt,
  rotatedAt: subscriptions.rotatedAt,
  createdBy: subscriptions.createdBy,
};

export function createPostgresWebhookSubscriptionRepository(db: PgDb): WebhookSubscriptionRepository {
  const inOrder = [asc(subscriptions.createdAt), asc(bytewise(subscriptions.id))];
  return {
    async insert(s) {
      await db.insert(subscriptions).values({
        id: s.id,
        url: s.url,
        events: [...s.events],
        agencyCodes: s.agencyCodes === null ? null : [...s.agencyCodes],
        secret: s.secret,
        createdAt: s.createdAt,
        createdBy: s.createdBy,
      });
    },
    async list() {
      return (await db.select(shown).from(subscriptions).orderBy(...inOrder)).map(toWebhookSubscription);
    },
    async get(id) {
      const [row] = await db.select(shown).from(subscriptions).where(eq(subscriptions.id, id));
      return row && toWebhookSubscription(row);
    },
    async delete(id) {
      const deleted = await db.delete(subscriptions).where(eq(subscriptions.id, id)).returning({ id: subscriptions.id });
      return deleted.length === 1;
    },
    async rotate(id, secret, at, until) {
      const rotated = await db
        .update(subscriptions)
        .set({ previousSecret: sql`${subscriptions.secret}`, previousSecretExpiresAt: until, secret, rotatedAt: at })
        .where(eq(subscriptions.id, id))
        .returning({ id: subscriptions.id });
      return rotated.length === 1;
    },
    async secretsOf(id, now) {
      const [row] = await db
        .select({ secret: subscriptions.secret, previousSecret: subscriptions.previousSecret, previousSecretExpiresAt: subscriptions.previousSecretExpiresAt })
        .from(subscriptions)
        .where(eq(subscriptions.id, id));
      return row && signingSecrets(row, now);
    },
    async subscribedTo(eventType) {
      // Filtered by the server (`?`: the JSON array holds this string; events is always an array of
      // strings, so this is exactly SQLite's `includes`): only the matching rows cross the network.
      // Few rows (one per desk system), so no JSON index: the cast and the scan cost microseconds.
      // Not cached, as on SQLite: another instance may have changed them.
      const rows = await db
        .select(shown)
        .from(subscriptions)
        .where(sql`${subscriptions.events}::jsonb ? ${eventType}`)
        .orderBy(...inOrder);
      return rows.map(toWebhookSubscription);
    },
  };
}
