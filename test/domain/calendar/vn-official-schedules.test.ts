/**
 * The built-in civil-service schedules as published (DOMAIN.md §7), with their provenance: every
 * official day names the text that sets it, or says that no text we hold does (provisional).
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_CALENDAR_RULES } from "../../../src/domain/calendar/calendar-defaults.js";
import { isProvisional, isValidIsoDate, vnDaysOfYear } from "../../../src/domain/calendar/calendar-days.js";
import type { DatedDay } from "../../../src/domain/calendar/calendar-types.js";
import { VN_OFFICIAL_SCHEDULES } from "../../../src/domain/calendar/vn-official-schedules.js";
import { createWorkingCalendar } from "../../../src/domain/calendar/working-calendar.js";

const ART_112 = "Bộ luật Lao động 2019, Điều 112";
const ART_111 = "Bộ luật Lao động 2019, Điều 111";
const ART_111_3 = "Bộ luật Lao động 2019, Điều 111, khoản 3";

const dayOf = (date: string): DatedDay => {
  const day = vnDaysOfYear(Number(date.slice(0, 4))).find((d) => d.date === date);
  if (day === undefined) throw new Error(`${date} is not a non-default day`);
  return day;
};
const documentOf = (date: string) => dayOf(date).document;

/** The weekdays (and make-up Saturdays) a Government notice we do not hold set in 2024 and 2025. */
const NOT_HELD_2024_2025 = [
  "2024-02-08",
  "2024-02-09",
  "2024-02-12",
  "2024-02-13",
  "2024-02-14",
  "2024-04-29",
  "2024-05-04",
  "2025-01-27",
  "2025-01-28",
  "2025-01-29",
  "2025-01-30",
  "2025-01-31",
  "2025-04-26",
  "2025-05-02",
];

describe("2026 as published", () => {
  it("gives 1–4 Jan off and works Sat 10 Jan (Công văn 12729/VPCP-KGVX, 25 Dec 2025)", () => {
    expect(dayOf("2026-01-01")).toMatchObject({ kind: "day_off", name: "Tết Dương lịch", provisional: false });
    expect(documentOf("2026-01-01")).toMatchObject({ number: ART_112, date: null });
    for (const date of ["2026-01-02", "2026-01-03", "2026-01-04"]) {
      expect(dayOf(date), date).toMatchObject({ kind: "day_off", source: "official", provisional: false });
      expect(documentOf(date), date).toMatchObject({ number: "12729/VPCP-KGVX", date: "2025-12-25" });
    }
    expect(dayOf("2026-01-02").name).toBe("Nghỉ hoán đổi (làm bù thứ Bảy 10/01/2026)");
    expect(dayOf("2026-01-10")).toMatchObject({ kind: "working_day", name: "Làm bù (hoán đổi với ngày nghỉ thứ Sáu 02/01/2026)", provisional: false });
    expect(dayOf("2026-01-10").hours).toBeUndefined();
    expect(documentOf("2026-01-10")).toMatchObject({ number: "12729/VPCP-KGVX", date: "2025-12-25" });
    expect(vnDaysOfYear(2026).filter((d) => d.date < "2026-02-01").map((d) => d.date)).toEqual([
      "2026-01-01",
      "2026-01-02",
      "2026-01-03",
      "2026-01-04",
      "2026-01-10",
    ]);
  });

  it("cites Thông báo 9441/TB-BNV for every day of Tết (14–22 Feb), its date not being in our sources", () => {
    const tet = vnDaysOfYear(2026).filter((d) => d.date >= "2026-02-14" && d.date <= "2026-02-22");
    expect(tet).toHaveLength(9);
    for (const day of tet) expect(day.document, day.date).toMatchObject({ number: "9441/TB-BNV", date: null });
  });

  it("cites the Labour Code for the fixed holidays and the Hùng Kings substitute day", () => {
    for (const date of ["2026-04-26", "2026-04-30", "2026-05-01", "2026-09-01", "2026-09-02"])
      expect(documentOf(date)?.number, date).toBe(ART_112);
    expect(documentOf("2026-04-27")?.number).toBe(ART_111_3);
    for (const date of ["2026-05-02", "2026-05-03", "2026-08-29", "2026-08-30"]) expect(documentOf(date)?.number, date).toBe(ART_111);
  });

  it("keeps the Aug swap (Mon 31 Aug off, Sat 22 Aug worked) as provisional, without a document", () => {
    for (const date of ["2026-08-22", "2026-08-31"]) {
      expect(dayOf(date), date).toMatchObject({ source: "official", provisional: true });
      expect(documentOf(date), date).toBeUndefined();
    }
    expect(dayOf("2026-08-22").kind).toBe("working_day");
  });

  it("gives Tue 24 Nov off under Resolution 28/2026/QH16, with no signing date", () => {
    expect(dayOf("2026-11-24")).toMatchObject({ kind: "day_off", name: "Ngày Văn hóa Việt Nam", provisional: false });
    expect(documentOf("2026-11-24")).toMatchObject({ number: "28/2026/QH16", date: null });
  });
});

