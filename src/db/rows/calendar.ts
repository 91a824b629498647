/**
 * Calendar rows to records, for both dialects (issue #16: "the shared shapes defined once"). Typed
 * on the SQLite schema's rows, which equal the PostgreSQL ones (test/db/postgres/schema-parity.test.ts).
 */
import type { DatedDay, PublishedDay, PublishedYear } from "../../domain/calendar/calendar-types.js";
import type { CalendarRecord, PublishedYearRecord } from "../../services/catalog-ports.js";
import type { calendarDays, calendars, calendarYears } from "../sqlite/schema.js";

export type CalendarRow = typeof calendars.$inferSelect;
export type CalendarDayRow = typeof calendarDays.$inferSelect;
export type CalendarYearRow = typeof calendarYears.$inferSelect;

export const toCalendarRecord = (row: CalendarRow): CalendarRecord => ({
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

export const toOverride = (row: CalendarDayRow): DatedDay => ({
  date: row.date,
  kind: row.kind,
  name: row.name,
  ...(row.hours ? { hours: row.hours } : {}),
  source: "override",
});

export const toPublishedYear = (row: CalendarYearRow): PublishedYearRecord => ({
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

/** The columns a publication writes (all but the key). */
export const publishedYearValues = (published: PublishedYear, at: string) => ({
  documentNumber: published.document.number,
  documentDate: published.document.date,
  documentTitle: published.document.title ?? null,
  days: published.days,
  publishedAt: at,
});

/** The content of a publication in a form where equal content gives equal strings (key order fixed). */
export const publicationContentKey = (document: PublishedYear["document"], days: readonly PublishedDay[]): string =>
  JSON.stringify([
    document.number,
    document.date,
    document.title ?? null,
    days.map((day) => [day.date, day.kind, day.name, day.hours ?? null]),
  ]);

/** Whether a stored publication has the same content as `published` (then publishing it again changes nothing). */
export const samePublication = (stored: CalendarYearRow, published: PublishedYear): boolean =>
  publicationContentKey(toPublishedYear(stored).document, stored.days) === publicationContentKey(published.document, published.days);
