/**
 * The PostgreSQL schema (drizzle, pg-core): the same tables, columns, keys and indexes as the
 * SQLite schema (src/db/sqlite/schema.ts), with the same property names and row types, so a row
 * read from either maps to the domain the same way (test/db/postgres/schema-parity.test.ts holds
 * the two together). Instants are epoch milliseconds in bigint (read as numbers: they stay below
 * 2^53), booleans are boolean, JSON is json (kept as written, so stored bodies read back
 * unchanged). Migrations are generated from this file by drizzle-kit into migrations/postgres/
 * (`npm run db:generate:postgres`) and applied at start-up (pg-client.ts).
 */
import { sql } from "drizzle-orm";
import { pgTable, text, bigint, integer, doublePrecision, boolean, json, primaryKey, index, uniqueIndex, bigserial } from "drizzle-orm/pg-core";
import { STAT_COLUMNS, STAT_ROLLUP_DIMENSIONS, type MonthContribution, type StatColumn } from "../../domain/statistics/month-contributions.js";
import { DAY_KINDS, HOLIDAY_RULE_SETS, DURATION_UNITS } from "../../domain/calendar/calendar-types.js";
import type { HoursInterval, PublishedDay, WeeklyHours } from "../../domain/calendar/calendar-types.js";
import { SUPPLEMENT_POLICIES } from "../../domain/procedure/procedure-types.js";
import type { ProcedureStep } from "../../domain/procedure/procedure-types.js";
import { ROLES } from "../../domain/access/roles.js";
import { AUDIT_ACTIONS, AUDIT_ACTOR_ROLES } from "../../domain/access/audit.js";
import {
  APPLICANT_KINDS,
  CHANNELS,
  DOSSIER_STATUSES,
  EVENT_TYPES,
  OUTCOMES,
  RATING_LEVELS,
  TIMELINESS,
} from "../../domain/dossier/dossier-types.js";
import type { ApplicantContact, DossierEvent, ReceivedDocument } from "../../domain/dossier/dossier-types.js";
import { DEADLINE_BASES } from "../../domain/dossier/overdue-spans.js";
import { DUTY_KINDS } from "../../domain/dossier/duties.js";
import { DUTY_GRAINS, type DutyContribution } from "../../domain/statistics/duty-contributions.js";
import { DELIVERY_OUTCOMES, DESTINATION_KINDS, MOMENT_EVENT_TYPES, OUTBOUND_EVENT_TYPES, OUTBOX_STATUSES } from "../../domain/outbound/outbound-types.js";

export const calendars = pgTable("calendars", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  timeZone: text("time_zone").notNull(),
  weeklyHours: json("weekly_hours").$type<WeeklyHours>().notNull(),
  sameDayCutoff: text("same_day_cutoff").notNull(),
  workingDayMinutes: bigint("working_day_minutes", { mode: "number" }).notNull(),
  holidayRules: text("holiday_rules", { enum: HOLIDAY_RULE_SETS }).notNull(),
  /** Bumped on every change of the calendar or its days: engines are cached per revision. */
  revision: bigint("revision", { mode: "number" }).notNull().default(1),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
});

/** Dated overrides set through the API; they win over official schedules and rules. */
export const calendarDays = pgTable(
  "calendar_days",
  {
    calendarId: text("calendar_id")
      .notNull()
      .references(() => calendars.id),
    date: text("date").notNull(),
    kind: text("kind", { enum: DAY_KINDS }).notNull(),
    name: text("name").notNull(),
    hours: json("hours").$type<readonly HoursInterval[]>(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.calendarId, t.date] })],
);

/**
 * Years whose official schedule was published through the API, one row per calendar and year
 * (DOMAIN.md §7: "publishing the official schedule must be one operation per year"). The days
 * replace the rule proposal and the built-in schedule of that year; overrides still win.
 */
