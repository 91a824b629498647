import { describe, expect, it } from "vitest";
import {
  isValidIsoDate,
  listDays,
  resolveDaysOfYear,
  vnDaysOfYear,
} from "../../../src/domain/calendar/calendar-days.js";
import type { DatedDay, PublishedYear } from "../../../src/domain/calendar/calendar-types.js";
import { vnRuleDays } from "../../../src/domain/calendar/vn-holidays.js";
import { VN_OFFICIAL_SCHEDULES } from "../../../src/domain/calendar/vn-official-schedules.js";

const WEEKDAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
const weekdayOf = (iso: string) => WEEKDAY_NAMES[new Date(`${iso}T00:00:00Z`).getUTCDay()];

/** Every date from `from` to `to`, inclusive. */
function range(from: string, to: string): string[] {
  const dates: string[] = [];
  const end = new Date(`${to}T00:00:00Z`);
  for (const d = new Date(`${from}T00:00:00Z`); d <= end; d.setUTCDate(d.getUTCDate() + 1)) {
    dates.push(d.toISOString().slice(0, 10));
  }
  return dates;
}

const datesOf = (days: readonly DatedDay[], kind: DatedDay["kind"]) =>
  days.filter((day) => day.kind === kind).map((day) => day.date);

const override = (date: string, kind: DatedDay["kind"], name = "override"): DatedDay => ({
  date,
  kind,
  name,
  source: "override",
});

describe("vnDaysOfYear: the official civil-service schedules (DOMAIN.md §7)", () => {
  it("2024: off 1 Jan, 8–14 Feb, 18 Apr, 27 Apr–1 May, 31 Aug–3 Sep; Sat 4 May worked", () => {
    const days = vnDaysOfYear(2024);
    expect(datesOf(days, "day_off")).toEqual([
      "2024-01-01",
      ...range("2024-02-08", "2024-02-14"),
      "2024-04-18",
      ...range("2024-04-27", "2024-05-01"),
      ...range("2024-08-31", "2024-09-03"),
    ]);
    expect(datesOf(days, "working_day")).toEqual(["2024-05-04"]);
    expect(days.find((day) => day.date === "2024-04-29")?.name).toBe(
      "Nghỉ hoán đổi (làm bù thứ Bảy 04/05/2024)",
    );
  });

  it("2025: off 1 Jan, 25 Jan–2 Feb, 7 Apr, 30 Apr–4 May, 30 Aug–2 Sep; Sat 26 Apr worked", () => {
    const days = vnDaysOfYear(2025);
    expect(datesOf(days, "day_off")).toEqual([
      "2025-01-01",
      ...range("2025-01-25", "2025-02-02"),
      "2025-04-07",
      ...range("2025-04-30", "2025-05-04"),
      ...range("2025-08-30", "2025-09-02"),
    ]);
    expect(datesOf(days, "working_day")).toEqual(["2025-04-26"]);
    expect(days.find((day) => day.date === "2025-05-02")?.name).toBe(
      "Nghỉ hoán đổi (làm bù thứ Bảy 26/04/2025)",
    );
    expect(days.find((day) => day.date === "2025-09-01")?.name).toBe("Quốc khánh (ngày liền kề)");
  });

  it("2026: off 1–4 Jan, 14–22 Feb, 26–27 Apr, 30 Apr–3 May, 29 Aug–2 Sep, 24 Nov; Sat 10 Jan and Sat 22 Aug worked", () => {
    const days = vnDaysOfYear(2026);
    expect(datesOf(days, "day_off")).toEqual([
      ...range("2026-01-01", "2026-01-04"),
      ...range("2026-02-14", "2026-02-22"),
      "2026-04-26",
      "2026-04-27",
      ...range("2026-04-30", "2026-05-03"),
      ...range("2026-08-29", "2026-09-02"),
      "2026-11-24",
    ]);
    expect(datesOf(days, "working_day")).toEqual(["2026-01-10", "2026-08-22"]);
    expect(days.find((day) => day.date === "2026-01-02")?.name).toBe(
      "Nghỉ hoán đổi (làm bù thứ Bảy 10/01/2026)",
    );
    expect(days.find((day) => day.date === "2026-04-27")?.name).toBe("Nghỉ bù Giỗ Tổ Hùng Vương");
    expect(days.find((day) => day.date === "2026-08-31")?.name).toBe(
      "Nghỉ hoán đổi (làm bù thứ Bảy 22/08/2026)",
    );
    expect(days.find((day) => day.date === "2026-11-24")?.name).toBe("Ngày Văn hóa Việt Nam");
  });

  it("pairs each swapped weekday with a make-up Saturday that keeps the standard hours", () => {
    for (const [swapped, saturday] of [
      ["2024-04-29", "2024-05-04"],
      ["2025-05-02", "2025-04-26"],
      ["2026-01-02", "2026-01-10"],
      ["2026-08-31", "2026-08-22"],
    ] as const) {
      const year = Number(swapped.slice(0, 4));
      const days = vnDaysOfYear(year);
      expect(weekdayOf(saturday)).toBe("sat");
      expect(["mon", "fri"]).toContain(weekdayOf(swapped));
      expect(days.find((day) => day.date === swapped)?.kind).toBe("day_off");
      const makeUp = days.find((day) => day.date === saturday);
      expect(makeUp?.kind).toBe("working_day");
      expect(makeUp?.hours).toBeUndefined();
    }
  });

  it("ships every official day as sorted, unique, named, frozen data of its own year", () => {
    for (const [year, days] of Object.entries(VN_OFFICIAL_SCHEDULES)) {
      const dates = days.map((day) => day.date);
      expect(dates).toEqual([...new Set(dates)].sort());
      expect(dates.every((date) => date.startsWith(`${year}-`) && isValidIsoDate(date))).toBe(true);
      expect(days.every((day) => day.source === "official" && day.name.trim() !== "")).toBe(true);
      expect(Object.isFrozen(days) && days.every((day) => Object.isFrozen(day))).toBe(true);
    }
    expect(Object.keys(VN_OFFICIAL_SCHEDULES)).toEqual(["2024", "2025", "2026"]);
  });

  it("replaces the rule proposal entirely in a year with a schedule (no 15 Feb 2024 substitute)", () => {
    expect(vnRuleDays(2024).some((day) => day.date === "2024-02-15")).toBe(true);
    expect(vnDaysOfYear(2024).some((day) => day.date === "2024-02-15")).toBe(false);
    expect(vnDaysOfYear(2024).every((day) => day.source === "official")).toBe(true);
  });

  it("falls back to the rule proposal for other years", () => {
    expect(vnDaysOfYear(2027)).toEqual(vnRuleDays(2027));
    expect(vnDaysOfYear(2023)).toEqual(vnRuleDays(2023));
    expect(vnDaysOfYear(2027)).toBe(vnDaysOfYear(2027)); // cached
  });
});

