/**
 * The time-driven events of a dossier (API.md "Outbound"; issue #15): when `dossier.at_risk`
 * (75 % and 90 % of the committed working time used), `dossier.overdue` (the due instant passed
 * while open) and `duty.overdue` (a Decree 118 duty's deadline passed, DOMAIN.md §10) fire.
 *
 * A pure function of the dossier's replayed history and its calendar: any change (an event, a
 * pause, a restart, an extension letter, a calendar change) is handled by planning again from
 * scratch; the durable schedule (outbound_schedule) keeps the plan and, per moment key, whether it
 * fired. Keys are stable across re-planning, so a moment that moves keeps its key and still fires
 * exactly once; `fired` removes what already fired.
 *
 * Decisions:
 * - "Working time used" is counted on the working calendar (DOMAIN.md §4), pauses excluded: the
 *   75 % moment is the instant at which 75 % of the committed working minutes have run, not 75 %
 *   of the wall-clock span to the due date.
 * - A restart (Decree 118/2025 art. 19(5): "thời hạn giải quyết được tính lại từ đầu sau khi nhận
 *   đủ hồ sơ") begins a NEW period: the duration runs again from zero and the earlier warnings
 *   were about a deadline that no longer exists, so the thresholds fire again for the new period
 *   (the key carries the period). A pause (suspension; the supplement under Decree
 *   61/2018) keeps the period: its thresholds move later, keep their keys, fire once.
 * - While the clock is paused (supplement requested, suspended) nothing about the dossier's own
 *   deadline is planned: the clock does not run, and a dossier waiting for a supplement cannot
 *   run late (DOMAIN.md §6); the resume re-plans. A dossier suspended after its due instant was
 *   overdue before the suspension: that moment already fired.
 * - `dossier.overdue` fires 1 ms after the due instant: the fold calls a dossier overdue when
 *   now > dueAt, and the warning must not precede what the dossier's own view says.
 * - An extension letter does not cure lateness (DOMAIN.md §5; Decree 118/2025 art. 19(6)): the
 *   overdue moment stays at the fold's due instant; a second `dossier.overdue` (basis
 *   "rescheduled") fires if the rescheduled appointment passes too.
 * - An at-risk warning that comes due after the overdue moment has passed is stale: it carries
 *   `expiresAt` (the overdue moment) and the scheduler drops it instead of sending it, so a late
 *   sync does not send "75 %, 90 %, overdue" all at once.
 * - Duties: every duty still owed (duties.ts `owed`) fires once at its due instant + 1 ms (a duty
 *   is overdue when now > dueAt). The extension notice is not planned: it is owed only by a
 *   dossier that turns out late, which is known only then (duties.ts extensionNoticeDuty).
 *   Duties owed after the result (the correction of an error, Decree 118/2025 art. 23(1)) are
 *   planned for a returned dossier too; nothing is planned for a cancelled or stopped dossier.
 */
import type { WorkingCalendar } from "../calendar/working-calendar.js";
import { computeDueAt, laterBy, type DossierReplay } from "../dossier/dossier-fold.js";
import { OPEN_STATUSES } from "../dossier/dossier-types.js";
import { deriveDuties, type DutyKind } from "../dossier/duties.js";
import type { MomentEventType } from "./outbound-types.js";

/** Thresholds of committed working time used (API.md "Outbound": 75 % and 90 %). */
export const AT_RISK_THRESHOLDS = [75, 90] as const;

export interface Moment {
  /** Stable across re-planning: see the decisions above. */
  readonly key: string;
  readonly eventType: MomentEventType;
  /** The instant it fires (epoch ms). */
  readonly at: number;
  /** A moment still unfired at this instant is dropped, not sent (stale at-risk warnings); null = never. */
  readonly expiresAt: number | null;
  readonly detail: MomentDetail;
}

export type MomentDetail =
  | { readonly kind: "at_risk"; readonly percent: number; readonly dueAt: number; readonly periodStartedAt: number }
  | { readonly kind: "overdue"; readonly basis: "due" | "rescheduled"; readonly dueAt: number; readonly periodStartedAt: number }
  | { readonly kind: "duty_overdue"; readonly duty: DutyKind; readonly agencyCode: string; readonly dueAt: number };

export interface MomentInput {
  readonly replay: DossierReplay;
  readonly calendar: WorkingCalendar;
  /** The apology/extension letter's new appointment, if any (dossiers.rescheduled_due_at). */
  readonly rescheduledDueAt?: number | null;
  /** Keys already fired for this dossier (outbound_schedule.fired_at not null). */
  readonly fired?: ReadonlySet<string>;
}

