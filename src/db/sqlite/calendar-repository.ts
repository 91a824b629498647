import { and, asc, eq, sql } from "drizzle-orm";
import type { DatedDay } from "../../domain/calendar/calendar-types.js";
import type { CalendarRecord, CalendarRepository, CalendarSettings, DayOverride } from "../../services/catalog-ports.js";
import { calendarDays, calendars } from "../schema.js";
import type { SqliteDb } from "../sqlite-client.js";

type CalendarRow = typeof calendars.$inferSelect;

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
  };
}