export const calendarYears = pgTable(
  "calendar_years",
  {
    calendarId: text("calendar_id")
      .notNull()
      .references(() => calendars.id),
    year: bigint("year", { mode: "number" }).notNull(),
    documentNumber: text("document_number").notNull(),
    documentDate: text("document_date").notNull(),
    documentTitle: text("document_title"),
    /** Sorted by date, one entry per date. */
    days: json("days").$type<readonly PublishedDay[]>().notNull(),
    publishedAt: text("published_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.calendarId, t.year] })],
);

export const agencies = pgTable(
  "agencies",
  {
    code: text("code").primaryKey(),
    name: text("name").notNull(),
    parentCode: text("parent_code"),
    calendarId: text("calendar_id")
      .notNull()
      .references(() => calendars.id),
    /** Printed before the date on its forms ("Hà Tĩnh, ngày …", Decree 30/2020/NĐ-CP Annex I); null = its nearest ancestor's. */
    place: text("place"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("agencies_parent_code_idx").on(t.parentCode)],
);

export const procedures = pgTable("procedures", {
  code: text("code").primaryKey(),
  currentVersion: bigint("current_version", { mode: "number" }).notNull(),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
});

/** Every definition a procedure ever had; a dossier keeps the version it was received under. */
export const procedureVersions = pgTable(
  "procedure_versions",
  {
    procedureCode: text("procedure_code")
      .notNull()
      .references(() => procedures.code),
    version: bigint("version", { mode: "number" }).notNull(),
    name: text("name").notNull(),
    fieldCode: text("field_code").notNull(),
    fieldName: text("field_name").notNull(),
    legalDurationValue: doublePrecision("legal_duration_value").notNull(),
    legalDurationUnit: text("legal_duration_unit", { enum: DURATION_UNITS }).notNull(),
    committedDurationValue: doublePrecision("committed_duration_value").notNull(),
    committedDurationUnit: text("committed_duration_unit", { enum: DURATION_UNITS }).notNull(),
    committedDurationDerived: boolean("committed_duration_derived").notNull(),
    /**
     * As the procedure stated it; null = by each dossier's legal frame (DOMAIN.md §4). Versions
     * stored before this distinction existed keep the policy they were stored with.
     */
    supplementPolicy: text("supplement_policy", { enum: SUPPLEMENT_POLICIES }),
    /** The applicant's limit to complete a supplement; null = Decree 118/2025 art. 19(5)'s 15 days. */
    supplementCompletionValue: doublePrecision("supplement_completion_value"),
    supplementCompletionUnit: text("supplement_completion_unit", { enum: DURATION_UNITS }),
    steps: json("steps").$type<readonly ProcedureStep[]>().notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.procedureCode, t.version] })],
);

export const apiKeys = pgTable("api_keys", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  role: text("role", { enum: ROLES }).notNull(),
  agencyCodes: json("agency_codes").$type<readonly string[]>().notNull(),
  /** SHA-256 of the key, hex; the key itself is shown once and never stored. */
  keyHash: text("key_hash").notNull().unique(),
  createdAt: text("created_at").notNull(),
  revokedAt: text("revoked_at"),
});

/**
 * The dossier projection: what the fold of a dossier's events yields, as of its last event, in
 * columns for lookups, listings and statistics. Instants are epoch milliseconds. Rebuilt from
 * `dossier_events` by scripts/rebuild-projections.ts; never the source of truth.
 */
