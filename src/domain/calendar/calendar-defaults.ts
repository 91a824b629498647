import type { CalendarRules, WeeklyHours } from "./calendar-types.js";

/** DOMAIN.md §4: Mon–Fri 07:30–11:30 and 13:00–17:00 (8 h); Saturdays and Sundays are only the default pattern. */
export const DEFAULT_WEEKLY_HOURS: WeeklyHours = Object.freeze({
  mon: [["07:30", "11:30"], ["13:00", "17:00"]],
  tue: [["07:30", "11:30"], ["13:00", "17:00"]],
  wed: [["07:30", "11:30"], ["13:00", "17:00"]],
  thu: [["07:30", "11:30"], ["13:00", "17:00"]],
  fri: [["07:30", "11:30"], ["13:00", "17:00"]],
  sat: [],
  sun: [],
});

export const VN_TIME_ZONE = "Asia/Ho_Chi_Minh";

/** The built-in civil-service calendar of Vietnam (DOMAIN.md §4, §7). */
export const VN_CALENDAR_ID = "vn";

export const DEFAULT_CALENDAR_RULES: CalendarRules = Object.freeze({
  timeZone: VN_TIME_ZONE,
  weeklyHours: DEFAULT_WEEKLY_HOURS,
  /** DOMAIN.md §4: "commonly 15:00". */
  sameDayCutoff: "15:00",
  /** DOMAIN.md §4: one working day = 8 h by default. */
  workingDayMinutes: 480,
});
