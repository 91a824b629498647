/**
 * Use cases: staff read a dossier, its timeline, and the work lists (API.md "Dossiers"). A read
 * that serves an applicant's personal data is recorded in the access audit here, by the use case
 * (DOMAIN.md §9, Personal Data Protection Law 91/2025), before the answer leaves.
 */
import type { Principal } from "../../domain/access/roles.js";
import { agencySubtree } from "../../domain/access/agency-tree.js";
import type { AuditAction } from "../../domain/access/audit.js";
import { OPEN_STATUSES } from "../../domain/dossier/dossier-types.js";
import { liveDueInstants } from "../../domain/dossier/live-clock.js";
import { PAUSED_STATUSES } from "../../domain/dossier/transitions.js";
import { DECREE_118_IN_FORCE_AT } from "../../domain/law/legal-frame.js";
import type { DutyKind } from "../../domain/dossier/duties.js";
import { notFound } from "../../domain/errors.js";
import type { ProcedureVersion } from "../../domain/procedure/procedure-types.js";
import { vietnamDayOf } from "../../domain/time.js";
import type { WorkingCalendar } from "../../domain/calendar/working-calendar.js";
import { VN_CALENDAR_ID } from "../../domain/calendar/calendar-defaults.js";
import type { AuditService, Requester } from "../audit-service.js";
import type { AgencyRepository } from "../catalog-ports.js";
import type { CalendarService } from "../calendar-service.js";
import type { DossierRecord, DossierRepository, StoredEvent } from "../dossier-ports.js";
import type { AgencyAccess } from "./dossier-access.js";
import type { DossierHistory, DossierView } from "./dossier-history.js";

export interface DossierListQuery {
  agencyCode?: string;
  status?: DossierRecord["status"];
  overdue?: boolean;
  atRisk?: boolean;
  apology?: "none" | "issued";
  dutyOverdue?: DutyKind;
  supplementExpired?: boolean;
  procedureCode?: string;
  receivedFrom?: string;
  receivedTo?: string;
  limit: number;
  cursor?: number;
}

/**
 * The clock of a listed dossier read now (issue #12 "one name per clock"): the stored row's
 * `dueAt` is as of its last event (`clockAsOf`); while the clock is paused the live due instants
 * keep moving (live-clock.ts). Responses show these, so that a listing, the detail (the fold's
 * `DossierState`), the public view and the statistics show the same instant at the same moment.
 */
export interface LiveClock {
  readonly dueAt: number;
  readonly legalDueAt: number;
  readonly overdue: boolean;
}

/** A listed dossier: the stored row, its live clock and its procedure version. */
export interface ListedDossier {
  readonly record: DossierRecord;
  readonly clock: LiveClock;
  readonly procedure: ProcedureVersion;
}

