/** The apology letter's rules (DOMAIN.md §5) on the Vietnamese civil-service calendar. */
import { describe, expect, it } from "vitest";
import { DEFAULT_CALENDAR_RULES } from "../../../src/domain/calendar/calendar-defaults.js";
import { vnDaysOfYear } from "../../../src/domain/calendar/calendar-days.js";
import { createWorkingCalendar } from "../../../src/domain/calendar/working-calendar.js";
import { apologyRefusal, issuedInTime, responsibleAgencies } from "../../../src/domain/dossier/apology-letter.js";

const calendar = createWorkingCalendar(DEFAULT_CALENDAR_RULES, vnDaysOfYear);
const at = (iso: string) => Date.parse(iso);

describe("WorkingCalendar.previousWorkingDate", () => {
  it.each([
    ["2025-03-06", "2025-03-05"], // Thursday -> Wednesday
    ["2025-03-03", "2025-02-28"], // Monday -> Friday, over the weekend
    ["2025-02-03", "2025-01-24"], // after Tết 2025 (27 Jan – 2 Feb off) -> the Friday before it
    ["2025-05-05", "2025-04-29"], // after 30/4 – 1/5 and the weekend (2–4 May off)
    ["2025-04-28", "2025-04-26"], // the make-up Saturday 26 April 2025 is a working day
  ])("before %s is %s", (date, expected) => {
    expect(calendar.previousWorkingDate(date)).toBe(expected);
  });
});

describe("issuedInTime: no later than one working day before the due date", () => {
  const due = at("2025-03-03T08:00:00+07:00"); // a Monday
  it.each([
    ["2025-02-28T16:59:00+07:00", true], // Friday, the working day before
    ["2025-02-27T10:00:00+07:00", true],
    ["2025-03-01T09:00:00+07:00", false], // Saturday is after Friday: too late although the due date is two days off
    ["2025-03-03T07:00:00+07:00", false], // the due date itself, before the due hour
    ["2025-03-04T10:00:00+07:00", false],
  ])("issued %s -> %s", (issued, expected) => {
    expect(issuedInTime(calendar, at(issued), due, "decree-61-2018")).toBe(expected);
  });

  it("reads instants in Vietnam's zone: 23:30 UTC on Thursday is Friday morning in Hanoi", () => {
    expect(issuedInTime(calendar, at("2025-02-27T23:30:00Z"), due, "decree-61-2018")).toBe(true); // Fri 06:30 local
    expect(issuedInTime(calendar, at("2025-02-28T17:30:00Z"), due, "decree-61-2018")).toBe(false); // Sat 00:30 local
  });
});

describe("apologyRefusal", () => {
  const open = { status: "in_progress" as const, dueAt: at("2025-03-06T08:00:00+07:00") };
  const request = { issuedAt: at("2025-03-05T10:00:00+07:00"), newDueAt: at("2025-03-10T17:00:00+07:00"), receivedAt: at("2025-03-03T08:00:00+07:00"), hasLetter: false };

  it("accepts an open dossier, a first letter and a later date", () => {
    expect(apologyRefusal(open, request)).toBeNull();
    expect(apologyRefusal({ ...open, status: "supplement_requested" }, request)).toBeNull();
  });

  it.each([
    ["a finished dossier", { status: "result_ready" as const }, {}, "dossier_not_open"],
    ["a stopped dossier", { status: "stopped" as const }, {}, "dossier_not_open"],
    ["a second letter", {}, { hasLetter: true }, "apology_letter_exists"],
    ["the same date", {}, { newDueAt: open.dueAt }, "new_due_not_later"],
    ["an earlier date", {}, { newDueAt: open.dueAt - 1 }, "new_due_not_later"],
    ["a letter before reception", {}, { issuedAt: at("2025-03-02T10:00:00+07:00") }, "issued_before_reception"],
  ])("refuses %s", (_name, state, change, rule) => {
    expect(apologyRefusal({ ...open, ...state }, { ...request, ...change })?.rule).toBe(rule);
  });
});

describe("responsibleAgencies", () => {
  it("is the handling agency, and the agency whose step overran", () => {
    expect(responsibleAgencies("JUSTICE", { responsibleAgencyCode: null })).toEqual(["JUSTICE"]);
    expect(responsibleAgencies("JUSTICE", { responsibleAgencyCode: "TAX" })).toEqual(["JUSTICE", "TAX"]);
    expect(responsibleAgencies("JUSTICE", { responsibleAgencyCode: "JUSTICE" })).toEqual(["JUSTICE"]);
  });
});