export const dossiers = pgTable(
  "dossiers",
  {
    /** Insertion order: the stable cursor for listings. */
    id: bigserial("id", { mode: "number" }).primaryKey(),
    receiptCode: text("receipt_code").notNull().unique(),
    procedureCode: text("procedure_code").notNull(),
    procedureVersion: bigint("procedure_version", { mode: "number" }).notNull(),
    fieldCode: text("field_code").notNull(),
    receivingAgencyCode: text("receiving_agency_code").notNull(),
    handlingAgencyCode: text("handling_agency_code").notNull(),
    currentAgencyCode: text("current_agency_code").notNull(),
    calendarId: text("calendar_id").notNull(),
    channel: text("channel", { enum: CHANNELS }).notNull(),
    applicantKind: text("applicant_kind", { enum: APPLICANT_KINDS }).notNull(),
    applicantName: text("applicant_name").notNull(),
    applicantIdNumber: text("applicant_id_number").notNull(),
    /** Contact details, kept apart from what listings need: { phone?, email?, address? }. */
    applicantContact: json("applicant_contact").$type<ApplicantContact>().notNull(),
    summary: text("summary"),
    /** The papers received (Circular 03/2025 Mẫu 01), as recorded at reception: [{ name, originals?, copies? }]. */
    documents: json("documents").$type<readonly ReceivedDocument[]>(),
    setCount: bigint("set_count", { mode: "number" }),
    digitized: boolean("digitized").notNull(),
    feeVnd: bigint("fee_vnd", { mode: "number" }),
    paidOnline: boolean("paid_online").notNull(),
    receivedAt: bigint("received_at", { mode: "number" }).notNull(),
    /** Online dossiers: when the portal's system received it (Decree 118/2025 art. 17(2)). */
    submittedAt: bigint("submitted_at", { mode: "number" }),
    status: text("status", { enum: DOSSIER_STATUSES }).notNull(),
    /** TrangThaiHoSo 1–10 for the national portal (DOMAIN.md §3); null for cancelled. */
    nationalStatusCode: bigint("national_status_code", { mode: "number" }),
    paused: boolean("paused").notNull(),
    /**
     * The instant the projection's clock was read at (its last event): while paused, the live due
     * instants are dueAt and legalDueAt moved by the working time since then (src/domain/dossier/live-clock.ts).
     */
    clockAsOf: bigint("clock_as_of", { mode: "number" }),
    /** Suspended after the due instant had passed: overdue while suspended (DOMAIN.md §6). */
    lateWhenSuspended: boolean("late_when_suspended").notNull().default(false),
    dueAt: bigint("due_at", { mode: "number" }).notNull(),
    /** Printed on the receipt at reception; never rewritten (DOMAIN.md §4 "Retroactive events"). */
    originalDueAt: bigint("original_due_at", { mode: "number" }).notNull(),
    legalDueAt: bigint("legal_due_at", { mode: "number" }).notNull(),
    rescheduledDueAt: bigint("rescheduled_due_at", { mode: "number" }),
    finishedAt: bigint("finished_at", { mode: "number" }),
    returnedAt: bigint("returned_at", { mode: "number" }),
    stoppedAt: bigint("stopped_at", { mode: "number" }),
    outcome: text("outcome", { enum: OUTCOMES }),
    timeliness: text("timeliness", { enum: TIMELINESS }),
    legalTimeliness: text("legal_timeliness", { enum: TIMELINESS }),
    supplementRequests: bigint("supplement_requests", { mode: "number" }).notNull(),
    pausedMinutes: doublePrecision("paused_minutes").notNull(),
    /** Working minutes from reception to the result, pauses excluded (average processing time). */
    processingMinutes: doublePrecision("processing_minutes"),
    currentStepCode: text("current_step_code"),
    responsibleAgencyCode: text("responsible_agency_code"),
    eventCount: bigint("event_count", { mode: "number" }).notNull(),
    /** What this dossier added to stat_month_totals, so that a change can take exactly that back. */
    statContributions: json("stat_contributions").$type<readonly MonthContribution[]>().notNull().default(sql`'[]'`),
    /** What this dossier added to the maintained duty counts (stat_duty_totals), so that a change can take exactly that back. */
    dutyContributions: json("duty_contributions").$type<readonly DutyContribution[]>().notNull().default(sql`'[]'`),
    /** SHA-256 of the canonical reception body: the same receipt code with another body is a conflict. */
    receptionHash: text("reception_hash").notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
  },
  (t) => [
    index("dossiers_receiving_idx").on(t.receivingAgencyCode, t.id),
    index("dossiers_handling_idx").on(t.handlingAgencyCode, t.id),
    index("dossiers_status_due_idx").on(t.status, t.dueAt),
    index("dossiers_procedure_idx").on(t.procedureCode, t.id),
    index("dossiers_received_at_idx").on(t.receivedAt),
    index("dossiers_finished_at_idx").on(t.finishedAt),
  ],
);

/** Append-only: every event a desk posted, as posted. The dossier's state is a fold over these. */
export const dossierEvents = pgTable(
  "dossier_events",
  {
    eventId: text("event_id").primaryKey(),
    receiptCode: text("receipt_code")
      .notNull()
      .references(() => dossiers.receiptCode),
    type: text("type", { enum: EVENT_TYPES }).notNull(),
    occurredAt: bigint("occurred_at", { mode: "number" }).notNull(),
    agencyCode: text("agency_code").notNull(),
    /** The event's fields as posted (canonical JSON, instants as epoch ms). */
    payload: json("payload").$type<DossierEvent>().notNull(),
    /** SHA-256 of the canonical request body: the same eventId with another body is a conflict. */
    bodyHash: text("body_hash").notNull(),
    recordedAt: bigint("recorded_at", { mode: "number" }).notNull(),
    recordedBy: text("recorded_by"),
  },
  (t) => [index("dossier_events_dossier_idx").on(t.receiptCode, t.occurredAt)],
);

