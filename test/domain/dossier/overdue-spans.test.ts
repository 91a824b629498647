/**
 * Overdue stretches: "was this dossier overdue at instant X?" must answer exactly what the fold
 * would have said at X (DOMAIN.md §6 "pending at the period's end").
 */
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { DEFAULT_CALENDAR_RULES } from "../../../src/domain/calendar/calendar-defaults.js";
import { vnDaysOfYear } from "../../../src/domain/calendar/calendar-days.js";
import { createWorkingCalendar } from "../../../src/domain/calendar/working-calendar.js";
import { computeDueAt, foldDossier, type DossierFacts } from "../../../src/domain/dossier/dossier-fold.js";
import type { DossierEvent } from "../../../src/domain/dossier/dossier-types.js";
import { overdueSpans, type OverdueSpan } from "../../../src/domain/dossier/overdue-spans.js";
import { formatInstant } from "../../../src/domain/time.js";

const calendar = createWorkingCalendar(DEFAULT_CALENDAR_RULES, vnDaysOfYear);
const at = (iso: string) => DateTime.fromISO(iso, { setZone: true }).toMillis();
const A = "000.00.01.H22";

function facts(supplementPolicy: "pause" | "restart" = "pause"): DossierFacts {
  const receivedAt = at("2025-03-03T08:00:00+07:00");
  const committedDuration = { value: 3, unit: "working_days" } as const;
  return {
    receivedAt,
    receivingAgencyCode: A,
    handlingAgencyCode: A,
    committedDuration,
    legalDuration: { value: 5, unit: "working_days" },
    supplementPolicy,
    supplementCompletion: null,
    channel: "direct",
    submittedAt: null,
    steps: [],
    originalDueAt: computeDueAt(calendar, receivedAt, committedDuration),
  };
}

const ev = (type: DossierEvent["type"], iso: string, extra: Record<string, unknown> = {}) =>
  ({ eventId: `${type}@${iso}`, type, occurredAt: at(iso), agencyCode: A, ...extra }) as DossierEvent;

const show = (spans: OverdueSpan[]) => spans.map((s) => [s.basis, formatInstant(s.from), s.to === null ? null : formatInstant(s.to)]);

const overdueAt = (spans: readonly OverdueSpan[], basis: string, x: number) =>
  spans.some((s) => s.basis === basis && s.from < x && (s.to === null || x < s.to));

const history = [
  ev("transferred", "2025-03-03T09:00:00+07:00", { toAgencyCode: A }),
  ev("supplement_requested", "2025-03-06T10:00:00+07:00", { reason: "thiếu giấy tờ" }),
  ev("supplement_received", "2025-03-07T08:00:00+07:00"),
  ev("result_ready", "2025-03-12T09:00:00+07:00", { outcome: "approved" }),
];

describe("overdue spans", () => {
  it("an untouched dossier is overdue from its due instant on, for each basis", () => {
    expect(show(overdueSpans(facts(), [], calendar))).toEqual([
      ["committed", "2025-03-06T08:00:00+07:00", null],
      ["legal", "2025-03-10T08:00:00+07:00", null],
    ]);
  });

  it("a supplement request interrupts the stretch; after the pause the moved due has passed already", () => {
    // Overdue Thu 08:00; paused Thu 10:00 – Fri 08:00 (330 + 30 = 360 working minutes): the due
    // moves to Thu 15:30, already past when the supplement arrives on Friday morning.
    expect(show(overdueSpans(facts(), history, calendar))).toEqual([
      ["committed", "2025-03-06T08:00:00+07:00", "2025-03-06T10:00:00+07:00"],
      ["committed", "2025-03-07T08:00:00+07:00", "2025-03-12T09:00:00+07:00"],
      // Legal: Mon 10 08:00 + 360 -> Mon 10 15:30, late until the result.
      ["legal", "2025-03-10T15:30:00+07:00", "2025-03-12T09:00:00+07:00"],
    ]);
  });

  it("a restart makes an overdue dossier within time again", () => {
    const spans = overdueSpans(facts("restart"), history.slice(0, 3), calendar);
    // Restarted Fri 07 08:00 with 3 days: due Wed 12 08:00.
    expect(show(spans).filter(([basis]) => basis === "committed")).toEqual([
      ["committed", "2025-03-06T08:00:00+07:00", "2025-03-06T10:00:00+07:00"],
      ["committed", "2025-03-12T08:00:00+07:00", null],
    ]);
  });

  it.each(["pause", "restart"] as const)("agrees with the fold at every half hour for two weeks (%s policy)", (policy) => {
    const f = facts(policy);
    const spans = overdueSpans(f, history, calendar);
    for (let x = at("2025-03-03T08:00:00+07:00"); x < at("2025-03-17T08:00:00+07:00"); x += 30 * 60_000 + 7_000) {
      const folded = foldDossier(f, history.filter((e) => e.occurredAt <= x), calendar, x);
      if (!folded.ok) throw new Error(folded.violation.message);
      const { state } = folded;
      const open = !["result_ready", "returned", "stopped", "cancelled"].includes(state.status);
      expect(overdueAt(spans, "committed", x), formatInstant(x)).toBe(state.overdue);
      expect(overdueAt(spans, "legal", x), formatInstant(x)).toBe(open && !state.paused && x > state.legalDueAt);
    }
  });
});
