/**
 * The vocabulary of working calendars. Enum tuples are defined once here (`as const`) and reused
 * by the database columns, the HTTP schemas and the code (STYLE.md).
 *
 * A calendar is weekly working hours + dated exceptions + a time zone (DOMAIN.md §4, after biz).
 */

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** "HH:mm", 24-hour local wall-clock time; "24:00" is allowed as an interval end. */
export type TimeOfDay = string;
/** A half-open local interval [start, end) within one day. */
export type HoursInterval = readonly [TimeOfDay, TimeOfDay];
export type WeeklyHours = Readonly<Record<Weekday, readonly HoursInterval[]>>;

export const DAY_KINDS = ["day_off", "working_day"] as const;
export type DayKind = (typeof DAY_KINDS)[number];

/**
 * Where a non-default day comes from, in increasing precedence:
 * `rule` (computed from the Labour Code, e.g. lunar Tết), `official` (a published civil-service
 * schedule: shipped as seed data, or a year published through the API, which wins over the seed
 * data of its year), `override` (one date set by an administrator through the API).
 */
export const DAY_SOURCES = ["rule", "official", "override"] as const;
export type DaySource = (typeof DAY_SOURCES)[number];

/**
 * The text that sets a day, so that an auditor can check it (DOMAIN.md §7 "Every official day
 * carries its provenance"): a Government notice ("12729/VPCP-KGVX"), a resolution, or a statute
 * article ("Bộ luật Lao động 2019, Điều 112") for a day the law fixes by itself.
 */
export interface DayDocument {
  /** The document's number or, for a statute, its name and article. Never empty. */
  readonly number: string;
  /** The date it was signed, YYYY-MM-DD; null when our sources do not give it (never guessed). */
  readonly date: string | null;
  readonly title?: string;
}

export interface DatedDay {
  /** Local date, YYYY-MM-DD. */
  readonly date: string;
  readonly kind: DayKind;
  readonly name: string;
  /** Only for `working_day`: its own hours; absent = the calendar's standard weekday hours. */
  readonly hours?: readonly HoursInterval[];
  readonly source: DaySource;
  /** Provenance: the text that sets the day; absent when no document we hold does. */
  readonly document?: DayDocument;
  /**
   * True when no document we hold confirms the day and it may still change: every rule proposal
   * (DOMAIN.md §7 "A proposed day must say so"), and an official day whose notice we do not hold.
   * Absent = false, except for `rule` days (see isProvisional in calendar-days.ts).
   */
  readonly provisional?: boolean;
}

/** One day of a published year, as the publisher lists it. */
export interface PublishedDay {
  readonly date: string;
  readonly kind: DayKind;
  readonly name: string;
  /** Only for `working_day`: its own hours; absent = the calendar's standard weekday hours. */
  readonly hours?: readonly HoursInterval[];
}

/**
 * A year's official schedule published in one operation (DOMAIN.md §7: "the Government's notice
 * will replace [the proposal]", "publishing the official schedule must be one operation per
 * year"): every day listed carries the notice as its provenance.
 */
export interface PublishedYear {
  readonly year: number;
  readonly document: DayDocument & { readonly date: string };
  /** Sorted by date, one entry per date, all of `year`. */
  readonly days: readonly PublishedDay[];
}

/** Which holiday rules propose days off for a calendar. */
export const HOLIDAY_RULE_SETS = ["vn", "none"] as const;
export type HolidayRuleSet = (typeof HOLIDAY_RULE_SETS)[number];

export const DURATION_UNITS = ["working_days", "working_hours", "calendar_days", "same_day"] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

export interface Duration {
  /** Positive; may be fractional (0.25, 3.5 days). For `same_day` the value is not used. */
  readonly value: number;
  readonly unit: DurationUnit;
}

/** The shape of a calendar the engine needs (no identity, no storage concerns). */
export interface CalendarRules {
  /** IANA zone, e.g. "Asia/Ho_Chi_Minh". */
  readonly timeZone: string;
  readonly weeklyHours: WeeklyHours;
  /** "HH:mm": same-day procedures received at or after it are due the next working day. */
  readonly sameDayCutoff: TimeOfDay;
  /** Minutes in one working day (DOMAIN.md §4: "8 h by default"). */
  readonly workingDayMinutes: number;
}

/** Resolves the effective non-default days of one calendar year (already merged by precedence). */
export type DaysOfYear = (year: number) => readonly DatedDay[];
