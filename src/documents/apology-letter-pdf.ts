/**
 * The apology letter as printed: Circular 01/2018/TT-VPCP, Mẫu 05 "Phiếu xin lỗi và hẹn lại ngày
 * trả kết quả" (DOMAIN.md §5 lists its fields).
 */
import type { ApologyLetter } from "../domain/dossier/apology-letter.js";
import type { Applicant } from "../domain/dossier/dossier-types.js";
import { dmy, drawFooter, drawHeader, drawTitle, newForm, paragraph, placeAndDate, toBuffer } from "./pdf-form.js";

export interface ApologyLetterDocument {
  readonly letter: ApologyLetter;
  readonly agencyName: string;
  readonly parentAgencyName: string | null;
  readonly applicant: Applicant;
  readonly procedureName: string;
  readonly receivedAt: number;
}

export const APOLOGY_LETTER_TITLE = "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ";

/** "Ông/Bà" for a citizen; an organisation is addressed by its name alone. */
const addressee = (applicant: Applicant) => (applicant.kind === "citizen" ? `Ông/Bà ${applicant.name}` : applicant.name);
const you = (applicant: Applicant) => (applicant.kind === "citizen" ? "Ông/Bà" : "Quý cơ quan, tổ chức");

export async function renderApologyLetterPdf(data: ApologyLetterDocument): Promise<Buffer> {
  const { letter, applicant } = data;
  const doc = await newForm(`${APOLOGY_LETTER_TITLE} ${letter.number}/PXL`, new Date(letter.issuedAt));
  drawHeader(doc, {
    parentAgencyName: data.parentAgencyName,
    agencyName: data.agencyName,
    numberLine: `Số: ${letter.number}/PXL`,
    placeAndDate: placeAndDate(letter.place, letter.issuedAt),
  });
  drawTitle(doc, APOLOGY_LETTER_TITLE);

  paragraph(doc, addressee(applicant), { label: "Kính gửi:", indent: false });
  if (applicant.address) paragraph(doc, applicant.address, { label: "Địa chỉ:", indent: false });
  if (applicant.phone) paragraph(doc, applicant.phone, { label: "Số điện thoại:", indent: false });
  if (applicant.email) paragraph(doc, applicant.email, { label: "Thư điện tử:", indent: false });
  doc.moveDown(0.5);

  paragraph(
    doc,
    `Ngày ${dmy(data.receivedAt)}, ${data.agencyName} tiếp nhận giải quyết hồ sơ đề nghị ${data.procedureName} của ${you(applicant)}, ` +
      `mã hồ sơ: ${letter.receiptCode}. Thời gian hẹn trả kết quả giải quyết hồ sơ: ngày ${dmy(letter.originalDueAt)}.`,
  );
  paragraph(
    doc,
    `Tuy nhiên đến nay, ${data.agencyName} chưa trả kết quả giải quyết hồ sơ cho ${you(applicant)} đúng hẹn ghi trong ` +
      `Giấy tiếp nhận hồ sơ và hẹn trả kết quả.`,
  );
  paragraph(doc, letter.reason, { label: "Lý do:" });
  paragraph(
    doc,
    `Sự chậm trễ này đã gây phiền hà cho ${you(applicant)}. ${data.agencyName} xin lỗi ${you(applicant)} và sẽ trả kết quả ` +
      `giải quyết hồ sơ cho ${you(applicant)} vào ngày ${dmy(letter.newDueAt)}.`,
  );
  paragraph(doc, `Xin trân trọng cảm ơn sự hợp tác của ${you(applicant)}./.`);

  drawFooter(
    doc,
    { heading: "Nơi nhận:", lines: [`- ${addressee(applicant)};`, ...letter.recipients.map((r) => `- ${r};`), "- Lưu: VT."] },
    { heading: letter.signerTitle ?? "Thủ trưởng cơ quan", note: "(Ký, ghi rõ họ tên, đóng dấu)", name: letter.signerName },
  );
  return toBuffer(doc);
}