/** Receipt-code sequences, reset daily per receiving agency (DOMAIN.md §8). */
export const receiptSequences = pgTable(
  "receipt_sequences",
  {
    agencyCode: text("agency_code").notNull(),
    /** Local date as YYMMDD, as printed in the code. */
    day: text("day").notNull(),
    lastValue: bigint("last_value", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.agencyCode, t.day] })],
);

/**
 * The stretches of time during which a dossier was overdue, per deadline basis (derived from the
 * events with the projection, rebuilt with it): statistics ask "was it overdue at the period's end?"
 * for any past period.
 */
export const dossierOverdueSpans = pgTable(
  "dossier_overdue_spans",
  {
    receiptCode: text("receipt_code")
      .notNull()
      .references(() => dossiers.receiptCode),
    basis: text("basis", { enum: DEADLINE_BASES }).notNull(),
    fromAt: bigint("from_at", { mode: "number" }).notNull(),
    toAt: bigint("to_at", { mode: "number" }),
  },
  (t) => [index("dossier_overdue_spans_dossier_idx").on(t.receiptCode, t.basis)],
);

/**
 * The Decree 118 duties of each dossier (DOMAIN.md §10, src/domain/dossier/duties.ts), derived
 * with the projection as of its last event and rebuilt with it: work lists ask which are owed
 * and past due now; reports count those not done in time.
 */
export const dossierDuties = pgTable(
  "dossier_duties",
  {
    receiptCode: text("receipt_code")
      .notNull()
      .references(() => dossiers.receiptCode),
    seq: bigint("seq", { mode: "number" }).notNull(),
    kind: text("kind", { enum: DUTY_KINDS }).notNull(),
    agencyCode: text("agency_code").notNull(),
    dueAt: bigint("due_at", { mode: "number" }).notNull(),
    doneAt: bigint("done_at", { mode: "number" }),
    /** Not done, and the dossier still needs it done. */
    owed: boolean("owed").notNull(),
  },
  (t) => [primaryKey({ columns: [t.receiptCode, t.seq] }), index("dossier_duties_owed_idx").on(t.kind, t.owed, t.dueAt), index("dossier_duties_due_idx").on(t.dueAt)],
);

/**
 * Maintained aggregates (src/domain/statistics/month-contributions.ts): per report month and
 * group, the sums of what happened to dossiers. Kept in step with the projection in the same
 * transaction.
 */
export const statMonthTotals = pgTable(
  "stat_month_totals",
  {
    month: text("month").notNull(),
    handlingAgencyCode: text("handling_agency_code").notNull(),
    fieldCode: text("field_code").notNull(),
    procedureCode: text("procedure_code").notNull(),
    channel: text("channel", { enum: CHANNELS }).notNull(),
    ...statColumns(),
  },
  (t) => [primaryKey({ columns: [t.month, t.handlingAgencyCode, t.procedureCode, t.channel, t.fieldCode] })],
);