describe("resolveDaysOfYear: overrides win per date over the rule set's days", () => {
  it("turns an official day off into a working day and adds a day off", () => {
    const days = resolveDaysOfYear(2025, "vn", [
      override("2025-05-02", "working_day", "Mở cửa"),
      override("2025-06-10", "day_off", "Nghỉ địa phương"),
    ]);
    const byDate = new Map(days.map((day) => [day.date, day]));
    expect(byDate.get("2025-05-02")).toMatchObject({ kind: "working_day", source: "override" });
    expect(byDate.get("2025-06-10")).toMatchObject({ kind: "day_off", name: "Nghỉ địa phương" });
    expect(byDate.get("2025-05-01")?.source).toBe("official");
    expect(days).toHaveLength(vnDaysOfYear(2025).length + 1);
    expect(days.map((day) => day.date)).toEqual([...days.map((day) => day.date)].sort());
  });

  it('gives only the overrides for the rule set "none"', () => {
    const days = resolveDaysOfYear(2025, "none", [override("2025-03-03", "day_off")]);
    expect(days).toEqual([override("2025-03-03", "day_off")]);
    expect(resolveDaysOfYear(2025, "none", [])).toEqual([]);
  });

  it("ignores overrides of other years", () => {
    const days = resolveDaysOfYear(2025, "none", [
      override("2024-12-31", "day_off"),
      override("2025-12-31", "day_off"),
      override("2026-01-01", "working_day"),
    ]);
    expect(days.map((day) => day.date)).toEqual(["2025-12-31"]);
    expect(resolveDaysOfYear(2026, "vn", [override("2025-01-01", "working_day")])).toEqual(
      vnDaysOfYear(2026),
    );
  });

  it("does not alter the cached national calendar", () => {
    const before = vnDaysOfYear(2024).map((day) => ({ ...day }));
    resolveDaysOfYear(2024, "vn", [override("2024-01-01", "working_day")]);
    expect(vnDaysOfYear(2024)).toEqual(before);
  });
});

