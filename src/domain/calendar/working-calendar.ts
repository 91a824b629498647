/**
 * The working-time engine: every "when is it due?" and "how much working time between?" question
 * of DOMAIN.md §4 is answered here, after biz (STYLE.md): weekly hours + dated exceptions + a zone.
 *
 * Pure domain code: no I/O, no clock reads. Instants are epoch milliseconds (plain numbers) so the
 * hot path allocates nothing; callers convert ISO strings at the edges.
 *
 * How it is fast. For each calendar year that a query touches, the engine builds (once, lazily) a
 * table of that year's working intervals as UTC milliseconds, in order, with a prefix sum of the
 * working time before each interval. "Add m minutes" is then one binary search to find where the
 * start sits, an addition, and one binary search over the prefix sums to find where the budget is
 * used up: O(log intervals), no luxon, no allocation. Working time is kept as integer milliseconds
 * so the arithmetic is exact (times of day are whole minutes; starts may carry seconds).
 *
 * Time zones and DST. Local wall-clock bounds are converted to UTC with the zone's offsets (read
 * through luxon when a year's table is built). A local time is mapped to *the first instant at
 * which the local clock shows that time or a later one*:
 *  - an ordinary time maps to its only instant;
 *  - a time that does not exist (skipped when clocks go forward) maps to the instant of the jump,
 *    e.g. Europe/Paris 2025-03-30 02:30 -> 03:00 CEST (01:00Z): an interval 02:30–03:15 holds
 *    15 working minutes that day, and 02:00–03:00 holds none;
 *  - a time that occurs twice (clocks go back) maps to its first occurrence, so an interval lasts
 *    as long as people actually work: 02:30–03:30 on 2025-10-26 in Paris is 2 h of working time.
 * The mapping never decreases, so intervals never invert. Offsets are sampled every 3 days and
 * each change is located to the millisecond: the engine assumes a zone never changes its offset
 * and changes it back within 3 days (true of every zone in the IANA database since 1970).
 */
import { IANAZone } from "luxon";
import { DAY_KINDS, DAY_SOURCES, DURATION_UNITS, WEEKDAYS } from "./calendar-types.js";
import type { CalendarRules, DatedDay, DayKind, DaysOfYear, Duration } from "./calendar-types.js";
import {
  parseDayHours,
  parseTimeOfDay,
  validateDayHours,
  validateTimeOfDay,
  validateWeeklyHours,
} from "./hours.js";
import type { FieldViolation, MinuteInterval } from "./hours.js";

/** Years the engine computes in. Wide enough for any dossier; bounded so bad input cannot exhaust memory. */
export const MIN_SUPPORTED_YEAR = 1900;
export const MAX_SUPPORTED_YEAR = 2999;
/** A calendar with this many consecutive years without working time is treated as having none. */
export const MAX_CONSECUTIVE_EMPTY_YEARS = 10;

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const AVERAGE_YEAR_MS = 365.2425 * DAY_MS;
/** How often a year's UTC offset is sampled when looking for DST changes (see the file comment). */
const OFFSET_SAMPLE_STEP_MS = 3 * DAY_MS;
/** No calendar can hold more working time than this: larger budgets are refused before any walk. */
const MAX_WORKING_MS = (MAX_SUPPORTED_YEAR - MIN_SUPPORTED_YEAR + 1) * 366 * DAY_MS;

export const WORKING_CALENDAR_ERROR_CODES = [
  /** The calendar rules are invalid; `fields` says where (HTTP 400). */
  "invalid_rules",
  /** The dated days returned by `daysOfYear` are malformed (a data error, not a client error). */
  "invalid_days",
  "invalid_instant",
  "invalid_date",
  /** A duration that is not positive and finite, an unknown unit, fractional calendar days. */
  "invalid_duration",
  /** Outside MIN_SUPPORTED_YEAR..MAX_SUPPORTED_YEAR. */
  "out_of_range",
  /** The calendar has no working time (at all, or for MAX_CONSECUTIVE_EMPTY_YEARS years). */
  "no_working_time",
  /** `endOfWorkingDay` asked about a date without working time. */
  "not_a_working_date",
] as const;
export type WorkingCalendarErrorCode = (typeof WORKING_CALENDAR_ERROR_CODES)[number];

