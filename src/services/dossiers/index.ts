/**
 * The dossier use cases, each a factory over the narrow ports it needs (STYLE.md): reception,
 * recording events, staff reads and work lists, the citizen portal. One access rule and one
 * history replayer serve them all.
 */
import type { AuditService } from "../audit-service.js";
import type { AgencyRepository, ProcedureRepository } from "../catalog-ports.js";
import type { CalendarService } from "../calendar-service.js";
import type { DossierRepository } from "../dossier-ports.js";
import { createCitizenPortal } from "./citizen-portal.js";
import { createAgencyAccess, type AgencyAccess } from "./dossier-access.js";
import type { DossierOutbound } from "../outbound/dossier-outbound.js";
import { createDossierHistory } from "./dossier-history.js";
import { createReadDossiers } from "./read-dossiers.js";
import { createReceiveDossier } from "./receive-dossier.js";
import { createRecordEvents } from "./record-events.js";

export function createDossierUseCases(deps: {
  dossiers: DossierRepository;
  procedures: ProcedureRepository;
  agencies: AgencyRepository;
  calendars: CalendarService;
  audit: Pick<AuditService, "record">;
  /** Outbound sync (issue #15): the change's messages and moments, and the dispatcher's wake-up. */
  outbound?: { readonly prepare: (access: AgencyAccess) => Pick<DossierOutbound, "prepare">; readonly committed: () => void };
  now: () => number;
}) {
  const access = createAgencyAccess({ agencies: deps.agencies });
  const history = createDossierHistory(deps);
  const { outbound: sync, ...rest } = deps;
  const common = { ...rest, access, history, ...(sync ? { outbound: sync.prepare(access), committed: sync.committed } : {}) };
  return {
    access,
    history,
    receive: createReceiveDossier(common),
    postEvents: createRecordEvents(common),
    ...createReadDossiers(common),
    portal: createCitizenPortal(common),
  };
}

export type DossierUseCases = ReturnType<typeof createDossierUseCases>;
export type { DossierView } from "./dossier-history.js";
export { checkNotFuture } from "./dossier-history.js";
