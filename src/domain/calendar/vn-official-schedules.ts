/**
 * The civil-service holiday schedules the Government published, as seed data (DOMAIN.md §7).
 *
 * For a year listed here the schedule replaces the rule proposal (vn-holidays.ts) entirely: the
 * Prime Minister sets the Tết days and the second National Day (Labour Code 2019 art. 112(3)) and
 * swaps days, and grants no art. 111(3) substitute beyond what is listed. A year published through
 * the API (PUT /v1/calendars/{id}/years/{year}) replaces the seed data of its year in turn.
 *
 * Every date is spelled out, including the weekend days inside each block of days off: they are
 * off by the default weekly pattern anyway, but a desk that opens on Saturdays must close on them
 * too. Make-up Saturdays ("ngày làm bù") are working days with the standard weekday hours.
 *
 * Provenance (DOMAIN.md §7 "Every official day carries its provenance"). Each day cites the first
 * of these that applies; a notice number or date that our sources do not give is never filled in:
 *  1. a holiday on the date Labour Code 2019 art. 112(1) fixes (1 Jan, Hùng Kings, 30 Apr, 1 May,
 *     2 Sep and the adjacent National Day) cites art. 112; the day off given in place of one that
 *     fell on a weekly rest day cites art. 111(3);
 *  2. a day of a block that a text we hold announces cites it: Công văn 12729/VPCP-KGVX (25 Dec
 *     2025) for 2–4 and 10 Jan 2026, Thông báo 9441/TB-BNV for Tết 2026, Resolution 28/2026/QH16
 *     for 24 Nov 2026 (the signing dates of the last two are not in our sources: date null);
 *  3. a Saturday or Sunday inside a block is a weekly rest day (art. 111), off whatever the notice;
 *  4. anything else is a day only a Government notice could set (the Tết blocks, swapped days and
 *     make-up Saturdays of 2024 and 2025; the Aug 2026 swap, "not confirmed by a source we hold"):
 *     we do not hold that notice, so the day has no document and is `provisional: true` until the
 *     year is published through the API with its notice.
 */
import type { DatedDay, DayDocument } from "./calendar-types.js";
import { VN_HOLIDAY_NAMES as N, substituteDayName } from "./vn-holidays.js";

const doc = (number: string, date: string | null, title: string): DayDocument => Object.freeze({ number, date, title });

/** Labour Code 2019 (Bộ luật Lao động 2019) art. 112: the public holidays and their dates. */
const LABOUR_CODE_ART_112 = doc("Bộ luật Lao động 2019, Điều 112", null, "Nghỉ lễ, tết");
/** Art. 111(3): a holiday on a weekly rest day gives the next working day off. */
const LABOUR_CODE_ART_111_3 = doc(
  "Bộ luật Lao động 2019, Điều 111, khoản 3",
  null,
  "Nghỉ bù khi ngày nghỉ hằng tuần trùng ngày nghỉ lễ, tết",
);
/** Art. 111: the weekly rest days (Sat and Sun in the civil service's default weekly pattern). */
const LABOUR_CODE_ART_111 = doc("Bộ luật Lao động 2019, Điều 111", null, "Nghỉ hằng tuần");
/** DOMAIN.md §7: New Year 2026, Fri 2 Jan swapped with Sat 10 Jan. */
const CV_12729_VPCP_KGVX = doc("12729/VPCP-KGVX", "2025-12-25", "Công văn 12729/VPCP-KGVX của Văn phòng Chính phủ (nghỉ Tết Dương lịch 2026)");
/** DOMAIN.md §7: Tết 2026, 14–22 Feb. */
const TB_9441_BNV = doc("9441/TB-BNV", null, "Thông báo 9441/TB-BNV của Bộ Nội vụ (nghỉ Tết Nguyên đán 2026)");
/** DOMAIN.md §1, §7: Vietnam Culture Day, 24 Nov, a paid day off from 1 Jul 2026. */
const NQ_28_2026_QH16 = doc("28/2026/QH16", null, "Nghị quyết 28/2026/QH16 của Quốc hội (Ngày Văn hóa Việt Nam)");
/** Rule 4 above: the notice that set the day is not in our sources. */
const NOT_HELD = null;