/** Every refusal of the engine; a RangeError with a stable `code` for the HTTP error mapper. */
export class WorkingCalendarError extends RangeError {
  override readonly name = "WorkingCalendarError";
  readonly code: WorkingCalendarErrorCode;
  readonly fields: readonly FieldViolation[];

  constructor(code: WorkingCalendarErrorCode, message: string, fields: readonly FieldViolation[] = []) {
    super(message);
    this.code = code;
    this.fields = fields;
  }
}

export interface WorkingCalendar {
  readonly rules: CalendarRules;
  /** Whether t lies inside [start, end) of a working interval. */
  isWorkingInstant(t: number): boolean;
  /** t itself if it is working time, else the start of the next working interval. */
  nextWorkingInstant(t: number): number;
  /**
   * The earliest instant t >= start with workingMinutesBetween(start, t) = minutes (DOMAIN.md §4
   * "the due instant is the moment the last working minute is used up": 480 minutes from 07:30
   * on a full day end at 17:00 that day, not at the next opening). A start outside working time
   * thus counts from the next working instant. `minutes` > 0, may be fractional (kept to the ms).
   */
  addWorkingMinutes(start: number, minutes: number): number;
  /** Working minutes in [from, to); negative if to < from. Fractional when bounds carry seconds. */
  workingMinutesBetween(from: number, to: number): number;
  /** The due instant of a duration received at `start` (DOMAIN.md §4, see `addDuration` below). */
  addDuration(start: number, duration: Duration): number;
  /** The local date (YYYY-MM-DD in rules.timeZone) of an instant. */
  localDate(t: number): string;
  /** Whether the date has any working time (weekly hours, then dated exceptions). */
  isWorkingDate(date: string): boolean;
  /** Working minutes of the date, as elapsed time (differs from the wall-clock sum on a DST day). */
  workingMinutesOfDate(date: string): number;
  /**
   * The end of the date's last working interval.
   * @throws WorkingCalendarError `not_a_working_date` when the date has no working time.
   */
  endOfWorkingDay(date: string): number;
  /** The first date strictly after `date` that has working time. */
  nextWorkingDate(date: string): string;
  /** The last date strictly before `date` that has working time. */
  previousWorkingDate(date: string): string;
}

/**
 * Builds the engine for one calendar. The rules are validated now (WorkingCalendarError
 * `invalid_rules` with `fields`); `daysOfYear` is called lazily, once per year a query touches,
 * and its answers are kept: create a new engine when the calendar's days change.
 *
 * `daysOfYear(year)` entries dated in another year are ignored; if a date appears twice, the
 * higher source (`override` > `official` > `rule`) wins, then the later entry.
 */
export function createWorkingCalendar(rules: CalendarRules, daysOfYear: DaysOfYear): WorkingCalendar {
  return new TableWorkingCalendar(rules, daysOfYear);
}

/** One calendar year of working time, as UTC milliseconds. */
interface YearTable {
  readonly year: number;
  /** Days since 1970-01-01 of 1 January. */
  readonly firstDay: number;
  readonly dayCount: number;
  /** The first instant of the year (local midnight, 1 January) and of the next year. */
  readonly start: number;
  readonly end: number;
  /** dayStart[d] = first instant of local day d; dayStart[dayCount] = end. */
  readonly dayStart: Float64Array;
  /** The instant at which the clock shows the same-day cut-off on day d. */
  readonly dayCutoff: Float64Array;
  /** Day d owns intervals dayFirstInterval[d] .. dayFirstInterval[d + 1] - 1. */
  readonly dayFirstInterval: Int32Array;
  readonly intervalCount: number;
  readonly intervalStart: Float64Array;
  readonly intervalEnd: Float64Array;
  /** cumulative[i] = working ms of the year before interval i; cumulative[intervalCount] = total. */
  readonly cumulative: Float64Array;
  readonly total: number;
}

