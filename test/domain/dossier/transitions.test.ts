/**
 * The lifecycle of DOMAIN.md §3, transition by transition, and the national status codes.
 */
import { describe, expect, it } from "vitest";
import type { DossierEvent, DossierStatus, EventType } from "../../../src/domain/dossier/dossier-types.js";
import { DOSSIER_STATUSES, EVENT_TYPES } from "../../../src/domain/dossier/dossier-types.js";
import { nationalStatusCode, STATUS_LABELS } from "../../../src/domain/dossier/status-labels.js";
import { allowedEvents, applyTransition, TRANSITIONS } from "../../../src/domain/dossier/transitions.js";

const at = (local: string): number => Date.parse(`${local}+07:00`);
const T = at("2025-03-04T10:00:00");

/** A well-formed event of each type, at T. */
function eventOf(type: EventType): DossierEvent {
  const base = { eventId: `e-${type}`, occurredAt: T, agencyCode: "000.00.05.H22" };
  switch (type) {
    case "transferred":
      return { ...base, type, toAgencyCode: "000.00.06.H22" };
    case "supplement_requested":
      return { ...base, type, reason: "missing land-use map" };
    case "suspended":
      return { ...base, type, reason: "financial_obligation" };
    case "result_ready":
      return { ...base, type, outcome: "approved" };
    case "returned":
      return { ...base, type, method: "counter" };
    case "stopped":
      return { ...base, type, reason: "applicant withdrew" };
    case "consultation_requested":
      return { ...base, type, toAgencyCode: "000.00.07.H22", replyDueAt: T + 86_400_000 };
    case "consultation_replied":
      return { ...base, type, fromAgencyCode: "000.00.07.H22" };
    case "correction_requested":
      return { ...base, type, reason: "wrong date of birth on the certificate" };
    default:
      return { ...base, type } as DossierEvent;
  }
}

/** The valid transitions, written out from DOMAIN.md §3 independently of the TRANSITIONS table. */
const VALID: readonly (readonly [DossierStatus, EventType, DossierStatus])[] = [
  ["received", "transferred", "in_progress"],
  ["in_progress", "transferred", "in_progress"],
  ["in_progress", "supplement_requested", "supplement_requested"],
  ["supplement_requested", "supplement_received", "in_progress"],
  ["in_progress", "suspended", "suspended"],
  ["suspended", "resumed", "in_progress"],
  ["received", "result_ready", "result_ready"],
  ["in_progress", "result_ready", "result_ready"],
  ["result_ready", "returned", "returned"],
  ["received", "withdrawal_requested", "withdrawal_requested"],
  ["in_progress", "withdrawal_requested", "withdrawal_requested"],
  ["supplement_requested", "withdrawal_requested", "withdrawal_requested"],
  ["suspended", "withdrawal_requested", "withdrawal_requested"],
  ["received", "stopped", "stopped"],
  ["in_progress", "stopped", "stopped"],
  ["supplement_requested", "stopped", "stopped"],
  ["suspended", "stopped", "stopped"],
  ["withdrawal_requested", "stopped", "stopped"],
  ...DOSSIER_STATUSES.filter((s) => s !== "cancelled").map((s) => [s, "cancelled", "cancelled"] as const),
  // Decree 118/2025 art. 19(4)(c): consulting another agency while the dossier is handled; the
  // reply is recorded whenever it comes. Neither changes the status.
  ...(["received", "in_progress", "supplement_requested", "suspended"] as const).map((s) => [s, "consultation_requested", s] as const),
  ...DOSSIER_STATUSES.filter((s) => s !== "cancelled").map((s) => [s, "consultation_replied", s] as const),
  // Decree 118/2025 art. 23(1): correcting an error in a returned result.
  ["returned", "correction_requested", "returned"],
  ["returned", "result_corrected", "returned"],
];

