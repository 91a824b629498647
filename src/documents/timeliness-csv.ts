/**
 * Report 06 as CSV with the headings of Biểu 06/VPCP/KSTT (Circular 01/2020/TT-VPCP): UTF-8 with a
 * byte-order mark so that Excel opens the Vietnamese headings correctly, CRLF line ends (RFC 4180).
 */
import type { TimelinessRow } from "../domain/statistics/timeliness-row.js";

export const TIMELINESS_CSV_HEADINGS = [
  "Mã",
  "Đơn vị / nhóm",
  "Tổng số hồ sơ tiếp nhận",
  "Kỳ trước chuyển qua",
  "Mới tiếp nhận",
  "Mới tiếp nhận trực tuyến",
  "Mới tiếp nhận trực tiếp và qua dịch vụ bưu chính công ích",
  "Tổng số hồ sơ đã giải quyết",
  "Giải quyết trước hạn",
  "Giải quyết đúng hạn",
  "Giải quyết quá hạn",
  "Tổng số hồ sơ đang giải quyết",
  "Đang giải quyết trong hạn",
  "Đang giải quyết quá hạn",
  "Rút hồ sơ, dừng xử lý",
  "Văn bản xin lỗi",
  "Tỷ lệ giải quyết đúng hạn (%)",
  // Not in Biểu 06: the Decree 118/2025 duties not done by their deadlines (DOMAIN.md §10), after the form's own columns.
  "Nhiệm vụ quá hạn (Nghị định 118/2025)",
] as const;

const cell = (value: string | number | null): string => {
  if (value === null) return "";
  const text = String(value);
  // Quote anything with a separator, quote or line break; neutralise spreadsheet formulas.
  const safe = /^[=+\-@]/.test(text) && typeof value === "string" ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function timelinessCsv(rows: readonly TimelinessRow[], total: TimelinessRow): string {
  const line = (r: TimelinessRow) =>
    [
      r.key,
      r.label,
      r.received.carriedOver + r.received.new,
      r.received.carriedOver,
      r.received.new,
      r.received.online,
      r.received.offline,
      r.resolved.total,
      r.resolved.early,
      r.resolved.onTime,
      r.resolved.late,
      r.pending.total,
      r.pending.withinTime,
      r.pending.overdue,
      r.stopped,
      r.apologyLetters,
      r.onTimeRate === null ? null : r.onTimeRate.toFixed(2),
      r.overdueDuties.total,
    ]
      .map(cell)
      .join(",");
  return `\uFEFF${[TIMELINESS_CSV_HEADINGS.map(cell).join(","), ...rows.map(line), line(total)].join("\r\n")}\r\n`;
}