interface DayException {
  readonly kind: DayKind;
  /** null: the standard weekday hours (a make-up Saturday works like a normal weekday). */
  readonly hours: readonly MinuteInterval[] | null;
}

class TableWorkingCalendar implements WorkingCalendar {
  readonly rules: CalendarRules;
  private readonly daysOfYear: DaysOfYear;
  private readonly zone: IANAZone;
  /** Indexed by weekday, Monday = 0 (as WEEKDAYS). */
  private readonly weekly: readonly (readonly MinuteInterval[])[];
  private readonly standardHours: readonly MinuteInterval[];
  private readonly cutoffMinutes: number;
  /** Built year tables, indexed by year - MIN_SUPPORTED_YEAR. */
  private readonly years: (YearTable | undefined)[];

  constructor(rules: CalendarRules, daysOfYear: DaysOfYear) {
    const violations = validateCalendarRules(rules);
    if (violations.length > 0) {
      throw new WorkingCalendarError(
        "invalid_rules",
        `Invalid calendar rules: ${violations.map((v) => `${v.field}: ${v.message}`).join("; ")}`,
        violations,
      );
    }
    if (typeof daysOfYear !== "function") {
      throw new WorkingCalendarError("invalid_rules", "daysOfYear must be a function (year) => DatedDay[]");
    }
    this.rules = rules;
    this.daysOfYear = daysOfYear;
    this.zone = IANAZone.create(rules.timeZone);
    this.weekly = WEEKDAYS.map((day) => parseDayHours(rules.weeklyHours[day]));
    this.standardHours = standardWeekdayHours(this.weekly);
    this.cutoffMinutes = parseTimeOfDay(rules.sameDayCutoff) as number;
    this.years = new Array<YearTable | undefined>(MAX_SUPPORTED_YEAR - MIN_SUPPORTED_YEAR + 1).fill(undefined);
  }

  // ---- instants (the hot path: no allocation, no luxon) -------------------------------------

  isWorkingInstant(t: number): boolean {
    checkInstant(t);
    const table = this.tableAt(t);
    const i = firstGreater(table.intervalEnd, table.intervalCount, t);
    return i < table.intervalCount && (table.intervalStart[i] as number) <= t;
  }

  nextWorkingInstant(t: number): number {
    checkInstant(t);
    const table = this.tableAt(t);
    const i = firstGreater(table.intervalEnd, table.intervalCount, t);
    if (i < table.intervalCount) return Math.max(t, table.intervalStart[i] as number);
    return this.nextNonEmptyTable(table).intervalStart[0] as number;
  }

  addWorkingMinutes(start: number, minutes: number): number {
    checkInstant(start);
    return this.addWorkingMs(start, workingMs(minutes, MINUTE_MS, "minutes"));
  }

  workingMinutesBetween(from: number, to: number): number {
    checkInstant(from);
    checkInstant(to);
    // 0 - x rather than -x: no -0 when a backwards span holds no working time.
    if (to < from) return 0 - this.workingMsBetween(to, from) / MINUTE_MS;
    return this.workingMsBetween(from, to) / MINUTE_MS;
  }

  /**
   * DOMAIN.md §4 units:
   * - `working_days`: value × rules.workingDayMinutes of working time (0.25 and 3.5 days are
   *   exact; never rounded to whole days);
   * - `working_hours`: value × 60 working minutes;
   * - `calendar_days`: a whole number of days (a fractional one is refused, never rounded)
   *   added to the local date of the first working instant; due at the end of that date's working
   *   time, or, if that date is not a working day, at the end of the next working day
   *   (Civil Code 2015 art. 148(5));
   * - `same_day`: received (moved to the next working instant) before rules.sameDayCutoff -> end
   *   of that working day; at or after it -> end of the next working day. The value is ignored.
   */
  addDuration(start: number, duration: Duration): number {
    checkInstant(start);
    if (typeof duration !== "object" || duration === null) {
      throw new WorkingCalendarError("invalid_duration", "A duration must be { value, unit }");
    }
    switch (duration.unit) {
      case "working_days":
        return this.addWorkingMs(
          start,
          workingMs(duration.value, this.rules.workingDayMinutes * MINUTE_MS, "working_days duration"),
        );
      case "working_hours":
        return this.addWorkingMs(start, workingMs(duration.value, HOUR_MS, "working_hours duration"));
      case "calendar_days":
        return this.addCalendarDays(start, duration.value);
      case "same_day":
        return this.sameDayDue(start);
      default:
        throw new WorkingCalendarError(
          "invalid_duration",
          `Unknown duration unit ${JSON.stringify((duration as { unit: unknown }).unit)} (expected one of ${DURATION_UNITS.join(", ")})`,
        );
    }
  }

