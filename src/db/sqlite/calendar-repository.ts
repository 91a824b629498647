import { and, asc, eq, sql } from "drizzle-orm";
import type { DatedDay, PublishedDay, PublishedYear } from "../../domain/calendar/calendar-types.js";
import type {
  CalendarRecord,
  CalendarRepository,
  CalendarSettings,
  DayOverride,
  PublishedYearRecord,
} from "../../services/catalog-ports.js";
import { calendarDays, calendars, calendarYears } from "./schema.js";
import type { SqliteDb } from "../sqlite-client.js";

type CalendarRow = typeof calendars.$inferSelect;
type CalendarYearRow = typeof calendarYears.$inferSelect;

const toRecord = (row: CalendarRow): CalendarRecord => ({
  id: row.id,
  name: row.name,
  timeZone: row.timeZone,
  weeklyHours: row.weeklyHours,
  sameDayCutoff: row.sameDayCutoff,
  workingDayMinutes: row.workingDayMinutes,
  holidayRules: row.holidayRules,
  revision: row.revision,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

const toPublishedYear = (row: CalendarYearRow): PublishedYearRecord => ({
  calendarId: row.calendarId,
  year: row.year,
  document: {
    number: row.documentNumber,
    date: row.documentDate,
    ...(row.documentTitle !== null ? { title: row.documentTitle } : {}),
  },
  days: row.days,
  publishedAt: row.publishedAt,
});

/** The content of a publication in a form where equal content gives equal strings (key order fixed). */
const contentKey = (document: PublishedYear["document"], days: readonly PublishedDay[]): string =>
  JSON.stringify([
    document.number,
    document.date,
    document.title ?? null,
    days.map((day) => [day.date, day.kind, day.name, day.hours ?? null]),
  ]);

export function createSqliteCalendarRepository(db: SqliteDb): CalendarRepository {
  const selectById = db.select().from(calendars).where(eq(calendars.id, sql.placeholder("id"))).prepare();
  const byId = (id: string) => selectById.get({ id });
  const bumpRevision = (id: string, at: string) =>
    db.update(calendars).set({ revision: sql`${calendars.revision} + 1`, updatedAt: at }).where(eq(calendars.id, id)).run();

  return {
    async list() {
      return db.select().from(calendars).orderBy(asc(calendars.id)).all().map(toRecord);
    },
    async get(id) {
      const row = byId(id);
      return row && toRecord(row);
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
        return { created: !existing, calendar: toRecord(byId(id)!) };
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
        .map((row): DatedDay => ({
          date: row.date,
          kind: row.kind,
          name: row.name,
          ...(row.hours ? { hours: row.hours } : {}),
          source: "override",
        }));
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
        if (existing && contentKey(toPublishedYear(existing).document, existing.days) === contentKey(published.document, published.days)) {
          return { outcome: "unchanged" as const, published: toPublishedYear(existing) };
        }
        const values = {
          documentNumber: published.document.number,
          documentDate: published.document.date,
          documentTitle: published.document.title ?? null,
          days: published.days,
          publishedAt: at,
        };
        if (existing) db.update(calendarYears).set(values).where(where).run();
        else db.insert(calendarYears).values({ calendarId, year: published.year, ...values }).run();
        // The engines are cached per revision (calendar-service.ts engineFor): the same transaction.
        bumpRevision(calendarId, at);
        return { outcome: existing ? ("replaced" as const) : ("created" as const), published: toPublishedYear(db.select().from(calendarYears).where(where).get()!) };
      });
    },
  };
}
