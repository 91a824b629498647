/** Webhook subscriptions on SQLite (contract: src/services/outbound/webhook-ports.ts). */
import type { WebhookEventType } from "../../domain/outbound/outbound-types.js";
import type { WebhookSubscription, WebhookSubscriptionRepository } from "../../services/outbound/webhook-ports.js";
import type { SqliteDb } from "../sqlite-client.js";

interface Row {
  id: string;
  url: string;
  events: string;
  agency_codes: string | null;
  created_at: number;
  rotated_at: number | null;
  created_by: string | null;
}

const toSubscription = (r: Row): WebhookSubscription => ({
  id: r.id,
  url: r.url,
  events: JSON.parse(r.events) as WebhookEventType[],
  agencyCodes: r.agency_codes === null ? null : (JSON.parse(r.agency_codes) as string[] | null),
  createdAt: r.created_at,
  rotatedAt: r.rotated_at,
  createdBy: r.created_by,
});

export function createSqliteWebhookSubscriptionRepository(db: SqliteDb): WebhookSubscriptionRepository {
  const sqlite = db.$client;
  const COLUMNS = "id, url, events, agency_codes, created_at, rotated_at, created_by";
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
  const secrets = sqlite.prepare("select secret, previous_secret, previous_secret_expires_at from webhook_subscriptions where id = ?");
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
      const row = secrets.get(id) as { secret: string; previous_secret: string | null; previous_secret_expires_at: number | null } | undefined;
      if (row === undefined) return undefined;
      const previousValid = row.previous_secret !== null && row.previous_secret_expires_at !== null && now < row.previous_secret_expires_at;
      return previousValid ? [row.secret, row.previous_secret!] : [row.secret];
    },
    async subscribedTo(eventType) {
      return current().filter((s) => s.events.includes(eventType));
    },
  };
}
