/**
 * A deliberately simple working calendar: the test oracle for the engine and the benchmark
 * baseline. It shares no code with src/domain/calendar/working-calendar.ts: it walks local dates
 * one by one, works out each day's intervals from scratch with luxon, and consumes them in turn.
 *
 * It implements the same rules (DOMAIN.md §4) and the same DST policy, spelled out the plain way:
 * a local time maps to the first instant at which the local clock shows that time or later; on a
 * day when the offset changes this is found by scanning minute by minute.
 */
import { DateTime } from "luxon";
import type { CalendarRules, DatedDay, DaysOfYear, Duration, HoursInterval } from "../../src/domain/calendar/calendar-types.js";

type Interval = [number, number];

const MINUTE = 60_000;
const DAY = 86_400_000;
const WEEKDAY_KEYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
/** Stop walking after this many days (a calendar without working time). */
const MAX_DAYS = 20 * 366;

export interface NaiveWorkingCalendar {
  isWorkingInstant(t: number): boolean;
  nextWorkingInstant(t: number): number;
  addWorkingMinutes(start: number, minutes: number): number;
  workingMinutesBetween(from: number, to: number): number;
  addDuration(start: number, duration: Duration): number;
  /** UTC intervals of a local date (YYYY-MM-DD), empty ones dropped. */
  intervalsOfDate(date: string): Interval[];
}

export function createNaiveWorkingCalendar(rules: CalendarRules, daysOfYear: DaysOfYear): NaiveWorkingCalendar {
  const zone = rules.timeZone;
  const yearCache = new Map<number, readonly DatedDay[]>();

  const minutesOf = (s: string): number => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
  const offsetMs = (t: number): number => DateTime.fromMillis(t, { zone }).offset * MINUTE;

  // The standard weekday hours: the most common non-empty weekday pattern, first from Monday.
  let standard: readonly HoursInterval[] = [];
  let bestCount = 0;
  for (const day of WEEKDAY_KEYS) {
    const hours = rules.weeklyHours[day];
    if (hours.length === 0) continue;
    const key = JSON.stringify(hours.map(([a, b]) => [minutesOf(a), minutesOf(b)]));
    const count = WEEKDAY_KEYS.filter(
      (other) => JSON.stringify(rules.weeklyHours[other].map(([a, b]) => [minutesOf(a), minutesOf(b)])) === key,
    ).length;
    if (count > bestCount) {
      bestCount = count;
      standard = hours;
    }
  }

  function datedDay(date: string): DatedDay | undefined {
    const year = Number(date.slice(0, 4));
    let days = yearCache.get(year);
    if (days === undefined) {
      days = daysOfYear(year);
      yearCache.set(year, days);
    }
    let found: DatedDay | undefined;
    const rank = (d: DatedDay): number => ["rule", "official", "override"].indexOf(d.source);
    for (const d of days) if (d.date === date && (found === undefined || rank(d) >= rank(found))) found = d;
    return found;
  }

  function localHours(date: string): readonly HoursInterval[] {
    const special = datedDay(date);
    if (special?.kind === "day_off") return [];
    if (special?.kind === "working_day") return special.hours && special.hours.length > 0 ? special.hours : standard;
    const weekday = DateTime.fromISO(date, { zone: "utc" }).weekday; // 1 = Monday
    return rules.weeklyHours[WEEKDAY_KEYS[weekday - 1] as (typeof WEEKDAY_KEYS)[number]];
  }

  /** First instant at which the local clock shows `wall` (a wall time written as UTC ms) or later. */
  function wallToUtc(wall: number): number {
    const before = offsetMs(wall - DAY);
    const after = offsetMs(wall + DAY);
    if (before === after) return wall - before;
    for (let t = wall - Math.max(before, after) - 60 * MINUTE; ; t += MINUTE) {
      if (t + offsetMs(t) >= wall) return t;
    }
  }

  function intervalsOfDate(date: string): Interval[] {
    const midnight = Date.parse(`${date}T00:00:00Z`);
    const out: Interval[] = [];
    for (const [a, b] of localHours(date)) {
      const start = wallToUtc(midnight + minutesOf(a) * MINUTE);
      const end = wallToUtc(midnight + minutesOf(b) * MINUTE);
      if (end > start) out.push([start, end]);
    }
    return out;
  }

  const localDate = (t: number): string => DateTime.fromMillis(t, { zone }).toISODate() as string;
  const nextDate = (date: string): string => DateTime.fromISO(date, { zone: "utc" }).plus({ days: 1 }).toISODate() as string;
  const endOfDay = (date: string): number | undefined => intervalsOfDate(date).at(-1)?.[1];

  function addWorkingMinutes(start: number, minutes: number): number {
    let remaining = Math.round(minutes * MINUTE);
    let date = localDate(start);
    for (let i = 0; i < MAX_DAYS; i++, date = nextDate(date)) {
      for (const [a, b] of intervalsOfDate(date)) {
        const from = Math.max(a, start);
        if (from >= b) continue;
        if (remaining <= b - from) return from + remaining;
        remaining -= b - from;
      }
    }
    throw new RangeError("naive calendar: no working time found");
  }

  function workingMinutesBetween(from: number, to: number): number {
    if (to < from) return 0 - workingMinutesBetween(to, from);
    const last = localDate(to);
    let ms = 0;
    for (let date = localDate(from); ; date = nextDate(date)) {
      for (const [a, b] of intervalsOfDate(date)) ms += Math.max(0, Math.min(b, to) - Math.max(a, from));
      if (date === last) return ms / MINUTE;
    }
  }

  function isWorkingInstant(t: number): boolean {
    return intervalsOfDate(localDate(t)).some(([a, b]) => a <= t && t < b);
  }

  function nextWorkingInstant(t: number): number {
    let date = localDate(t);
    for (let i = 0; i < MAX_DAYS; i++, date = nextDate(date)) {
      for (const [a, b] of intervalsOfDate(date)) if (b > t) return Math.max(a, t);
    }
    throw new RangeError("naive calendar: no working time found");
  }

  function nextWorkingDay(date: string): string {
    for (let i = 0; i < MAX_DAYS; i++) {
      date = nextDate(date);
      if (intervalsOfDate(date).length > 0) return date;
    }
    throw new RangeError("naive calendar: no working day found");
  }

  function addDuration(start: number, duration: Duration): number {
    switch (duration.unit) {
      case "working_days":
        return addWorkingMinutes(start, duration.value * rules.workingDayMinutes);
      case "working_hours":
        return addWorkingMinutes(start, duration.value * 60);
      case "calendar_days": {
        // Civil Code 2015 art. 148(5): a period ending on a rest day ends with the next working day.
        const received = localDate(nextWorkingInstant(start));
        let due = DateTime.fromISO(received, { zone: "utc" }).plus({ days: duration.value }).toISODate() as string;
        if (intervalsOfDate(due).length === 0) due = nextWorkingDay(due);
        return endOfDay(due) as number;
      }
      case "same_day": {
        const receivedAt = nextWorkingInstant(start);
        const received = localDate(receivedAt);
        const cutoff = wallToUtc(Date.parse(`${received}T00:00:00Z`) + minutesOf(rules.sameDayCutoff) * MINUTE);
        return endOfDay(receivedAt < cutoff ? received : nextWorkingDay(received)) as number;
      }
    }
  }

  return { isWorkingInstant, nextWorkingInstant, addWorkingMinutes, workingMinutesBetween, addDuration, intervalsOfDate };
}