  // ---- dates ---------------------------------------------------------------------------------

  localDate(t: number): string {
    checkInstant(t);
    const table = this.tableAt(t);
    return formatEpochDay(table.firstDay + dayIndexAt(table, t));
  }

  isWorkingDate(date: string): boolean {
    const { table, index } = this.locateDate(date);
    return hasWorkingTime(table, index);
  }

  workingMinutesOfDate(date: string): number {
    const { table, index } = this.locateDate(date);
    let ms = 0;
    for (let i = table.dayFirstInterval[index] as number; i < (table.dayFirstInterval[index + 1] as number); i++) {
      ms += (table.intervalEnd[i] as number) - (table.intervalStart[i] as number);
    }
    return ms / MINUTE_MS;
  }

  endOfWorkingDay(date: string): number {
    const { table, index } = this.locateDate(date);
    if (!hasWorkingTime(table, index)) {
      throw new WorkingCalendarError("not_a_working_date", `${date} has no working time in this calendar`);
    }
    return endOfDay(table, index);
  }

  nextWorkingDate(date: string): string {
    const { table, index } = this.locateDate(date);
    const next = this.firstWorkingDayFrom(table, index + 1);
    return formatEpochDay(next.table.firstDay + next.index);
  }

  previousWorkingDate(date: string): string {
    const before = parseEpochDay(date) - 1;
    // Days, not tables, going back: as far as nextNonEmptyTable looks forward.
    for (let day = before; day > before - MAX_CONSECUTIVE_EMPTY_YEARS * 366; day--) {
      const { table, index } = this.locateEpochDay(day);
      if (hasWorkingTime(table, index)) return formatEpochDay(day);
    }
    throw new WorkingCalendarError(
      "no_working_time",
      `The calendar has no working time in the ${MAX_CONSECUTIVE_EMPTY_YEARS} years before ${date} (check its weekly hours and days off)`,
    );
  }

  // ---- internals -------------------------------------------------------------------------------

