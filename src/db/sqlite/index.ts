import type { SqliteHandle } from "../sqlite-client.js";
import { createGroupCommit, type GroupCommit } from "./group-commit.js";
import { createSqliteIdempotencyRepository } from "./idempotency-repository.js";
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
export function createSqliteRepositories(handle: SqliteHandle, group: GroupCommit = createGroupCommit(handle.sqlite)): Repositories {
  return {
    calendars: createSqliteCalendarRepository(handle.db),
    agencies: createSqliteAgencyRepository(handle.db),
    procedures: createSqliteProcedureRepository(handle.db),
    apiKeys: createSqliteApiKeyRepository(handle.db, group),
    dossiers: createSqliteDossierRepository(handle.db, group),
    statistics: createSqliteStatisticsRepository(handle),
    audit: createSqliteAuditRepository(handle.db),
    apologyLetters: createSqliteApologyLetterRepository(handle.db, group),
    idempotency: createSqliteIdempotencyRepository(handle.sqlite, group),
  };
}

export { createSqliteOutboxRepository } from "./outbox-repository.js";
export { createSqliteScheduleRepository } from "./schedule-repository.js";
export { createSqliteWebhookSubscriptionRepository } from "./webhook-subscription-repository.js";
