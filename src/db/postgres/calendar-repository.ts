/** Calendars on PostgreSQL (contract: src/services/catalog-ports.ts; the same rules as src/db/sqlite/calendar-repository.ts). */
import { and, asc, eq, sql } from "drizzle-orm";
import type { PublishedYear } from "../../domain/calendar/calendar-types.js";
import type { CalendarRepository, CalendarSettings, DayOverride } from "../../services/catalog-ports.js";
import { publishedYearValues, samePublication, toCalendarRecord, toOverride, toPublishedYear } from "../rows/calendar.js";
import { calendarDays, calendars, calendarYears } from "./schema.js";
import type { PgDb } from "./pg-client.js";
import type { PgTx } from "./transactions.js";
import { bytewise } from "./text-order.js";

export function createPostgresCalendarRepository(db: PgDb): CalendarRepository {
  const bumpRevision = (tx: PgTx, id: string, at: string) =>
    tx.update(calendars).set({ revision: sql`${calendars.revision} + 1`, updatedAt: at }).where(eq(calendars.id, id));
  /**
   * SQLite has one writer; here the writers of one calendar's days and years queue on its row
   * instead, so each reads what the previous one committed (READ COMMITTED takes a new snapshot per
   * statement): of two identical publications racing, the second finds the first and is
   * "unchanged". NO KEY UPDATE: only the revision changes, so agencies referencing the calendar
   * (a KEY SHARE lock) are not held up.
   */
  const lockCalendar = (tx: PgTx, id: string) => tx.select({ id: calendars.id }).from(calendars).where(eq(calendars.id, id)).for("no key update");

  return {
    async list() {
      return (await db.select().from(calendars).orderBy(asc(bytewise(calendars.id)))).map(toCalendarRecord);
    },
    async get(id) {
      const [row] = await db.select().from(calendars).where(eq(calendars.id, id));
      return row && toCalendarRecord(row);
    },
    async put(id, settings: CalendarSettings, at) {
      return db.transaction(async (tx) => {
        // Insert, or else update: two racing first puts give one "created" and one replacement, not a key violation.
        const [inserted] = await tx
          .insert(calendars)
          .values({ id, ...settings, revision: 1, createdAt: at, updatedAt: at })
          .onConflictDoNothing()
          .returning();
        if (inserted) return { created: true, calendar: toCalendarRecord(inserted) };
        const [updated] = await tx
          .update(calendars)
          .set({ ...settings, revision: sql`${calendars.revision} + 1`, updatedAt: at })
          .where(eq(calendars.id, id))
          .returning();
        return { created: false, calendar: toCalendarRecord(updated!) };
      });
    },
    async ensure(id, settings, at) {
      await db
        .insert(calendars)
        .values({ id, ...settings, revision: 1, createdAt: at, updatedAt: at })
        .onConflictDoNothing();
    },
    async listOverrides(calendarId) {
      return (await db.select().from(calendarDays).where(eq(calendarDays.calendarId, calendarId)).orderBy(asc(bytewise(calendarDays.date)))).map(toOverride);
    },
    async putOverride(calendarId, day: DayOverride, at) {
      return db.transaction(async (tx) => {
        await lockCalendar(tx, calendarId);
        const where = and(eq(calendarDays.calendarId, calendarId), eq(calendarDays.date, day.date));
        const [existing] = await tx.select({ date: calendarDays.date }).from(calendarDays).where(where);
        const values = { kind: day.kind, name: day.name, hours: day.hours ?? null, updatedAt: at };
        if (existing) await tx.update(calendarDays).set(values).where(where);
        else await tx.insert(calendarDays).values({ calendarId, date: day.date, ...values });
        await bumpRevision(tx, calendarId, at);
        return { created: !existing };
      });
    },
    async deleteOverride(calendarId, date, at) {
      return db.transaction(async (tx) => {
        await lockCalendar(tx, calendarId);
        const deleted = await tx
          .delete(calendarDays)
          .where(and(eq(calendarDays.calendarId, calendarId), eq(calendarDays.date, date)))
          .returning({ date: calendarDays.date });
        if (deleted.length === 0) return false;
        await bumpRevision(tx, calendarId, at);
        return true;
      });
    },
    async listPublishedYears(calendarId) {
      return (await db.select().from(calendarYears).where(eq(calendarYears.calendarId, calendarId)).orderBy(asc(calendarYears.year))).map(toPublishedYear);
    },
    async getPublishedYear(calendarId, year) {
      const [row] = await db
        .select()
        .from(calendarYears)
        .where(and(eq(calendarYears.calendarId, calendarId), eq(calendarYears.year, year)));
      return row && toPublishedYear(row);
    },
    async publishYear(calendarId, published: PublishedYear, at) {
      return db.transaction(async (tx) => {
        await lockCalendar(tx, calendarId);
        const where = and(eq(calendarYears.calendarId, calendarId), eq(calendarYears.year, published.year));
        const [existing] = await tx.select().from(calendarYears).where(where);
        if (existing && samePublication(existing, published)) {
          return { outcome: "unchanged" as const, published: toPublishedYear(existing) };
        }
        const values = publishedYearValues(published, at);
        const [stored] = existing
          ? await tx.update(calendarYears).set(values).where(where).returning()
          : await tx.insert(calendarYears).values({ calendarId, year: published.year, ...values }).returning();
        // The engines are cached per revision (calendar-service.ts engineFor): the same transaction.
        await bumpRevision(tx, calendarId, at);
        return { outcome: existing ? ("replaced" as const) : ("created" as const), published: toPublishedYear(stored!) };
      });
    },
  };
}
