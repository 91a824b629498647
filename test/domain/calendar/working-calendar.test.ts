import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { DEFAULT_CALENDAR_RULES, DEFAULT_WEEKLY_HOURS } from "../../../src/domain/calendar/calendar-defaults.js";
import type { CalendarRules, DatedDay, DaysOfYear, Duration, WeeklyHours } from "../../../src/domain/calendar/calendar-types.js";
import {
  dailyWorkingMinutes,
  parseTimeOfDay,
  validateDayHours,
  validateTimeOfDay,
  validateWeeklyHours,
} from "../../../src/domain/calendar/hours.js";
import { createWorkingCalendar, WorkingCalendarError } from "../../../src/domain/calendar/working-calendar.js";
import type { WorkingCalendarErrorCode } from "../../../src/domain/calendar/working-calendar.js";

/**
 * A hand-made excerpt of the 2025 civil-service schedule (DOMAIN.md §7), so that these tests do not
 * depend on the holiday module. 2025-03-15 is an invented make-up Saturday with its own hours.
 */
const DAYS_2025: readonly DatedDay[] = [
  { date: "2025-01-01", kind: "day_off", name: "New Year", source: "official" },
  { date: "2025-03-15", kind: "working_day", name: "make-up morning", hours: [["08:00", "12:00"]], source: "override" },
  { date: "2025-04-07", kind: "day_off", name: "Hùng Kings", source: "official" },
  { date: "2025-04-26", kind: "working_day", name: "make-up Saturday for 2 May", source: "official" },
  { date: "2025-04-30", kind: "day_off", name: "Reunification Day", source: "official" },
  { date: "2025-05-01", kind: "day_off", name: "Labour Day", source: "official" },
  { date: "2025-05-02", kind: "day_off", name: "swapped with 26 Apr", source: "official" },
];
const DAYS_2026: readonly DatedDay[] = [{ date: "2026-01-01", kind: "day_off", name: "New Year", source: "official" }];

const daysOfYear: DaysOfYear = (year) => (year === 2025 ? DAYS_2025 : year === 2026 ? DAYS_2026 : []);
const noDays: DaysOfYear = () => [];

const vn = createWorkingCalendar(DEFAULT_CALENDAR_RULES, daysOfYear);

/** A Vietnam-local wall time, e.g. "2025-03-03T07:30" (+07:00, no DST). */
const at = (local: string): number => Date.parse(`${local}+07:00`);
/** An instant shown in the given zone, to read assertions as local times. */
const show = (t: number, zone = "Asia/Ho_Chi_Minh"): string =>
  DateTime.fromMillis(t, { zone }).toISO({ suppressMilliseconds: true, includeOffset: true }) as string;

const workingDays = (value: number): Duration => ({ value, unit: "working_days" });
const workingHours = (value: number): Duration => ({ value, unit: "working_hours" });
const calendarDays = (value: number): Duration => ({ value, unit: "calendar_days" });
const sameDay: Duration = { value: 0, unit: "same_day" };

function expectCode(fn: () => unknown, code: WorkingCalendarErrorCode): WorkingCalendarError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(RangeError);
    expect(error).toBeInstanceOf(WorkingCalendarError);
    expect((error as WorkingCalendarError).code).toBe(code);
    return error as WorkingCalendarError;
  }
  throw new Error(`expected a WorkingCalendarError ${code}`);
}

// 2025-03-03 is a Monday; 2025-03-07 a Friday; 2025-03-08/09 a weekend.