/** The summed statistics columns, shared by both aggregate tables. */
function statColumns() {
  return Object.fromEntries(STAT_COLUMNS.map((c) => [c, doublePrecision(snake(c)).notNull().default(0)])) as Record<StatColumn, ReturnType<typeof doublePrecision>>;
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The SQL names of the statistics columns, in STAT_COLUMNS order (for hand-written statements). */
export const STAT_COLUMN_NAMES: readonly string[] = STAT_COLUMNS.map(snake);

/**
 * The same sums rolled up per grouping dimension ("all", agency, field, procedure, channel): a
 * report grouped by one dimension without a cross-dimension filter reads a few thousand rows here
 * instead of every (agency, procedure, field, channel) cell.
 */
export const statDimensionTotals = pgTable(
  "stat_dimension_totals",
  {
    dimension: text("dimension", { enum: STAT_ROLLUP_DIMENSIONS }).notNull(),
    month: text("month").notNull(),
    key: text("key").notNull(),
    ...statColumns(),
  },
  (t) => [primaryKey({ columns: [t.dimension, t.month, t.key] })],
);

/**
 * Maintained counts of the Decree 118 duties missed (src/domain/statistics/duty-contributions.ts):
 * per bucket (a report month, or a day), owing agency, the dossier's group and the duty's kind,
 * how many duties due then were not, or will not have been, done by their deadline. Kept in step
 * with the duties in the same transaction.
 */
export const statDutyTotals = pgTable(
  "stat_duty_totals",
  {
    grain: text("grain", { enum: DUTY_GRAINS }).notNull(),
    /** "YYYY-MM" (report month) or "YYYY-MM-DD" (Vietnam-local day), after `grain`. */
    bucket: text("bucket").notNull(),
    /** The agency that owes the duties. */
    agencyCode: text("agency_code").notNull(),
    procedureCode: text("procedure_code").notNull(),
    channel: text("channel", { enum: CHANNELS }).notNull(),
    fieldCode: text("field_code").notNull(),
    kind: text("kind", { enum: DUTY_KINDS }).notNull(),
    missed: integer("missed").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.grain, t.bucket, t.agencyCode, t.procedureCode, t.channel, t.fieldCode, t.kind] })],
);

/** The duty counts rolled up per grouping dimension ("agency" = the owing agency), as stat_dimension_totals. */
export const statDutyDimensionTotals = pgTable(
  "stat_duty_dimension_totals",
  {
    dimension: text("dimension", { enum: STAT_ROLLUP_DIMENSIONS }).notNull(),
    grain: text("grain", { enum: DUTY_GRAINS }).notNull(),
    bucket: text("bucket").notNull(),
    key: text("key").notNull(),
    kind: text("kind", { enum: DUTY_KINDS }).notNull(),
    missed: integer("missed").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.dimension, t.grain, t.bucket, t.key, t.kind] })],
);

/** One row that /readyz rewrites to check that a write still commits (src/db/sqlite/storage-health.ts). */
export const storageProbe = pgTable("storage_probe", {
  id: bigint("id", { mode: "number" }).primaryKey(),
  at: bigint("at", { mode: "number" }).notNull(),
});

/** One satisfaction rating per dossier, given by the applicant through the portal (DOMAIN.md §9). */
export const dossierRatings = pgTable(
  "dossier_ratings",
  {
    receiptCode: text("receipt_code")
      .primaryKey()
      .references(() => dossiers.receiptCode),
    level: text("level", { enum: RATING_LEVELS }).notNull(),
    reason: text("reason"),
    ratedAt: bigint("rated_at", { mode: "number" }).notNull(),
  },
  (t) => [index("dossier_ratings_rated_at_idx").on(t.ratedAt)],
);

/**
 * Who read which dossier's personal data, and when (Personal Data Protection Law 91/2025, DOMAIN.md
 * §9). Append-only; `actor_key_id` is null for the citizen portal, which authenticates by receipt
 * code and identity number instead of a key.
 */
export const accessAudit = pgTable(
  "access_audit",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: bigint("at", { mode: "number" }).notNull(),
    receiptCode: text("receipt_code").notNull(),
    action: text("action", { enum: AUDIT_ACTIONS }).notNull(),
    actorKeyId: text("actor_key_id"),
    actorName: text("actor_name"),
    actorRole: text("actor_role", { enum: AUDIT_ACTOR_ROLES }).notNull(),
    remoteAddress: text("remote_address"),
    requestId: text("request_id"),
  },
  (t) => [index("access_audit_receipt_code_idx").on(t.receiptCode, t.id), index("access_audit_actor_idx").on(t.actorKeyId, t.id)],
);

/**
 * Apology letters (DOMAIN.md §5): at most one per dossier (the primary key), numbered per issuing
 * agency and year. Written with the dossier's rescheduled_due_at in one transaction.
 */
