/**
 * The civil-service holiday schedules the Government published, as seed data (DOMAIN.md §7).
 *
 * For a year listed here the schedule replaces the rule proposal (vn-holidays.ts) entirely: the
 * Prime Minister sets the Tết days and the second National Day (Labour Code 2019 art. 112(3)) and
 * swaps days, and grants no art. 111(3) substitute beyond what is listed.
 *
 * Every date is spelled out, including the weekend days inside each block of days off: they are
 * off by the default weekly pattern anyway, but a desk that opens on Saturdays must close on them
 * too. Make-up Saturdays ("ngày làm bù") are working days with the standard weekday hours.
 */
import type { DatedDay } from "./calendar-types.js";
import { VN_HOLIDAY_NAMES as N, substituteDayName } from "./vn-holidays.js";

/** Weekend days inside the Tết block carry Tết's name, as the notices count them ("nghỉ Tết 9 ngày"). */
const TET_WEEKEND = N.tet;
const MAY_DAY_WEEKEND = "Nghỉ hằng tuần (dịp 30/4 – 1/5)";
const NATIONAL_DAY_WEEKEND = "Nghỉ hằng tuần (dịp Quốc khánh)";

function off(date: string, name: string): DatedDay {
  return Object.freeze({ date, kind: "day_off", name, source: "official" });
}

/** A day off swapped with a make-up Saturday. */
function swappedOff(date: string, makeUpSaturday: string): DatedDay {
  return off(date, `Nghỉ hoán đổi (làm bù thứ Bảy ${makeUpSaturday})`);
}

/** A make-up Saturday: no own hours, so it keeps the standard weekday hours (DOMAIN.md §4). */
function makeUp(date: string, swappedDay: string): DatedDay {
  return Object.freeze({
    date,
    kind: "working_day",
    name: `Làm bù (hoán đổi với ngày nghỉ ${swappedDay})`,
    source: "official",
  });
}

const schedule = (days: DatedDay[]): readonly DatedDay[] => Object.freeze(days);

export const VN_OFFICIAL_SCHEDULES: Readonly<Record<number, readonly DatedDay[]>> = Object.freeze({
  2024: schedule([
    off("2024-01-01", N.newYear),
    off("2024-02-08", N.tet), // Thu
    off("2024-02-09", N.tet),
    off("2024-02-10", TET_WEEKEND), // Sat: lunar new year
    off("2024-02-11", TET_WEEKEND),
    off("2024-02-12", N.tet),
    off("2024-02-13", N.tet),
    off("2024-02-14", N.tet), // Wed; the rules would add Thu 15 Feb, which was not granted
    off("2024-04-18", N.hungKings), // Thu
    off("2024-04-27", MAY_DAY_WEEKEND), // Sat
    off("2024-04-28", MAY_DAY_WEEKEND), // Sun
    swappedOff("2024-04-29", "04/05/2024"), // Mon
    off("2024-04-30", N.victoryDay), // Tue
    off("2024-05-01", N.labourDay), // Wed
    makeUp("2024-05-04", "thứ Hai 29/04/2024"), // Sat
    off("2024-08-31", NATIONAL_DAY_WEEKEND), // Sat
    off("2024-09-01", NATIONAL_DAY_WEEKEND), // Sun
    off("2024-09-02", N.nationalDay), // Mon
    off("2024-09-03", N.nationalDayAdjacent), // Tue
  ]),
  2025: schedule([
    off("2025-01-01", N.newYear), // Wed
    off("2025-01-25", TET_WEEKEND), // Sat
    off("2025-01-26", TET_WEEKEND), // Sun
    off("2025-01-27", N.tet),
    off("2025-01-28", N.tet),
    off("2025-01-29", N.tet), // Wed: lunar new year
    off("2025-01-30", N.tet),
    off("2025-01-31", N.tet),
    off("2025-02-01", TET_WEEKEND), // Sat
    off("2025-02-02", TET_WEEKEND), // Sun
    off("2025-04-07", N.hungKings), // Mon
    makeUp("2025-04-26", "thứ Sáu 02/05/2025"), // Sat
    off("2025-04-30", N.victoryDay), // Wed
    off("2025-05-01", N.labourDay), // Thu
    swappedOff("2025-05-02", "26/04/2025"), // Fri
    off("2025-05-03", MAY_DAY_WEEKEND), // Sat
    off("2025-05-04", MAY_DAY_WEEKEND), // Sun
    off("2025-08-30", NATIONAL_DAY_WEEKEND), // Sat
    off("2025-08-31", NATIONAL_DAY_WEEKEND), // Sun
    off("2025-09-01", N.nationalDayAdjacent), // Mon
    off("2025-09-02", N.nationalDay), // Tue
  ]),
  2026: schedule([
    off("2026-01-01", N.newYear), // Thu
    off("2026-02-14", TET_WEEKEND), // Sat
    off("2026-02-15", TET_WEEKEND), // Sun
    off("2026-02-16", N.tet), // Mon: lunar new year's eve
    off("2026-02-17", N.tet), // Tue: lunar new year
    off("2026-02-18", N.tet),
    off("2026-02-19", N.tet),
    off("2026-02-20", N.tet),
    off("2026-02-21", TET_WEEKEND), // Sat
    off("2026-02-22", TET_WEEKEND), // Sun
    off("2026-04-26", N.hungKings), // Sun
    off("2026-04-27", substituteDayName(N.hungKings)), // Mon, Labour Code 2019 art. 111(3)
    off("2026-04-30", N.victoryDay), // Thu
    off("2026-05-01", N.labourDay), // Fri
    off("2026-05-02", MAY_DAY_WEEKEND), // Sat
    off("2026-05-03", MAY_DAY_WEEKEND), // Sun
    makeUp("2026-08-22", "thứ Hai 31/08/2026"), // Sat
    swappedOff("2026-08-31", "22/08/2026"), // Mon
    off("2026-09-01", N.nationalDayAdjacent), // Tue
    off("2026-09-02", N.nationalDay), // Wed
    // Reported as a day off from 2026 (DOMAIN.md §7); the official 2026 schedule predates it.
    off("2026-11-24", N.cultureDay), // Tue
  ]),
});
