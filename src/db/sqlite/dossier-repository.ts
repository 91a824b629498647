import { and, asc, desc, eq, getTableColumns, gt, gte, inArray, isNotNull, isNull, lt, lte, or, sql, type SQL } from "drizzle-orm";
import type { DossierEvent } from "../../domain/dossier/dossier-types.js";
import { OPEN_STATUSES } from "../../domain/dossier/dossier-types.js";
import type { DossierProjection, DossierProjectionColumns, DossierRecord, DossierRepository, StoredEvent } from "../../services/dossier-ports.js";
import { PROJECTION_COLUMNS } from "../../services/dossier-ports.js";
import { dossierDuties, dossierEvents, dossierOverdueSpans, dossiers, STAT_COLUMN_NAMES } from "./schema.js";
import type { Duty } from "../../domain/dossier/duties.js";
import type { OverdueSpan } from "../../domain/dossier/overdue-spans.js";
import { STAT_COLUMNS, type MonthContribution } from "../../domain/statistics/month-contributions.js";
import type { SqliteDb } from "./sqlite-client.js";
import type { GroupCommit } from "./group-commit.js";
import { replanMoments, writeOutbound, type OutboundStores } from "./outbound-writes.js";
import { formatSequence, netContributions, toDossierRecord, toStoredEvent } from "../rows/dossier-rows.js";
import { dutyTotalsChanges } from "../rows/duty-totals.js";
import type { DutyContribution } from "../../domain/statistics/duty-contributions.js";

const toRecord = toDossierRecord;
const toStored = toStoredEvent;

