/**
 * Local wall-clock times ("HH:mm") and working hours: parsing and validation.
 *
 * The HTTP layer answers 400 with `errors: [{ field, message }]` (API.md "Conventions"), so the
 * validators return every problem with a field path instead of throwing on the first one.
 * The engine (working-calendar.ts) only ever sees hours that passed these checks.
 */
import { WEEKDAYS } from "./calendar-types.js";
import type { HoursInterval, WeeklyHours } from "./calendar-types.js";

/** One failing field, in the shape of the problem+json `errors` list (API.md). */
export interface FieldViolation {
  readonly field: string;
  readonly message: string;
}

/** Minutes after local midnight: [start, end) with 0 <= start < end <= 1440. */
export type MinuteInterval = readonly [start: number, end: number];

export const MINUTES_PER_DAY = 1440;

/** Exactly two digits each: "7:30" is refused so that stored calendars have one spelling. */
const TIME_OF_DAY = /^(\d{2}):(\d{2})$/;

export interface TimeOfDayOptions {
  /**
   * Accept "24:00" (= 1440), the end of the day. Only meaningful as the end of a half-open
   * interval [start, end): no instant of the day is *at* 24:00, so a start or a cut-off cannot be.
   */
  readonly allowEndOfDay?: boolean;
}

/**
 * "HH:mm" (00:00–23:59, and "24:00" when `allowEndOfDay`) -> minutes after local midnight,
 * or null when the text is not such a time ("25:00", "7:30", "07:60", "ab").
 */
export function parseTimeOfDay(s: string, options: TimeOfDayOptions = {}): number | null {
  if (typeof s !== "string") return null;
  const match = TIME_OF_DAY.exec(s);
  if (match === null) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59) return null;
  if (hours === 24 && minutes === 0 && options.allowEndOfDay === true) return MINUTES_PER_DAY;
  if (hours > 23) return null;
  return hours * 60 + minutes;
}

function timeOfDayMessage(s: unknown, allowEndOfDay: boolean): string {
  const range = allowEndOfDay ? "00:00 to 24:00" : "00:00 to 23:59";
  return `${JSON.stringify(s)} is not a valid time of day (expected HH:mm from ${range})`;
}

/** Checks one "HH:mm" value, e.g. a calendar's `sameDayCutoff`. */
export function validateTimeOfDay(
  s: string,
  field: string,
  options: TimeOfDayOptions = {},
): FieldViolation[] {
  return parseTimeOfDay(s, options) === null
    ? [{ field, message: timeOfDayMessage(s, options.allowEndOfDay === true) }]
    : [];
}

/**
 * Checks the hours of one day (a weekday of the weekly pattern, or a dated working day's own
 * hours). Field paths: `${prefix}[i][0]` / `${prefix}[i][1]` for a malformed start / end,
 * `${prefix}[i]` for an interval that is empty, inverted, out of order or overlapping.
 *
 * Intervals are half-open [start, end) and must be listed in increasing order without overlap;
 * touching intervals (one ends when the next starts) are allowed.
 */
export function validateDayHours(
  hours: readonly HoursInterval[],
  fieldPrefix: string,
): FieldViolation[] {
  if (!Array.isArray(hours)) {
    return [{ field: fieldPrefix, message: "must be a list of [start, end] intervals" }];
  }
  const violations: FieldViolation[] = [];
  let previousEnd: number | null = null;
  hours.forEach((interval: unknown, i) => {
    const field = `${fieldPrefix}[${i}]`;
    if (!Array.isArray(interval) || interval.length !== 2) {
      violations.push({ field, message: 'must be a pair ["HH:mm", "HH:mm"]' });
      previousEnd = null;
      return;
    }
    const [startText, endText] = interval as unknown[];
    const start = parseTimeOfDay(startText as string);
    const end = parseTimeOfDay(endText as string, { allowEndOfDay: true });
    if (start === null) {
      violations.push({ field: `${field}[0]`, message: timeOfDayMessage(startText, false) });
    }
    if (end === null) {
      violations.push({ field: `${field}[1]`, message: timeOfDayMessage(endText, true) });
    }
    if (start === null || end === null) {
      previousEnd = null;
      return;
    }
    if (start >= end) {
      violations.push({
        field,
        message: `interval is empty or inverted: start ${String(startText)} must be before end ${String(endText)}`,
      });
    } else if (previousEnd !== null && start < previousEnd) {
      violations.push({
        field,
        message: `interval starts at ${String(startText)}, before the previous interval ends; intervals must be in increasing order and must not overlap`,
      });
    }
    previousEnd = previousEnd === null ? end : Math.max(previousEnd, end);
  });
  return violations;
}

/**
 * Checks a weekly pattern: every weekday present, each day valid as in `validateDayHours`
 * (fields `weeklyHours.mon[1]`, `weeklyHours.sat[0][1]`, …). An all-empty week is *valid* here;
 * the engine refuses to compute a deadline on a calendar that never has working time.
 */
export function validateWeeklyHours(value: WeeklyHours, fieldPrefix = "weeklyHours"): FieldViolation[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return [{ field: fieldPrefix, message: "must be an object with the hours of mon … sun" }];
  }
  const violations: FieldViolation[] = [];
  for (const day of WEEKDAYS) {
    const hours = (value as Partial<WeeklyHours>)[day];
    if (hours === undefined) {
      violations.push({ field: `${fieldPrefix}.${day}`, message: "is required (use [] for no working hours)" });
    } else {
      violations.push(...validateDayHours(hours, `${fieldPrefix}.${day}`));
    }
  }
  for (const key of Object.keys(value)) {
    if (!(WEEKDAYS as readonly string[]).includes(key)) {
      violations.push({ field: `${fieldPrefix}.${key}`, message: `is not a weekday (expected one of ${WEEKDAYS.join(", ")})` });
    }
  }
  return violations;
}

/**
 * Parses hours that are known to be valid into minute intervals.
 * @throws RangeError naming the first problem when they are not (validate first to get all).
 */
export function parseDayHours(hours: readonly HoursInterval[], fieldPrefix = "hours"): MinuteInterval[] {
  const violations = validateDayHours(hours, fieldPrefix);
  const first = violations[0];
  if (first !== undefined) throw new RangeError(`${first.field}: ${first.message}`);
  return hours.map(([start, end]): MinuteInterval => [
    parseTimeOfDay(start) as number,
    parseTimeOfDay(end, { allowEndOfDay: true }) as number,
  ]);
}

/**
 * Working minutes of a day with these (valid) hours, by the wall clock: 07:30–11:30 and
 * 13:00–17:00 give 480. On a DST change day the elapsed time can differ (see working-calendar.ts).
 */
export function dailyWorkingMinutes(hours: readonly HoursInterval[]): number {
  let total = 0;
  for (const [start, end] of parseDayHours(hours)) total += end - start;
  return total;
}
