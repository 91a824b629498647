/**
 * What an operator watches besides HTTP (issue #14 item 8, issue #15 "Metrics"): the open dossiers
 * by handling agency (open, overdue, at risk), the outbox's backlog, and the deliveries by
 * outcome. Gauges are read from indexes over the open dossiers only (never the whole table) and
 * cached briefly, so that a scrape every few seconds costs one indexed read at most.
 */
import { OPEN_STATUSES } from "../domain/dossier/dossier-types.js";
import { VN_CALENDAR_ID } from "../domain/calendar/calendar-defaults.js";
import type { DeliveryOutcome, DestinationKind } from "../domain/outbound/outbound-types.js";
import type { CalendarService } from "./calendar-service.js";
import type { OutboxBacklog, OutboxRepository } from "./outbound/outbox-ports.js";

export interface AgencyLoad {
  readonly agencyCode: string;
  readonly open: number;
  /** Open and past due with the clock running, or suspended after the due instant (DOMAIN.md §6). */
  readonly overdue: number;
  /** Open, clock running, due within the next working day and not yet overdue (the desks' "at risk" list). */
  readonly atRisk: number;
}

export interface OperationsStatusRepository {
  /** Per handling agency, over the open dossiers (an index on status): open, overdue at `now`, due in [now, atRiskUntil]. */
  loadByAgency(openStatuses: readonly string[], now: number, atRiskUntil: number): Promise<AgencyLoad[]>;
}

const CACHE_MS = 10_000;

export function createOperationsStatus(deps: {
  status: OperationsStatusRepository;
  outbox: Pick<OutboxRepository, "backlog">;
  calendars: Pick<CalendarService, "engineFor">;
  now: () => number;
}) {
  let cached: { at: number; load: AgencyLoad[] } | undefined;
  const deliveries = new Map<string, { destination: DestinationKind; outcome: DeliveryOutcome; count: number }>();
  return {
    async agencyLoad(): Promise<AgencyLoad[]> {
      const now = deps.now();
      if (cached && now >= cached.at && now - cached.at < CACHE_MS) return cached.load;
      // API.md: at risk = due within the next working day, on the national calendar.
      const engine = await deps.calendars.engineFor(VN_CALENDAR_ID);
      const until = engine.addWorkingMinutes(engine.nextWorkingInstant(now), engine.rules.workingDayMinutes);
      const load = await deps.status.loadByAgency(OPEN_STATUSES, now, until);
      cached = { at: now, load };
      return load;
    },
    outboxBacklog: (): Promise<OutboxBacklog> => deps.outbox.backlog(deps.now()),
    /** Every settled delivery attempt (the dispatcher's onAttempt). */
    recordAttempt(destination: DestinationKind, outcome: DeliveryOutcome): void {
      const key = `${destination}:${outcome}`;
      const entry = deliveries.get(key) ?? { destination, outcome, count: 0 };
      entry.count++;
      deliveries.set(key, entry);
    },
    deliveries: () => [...deliveries.values()],
  };
}

export type OperationsStatus = ReturnType<typeof createOperationsStatus>;