  private addWorkingMs(start: number, ms: number): number {
    let table = this.tableAt(start);
    let target = workedBefore(table, start) + ms;
    // Years without working time have total 0 and are skipped by nextNonEmptyTable.
    while (target > table.total) {
      target -= table.total;
      table = this.nextNonEmptyTable(table);
    }
    // The earliest instant: the first interval whose cumulative end reaches the target, so a
    // budget used up exactly at 17:00 ends at 17:00, not at the next opening (DOMAIN.md §4).
    const cumulative = table.cumulative;
    let lo = 0;
    let hi = table.intervalCount - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid + 1] as number) >= target) hi = mid;
      else lo = mid + 1;
    }
    return (table.intervalStart[lo] as number) + (target - (cumulative[lo] as number));
  }

  /** Working ms in [from, to) for from <= to. */
  private workingMsBetween(from: number, to: number): number {
    const first = this.tableAt(from);
    const last = this.tableAt(to);
    if (first === last) return workedBefore(last, to) - workedBefore(first, from);
    let ms = first.total - workedBefore(first, from);
    for (let year = first.year + 1; year < last.year; year++) ms += this.table(year).total;
    return ms + workedBefore(last, to);
  }

  private addCalendarDays(start: number, value: number): number {
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
      throw new WorkingCalendarError(
        "invalid_duration",
        `A calendar_days duration must be a positive whole number of days, got ${String(value)}`,
      );
    }
    // A fraction of a calendar day has no meaning in law (the period counts whole days, Civil
    // Code 2015 art. 147–148); refuse it rather than silently rounding someone's deadline.
    if (!Number.isInteger(value)) {
      throw new WorkingCalendarError(
        "invalid_duration",
        `A calendar_days duration must be a whole number of days, got ${value}; use working_days or working_hours for fractions`,
      );
    }
    const received = this.nextWorkingInstant(start);
    const table = this.tableAt(received);
    const dueDay = table.firstDay + dayIndexAt(table, received) + value;
    const due = this.locateEpochDay(dueDay);
    // Civil Code 2015 art. 148(5): a period ending on a rest day ends at the end of the next working day.
    const end = this.firstWorkingDayFrom(due.table, due.index);
    return endOfDay(end.table, end.index);
  }

  private sameDayDue(start: number): number {
    const received = this.nextWorkingInstant(start);
    const table = this.tableAt(received);
    const index = dayIndexAt(table, received);
    if (received < (table.dayCutoff[index] as number)) return endOfDay(table, index);
    const next = this.firstWorkingDayFrom(table, index + 1);
    return endOfDay(next.table, next.index);
  }

  /** The first day with working time at or after day `index` of `table` (index may be dayCount). */
  private firstWorkingDayFrom(table: YearTable, index: number): { table: YearTable; index: number } {
    let current = table;
    let i = index;
    for (;;) {
      for (; i < current.dayCount; i++) if (hasWorkingTime(current, i)) return { table: current, index: i };
      current = this.nextNonEmptyTable(current);
      i = 0;
    }
  }

  private nextNonEmptyTable(table: YearTable): YearTable {
    for (let k = 1; k <= MAX_CONSECUTIVE_EMPTY_YEARS; k++) {
      const next = this.table(table.year + k);
      if (next.intervalCount > 0) return next;
    }
    throw new WorkingCalendarError(
      "no_working_time",
      `The calendar has no working time from ${table.year + 1} to ${table.year + MAX_CONSECUTIVE_EMPTY_YEARS}` +
        " (check its weekly hours and days off)",
    );
  }

  private locateDate(date: string): { table: YearTable; index: number } {
    return this.locateEpochDay(parseEpochDay(date));
  }

  private locateEpochDay(epochDay: number): { table: YearTable; index: number } {
    const table = this.table(new Date(epochDay * DAY_MS).getUTCFullYear());
    return { table, index: epochDay - table.firstDay };
  }

  /** The year table containing instant t. */
  private tableAt(t: number): YearTable {
    // A guess from the mean Gregorian year, corrected by at most a step or two at year ends.
    let year = Math.floor(t / AVERAGE_YEAR_MS) + 1970;
    for (;;) {
      const table = this.table(year);
      if (t < table.start) year--;
      else if (t >= table.end) year++;
      else return table;
    }
  }

  private table(year: number): YearTable {
    const cached = this.years[year - MIN_SUPPORTED_YEAR];
    if (cached !== undefined) return cached;
    if (!(year >= MIN_SUPPORTED_YEAR && year <= MAX_SUPPORTED_YEAR)) {
      throw new WorkingCalendarError(
        "out_of_range",
        `Year ${year} is outside the years the calendar engine supports (${MIN_SUPPORTED_YEAR}–${MAX_SUPPORTED_YEAR})`,
      );
    }
    const built = this.buildYear(year);
    this.years[year - MIN_SUPPORTED_YEAR] = built;
    return built;
  }

  private buildYear(year: number): YearTable {
    const offsets = offsetSegmentsOfYear(this.zone, year);
    const exceptions = this.exceptionsOfYear(year);
    const firstDay = Date.UTC(year, 0, 1) / DAY_MS;
    const dayCount = Date.UTC(year + 1, 0, 1) / DAY_MS - firstDay;
    const dayStart = new Float64Array(dayCount + 1);
    const dayCutoff = new Float64Array(dayCount);
    const dayFirstInterval = new Int32Array(dayCount + 1);
    const starts: number[] = [];
    const ends: number[] = [];
    for (let d = 0; d < dayCount; d++) {
      const epochDay = firstDay + d;
      const wallMidnight = epochDay * DAY_MS;
      dayStart[d] = wallToInstant(offsets, wallMidnight);
      dayCutoff[d] = wallToInstant(offsets, wallMidnight + this.cutoffMinutes * MINUTE_MS);
      dayFirstInterval[d] = starts.length;
      const dayFirst = starts.length;
      for (const [startMinute, endMinute] of this.localHours(epochDay, exceptions)) {
        const s = wallToInstant(offsets, wallMidnight + startMinute * MINUTE_MS);
        const e = wallToInstant(offsets, wallMidnight + endMinute * MINUTE_MS);
        if (e <= s) continue; // wholly inside a skipped DST hour: no working time
        const last = ends.length - 1;
        // Intervals of one day that touch (or do after a DST jump) become one; days stay apart
        // so that each interval belongs to exactly one local date.
        if (last >= dayFirst && s <= (ends[last] as number)) ends[last] = Math.max(ends[last] as number, e);
        else {
          starts.push(s);
          ends.push(e);
        }
      }
    }
    dayStart[dayCount] = wallToInstant(offsets, (firstDay + dayCount) * DAY_MS);
    dayFirstInterval[dayCount] = starts.length;
    const intervalCount = starts.length;
    const cumulative = new Float64Array(intervalCount + 1);
    for (let i = 0; i < intervalCount; i++) {
      cumulative[i + 1] = (cumulative[i] as number) + (ends[i] as number) - (starts[i] as number);
    }
    return {
      year,
      firstDay,
      dayCount,
      start: dayStart[0] as number,
      end: dayStart[dayCount] as number,
      dayStart,
      dayCutoff,
      dayFirstInterval,
      intervalCount,
      intervalStart: Float64Array.from(starts),
      intervalEnd: Float64Array.from(ends),
      cumulative,
      total: cumulative[intervalCount] as number,
    };
  }

  /** Weekly hours, then the dated exception (DOMAIN.md §4: a make-up Saturday uses the standard weekday hours). */
  private localHours(epochDay: number, exceptions: ReadonlyMap<number, DayException>): readonly MinuteInterval[] {
    const exception = exceptions.get(epochDay);
    if (exception === undefined) return this.weekly[weekdayIndex(epochDay)] as readonly MinuteInterval[];
    if (exception.kind === "day_off") return [];
    return exception.hours ?? this.standardHours;
  }

  private exceptionsOfYear(year: number): Map<number, DayException> {
    const days: readonly DatedDay[] = this.daysOfYear(year);
    const chosen = new Map<number, { day: DatedDay; rank: number; field: string }>();
    if (!Array.isArray(days)) {
      throw new WorkingCalendarError("invalid_days", `daysOfYear(${year}) did not return a list`);
    }
    days.forEach((day, i) => {
      const field = `daysOfYear(${year})[${i}]`;
      let epochDay: number;
      try {
        epochDay = parseEpochDay(day.date);
      } catch {
        throw new WorkingCalendarError("invalid_days", `${field}.date: ${JSON.stringify(day.date)} is not a YYYY-MM-DD date`);
      }
      if (day.date.slice(0, 4) !== String(year).padStart(4, "0")) return; // another year's day: ignored
      if (!(DAY_KINDS as readonly string[]).includes(day.kind)) {
        throw new WorkingCalendarError("invalid_days", `${field}.kind: ${JSON.stringify(day.kind)} is not one of ${DAY_KINDS.join(", ")}`);
      }
      if (day.kind === "working_day" && day.hours !== undefined) {
        const violations = validateDayHours(day.hours, `${field}.hours`);
        if (violations.length > 0) {
          throw new WorkingCalendarError(
            "invalid_days",
            `Invalid hours for ${day.date}: ${violations.map((v) => `${v.field}: ${v.message}`).join("; ")}`,
            violations,
          );
        }
      }
      const rank = (DAY_SOURCES as readonly string[]).indexOf(day.source);
      const previous = chosen.get(epochDay);
      if (previous === undefined || rank >= previous.rank) chosen.set(epochDay, { day, rank, field });
    });
    const exceptions = new Map<number, DayException>();
    for (const [epochDay, { day, field }] of chosen) {
      // An empty list of own hours is read as "no own hours": a working day always works.
      const own = day.kind === "working_day" && day.hours !== undefined && day.hours.length > 0;
      exceptions.set(epochDay, { kind: day.kind, hours: own ? parseDayHours(day.hours ?? [], `${field}.hours`) : null });
    }
    return exceptions;
  }
}

