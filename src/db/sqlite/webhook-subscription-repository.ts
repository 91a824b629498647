/** Webhook subscriptions on SQLite (contract: src/services/outbound/webhook-ports.ts). */
import type { WebhookSubscription, WebhookSubscriptionRepository } from "../../services/outbound/webhook-ports.js";
import { signingSecrets, toWebhookSubscription } from "../rows/webhook-subscription.js";
import type { SqliteDb } from "./sqlite-client.js";

/** Rows as selected (camelCase aliases); the JSON columns are parsed before the shared mapper (src/db/rows/webhook-subscription.ts). */
interface Row {
  id: string;
  url: string;
  events: string;
  agencyCodes: string | null;
  createdAt: number;
  rotatedAt: number | null;
  createdBy: string | null;
}

const toSubscription = (r: Row): WebhookSubscription =>
  toWebhookSubscription({ ...r, events: JSON.parse(r.events) as string[], agencyCodes: r.agencyCodes === null ? null : (JSON.parse(r.agencyCodes) as string[] | null) });

export function createSqliteWebhookSubscriptionRepository(db: SqliteDb): WebhookSubscriptionRepository {
  const sqlite = db.$client;
  const COLUMNS = "id, url, events, agency_codes as agencyCodes, created_at as createdAt, rotated_at as rotatedAt, created_by as createdBy";
  const insert = sqlite.prepare(
    `insert into webhook_subscriptions (id, url, events, agency_codes, secret, created_at, created_by)
     values (@id, @url, @events, @agencyCodes, @secret, @createdAt, @createdBy)`,
  );
  const all = sqlite.prepare(`select ${COLUMNS} from webhook_subscriptions order by created_at, id`);
  const one = sqlite.prepare(`select ${COLUMNS} from webhook_subscriptions where id = ?`);
  const remove = sqlite.prepare("delete from webhook_subscriptions where id = ?");
  const rotate = sqlite.prepare(
    `update webhook_subscriptions set previous_secret = secret, previous_secret_expires_at = @until, secret = @secret, rotated_at = @at where id = @id`,
  );
  const secrets = sqlite.prepare(
    "select secret, previous_secret as previousSecret, previous_secret_expires_at as previousSecretExpiresAt from webhook_subscriptions where id = ?",
  );
  // Few subscriptions (one per desk system): read them all and filter in code (no JSON index
  // needed). Not cached: another repository instance or process may have changed them.
  const current = () => (all.all() as Row[]).map(toSubscription);

  return {
    async insert(s) {
      insert.run({ ...s, events: JSON.stringify(s.events), agencyCodes: s.agencyCodes === null ? null : JSON.stringify(s.agencyCodes) });
    },
    async list() {
      return current();
    },
    async get(id) {
      const row = one.get(id) as Row | undefined;
      return row === undefined ? undefined : toSubscription(row);
    },
    async delete(id) {
      const changed = remove.run(id).changes === 1;
      return changed;
    },
    async rotate(id, secret, at, until) {
      const changed = rotate.run({ id, secret, at, until }).changes === 1;
      return changed;
    },
    async secretsOf(id, now) {
      const row = secrets.get(id) as Parameters<typeof signingSecrets>[0] | undefined;
      return row === undefined ? undefined : signingSecrets(row, now);
    },
    async subscribedTo(eventType) {
      return current().filter((s) => s.events.includes(eventType));
    },
  };
}
