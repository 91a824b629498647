/**
 * Dossiers on PostgreSQL (issue #16): the same contract as src/db/sqlite/dossier-repository.ts,
 * for several app instances writing one database at once.
 * - Optimistic concurrency: the projection UPDATE carries `event_count = expected`. Under READ
 *   COMMITTED the second of two racing writers waits on the row lock, re-reads the committed row,
 *   finds the count moved and updates nothing: exactly one of two conflicting events wins.
 * - Receipt codes: the per-agency-and-day sequence row is incremented in the reception's own
 *   transaction (`insert … on conflict do update … returning`): its row lock orders concurrent
 *   receptions, and a rolled-back reception gives its number back, so the codes stay gapless and
 *   unique across instances (DOMAIN.md §8).
 * - The maintained aggregates are updated in month order and in a fixed dimension order, so two
 *   writers lock their rows in the same order and cannot deadlock each other.
 * Every write runs through guardedWrite (transactions.ts): one transaction, the request's
 * Idempotency-Key claimed inside it.
 */
import { and, asc, desc, eq, gt, gte, inArray, isNotNull, isNull, lt, lte, or, sql, type SQL } from "drizzle-orm";
import { OPEN_STATUSES, type Channel } from "../../domain/dossier/dossier-types.js";
import type { Duty } from "../../domain/dossier/duties.js";
import type { OverdueSpan } from "../../domain/dossier/overdue-spans.js";
import { STAT_COLUMNS, type MonthContribution } from "../../domain/statistics/month-contributions.js";
import type { DossierProjection, DossierRepository } from "../../services/dossier-ports.js";
import { formatSequence, netContributions, receptionRow, toDossierRecord, toStoredEvent } from "../rows/dossier-rows.js";
import { replanMoments, writeOutbound } from "./outbound-writes.js";
import type { PgDb } from "./pg-client.js";
import { dossierDuties, dossierEvents, dossierOverdueSpans, dossierRatings, dossiers, receiptSequences, STAT_COLUMN_NAMES } from "./schema.js";
import { guardedWrite, type PgTx } from "./transactions.js";
import { dutyTotalsChanges } from "../rows/duty-totals.js";
import type { DutyContribution } from "../../domain/statistics/duty-contributions.js";
import { bytewise } from "./text-order.js";

/** The aggregate columns' SQL, built once: `c = t.c + excluded.c` for every statistics column. */
const addExcluded = (table: string) => sql.raw(STAT_COLUMN_NAMES.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(", "));
const statColumnList = sql.raw(STAT_COLUMN_NAMES.join(", "));