describe("hours", () => {
  it("parses HH:mm from 00:00 to 23:59, and 24:00 only as an interval end", () => {
    expect(parseTimeOfDay("00:00")).toBe(0);
    expect(parseTimeOfDay("07:30")).toBe(450);
    expect(parseTimeOfDay("23:59")).toBe(1439);
    expect(parseTimeOfDay("24:00")).toBeNull();
    expect(parseTimeOfDay("24:00", { allowEndOfDay: true })).toBe(1440);
    for (const bad of ["25:00", "7:30", "07:60", "ab", "", "07:30:00", "24:01", " 07:30"]) {
      expect(parseTimeOfDay(bad, { allowEndOfDay: true }), bad).toBeNull();
    }
  });

  it("names the failing field of a weekly pattern", () => {
    const weekly = {
      ...DEFAULT_WEEKLY_HOURS,
      mon: [["07:30", "11:30"], ["11:00", "17:00"]],
      tue: [["17:00", "13:00"]],
      wed: [["7:30", "25:00"]],
      thu: [["13:00", "17:00"], ["07:30", "11:30"]],
      fri: [["08:00", "08:00"]],
      sat: [["00:00", "24:00"]],
    } as WeeklyHours;
    const fields = validateWeeklyHours(weekly).map((v) => v.field);
    expect(fields).toEqual([
      "weeklyHours.mon[1]",
      "weeklyHours.tue[0]",
      "weeklyHours.wed[0][0]",
      "weeklyHours.wed[0][1]",
      "weeklyHours.thu[1]",
      "weeklyHours.fri[0]",
    ]);
    expect(validateWeeklyHours(DEFAULT_WEEKLY_HOURS)).toEqual([]);
  });

  it("requires every weekday and refuses unknown keys", () => {
    const { sun: _sun, ...noSunday } = DEFAULT_WEEKLY_HOURS;
    const violations = validateWeeklyHours({ ...noSunday, holiday: [] } as unknown as WeeklyHours);
    expect(violations.map((v) => v.field)).toEqual(["weeklyHours.sun", "weeklyHours.holiday"]);
  });

  it("validates a dated day's own hours and a single time", () => {
    expect(validateDayHours([["08:00", "12:00"], ["12:00", "13:00"]], "hours")).toEqual([]);
    expect(validateDayHours([["08:00", "12:00"], ["11:59", "13:00"]], "days[0].hours")[0]?.field).toBe("days[0].hours[1]");
    expect(validateTimeOfDay("15:00", "sameDayCutoff")).toEqual([]);
    expect(validateTimeOfDay("24:00", "sameDayCutoff")[0]?.field).toBe("sameDayCutoff");
  });

  it("counts the working minutes of a day", () => {
    expect(dailyWorkingMinutes(DEFAULT_WEEKLY_HOURS.mon)).toBe(480);
    expect(dailyWorkingMinutes([])).toBe(0);
    expect(dailyWorkingMinutes([["00:00", "24:00"]])).toBe(1440);
    expect(() => dailyWorkingMinutes([["17:00", "13:00"]])).toThrow(RangeError);
  });
});

describe("start: reception outside working time counts from the next working instant (DOMAIN.md §4)", () => {
  it("in the lunch break -> the afternoon opening", () => {
    expect(show(vn.nextWorkingInstant(at("2025-03-03T12:00")))).toBe("2025-03-03T13:00:00+07:00");
    expect(show(vn.addWorkingMinutes(at("2025-03-03T12:00"), 60))).toBe("2025-03-03T14:00:00+07:00");
  });

  it("before opening -> the opening", () => {
    expect(show(vn.addWorkingMinutes(at("2025-03-03T06:00"), 60))).toBe("2025-03-03T08:30:00+07:00");
  });

  it("after closing -> the next working morning", () => {
    expect(show(vn.nextWorkingInstant(at("2025-03-03T18:00")))).toBe("2025-03-04T07:30:00+07:00");
    expect(show(vn.nextWorkingInstant(at("2025-03-03T17:00")))).toBe("2025-03-04T07:30:00+07:00");
  });

  it("on Saturday or Sunday -> Monday morning", () => {
    expect(show(vn.nextWorkingInstant(at("2025-03-08T10:00")))).toBe("2025-03-10T07:30:00+07:00");
    expect(show(vn.addWorkingMinutes(at("2025-03-09T23:59:59"), 30))).toBe("2025-03-10T08:00:00+07:00");
  });

  it("inside working time it is the reception instant itself", () => {
    const t = at("2025-03-03T09:12:34.567");
    expect(vn.nextWorkingInstant(t)).toBe(t);
  });

  it("intervals are half-open [start, end)", () => {
    expect(vn.isWorkingInstant(at("2025-03-03T07:30"))).toBe(true);
    expect(vn.isWorkingInstant(at("2025-03-03T07:29:59.999"))).toBe(false);
    expect(vn.isWorkingInstant(at("2025-03-03T11:30"))).toBe(false);
    expect(vn.isWorkingInstant(at("2025-03-03T16:59:59.999"))).toBe(true);
    expect(vn.isWorkingInstant(at("2025-03-03T17:00"))).toBe(false);
    expect(vn.isWorkingInstant(at("2025-03-08T10:00"))).toBe(false);
  });
});