describe("applyTransition", () => {
  it.each(VALID)("allows %s --%s--> %s", (from, type, to) => {
    expect(applyTransition(from, eventOf(type))).toEqual({ ok: true, status: to });
  });

  it("refuses every other (status, event) pair with invalid_transition", () => {
    const valid = new Set(VALID.map(([from, type]) => `${from}/${type}`));
    let refused = 0;
    for (const status of DOSSIER_STATUSES) {
      for (const type of EVENT_TYPES) {
        if (valid.has(`${status}/${type}`)) continue;
        const result = applyTransition(status, eventOf(type));
        expect(result.ok, `${status} --${type}-->`).toBe(false);
        if (!result.ok) expect(result.rule).toBe("invalid_transition");
        refused++;
      }
    }
    expect(refused).toBe(DOSSIER_STATUSES.length * EVENT_TYPES.length - VALID.length);
  });

  it("says what the event needed, what the status was, and when (local time)", () => {
    expect(applyTransition("in_progress", eventOf("supplement_received"))).toEqual({
      ok: false,
      rule: "invalid_transition",
      message: "a supplement_received event needs the dossier to be supplement_requested, but it is in_progress at 2025-03-04T10:00:00+07:00",
    });
    expect(applyTransition("returned", eventOf("result_ready"))).toMatchObject({
      message: "a result_ready event needs the dossier to be received or in_progress, but it is returned at 2025-03-04T10:00:00+07:00",
    });
    expect(applyTransition("cancelled", eventOf("cancelled"))).toMatchObject({
      message: "a cancelled event needs the dossier to be not cancelled, but it is cancelled at 2025-03-04T10:00:00+07:00",
    });
  });

  it.each([
    ["a second supplement request while one is pending", "supplement_requested", "supplement_requested"],
    ["a result while waiting for the supplement", "supplement_requested", "result_ready"],
    ["a result while suspended", "suspended", "result_ready"],
    ["a result after a withdrawal request", "withdrawal_requested", "result_ready"],
    ["a transfer after the result", "result_ready", "transferred"],
    ["a return before the result", "in_progress", "returned"],
    ["resuming a dossier that waits for a supplement", "supplement_requested", "resumed"],
    ["a supplement request at reception, before any handling", "received", "supplement_requested"],
    ["a withdrawal after the result", "result_ready", "withdrawal_requested"],
    ["stopping a returned dossier", "returned", "stopped"],
    ["anything after cancellation", "cancelled", "transferred"],
  ] as const)("refuses %s", (_what, status, type) => {
    expect(applyTransition(status, eventOf(type))).toMatchObject({ ok: false, rule: "invalid_transition" });
  });

  it("refuses malformed events with invalid_event, whatever the status", () => {
    const base = { eventId: "x", occurredAt: T, agencyCode: "A" };
    expect(applyTransition("in_progress", { ...base, type: "stopped", reason: "  " })).toMatchObject({ ok: false, rule: "invalid_event" });
    expect(applyTransition("in_progress", { ...base, type: "transferred", toAgencyCode: "" })).toMatchObject({ ok: false, rule: "invalid_event" });
    expect(applyTransition("in_progress", { ...base, type: "suspended", reason: "holiday" } as unknown as DossierEvent)).toMatchObject({ ok: false, rule: "invalid_event" });
    expect(applyTransition("in_progress", { ...base, type: "result_ready", outcome: "maybe" } as unknown as DossierEvent)).toMatchObject({ ok: false, rule: "invalid_event" });
    expect(applyTransition("result_ready", { ...base, type: "returned" } as unknown as DossierEvent)).toMatchObject({ ok: false, rule: "invalid_event" });
    expect(applyTransition("in_progress", { ...base, type: "archived" } as unknown as DossierEvent)).toMatchObject({ ok: false, rule: "invalid_event" });
  });

  it("lists the events allowed in each status, consistent with the table", () => {
    const consult = ["consultation_requested", "consultation_replied"];
    expect(allowedEvents("received")).toEqual(["transferred", ...consult, "result_ready", "withdrawal_requested", "stopped", "cancelled"]);
    expect(allowedEvents("in_progress")).toEqual(["transferred", ...consult, "supplement_requested", "suspended", "result_ready", "withdrawal_requested", "stopped", "cancelled"]);
    expect(allowedEvents("supplement_requested")).toEqual([...consult, "supplement_received", "withdrawal_requested", "stopped", "cancelled"]);
    expect(allowedEvents("withdrawal_requested")).toEqual(["consultation_replied", "stopped", "cancelled"]);
    expect(allowedEvents("returned")).toEqual(["consultation_replied", "correction_requested", "result_corrected", "cancelled"]);
    expect(allowedEvents("cancelled")).toEqual([]);
    for (const type of EVENT_TYPES) expect([...DOSSIER_STATUSES, "unchanged"]).toContain(TRANSITIONS[type].to);
  });
});

describe("status labels and national codes (DOMAIN.md §3)", () => {
  it("labels every status in Vietnamese with diacritics and in English", () => {
    expect(STATUS_LABELS).toEqual({
      received: { vi: "Đã tiếp nhận", en: "Received" },
      in_progress: { vi: "Đang xử lý", en: "In progress" },
      supplement_requested: { vi: "Yêu cầu bổ sung hồ sơ", en: "Supplement requested" },
      suspended: { vi: "Tạm dừng xử lý", en: "Suspended" },
      withdrawal_requested: { vi: "Đề nghị rút hồ sơ", en: "Withdrawal requested" },
      stopped: { vi: "Dừng xử lý", en: "Stopped" },
      result_ready: { vi: "Đã có kết quả", en: "Result ready" },
      returned: { vi: "Đã trả kết quả", en: "Returned" },
      cancelled: { vi: "Đã hủy", en: "Cancelled" },
    });
    // NFC: the portal and the printed forms compare strings byte for byte.
    for (const { vi } of Object.values(STATUS_LABELS)) expect(vi).toBe(vi.normalize("NFC"));
  });

  it("maps statuses to TrangThaiHoSo", () => {
    expect(nationalStatusCode("received")).toBe(2);
    expect(nationalStatusCode("in_progress")).toBe(4);
    expect(nationalStatusCode("supplement_requested")).toBe(5);
    expect(nationalStatusCode("suspended", "financial_obligation")).toBe(6);
    expect(nationalStatusCode("suspended", "other")).toBe(4);
    expect(nationalStatusCode("suspended")).toBe(4);
    expect(nationalStatusCode("withdrawal_requested")).toBe(7);
    expect(nationalStatusCode("stopped")).toBe(8);
    expect(nationalStatusCode("result_ready")).toBe(9);
    expect(nationalStatusCode("returned")).toBe(10);
    expect(nationalStatusCode("cancelled")).toBeNull();
  });
});