/** Every moment still to fire for the dossier, in the order they come (then by key). */
export function planMoments(input: MomentInput): Moment[] {
  const { replay, calendar } = input;
  const fired = input.fired ?? new Set<string>();
  const moments: Moment[] = [];
  if (replay.status === "cancelled" || replay.status === "stopped") return [];

  const open = OPEN_STATUSES.includes(replay.status);
  const last = replay.points[replay.points.length - 1]!;
  if (open && last.openPauseStart === null) {
    const start = replay.clockStartedAt;
    const baseDue = computeDueAt(calendar, start, replay.facts.committedDuration);
    // The fold's due instant (evaluateDossier) with no pause running: moved by the ended pauses of this period.
    const dueAt = laterBy(calendar, baseDue, last.closedDueMinutes);
    const committedMinutes = Math.max(0, calendar.workingMinutesBetween(start, baseDue));
    const pauses = replay.pauses.slice(replay.firstDuePause);
    const overdueAt = dueAt + 1;
    // The period's identity is how many pauses came before its start (0 until a restart), not
    // the start instant: a calendar change moving the start must not make a new period.
    const period = `p${replay.firstDuePause}`;
    for (const percent of AT_RISK_THRESHOLDS) {
      const used = (committedMinutes * percent) / 100;
      // A pause only ever delays (DOMAIN.md §4 "Pauses"): never earlier than with no pause, which a
      // split of fractional minutes at a pause could otherwise make by a rounded millisecond.
      const at = Math.min(dueAt, Math.max(instantWhenUsed(calendar, start, [], used), instantWhenUsed(calendar, start, pauses, used)));
      moments.push({ key: `at_risk:${percent}:${period}`, eventType: "dossier.at_risk", at, expiresAt: overdueAt, detail: { kind: "at_risk", percent, dueAt, periodStartedAt: start } });
    }
    moments.push({ key: `overdue:${period}`, eventType: "dossier.overdue", at: overdueAt, expiresAt: null, detail: { kind: "overdue", basis: "due", dueAt, periodStartedAt: start } });
    const rescheduled = input.rescheduledDueAt ?? null;
    // DOMAIN.md §5: the appointment is rescheduled only once, so one key.
    if (rescheduled !== null && rescheduled > dueAt)
      moments.push({
        key: "overdue:rescheduled",
        eventType: "dossier.overdue",
        at: rescheduled + 1,
        expiresAt: null,
        detail: { kind: "overdue", basis: "rescheduled", dueAt: rescheduled, periodStartedAt: start },
      });
  }

  if (replay.legalFrame === "decree-118-2025") {
    const { facts } = replay;
    const duties = deriveDuties(
      {
        receivedAt: facts.receivedAt,
        submittedAt: facts.submittedAt,
        channel: facts.channel,
        receivingAgencyCode: facts.receivingAgencyCode,
        handlingAgencyCode: facts.handlingAgencyCode,
        supplementCompletion: facts.supplementCompletion,
        ...replay.duties,
      },
      calendar,
    );
    const ordinal = new Map<DutyKind, number>();
    for (const duty of duties) {
      const n = ordinal.get(duty.kind) ?? 0;
      ordinal.set(duty.kind, n + 1);
      // Only what someone still owes can become overdue; the supplement-request window owes nothing (duties.ts).
      if (!duty.owed || duty.kind === "supplement_request_window") continue;
      moments.push({
        key: `duty:${duty.kind}:${n}`,
        eventType: "duty.overdue",
        at: duty.dueAt + 1,
        expiresAt: null,
        detail: { kind: "duty_overdue", duty: duty.kind, agencyCode: duty.agencyCode, dueAt: duty.dueAt },
      });
    }
  }

  return moments.filter((m) => !fired.has(m.key)).sort((a, b) => a.at - b.at || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * The instant at which `minutes` of working time have run since `start`, the pauses (ended, in
 * order, all after `start`) not counting. Equals the fold's due instant for the whole budget.
 */
function instantWhenUsed(calendar: WorkingCalendar, start: number, pauses: readonly { readonly start: number; readonly end: number | null }[], minutes: number): number {
  let t = start;
  let remaining = minutes;
  for (const pause of pauses) {
    if (pause.end === null) break;
    const before = Math.max(0, calendar.workingMinutesBetween(t, Math.max(t, pause.start)));
    if (before >= remaining) break;
    remaining -= before;
    t = Math.max(t, pause.end);
  }
  return Math.round(remaining * 60_000) >= 1 ? calendar.addWorkingMinutes(t, remaining) : calendar.nextWorkingInstant(t);
}
