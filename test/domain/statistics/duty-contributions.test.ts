import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dayOfInstant, dutyContributions, missesDeadline, planDutyCount, type DutyContribution } from "../../../src/domain/statistics/duty-contributions.js";
import { reportMonthOf } from "../../../src/domain/statistics/report-period.js";
import { dutyTotalsChanges } from "../../../src/db/rows/duty-totals.js";

const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;

describe("which duties a dossier adds to the counts (Decree 118/2025, DOMAIN.md §10)", () => {
  const due = at("2025-07-21T17:00:00+07:00");
  it("a duty done after its deadline, or owed and not done; not one done in time, nor an unused supplement-request window", () => {
    expect(missesDeadline({ kind: "transfer", dueAt: due, doneAt: due + 1 })).toBe(true);
    expect(missesDeadline({ kind: "transfer", dueAt: due, doneAt: due })).toBe(false);
    expect(missesDeadline({ kind: "transfer", dueAt: due, doneAt: null })).toBe(true);
    // Art. 19(5): no request may be needed; only a request after the window counts, as done late.
    expect(missesDeadline({ kind: "supplement_request_window", dueAt: due, doneAt: null })).toBe(false);
    expect(missesDeadline({ kind: "supplement_request_window", dueAt: due, doneAt: due + HOUR })).toBe(true);
  });

  it("by the Vietnam-local day of the deadline; nothing for a cancelled dossier (DOMAIN.md §3)", () => {
    const duties = [
      { kind: "transfer" as const, agencyCode: "A", dueAt: at("2025-07-21T23:30:00+07:00"), doneAt: null },
      { kind: "consultation_reply" as const, agencyCode: "B", dueAt: at("2025-07-21T17:00:00+07:00"), doneAt: at("2025-07-21T16:00:00+07:00") },
      { kind: "result_correction" as const, agencyCode: "A", dueAt: at("2025-07-31T17:00:00Z"), doneAt: at("2025-08-02T09:00:00+07:00") },
    ];
    expect(dutyContributions("in_progress", duties)).toEqual([
      { day: "2025-07-21", agencyCode: "A", kind: "transfer" },
      // 17:00 UTC on 31 Jul is 00:00 on 1 Aug in Vietnam.
      { day: "2025-08-01", agencyCode: "A", kind: "result_correction" },
    ]);
    expect(dutyContributions("cancelled", duties)).toEqual([]);
  });
});