// ---- rules ------------------------------------------------------------------------------------

/** Every problem with a calendar's rules, as field violations (empty = valid). */
export function validateCalendarRules(rules: CalendarRules): FieldViolation[] {
  if (typeof rules !== "object" || rules === null) return [{ field: "", message: "calendar rules are required" }];
  const violations: FieldViolation[] = [];
  if (typeof rules.timeZone !== "string" || !IANAZone.isValidZone(rules.timeZone)) {
    violations.push({ field: "timeZone", message: `${JSON.stringify(rules.timeZone)} is not an IANA time zone` });
  }
  violations.push(...validateWeeklyHours(rules.weeklyHours));
  violations.push(...validateTimeOfDay(rules.sameDayCutoff, "sameDayCutoff"));
  if (typeof rules.workingDayMinutes !== "number" || !Number.isFinite(rules.workingDayMinutes) || rules.workingDayMinutes <= 0) {
    violations.push({ field: "workingDayMinutes", message: "must be a positive number of minutes" });
  }
  return violations;
}

/**
 * DOMAIN.md §4: a dated working day without its own hours works "the standard weekday hours":
 * the pattern shared by the most non-empty weekdays (Mon–Fri 07:30–11:30, 13:00–17:00 for the
 * default calendar); a tie goes to the pattern seen first from Monday. None: no working time.
 */