/** Weekend days inside the Tết block carry Tết's name, as the notices count them ("nghỉ Tết 9 ngày"). */
const TET_WEEKEND = N.tet;
const NEW_YEAR_WEEKEND = "Nghỉ hằng tuần (dịp Tết Dương lịch)";
const MAY_DAY_WEEKEND = "Nghỉ hằng tuần (dịp 30/4 – 1/5)";
const NATIONAL_DAY_WEEKEND = "Nghỉ hằng tuần (dịp Quốc khánh)";

function day(date: string, kind: DatedDay["kind"], name: string, document: DayDocument | null): DatedDay {
  return Object.freeze(
    document === null
      ? { date, kind, name, source: "official" as const, provisional: true }
      : { date, kind, name, source: "official" as const, document, provisional: false },
  );
}

function off(date: string, name: string, document: DayDocument | null): DatedDay {
  return day(date, "day_off", name, document);
}

/** A day off swapped with a make-up Saturday. */
function swappedOff(date: string, makeUpSaturday: string, document: DayDocument | null): DatedDay {
  return off(date, `Nghỉ hoán đổi (làm bù thứ Bảy ${makeUpSaturday})`, document);
}

/** A make-up Saturday: no own hours, so it keeps the standard weekday hours (DOMAIN.md §4). */
function makeUp(date: string, swappedDay: string, document: DayDocument | null): DatedDay {
  return day(date, "working_day", `Làm bù (hoán đổi với ngày nghỉ ${swappedDay})`, document);
}

const schedule = (days: DatedDay[]): readonly DatedDay[] => Object.freeze(days);

const ART_112 = LABOUR_CODE_ART_112;
const ART_111 = LABOUR_CODE_ART_111;

