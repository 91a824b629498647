/**
 * Maintained counts of the Decree 118 duties missed (DOMAIN.md §10: each duty is "counted per
 * agency"; report 06 shows them per owing agency). Legal frame: decree-118-2025 only (a dossier
 * received under Decree 61/2018 has no duties).
 *
 * A report counts the duties falling due in its period, before now, that were not done by their
 * deadline. Whether a duty is missed once due is known at every write (done late, or an owed duty
 * not done yet: it can only be done late now); only "is it due yet?" moves with the clock. So each
 * dossier adds its missed-once-due duties to the day their deadline falls on and to that day's
 * report month; a period is then a sum of whole report months and days, and only the part of today
 * before now is counted from the duties themselves.
 */
import type { DossierStatus } from "../dossier/dossier-types.js";
import { OWED_DUTY_KINDS, type Duty, type DutyKind } from "../dossier/duties.js";
import { formatInstant, vietnamDay } from "../time.js";
import { reportMonth, reportMonthOf } from "./report-period.js";

/** One missed-once-due duty of a dossier: the Vietnam-local day its deadline falls on, who owes it, what it is. */
export interface DutyContribution {
  readonly day: string;
  readonly agencyCode: string;
  readonly kind: DutyKind;
}

/**
 * Not done by its deadline, once the deadline has passed: done after it, or not done at all and
 * owed (an unused supplement-request window owes nothing, Decree 118/2025 art. 19(5): only a
 * request made after it counts, as done late).
 */
export function missesDeadline(duty: Pick<Duty, "kind" | "dueAt" | "doneAt">): boolean {
  return duty.doneAt !== null ? duty.doneAt > duty.dueAt : OWED_DUTY_KINDS.includes(duty.kind);
}

/** The Vietnam-local date of an instant (DOMAIN.md §6: dates in Asia/Ho_Chi_Minh). */
export const dayOfInstant = (ms: number) => formatInstant(ms).slice(0, 10);

/** A dossier's share of the duty counts; cancelled dossiers leave the statistics altogether (DOMAIN.md §3). */
export function dutyContributions(status: DossierStatus, duties: readonly Pick<Duty, "kind" | "agencyCode" | "dueAt" | "doneAt">[]): DutyContribution[] {
  if (status === "cancelled") return [];
  return duties.filter(missesDeadline).map((d) => ({ day: dayOfInstant(d.dueAt), agencyCode: d.agencyCode, kind: d.kind }));
}

/** How a count over [p0, min(p1, now)) is put together from the maintained buckets. */
export interface DutyCountPlan {
  /** Whole report months, first..last ("YYYY-MM"), or null. */
  readonly months: { readonly first: string; readonly last: string } | null;
  /** Whole days outside those months ("YYYY-MM-DD"), ascending. */
  readonly days: readonly string[];
  /** Parts of a day (today before now, or a bound that is not a midnight): counted from the duties, [from, to). */
  readonly passes: readonly { readonly from: number; readonly to: number }[];
}

const DAY_MS = 86_400_000;
const nextDate = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
const startOfDay = (ms: number) => vietnamDay(dayOfInstant(ms))!.start;

/**
 * Splits [p0, min(p1, now)) into whole report months, whole days and parts of a day, which
 * together cover it exactly once. Reports ask from one Vietnam midnight to another, so the parts of
 * a day are at most today before now.
 */
export function planDutyCount(p0: number, p1: number, now: number): DutyCountPlan {
  const end = Math.min(p1, now);
  if (!(end > p0)) return { months: null, days: [], passes: [] };
  const passes: { from: number; to: number }[] = [];
  const firstMidnight = startOfDay(p0) === p0 ? p0 : startOfDay(p0) + DAY_MS;
  const lastMidnight = startOfDay(end);
  if (firstMidnight > lastMidnight) return { months: null, days: [], passes: [{ from: p0, to: end }] };
  if (p0 < firstMidnight) passes.push({ from: p0, to: firstMidnight });
  if (lastMidnight < end) passes.push({ from: lastMidnight, to: end });
  if (firstMidnight === lastMidnight) return { months: null, days: [], passes };

  // Whole days firstDay..lastDay: the report months lying wholly inside, then the days left over.
  const firstDay = dayOfInstant(firstMidnight);
  const lastDay = dayOfInstant(lastMidnight - 1);
  const whole: string[] = [];
  for (let key = reportMonthOf(firstDay); ; ) {
    const [y, m] = key.split("-").map(Number) as [number, number];
    const range = reportMonth(y, m);
    if (range.from > lastDay) break;
    if (range.from >= firstDay && range.to <= lastDay) whole.push(key);
    key = reportMonthOf(nextDate(range.to));
  }
  const months = whole.length > 0 ? { first: whole[0]!, last: whole[whole.length - 1]! } : null;
  const days: string[] = [];
  const coveredFrom = months ? reportMonth(...(months.first.split("-").map(Number) as [number, number])).from : null;
  const coveredTo = months ? reportMonth(...(months.last.split("-").map(Number) as [number, number])).to : null;
  for (let day = firstDay; day <= lastDay; day = nextDate(day)) {
    if (coveredFrom !== null && coveredTo !== null && day >= coveredFrom && day <= coveredTo) {
      day = coveredTo; // skip the months' days; the loop steps past them
      continue;
    }
    days.push(day);
  }
  return { months, days, passes };
}

/** The maintained buckets: a duty's report month and its day. */
export const DUTY_GRAINS = ["month", "day"] as const;
export type DutyGrain = (typeof DUTY_GRAINS)[number];
