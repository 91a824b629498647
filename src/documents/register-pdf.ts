/**
 * The dossier register of an agency for a period (Circular 03/2025/TT-VPCP Mẫu 07; Circular
 * 01/2018/TT-VPCP Mẫu 06 for a period ending before 15 Sep 2025): one ruled line per dossier, A4
 * landscape, its heading repeated on every page.
 */
import type { RegisterForm, RegisterRow } from "../domain/forms/form-models.js";
import { openForm } from "./form-frame.js";
import { centredNote, dmy, drawTable, paragraph, shortTime, toBuffer } from "./pdf-form.js";

/** Shares of the width; the receipt code's column fits a standard code ({agency}-{YYMMDD}-{NNNN}) on one line. */
const REGISTER_COLUMNS = [
  { heading: "STT", share: 3.5, align: "center" as const },
  { heading: "Mã hồ sơ", share: 16.5 },
  { heading: "Thủ tục hành chính", share: 11.5 },
  { heading: "Tổ chức, cá nhân (địa chỉ, điện thoại)", share: 14 },
  { heading: "Cơ quan giải quyết", share: 9 },
  { heading: "Nhận hồ sơ", share: 8, align: "center" as const },
  { heading: "Hẹn trả kết quả", share: 8, align: "center" as const },
  { heading: "Có kết quả", share: 8, align: "center" as const },
  { heading: "Trả kết quả", share: 8, align: "center" as const },
  { heading: "Tình trạng, kết quả", share: 8 },
  { heading: "Ký nhận", share: 5.5 },
];

const cells = (r: RegisterRow): string[] => [
  String(r.seq),
  r.receiptCode,
  r.procedureName,
  [r.applicantName, r.applicantAddress, r.applicantPhone].filter((p) => p !== null).join("\n"),
  r.handlingAgencyName,
  shortTime(r.receivedAt),
  shortTime(r.appointmentAt) + (r.rescheduledDueAt !== null ? `\n(hẹn lại ${shortTime(r.rescheduledDueAt)})` : ""),
  r.finishedAt === null ? "" : shortTime(r.finishedAt),
  r.returnedAt === null ? "" : shortTime(r.returnedAt),
  [r.statusText, r.timelinessText].filter((p) => p !== null).join("\n"),
  "",
];

export async function renderRegisterPdf(f: RegisterForm): Promise<Buffer> {
  const period = `Từ ngày ${dmy(f.from)} đến ngày ${dmy(f.to)}`;
  const doc = await openForm(f, { subject: `${f.agency.code}: ${period}`, landscape: true });
  centredNote(doc, period);
  drawTable(doc, REGISTER_COLUMNS, f.rows.map(cells), { fontSize: 7.5 });
  paragraph(doc, `${f.rows.length} hồ sơ.`, { label: "Tổng số:", indent: false });
  return toBuffer(doc);
}