describe("the due instant is the moment the last working minute is used up (DOMAIN.md §4)", () => {
  it("8 working hours from 07:30 end at 17:00 the same day, not at the next opening", () => {
    expect(show(vn.addDuration(at("2025-03-03T07:30"), workingHours(8)))).toBe("2025-03-03T17:00:00+07:00");
    expect(show(vn.addDuration(at("2025-03-03T07:30"), workingDays(1)))).toBe("2025-03-03T17:00:00+07:00");
    expect(show(vn.addWorkingMinutes(at("2025-03-03T07:30"), 240))).toBe("2025-03-03T11:30:00+07:00");
  });

  it("0.5 day from 13:00 Monday ends at 17:00 Monday", () => {
    expect(show(vn.addDuration(at("2025-03-03T13:00"), workingDays(0.5)))).toBe("2025-03-03T17:00:00+07:00");
  });

  it("0.25 day is 2 working hours, across the lunch break if need be", () => {
    expect(show(vn.addDuration(at("2025-03-03T07:30"), workingDays(0.25)))).toBe("2025-03-03T09:30:00+07:00");
    expect(show(vn.addDuration(at("2025-03-03T10:30"), workingDays(0.25)))).toBe("2025-03-03T14:00:00+07:00");
  });

  it("3.5 days are counted in working minutes, never rounded to whole days", () => {
    expect(show(vn.addDuration(at("2025-03-03T07:30"), workingDays(3.5)))).toBe("2025-03-06T11:30:00+07:00");
    expect(show(vn.addDuration(at("2025-03-03T13:00"), workingDays(3.5)))).toBe("2025-03-06T17:00:00+07:00");
    expect(show(vn.addDuration(at("2025-03-03T14:15:30"), workingDays(3.5)))).toBe("2025-03-07T08:45:30+07:00");
  });

  it("crosses the weekend", () => {
    expect(show(vn.addDuration(at("2025-03-07T10:00"), workingDays(1)))).toBe("2025-03-10T10:00:00+07:00");
    expect(show(vn.addDuration(at("2025-03-03T07:30"), workingDays(10)))).toBe("2025-03-14T17:00:00+07:00");
  });

  it("uses the calendar's own working-day length", () => {
    const sixHours = createWorkingCalendar({ ...DEFAULT_CALENDAR_RULES, workingDayMinutes: 360 }, noDays);
    expect(show(sixHours.addDuration(at("2025-03-03T07:30"), workingDays(1)))).toBe("2025-03-03T15:00:00+07:00");
  });
});