function standardWeekdayHours(weekly: readonly (readonly MinuteInterval[])[]): readonly MinuteInterval[] {
  const patterns = new Map<string, { count: number; hours: readonly MinuteInterval[] }>();
  for (const hours of weekly) {
    if (hours.length === 0) continue;
    const key = JSON.stringify(hours);
    const entry = patterns.get(key);
    if (entry === undefined) patterns.set(key, { count: 1, hours });
    else entry.count++;
  }
  let best: { count: number; hours: readonly MinuteInterval[] } | undefined;
  for (const entry of patterns.values()) if (best === undefined || entry.count > best.count) best = entry;
  return best?.hours ?? [];
}

// ---- small pure helpers -----------------------------------------------------------------------

function checkInstant(t: number): void {
  if (typeof t !== "number" || !Number.isFinite(t)) {
    throw new WorkingCalendarError("invalid_instant", `An instant must be a finite number of epoch milliseconds, got ${String(t)}`);
  }
}

/** A positive budget as integer milliseconds of working time. */
function workingMs(value: number, unitMs: number, what: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new WorkingCalendarError("invalid_duration", `The ${what} must be a positive finite number, got ${String(value)}`);
  }
  const ms = Math.round(value * unitMs);
  if (ms < 1) throw new WorkingCalendarError("invalid_duration", `The ${what} (${value}) is shorter than one millisecond`);
  if (ms > MAX_WORKING_MS) {
    throw new WorkingCalendarError("out_of_range", `The ${what} (${value}) reaches beyond year ${MAX_SUPPORTED_YEAR}`);
  }
  return ms;
}

