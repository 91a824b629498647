/**
 * Use cases of working calendars: define them, set dated days, publish a year's official schedule,
 * list days with their provenance, preview a deadline, and hand a ready engine to whoever computes
 * a dossier's clock.
 */
import type {
  DatedDay,
  DayDocument,
  DaySource,
  Duration,
  WeeklyHours,
  HolidayRuleSet,
  DayKind,
  HoursInterval,
  PublishedDay,
  PublishedYear,
} from "../domain/calendar/calendar-types.js";
import { DEFAULT_CALENDAR_RULES, VN_CALENDAR_ID } from "../domain/calendar/calendar-defaults.js";
import { createWorkingCalendar, WorkingCalendarError, type WorkingCalendar } from "../domain/calendar/working-calendar.js";
import { dailyWorkingMinutes, validateDayHours, validateTimeOfDay, validateWeeklyHours } from "../domain/calendar/hours.js";
import { isProvisional, isValidIsoDate, listDays, resolveDaysOfYear } from "../domain/calendar/calendar-days.js";
import { VN_RULE_MAX_YEAR, VN_RULE_MIN_YEAR } from "../domain/calendar/vn-holidays.js";
import { notFound, ruleViolation, validationFailed, type FieldError } from "../domain/errors.js";
import { formatInstant, isValidTimeZone, parseInstant } from "../domain/time.js";
import type { CalendarRecord, CalendarRepository, CalendarSettings, PublicationOutcome, PublishedYearRecord } from "./catalog-ports.js";

export interface CalendarInput {
  readonly name: string;
  readonly timeZone: string;
  readonly weeklyHours: WeeklyHours;
  readonly sameDayCutoff: string;
  readonly workingDayMinutes?: number;
  readonly holidayRules?: HolidayRuleSet;
}

export interface DayInput {
  readonly kind: DayKind;
  readonly name: string;
  readonly hours?: readonly HoursInterval[];
}

/** PUT /v1/calendars/{id}/years/{year}: a year's official schedule and the notice that publishes it. */
export interface YearPublicationInput {
  readonly document: { readonly number: string; readonly date: string; readonly title?: string };
  readonly days: readonly PublishedDay[];
}

/** A day as GET …/days lists it (API.md): its provenance always spelled out. */
export interface ListedDay {
  readonly date: string;
  readonly kind: DayKind;
  readonly name: string;
  readonly source: DaySource;
  readonly provisional: boolean;
  readonly document: DayDocument | null;
  readonly hours?: readonly HoursInterval[];
}

export function toListedDay(day: DatedDay): ListedDay {
  return {
    date: day.date,
    kind: day.kind,
    name: day.name,
    source: day.source,
    provisional: isProvisional(day),
    document: day.document ?? null,
    ...(day.hours !== undefined ? { hours: day.hours } : {}),
  };
}

export interface DeadlinePreview {
  readonly start: string;
  /** The instant the clock starts: the next working instant at or after `start` (DOMAIN.md §4). */
  readonly countedFrom: string;
  readonly dueAt: string;
  readonly workingMinutes: number;
}

/** The holiday rules are reliable in this range (the lunar library breaks at the extremes); the engine keeps a year of margin. */
const yearSupported = (year: number) => year >= VN_RULE_MIN_YEAR + 1 && year <= VN_RULE_MAX_YEAR - 1;

/** A field error unless the instant falls in a year the calendars can count in. */
export function checkSupportedYear(ms: number, field: string): FieldError[] {
  return yearSupported(new Date(ms).getUTCFullYear()) ? [] : [{ field, message: `years ${VN_RULE_MIN_YEAR + 1}–${VN_RULE_MAX_YEAR - 1} are supported` }];
}

/** The longest range `GET …/days` lists at once; a wider one is refused rather than computed. */
export const MAX_DAY_LIST_YEARS = 10;

/** The built-in national calendar, created on first start (API.md "A built-in calendar `vn` exists"). */
export const VN_CALENDAR_SETTINGS: CalendarSettings = {
  name: "Việt Nam — lịch làm việc của cơ quan hành chính nhà nước",
  ...DEFAULT_CALENDAR_RULES,
  holidayRules: "vn",
};