describe("dated exceptions", () => {
  it("a make-up Saturday without own hours works the standard weekday (Monday) hours", () => {
    expect(vn.isWorkingDate("2025-04-26")).toBe(true);
    expect(vn.workingMinutesOfDate("2025-04-26")).toBe(480);
    expect(show(vn.addDuration(at("2025-04-25T13:00"), workingDays(1)))).toBe("2025-04-26T11:30:00+07:00");
  });

  it("a make-up Saturday with its own hours works those", () => {
    expect(vn.workingMinutesOfDate("2025-03-15")).toBe(240);
    expect(show(vn.endOfWorkingDay("2025-03-15"))).toBe("2025-03-15T12:00:00+07:00");
    expect(show(vn.addDuration(at("2025-03-14T16:00"), workingHours(2)))).toBe("2025-03-15T09:00:00+07:00");
    expect(show(vn.addDuration(at("2025-03-14T16:00"), workingHours(6)))).toBe("2025-03-17T08:30:00+07:00");
  });

  it("a day off in the middle is skipped", () => {
    // Monday 7 April 2025 (Hùng Kings) is off.
    expect(vn.isWorkingDate("2025-04-07")).toBe(false);
    expect(show(vn.addDuration(at("2025-04-04T07:30"), workingDays(2)))).toBe("2025-04-08T17:00:00+07:00");
    // 30 Apr – 2 May off, Saturday 26 April worked.
    expect(show(vn.addDuration(at("2025-04-29T07:30"), workingDays(2)))).toBe("2025-05-05T17:00:00+07:00");
  });

  it("Saturdays and Sundays are only the weekly pattern, not hard-coded rest days", () => {
    const sevenDays = createWorkingCalendar(
      { ...DEFAULT_CALENDAR_RULES, weeklyHours: { ...DEFAULT_WEEKLY_HOURS, sat: DEFAULT_WEEKLY_HOURS.mon, sun: [["08:00", "10:00"]] } },
      noDays,
    );
    expect(sevenDays.isWorkingDate("2025-03-08")).toBe(true);
    expect(sevenDays.workingMinutesOfDate("2025-03-09")).toBe(120);
    expect(show(sevenDays.addDuration(at("2025-03-07T13:00"), workingDays(1)))).toBe("2025-03-08T11:30:00+07:00");
  });

  it("the standard weekday hours are the most common weekday pattern", () => {
    const short: WeeklyHours = { ...DEFAULT_WEEKLY_HOURS, mon: [["08:00", "12:00"]], tue: [["08:00", "12:00"]] };
    const cal = createWorkingCalendar({ ...DEFAULT_CALENDAR_RULES, weeklyHours: short }, () => [
      { date: "2025-03-08", kind: "working_day", name: "make-up", source: "override" },
    ]);
    expect(cal.workingMinutesOfDate("2025-03-08")).toBe(480); // Wed–Fri (3 days) beat Mon–Tue (2)
    expect(cal.workingMinutesOfDate("2025-03-03")).toBe(240);
  });

  it("a higher source wins when a date appears twice", () => {
    const cal = createWorkingCalendar(DEFAULT_CALENDAR_RULES, () => [
      { date: "2025-03-05", kind: "working_day", name: "admin says work", source: "override" },
      { date: "2025-03-05", kind: "day_off", name: "rule says off", source: "rule" },
      { date: "2025-03-06", kind: "day_off", name: "rule", source: "rule" },
      { date: "2025-03-06", kind: "day_off", name: "official", source: "official" },
    ]);
    expect(cal.isWorkingDate("2025-03-05")).toBe(true);
    expect(cal.isWorkingDate("2025-03-06")).toBe(false);
  });

  it("refuses malformed dated days, naming them", () => {
    const cal = createWorkingCalendar(DEFAULT_CALENDAR_RULES, () => [
      { date: "2025-03-08", kind: "working_day", name: "bad", hours: [["13:00", "08:00"]], source: "override" },
    ]);
    const error = expectCode(() => cal.isWorkingDate("2025-03-03"), "invalid_days");
    expect(error.fields[0]?.field).toBe("daysOfYear(2025)[0].hours[0]");
  });
});

describe("calendar_days (Civil Code 2015 art. 148(5))", () => {
  it("ends at the end of the working day it lands on", () => {
    expect(show(vn.addDuration(at("2025-03-03T10:00"), calendarDays(3)))).toBe("2025-03-06T17:00:00+07:00");
  });

  it("landing on a Sunday rolls to the end of Monday", () => {
    expect(show(vn.addDuration(at("2025-03-05T09:00"), calendarDays(4)))).toBe("2025-03-10T17:00:00+07:00");
  });

  it("landing on a Sunday before a holiday Monday rolls to the end of Tuesday", () => {
    expect(show(vn.addDuration(at("2025-04-02T09:00"), calendarDays(4)))).toBe("2025-04-08T17:00:00+07:00");
  });

  it("counts from the date of the next working instant", () => {
    // Received Saturday -> starts Monday 10 March; one day later is Tuesday.
    expect(show(vn.addDuration(at("2025-03-08T10:00"), calendarDays(1)))).toBe("2025-03-11T17:00:00+07:00");
  });

  it("refuses a fractional number of calendar days instead of rounding it", () => {
    const error = expectCode(() => vn.addDuration(at("2025-03-03T10:00"), calendarDays(1.5)), "invalid_duration");
    expect(error.message).toMatch(/whole number/);
  });
});