/** Receptions, events and ratings commit through `group` (group-commit.ts): acknowledged once durable, a savepoint each. */
export function createSqliteDossierRepository(
  db: SqliteDb,
  group: GroupCommit,
  stores?: OutboundStores,
): DossierRepository {
  // Hot statements are built and prepared once: drizzle otherwise rebuilds the SQL and SQLite
  // re-prepares it on every call, which was most of a request's CPU time.
  const code = sql.placeholder("code");
  const selectByCode = db.select().from(dossiers).where(eq(dossiers.receiptCode, code)).prepare();
  const selectIdByCode = db.select({ id: dossiers.id }).from(dossiers).where(eq(dossiers.receiptCode, code)).prepare();
  const selectEvents = db
    .select()
    .from(dossierEvents)
    .where(eq(dossierEvents.receiptCode, code))
    .orderBy(asc(dossierEvents.occurredAt), asc(dossierEvents.eventId))
    .prepare();
  const selectContributions = db
    .select({
      agency: dossiers.handlingAgencyCode,
      field: dossiers.fieldCode,
      procedure: dossiers.procedureCode,
      channel: dossiers.channel,
      previous: dossiers.statContributions,
      previousDuties: dossiers.dutyContributions,
    })
    .from(dossiers)
    .where(eq(dossiers.receiptCode, code))
    .prepare();
  const deleteSpans = db.delete(dossierOverdueSpans).where(eq(dossierOverdueSpans.receiptCode, code)).prepare();
  const insertSpan = db
    .insert(dossierOverdueSpans)
    .values({ receiptCode: code, basis: sql.placeholder("basis"), fromAt: sql.placeholder("fromAt"), toAt: sql.placeholder("toAt") })
    .prepare();
  const deleteDuties = db.$client.prepare("delete from dossier_duties where receipt_code = ?");
  const insertDuty = db.$client.prepare(
    "insert into dossier_duties (receipt_code, seq, kind, agency_code, due_at, done_at, owed) values (?, ?, ?, ?, ?, ?, ?)",
  );
  const selectEventById = db.select().from(dossierEvents).where(eq(dossierEvents.eventId, sql.placeholder("eventId"))).prepare();
  const updateContributions = db.$client.prepare("update dossiers set stat_contributions = ?, duty_contributions = ? where receipt_code = ?");
  const insertRatingRow = db.$client.prepare(
    "insert into dossier_ratings (receipt_code, level, reason, rated_at) values (?, ?, ?, ?) on conflict (receipt_code) do nothing",
  );
  const insertEvent = db.$client.prepare(
    `insert into dossier_events (event_id, receipt_code, type, occurred_at, agency_code, payload, body_hash, recorded_at, recorded_by)
     values (@eventId, @receiptCode, @type, @occurredAt, @agencyCode, @payload, @bodyHash, @recordedAt, @recordedBy)`,
  );
  // The projection's columns, by their SQL names: one statement for every projection write.
  const projectionColumns = PROJECTION_COLUMNS.map((key) => [key, dossiers[key].name] as const);
  const updateProjection = db.$client.prepare(
    `update dossiers set ${projectionColumns.map(([key, column]) => `${column} = @${key}`).join(", ")}, updated_at = coalesce(@updatedAt, updated_at)
     where receipt_code = @receiptCode and (@expectedEventCount is null or event_count = @expectedEventCount)`,
  );
  const projectionParams = (columns: DossierProjectionColumns) =>
    Object.fromEntries(projectionColumns.map(([key]) => [key, typeof columns[key] === "boolean" ? Number(columns[key]) : columns[key]]));

  const statColumns = STAT_COLUMN_NAMES;
  const upsertTotals = db.$client.prepare(
    `insert into stat_month_totals (month, handling_agency_code, field_code, procedure_code, channel, ${statColumns.join(", ")})
     values (@month, @agency, @field, @procedure, @channel, ${STAT_COLUMNS.map((c) => `@${c}`).join(", ")})
     on conflict (month, handling_agency_code, procedure_code, channel, field_code)
     do update set ${statColumns.map((c) => `${c} = ${c} + excluded.${c}`).join(", ")}`,
  );
  const upsertDimensionTotals = db.$client.prepare(
    `insert into stat_dimension_totals (dimension, month, key, ${statColumns.join(", ")})
     values (@dimension, @month, @key, ${STAT_COLUMNS.map((c) => `@${c}`).join(", ")})
     on conflict (dimension, month, key)
     do update set ${statColumns.map((c) => `${c} = ${c} + excluded.${c}`).join(", ")}`,
  );
  const upsertDutyTotals = db.$client.prepare(
    `insert into stat_duty_totals (grain, bucket, agency_code, procedure_code, channel, field_code, kind, missed)
     values (@grain, @bucket, @agencyCode, @procedure, @channel, @field, @kind, @n)
     on conflict (grain, bucket, agency_code, procedure_code, channel, field_code, kind) do update set missed = missed + excluded.missed`,
  );
  const upsertDutyDimensionTotals = db.$client.prepare(
    `insert into stat_duty_dimension_totals (dimension, grain, bucket, key, kind, missed)
     values (@dimension, @grain, @bucket, @key, @kind, @n)
     on conflict (dimension, grain, bucket, key, kind) do update set missed = missed + excluded.missed`,
  );
  /**
   * Takes back what the dossier added to the report-month aggregates and the duty counts, and adds
   * its new shares (same transaction).
   */
  const moveTotals = (receiptCode: string, next: readonly MonthContribution[], nextDuties: readonly DutyContribution[]) => {
    const row = selectContributions.get({ code: receiptCode });
    if (!row) return;
    const { previous, previousDuties, ...group } = row;
    // Only the net change per month: most writes leave the reception month's counts as they were.
    for (const { month, sums } of netContributions(previous, next)) {
      upsertTotals.run({ month, ...group, ...sums });
      for (const [dimension, key] of [["all", ""], ["agency", group.agency], ["field", group.field], ["procedure", group.procedure], ["channel", group.channel]])
        upsertDimensionTotals.run({ dimension, month, key, ...sums });
    }
    const duties = dutyTotalsChanges(previousDuties, nextDuties, group);
    for (const cell of duties.cells) upsertDutyTotals.run({ ...cell, procedure: group.procedure, channel: group.channel, field: group.field });
    for (const rollup of duties.rollups) upsertDutyDimensionTotals.run(rollup);
    updateContributions.run(JSON.stringify(next), JSON.stringify(nextDuties), receiptCode);
  };

  /** Replaces a dossier's overdue stretches; runs inside the caller's transaction. */
  const writeSpans = (receiptCode: string, spans: readonly OverdueSpan[]) => {
    deleteSpans.run({ code: receiptCode });
    for (const span of spans) insertSpan.run({ code: receiptCode, basis: span.basis, fromAt: span.from, toAt: span.to });
  };

  /** Replaces a dossier's duties; runs inside the caller's transaction. */
  const writeDuties = (receiptCode: string, duties: readonly Duty[]) => {
    deleteDuties.run(receiptCode);
    duties.forEach((d, seq) => insertDuty.run(receiptCode, seq, d.kind, d.agencyCode, d.dueAt, d.doneAt, Number(d.owed)));
  };

  const byCode = (receiptCode: string) => selectByCode.get({ code: receiptCode });
  const codeExists = (receiptCode: string) => selectIdByCode.get({ code: receiptCode }) !== undefined;

  const upsertSequence = db.$client.prepare(
    `insert into receipt_sequences (agency_code, day, last_value) values (?, ?, 1)
     on conflict (agency_code, day) do update set last_value = last_value + 1 returning last_value`,
  );
  const nextSequence = (agencyCode: string, day: string): number => (upsertSequence.get(agencyCode, day) as { last_value: number }).last_value;

  // Reception's insert, prepared once from the table's own column list.
  const receptionColumns = Object.entries(getTableColumns(dossiers)).filter(([key]) => key !== "id" && key !== "statContributions" && key !== "dutyContributions");
  const insertDossier = db.$client.prepare(
    `insert into dossiers (${receptionColumns.map(([, column]) => column.name).join(", ")})
     values (${receptionColumns.map(([key]) => `@${key}`).join(", ")})`,
  );
  /** SQLite values: booleans as 0/1, JSON columns as text. */
  const toSql = (value: unknown) =>
    typeof value === "boolean" ? Number(value) : value !== null && typeof value === "object" ? JSON.stringify(value) : (value ?? null);

  // One read transaction (so that another process's commit cannot fall between the two reads),
  // built once: better-sqlite3's own transaction function is far cheaper than drizzle's wrapper.
  const readWithEvents = db.$client.transaction((receiptCode: string) => {
    const row = byCode(receiptCode);
    if (!row) return undefined;
    const events = selectEvents.all({ code: receiptCode }).map(toStored);
    return { dossier: toRecord(row), events };
  });

  return {
    async get(receiptCode) {
      const row = byCode(receiptCode);
      return row && toRecord(row);
    },

    async getWithEvents(receiptCode) {
      return readWithEvents(receiptCode);
    },

    async insert(dossier, generateCodeFor, outbound) {
      return group.run(() => {
        let receiptCode = dossier.receiptCode;
        if (receiptCode === undefined) {
          if (!generateCodeFor) throw new Error("a receipt code or a sequence to generate it from is required");
          // Atomic: the sequence row is incremented inside this write transaction, so concurrent
          // receptions get distinct consecutive codes. A code supplied by hand (in this agency's
          // own namespace, receive-dossier.ts) is skipped, however many there are: the generator
          // never fails because of codes it did not issue.
          do {
            receiptCode = `${generateCodeFor.agencyCode}-${generateCodeFor.day}-${formatSequence(nextSequence(generateCodeFor.agencyCode, generateCodeFor.day))}`;
          } while (codeExists(receiptCode));
        } else if (codeExists(receiptCode)) {
          return undefined;
        }
        const { applicant, overdueSpans, statContributions, dutyContributions, duties, ...rest } = dossier;
        const { kind, name, idNumber, ...contact } = applicant;
        const row: Record<string, unknown> = { ...rest, receiptCode, applicantKind: kind, applicantName: name, applicantIdNumber: idNumber, applicantContact: contact };
        insertDossier.run(Object.fromEntries(receptionColumns.map(([key]) => [key, toSql(row[key])])));
        writeSpans(receiptCode, overdueSpans);
        writeDuties(receiptCode, duties);
        moveTotals(receiptCode, statContributions, dutyContributions);
        writeOutbound(stores, receiptCode, outbound, dossier.createdAt);
        return toRecord(byCode(receiptCode)!);
      });
    },

    async findEvents(eventIds) {
      return eventIds.flatMap((eventId) => {
        const row = selectEventById.get({ eventId });
        return row ? [toStored(row)] : [];
      });
    },

    async appendEvents(receiptCode, expectedEventCount, events, projection: DossierProjection, at, outbound) {
      const { overdueSpans, statContributions, dutyContributions, duties, ...columns } = projection;
      return group.run(() => {
        const updated = updateProjection.run({ ...projectionParams(columns), updatedAt: at, receiptCode, expectedEventCount });
        if (updated.changes !== 1) return false;
        for (const { event, bodyHash, recordedBy } of events) {
          insertEvent.run({
            eventId: event.eventId,
            receiptCode,
            type: event.type,
            occurredAt: event.occurredAt,
            agencyCode: event.agencyCode,
            payload: JSON.stringify(event satisfies DossierEvent),
            bodyHash,
            recordedAt: at,
            recordedBy,
          });
        }
        writeSpans(receiptCode, overdueSpans);
        writeDuties(receiptCode, duties);
        moveTotals(receiptCode, statContributions, dutyContributions);
        writeOutbound(stores, receiptCode, outbound, at);
        return true;
      });
    },

    async replaceProjection(receiptCode, projection) {
      const { overdueSpans, statContributions, dutyContributions, duties, ...columns } = projection;
      db.transaction(() => {
        // Only over the history it was folded from: an event appended meanwhile wrote its own, newer projection.
        if (updateProjection.run({ ...projectionParams(columns), updatedAt: null, receiptCode, expectedEventCount: columns.eventCount }).changes !== 1) return;
        writeSpans(receiptCode, overdueSpans);
        writeDuties(receiptCode, duties);
        moveTotals(receiptCode, statContributions, dutyContributions);
      });
    },

    async replanMoments(receiptCode, moments, at) {
      if (stores === undefined) return;
      await group.run(() => replanMoments(stores, receiptCode, moments, at));
    },

    async getOverdueSpans(receiptCode) {
      return db
        .select()
        .from(dossierOverdueSpans)
        .where(eq(dossierOverdueSpans.receiptCode, receiptCode))
        .orderBy(asc(dossierOverdueSpans.basis), asc(dossierOverdueSpans.fromAt))
        .all()
        .map((r) => ({ basis: r.basis, from: r.fromAt, to: r.toAt }));
    },

    async getDuties(receiptCode) {
      return db
        .select()
        .from(dossierDuties)
        .where(eq(dossierDuties.receiptCode, receiptCode))
        .orderBy(asc(dossierDuties.seq))
        .all()
        .map((r): Duty => ({ kind: r.kind, agencyCode: r.agencyCode, dueAt: r.dueAt, doneAt: r.doneAt, owed: r.owed }));
    },

    async list(filter) {
      const conditions: SQL[] = [];
      if (filter.agencyCodes !== undefined) {
        const codes = [...filter.agencyCodes];
        conditions.push(
          or(
            inArray(dossiers.receivingAgencyCode, codes),
            inArray(dossiers.handlingAgencyCode, codes),
            inArray(dossiers.currentAgencyCode, codes),
          )!,
        );
      }
      if (filter.status !== undefined) conditions.push(eq(dossiers.status, filter.status));
      if (filter.procedureCode !== undefined) conditions.push(eq(dossiers.procedureCode, filter.procedureCode));
      if (filter.receivedFrom !== undefined) conditions.push(gte(dossiers.receivedAt, filter.receivedFrom));
      if (filter.receivedBefore !== undefined) conditions.push(lt(dossiers.receivedAt, filter.receivedBefore));
      if (filter.cursor !== undefined) conditions.push(lt(dossiers.id, filter.cursor));
      // Overdue (DOMAIN.md §6, as dossier-fold.ts judges it): open and past the committed due
      // instant with the clock running, or suspended after that instant had passed.
      const overdue = and(
        inArray(dossiers.status, [...OPEN_STATUSES]),
        or(and(eq(dossiers.paused, false), lt(dossiers.dueAt, filter.now)), eq(dossiers.lateWhenSuspended, true)),
      )!;
      if (filter.overdue === true) conditions.push(overdue);
      if (filter.overdue === false) conditions.push(sql`not (${overdue})`);
      if (filter.dueWithin !== undefined)
        conditions.push(inArray(dossiers.status, [...OPEN_STATUSES]), eq(dossiers.paused, false), gte(dossiers.dueAt, filter.dueWithin.from), lte(dossiers.dueAt, filter.dueWithin.to));
      // A letter always sets the rescheduled due date (one letter per dossier).
      if (filter.apology === "none") conditions.push(isNull(dossiers.rescheduledDueAt));
      if (filter.apology === "issued") conditions.push(isNotNull(dossiers.rescheduledDueAt));
      // Duty work lists (DOMAIN.md §10): the duty still owed and past its due instant.
      for (const kind of filter.dutiesOverdue ?? [])
        conditions.push(
          sql`${dossiers.receiptCode} in (select d.receipt_code from dossier_duties d where d.kind = ${kind} and d.owed = 1 and d.due_at < ${filter.now})`,
        );

      const rows = db
        .select()
        .from(dossiers)
        .where(conditions.length > 0 ? and(...conditions) : undefined)
        .orderBy(desc(dossiers.id))
        .limit(filter.limit + 1)
        .all();
      const page = rows.slice(0, filter.limit);
      const nextCursor = rows.length > filter.limit ? page[page.length - 1]!.id : null;
      return { items: page.map(toRecord), nextCursor };
    },

    async insertRating(receiptCode, rating) {
      return group.run(() => insertRatingRow.run(receiptCode, rating.level, rating.reason, rating.ratedAt).changes === 1);
    },

    async listCodesReaching(calendarId, since) {
      const reaching =
        since === null ? undefined : or(inArray(dossiers.status, [...OPEN_STATUSES]), gte(dossiers.dueAt, since), gte(dossiers.legalDueAt, since));
      return db
        .select({ code: dossiers.receiptCode })
        .from(dossiers)
        .where(and(eq(dossiers.calendarId, calendarId), reaching))
        .orderBy(asc(dossiers.id))
        .all()
        .map((r) => r.code);
    },

    async listCodes(afterId, limit) {
      const rows = db
        .select({ id: dossiers.id, code: dossiers.receiptCode })
        .from(dossiers)
        .where(gt(dossiers.id, afterId))
        .orderBy(asc(dossiers.id))
        .limit(limit)
        .all();
      return { codes: rows.map((r) => r.code), lastId: rows.length > 0 ? rows[rows.length - 1]!.id : null };
    },
  };
}
