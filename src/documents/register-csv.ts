/**
 * The dossier register (Circular 03/2025/TT-VPCP Mẫu 07) as CSV, one line per dossier: UTF-8 with
 * a byte-order mark so that Excel opens the Vietnamese headings, CRLF line ends (RFC 4180), formulas
 * neutralised, as the report 06 CSV (timeliness-csv.ts).
 */
import type { RegisterForm } from "../domain/forms/form-models.js";

export const REGISTER_CSV_HEADINGS = [
  "STT",
  "Mã hồ sơ",
  "Thủ tục hành chính",
  "Tổ chức, cá nhân",
  "Địa chỉ",
  "Số điện thoại",
  "Cơ quan giải quyết",
  "Kênh nộp",
  "Nhận hồ sơ",
  "Hẹn trả kết quả",
  "Hẹn lại",
  "Có kết quả",
  "Trả kết quả",
  "Tình trạng",
  "Kết quả giải quyết",
] as const;

const CHANNEL_TEXT = { direct: "Trực tiếp", online: "Trực tuyến", postal: "Bưu chính công ích" } as const;

const cell = (value: string | number | null): string => {
  if (value === null) return "";
  const text = String(value).normalize("NFC");
  const safe = /^[=+\-@\t\r]/.test(text) && typeof value === "string" ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** Instants as ISO 8601 with +07:00, as the JSON has them: a spreadsheet parses them, and nothing is lost. */
export function registerCsv(form: RegisterForm): string {
  const lines = form.rows.map((r) =>
    [
      r.seq,
      r.receiptCode,
      r.procedureName,
      r.applicantName,
      r.applicantAddress,
      r.applicantPhone,
      r.handlingAgencyName,
      CHANNEL_TEXT[r.channel],
      r.receivedAt,
      r.appointmentAt,
      r.rescheduledDueAt,
      r.finishedAt,
      r.returnedAt,
      r.statusText,
      r.timelinessText,
    ]
      .map(cell)
      .join(","),
  );
  return `\uFEFF${[REGISTER_CSV_HEADINGS.map(cell).join(","), ...lines].join("\r\n")}\r\n`;
}
