import type { AgencyRepository, ApiKeyRepository, CalendarRepository, ProcedureRepository } from "./catalog-ports.js";
import { createAgencyService } from "./agency-service.js";
import { createApiKeyService } from "./api-key-service.js";
import { createCalendarService } from "./calendar-service.js";
import { createProcedureService } from "./procedure-service.js";

/** Every port the services need; src/db implements them. */
export interface Repositories {
  readonly calendars: CalendarRepository;
  readonly agencies: AgencyRepository;
  readonly procedures: ProcedureRepository;
  readonly apiKeys: ApiKeyRepository;
}

export function createServices(repos: Repositories, deps: { now: () => number; adminKey: string | undefined }) {
  const { now } = deps;
  return {
    calendars: createCalendarService({ calendars: repos.calendars, now }),
    agencies: createAgencyService({ agencies: repos.agencies, calendars: repos.calendars, now }),
    procedures: createProcedureService({ procedures: repos.procedures, agencies: repos.agencies, now }),
    apiKeys: createApiKeyService({ apiKeys: repos.apiKeys, adminKey: deps.adminKey, now }),
  };
}
export type Services = ReturnType<typeof createServices>;
