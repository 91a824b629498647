/**
 * What the dossier services need from storage. Every write is one atomic repository call, so a
 * PostgreSQL implementation can keep the same transaction boundaries.
 */
import type { ReceivedDocument } from "../domain/dossier/dossier-types.js";
import type { Applicant, Channel, DossierEvent, DossierStatus, Outcome, RatingLevel, Timeliness } from "../domain/dossier/dossier-types.js";
import type { OverdueSpan } from "../domain/dossier/overdue-spans.js";
import type { Duty, DutyKind } from "../domain/dossier/duties.js";
import type { DutyContribution } from "../domain/statistics/duty-contributions.js";
import type { MonthContribution } from "../domain/statistics/month-contributions.js";
import type { Moment } from "../domain/outbound/next-moments.js";
import type { NewOutboxMessage } from "./outbound/outbox-ports.js";

/**
 * What a dossier's write sends out (issue #15): its outbox messages and its time-driven moments,
 * written in the write's own transaction (no message for a rolled-back write, none lost for a
 * committed one). Built synchronously inside the transaction, once the receipt code is known.
 */
export interface OutboundChange {
  readonly messages: readonly NewOutboxMessage[];
  /** The moments to plan, given the keys already fired for the dossier (they never fire twice). */
  readonly moments: (fired: ReadonlySet<string>) => readonly Moment[];
}
export type OutboundOf = (receiptCode: string) => OutboundChange;

