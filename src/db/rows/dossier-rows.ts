/**
 * The dossier rows as both storages read them (issue #16: the shared shapes defined once). The
 * SQLite and PostgreSQL schemas give the same row types (test/db/postgres/schema-parity.test.ts),
 * so one mapper serves both; only the SQL that reads and writes them is per dialect.
 */
import type { DossierRecord, StoredEvent } from "../../services/dossier-ports.js";
import { STAT_COLUMNS, type MonthContribution, type StatColumn } from "../../domain/statistics/month-contributions.js";
import type { dossierEvents, dossiers } from "../sqlite/schema.js";

export type DossierRow = typeof dossiers.$inferSelect;
export type DossierEventRow = typeof dossierEvents.$inferSelect;

export const toDossierRecord = (row: DossierRow): DossierRecord => {
  const { id: _id, applicantKind, applicantName, applicantIdNumber, applicantContact, statContributions: _contributions, dutyContributions: _dutyContributions, ...rest } = row;
  return { ...rest, applicant: { kind: applicantKind, name: applicantName, idNumber: applicantIdNumber, ...applicantContact } };
};

export const toStoredEvent = (row: DossierEventRow): StoredEvent => ({
  event: row.payload,
  receiptCode: row.receiptCode,
  bodyHash: row.bodyHash,
  recordedAt: row.recordedAt,
  recordedBy: row.recordedBy,
});

/** The reception's columns of a new dossier row (everything but the id and the statistics shares). */
export function receptionRow(
  dossier: Omit<DossierRecord, "receiptCode">,
  receiptCode: string,
): Omit<DossierRow, "id" | "statContributions" | "dutyContributions"> {
  const { applicant, ...rest } = dossier;
  const { kind, name, idNumber, ...contact } = applicant;
  const record = { ...rest, receiptCode };
  return {
    receiptCode,
    procedureCode: record.procedureCode,
    procedureVersion: record.procedureVersion,
    fieldCode: record.fieldCode,
    receivingAgencyCode: record.receivingAgencyCode,
    handlingAgencyCode: record.handlingAgencyCode,
    currentAgencyCode: record.currentAgencyCode,
    calendarId: record.calendarId,
    channel: record.channel,
    applicantKind: kind,
    applicantName: name,
    applicantIdNumber: idNumber,
    applicantContact: contact,
    summary: record.summary,
    documents: record.documents,
    setCount: record.setCount,
    digitized: record.digitized,
    feeVnd: record.feeVnd,
    paidOnline: record.paidOnline,
    receivedAt: record.receivedAt,
    submittedAt: record.submittedAt,
    status: record.status,
    nationalStatusCode: record.nationalStatusCode,
    paused: record.paused,
    clockAsOf: record.clockAsOf,
    lateWhenSuspended: record.lateWhenSuspended,
    dueAt: record.dueAt,
    originalDueAt: record.originalDueAt,
    legalDueAt: record.legalDueAt,
    rescheduledDueAt: record.rescheduledDueAt,
    finishedAt: record.finishedAt,
    returnedAt: record.returnedAt,
    stoppedAt: record.stoppedAt,
    outcome: record.outcome,
    timeliness: record.timeliness,
    legalTimeliness: record.legalTimeliness,
    supplementRequests: record.supplementRequests,
    pausedMinutes: record.pausedMinutes,
    processingMinutes: record.processingMinutes,
    currentStepCode: record.currentStepCode,
    responsibleAgencyCode: record.responsibleAgencyCode,
    eventCount: record.eventCount,
    receptionHash: record.receptionHash,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

/** DOMAIN.md §8: the receipt code's sequence has at least 4 digits. */
export const formatSequence = (n: number) => String(n).padStart(4, "0");

/**
 * What a change of a dossier's statistics share does to the maintained aggregates: per report
 * month, the net of taking back `previous` and adding `next`, months with no net change left out
 * (most writes leave the reception month's counts as they were). In month order, so that two
 * writers touch the aggregate rows in the same order (no deadlock on a server database).
 */
export function netContributions(previous: readonly MonthContribution[], next: readonly MonthContribution[]): { month: string; sums: Record<StatColumn, number> }[] {
  const net = new Map<string, Record<StatColumn, number>>();
  for (const [contributions, sign] of [[previous, -1], [next, 1]] as const) {
    for (const { month, deltas } of contributions) {
      const sums = net.get(month) ?? (Object.fromEntries(STAT_COLUMNS.map((c) => [c, 0])) as Record<StatColumn, number>);
      for (const c of STAT_COLUMNS) sums[c] += sign * (deltas[c] ?? 0);
      net.set(month, sums);
    }
  }
  return [...net]
    .filter(([, sums]) => STAT_COLUMNS.some((c) => sums[c] !== 0))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([month, sums]) => ({ month, sums }));
}