export function createPostgresDossierRepository(db: PgDb): DossierRepository {
  type Derived = Pick<DossierProjection, "overdueSpans" | "duties" | "statContributions" | "dutyContributions">;
  /** The dossier's fixed group and what it added to the aggregates so far. */
  type Shares = { agency: string; field: string; procedure: string; channel: Channel; previous: readonly MonthContribution[]; previousDuties: readonly DutyContribution[] };

  /**
   * Replaces a dossier's overdue stretches, duties and statistics shares; in the caller's
   * transaction. A dossier inserted by this transaction has none yet (`fresh`): nothing to delete,
   * nothing to take back, and its shares were written with its row — four round trips fewer,
   * while the reception holds its receipt sequence.
   */
  async function writeDerived(tx: PgTx, receiptCode: string, projection: Derived, fresh?: Shares) {
    if (!fresh) await tx.delete(dossierOverdueSpans).where(eq(dossierOverdueSpans.receiptCode, receiptCode));
    if (projection.overdueSpans.length > 0)
      await tx.insert(dossierOverdueSpans).values(projection.overdueSpans.map((s: OverdueSpan) => ({ receiptCode, basis: s.basis, fromAt: s.from, toAt: s.to })));
    if (!fresh) await tx.delete(dossierDuties).where(eq(dossierDuties.receiptCode, receiptCode));
    if (projection.duties.length > 0)
      await tx
        .insert(dossierDuties)
        .values(projection.duties.map((d: Duty, seq) => ({ receiptCode, seq, kind: d.kind, agencyCode: d.agencyCode, dueAt: d.dueAt, doneAt: d.doneAt, owed: d.owed })));
    const shares = fresh ?? (await sharesOf(tx, receiptCode));
    if (!shares) return;
    await moveTotals(tx, shares, projection.statContributions, projection.dutyContributions);
    if (!fresh)
      await tx
        .update(dossiers)
        .set({ statContributions: [...projection.statContributions], dutyContributions: [...projection.dutyContributions] })
        .where(eq(dossiers.receiptCode, receiptCode));
  }

  async function sharesOf(tx: PgTx, receiptCode: string): Promise<Shares | undefined> {
    const [row] = await tx
      .select({
        agency: dossiers.handlingAgencyCode,
        field: dossiers.fieldCode,
        procedure: dossiers.procedureCode,
        channel: dossiers.channel,
        previous: dossiers.statContributions,
        previousDuties: dossiers.dutyContributions,
      })
      .from(dossiers)
      .where(eq(dossiers.receiptCode, receiptCode));
    return row;
  }

  /**
   * Takes back what the dossier added to the report-month aggregates and the duty counts, and adds
   * its new shares (same transaction).
   */
  async function moveTotals(tx: PgTx, row: Shares, next: readonly MonthContribution[], nextDuties: readonly DutyContribution[]) {
    const changes = netContributions(row.previous, next);
    if (changes.length > 0) {
      const values = (prefix: SQL[], sums: Record<string, number>) => sql`(${sql.join([...prefix, ...STAT_COLUMNS.map((c) => sql`${sums[c]}`)], sql`, `)})`;
      await tx.execute(sql`
        insert into stat_month_totals (month, handling_agency_code, field_code, procedure_code, channel, ${statColumnList})
        values ${sql.join(
          changes.map(({ month, sums }) => values([sql`${month}`, sql`${row.agency}`, sql`${row.field}`, sql`${row.procedure}`, sql`${row.channel}`], sums)),
          sql`, `,
        )}
        on conflict (month, handling_agency_code, procedure_code, channel, field_code) do update set ${addExcluded("stat_month_totals")}`);
      // Fixed order (dimension, then month): every writer locks the roll-up rows in the same order.
      const rollups = (["all", "agency", "channel", "field", "procedure"] as const).flatMap((dimension) =>
        changes.map(({ month, sums }) => ({ dimension, month, key: dimension === "all" ? "" : row[dimension], sums })),
      );
      await tx.execute(sql`
        insert into stat_dimension_totals (dimension, month, key, ${statColumnList})
        values ${sql.join(
          rollups.map(({ dimension, month, key, sums }) => values([sql`${dimension}`, sql`${month}`, sql`${key}`], sums)),
          sql`, `,
        )}
        on conflict (dimension, month, key) do update set ${addExcluded("stat_dimension_totals")}`);
    }
    const duties = dutyTotalsChanges(row.previousDuties, nextDuties, row);
    if (duties.cells.length > 0) {
      // In the order dutyTotalsChanges gives (bucket, owing agency, kind), each key once.
      await tx.execute(sql`
        insert into stat_duty_totals (grain, bucket, agency_code, procedure_code, channel, field_code, kind, missed)
        values ${sql.join(
          duties.cells.map((c) => sql`(${c.grain}, ${c.bucket}, ${c.agencyCode}, ${row.procedure}, ${row.channel}, ${row.field}, ${c.kind}, ${c.n})`),
          sql`, `,
        )}
        on conflict (grain, bucket, agency_code, procedure_code, channel, field_code, kind) do update set missed = stat_duty_totals.missed + excluded.missed`);
      await tx.execute(sql`
        insert into stat_duty_dimension_totals (dimension, grain, bucket, key, kind, missed)
        values ${sql.join(
          duties.rollups.map((r) => sql`(${r.dimension}, ${r.grain}, ${r.bucket}, ${r.key}, ${r.kind}, ${r.n})`),
          sql`, `,
        )}
        on conflict (dimension, grain, bucket, key, kind) do update set missed = stat_duty_dimension_totals.missed + excluded.missed`);
    }
  }

  /** The agency's next sequence number of the day (the row stays locked to COMMIT: gapless and unique across instances). */
  async function nextSequence(tx: PgTx, agencyCode: string, day: string): Promise<number> {
    const [row] = await tx
      .insert(receiptSequences)
      .values({ agencyCode, day, lastValue: 1 })
      .onConflictDoUpdate({ target: [receiptSequences.agencyCode, receiptSequences.day], set: { lastValue: sql`${receiptSequences.lastValue} + 1` } })
      .returning({ value: receiptSequences.lastValue });
    return row!.value;
  }

  const projectionSet = (projection: DossierProjection) => {
    const { overdueSpans: _spans, statContributions: _contributions, dutyContributions: _dutyContributions, duties: _duties, ...columns } = projection;
    return columns;
  };

  return {
    async get(receiptCode) {
      const [row] = await db.select().from(dossiers).where(eq(dossiers.receiptCode, receiptCode));
      return row && toDossierRecord(row);
    },

    async getWithEvents(receiptCode) {
      // One snapshot for both reads: another instance's commit cannot fall between them.
      return db.transaction(
        async (tx) => {
          const [row] = await tx.select().from(dossiers).where(eq(dossiers.receiptCode, receiptCode));
          if (!row) return undefined;
          const events = await tx
            .select()
            .from(dossierEvents)
            .where(eq(dossierEvents.receiptCode, receiptCode))
            // The fold's storage order, as on SQLite: the event id compared bytewise, not by the database's locale.
            .orderBy(asc(dossierEvents.occurredAt), bytewise(dossierEvents.eventId));
          return { dossier: toDossierRecord(row), events: events.map(toStoredEvent) };
        },
        { isolationLevel: "repeatable read", accessMode: "read only" },
      );
    },

    async insert(dossier, generateCodeFor, outbound) {
      return guardedWrite(
        db,
        async (tx) => {
          const insertAs = (receiptCode: string) =>
            tx
              .insert(dossiers)
              .values({ ...receptionRow(dossier, receiptCode), statContributions: [...dossier.statContributions], dutyContributions: [...dossier.dutyContributions] })
              .onConflictDoNothing({ target: dossiers.receiptCode })
              .returning();
          let receiptCode = dossier.receiptCode;
          let inserted: Awaited<ReturnType<typeof insertAs>>;
          if (receiptCode !== undefined) {
            // A supplied code taken already, even by another instance's reception committing now: nothing written.
            inserted = await insertAs(receiptCode);
            if (inserted.length === 0) return undefined;
          } else {
            if (!generateCodeFor) throw new Error("a receipt code or a sequence to generate it from is required");
            // The reception's transaction increments the (agency, day) sequence row. A code supplied
            // by hand in this agency's namespace (receive-dossier.ts) is skipped: the insert does
            // nothing and the next number is taken; the generator never fails because of codes it
            // did not issue.
            do {
              receiptCode = `${generateCodeFor.agencyCode}-${generateCodeFor.day}-${formatSequence(await nextSequence(tx, generateCodeFor.agencyCode, generateCodeFor.day))}`;
              inserted = await insertAs(receiptCode);
            } while (inserted.length === 0);
          }
          const { handlingAgencyCode: agency, fieldCode: field, procedureCode: procedure, channel } = inserted[0]!;
          await writeDerived(tx, receiptCode, dossier, { agency, field, procedure, channel, previous: [], previousDuties: [] });
          await writeOutbound(tx, receiptCode, outbound, dossier.createdAt);
          return toDossierRecord(inserted[0]!);
        },
        (result) => result !== undefined,
      );
    },

    async findEvents(eventIds) {
      if (eventIds.length === 0) return [];
      const rows = await db
        .select()
        .from(dossierEvents)
        .where(inArray(dossierEvents.eventId, [...eventIds]));
      const byId = new Map(rows.map((r) => [r.eventId, r]));
      return eventIds.flatMap((id) => {
        const row = byId.get(id);
        return row ? [toStoredEvent(row)] : [];
      });
    },

    async appendEvents(receiptCode, expectedEventCount, events, projection, at, outbound) {
      return guardedWrite(
        db,
        async (tx) => {
          const updated = await tx
            .update(dossiers)
            .set({ ...projectionSet(projection), updatedAt: at })
            .where(and(eq(dossiers.receiptCode, receiptCode), eq(dossiers.eventCount, expectedEventCount)))
            .returning({ id: dossiers.id });
          if (updated.length !== 1) return false;
          if (events.length > 0)
            await tx.insert(dossierEvents).values(
              events.map(({ event, bodyHash, recordedBy }) => ({
                eventId: event.eventId,
                receiptCode,
                type: event.type,
                occurredAt: event.occurredAt,
                agencyCode: event.agencyCode,
                payload: event,
                bodyHash,
                recordedAt: at,
                recordedBy,
              })),
            );
          await writeDerived(tx, receiptCode, projection);
          await writeOutbound(tx, receiptCode, outbound, at);
          return true;
        },
        (appended) => appended,
      );
    },

    async replaceProjection(receiptCode, projection) {
      await db.transaction(async (tx) => {
        // Only over the history it was folded from: an event appended meanwhile (on any instance)
        // wrote its own, newer projection, which a rebuild read before it must not overwrite.
        const replaced = await tx
          .update(dossiers)
          .set(projectionSet(projection))
          .where(and(eq(dossiers.receiptCode, receiptCode), eq(dossiers.eventCount, projection.eventCount)))
          .returning({ id: dossiers.id });
        if (replaced.length === 1) await writeDerived(tx, receiptCode, projection);
      });
    },

    async replanMoments(receiptCode, moments, at) {
      await db.transaction((tx) => replanMoments(tx, receiptCode, moments, at));
    },

    async getOverdueSpans(receiptCode) {
      const rows = await db
        .select()
        .from(dossierOverdueSpans)
        .where(eq(dossierOverdueSpans.receiptCode, receiptCode))
        .orderBy(bytewise(dossierOverdueSpans.basis), asc(dossierOverdueSpans.fromAt));
      return rows.map((r) => ({ basis: r.basis, from: r.fromAt, to: r.toAt }));
    },

    async getDuties(receiptCode) {
      const rows = await db.select().from(dossierDuties).where(eq(dossierDuties.receiptCode, receiptCode)).orderBy(asc(dossierDuties.seq));
      return rows.map((r): Duty => ({ kind: r.kind, agencyCode: r.agencyCode, dueAt: r.dueAt, doneAt: r.doneAt, owed: r.owed }));
    },

    async list(filter) {
      const conditions: SQL[] = [];
      if (filter.agencyCodes !== undefined) {
        const codes = [...filter.agencyCodes];
        conditions.push(or(inArray(dossiers.receivingAgencyCode, codes), inArray(dossiers.handlingAgencyCode, codes), inArray(dossiers.currentAgencyCode, codes))!);
      }
      if (filter.status !== undefined) conditions.push(eq(dossiers.status, filter.status));
      if (filter.procedureCode !== undefined) conditions.push(eq(dossiers.procedureCode, filter.procedureCode));
      if (filter.receivedFrom !== undefined) conditions.push(gte(dossiers.receivedAt, filter.receivedFrom));
      if (filter.receivedBefore !== undefined) conditions.push(lt(dossiers.receivedAt, filter.receivedBefore));
      if (filter.cursor !== undefined) conditions.push(lt(dossiers.id, filter.cursor));
      // Overdue (DOMAIN.md §6, as dossier-fold.ts judges it): open and past the committed due
      // instant with the clock running, or suspended after that instant had passed.
      const overdue = and(inArray(dossiers.status, [...OPEN_STATUSES]), or(and(eq(dossiers.paused, false), lt(dossiers.dueAt, filter.now)), eq(dossiers.lateWhenSuspended, true)))!;
      if (filter.overdue === true) conditions.push(overdue);
      if (filter.overdue === false) conditions.push(sql`not (${overdue})`);
      if (filter.dueWithin !== undefined)
        conditions.push(inArray(dossiers.status, [...OPEN_STATUSES]), eq(dossiers.paused, false), gte(dossiers.dueAt, filter.dueWithin.from), lte(dossiers.dueAt, filter.dueWithin.to));
      // A letter always sets the rescheduled due date (one letter per dossier).
      if (filter.apology === "none") conditions.push(isNull(dossiers.rescheduledDueAt));
      if (filter.apology === "issued") conditions.push(isNotNull(dossiers.rescheduledDueAt));
      // Duty work lists (DOMAIN.md §10): the duty still owed and past its due instant.
      for (const kind of filter.dutiesOverdue ?? [])
        conditions.push(sql`${dossiers.receiptCode} in (select d.receipt_code from dossier_duties d where d.kind = ${kind} and d.owed and d.due_at < ${filter.now})`);

      const rows = await db
        .select()
        .from(dossiers)
        .where(conditions.length > 0 ? and(...conditions) : undefined)
        .orderBy(desc(dossiers.id))
        .limit(filter.limit + 1);
      const page = rows.slice(0, filter.limit);
      const nextCursor = rows.length > filter.limit ? page[page.length - 1]!.id : null;
      return { items: page.map(toDossierRecord), nextCursor };
    },

    async insertRating(receiptCode, rating) {
      return guardedWrite(
        db,
        async (tx) =>
          (await tx.insert(dossierRatings).values({ receiptCode, level: rating.level, reason: rating.reason, ratedAt: rating.ratedAt }).onConflictDoNothing().returning({ code: dossierRatings.receiptCode }))
            .length === 1,
        (inserted) => inserted,
      );
    },

    async listCodesReaching(calendarId, since) {
      const reaching = since === null ? undefined : or(inArray(dossiers.status, [...OPEN_STATUSES]), gte(dossiers.dueAt, since), gte(dossiers.legalDueAt, since));
      const rows = await db
        .select({ code: dossiers.receiptCode })
        .from(dossiers)
        .where(and(eq(dossiers.calendarId, calendarId), reaching))
        .orderBy(asc(dossiers.id));
      return rows.map((r) => r.code);
    },

    async listCodes(afterId, limit) {
      const rows = await db
        .select({ id: dossiers.id, code: dossiers.receiptCode })
        .from(dossiers)
        .where(gt(dossiers.id, afterId))
        .orderBy(asc(dossiers.id))
        .limit(limit);
      return { codes: rows.map((r) => r.code), lastId: rows.length > 0 ? rows[rows.length - 1]!.id : null };
    },
  };
}