export const apologyLetters = pgTable(
  "apology_letters",
  {
    receiptCode: text("receipt_code")
      .primaryKey()
      .references(() => dossiers.receiptCode),
    agencyCode: text("agency_code")
      .notNull()
      .references(() => agencies.code),
    year: bigint("year", { mode: "number" }).notNull(),
    number: bigint("number", { mode: "number" }).notNull(),
    reason: text("reason").notNull(),
    issuedAt: bigint("issued_at", { mode: "number" }).notNull(),
    originalDueAt: bigint("original_due_at", { mode: "number" }).notNull(),
    newDueAt: bigint("new_due_at", { mode: "number" }).notNull(),
    issuedInTime: boolean("issued_in_time").notNull(),
    place: text("place"),
    signerName: text("signer_name"),
    signerTitle: text("signer_title"),
    recipients: json("recipients").$type<string[]>().notNull(),
    recordedBy: text("recorded_by"),
    recordedAt: bigint("recorded_at", { mode: "number" }).notNull(),
  },
  (t) => [uniqueIndex("apology_letters_number_idx").on(t.agencyCode, t.year, t.number), index("apology_letters_issued_at_idx").on(t.issuedAt)],
);

/**
 * Idempotency keys (API.md "Retries"): a POST's `Idempotency-Key`, scoped to the API key that sent
 * it ("public" on the portal), claimed in the same transaction as the write it guards
 * (group-commit.ts), then completed with the response that was sent. Kept 24 h.
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    scope: text("scope").notNull(),
    key: text("key").notNull(),
    method: text("method").notNull(),
    path: text("path").notNull(),
    bodyHash: text("body_hash").notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    /** Null until the response is stored (the write committed; its answer is being sent). */
    status: bigint("status", { mode: "number" }),
    contentType: text("content_type"),
    body: text("body"),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] }), index("idempotency_keys_created_at").on(t.createdAt)],
);

/**
 * The transactional outbox (issue #15; DOMAIN.md §8: "sync is an outbox … never a call inside the
 * write transaction"). A dossier's write inserts its messages in the same transaction, so a
 * committed change always has them and a rolled-back one never does; the dispatcher delivers
 * them at least once, in `position` order per (destination, ordering key), and records the
 * outcome here. Every delivery state lives in these rows: a restart loses nothing (a message in
 * flight at a crash is leased, and delivered again when the lease runs out).
 */
export const outboxMessages = pgTable(
  "outbox_messages",
  {
    /** Queue order: the next value of its sequence at insertion; a resend takes a new one (moves the message to the end). */
    position: bigserial("position", { mode: "number" }).primaryKey(),
    /** Stable across retries and resends: the Standard Webhooks `webhook-id` (receivers deduplicate on it). */
    id: text("id").notNull(),
    /** Order is kept per (destination, ordering key): the dossier's receipt code. */
    orderingKey: text("ordering_key").notNull(),
    receiptCode: text("receipt_code"),
    destinationKind: text("destination_kind", { enum: DESTINATION_KINDS }).notNull(),
    /** The subscription's id, or "portal". */
    destinationId: text("destination_id").notNull(),
    eventType: text("event_type", { enum: OUTBOUND_EVENT_TYPES }).notNull(),
    /** The exact body to send (JSON text): signed as is. */
    payload: text("payload").notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    status: text("status", { enum: OUTBOX_STATUSES }).notNull().default("pending"),
    attempts: bigint("attempts", { mode: "number" }).notNull().default(0),
    /** The 24-hour dead-letter window runs from here (delivery-policy.ts). */
    firstAttemptAt: bigint("first_attempt_at", { mode: "number" }),
    /**
     * Set on the HEAD of its queue only (the pending message with the lowest position): when it is
     * due. Null on the messages waiting behind it, so that claiming due messages is an index range
     * scan, whatever the backlog; settling a head promotes the next one.
     */
    nextAttemptAt: bigint("next_attempt_at", { mode: "number" }),
    /** Claimed by a dispatcher until then; a crash leaves it to expire. */
    leaseUntil: bigint("lease_until", { mode: "number" }),
    lastError: text("last_error"),
    deliveredAt: bigint("delivered_at", { mode: "number" }),
  },
  (t) => [
    uniqueIndex("outbox_messages_id_idx").on(t.id),
    // The queues (head lookup, promotion, resend by dossier), the due heads (claims), and the
    // backlog per destination (counts by status, oldest undelivered, last delivered: index only).
    index("outbox_messages_queue_idx").on(t.destinationKind, t.destinationId, t.orderingKey, t.status, t.position),
    index("outbox_messages_due_idx").on(t.status, t.nextAttemptAt),
    index("outbox_messages_backlog_idx").on(t.destinationKind, t.destinationId, t.status, t.createdAt, t.deliveredAt),
  ],
);

