/**
 * The glue between a dossier as the services hold it and the outbound building blocks: the
 * portal record of a stored dossier (GET /v1/dossiers/{code}/portal-record, and the body the
 * portal sync sends), the re-planning of its time-driven moments, and the webhook event of a
 * fired moment. The write path (the lead's use cases) calls these inside its transaction:
 *
 *   replay (once per write, issue #12) ─┬─ projection (as today)
 *                                       ├─ plannedMoments(…), stored            (same transaction)
 *                                       └─ outbox.enqueue(outboundMessages({ events, subscriptions,
 *                                             lineages, portalRecord: portalRecordOf(…) }))  (same transaction)
 *   after commit: dispatcher.wake(); momentScheduler.wake()
 */
import type { WorkingCalendar } from "../../domain/calendar/working-calendar.js";
import type { ApologyLetter } from "../../domain/dossier/apology-letter.js";
import { evaluateDossier, replayDossier, type DossierReplay } from "../../domain/dossier/dossier-fold.js";
import type { DossierEvent } from "../../domain/dossier/dossier-types.js";
import { planMoments } from "../../domain/outbound/next-moments.js";
import { buildPortalRecord, type PortalRecord } from "../../domain/outbound/portal-record.js";
import type { ProcedureVersion } from "../../domain/procedure/procedure-types.js";
import { formatInstant } from "../../domain/time.js";
import type { DossierRecord, OutboundChange } from "../dossier-ports.js";
import { factsOf } from "../dossiers/dossier-history.js";
import type { DossierOutboundEvent } from "./outbound-messages.js";
import type { ScheduledMoment } from "./schedule-ports.js";

export interface StoredDossier {
  readonly record: DossierRecord;
  readonly procedure: ProcedureVersion;
  readonly events: readonly DossierEvent[];
  readonly letters: readonly Pick<ApologyLetter, "issuedAt" | "originalDueAt" | "newDueAt" | "reason">[];
  readonly engine: WorkingCalendar;
  /** Replayed already by the caller (one replay per write); else replayed here. */
  readonly replay?: DossierReplay;
}

function replayOf(d: StoredDossier): DossierReplay {
  if (d.replay) return d.replay;
  const result = replayDossier(factsOf(d.record, d.procedure), d.events, d.engine, d.engine.rules.workingDayMinutes);
  if (!result.ok) throw new Error(`stored history of ${d.record.receiptCode} no longer folds: ${result.violation.message}`);
  return result.replay;
}

/** The DongBoHoSoMC record as it stands at `now` (DOMAIN.md §8); null for a cancelled dossier. */
export function portalRecordOf(d: StoredDossier, agencyName: (code: string) => string | undefined, now: number): PortalRecord | null {
  const replay = replayOf(d);
  return buildPortalRecord({
    dossier: d.record,
    procedure: d.procedure,
    replay,
    state: evaluateDossier(replay, d.engine, now),
    events: d.events,
    extensions: d.letters,
    agencyName,
    calendar: d.engine,
  });
}

/** The dossier's moments planned again from its history (next-moments.ts), given the keys fired already: what a write stores (OutboundChange). */
export function plannedMoments(d: StoredDossier): OutboundChange["moments"] {
  const replay = replayOf(d);
  return (fired) => planMoments({ replay, calendar: d.engine, rescheduledDueAt: d.record.rescheduledDueAt, fired });
}

/** The webhook event a fired moment sends (API.md "Outbound"): instants as ISO 8601 in +07:00. */
export function momentEvent(moment: ScheduledMoment): DossierOutboundEvent {
  const d = moment.detail;
  const data =
    d.kind === "at_risk"
      ? { receiptCode: moment.receiptCode, percentUsed: d.percent, dueAt: formatInstant(d.dueAt), periodStartedAt: formatInstant(d.periodStartedAt) }
      : d.kind === "overdue"
        ? { receiptCode: moment.receiptCode, basis: d.basis, dueAt: formatInstant(d.dueAt), periodStartedAt: formatInstant(d.periodStartedAt) }
        : { receiptCode: moment.receiptCode, duty: d.duty, agencyCode: d.agencyCode, dueAt: formatInstant(d.dueAt) };
  return { receiptCode: moment.receiptCode, type: moment.eventType, at: moment.at, data };
}
