import { and, asc, eq, sql } from "drizzle-orm";
import type { PublishedYear } from "../../domain/calendar/calendar-types.js";
import type { CalendarRepository, CalendarSettings, DayOverride } from "../../services/catalog-ports.js";
import { publishedYearValues, samePublication, toCalendarRecord, toOverride, toPublishedYear } from "../rows/calendar.js";
import { calendarDays, calendars, calendarYears } from "./schema.js";
import type { SqliteDb } from "./sqlite-client.js";

export function createSqliteCalendarRepository(db: SqliteDb): CalendarRepository {
  const selectById = db.select().from(calendars).where(eq(calendars.id, sql.placeholder("id"))).prepare();
  const byId = (id: string) => selectById.get({ id });
  const bumpRevision = (id: string, at: string) =>
    db.update(calendars).set({ revision: sql`${calendars.revision} + 1`, updatedAt: at }).where(eq(calendars.id, id)).run();

  return {
    async list() {
      return db.select().from(calendars).orderBy(asc(calendars.id)).all().map(toCalendarRecord);
    },
    async get(id) {
      const row = byId(id);
      return row && toCalendarRecord(row);
    },
    async put(id, settings: CalendarSettings, at) {
      return db.transaction(() => {
        const existing = byId(id);
        if (!existing) {
          db.insert(calendars).values({ id, ...settings, revision: 1, createdAt: at, updatedAt: at }).run();
        } else {
          db.update(calendars)
            .set({ ...settings, revision: existing.revision + 1, updatedAt: at })
            .where(eq(calendars.id, id))
            .run();
        }
        return { created: !existing, calendar: toCalendarRecord(byId(id)!) };
      });
    },
    async ensure(id, settings, at) {
      db.insert(calendars)
        .values({ id, ...settings, revision: 1, createdAt: at, updatedAt: at })
        .onConflictDoNothing()
        .run();
    },
    async listOverrides(calendarId) {
      return db
        .select()
        .from(calendarDays)
        .where(eq(calendarDays.calendarId, calendarId))
        .orderBy(asc(calendarDays.date))
        .all()
        .map(toOverride);
    },
    async putOverride(calendarId, day: DayOverride, at) {
      return db.transaction(() => {
        const where = and(eq(calendarDays.calendarId, calendarId), eq(calendarDays.date, day.date));
        const existing = db.select({ date: calendarDays.date }).from(calendarDays).where(where).get();
        const values = { kind: day.kind, name: day.name, hours: day.hours ?? null, updatedAt: at };
        if (existing) db.update(calendarDays).set(values).where(where).run();
        else db.insert(calendarDays).values({ calendarId, date: day.date, ...values }).run();
        bumpRevision(calendarId, at);
        return { created: !existing };
      });
    },
    async deleteOverride(calendarId, date, at) {
      return db.transaction(() => {
        const result = db
          .delete(calendarDays)
          .where(and(eq(calendarDays.calendarId, calendarId), eq(calendarDays.date, date)))
          .run();
        if (result.changes === 0) return false;
        bumpRevision(calendarId, at);
        return true;
      });
    },
    async listPublishedYears(calendarId) {
      return db
        .select()
        .from(calendarYears)
        .where(eq(calendarYears.calendarId, calendarId))
        .orderBy(asc(calendarYears.year))
        .all()
        .map(toPublishedYear);
    },
    async getPublishedYear(calendarId, year) {
      const row = db
        .select()
        .from(calendarYears)
        .where(and(eq(calendarYears.calendarId, calendarId), eq(calendarYears.year, year)))
        .get();
      return row && toPublishedYear(row);
    },
    async publishYear(calendarId, published: PublishedYear, at) {
      return db.transaction(() => {
        const where = and(eq(calendarYears.calendarId, calendarId), eq(calendarYears.year, published.year));
        const existing = db.select().from(calendarYears).where(where).get();
        if (existing && samePublication(existing, published)) {
          return { outcome: "unchanged" as const, published: toPublishedYear(existing) };
        }
        const values = publishedYearValues(published, at);
        if (existing) db.update(calendarYears).set(values).where(where).run();
        else db.insert(calendarYears).values({ calendarId, year: published.year, ...values }).run();
        // The engines are cached per revision (calendar-service.ts engineFor): the same transaction.
        bumpRevision(calendarId, at);
        return { outcome: existing ? ("replaced" as const) : ("created" as const), published: toPublishedYear(db.select().from(calendarYears).where(where).get()!) };
      });
    },
  };
}
