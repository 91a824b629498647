/**
 * Which printed form a document is, by the document's own date (DOMAIN.md §1: "a printed document
 * uses the form in force on the document's own date", never a global switch):
 *
 * - from 15 Sep 2025: Circular 03/2025/TT-VPCP (15 Sep 2025, guiding Decree 118/2025/NĐ-CP), Annex I,
 *   Mẫu 01–07;
 * - before: Circular 01/2018/TT-VPCP (guiding Decree 61/2018/NĐ-CP), Annex, Mẫu 01–06. It has no
 *   stop notice: Decree 61/2018 prescribed no form for it, so a stop dated before the cutover has
 *   no printed form here.
 *
 * The numbering moved between the two: the control sheet was Mẫu 04 and is Mẫu 06, the apology
 * letter was Mẫu 05 ("Phiếu xin lỗi và hẹn lại ngày trả kết quả") and is Mẫu 04 ("Văn bản xin lỗi
 * và đề nghị gia hạn thời gian giải quyết", Decree 118/2025 art. 19(6)), the register was Mẫu 06
 * and is Mẫu 07.
 */

export const FORM_KINDS = ["receipt", "supplement_request", "refusal", "apology_letter", "stop_notice", "control_sheet", "register"] as const;
export type FormKind = (typeof FORM_KINDS)[number];

export const CIRCULARS = ["01/2018/TT-VPCP", "03/2025/TT-VPCP"] as const;
export type Circular = (typeof CIRCULARS)[number];

/** Circular 03/2025/TT-VPCP's forms apply to documents dated from 15 Sep 2025, 00:00 Vietnam time (UTC+7). */
export const CIRCULAR_03_2025_FORMS_FROM = Date.UTC(2025, 8, 14, 17, 0, 0); // 2025-09-15T00:00:00+07:00

export interface FormDefinition {
  readonly kind: FormKind;
  readonly circular: Circular;
  /** "01" … "07", as the annex numbers it ("Mẫu số 04"). */
  readonly number: string;
  /** "03/2025-04": the `Form` response header. */
  readonly code: string;
  /** The form's name as the annex lists it, e.g. "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết". */
  readonly name: string;
  /** The heading printed on the document (the title in capitals). */
  readonly heading: string;
  /** A line under the heading ("Về việc …"), or null. */
  readonly subheading: string | null;
}

type Entry = Omit<FormDefinition, "kind" | "circular" | "code">;

/** Circular 03/2025/TT-VPCP, Annex I (DOMAIN.md §1). */
const CIRCULAR_03_2025: Readonly<Record<FormKind, Entry>> = {
  receipt: { number: "01", name: "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", heading: "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", subheading: null },
  supplement_request: { number: "02", name: "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", heading: "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", subheading: null },
  refusal: { number: "03", name: "Phiếu từ chối tiếp nhận giải quyết hồ sơ", heading: "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", subheading: null },
  apology_letter: {
    number: "04",
    name: "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
    heading: "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
    subheading: null,
  },
  stop_notice: { number: "05", name: "Thông báo dừng giải quyết hồ sơ", heading: "THÔNG BÁO", subheading: "Về việc dừng giải quyết hồ sơ" },
  control_sheet: { number: "06", name: "Phiếu kiểm soát quá trình giải quyết hồ sơ", heading: "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", subheading: null },
  register: { number: "07", name: "Sổ theo dõi hồ sơ", heading: "SỔ THEO DÕI HỒ SƠ", subheading: null },
};

/** Circular 01/2018/TT-VPCP, Annex (Mẫu 01–06); no stop notice. */
const CIRCULAR_01_2018: Readonly<Partial<Record<FormKind, Entry>>> = {
  receipt: CIRCULAR_03_2025.receipt,
  supplement_request: CIRCULAR_03_2025.supplement_request,
  refusal: CIRCULAR_03_2025.refusal,
  control_sheet: { ...CIRCULAR_03_2025.control_sheet, number: "04" },
  apology_letter: { number: "05", name: "Phiếu xin lỗi và hẹn lại ngày trả kết quả", heading: "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", subheading: null },
  register: { ...CIRCULAR_03_2025.register, number: "06" },
};

/** The circular whose forms apply to a document dated `documentAt` (epoch ms). */
export const circularAt = (documentAt: number): Circular => (documentAt >= CIRCULAR_03_2025_FORMS_FROM ? "03/2025/TT-VPCP" : "01/2018/TT-VPCP");

/** The form a document of this kind dated `documentAt` is printed on, or null when its circular has none. */
export function formFor(kind: FormKind, documentAt: number): FormDefinition | null {
  const circular = circularAt(documentAt);
  const entry = (circular === "03/2025/TT-VPCP" ? CIRCULAR_03_2025 : CIRCULAR_01_2018)[kind];
  if (entry === undefined) return null;
  return { kind, circular, ...entry, code: `${circular.slice(0, 7)}-${entry.number}` };
}

/** "Mẫu số 04 — Thông tư 03/2025/TT-VPCP": the PDF's Title names the form and its circular (API.md "Printable forms"). */
export const formLabel = (form: Pick<FormDefinition, "number" | "circular">) => `Mẫu số ${form.number} — Thông tư ${form.circular}`;