describe("same_day with a 15:00 cut-off (DOMAIN.md §4)", () => {
  it("before the cut-off -> the end of that working day", () => {
    expect(show(vn.addDuration(at("2025-03-03T14:59:59"), sameDay))).toBe("2025-03-03T17:00:00+07:00");
    expect(show(vn.addDuration(at("2025-03-03T12:00"), sameDay))).toBe("2025-03-03T17:00:00+07:00");
  });

  it("at or after the cut-off -> the end of the next working day", () => {
    expect(show(vn.addDuration(at("2025-03-03T15:00"), sameDay))).toBe("2025-03-04T17:00:00+07:00");
    expect(show(vn.addDuration(at("2025-03-03T16:30"), sameDay))).toBe("2025-03-04T17:00:00+07:00");
  });

  it("a Friday after the cut-off -> the end of Monday", () => {
    expect(show(vn.addDuration(at("2025-03-07T15:30"), sameDay))).toBe("2025-03-10T17:00:00+07:00");
  });

  it("received on a day off counts from the next working morning, before the cut-off", () => {
    expect(show(vn.addDuration(at("2025-03-08T16:00"), sameDay))).toBe("2025-03-10T17:00:00+07:00");
    expect(show(vn.addDuration(at("2025-03-03T19:00"), sameDay))).toBe("2025-03-04T17:00:00+07:00");
  });

  it("ignores the value", () => {
    expect(vn.addDuration(at("2025-03-03T09:00"), { value: Number.NaN, unit: "same_day" })).toBe(at("2025-03-03T17:00"));
  });
});

describe("workingMinutesBetween", () => {
  it("skips the weekend", () => {
    expect(vn.workingMinutesBetween(at("2025-03-07T16:00"), at("2025-03-10T08:30"))).toBe(120);
  });

  it("skips the lunch break", () => {
    expect(vn.workingMinutesBetween(at("2025-03-03T11:00"), at("2025-03-03T13:30"))).toBe(60);
  });

  it("is negative backwards and fractional with seconds", () => {
    expect(vn.workingMinutesBetween(at("2025-03-10T08:30"), at("2025-03-07T16:00"))).toBe(-120);
    expect(vn.workingMinutesBetween(at("2025-03-03T07:30:30"), at("2025-03-03T07:31"))).toBe(0.5);
    expect(vn.workingMinutesBetween(at("2025-03-08T08:00"), at("2025-03-08T09:00"))).toBe(0);
  });

  it("spans years", () => {
    // 2025-12-31 (Wed) 16:00 -> 2026-01-02 (Fri) 08:30; 1 January 2026 is off.
    expect(vn.workingMinutesBetween(at("2025-12-31T16:00"), at("2026-01-02T08:30"))).toBe(120);
    expect(show(vn.addWorkingMinutes(at("2025-12-31T16:00"), 120))).toBe("2026-01-02T08:30:00+07:00");
  });
});

describe("dates", () => {
  it("gives the local date of an instant in the calendar's zone", () => {
    expect(vn.localDate(at("2025-03-03T00:00"))).toBe("2025-03-03");
    expect(vn.localDate(at("2025-03-03T23:59:59.999"))).toBe("2025-03-03");
    expect(vn.localDate(Date.parse("2025-03-03T18:00:00Z"))).toBe("2025-03-04");
    expect(vn.localDate(at("2026-01-01T00:00"))).toBe("2026-01-01");
  });

  it("finds the next working date, across the year end", () => {
    expect(vn.nextWorkingDate("2025-03-07")).toBe("2025-03-10");
    expect(vn.nextWorkingDate("2025-12-31")).toBe("2026-01-02");
    expect(vn.nextWorkingDate("2025-04-25")).toBe("2025-04-26");
  });

  it("finds the previous working date, across weekends, days off and the year start", () => {
    expect(vn.previousWorkingDate("2025-03-10")).toBe("2025-03-07");
    expect(vn.previousWorkingDate("2026-01-02")).toBe("2025-12-31");
    expect(vn.previousWorkingDate("2025-05-05")).toBe("2025-04-29"); // 30/4, 1/5, 2/5 off, then the weekend
    expect(vn.previousWorkingDate("2025-04-28")).toBe("2025-04-26"); // the make-up Saturday
  });

  it("refuses the end of a non-working day and malformed dates", () => {
    expectCode(() => vn.endOfWorkingDay("2025-03-08"), "not_a_working_date");
    expectCode(() => vn.isWorkingDate("2025-02-30"), "invalid_date");
    expectCode(() => vn.isWorkingDate("2025-3-3"), "invalid_date");
  });
});

