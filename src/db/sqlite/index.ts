import type { SqliteHandle } from "./sqlite-client.js";
import { createGroupCommit, type GroupCommit } from "./group-commit.js";
import { createSqliteIdempotencyRepository } from "./idempotency-repository.js";
import { createSqliteOutboxRepository } from "./outbox-repository.js";
import { createSqliteOperationsStatusRepository } from "./operations-status-repository.js";
import { createSqliteScheduleRepository } from "./schedule-repository.js";
import { createSqliteWebhookSubscriptionRepository } from "./webhook-subscription-repository.js";
import type { SqliteScheduleRepository } from "./schedule-repository.js";
import { createSqliteAgencyRepository } from "./agency-repository.js";
import { createSqliteApiKeyRepository } from "./api-key-repository.js";
import { createSqliteCalendarRepository } from "./calendar-repository.js";
import { createSqliteProcedureRepository } from "./procedure-repository.js";
import { createSqliteDossierRepository } from "./dossier-repository.js";
import { createSqliteApologyLetterRepository } from "./apology-letter-repository.js";
import { createSqliteAuditRepository } from "./audit-repository.js";
import { createSqliteStatisticsRepository } from "./statistics-repository.js";

import type { Repositories } from "../../services/index.js";

/** Every repository the services use, backed by one SQLite database; dossier writes group-commit. */
export function createSqliteRepositories(
  handle: SqliteHandle,
  group: GroupCommit = createGroupCommit(handle.sqlite),
): Repositories & { readonly schedule: SqliteScheduleRepository } {
  // A dossier's write queues its outbound messages and re-plans its moments in its own transaction (issue #15).
  const outbox = createSqliteOutboxRepository(handle.db);
  const schedule = createSqliteScheduleRepository(handle.db, outbox);
  return {
    outbox,
    schedule,
    webhooks: createSqliteWebhookSubscriptionRepository(handle.db),
    operations: createSqliteOperationsStatusRepository(handle.sqlite),
    calendars: createSqliteCalendarRepository(handle.db),
    agencies: createSqliteAgencyRepository(handle.db),
    procedures: createSqliteProcedureRepository(handle.db),
    apiKeys: createSqliteApiKeyRepository(handle.db, group),
    dossiers: createSqliteDossierRepository(handle.db, group, { outbox, schedule }),
    statistics: createSqliteStatisticsRepository(handle),
    audit: createSqliteAuditRepository(handle.db),
    apologyLetters: createSqliteApologyLetterRepository(handle.db, group, { outbox, schedule }),
    idempotency: createSqliteIdempotencyRepository(handle.sqlite, group),
  };
}

export { createSqliteOutboxRepository, createSqliteScheduleRepository, createSqliteWebhookSubscriptionRepository };
