/** Domain dossiers -> API JSON: instants as ISO 8601 with +07:00 (API.md "Conventions"). */
import type { StepRecord } from "../../domain/dossier/dossier-fold.js";
import { STATUS_LABELS } from "../../domain/dossier/status-labels.js";
import { formatInstant } from "../../domain/time.js";
import type { DossierView } from "../../services/dossier-service.js";
import type { DossierRecord, StoredEvent } from "../../services/dossier-ports.js";
import type { ProcedureVersion } from "../../domain/procedure/procedure-types.js";
import type { TimelineEntry } from "../../domain/dossier/dossier-fold.js";

const iso = (ms: number | null): string | null => (ms === null ? null : formatInstant(ms));

export function presentStep(step: StepRecord) {
  return {
    code: step.code,
    name: step.name,
    agencyCode: step.agencyCode,
    enteredAt: formatInstant(step.enteredAt),
    leftAt: iso(step.leftAt),
    budgetMinutes: step.budgetMinutes,
    usedMinutes: step.usedMinutes,
    dueAt: iso(step.dueAt),
    timeliness: step.timeliness,
    overdue: step.overdue,
  };
}

export function presentSummary(record: DossierRecord, procedure: ProcedureVersion, overdue: boolean) {
  return {
    receiptCode: record.receiptCode,
    procedure: { code: procedure.code, name: procedure.name, version: procedure.version },
    receivingAgencyCode: record.receivingAgencyCode,
    handlingAgencyCode: record.handlingAgencyCode,
    currentAgencyCode: record.currentAgencyCode,
    channel: record.channel,
    status: record.status,
    nationalStatusCode: record.nationalStatusCode,
    statusLabel: STATUS_LABELS[record.status],
    receivedAt: formatInstant(record.receivedAt),
    dueAt: formatInstant(record.dueAt),
    originalDueAt: formatInstant(record.originalDueAt),
    legalDueAt: formatInstant(record.legalDueAt),
    rescheduledDueAt: iso(record.rescheduledDueAt),
    finishedAt: iso(record.finishedAt),
    returnedAt: iso(record.returnedAt),
    outcome: record.outcome,
    timeliness: record.timeliness,
    overdue,
    supplementRequests: record.supplementRequests,
  };
}

export function presentDossier({ record, procedure, state }: DossierView) {
  return {
    receiptCode: record.receiptCode,
    procedure: { code: procedure.code, name: procedure.name, version: procedure.version },
    receivingAgencyCode: record.receivingAgencyCode,
    handlingAgencyCode: record.handlingAgencyCode,
    currentAgencyCode: state.currentAgencyCode,
    channel: record.channel,
    applicant: record.applicant,
    summary: record.summary,
    digitized: record.digitized,
    feeVnd: record.feeVnd,
    paidOnline: record.paidOnline,
    status: state.status,
    nationalStatusCode: state.nationalStatusCode,
    statusLabel: state.statusLabel,
    receivedAt: formatInstant(record.receivedAt),
    clockStartedAt: formatInstant(state.clockStartedAt),
    dueAt: formatInstant(state.dueAt),
    originalDueAt: formatInstant(record.originalDueAt),
    legalDueAt: formatInstant(state.legalDueAt),
    rescheduledDueAt: iso(record.rescheduledDueAt),
    finishedAt: iso(state.finishedAt),
    returnedAt: iso(state.returnedAt),
    stoppedAt: iso(state.stoppedAt),
    outcome: state.outcome,
    timeliness: state.timeliness,
    legalTimeliness: state.legalTimeliness,
    overdue: state.overdue,
    paused: state.paused,
    pausedMinutes: state.pausedMinutes,
    supplementRequests: state.supplementRequests,
    supplementRequestFlagged: state.supplementRequestFlagged,
    responsibleAgencyCode: state.responsibleAgencyCode,
    currentStep: state.currentStep === null ? null : presentStep(state.currentStep),
    steps: state.steps.map(presentStep),
    apologyLetters: [] as Record<string, unknown>[],
    eventCount: state.eventCount,
  };
}

/** The timeline in fold order, each event with the status it led to and, for a hand-off, the step it closed. */
export function presentTimeline(view: DossierView, events: readonly StoredEvent[]) {
  const byId = new Map(events.map((e) => [e.event.eventId, e]));
  return view.state.timeline.map((entry: TimelineEntry) => {
    const stored = byId.get(entry.eventId)!;
    const { occurredAt, ...fields } = stored.event;
    return {
      ...fields,
      occurredAt: formatInstant(occurredAt),
      recordedAt: formatInstant(stored.recordedAt),
      statusAfter: entry.statusAfter,
      handOff: entry.step === null ? null : presentStep(entry.step),
    };
  });
}