/**
 * DOMAIN.md §4: "one working day = the calendar's standard working minutes per day". When a
 * calendar does not say, it is the daily total most weekdays share (480 for Mon–Fri 8 h).
 */
export function standardWorkingDayMinutes(weeklyHours: WeeklyHours): number {
  const counts = new Map<number, number>();
  for (const hours of Object.values(weeklyHours)) {
    const minutes = dailyWorkingMinutes(hours);
    if (minutes > 0) counts.set(minutes, (counts.get(minutes) ?? 0) + 1);
  }
  let best = DEFAULT_CALENDAR_RULES.workingDayMinutes;
  let bestCount = 0;
  for (const [minutes, n] of counts) {
    if (n > bestCount || (n === bestCount && minutes > best)) [best, bestCount] = [minutes, n];
  }
  return best;
}

export function createCalendarService(deps: {
  calendars: CalendarRepository;
  now: () => number;
  /**
   * Called after the calendar's days (from local date `from` on) or its hours (no `from`: all of
   * it) changed, so that the dossiers counted on it can be re-projected.
   */
  afterChange?: (calendarId: string, from?: string) => Promise<unknown>;
}) {
  const changed = async (id: string, from?: string) => {
    await deps.afterChange?.(id, from);
  };
  const { calendars } = deps;
  const engines = new Map<string, { revision: number; engine: WorkingCalendar }>();
  const stamp = () => formatInstant(deps.now());

  async function requireCalendar(id: string): Promise<CalendarRecord> {
    const calendar = await calendars.get(id);
    if (!calendar) throw notFound("Calendar", id);
    return calendar;
  }

  /** Days of a year as the calendar sees them: rules, built-in or published schedule, then overrides. */
  async function daysResolver(calendar: CalendarRecord): Promise<(year: number) => readonly DatedDay[]> {
    const overrides = await calendars.listOverrides(calendar.id);
    const published = await calendars.listPublishedYears(calendar.id);
    const cache = new Map<number, readonly DatedDay[]>();
    return (year) => {
      const cached = cache.get(year);
      if (cached) return cached;
      const days = resolveDaysOfYear(year, calendar.holidayRules, overrides, published);
      cache.set(year, days);
      return days;
    };
  }

  /** A ready engine for the calendar; rebuilt only when the calendar's revision changed. */
  async function engineFor(id: string): Promise<WorkingCalendar> {
    const calendar = await requireCalendar(id);
    const cached = engines.get(id);
    if (cached && cached.revision === calendar.revision) return cached.engine;
    const engine = createWorkingCalendar(
      {
        timeZone: calendar.timeZone,
        weeklyHours: calendar.weeklyHours,
        sameDayCutoff: calendar.sameDayCutoff,
        workingDayMinutes: calendar.workingDayMinutes,
      },
      await daysResolver(calendar),
    );
    engines.set(id, { revision: calendar.revision, engine });
    return engine;
  }

  function validateSettings(input: CalendarInput): FieldError[] {
    const errors: FieldError[] = [];
    if (!isValidTimeZone(input.timeZone)) errors.push({ field: "timeZone", message: `unknown IANA time zone "${input.timeZone}"` });
    errors.push(...validateWeeklyHours(input.weeklyHours));
    errors.push(...validateTimeOfDay(input.sameDayCutoff, "sameDayCutoff"));
    if (errors.length > 0) return errors;
    const total = Object.values(input.weeklyHours).reduce((sum, hours) => sum + dailyWorkingMinutes(hours), 0);
    if (total === 0) errors.push({ field: "weeklyHours", message: "a calendar needs working time on at least one weekday" });
    return errors;
  }

  return {
    engineFor,

    list: () => calendars.list(),
    get: requireCalendar,

    async put(id: string, input: CalendarInput) {
      const errors = validateSettings(input);
      if (errors.length > 0) throw validationFailed(errors);
      const existing = await calendars.get(id);
      const settings: CalendarSettings = {
        name: input.name,
        timeZone: input.timeZone,
        weeklyHours: input.weeklyHours,
        sameDayCutoff: input.sameDayCutoff,
        workingDayMinutes: input.workingDayMinutes ?? standardWorkingDayMinutes(input.weeklyHours),
        // The national holidays apply to every public agency in Vietnam unless a calendar opts out.
        holidayRules: input.holidayRules ?? existing?.holidayRules ?? "vn",
      };
      const result = await calendars.put(id, settings, stamp());
      if (!result.created) await changed(id);
      return result;
    },

    async putDay(id: string, date: string, input: DayInput) {
      await requireCalendar(id);
      const errors: FieldError[] = [];
      if (!isValidIsoDate(date)) errors.push({ field: "date", message: "must be a real date as YYYY-MM-DD" });
      if (input.hours !== undefined) {
        if (input.kind !== "working_day") errors.push({ field: "hours", message: "only a working_day has hours" });
        else errors.push(...validateDayHours(input.hours, "hours"));
      }
      if (errors.length > 0) throw validationFailed(errors);
      const result = await calendars.putOverride(id, { date, ...input }, stamp());
      await changed(id, date);
      return result;
    },

    async deleteDay(id: string, date: string) {
      await requireCalendar(id);
      if (!isValidIsoDate(date)) throw validationFailed([{ field: "date", message: "must be a real date as YYYY-MM-DD" }]);
      const deleted = await calendars.deleteOverride(id, date, stamp());
      if (!deleted) throw notFound("Day override", `${id}/${date}`);
      await changed(id, date);
    },

    /**
     * Publishes `year`'s official schedule in one operation (DOMAIN.md §7): it replaces the rule
     * proposal or built-in schedule of that year (and an earlier publication) entirely; days not
     * listed follow the weekly pattern; overrides still win. The same content again changes nothing.
     */
    async publishYear(id: string, year: number, input: YearPublicationInput): Promise<{ outcome: PublicationOutcome; published: PublishedYearRecord }> {
      await requireCalendar(id);
      const errors = validatePublication(year, input);
      if (errors.length > 0) throw validationFailed(errors);
      const days = input.days
        .map((day): PublishedDay => ({
          date: day.date,
          kind: day.kind,
          name: day.name,
          // An empty list of own hours means "the standard hours" (working-calendar.ts): not stored.
          ...(day.hours !== undefined && day.hours.length > 0 ? { hours: day.hours } : {}),
        }))
        .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
      const { number, date, title } = input.document;
      const published: PublishedYear = { year, document: { number, date, ...(title !== undefined ? { title } : {}) }, days };
      const result = await calendars.publishYear(id, published, stamp());
      if (result.outcome !== "unchanged") await changed(id, `${year}-01-01`);
      return result;
    },

    async getPublishedYear(id: string, year: number): Promise<PublishedYearRecord> {
      await requireCalendar(id);
      if (!Number.isInteger(year) || !yearSupported(year)) throw validationFailed([{ field: "year", message: supportedYearsMessage }]);
      const published = await calendars.getPublishedYear(id, year);
      if (!published) throw notFound("Published year", `${id}/${year}`);
      return published;
    },

    async listDays(id: string, from: string, to: string): Promise<ListedDay[]> {
      const calendar = await requireCalendar(id);
      const errors: FieldError[] = [];
      if (!isValidIsoDate(from)) errors.push({ field: "from", message: "must be a real date as YYYY-MM-DD" });
      if (!isValidIsoDate(to)) errors.push({ field: "to", message: "must be a real date as YYYY-MM-DD" });
      for (const [field, date] of [["from", from], ["to", to]] as const) {
        if (isValidIsoDate(date) && !yearSupported(Number(date.slice(0, 4))))
          errors.push({ field, message: `years ${VN_RULE_MIN_YEAR + 1}–${VN_RULE_MAX_YEAR - 1} are supported` });
      }
      if (errors.length > 0) throw validationFailed(errors);
      if (from > to) throw validationFailed([{ field: "from", message: "must not be after `to`" }]);
      if (Number(to.slice(0, 4)) - Number(from.slice(0, 4)) >= MAX_DAY_LIST_YEARS)
        throw validationFailed([{ field: "to", message: `the range may span at most ${MAX_DAY_LIST_YEARS} calendar years` }]);
      return listDays(from, to, await daysResolver(calendar)).map(toListedDay);
    },

    async previewDeadline(id: string, start: string, duration: Duration): Promise<DeadlinePreview> {
      const engine = await engineFor(id);
      const startMs = parseInstant(start);
      if (startMs === null) throw validationFailed([{ field: "start", message: "must be an ISO 8601 timestamp with an offset" }]);
      const unsupported = checkSupportedYear(startMs, "start");
      if (unsupported.length > 0) throw validationFailed(unsupported);
      if (duration.unit === "calendar_days" && !Number.isInteger(duration.value))
        throw validationFailed([{ field: "duration.value", message: "calendar days must be a whole number" }]);
      let dueMs: number;
      try {
        dueMs = engine.addDuration(startMs, duration);
      } catch (error) {
        // A duration too long for the supported years is the caller's input; a calendar with no
        // working time to count is a rule that refuses it. Anything else is a bug: let it be a 500.
        if (error instanceof WorkingCalendarError && error.code === "no_working_time") throw ruleViolation("no_working_time", error.message);
        if (error instanceof WorkingCalendarError && error.code !== "out_of_range" && error.code !== "invalid_duration") throw error;
        // The engine's own range, or the holiday rules' years (a plain RangeError from vn-holidays).
        if (error instanceof RangeError) throw validationFailed([{ field: "duration.value", message: `the deadline falls outside the supported years: ${error.message}` }]);
        throw error;
      }
      const countedFrom = engine.nextWorkingInstant(startMs);
      // API.md: responses use +07:00, whatever the calendar's own zone.
      return {
        start: formatInstant(startMs),
        countedFrom: formatInstant(countedFrom),
        dueAt: formatInstant(dueMs),
        workingMinutes: engine.workingMinutesBetween(countedFrom, dueMs),
      };
    },

    /** Start-up: the built-in `vn` calendar exists from the first start. */
    async seedBuiltIns() {
      await calendars.ensure(VN_CALENDAR_ID, VN_CALENDAR_SETTINGS, stamp());
    },
  };
}
export type CalendarService = ReturnType<typeof createCalendarService>;