export const VN_OFFICIAL_SCHEDULES: Readonly<Record<number, readonly DatedDay[]>> = Object.freeze({
  2024: schedule([
    off("2024-01-01", N.newYear, ART_112),
    off("2024-02-08", N.tet, NOT_HELD), // Thu
    off("2024-02-09", N.tet, NOT_HELD),
    off("2024-02-10", TET_WEEKEND, ART_111), // Sat: lunar new year
    off("2024-02-11", TET_WEEKEND, ART_111),
    off("2024-02-12", N.tet, NOT_HELD),
    off("2024-02-13", N.tet, NOT_HELD),
    off("2024-02-14", N.tet, NOT_HELD), // Wed; the rules would add Thu 15 Feb, which was not granted
    off("2024-04-18", N.hungKings, ART_112), // Thu
    off("2024-04-27", MAY_DAY_WEEKEND, ART_111), // Sat
    off("2024-04-28", MAY_DAY_WEEKEND, ART_111), // Sun
    swappedOff("2024-04-29", "04/05/2024", NOT_HELD), // Mon
    off("2024-04-30", N.victoryDay, ART_112), // Tue
    off("2024-05-01", N.labourDay, ART_112), // Wed
    makeUp("2024-05-04", "thứ Hai 29/04/2024", NOT_HELD), // Sat
    off("2024-08-31", NATIONAL_DAY_WEEKEND, ART_111), // Sat
    off("2024-09-01", NATIONAL_DAY_WEEKEND, ART_111), // Sun
    off("2024-09-02", N.nationalDay, ART_112), // Mon
    off("2024-09-03", N.nationalDayAdjacent, ART_112), // Tue
  ]),
  2025: schedule([
    off("2025-01-01", N.newYear, ART_112), // Wed
    off("2025-01-25", TET_WEEKEND, ART_111), // Sat
    off("2025-01-26", TET_WEEKEND, ART_111), // Sun
    off("2025-01-27", N.tet, NOT_HELD),
    off("2025-01-28", N.tet, NOT_HELD),
    off("2025-01-29", N.tet, NOT_HELD), // Wed: lunar new year
    off("2025-01-30", N.tet, NOT_HELD),
    off("2025-01-31", N.tet, NOT_HELD),
    off("2025-02-01", TET_WEEKEND, ART_111), // Sat
    off("2025-02-02", TET_WEEKEND, ART_111), // Sun
    off("2025-04-07", N.hungKings, ART_112), // Mon
    makeUp("2025-04-26", "thứ Sáu 02/05/2025", NOT_HELD), // Sat
    off("2025-04-30", N.victoryDay, ART_112), // Wed
    off("2025-05-01", N.labourDay, ART_112), // Thu
    swappedOff("2025-05-02", "26/04/2025", NOT_HELD), // Fri
    off("2025-05-03", MAY_DAY_WEEKEND, ART_111), // Sat
    off("2025-05-04", MAY_DAY_WEEKEND, ART_111), // Sun
    off("2025-08-30", NATIONAL_DAY_WEEKEND, ART_111), // Sat
    off("2025-08-31", NATIONAL_DAY_WEEKEND, ART_111), // Sun
    off("2025-09-01", N.nationalDayAdjacent, ART_112), // Mon
    off("2025-09-02", N.nationalDay, ART_112), // Tue
  ]),
  2026: schedule([
    off("2026-01-01", N.newYear, ART_112), // Thu
    swappedOff("2026-01-02", "10/01/2026", CV_12729_VPCP_KGVX), // Fri
    off("2026-01-03", NEW_YEAR_WEEKEND, CV_12729_VPCP_KGVX), // Sat
    off("2026-01-04", NEW_YEAR_WEEKEND, CV_12729_VPCP_KGVX), // Sun
    makeUp("2026-01-10", "thứ Sáu 02/01/2026", CV_12729_VPCP_KGVX), // Sat
    off("2026-02-14", TET_WEEKEND, TB_9441_BNV), // Sat
    off("2026-02-15", TET_WEEKEND, TB_9441_BNV), // Sun
    off("2026-02-16", N.tet, TB_9441_BNV), // Mon: lunar new year's eve
    off("2026-02-17", N.tet, TB_9441_BNV), // Tue: lunar new year
    off("2026-02-18", N.tet, TB_9441_BNV),
    off("2026-02-19", N.tet, TB_9441_BNV),
    off("2026-02-20", N.tet, TB_9441_BNV),
    off("2026-02-21", TET_WEEKEND, TB_9441_BNV), // Sat
    off("2026-02-22", TET_WEEKEND, TB_9441_BNV), // Sun
    off("2026-04-26", N.hungKings, ART_112), // Sun
    off("2026-04-27", substituteDayName(N.hungKings), LABOUR_CODE_ART_111_3), // Mon
    off("2026-04-30", N.victoryDay, ART_112), // Thu
    off("2026-05-01", N.labourDay, ART_112), // Fri
    off("2026-05-02", MAY_DAY_WEEKEND, ART_111), // Sat
    off("2026-05-03", MAY_DAY_WEEKEND, ART_111), // Sun
    // DOMAIN.md §7: the Aug swap is "not confirmed by a source we hold": kept, but provisional.
    makeUp("2026-08-22", "thứ Hai 31/08/2026", NOT_HELD), // Sat
    off("2026-08-29", NATIONAL_DAY_WEEKEND, ART_111), // Sat
    off("2026-08-30", NATIONAL_DAY_WEEKEND, ART_111), // Sun
    swappedOff("2026-08-31", "22/08/2026", NOT_HELD), // Mon
    off("2026-09-01", N.nationalDayAdjacent, ART_112), // Tue
    off("2026-09-02", N.nationalDay, ART_112), // Wed
    // Outside Labour Code art. 112, so no art. 111(3) substitute when it falls on a weekend.
    off("2026-11-24", N.cultureDay, NQ_28_2026_QH16), // Tue
  ]),
});
