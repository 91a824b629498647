/** Domain dossiers -> API JSON: instants as ISO 8601 with +07:00 (API.md "Conventions"). */
import type { StepRecord } from "../../domain/dossier/dossier-fold.js";
import { STATUS_LABELS } from "../../domain/dossier/status-labels.js";
import { formatInstant } from "../../domain/time.js";
import type { DossierView } from "../../services/dossiers/dossier-history.js";
import type { ListedDossier } from "../../services/dossiers/read-dossiers.js";
import type { DossierRecord, StoredEvent } from "../../services/dossier-ports.js";
import type { ProcedureVersion } from "../../domain/procedure/procedure-types.js";
import type { TimelineEntry } from "../../domain/dossier/dossier-fold.js";
import type { ApologyLetter } from "../../domain/dossier/apology-letter.js";
import type { DutyState } from "../../domain/dossier/dossier-fold.js";
import { extensionNoticeDuty } from "../../domain/dossier/duties.js";
import { OPEN_STATUSES } from "../../domain/dossier/dossier-types.js";
import { legalFrameAt } from "../../domain/law/legal-frame.js";

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

/** A listed dossier: its instants from the live clock, never the stored row's (read-dossiers.ts). */
export function presentSummary({ record, clock, procedure }: ListedDossier) {
  return {
    receiptCode: record.receiptCode,
    procedure: { code: procedure.code, name: procedure.name, version: procedure.version },
    legalFrame: legalFrameAt(record.receivedAt),
    receivingAgencyCode: record.receivingAgencyCode,
    handlingAgencyCode: record.handlingAgencyCode,
    currentAgencyCode: record.currentAgencyCode,
    channel: record.channel,
    status: record.status,
    nationalStatusCode: record.nationalStatusCode,
    statusLabel: STATUS_LABELS[record.status],
    receivedAt: formatInstant(record.receivedAt),
    dueAt: formatInstant(clock.dueAt),
    originalDueAt: formatInstant(record.originalDueAt),
    legalDueAt: formatInstant(clock.legalDueAt),
    rescheduledDueAt: iso(record.rescheduledDueAt),
    finishedAt: iso(record.finishedAt),
    returnedAt: iso(record.returnedAt),
    outcome: record.outcome,
    timeliness: record.timeliness,
    overdue: clock.overdue,
    supplementRequests: record.supplementRequests,
  };
}

export function presentLetter(letter: ApologyLetter) {
  return {
    receiptCode: letter.receiptCode,
    number: letter.number,
    year: letter.year,
    agencyCode: letter.agencyCode,
    reason: letter.reason,
    issuedAt: formatInstant(letter.issuedAt),
    originalDueAt: formatInstant(letter.originalDueAt),
    newDueAt: formatInstant(letter.newDueAt),
    issuedInTime: letter.issuedInTime,
    place: letter.place,
    signerName: letter.signerName,
    signerTitle: letter.signerTitle,
    recipients: [...letter.recipients],
  };
}

const presentDuty = (d: DutyState) => ({ kind: d.kind, agencyCode: d.agencyCode, dueAt: formatInstant(d.dueAt), doneAt: iso(d.doneAt), status: d.status });

/** The fold's duties, and the extension notice that the dossier's letter answers (Decree 118/2025 art. 19(6)). */
function dutiesOf({ record, state }: DossierView, letters: readonly ApologyLetter[]): DutyState[] {
  if (state.extensionNoticeDueAt === null) return [...state.duties];
  const letter = letters[0] ?? null;
  const notice = extensionNoticeDuty(
    {
      noticeDueAt: state.extensionNoticeDueAt,
      late: state.overdue || state.timeliness === "late",
      open: OPEN_STATUSES.includes(state.status),
      responsibleAgencyCode: state.responsibleAgencyCode ?? record.handlingAgencyCode,
    },
    letter,
  );
  return notice === null ? [...state.duties] : [...state.duties, notice];
}

export function presentDossier(view: DossierView, letters: readonly ApologyLetter[]) {
  const { record, procedure, state } = view;
  return {
    receiptCode: record.receiptCode,
    procedure: { code: procedure.code, name: procedure.name, version: procedure.version },
    legalFrame: state.legalFrame,
    receivingAgencyCode: record.receivingAgencyCode,
    handlingAgencyCode: record.handlingAgencyCode,
    currentAgencyCode: state.currentAgencyCode,
    channel: record.channel,
    applicant: record.applicant,
    summary: record.summary,
    documents: record.documents === null ? null : record.documents.map((d) => ({ ...d })),
    setCount: record.setCount,
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
    supplementRequestOutsideWindow: state.supplementRequestOutsideWindow,
    supplementPolicy: state.supplementPolicy,
    submittedAt: iso(record.submittedAt),
    duties: dutiesOf(view, letters).map(presentDuty),
    responsibleAgencyCode: state.responsibleAgencyCode,
    currentStep: state.currentStep === null ? null : presentStep(state.currentStep),
    steps: state.steps.map(presentStep),
    apologyLetters: letters.map(presentLetter),
    eventCount: state.eventCount,
  };
}

/**
 * The timeline in fold order, each event with the status it led to and, for a hand-off, the step
 * it closed; apology letters in their place by issue time (they change no status).
 */
export function presentTimeline(view: DossierView, events: readonly StoredEvent[], letters: readonly ApologyLetter[]) {
  const byId = new Map(events.map((e) => [e.event.eventId, e]));
  const entries = view.state.timeline.map((entry: TimelineEntry) => {
    const stored = byId.get(entry.eventId)!;
    const { occurredAt, ...fields } = stored.event;
    return {
      ...fields,
      ...(fields.type === "consultation_requested" ? { replyDueAt: formatInstant(fields.replyDueAt) } : {}),
      occurredAt: formatInstant(occurredAt),
      recordedAt: formatInstant(stored.recordedAt),
      statusAfter: entry.statusAfter,
      handOff: entry.step === null ? null : presentStep(entry.step),
      at: stored.event.occurredAt,
    };
  });
  const statusAt = (t: number) => view.state.history.filter((h) => h.at <= t).at(-1)?.status ?? "received";
  const letterEntries = letters.map((letter) => ({
    eventId: `apology-letter:${letter.agencyCode}:${letter.year}:${letter.number}`,
    type: "apology_letter_issued" as const,
    agencyCode: letter.agencyCode,
    occurredAt: formatInstant(letter.issuedAt),
    recordedAt: formatInstant(letter.recordedAt),
    reason: letter.reason,
    number: letter.number,
    newDueAt: formatInstant(letter.newDueAt),
    statusAfter: statusAt(letter.issuedAt),
    handOff: null,
    at: letter.issuedAt,
  }));
  // Stable merge by time: a letter goes after the events of the same instant.
  const merged: ((typeof entries)[number] | (typeof letterEntries)[number])[] = [...entries];
  for (const entry of letterEntries) {
    const position = merged.findIndex((e) => e.at > entry.at);
    merged.splice(position === -1 ? merged.length : position, 0, entry);
  }
  return merged.map(({ at: _at, ...entry }) => entry);
}