const supportedYearsMessage = `years ${VN_RULE_MIN_YEAR + 1}–${VN_RULE_MAX_YEAR - 1} are supported`;
const blank = (s: string) => s.trim() === "";

/** Every problem with a year's publication, naming the field as the body spells it (`days[3].date`). */
function validatePublication(year: number, input: YearPublicationInput): FieldError[] {
  const errors: FieldError[] = [];
  if (!Number.isInteger(year) || !yearSupported(year)) errors.push({ field: "year", message: supportedYearsMessage });
  if (blank(input.document.number)) errors.push({ field: "document.number", message: "must not be blank" });
  if (!isValidIsoDate(input.document.date)) errors.push({ field: "document.date", message: "must be a real date as YYYY-MM-DD" });
  if (input.document.title !== undefined && blank(input.document.title)) errors.push({ field: "document.title", message: "must not be blank" });
  const firstIndexOf = new Map<string, number>();
  input.days.forEach((day, i) => {
    const field = `days[${i}]`;
    if (!isValidIsoDate(day.date)) errors.push({ field: `${field}.date`, message: "must be a real date as YYYY-MM-DD" });
    else if (Number(day.date.slice(0, 4)) !== year) errors.push({ field: `${field}.date`, message: `must be a date of ${year}` });
    else {
      const first = firstIndexOf.get(day.date);
      if (first !== undefined) errors.push({ field: `${field}.date`, message: `repeats days[${first}].date (${day.date})` });
      else firstIndexOf.set(day.date, i);
    }
    if (blank(day.name)) errors.push({ field: `${field}.name`, message: "must not be blank" });
    if (day.hours !== undefined) {
      if (day.kind !== "working_day") errors.push({ field: `${field}.hours`, message: "only a working_day has hours" });
      else errors.push(...validateDayHours(day.hours, `${field}.hours`));
    }
  });
  return errors;
}
