/**
 * Which form a document is printed on, by its own date (DOMAIN.md §1): Circular 03/2025/TT-VPCP
 * Annex I from 15 Sep 2025 (Vietnam time), Circular 01/2018/TT-VPCP before; and the shared wording.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CIRCULAR_03_2025_FORMS_FROM, FORM_KINDS, formFor, formLabel } from "../../src/domain/forms/form-catalog.js";
import { durationText, stopReasonText } from "../../src/domain/forms/form-text.js";

const at = (iso: string) => Date.parse(iso);

describe("formFor", () => {
  it("switches at 00:00 on 15 Sep 2025, Vietnam time, not UTC", () => {
    expect(CIRCULAR_03_2025_FORMS_FROM).toBe(at("2025-09-15T00:00:00+07:00"));
    expect(formFor("receipt", at("2025-09-14T23:59:59+07:00"))?.code).toBe("01/2018-01");
    expect(formFor("receipt", at("2025-09-15T00:00:00+07:00"))?.code).toBe("03/2025-01");
    // 14 Sep 2025 20:00 UTC is already the 15th in Vietnam.
    expect(formFor("receipt", at("2025-09-14T20:00:00Z"))?.circular).toBe("03/2025/TT-VPCP");
  });

  it.each([
    ["receipt", "01", "01"],
    ["supplement_request", "02", "02"],
    ["refusal", "03", "03"],
    ["apology_letter", "05", "04"],
    ["stop_notice", null, "05"],
    ["control_sheet", "04", "06"],
    ["register", "06", "07"],
  ] as const)("numbers the %s Mẫu %s under Circular 01/2018 and Mẫu %s under Circular 03/2025", (kind, old, current) => {
    expect(formFor(kind, at("2025-08-20T10:00:00+07:00"))?.number ?? null).toBe(old);
    expect(formFor(kind, at("2025-10-20T10:00:00+07:00"))?.number).toBe(current);
  });

  it("names the apology letter by its circular: the old apology and new appointment, then the apology and extension request", () => {
    expect(formFor("apology_letter", at("2025-08-20T10:00:00+07:00"))).toMatchObject({
      heading: "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
      code: "01/2018-05",
    });
    const current = formFor("apology_letter", at("2025-10-20T10:00:00+07:00"))!;
    expect(current).toMatchObject({ heading: "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT", code: "03/2025-04" });
    expect(formLabel(current)).toBe("Mẫu số 04 — Thông tư 03/2025/TT-VPCP");
  });

  it("gives every kind a form from 15 Sep 2025, distinct numbers within a circular, and a code naming both", () => {
    fc.assert(
      fc.property(fc.integer({ min: at("2018-01-01T00:00:00+07:00"), max: at("2030-12-31T00:00:00+07:00") }), (documentAt) => {
        const forms = FORM_KINDS.map((kind) => formFor(kind, documentAt)).filter((f) => f !== null);
        expect(new Set(forms.map((f) => f.number)).size).toBe(forms.length);
        for (const f of forms) expect(f.code).toBe(`${f.circular.slice(0, 7)}-${f.number}`);
        if (documentAt >= CIRCULAR_03_2025_FORMS_FROM) expect(forms).toHaveLength(7);
        else expect(forms.map((f) => f.kind)).not.toContain("stop_notice");
      }),
    );
  });
});

describe("form wording", () => {
  it("prints durations with a decimal comma and their unit", () => {
    expect(durationText({ value: 3.5, unit: "working_days" })).toBe("3,5 ngày làm việc");
    expect(durationText({ value: 4, unit: "working_hours" })).toBe("4 giờ làm việc");
    expect(durationText({ value: 15, unit: "calendar_days" })).toBe("15 ngày");
    expect(durationText({ value: 1, unit: "same_day" })).toBe("trong ngày");
  });

  it("puts the stop reasons motcua records as codes in words, with their article, and others as recorded", () => {
    expect(stopReasonText("supplement_not_completed")).toContain("khoản 5 Điều 19 Nghị định số 118/2025/NĐ-CP");
    expect(stopReasonText("Theo đề nghị của người nộp")).toBe("Theo đề nghị của người nộp");
  });
});
