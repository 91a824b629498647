import type { Repositories } from "../../services/index.js";
import type { MomentScheduleRepository } from "../../services/outbound/schedule-ports.js";
import type { PostgresHandle } from "./pg-client.js";
import { createPostgresAgencyRepository } from "./agency-repository.js";
import { createPostgresApiKeyRepository } from "./api-key-repository.js";
import { createPostgresApologyLetterRepository } from "./apology-letter-repository.js";
import { createPostgresAuditRepository } from "./audit-repository.js";
import { createPostgresCalendarRepository } from "./calendar-repository.js";
import { createPostgresDossierRepository } from "./dossier-repository.js";
import { createPostgresIdempotencyRepository } from "./idempotency-repository.js";
import { createPostgresOperationsStatusRepository } from "./operations-status-repository.js";
import { createPostgresProcedureRepository } from "./procedure-repository.js";
import { createPostgresWebhookSubscriptionRepository } from "./webhook-subscription-repository.js";
import { createPostgresOutboxRepository } from "./outbox-repository.js";
import { createPostgresScheduleRepository } from "./schedule-repository.js";
import { createPostgresStatisticsRepository } from "./statistics-repository.js";

/** Every repository the services use, on one PostgreSQL database (issue #16). */
export function createPostgresRepositories(handle: PostgresHandle): Repositories & { readonly schedule: MomentScheduleRepository } {
  const { db } = handle;
  return {
    calendars: createPostgresCalendarRepository(db),
    agencies: createPostgresAgencyRepository(db),
    procedures: createPostgresProcedureRepository(db),
    apiKeys: createPostgresApiKeyRepository(db),
    dossiers: createPostgresDossierRepository(db),
    apologyLetters: createPostgresApologyLetterRepository(db),
    audit: createPostgresAuditRepository(db),
    idempotency: createPostgresIdempotencyRepository(db),
    webhooks: createPostgresWebhookSubscriptionRepository(db),
    operations: createPostgresOperationsStatusRepository(db),
    statistics: createPostgresStatisticsRepository(db),
    outbox: createPostgresOutboxRepository(db),
    schedule: createPostgresScheduleRepository(db),
  };
}
