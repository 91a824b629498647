import { createMomentScope, momentMessages } from "./outbound/moment-messages.js";
import type { ScheduledMoment } from "./outbound/schedule-ports.js";
import type { AgencyRepository, ApiKeyRepository, CalendarRepository, ProcedureRepository } from "./catalog-ports.js";
import type { DossierRepository } from "./dossier-ports.js";
import { createDossierUseCases } from "./dossiers/index.js";
import { createProjectionService } from "./projection-service.js";
import type { ApologyLetterRepository } from "./apology-letter-ports.js";
import { createApologyLetterService } from "./apology-letter-service.js";
import type { AuditRepository } from "./audit-ports.js";
import { createAuditService } from "./audit-service.js";
import type { StatisticsRepository } from "./statistics-ports.js";
import { createStatisticsService } from "./statistics-service.js";
import { createAgencyService } from "./agency-service.js";
import { createApiKeyService } from "./api-key-service.js";
import { createCalendarService } from "./calendar-service.js";
import { createProcedureService } from "./procedure-service.js";
import { createFormService } from "./form-service.js";
import { createOperationsStatus, type OperationsStatusRepository } from "./operations-status.js";
import type { DestinationPolicy } from "./outbound/destination-guard.js";
import { createDossierOutbound } from "./outbound/dossier-outbound.js";
import { createOutboundAdmin } from "./outbound/outbound-admin.js";
import type { OutboxRepository } from "./outbound/outbox-ports.js";
import type { WebhookSubscriptionRepository } from "./outbound/webhook-ports.js";
import { createIdempotencyService, type IdempotencyRepository } from "./idempotency.js";

/** Every port the services need; src/db implements them. */
export interface Repositories {
  readonly calendars: CalendarRepository;
  readonly agencies: AgencyRepository;
  readonly procedures: ProcedureRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly dossiers: DossierRepository;
  readonly statistics: StatisticsRepository;
  readonly audit: AuditRepository;
  readonly apologyLetters: ApologyLetterRepository;
  readonly idempotency: IdempotencyRepository;
  readonly outbox: OutboxRepository;
  readonly webhooks: WebhookSubscriptionRepository;
  readonly operations: OperationsStatusRepository;
}

/** Outbound sync settings (issue #15): the portal when configured, and the webhook destination policy. */
export interface OutboundSettings {
  readonly portal: { readonly url: string } | null;
  readonly policy: DestinationPolicy;
  /** After a commit that queued messages: wakes the dispatcher and the moment scheduler. */
  readonly committed: () => void;
}

export function createServices(
  repos: Repositories,
  deps: { now: () => number; adminKey: string | undefined; outbound?: OutboundSettings },
) {
  const { now } = deps;
  const outbound = deps.outbound ?? { portal: null, policy: { allowPrivate: false }, committed: () => undefined };
  // A calendar change re-projects the open dossiers counted on it; the projections need the calendars' engines.
  const calendars = createCalendarService({ calendars: repos.calendars, now, afterChange: (id, from) => projections.refreshCalendar(id, from) });
  const projections = createProjectionService({ dossiers: repos.dossiers, procedures: repos.procedures, calendars, now });
  const audit = createAuditService({ audit: repos.audit, now });
  const dossiers = createDossierUseCases({
    dossiers: repos.dossiers,
    procedures: repos.procedures,
    agencies: repos.agencies,
    calendars,
    audit,
    outbound: {
      prepare: (access) =>
        createDossierOutbound({ subscriptions: repos.webhooks, agencies: repos.agencies, letters: repos.apologyLetters, lineage: access.lineage, portal: outbound.portal !== null }),
      committed: outbound.committed,
    },
    now,
  });
  const apologyLetters = createApologyLetterService({
    letters: repos.apologyLetters,
    dossiers,
    agencies: repos.agencies,
    calendars,
    outbound: createDossierOutbound({ subscriptions: repos.webhooks, agencies: repos.agencies, letters: repos.apologyLetters, lineage: dossiers.access.lineage, portal: outbound.portal !== null }),
    committed: outbound.committed,
    now,
  });
  const momentScope = createMomentScope({ dossiers: repos.dossiers, lineage: dossiers.access.lineage });
  const agencyService = createAgencyService({ agencies: repos.agencies, calendars: repos.calendars, now });
  return {
    calendars,
    agencies: agencyService,
    procedures: createProcedureService({ procedures: repos.procedures, agencies: repos.agencies, now }),
    apiKeys: createApiKeyService({ apiKeys: repos.apiKeys, agencies: repos.agencies, adminKey: deps.adminKey, now }),
    dossiers,
    apologyLetters,
    forms: createFormService({ dossiers, letters: apologyLetters, agencies: agencyService, audit }),
    statistics: createStatisticsService({ statistics: repos.statistics, agencies: repos.agencies, procedures: repos.procedures, now }),
    audit,
    idempotency: createIdempotencyService({ keys: repos.idempotency, now }),
    operations: createOperationsStatus({ status: repos.operations, outbox: repos.outbox, calendars, now }),
    outbound: createOutboundAdmin({
      subscriptions: repos.webhooks,
      outbox: repos.outbox,
      dossiers: repos.dossiers,
      agencies: repos.agencies,
      letters: repos.apologyLetters,
      access: dossiers.access,
      history: dossiers.history,
      audit,
      policy: outbound.policy,
      portal: outbound.portal,
      committed: outbound.committed,
      now,
    }),
    projections,
    /** What a fired moment sends (the moment scheduler's `messagesOf`). */
    moments: {
      messagesOf: (moment: ScheduledMoment, firedAt: number) => momentMessages(moment, firedAt, { scope: momentScope, subscriptions: repos.webhooks }),
    },
  };
}
export type Services = ReturnType<typeof createServices>;
