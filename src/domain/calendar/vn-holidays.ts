/**
 * The rule-based *proposal* of Vietnam's public holidays for any year (DOMAIN.md §7).
 *
 * The Labour Code only fixes the holidays and the rest-day rule; the Government sets the exact Tết
 * days and the second National Day every year and also swaps days, so the published civil-service
 * schedules (vn-official-schedules.ts) replace this proposal wherever they exist.
 *
 * Before 2021 the same rules stood in Labour Code 2012 art. 115, except the second National
 * Day; years before 2013 are only approximated by them.
 */
import Holidays from "date-holidays";
import { DEFAULT_WEEKLY_HOURS } from "./calendar-defaults.js";
import { WEEKDAYS } from "./calendar-types.js";
import type { DatedDay, Weekday } from "./calendar-types.js";

/** Vietnamese names of the holidays of Labour Code 2019 art. 112(1), shared with the official schedules. */
export const VN_HOLIDAY_NAMES = Object.freeze({
  newYear: "Tết Dương lịch",
  tet: "Tết Nguyên Đán",
  hungKings: "Giỗ Tổ Hùng Vương",
  victoryDay: "Ngày Chiến thắng",
  labourDay: "Ngày Quốc tế Lao động",
  nationalDay: "Quốc khánh",
  nationalDayAdjacent: "Quốc khánh (ngày liền kề)",
  cultureDay: "Ngày Văn hóa Việt Nam",
});

/** The name of the day off given in place of a holiday that fell on a weekly rest day (art. 111(3)). */
export function substituteDayName(holidayName: string): string {
  return `Nghỉ bù ${holidayName}`;
}

/** Labour Code 2019 art. 112(1)(đ): National Day is two days (2 Sep and one adjacent day) from 2021. */
const SECOND_NATIONAL_DAY_FROM = 2021;
/**
 * DOMAIN.md §7: 24 Nov "Vietnam Culture Day" is a paid day off from 2026 (Resolution
 * 28/2026/QH16), outside Labour Code art. 112, so no art. 111(3) substitute when it falls on a weekend.
 */
const CULTURE_DAY_FROM = 2026;

/**
 * Art. 112(3) leaves the adjacent National Day (1 or 3 Sep) to the Prime Minister. The proposal
 * takes the adjacent day that is a working day and touches the weekend, giving a four-day break;
 * when neither side does (2 Sep on a Wednesday) it takes the day before. This reproduces every
 * decision so far: 2021 Thu -> 3 Sep, 2022 Fri -> 1 Sep, 2023 Sat -> 1 Sep, 2024 Mon -> 3 Sep,
 * 2025 Tue -> 1 Sep, 2026 Wed -> 1 Sep (Sun, not yet seen, -> 3 Sep).
 */
const SECOND_NATIONAL_DAY: Readonly<Record<Weekday, "09-01" | "09-03">> = Object.freeze({
  mon: "09-03",
  tue: "09-01",
  wed: "09-01",
  thu: "09-03",
  fri: "09-01",
  sat: "09-01",
  sun: "09-03",
});

/** Art. 111: the weekly rest days are those of the default weekly pattern (Sat and Sun). */
const REST_DAYS: ReadonlySet<Weekday> = new Set(
  WEEKDAYS.filter((weekday) => DEFAULT_WEEKLY_HOURS[weekday].length === 0),
);

/**
 * The years for which the proposal is computed. Outside them date-holidays' lunar calendar is not
 * trusted (it loops on year 1 and puts Tết in April 9999), and no Vietnamese statute applies.
 */
export const VN_RULE_MIN_YEAR = 1900;
export const VN_RULE_MAX_YEAR = 2199;

interface Holiday {
  readonly date: string;
  readonly name: string;
  /** Art. 111(3) substitutes only the holidays of art. 112; a day off granted by another text does not get one. */
  readonly noSubstitute?: boolean;
}

const ruleDaysByYear = new Map<number, readonly DatedDay[]>();

/**
 * The days off that the Labour Code 2019 proposes for `year` (source "rule", sorted by date): the
 * holidays of art. 112(1) plus, per art. 111(3), a substitute day for each holiday on a weekly rest
 * day. Computed once per year (the lunar calendar is costly); each call returns a fresh array.
 * @throws RangeError outside VN_RULE_MIN_YEAR..VN_RULE_MAX_YEAR
 */
export function vnRuleDays(year: number): DatedDay[] {
  if (!Number.isInteger(year) || year < VN_RULE_MIN_YEAR || year > VN_RULE_MAX_YEAR) {
    throw new RangeError(
      `year must be an integer from ${VN_RULE_MIN_YEAR} to ${VN_RULE_MAX_YEAR}, got ${year}`,
    );
  }
  let days = ruleDaysByYear.get(year);
  if (days === undefined) {
    days = Object.freeze(withSubstituteDays(statutoryHolidays(year)));
    ruleDaysByYear.set(year, days);
  }
  return [...days];
}