describe("time zones with DST", () => {
  const paris: CalendarRules = { ...DEFAULT_CALENDAR_RULES, timeZone: "Europe/Paris" };
  const utc = (iso: string): number => Date.parse(iso);

  it("converts wall-clock hours to the right UTC instants around the last Sunday of March", () => {
    const cal = createWorkingCalendar(paris, noDays);
    // Friday 28 March 2025 is CET (+01:00); Monday 31 March is CEST (+02:00).
    expect(cal.endOfWorkingDay("2025-03-28")).toBe(utc("2025-03-28T16:00:00Z"));
    expect(cal.nextWorkingInstant(utc("2025-03-28T16:00:00Z"))).toBe(utc("2025-03-31T05:30:00Z"));
    expect(cal.addWorkingMinutes(utc("2025-03-28T15:00:00Z"), 120)).toBe(utc("2025-03-31T06:30:00Z"));
    expect(cal.workingMinutesBetween(utc("2025-03-28T15:00:00Z"), utc("2025-03-31T06:30:00Z"))).toBe(120);
    expect(cal.localDate(utc("2025-03-30T22:30:00Z"))).toBe("2025-03-31");
  });

  it("a skipped local time maps to the jump, a repeated one to its first occurrence", () => {
    const sunday = (hours: WeeklyHours["sun"]) =>
      createWorkingCalendar({ ...paris, weeklyHours: { ...DEFAULT_WEEKLY_HOURS, sun: hours } }, noDays);
    // 30 March 2025: 02:00 CET -> 03:00 CEST (01:00Z).
    expect(sunday([["01:00", "04:00"]]).workingMinutesOfDate("2025-03-30")).toBe(120);
    expect(sunday([["02:30", "03:15"]]).workingMinutesOfDate("2025-03-30")).toBe(15);
    expect(sunday([["02:30", "03:15"]]).nextWorkingInstant(utc("2025-03-29T12:00:00Z"))).toBe(utc("2025-03-30T01:00:00Z"));
    expect(sunday([["02:00", "03:00"]]).isWorkingDate("2025-03-30")).toBe(false);
    // 26 October 2025: 03:00 CEST -> 02:00 CET (01:00Z); people work the repeated hour too.
    expect(sunday([["02:30", "03:30"]]).workingMinutesOfDate("2025-10-26")).toBe(120);
    expect(sunday([["02:30", "02:45"]]).workingMinutesOfDate("2025-10-26")).toBe(15);
    expect(sunday([["01:00", "04:00"]]).endOfWorkingDay("2025-10-26")).toBe(utc("2025-10-26T03:00:00Z"));
    // An ordinary Sunday.
    expect(sunday([["01:00", "04:00"]]).workingMinutesOfDate("2025-04-06")).toBe(180);
  });

  it("works in America/New_York across the second Sunday of March", () => {
    const cal = createWorkingCalendar({ ...DEFAULT_CALENDAR_RULES, timeZone: "America/New_York" }, noDays);
    // Friday 7 March 2025 is EST (-05:00); Monday 10 March is EDT (-04:00).
    expect(cal.addDuration(utc("2025-03-07T21:00:00Z"), workingHours(1))).toBe(utc("2025-03-07T22:00:00Z"));
    expect(cal.addDuration(utc("2025-03-07T21:30:00Z"), workingHours(1))).toBe(utc("2025-03-10T12:00:00Z"));
    expect(cal.addDuration(utc("2025-03-07T22:00:00Z"), sameDay)).toBe(utc("2025-03-10T21:00:00Z"));
  });
});