/** The projection row: the fold's result as of the dossier's last event, plus reception facts. */
export interface DossierRecord {
  readonly receiptCode: string;
  readonly procedureCode: string;
  readonly procedureVersion: number;
  readonly fieldCode: string;
  readonly receivingAgencyCode: string;
  readonly handlingAgencyCode: string;
  readonly currentAgencyCode: string;
  readonly calendarId: string;
  readonly channel: Channel;
  readonly applicant: Applicant;
  readonly summary: string | null;
  /** The papers received and the number of sets, where the reception recorded them (Mẫu 01). */
  readonly documents: readonly ReceivedDocument[] | null;
  readonly setCount: number | null;
  readonly digitized: boolean;
  readonly feeVnd: number | null;
  readonly paidOnline: boolean;
  readonly receivedAt: number;
  /** Online dossiers: when the portal's system received it (Decree 118/2025 art. 17(2)); null if not given. */
  readonly submittedAt: number | null;
  readonly status: DossierStatus;
  readonly nationalStatusCode: number | null;
  readonly paused: boolean;
  /** Suspended after its due instant had passed: overdue while the suspension lasts (DOMAIN.md §6). */
  readonly lateWhenSuspended: boolean;
  /** The instant dueAt and legalDueAt were read at (the last event); null in rows older than this column. */
  readonly clockAsOf: number | null;
  readonly dueAt: number;
  readonly originalDueAt: number;
  readonly legalDueAt: number;
  readonly rescheduledDueAt: number | null;
  readonly finishedAt: number | null;
  readonly returnedAt: number | null;
  readonly stoppedAt: number | null;
  readonly outcome: Outcome | null;
  readonly timeliness: Timeliness | null;
  readonly legalTimeliness: Timeliness | null;
  readonly supplementRequests: number;
  readonly pausedMinutes: number;
  readonly processingMinutes: number | null;
  readonly currentStepCode: string | null;
  readonly responsibleAgencyCode: string | null;
  readonly eventCount: number;
  readonly receptionHash: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** What the fold recomputes on every change: projection columns and the overdue stretches. */
export type DossierProjection = DossierProjectionColumns & {
  readonly overdueSpans: readonly OverdueSpan[];
  /** The Decree 118 duties (DOMAIN.md §10) as of the last event, for work lists and reports. */
  readonly duties: readonly Duty[];
  /** What the dossier adds to the maintained report-month aggregates. */
  readonly statContributions: readonly MonthContribution[];
  /** Its duties missed once due, which it adds to the maintained duty counts. */
  readonly dutyContributions: readonly DutyContribution[];
};

/** The projection columns, as a list (a repository writes exactly these). */
export const PROJECTION_COLUMNS = [
  "status",
  "nationalStatusCode",
  "paused",
  "lateWhenSuspended",
  "clockAsOf",
  "dueAt",
  "legalDueAt",
  "finishedAt",
  "returnedAt",
  "stoppedAt",
  "outcome",
  "timeliness",
  "legalTimeliness",
  "supplementRequests",
  "pausedMinutes",
  "processingMinutes",
  "currentStepCode",
  "currentAgencyCode",
  "responsibleAgencyCode",
  "eventCount",
] as const satisfies readonly (keyof DossierRecord)[];

export type DossierProjectionColumns = Pick<DossierRecord, (typeof PROJECTION_COLUMNS)[number]>;

export interface StoredEvent {
  readonly event: DossierEvent;
  readonly receiptCode: string;
  readonly bodyHash: string;
  readonly recordedAt: number;
  readonly recordedBy: string | null;
}

export interface NewEvent {
  readonly event: DossierEvent;
  readonly bodyHash: string;
  readonly recordedBy: string | null;
}

export interface DossierListFilter {
  readonly agencyCodes?: readonly string[];
  readonly status?: DossierStatus;
  /** true: open, not paused and past due at `now`; false: the rest. */
  readonly overdue?: boolean;
  /** Open, clock running, and due in [from, to] (the desks' "at risk" work list). */
  readonly dueWithin?: { readonly from: number; readonly to: number };
  /** "none": no apology letter (no rescheduled due date); "issued": one. */
  readonly apology?: "none" | "issued";
  /** Each of these duties owed and past its due instant at `now` (DOMAIN.md §10 work lists). */
  readonly dutiesOverdue?: readonly DutyKind[];
  readonly now: number;
  readonly procedureCode?: string;
  readonly receivedFrom?: number;
  readonly receivedBefore?: number;
  /** Only dossiers inserted before this cursor (exclusive). */
  readonly cursor?: number;
  readonly limit: number;
}

export interface DossierRepository {
  get(receiptCode: string): Promise<DossierRecord | undefined>;
  /** The dossier with its events, in storage order. */
  getWithEvents(receiptCode: string): Promise<{ dossier: DossierRecord; events: StoredEvent[] } | undefined>;
  /**
   * Inserts a received dossier. With `generateCodeFor`, the receipt code is
   * `{agencyCode}-{day}-{NNNN}` from a sequence per agency and day, taken in the same transaction.
   * Returns undefined when the supplied receipt code exists already.
   */
  insert(
    dossier: Omit<DossierRecord, "receiptCode"> & Omit<DossierProjection, keyof DossierProjectionColumns> & { receiptCode?: string },
    generateCodeFor?: { agencyCode: string; day: string },
    outbound?: OutboundOf,
  ): Promise<DossierRecord | undefined>;
  findEvents(eventIds: readonly string[]): Promise<StoredEvent[]>;
  /**
   * Appends events and replaces the projection in one transaction, only if the dossier still has
   * `expectedEventCount` events (optimistic concurrency). Returns false when another write won.
   */
  appendEvents(
    receiptCode: string,
    expectedEventCount: number,
    events: readonly NewEvent[],
    projection: DossierProjection,
    at: number,
    outbound?: OutboundOf,
  ): Promise<boolean>;
  /** Replaces the projection only (rebuilds), if the dossier still has the events it was folded from (`projection.eventCount`). */
  replaceProjection(receiptCode: string, projection: DossierProjection): Promise<void>;
  /** Re-plans the dossier's time-driven moments (issue #15) after its clock moved without an event (a calendar change, a rebuild). */
  replanMoments(receiptCode: string, moments: OutboundChange["moments"], at: number): Promise<void>;
  getOverdueSpans(receiptCode: string): Promise<OverdueSpan[]>;
  /** The stored duties, in the order the fold derived them. */
  getDuties(receiptCode: string): Promise<Duty[]>;
  list(filter: DossierListFilter): Promise<{ items: DossierRecord[]; nextCursor: number | null }>;
  /** Stores the dossier's one rating; false when it has one already. */
  insertRating(receiptCode: string, rating: { level: RatingLevel; reason: string | null; ratedAt: number }): Promise<boolean>;
  /**
   * Receipt codes of the dossiers counted on a calendar that are open or due at or after `since`
   * (all of them when null): those a change of the calendar from `since` on can move.
   */
  listCodesReaching(calendarId: string, since: number | null): Promise<string[]>;
  /** Receipt codes in insertion order, in pages (rebuilds). */
  listCodes(afterId: number, limit: number): Promise<{ codes: string[]; lastId: number | null }>;
}