export function createReadDossiers(deps: {
  dossiers: Pick<DossierRepository, "getWithEvents" | "list">;
  agencies: Pick<AgencyRepository, "get" | "list">;
  calendars: Pick<CalendarService, "engineFor">;
  access: Pick<AgencyAccess, "authorizeDossier">;
  history: Pick<DossierHistory, "view" | "procedureVersion">;
  audit: Pick<AuditService, "record">;
  now: () => number;
}) {
  const { dossiers, agencies, calendars, access, history } = deps;

  /** The dossier and its events, once the caller may see them (404, then 403). */
  async function authorized(receiptCode: string, principal: Principal) {
    const found = await dossiers.getWithEvents(receiptCode);
    if (!found) throw notFound("Dossier", receiptCode);
    await access.authorizeDossier(principal, found.dossier, false);
    return found;
  }

  /** The dossier with its timeline, for other use cases that serve it (forms, letters) and audit it themselves. */
  async function events(receiptCode: string, principal: Principal): Promise<{ view: DossierView; events: StoredEvent[] }> {
    const found = await authorized(receiptCode, principal);
    return { view: await history.view(found.dossier, found.events), events: found.events };
  }

  async function get(receiptCode: string, principal: Principal): Promise<DossierView> {
    const found = await authorized(receiptCode, principal);
    return history.view(found.dossier, found.events);
  }

  /** Serves personal data: recorded as `action` for this requester once the read is allowed. */
  async function audited<T extends { view: DossierView } | DossierView>(action: AuditAction, requester: Requester, read: T): Promise<T> {
    const record = "view" in read ? read.view.record : read.record;
    await deps.audit.record(action, record.receiptCode, requester);
    return read;
  }

  return {
    get,
    events,

    /** GET /v1/dossiers/{code}: the dossier, its read recorded in the access audit. */
    read: async (receiptCode: string, requester: Requester & { principal: Principal }) =>
      audited("dossier.read", requester, await get(receiptCode, requester.principal)),

    /** GET /v1/dossiers/{code}/events: the timeline, its read recorded in the access audit. */
    readEvents: async (receiptCode: string, requester: Requester & { principal: Principal }) =>
      audited("dossier.events", requester, await events(receiptCode, requester.principal)),

    async list(filter: DossierListQuery, principal: Principal): Promise<{ items: ListedDossier[]; nextCursor: number | null }> {
      const now = deps.now();
      let agencyCodes: string[] | undefined;
      if (filter.agencyCode !== undefined) agencyCodes = [filter.agencyCode];
      if (principal.role === "desk") {
        // A desk lists only its own agencies (and those below them).
        const covered = agencySubtree(principal.agencyCodes, await agencies.list());
        agencyCodes = agencyCodes === undefined ? covered : agencyCodes.filter((c) => covered.includes(c));
      }
      let receivedFrom = filter.receivedFrom === undefined ? undefined : vietnamDayOf(filter.receivedFrom, "receivedFrom").start;
      // Duty work lists (DOMAIN.md §10). Waiting past the applicant's limit (Decree 118/2025 art.
      // 19(5)) is the supplement-completion duty overdue: the desk closes these dossiers.
      const kinds = new Set<DutyKind>([...(filter.dutyOverdue === undefined ? [] : [filter.dutyOverdue]), ...(filter.supplementExpired ? ["supplement_completion" as const] : [])]);
      if (kinds.has("extension_notice")) {
        // Owed by a late dossier without a letter (art. 19(6)); a Decree 118 duty, so received from its entry into force.
        kinds.delete("extension_notice");
        filter = { ...filter, overdue: true, apology: "none" };
        receivedFrom = Math.max(receivedFrom ?? DECREE_118_IN_FORCE_AT, DECREE_118_IN_FORCE_AT);
      }
      const dutiesOverdue = [...kinds];
      const receivedBefore = filter.receivedTo === undefined ? undefined : vietnamDayOf(filter.receivedTo, "receivedTo").end;
      const page = await dossiers.list({
        ...(agencyCodes !== undefined ? { agencyCodes } : {}),
        ...(filter.status !== undefined ? { status: filter.status } : {}),
        ...(filter.overdue !== undefined ? { overdue: filter.overdue } : {}),
        ...(filter.atRisk === true ? { dueWithin: await nextWorkingDayFrom(now, filter.agencyCode), apology: "none" as const } : {}),
        ...(filter.apology !== undefined ? { apology: filter.apology } : {}),
        ...(dutiesOverdue.length > 0 ? { dutiesOverdue } : {}),
        ...(filter.procedureCode !== undefined ? { procedureCode: filter.procedureCode } : {}),
        ...(receivedFrom !== undefined ? { receivedFrom } : {}),
        ...(receivedBefore !== undefined ? { receivedBefore } : {}),
        ...(filter.cursor !== undefined ? { cursor: filter.cursor } : {}),
        limit: filter.limit,
        now,
      });
      // One engine per calendar for the page (a paused dossier's due instants are read on it).
      const engines = new Map<string, Promise<WorkingCalendar>>();
      const engineOf = (calendarId: string) => engines.get(calendarId) ?? engines.set(calendarId, calendars.engineFor(calendarId)).get(calendarId)!;
      return { items: await Promise.all(page.items.map((record) => listView(record, engineOf))), nextCursor: page.nextCursor };
    },
  };

  /**
   * The "at risk" horizon (API.md: due within the next working day): from now to one working day
   * later on the calendar of the agency asked about, else the national one.
   */
  async function nextWorkingDayFrom(now: number, agencyCode: string | undefined): Promise<{ from: number; to: number }> {
    const calendarId = (agencyCode === undefined ? undefined : (await agencies.get(agencyCode))?.calendarId) ?? VN_CALENDAR_ID;
    const engine = await calendars.engineFor(calendarId);
    return { from: now, to: engine.addWorkingMinutes(engine.nextWorkingInstant(now), engine.rules.workingDayMinutes) };
  }

  async function listView(
    record: DossierRecord,
    engineOf: (calendarId: string) => Promise<WorkingCalendar>,
  ): Promise<ListedDossier> {
    const procedure = await history.procedureVersion(record.procedureCode, record.procedureVersion);
    const now = deps.now();
    // The stored clock read now, as the dossier's detail reads it (live-clock.ts).
    const due = PAUSED_STATUSES.includes(record.status) ? liveDueInstants(record, await engineOf(record.calendarId), now) : record;
    const open = OPEN_STATUSES.includes(record.status);
    // DOMAIN.md §6, as the fold judges it (dossier-fold.ts `overdue`) from the stored columns.
    const overdue = open && (record.status === "suspended" ? record.lateWhenSuspended : !record.paused && now > due.dueAt);
    return { record, clock: { dueAt: due.dueAt, legalDueAt: due.legalDueAt, overdue }, procedure };
  }
}