describe("long walks and degenerate calendars", () => {
  it("adds 10,000 working days", () => {
    const cal = createWorkingCalendar(DEFAULT_CALENDAR_RULES, noDays);
    const start = at("2025-03-03T07:30");
    const due = cal.addDuration(start, workingDays(10_000));
    // 2,000 full weeks: the Friday of the 2,000th week at 17:00.
    expect(show(due)).toBe(`${DateTime.fromISO("2025-03-03").plus({ days: 2000 * 7 - 3 }).toISODate()}T17:00:00+07:00`);
    expect(cal.workingMinutesBetween(start, due)).toBe(10_000 * 480);
  });

  it("handles a calendar with one working hour a week", () => {
    const weekly: WeeklyHours = { mon: [], tue: [], wed: [["09:00", "10:00"]], thu: [], fri: [], sat: [], sun: [] };
    const cal = createWorkingCalendar({ ...DEFAULT_CALENDAR_RULES, weeklyHours: weekly }, noDays);
    // 10 working days = 80 h = 80 Wednesdays; 2025-03-05 is a Wednesday.
    const due = cal.addDuration(at("2025-03-05T09:00"), workingDays(10));
    expect(show(due)).toBe(`${DateTime.fromISO("2025-03-05").plus({ weeks: 79 }).toISODate()}T10:00:00+07:00`);
  });

  it("a calendar with no working time at all throws instead of looping", () => {
    const none: WeeklyHours = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
    const cal = createWorkingCalendar({ ...DEFAULT_CALENDAR_RULES, weeklyHours: none }, noDays);
    expectCode(() => cal.addDuration(at("2025-03-03T09:00"), workingDays(1)), "no_working_time");
    expectCode(() => cal.nextWorkingInstant(at("2025-03-03T09:00")), "no_working_time");
    expectCode(() => cal.nextWorkingDate("2025-03-03"), "no_working_time");
    expectCode(() => cal.previousWorkingDate("2025-03-03"), "no_working_time");
    expect(cal.workingMinutesBetween(at("2025-03-03T09:00"), at("2026-03-03T09:00"))).toBe(0);
  });

  it("a calendar whose only working time is a dated working day uses its own hours", () => {
    const none: WeeklyHours = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
    const cal = createWorkingCalendar({ ...DEFAULT_CALENDAR_RULES, weeklyHours: none }, (year) =>
      year === 2025 ? [{ date: "2025-06-02", kind: "working_day", name: "x", hours: [["08:00", "09:00"]], source: "override" }] : [],
    );
    expect(show(cal.addWorkingMinutes(at("2025-03-03T09:00"), 30))).toBe("2025-06-02T08:30:00+07:00");
  });
});

describe("input validation", () => {
  it("refuses non-positive and non-finite durations", () => {
    for (const value of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectCode(() => vn.addDuration(at("2025-03-03T09:00"), workingDays(value)), "invalid_duration");
      expectCode(() => vn.addWorkingMinutes(at("2025-03-03T09:00"), value), "invalid_duration");
    }
    expectCode(() => vn.addDuration(at("2025-03-03T09:00"), { value: 1, unit: "weeks" } as unknown as Duration), "invalid_duration");
  });

  it("refuses invalid instants and instants out of range", () => {
    expectCode(() => vn.addWorkingMinutes(Number.NaN, 1), "invalid_instant");
    expectCode(() => vn.localDate(Date.parse("3500-01-01T00:00:00Z")), "out_of_range");
    expectCode(() => vn.addDuration(at("2025-03-03T09:00"), workingDays(1e12)), "out_of_range");
  });

  it("refuses invalid rules with the failing fields", () => {
    const error = expectCode(
      () =>
        createWorkingCalendar(
          {
            timeZone: "Mars/Olympus_Mons",
            weeklyHours: { ...DEFAULT_WEEKLY_HOURS, mon: [["17:00", "07:30"]] },
            sameDayCutoff: "3pm",
            workingDayMinutes: 0,
          },
          noDays,
        ),
      "invalid_rules",
    );
    expect(error.fields.map((f) => f.field)).toEqual(["timeZone", "weeklyHours.mon[0]", "sameDayCutoff", "workingDayMinutes"]);
  });
});