/** First index i in [0, n) with values[i] > x, or n. */
function firstGreater(values: Float64Array, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] as number) > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Working ms of the year before instant t (t inside the table's year). */
function workedBefore(table: YearTable, t: number): number {
  const i = firstGreater(table.intervalEnd, table.intervalCount, t);
  if (i === table.intervalCount) return table.total;
  const start = table.intervalStart[i] as number;
  return (table.cumulative[i] as number) + (t > start ? t - start : 0);
}

/** The local day of the year containing t (the last day starting at or before t). */
function dayIndexAt(table: YearTable, t: number): number {
  return firstGreater(table.dayStart, table.dayCount + 1, t) - 1;
}

function hasWorkingTime(table: YearTable, index: number): boolean {
  return (table.dayFirstInterval[index + 1] as number) > (table.dayFirstInterval[index] as number);
}

/** End of the last working interval of a day that has one. */
function endOfDay(table: YearTable, index: number): number {
  return table.intervalEnd[(table.dayFirstInterval[index + 1] as number) - 1] as number;
}

/** Monday = 0 … Sunday = 6; 1970-01-01 (epoch day 0) was a Thursday. */
function weekdayIndex(epochDay: number): number {
  return (((epochDay + 3) % 7) + 7) % 7;
}

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

function parseEpochDay(date: string): number {
  if (typeof date === "string" && LOCAL_DATE.test(date)) {
    const epochDay = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
    // Round-tripping refuses 2025-02-30 and 2025-13-01 (Date.UTC would roll them over).
    if (Number.isInteger(epochDay) && formatEpochDay(epochDay) === date) return epochDay;
  }
  throw new WorkingCalendarError("invalid_date", `${JSON.stringify(date)} is not a valid YYYY-MM-DD date`);
}

function formatEpochDay(epochDay: number): string {
  return new Date(epochDay * DAY_MS).toISOString().slice(0, 10);
}

// ---- time zones -------------------------------------------------------------------------------

/**
 * A zone's UTC offsets around one year: segment k covers [starts[k], starts[k + 1]) with offset
 * offsetsMs[k] (starts[0] = -Infinity; the last segment runs on).
 */
interface OffsetSegments {
  readonly starts: readonly number[];
  readonly offsetsMs: readonly number[];
}

/** Offsets depend only on the zone and the tz database, so they are shared by every calendar. */
const offsetCache = new Map<string, Map<number, OffsetSegments>>();

function offsetSegmentsOfYear(zone: IANAZone, year: number): OffsetSegments {
  let byYear = offsetCache.get(zone.name);
  if (byYear === undefined) {
    byYear = new Map();
    offsetCache.set(zone.name, byYear);
  }
  const cached = byYear.get(year);
  if (cached !== undefined) return cached;
  // Two days of margin: every local time of the year is within 14 h of its UTC reading.
  const from = Date.UTC(year, 0, 1) - 2 * DAY_MS;
  const to = Date.UTC(year + 1, 0, 1) + 2 * DAY_MS;
  const offsetMs = (t: number): number => Math.round(zone.offset(t) * MINUTE_MS);
  const starts = [-Infinity];
  const offsetsMs = [offsetMs(from)];
  let a = from;
  let offsetA = offsetsMs[0] as number;
  while (a < to) {
    const b = Math.min(a + OFFSET_SAMPLE_STEP_MS, to);
    const offsetB = offsetMs(b);
    // Locate each change between a and b to the millisecond (tz changes are at whole seconds).
    while (offsetA !== offsetB) {
      let lo = a;
      let hi = b;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (offsetMs(mid) === offsetA) lo = mid;
        else hi = mid;
      }
      a = hi;
      offsetA = offsetMs(hi);
      starts.push(hi);
      offsetsMs.push(offsetA);
    }
    a = b;
  }
  const segments: OffsetSegments = { starts, offsetsMs };
  byYear.set(year, segments);
  return segments;
}

/**
 * The first instant at which the local clock shows `wall` (local wall-clock time written as if it
 * were UTC milliseconds) or a later time. See the file comment for why (DST gaps and overlaps).
 */
function wallToInstant(segments: OffsetSegments, wall: number): number {
  const { starts, offsetsMs } = segments;
  const n = starts.length;
  // Segments are in time order, so the first segment that contains its candidate gives the
  // earliest instant (the first occurrence of a repeated hour).
  for (let k = 0; k < n; k++) {
    const t = wall - (offsetsMs[k] as number);
    if (t >= (starts[k] as number) && (k + 1 === n || t < (starts[k + 1] as number))) return t;
  }
  // The time was skipped: the clock jumped from before it to after it at a transition.
  for (let k = 1; k < n; k++) {
    const transition = starts[k] as number;
    if (transition + (offsetsMs[k - 1] as number) <= wall && wall < transition + (offsetsMs[k] as number)) {
      return transition;
    }
  }
  throw new Error(`Internal error: no instant for wall-clock time ${new Date(wall).toISOString()}`);
}
