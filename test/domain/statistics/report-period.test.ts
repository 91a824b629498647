import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isValidIsoDate } from "../../../src/domain/calendar/calendar-days.js";
import { expandPeriod, reportMonth, reportMonthOf, reportMonthsIn, resolvePeriod } from "../../../src/domain/statistics/report-period.js";
import { computeScorecard, ratingOf } from "../../../src/domain/statistics/scorecard.js";

describe("report periods (Circular 01/2020: 15th to 14th)", () => {
  it.each([
    ["2026", { from: "2025-12-15", to: "2026-12-14" }],
    ["2026-Q2", { from: "2026-03-15", to: "2026-06-14" }],
    ["2026-Q4", { from: "2026-09-15", to: "2026-12-14" }],
    ["2026-H1", { from: "2025-12-15", to: "2026-06-14" }],
    ["2026-12", { from: "2026-11-15", to: "2026-12-14" }],
  ])("%s", (period, range) => expect(expandPeriod(period)).toEqual(range));

  it.each(["2026-13", "2026-Q0", "2026-H3", "26", "2026-1", "2026-Q1x", ""])("refuses %j", (period) => expect(expandPeriod(period)).toBeNull());

  it("puts the 14th in its month and the 15th in the next", () => {
    expect(reportMonthOf("2025-03-14")).toBe("2025-03");
    expect(reportMonthOf("2025-03-15")).toBe("2025-04");
    expect(reportMonthOf("2025-12-15")).toBe("2026-01");
  });

  it("splits any range into report months that tile it exactly", () => {
    const day = fc.integer({ min: 0, max: 2000 }).map((n) => new Date(Date.UTC(2024, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, day, (a, b) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        const months = reportMonthsIn({ from, to });
        expect(months[0]!.range.from).toBe(from);
        expect(months.at(-1)!.range.to).toBe(to);
        for (const [i, m] of months.entries()) {
          expect(reportMonthOf(m.range.from)).toBe(m.key);
          expect(reportMonthOf(m.range.to)).toBe(m.key);
          const next = months[i + 1];
          if (next) expect(new Date(`${m.range.to}T00:00:00Z`).getTime() + 86_400_000).toBe(new Date(`${next.range.from}T00:00:00Z`).getTime());
        }
      }),
    );
  });

  it("resolves explicit dates or a named period, never both", () => {
    expect(resolvePeriod({ from: "2025-01-01", to: "2025-01-31" }, isValidIsoDate)).toEqual({ range: { from: "2025-01-01", to: "2025-01-31" } });
    expect(resolvePeriod({ period: "2025", to: "2025-01-31" }, isValidIsoDate)).toMatchObject({ errors: [{ field: "period" }] });
    expect(resolvePeriod({ from: "2025-02-30", to: "2025-03-01" }, isValidIsoDate)).toMatchObject({ errors: [{ field: "from" }] });
  });
});

describe("Decision 766 arithmetic", () => {
  it.each([
    [90, "excellent"],
    [89.99, "good"],
    [80, "good"],
    [70, "fair"],
    [50, "average"],
    [49.99, "weak"],
  ] as const)("%d%% of the measurable maximum is %s", (pct, rating) => expect(ratingOf(pct)).toBe(rating));

  it("gives full points at the thresholds and proportional ones below", () => {
    const card = computeScorecard({
      handled: 10, progressOnTime: 10, received: 10, receivedOnline: 5, receivedDigitized: 8, withFee: 4, paidOnline: 4,
      resolved: 10, resolvedLate: 1, ratings: 0, dissatisfied: 0,
    });
    expect(card.groups.filter((g) => g.measurable).map((g) => [g.key, g.points])).toEqual([
      ["progress", 20], ["online_service", 12], ["digitization", 22], ["online_payment", 10], ["satisfaction", 18],
    ]);
    expect(card.total).toEqual({ points: 82, maxPoints: 82, percentOfMax: 100, rating: "excellent" });
    const empty = computeScorecard({ handled: 0, progressOnTime: 0, received: 0, receivedOnline: 0, receivedDigitized: 0, withFee: 0, paidOnline: 0, resolved: 0, resolvedLate: 0, ratings: 0, dissatisfied: 0 });
    expect(empty.groups.every((g) => g.rate === null && g.points === 0)).toBe(true);
  });
});

describe("years before 1000", () => {
  it("writes years with four digits and refuses year 0", () => {
    expect(reportMonth(999, 1)).toEqual({ from: "0998-12-15", to: "0999-01-14" });
    expect(reportMonthOf("0999-12-20")).toBe("1000-01");
    expect(expandPeriod("0000")).toBeNull();
    expect(expandPeriod("1000-Q1")).toEqual({ from: "0999-12-15", to: "1000-03-14" });
  });
});
