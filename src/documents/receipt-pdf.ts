/**
 * The receipt slip handed to the applicant: "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
 * (Circular 01/2018/TT-VPCP, Mẫu 01). It carries the appointment printed at reception
 * (originalDueAt), which later pauses may move but the slip never changes.
 */
import type { Duration } from "../domain/calendar/calendar-types.js";
import type { Applicant, Channel } from "../domain/dossier/dossier-types.js";
import { drawFooter, drawHeader, drawTitle, newForm, paragraph, placeAndDate, timeAndDate, toBuffer } from "./pdf-form.js";

export interface ReceiptDocument {
  readonly receiptCode: string;
  readonly agencyName: string;
  readonly parentAgencyName: string | null;
  readonly applicant: Applicant;
  readonly procedureName: string;
  readonly legalDuration: Duration;
  readonly committedDuration: Duration;
  readonly channel: Channel;
  readonly receivedAt: number;
  readonly appointmentAt: number;
}

export const RECEIPT_TITLE = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ";

/** "5 ngày làm việc", "3,5 ngày làm việc", "4 giờ làm việc", "30 ngày", "trong ngày". */
export function durationText(duration: Duration): string {
  const value = String(duration.value).replace(".", ",");
  switch (duration.unit) {
    case "working_days":
      return `${value} ngày làm việc`;
    case "working_hours":
      return `${value} giờ làm việc`;
    case "calendar_days":
      return `${value} ngày`;
    case "same_day":
      return "trong ngày";
  }
}

const COLLECTION: Record<Channel, (agency: string) => string> = {
  direct: (agency) => `Bộ phận Tiếp nhận và Trả kết quả, ${agency}`,
  postal: () => "Qua dịch vụ bưu chính công ích, tại địa chỉ của người nộp hồ sơ",
  online: () => "Trực tuyến, trên Cổng Dịch vụ công (hoặc tại Bộ phận Tiếp nhận và Trả kết quả)",
};

export async function renderReceiptPdf(data: ReceiptDocument): Promise<Buffer> {
  const { applicant } = data;
  const doc = await newForm(`${RECEIPT_TITLE} ${data.receiptCode}`, new Date(data.receivedAt));
  drawHeader(doc, {
    parentAgencyName: data.parentAgencyName,
    agencyName: data.agencyName,
    numberLine: null,
    placeAndDate: placeAndDate(null, data.receivedAt),
  });
  drawTitle(doc, RECEIPT_TITLE);
  paragraph(doc, data.receiptCode, { label: "Mã hồ sơ:", indent: false });
  doc.moveDown(0.3);

  paragraph(doc, `${data.agencyName} tiếp nhận hồ sơ của: ${applicant.kind === "citizen" ? "Ông/Bà " : ""}${applicant.name}`, { indent: false });
  if (applicant.address) paragraph(doc, applicant.address, { label: "Địa chỉ:", indent: false });
  if (applicant.phone) paragraph(doc, applicant.phone, { label: "Số điện thoại:", indent: false });
  if (applicant.email) paragraph(doc, applicant.email, { label: "Thư điện tử:", indent: false });
  paragraph(doc, data.procedureName, { label: "Nội dung yêu cầu giải quyết:", indent: false });
  doc.moveDown(0.3);

  paragraph(doc, `1. Thời gian giải quyết hồ sơ theo quy định: ${durationText(data.legalDuration)} (cam kết: ${durationText(data.committedDuration)}).`, { indent: false });
  paragraph(doc, `2. Thời gian nhận hồ sơ: ${timeAndDate(data.receivedAt)}.`, { indent: false });
  paragraph(doc, `3. Thời gian trả kết quả giải quyết hồ sơ: ${timeAndDate(data.appointmentAt)}.`, { indent: false });
  paragraph(doc, `4. Đăng ký nhận kết quả tại: ${COLLECTION[data.channel](data.agencyName)}.`, { indent: false });

  drawFooter(
    doc,
    { heading: "Người nộp hồ sơ", note: "(Ký và ghi rõ họ tên)", name: applicant.name },
    { heading: "Người tiếp nhận hồ sơ", note: "(Ký và ghi rõ họ tên)" },
  );
  return toBuffer(doc);
}