/** Labour Code 2019 art. 112(1), with the later additions noted on the constants above. */
function statutoryHolidays(year: number): Holiday[] {
  const { lunarNewYear, hungKings } = lunarDates(year);
  const tetEve = addDays(lunarNewYear, -1);
  const nationalDay = isoDate(year, 9, 2);
  const holidays: Holiday[] = [
    { date: isoDate(year, 1, 1), name: VN_HOLIDAY_NAMES.newYear },
    // (b) Tết: 5 days, the exact ones set each year by the Prime Minister (art. 112(3)); the
    // proposal is the lunar new year's eve and the first four days of the lunar year.
    { date: tetEve, name: `${VN_HOLIDAY_NAMES.tet} (giao thừa)` },
    ...[1, 2, 3, 4].map((day) => ({
      date: addDays(lunarNewYear, day - 1),
      name: `${VN_HOLIDAY_NAMES.tet} (mùng ${day})`,
    })),
    { date: hungKings, name: VN_HOLIDAY_NAMES.hungKings },
    { date: isoDate(year, 4, 30), name: VN_HOLIDAY_NAMES.victoryDay },
    { date: isoDate(year, 5, 1), name: VN_HOLIDAY_NAMES.labourDay },
    { date: nationalDay, name: VN_HOLIDAY_NAMES.nationalDay },
  ];
  if (year >= SECOND_NATIONAL_DAY_FROM) {
    const adjacent = SECOND_NATIONAL_DAY[weekdayOf(nationalDay)];
    holidays.push({ date: `${pad(year, 4)}-${adjacent}`, name: VN_HOLIDAY_NAMES.nationalDayAdjacent });
  }
  if (year >= CULTURE_DAY_FROM) {
    holidays.push({ date: isoDate(year, 11, 24), name: VN_HOLIDAY_NAMES.cultureDay, noSubstitute: true });
  }
  return holidays.sort((a, b) => compare(a.date, b.date));
}

/**
 * Art. 111(3): a holiday on a weekly rest day gives the next working day off. "Next working day"
 * skips the other holidays and the substitutes already given, so a Sunday 30 Apr before the
 * Monday 1 May yields Tuesday 2 May. Two holidays on one date (Hùng Kings on 30 Apr, last in 1947)
 * are treated alike, so that no holiday is lost.
 */
function withSubstituteDays(holidays: readonly Holiday[]): DatedDay[] {
  const namesByDate = new Map<string, string[]>();
  const needSubstitute: Holiday[] = [];
  for (const holiday of holidays) {
    const names = namesByDate.get(holiday.date);
    if (names === undefined) {
      namesByDate.set(holiday.date, [holiday.name]);
      if (REST_DAYS.has(weekdayOf(holiday.date)) && !holiday.noSubstitute) needSubstitute.push(holiday);
    } else {
      names.push(holiday.name);
      needSubstitute.push(holiday);
    }
  }
  for (const holiday of needSubstitute) {
    let date = addDays(holiday.date, 1);
    while (REST_DAYS.has(weekdayOf(date)) || namesByDate.has(date)) date = addDays(date, 1);
    namesByDate.set(date, [substituteDayName(holiday.name)]);
  }
  return [...namesByDate]
    .sort(([a], [b]) => compare(a, b))
    .map(([date, names]) =>
      // A proposal until the Government's notice replaces it (DOMAIN.md §7): always provisional.
      Object.freeze({ date, kind: "day_off", name: names.join("; "), source: "rule", provisional: true }),
    );
}

// --- the date-holidays adapter ------------------------------------------------------------------

let lunarCalendar: Holidays | undefined;

/**
 * The only use of date-holidays: its Vietnamese lunar calendar (UTC+7, which differs from the
 * Chinese one in some years, e.g. 2030). A bare instance holding just the two lunar rules (those of
 * its VN data set) costs ~6 ms a year instead of ~40 ms for the whole VN data set. The `date`
 * field ("YYYY-MM-DD 00:00:00") is the local date and does not depend on the process time zone.
 */
function lunarDates(year: number): { readonly lunarNewYear: string; readonly hungKings: string } {
  if (lunarCalendar === undefined) {
    lunarCalendar = new Holidays();
    lunarCalendar.setHoliday("vietnamese 1-0-1", { name: VN_HOLIDAY_NAMES.tet, type: "public" });
    lunarCalendar.setHoliday("vietnamese 3-0-10", { name: VN_HOLIDAY_NAMES.hungKings, type: "public" });
  }
  const found = lunarCalendar.getHolidays(year);
  const dateOf = (rule: string): string => {
    const date = found.find((holiday) => holiday.rule === rule)?.date.slice(0, 10);
    if (date === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(date) || !date.startsWith(pad(year, 4))) {
      throw new Error(`date-holidays gave no date for "${rule}" in ${year}`);
    }
    return date;
  };
  return { lunarNewYear: dateOf("vietnamese 1-0-1"), hungKings: dateOf("vietnamese 3-0-10") };
}

// --- plain calendar-date arithmetic (proleptic Gregorian, no time zone involved) -------------------

const JS_WEEKDAYS: readonly Weekday[] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

function toUtcDate(iso: string): Date {
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  date.setUTCFullYear(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)));
  return date;
}

function addDays(iso: string, days: number): string {
  const date = toUtcDate(iso);
  date.setUTCDate(date.getUTCDate() + days);
  return isoDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

function weekdayOf(iso: string): Weekday {
  return JS_WEEKDAYS[toUtcDate(iso).getUTCDay()] as Weekday;
}

function isoDate(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
