import Holidays from "date-holidays";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  VN_HOLIDAY_NAMES,
  VN_RULE_MAX_YEAR,
  VN_RULE_MIN_YEAR,
  vnRuleDays,
} from "../../../src/domain/calendar/vn-holidays.js";

const WEEKDAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
const weekdayOf = (iso: string) => WEEKDAY_NAMES[new Date(`${iso}T00:00:00Z`).getUTCDay()];
const isWeekend = (iso: string) => ["sat", "sun"].includes(weekdayOf(iso) ?? "");

function daysOff(year: number): Map<string, string> {
  return new Map(vnRuleDays(year).map((day) => [day.date, day.name]));
}

describe("vnRuleDays: the Labour Code 2019 proposal for a year without an official schedule", () => {
  it("proposes Tết as the lunar new year's eve and the first four lunar days (2027: new year Sat 6 Feb)", () => {
    const days = daysOff(2027);
    expect(days.get("2027-02-05")).toBe("Tết Nguyên Đán (giao thừa)");
    expect(days.get("2027-02-06")).toBe("Tết Nguyên Đán (mùng 1)");
    expect(days.get("2027-02-07")).toBe("Tết Nguyên Đán (mùng 2)");
    expect(days.get("2027-02-08")).toBe("Tết Nguyên Đán (mùng 3)");
    expect(days.get("2027-02-09")).toBe("Tết Nguyên Đán (mùng 4)");
    // mùng 1 (Sat) and mùng 2 (Sun) fall on the weekly rest: art. 111(3) gives Wed and Thu.
    expect(days.get("2027-02-10")).toBe("Nghỉ bù Tết Nguyên Đán (mùng 1)");
    expect(days.get("2027-02-11")).toBe("Nghỉ bù Tết Nguyên Đán (mùng 2)");
    expect(days.has("2027-02-04")).toBe(false);
    expect(days.has("2027-02-12")).toBe(false);
  });

  it("follows the lunar new year in 2028 (Wed 26 Jan) and 2030 (Sat 2 Feb, a day before China's)", () => {
    const tet2028 = [...daysOff(2028)].filter(([, name]) => name.startsWith("Tết Nguyên Đán"));
    expect(tet2028.map(([date]) => date)).toEqual([
      "2028-01-25",
      "2028-01-26",
      "2028-01-27",
      "2028-01-28",
      "2028-01-29",
    ]);
    const days2030 = daysOff(2030);
    expect(days2030.get("2030-02-01")).toBe("Tết Nguyên Đán (giao thừa)");
    expect(days2030.get("2030-02-02")).toBe("Tết Nguyên Đán (mùng 1)");
    expect(days2030.get("2030-02-05")).toBe("Tết Nguyên Đán (mùng 4)");
  });

  it("agrees with the lunar dates of date-holidays' own VN data set", () => {
    const reference = new Holidays("VN");
    for (const year of [2027, 2031, 2038, 2045]) {
      const publicHolidays = reference.getHolidays(year).filter((holiday) => holiday.type === "public");
      const dateOf = (rule: string) =>
        publicHolidays.find((holiday) => holiday.rule === rule)?.date.slice(0, 10);
      const days = daysOff(year);
      expect(days.get(dateOf("vietnamese 1-0-1") ?? "")).toBe("Tết Nguyên Đán (mùng 1)");
      expect(days.get(dateOf("vietnamese 3-0-10") ?? "")).toBe(VN_HOLIDAY_NAMES.hungKings);
    }
  });

  it("proposes Hùng Kings' day on the 10th day of the 3rd lunar month", () => {
    expect(daysOff(2027).get("2027-04-16")).toBe("Giỗ Tổ Hùng Vương");
    expect(daysOff(2028).get("2028-04-04")).toBe("Giỗ Tổ Hùng Vương");
    expect(daysOff(2030).get("2030-04-12")).toBe("Giỗ Tổ Hùng Vương");
  });

  it("lists the fixed-date holidays with their Vietnamese names, sorted, as rule days off", () => {
    const days = vnRuleDays(2027);
    expect(days.every((day) => day.kind === "day_off" && day.source === "rule")).toBe(true);
    expect(days.every((day) => day.hours === undefined)).toBe(true);
    expect(days.map((day) => day.date)).toEqual([...days.map((day) => day.date)].sort());
    const byDate = daysOff(2027);
    expect(byDate.get("2027-01-01")).toBe("Tết Dương lịch");
    expect(byDate.get("2027-04-30")).toBe("Ngày Chiến thắng");
    expect(byDate.get("2027-05-01")).toBe("Ngày Quốc tế Lao động");
    expect(byDate.get("2027-09-02")).toBe("Quốc khánh");
  });

  describe("art. 111(3): a holiday on a weekly rest day gives the next working day off", () => {
    it("gives Monday for a Saturday holiday (1 Jan 2028, 1 May 2027)", () => {
      expect(daysOff(2028).get("2028-01-03")).toBe("Nghỉ bù Tết Dương lịch");
      expect(daysOff(2027).get("2027-05-03")).toBe("Nghỉ bù Ngày Quốc tế Lao động");
    });

    it("skips another holiday: Sun 30 Apr 2028 gives Tue 2 May, since Mon 1 May is a holiday", () => {
      const days = daysOff(2028);
      expect(days.get("2028-05-01")).toBe("Ngày Quốc tế Lao động");
      expect(days.get("2028-05-02")).toBe("Nghỉ bù Ngày Chiến thắng");
    });

    it("skips the other substitutes: 2023 reproduces the 29 Apr – 3 May break the Government gave", () => {
      const days = daysOff(2023);
      expect(days.get("2023-04-29")).toBe("Giỗ Tổ Hùng Vương"); // Sat
      expect(days.get("2023-04-30")).toBe("Ngày Chiến thắng"); // Sun
      expect(days.get("2023-05-01")).toBe("Ngày Quốc tế Lao động"); // Mon
      expect(days.get("2023-05-02")).toBe("Nghỉ bù Giỗ Tổ Hùng Vương");
      expect(days.get("2023-05-03")).toBe("Nghỉ bù Ngày Chiến thắng");
      expect(days.has("2023-05-04")).toBe(false);
    });

    it("places the substitute for a Saturday mùng 4 after the weekend (Sat 29 Jan 2028 -> Mon 31 Jan)", () => {
      const days = daysOff(2028);
      expect(days.get("2028-01-31")).toBe("Nghỉ bù Tết Nguyên Đán (mùng 4)");
      expect(days.has("2028-01-30")).toBe(false);
    });

    it("holds for every year: each weekend holiday has its own later weekday substitute", () => {
      fc.assert(
        fc.property(fc.integer({ min: 2026, max: 2150 }), (year) => {
          const days = vnRuleDays(year);
          const dates = days.map((day) => day.date);
          expect(new Set(dates).size).toBe(dates.length);
          expect(dates.every((date) => date.startsWith(`${year}-`))).toBe(true);
          const substitutes = days.filter((day) => day.name.startsWith("Nghỉ bù "));
          const holidays = days.filter((day) => !day.name.startsWith("Nghỉ bù "));
          expect(substitutes.every((day) => !isWeekend(day.date))).toBe(true);
          // Art. 111(3) substitutes the art. 112 holidays only: not 24 Nov (Resolution 28/2026/QH16).
          const substituted = holidays.filter((day) => isWeekend(day.date) && day.name !== "Ngày Văn hóa Việt Nam");
          expect(substitutes.length).toBe(substituted.length);
          for (const holiday of substituted) {
            const substitute = substitutes.find((day) => day.name === `Nghỉ bù ${holiday.name}`);
            expect(substitute).toBeDefined();
            expect((substitute?.date ?? "") > holiday.date).toBe(true);
          }
          // Art. 112(1): 11 statutory days (Tết 5, National Day 2) plus 24 Nov from 2026.
          expect(holidays.length).toBe(12);
        }),
        { numRuns: 40 },
      );
    });
  });

  describe("National Day: 2 Sep and one adjacent day from 2021 (art. 112(1)(đ))", () => {
    it("reproduces the adjacent day the Government chose in 2021–2026", () => {
      const chosen: Record<number, string> = {
        2021: "2021-09-03", // 2 Sep Thu
        2022: "2022-09-01", // Fri
        2023: "2023-09-01", // Sat (and Mon 4 Sep as substitute)
        2024: "2024-09-03", // Mon
        2025: "2025-09-01", // Tue
        2026: "2026-09-01", // Wed
      };
      for (const [year, date] of Object.entries(chosen)) {
        expect(daysOff(Number(year)).get(date)).toBe("Quốc khánh (ngày liền kề)");
      }
      expect(daysOff(2023).get("2023-09-04")).toBe("Nghỉ bù Quốc khánh");
    });

    it("takes the Monday 3 Sep when 2 Sep is a Sunday, and the Tuesday as substitute (2029)", () => {
      expect(weekdayOf("2029-09-02")).toBe("sun");
      const days = daysOff(2029);
      expect(days.get("2029-09-03")).toBe("Quốc khánh (ngày liền kề)");
      expect(days.get("2029-09-04")).toBe("Nghỉ bù Quốc khánh");
      expect(days.has("2029-09-01")).toBe(false);
    });

    it("is a single day before 2021", () => {
      const days = daysOff(2020);
      expect(days.get("2020-09-02")).toBe("Quốc khánh");
      expect(days.has("2020-09-01")).toBe(false);
      expect(days.has("2020-09-03")).toBe(false);
    });
  });

  it("proposes 24 Nov (Ngày Văn hóa Việt Nam) from 2026 only, without a substitute on weekends (outside art. 112)", () => {
    expect(daysOff(2025).has("2025-11-24")).toBe(false);
    expect(daysOff(2026).get("2026-11-24")).toBe("Ngày Văn hóa Việt Nam");
    expect(daysOff(2027).get("2027-11-24")).toBe("Ngày Văn hóa Việt Nam");
    expect(daysOff(2029).get("2029-11-24")).toBe("Ngày Văn hóa Việt Nam"); // Sat
    // Resolution 28/2026/QH16 grants the day outside Labour Code art. 112: art. 111(3) gives no substitute.
    expect(daysOff(2029).has("2029-11-26")).toBe(false);
    expect(daysOff(2029).has("2029-11-25")).toBe(false);
  });

  it("returns a fresh array each call, so callers cannot corrupt the cache", () => {
    const first = vnRuleDays(2027);
    first.length = 0;
    expect(vnRuleDays(2027)).toHaveLength(15);
  });

  it("refuses years outside the supported range", () => {
    expect(() => vnRuleDays(VN_RULE_MIN_YEAR - 1)).toThrow(RangeError);
    expect(() => vnRuleDays(VN_RULE_MAX_YEAR + 1)).toThrow(RangeError);
    expect(() => vnRuleDays(2027.5)).toThrow(RangeError);
  });
});
