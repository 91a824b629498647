/**
 * The effective non-default days of a calendar, year by year (DOMAIN.md §7: "the calendar is
 * data"). Precedence, lowest first: the rule proposal < the built-in official schedule < a year
 * published through the API < the administrator's per-date overrides (calendar-types.ts).
 */
import type { DatedDay, HolidayRuleSet, PublishedYear } from "./calendar-types.js";
import { vnRuleDays } from "./vn-holidays.js";
import { VN_OFFICIAL_SCHEDULES } from "./vn-official-schedules.js";

const vnDaysByYear = new Map<number, readonly DatedDay[]>();

/**
 * The built-in national calendar of Vietnam for `year`. A published schedule replaces the rule
 * proposal for its year entirely, because the Government grants exactly what it lists (in 2024
 * the rules would add Thu 15 Feb as a Tết substitute day that was never granted). Cached.
 * @throws RangeError for a year without a schedule outside VN_RULE_MIN_YEAR..VN_RULE_MAX_YEAR
 */
export function vnDaysOfYear(year: number): readonly DatedDay[] {
  let days = vnDaysByYear.get(year);
  if (days === undefined) {
    days = Object.hasOwn(VN_OFFICIAL_SCHEDULES, year)
      ? (VN_OFFICIAL_SCHEDULES[year] ?? [])
      : Object.freeze(vnRuleDays(year));
    vnDaysByYear.set(year, days);
  }
  return days;
}

/**
 * Whether a day may still change because no document we hold confirms it: rule proposals always
 * are (DOMAIN.md §7 "A proposed day must say so"); other days say so themselves (absent = no).
 */
export function isProvisional(day: DatedDay): boolean {
  return day.provisional ?? day.source === "rule";
}

/** The days of a published year, each carrying the publication's document (source "official"). */
export function publishedYearDays(published: PublishedYear): DatedDay[] {
  return published.days.map((day) => ({
    date: day.date,
    kind: day.kind,
    name: day.name,
    ...(day.hours !== undefined ? { hours: day.hours } : {}),
    source: "official",
    document: published.document,
    provisional: false,
  }));
}

/**
 * The days of `year` for a calendar. The base is the year published through the API when there is
 * one (whatever the rule set: the publisher's list is the schedule, exactly as the Government's
 * notice replaces the proposal), else the days of its rule set ("vn": vnDaysOfYear, "none":
 * nothing). `overrides` then win per date. Overrides and publications of other years are ignored;
 * overrides are taken as given (normally source "override"), the last one winning if a date repeats.
 */
export function resolveDaysOfYear(
  year: number,
  ruleSet: HolidayRuleSet,
  overrides: readonly DatedDay[],
  published: readonly PublishedYear[] = [],
): DatedDay[] {
  const byDate = new Map<string, DatedDay>();
  const publication = published.find((p) => p.year === year);
  const base = publication !== undefined ? publishedYearDays(publication) : ruleSet === "vn" ? vnDaysOfYear(year) : [];
  for (const day of base) if (yearOf(day.date) === year) byDate.set(day.date, day);
  for (const day of overrides) {
    if (yearOf(day.date) === year) byDate.set(day.date, day);
  }
  return sortByDate([...byDate.values()]);
}

/**
 * Every non-default day with `from` <= date <= `to` (inclusive local dates, YYYY-MM-DD), sorted;
 * each year's days come from `daysOfYear(year)` and only dates of that year are kept. The work
 * grows with the number of years spanned: callers bound the range (the HTTP layer accepts at most
 * a few years). An empty list when `from` is after `to`.
 * @throws RangeError when `from` or `to` is not a valid date
 */
export function listDays(
  from: string,
  to: string,
  daysOfYear: (year: number) => readonly DatedDay[],
): DatedDay[] {
  for (const [field, value] of [["from", from], ["to", to]] as const) {
    if (!isValidIsoDate(value)) throw new RangeError(`${field} is not a YYYY-MM-DD date: ${value}`);
  }
  const days: DatedDay[] = [];
  for (let year = yearOf(from); year <= yearOf(to); year++) {
    for (const day of daysOfYear(year)) {
      if (yearOf(day.date) === year && day.date >= from && day.date <= to) days.push(day);
    }
  }
  return sortByDate(days);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Strict YYYY-MM-DD naming a real date of the Gregorian calendar (years 0001–9999). */
export function isValidIsoDate(s: string): boolean {
  const match = ISO_DATE.exec(s);
  if (match === null) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function yearOf(isoDate: string): number {
  return Number(isoDate.slice(0, 4));
}

function sortByDate(days: DatedDay[]): DatedDay[] {
  return days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