describe("resolveDaysOfYear: a year published through the API", () => {
  const notice = { number: "01/TB-TEST", date: "2026-11-20" };
  const published2027: PublishedYear = {
    year: 2027,
    document: notice,
    days: [
      { date: "2027-01-01", kind: "day_off", name: "Tết Dương lịch" },
      { date: "2027-02-05", kind: "day_off", name: "Tết Nguyên Đán" },
      { date: "2027-02-20", kind: "working_day", name: "Làm bù", hours: [["08:00", "12:00"]] },
    ],
  };

  it("replaces the rule proposal of its year entirely, each day citing the notice, not provisional", () => {
    const days = resolveDaysOfYear(2027, "vn", [], [published2027]);
    expect(days).toEqual([
      { date: "2027-01-01", kind: "day_off", name: "Tết Dương lịch", source: "official", document: notice, provisional: false },
      { date: "2027-02-05", kind: "day_off", name: "Tết Nguyên Đán", source: "official", document: notice, provisional: false },
      {
        date: "2027-02-20",
        kind: "working_day",
        name: "Làm bù",
        hours: [["08:00", "12:00"]],
        source: "official",
        document: notice,
        provisional: false,
      },
    ]);
    // The proposal's Tết (lunar new year Sat 6 Feb 2027) is gone with the rest of it.
    expect(vnDaysOfYear(2027).some((day) => day.date === "2027-02-06")).toBe(true);
    expect(days.some((day) => day.date === "2027-02-06")).toBe(false);
  });

  it("replaces the built-in schedule too, and applies to a calendar without holiday rules", () => {
    const only = { year: 2026, document: notice, days: [{ date: "2026-01-01", kind: "day_off" as const, name: "Tết Dương lịch" }] };
    expect(resolveDaysOfYear(2026, "vn", [], [only]).map((day) => day.date)).toEqual(["2026-01-01"]);
    expect(resolveDaysOfYear(2026, "none", [], [only]).map((day) => day.date)).toEqual(["2026-01-01"]);
  });

  it("loses to an override of the same date, and leaves other years alone", () => {
    const days = resolveDaysOfYear(2027, "vn", [override("2027-02-05", "working_day", "Mở cửa")], [published2027]);
    expect(days.find((day) => day.date === "2027-02-05")).toMatchObject({ kind: "working_day", source: "override" });
    expect(days.find((day) => day.date === "2027-01-01")?.source).toBe("official");
    expect(resolveDaysOfYear(2028, "vn", [], [published2027])).toEqual(vnDaysOfYear(2028));
  });
});

describe("listDays: the non-default days between two dates, inclusive", () => {
  it("crosses a year boundary", () => {
    const days = listDays("2024-12-01", "2025-01-31", vnDaysOfYear);
    expect(days.map((day) => day.date)).toEqual([
      "2025-01-01",
      ...range("2025-01-25", "2025-01-31"),
    ]);
  });

  it("includes both bounds and asks each year once", () => {
    const asked: number[] = [];
    const daysOfYear = (year: number) => {
      asked.push(year);
      return resolveDaysOfYear(year, "none", [
        override(`${year}-01-01`, "day_off"),
        override(`${year}-12-31`, "day_off"),
      ]);
    };
    const days = listDays("2025-12-31", "2027-01-01", daysOfYear);
    expect(days.map((day) => day.date)).toEqual([
      "2025-12-31",
      "2026-01-01",
      "2026-12-31",
      "2027-01-01",
    ]);
    expect(asked).toEqual([2025, 2026, 2027]);
  });

  it("keeps only the dates of the year asked for, sorted", () => {
    const sloppy = (year: number): DatedDay[] => [
      override(`${year}-06-02`, "day_off"),
      override(`${year}-06-01`, "day_off"),
      override(`${year + 1}-06-01`, "day_off"),
    ];
    expect(listDays("2025-01-01", "2026-12-31", sloppy).map((day) => day.date)).toEqual([
      "2025-06-01",
      "2025-06-02",
      "2026-06-01",
      "2026-06-02",
    ]);
  });

  it("is empty when from is after to, and refuses invalid dates", () => {
    expect(listDays("2025-02-01", "2025-01-01", vnDaysOfYear)).toEqual([]);
    expect(() => listDays("2025-02-30", "2025-03-01", vnDaysOfYear)).toThrow(RangeError);
    expect(() => listDays("2025-01-01", "2025-1-31", vnDaysOfYear)).toThrow(RangeError);
  });
});

describe("isValidIsoDate", () => {
  it.each(["2025-01-01", "2024-02-29", "2000-02-29", "2025-12-31", "0001-01-01", "9999-12-31"])(
    "accepts %s",
    (s) => expect(isValidIsoDate(s)).toBe(true),
  );
  it.each([
    "2025-02-30",
    "2025-02-29",
    "1900-02-29",
    "2025-04-31",
    "2025-13-01",
    "2025-00-10",
    "2025-01-00",
    "0000-01-01",
    "2025-1-01",
    "25-01-01",
    "2025/01/01",
    "2025-01-01T00:00",
    " 2025-01-01",
    "2025-01-01\n",
    "",
    "+02025-01-01",
  ])("refuses %j", (s) => expect(isValidIsoDate(s)).toBe(false));
});
