/**
 * Report periods (Circular 01/2020/TT-VPCP, DOMAIN.md §6): a report month runs from the 15th of
 * the previous month to the 14th; the year from 15 Dec to 14 Dec; Q1 from 15 Dec to 14 Mar, and
 * so on. Dates are Vietnam-local YYYY-MM-DD, inclusive.
 */
import type { FieldError } from "../errors.js";

export interface DateRange {
  /** Inclusive, YYYY-MM-DD. */
  readonly from: string;
  /** Inclusive, YYYY-MM-DD. */
  readonly to: string;
}

const pad = (n: number) => String(n).padStart(2, "0");
/** Years as YYYY (year 999 is "0999"): "999-12-15" is no YYYY-MM-DD date. */
const year4 = (n: number) => String(n).padStart(4, "0");

/** The report month `year-month`: the 15th of the month before to the 14th of this one. */
export function reportMonth(year: number, month: number): DateRange {
  const prevYear = month === 1 ? year - 1 : year;
  const prevMonth = month === 1 ? 12 : month - 1;
  return { from: `${year4(prevYear)}-${pad(prevMonth)}-15`, to: `${year4(year)}-${pad(month)}-14` };
}

const span = (year: number, firstMonth: number, lastMonth: number): DateRange => ({
  from: reportMonth(year, firstMonth).from,
  to: reportMonth(year, lastMonth).to,
});

const PERIOD = /^(\d{4})(?:-(Q[1-4]|H[12]|(0[1-9]|1[0-2])))?$/;

/** Expands `2025`, `2025-Q1`, `2025-H1` or `2025-03` into dates, or null when malformed. */
export function expandPeriod(period: string): DateRange | null {
  const match = PERIOD.exec(period);
  if (!match) return null;
  const year = Number(match[1]);
  // Dates start in year 1 (as in the from/to check); year 0's report months would start in year -1.
  if (year < 1) return null;
  const part = match[2];
  if (part === undefined) return span(year, 1, 12);
  if (part.startsWith("Q")) {
    const q = Number(part.slice(1));
    return span(year, 3 * q - 2, 3 * q);
  }
  if (part.startsWith("H")) return part === "H1" ? span(year, 1, 6) : span(year, 7, 12);
  return reportMonth(year, Number(part));
}

/** The report month a local date belongs to, as "YYYY-MM" (a date after the 14th is next month's). */
export function reportMonthOf(date: string): string {
  let year = Number(date.slice(0, 4));
  let month = Number(date.slice(5, 7));
  if (Number(date.slice(8, 10)) >= 15) {
    month += 1;
    if (month === 13) [year, month] = [year + 1, 1];
  }
  return `${year4(year)}-${pad(month)}`;
}

/** The report months overlapping a range, each clipped to it, in order. */
export function reportMonthsIn(range: DateRange): { key: string; range: DateRange }[] {
  const out: { key: string; range: DateRange }[] = [];
  let key = reportMonthOf(range.from);
  for (let guard = 0; guard < 1200; guard++) {
    const [y, m] = key.split("-").map(Number) as [number, number];
    const month = reportMonth(y, m);
    if (month.from > range.to) break;
    out.push({ key, range: { from: month.from < range.from ? range.from : month.from, to: month.to > range.to ? range.to : month.to } });
    key = m === 12 ? `${year4(y + 1)}-01` : `${year4(y)}-${pad(m + 1)}`;
  }
  return out;
}

/** "15/02/2025–14/03/2025": how Vietnamese reports print a period. */
export const formatRange = (r: DateRange) => `${vnDate(r.from)}–${vnDate(r.to)}`;
export const vnDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/**
 * Resolves the request's period: explicit from/to, or a named period; not both, not neither.
 * `isValidDate` is the calendar module's strict date check.
 */
export function resolvePeriod(
  input: { from?: string; to?: string; period?: string },
  isValidDate: (s: string) => boolean,
): { range: DateRange } | { errors: FieldError[] } {
  if (input.period !== undefined) {
    if (input.from !== undefined || input.to !== undefined)
      return { errors: [{ field: "period", message: "give either period or from/to, not both" }] };
    const range = expandPeriod(input.period);
    return range ? { range } : { errors: [{ field: "period", message: "must be YYYY, YYYY-Q1..Q4, YYYY-H1|H2 or YYYY-MM" }] };
  }
  const errors: FieldError[] = [];
  if (input.from === undefined) errors.push({ field: "from", message: "is required (or give period)" });
  else if (!isValidDate(input.from)) errors.push({ field: "from", message: "must be a real date as YYYY-MM-DD" });
  if (input.to === undefined) errors.push({ field: "to", message: "is required (or give period)" });
  else if (!isValidDate(input.to)) errors.push({ field: "to", message: "must be a real date as YYYY-MM-DD" });
  if (errors.length > 0) return { errors };
  if (input.from! > input.to!) return { errors: [{ field: "from", message: "must not be after `to`" }] };
  return { range: { from: input.from!, to: input.to! } };
}