describe("provenance of every official day, 2024–2026", () => {
  const official = Object.values(VN_OFFICIAL_SCHEDULES).flat();

  it("names a document, or is provisional without one: never both, never neither", () => {
    expect(official.length).toBeGreaterThan(60);
    for (const day of official) {
      expect(day.source, day.date).toBe("official");
      if (day.document === undefined) {
        expect(day.provisional, day.date).toBe(true);
      } else {
        expect(day.provisional, day.date).toBe(false);
        expect(day.document.number.trim(), day.date).not.toBe("");
        if (day.document.date !== null) expect(isValidIsoDate(day.document.date), day.date).toBe(true);
      }
      expect(isProvisional(day), day.date).toBe(day.provisional);
      if (day.document !== undefined) expect(Object.isFrozen(day.document), day.date).toBe(true);
    }
  });

  it("invents no notice: 2024 and 2025 cite only the Labour Code, and only the days it sets", () => {
    for (const day of official.filter((d) => d.date < "2026-01-01")) {
      if (day.document !== undefined) expect([ART_112, ART_111], day.date).toContain(day.document.number);
      expect(day.document?.date ?? null, day.date).toBeNull();
    }
    const provisional = official.filter((d) => d.provisional).map((d) => d.date);
    expect(provisional).toEqual([...NOT_HELD_2024_2025, "2026-08-22", "2026-08-31"]);
  });

  it("cites art. 112 for every statutory holiday and art. 111 only for Saturdays and Sundays", () => {
    for (const date of ["2024-01-01", "2024-04-18", "2024-04-30", "2024-05-01", "2024-09-02", "2024-09-03", "2025-01-01", "2025-04-07", "2025-04-30", "2025-05-01", "2025-09-01", "2025-09-02"])
      expect(documentOf(date)?.number, date).toBe(ART_112);
    for (const day of official.filter((d) => d.document?.number === ART_111)) {
      expect([0, 6], day.date).toContain(new Date(`${day.date}T00:00:00Z`).getUTCDay());
      expect(day.kind).toBe("day_off");
    }
  });
});

describe("2027 and later: no official schedule yet", () => {
  it("proposes rule days, every one provisional and without a document (Tết: lunar new year Sat 6 Feb)", () => {
    const days = vnDaysOfYear(2027);
    expect(days.length).toBeGreaterThan(0);
    for (const day of days) {
      expect(day, day.date).toMatchObject({ source: "rule", provisional: true });
      expect(day.document, day.date).toBeUndefined();
      expect(isProvisional(day), day.date).toBe(true);
    }
    expect(days.map((d) => d.date)).toContain("2027-02-06");
  });
});

describe("deadlines across New Year 2026 on the built-in calendar", () => {
  const vn = createWorkingCalendar(DEFAULT_CALENDAR_RULES, vnDaysOfYear);
  const at = (local: string) => Date.parse(`${local}+07:00`);
  const due = (start: string, value: number, unit: "working_days" | "working_hours" = "working_days") =>
    new Date(vn.addDuration(at(start), { value, unit }) + 7 * 3_600_000).toISOString().slice(0, 16);

  it("skips 1–4 Jan: 3 working days from Wed 31 Dec 2025 08:00 end Wed 7 Jan 08:00", () => {
    // 31 Dec: 7 h 30 (450 min) of 1,440; Mon 5 and Tue 6 Jan: 960; 30 min on Wed 7 Jan.
    expect(due("2025-12-31T08:00", 3)).toBe("2026-01-07T08:00");
    expect(vn.nextWorkingDate("2025-12-31")).toBe("2026-01-05");
    expect(vn.previousWorkingDate("2026-01-05")).toBe("2025-12-31");
  });

  it("works Sat 10 Jan with the standard weekday hours", () => {
    // Fri 9 Jan 16:00 + 1 working day: 60 min on Friday, 420 min on Saturday (07:30–11:30, 13:00–16:00).
    expect(due("2026-01-09T16:00", 1)).toBe("2026-01-10T16:00");
    // Six working days from Mon 5 Jan 07:30 are Mon–Sat: due at Saturday's closing, not Monday's.
    expect(due("2026-01-05T07:30", 6)).toBe("2026-01-10T17:00");
    expect(vn.nextWorkingDate("2026-01-09")).toBe("2026-01-10");
    expect(vn.previousWorkingDate("2026-01-12")).toBe("2026-01-10");
  });
});