describe("planDutyCount", () => {
  const midnight = (date: string) => at(`${date}T00:00:00+07:00`);

  it("a year as of a day inside it: whole report months, the days of the current one, and today before now", () => {
    const plan = planDutyCount(midnight("2024-12-15"), midnight("2025-12-15"), at("2025-10-20T10:00:00+07:00"));
    expect(plan.months).toEqual({ first: "2025-01", last: "2025-10" });
    expect(plan.days).toEqual(["2025-10-15", "2025-10-16", "2025-10-17", "2025-10-18", "2025-10-19"]);
    expect(plan.passes).toEqual([{ from: midnight("2025-10-20"), to: at("2025-10-20T10:00:00+07:00") }]);
  });

  it("a past year: its report months alone", () => {
    expect(planDutyCount(midnight("2024-12-15"), midnight("2025-12-15"), at("2026-01-10T09:00:00+07:00"))).toEqual({
      months: { first: "2025-01", last: "2025-12" },
      days: [],
      passes: [],
    });
  });

  it("a period after now, or empty: nothing", () => {
    expect(planDutyCount(midnight("2025-11-01"), midnight("2025-11-02"), midnight("2025-11-01"))).toEqual({ months: null, days: [], passes: [] });
    expect(planDutyCount(midnight("2025-11-02"), midnight("2025-11-02"), midnight("2026-01-01"))).toEqual({ months: null, days: [], passes: [] });
  });

  it("covers [p0, min(p1, now)) exactly once, for any bounds and any now", () => {
    const base = at("2024-11-01T00:00:00+07:00");
    const instant = fc.oneof(
      // Midnights (as reports ask), and any millisecond (as the port allows).
      fc.integer({ min: 0, max: 500 }).map((d) => base + d * 86_400_000),
      fc.integer({ min: 0, max: 500 * 86_400_000 }).map((ms) => base + ms),
    );
    fc.assert(
      fc.property(instant, instant, instant, fc.array(fc.integer({ min: -3 * 86_400_000, max: 503 * 86_400_000 }), { minLength: 20, maxLength: 20 }), (a, b, now, probes) => {
        const [p0, p1] = a <= b ? [a, b] : [b, a];
        const plan = planDutyCount(p0, p1, now);
        const days = new Set(plan.days);
        expect(days.size).toBe(plan.days.length);
        const covered = (x: number) => {
          const day = dayOfInstant(x);
          const month = reportMonthOf(day);
          return (
            (plan.months !== null && month >= plan.months.first && month <= plan.months.last ? 1 : 0) +
            (days.has(day) ? 1 : 0) +
            plan.passes.filter((pass) => x >= pass.from && x < pass.to).length
          );
        };
        // Around the edges, and anywhere.
        for (const x of [p0 - 1, p0, p1 - 1, p1, now - 1, now, ...probes.map((ms) => base + ms)]) {
          expect(covered(x), `${new Date(x).toISOString()} in [${new Date(p0).toISOString()}, min(${new Date(p1).toISOString()}, ${new Date(now).toISOString()}))`).toBe(
            x >= p0 && x < Math.min(p1, now) ? 1 : 0,
          );
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe("dutyTotalsChanges", () => {
  const group = { field: "HT", procedure: "1.000001", channel: "direct" as const };
  const c = (day: string, agencyCode: string, kind: DutyContribution["kind"] = "transfer"): DutyContribution => ({ day, agencyCode, kind });

  it("moves a duty from one day to another, leaving what did not change", () => {
    const { cells, rollups } = dutyTotalsChanges([c("2025-07-21", "A"), c("2025-07-22", "B")], [c("2025-07-22", "B"), c("2025-07-23", "A")], group);
    expect(cells).toEqual([
      { grain: "day", bucket: "2025-07-21", agencyCode: "A", kind: "transfer", n: -1 },
      { grain: "day", bucket: "2025-07-23", agencyCode: "A", kind: "transfer", n: 1 },
    ]);
    // Both days are in report month 2025-08 (15 Jul – 14 Aug): no monthly change.
    expect(rollups.filter((r) => r.dimension === "field")).toEqual([
      { dimension: "field", grain: "day", bucket: "2025-07-21", key: "HT", kind: "transfer", n: -1 },
      { dimension: "field", grain: "day", bucket: "2025-07-23", key: "HT", kind: "transfer", n: 1 },
    ]);
  });

  it("sums duties of two agencies into one roll-up row of the dossier's group, each key once, in a fixed order", () => {
    const { cells, rollups } = dutyTotalsChanges([], [c("2025-07-21", "B"), c("2025-07-21", "A"), c("2025-07-21", "A")], group);
    expect(cells.map((x) => [x.grain, x.agencyCode, x.n])).toEqual([
      ["day", "A", 2],
      ["day", "B", 1],
      ["month", "A", 2],
      ["month", "B", 1],
    ]);
    const keys = rollups.map((r) => [r.dimension, r.grain, r.bucket, r.key, r.kind].join("|"));
    expect(new Set(keys).size).toBe(keys.length);
    expect(rollups.map((r) => r.dimension)).toEqual(["all", "all", "agency", "agency", "agency", "agency", "channel", "channel", "field", "field", "procedure", "procedure"]);
    expect(rollups.find((r) => r.dimension === "procedure" && r.grain === "month")).toEqual({ dimension: "procedure", grain: "month", bucket: "2025-08", key: "1.000001", kind: "transfer", n: 3 });
  });
});