/**
 * Webhook subscriptions (API.md "Outbound"). The secret is kept as issued, not hashed like API
 * keys: the sender needs it to compute each HMAC (Standard Webhooks is symmetric). Anyone who
 * can read the database can forge deliveries to its subscribers; protect the file (and its
 * backups) accordingly, or encrypt this column with a key held outside the database.
 * On rotation the previous secret keeps signing until `previous_secret_expires_at`.
 */
export const webhookSubscriptions = pgTable("webhook_subscriptions", {
  id: text("id").primaryKey(),
  url: text("url").notNull(),
  events: json("events").$type<string[]>().notNull(),
  /** Scoped like desk keys: these agencies and those below them; null = every agency. */
  agencyCodes: json("agency_codes").$type<string[] | null>(),
  secret: text("secret").notNull(),
  previousSecret: text("previous_secret"),
  previousSecretExpiresAt: bigint("previous_secret_expires_at", { mode: "number" }),
  createdAt: bigint("created_at", { mode: "number" }).notNull(),
  rotatedAt: bigint("rotated_at", { mode: "number" }),
  createdBy: text("created_by"),
});

/** Every delivery attempt, for any destination (GET /v1/webhooks/{id}/deliveries, GET /v1/portal-sync). */
export const outboxDeliveries = pgTable(
  "outbox_deliveries",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    messageId: text("message_id").notNull(),
    destinationKind: text("destination_kind", { enum: DESTINATION_KINDS }).notNull(),
    destinationId: text("destination_id").notNull(),
    attempt: bigint("attempt", { mode: "number" }).notNull(),
    attemptedAt: bigint("attempted_at", { mode: "number" }).notNull(),
    durationMs: bigint("duration_ms", { mode: "number" }).notNull(),
    outcome: text("outcome", { enum: DELIVERY_OUTCOMES }).notNull(),
    statusCode: bigint("status_code", { mode: "number" }),
    error: text("error"),
    /** The retry planned after this attempt; null when delivered or dead. */
    nextAttemptAt: bigint("next_attempt_at", { mode: "number" }),
  },
  (t) => [index("outbox_deliveries_destination_idx").on(t.destinationKind, t.destinationId, t.id), index("outbox_deliveries_message_idx").on(t.messageId)],
);

/**
 * The durable schedule of time-driven events (issue #15: "the next moment of every open dossier,
 * indexed", not a scan of all dossiers): the planned moments of each dossier (next-moments.ts),
 * re-planned with every change of its history or calendar; `fired_at` once fired, so each
 * threshold fires exactly once per dossier.
 */
export const outboundSchedule = pgTable(
  "outbound_schedule",
  {
    receiptCode: text("receipt_code").notNull(),
    /** Stable per threshold (e.g. "at_risk:75:p0", next-moments.ts), so that re-planning keeps what already fired. */
    momentKey: text("moment_key").notNull(),
    eventType: text("event_type", { enum: MOMENT_EVENT_TYPES }).notNull(),
    dueAt: bigint("due_at", { mode: "number" }).notNull(),
    /** Still unfired at this instant, it is dropped rather than sent (a stale at-risk warning); null = never. */
    expiresAt: bigint("expires_at", { mode: "number" }),
    /** What the fired event says (JSON). */
    detail: json("detail").$type<Record<string, unknown>>().notNull(),
    plannedAt: bigint("planned_at", { mode: "number" }).notNull(),
    firedAt: bigint("fired_at", { mode: "number" }),
  },
  (t) => [
    primaryKey({ columns: [t.receiptCode, t.momentKey] }),
    index("outbound_schedule_due_idx").on(t.firedAt, t.dueAt),
    // The scheduler's next wake-up (min(due_at) of the unfired moments) as one index seek: PostgreSQL
    // does not walk the (fired_at, due_at) index in due_at order under "fired_at is null" and read
    // every unfired row instead (3.1 ms per write at 15,000 rows, docs/BENCHMARKS.md).
    index("outbound_schedule_unfired_idx").on(t.dueAt).where(sql`fired_at is null`),
  ],
);
