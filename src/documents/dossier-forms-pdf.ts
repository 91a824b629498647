/**
 * The dossier's papers as PDF, one function per form (the fields: src/domain/forms/form-models.ts).
 * The wording follows Circular 03/2025/TT-VPCP, Annex I, for documents dated from 15 Sep 2025, and
 * Circular 01/2018/TT-VPCP's forms before (DOMAIN.md §1); the frame is Decree 30/2020/NĐ-CP's.
 */
import type {
  ApologyLetterForm,
  ControlSheetForm,
  FormApplicant,
  ReceiptForm,
  RefusalForm,
  StopNoticeForm,
  SupplementRequestForm,
} from "../domain/forms/form-models.js";
import { addressee, you } from "../domain/forms/form-text.js";
import { openForm } from "./form-frame.js";
import { dmy, drawFooter, drawTable, paragraph, shortTime, timeAndDate, toBuffer, BODY_SIZE, type Doc } from "./pdf-form.js";

const DOTS = "…………………………………………………………";
const SIGN = "(Ký và ghi rõ họ tên)";
const SIGN_AND_SEAL = "(Ký, ghi rõ họ tên, đóng dấu)";

/** "Kính gửi", then the applicant's address, phone and e-mail where recorded. */
function addressBlock(doc: Doc, applicant: FormApplicant): void {
  paragraph(doc, addressee(applicant), { label: "Kính gửi:", indent: false });
  contactLines(doc, applicant);
  doc.moveDown(0.4);
}

function contactLines(doc: Doc, applicant: FormApplicant): void {
  if (applicant.address) paragraph(doc, applicant.address, { label: "Địa chỉ:", indent: false });
  if (applicant.phone) paragraph(doc, applicant.phone, { label: "Số điện thoại:", indent: false });
  if (applicant.email) paragraph(doc, applicant.email, { label: "Thư điện tử:", indent: false });
}

const recipientsOf = (applicant: FormApplicant, others: readonly string[] = []) => [`- ${addressee(applicant)};`, ...others.map((r) => `- ${r};`), "- Lưu: VT."];

/** Mẫu 01: the slip handed over at reception, with the appointment printed then. */
export async function renderReceiptPdf(f: ReceiptForm): Promise<Buffer> {
  const { dossier } = f;
  const doc = await openForm(f, { subject: dossier.receiptCode });
  paragraph(doc, dossier.receiptCode, { label: "Mã hồ sơ:", indent: false });
  doc.moveDown(0.3);
  paragraph(doc, `${f.agency.name} tiếp nhận hồ sơ của: ${addressee(dossier.applicant)}`, { indent: false });
  contactLines(doc, dossier.applicant);
  paragraph(doc, dossier.procedureName, { label: "Nội dung yêu cầu giải quyết:", indent: false });
  doc.moveDown(0.3);

  let n = 0;
  const item = (text: string) => paragraph(doc, `${++n}. ${text}`, { indent: false });
  if (f.documents !== null) {
    item("Thành phần hồ sơ nộp gồm:");
    f.documents.forEach((d, i) => {
      const counts = [d.originals ? `bản chính: ${d.originals}` : null, d.copies ? `bản sao: ${d.copies}` : null].filter((c) => c !== null);
      paragraph(doc, `${String.fromCharCode(97 + (i % 26))}) ${d.name}${counts.length > 0 ? ` (${counts.join("; ")})` : ""};`);
    });
  }
  if (f.setCount !== null) item(`Số lượng hồ sơ: ${f.setCount} bộ.`);
  if (f.form.circular === "03/2025/TT-VPCP") {
    // Decree 118/2025: the province publishes a committed (reduced) duration besides the legal one; both are printed.
    item(`Thời gian giải quyết hồ sơ theo quy định: ${f.legalDurationText}.`);
    item(`Thời gian giải quyết hồ sơ theo cam kết: ${f.committedDurationText}.`);
  } else {
    item(`Thời gian giải quyết hồ sơ theo quy định: ${f.legalDurationText} (cam kết: ${f.committedDurationText}).`);
  }
  item(`Thời gian nhận hồ sơ: ${timeAndDate(dossier.receivedAt)}.`);
  item(`Thời gian trả kết quả giải quyết hồ sơ: ${timeAndDate(f.appointmentAt)}.`);
  item(`Đăng ký nhận kết quả tại: ${f.collection}.`);

  drawFooter(doc, { heading: "Người nộp hồ sơ", note: SIGN, name: dossier.applicant.name }, { heading: "Người tiếp nhận hồ sơ", note: SIGN });
  return toBuffer(doc);
}

/** Mẫu 02: what the applicant must add, why, and (Decree 118/2025 art. 19(5)) by when. */
export async function renderSupplementRequestPdf(f: SupplementRequestForm): Promise<Buffer> {
  const { dossier } = f;
  const who = you(dossier.applicant);
  const doc = await openForm(f, { subject: dossier.receiptCode });
  addressBlock(doc, dossier.applicant);
  paragraph(doc, `Ngày ${dmy(dossier.receivedAt)}, ${dossier.receivingAgencyName} tiếp nhận hồ sơ đề nghị ${dossier.procedureName} của ${who}, mã hồ sơ: ${dossier.receiptCode}.`);
  paragraph(doc, `Sau khi xem xét, thẩm định hồ sơ, ${f.agency.name} đề nghị ${who} bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:`);
  if (f.items.length === 0) paragraph(doc, DOTS);
  f.items.forEach((item, i) => paragraph(doc, `${i + 1}. ${item}`));
  paragraph(doc, f.reason, { label: "Lý do:" });
  if (f.completeBy !== null && f.completionLimitText !== null) {
    paragraph(
      doc,
      `${f.completionLimitText} kể từ ngày ${dmy(f.requestedAt)}, chậm nhất đến ${timeAndDate(f.completeBy)} (khoản 5 Điều 19 Nghị định số 118/2025/NĐ-CP). ` +
        `Quá thời hạn này mà hồ sơ chưa được bổ sung, hoàn thiện, Bộ phận Tiếp nhận và Trả kết quả dừng giải quyết hồ sơ.`,
      { label: "Thời hạn bổ sung, hoàn thiện hồ sơ:" },
    );
  }
  paragraph(doc, `Trong quá trình bổ sung, hoàn thiện hồ sơ, nếu có vướng mắc, ${who} liên hệ với ${f.agency.name} để được hướng dẫn./.`);
  drawFooter(doc, { heading: "Nơi nhận:", lines: recipientsOf(dossier.applicant) }, { heading: "Người hướng dẫn", note: SIGN, name: f.signerName });
  return toBuffer(doc);
}

/** Mẫu 03: the refusal, with its reason (Decree 118/2025 art. 19(3)). */
export async function renderRefusalPdf(f: RefusalForm): Promise<Buffer> {
  const { dossier } = f;
  const who = you(dossier.applicant);
  const doc = await openForm(f, { subject: dossier.receiptCode });
  addressBlock(doc, dossier.applicant);
  paragraph(doc, `Ngày ${dmy(dossier.receivedAt)}, ${dossier.receivingAgencyName} tiếp nhận hồ sơ của ${who}, mã hồ sơ: ${dossier.receiptCode}.`);
  paragraph(doc, dossier.procedureName, { label: "Nội dung yêu cầu giải quyết:" });
  paragraph(doc, `Qua xem xét, ${f.agency.name} thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:`);
  paragraph(doc, f.reason ?? DOTS, { label: "Lý do:" });
  paragraph(doc, `Xin thông báo để ${who} được biết và thực hiện./.`);
  drawFooter(
    doc,
    { heading: "Nơi nhận:", lines: recipientsOf(dossier.applicant) },
    f.refusedAtReception
      ? { heading: "Người tiếp nhận hồ sơ", note: SIGN, name: f.signerName }
      : { heading: "Thủ trưởng cơ quan", note: SIGN_AND_SEAL, name: f.signerName },
  );
  return toBuffer(doc);
}

/**
 * Mẫu 04 of Circular 03/2025 (Decree 118/2025 art. 19(6): the apology and the extension proposed,
 * from which the desk moves the appointment), or Mẫu 05 of Circular 01/2018 for letters dated
 * before 15 Sep 2025 (the apology and the new appointment).
 */
export async function renderApologyLetterPdf(f: ApologyLetterForm): Promise<Buffer> {
  const { dossier } = f;
  const who = you(dossier.applicant);
  const agency = f.agency.name;
  const doc = await openForm(f, { numberLine: `Số: ${f.number}`, subject: `${dossier.receiptCode} — Số ${f.number}` });
  addressBlock(doc, dossier.applicant);
  paragraph(
    doc,
    `Ngày ${dmy(dossier.receivedAt)}, ${agency} tiếp nhận giải quyết hồ sơ đề nghị ${dossier.procedureName} của ${who}, ` +
      `mã hồ sơ: ${dossier.receiptCode}. Thời gian hẹn trả kết quả giải quyết hồ sơ: ngày ${dmy(f.originalDueAt)}.`,
  );
  if (f.form.circular === "03/2025/TT-VPCP") {
    paragraph(doc, `Tuy nhiên, ${agency} không thể trả kết quả giải quyết hồ sơ cho ${who} đúng thời gian đã hẹn.`);
    paragraph(doc, f.reason, { label: "Lý do:" });
    paragraph(
      doc,
      `${agency} xin lỗi ${who} về sự chậm trễ này và đề nghị gia hạn thời gian giải quyết hồ sơ đến ngày ${dmy(f.newDueAt)}. ` +
        `Bộ phận Tiếp nhận và Trả kết quả điều chỉnh thời gian trả kết quả và thông báo cho ${who} (khoản 6 Điều 19 Nghị định số 118/2025/NĐ-CP).`,
    );
  } else {
    paragraph(doc, `Tuy nhiên đến nay, ${agency} chưa trả kết quả giải quyết hồ sơ cho ${who} đúng hẹn ghi trong Giấy tiếp nhận hồ sơ và hẹn trả kết quả.`);
    paragraph(doc, f.reason, { label: "Lý do:" });
    paragraph(doc, `Sự chậm trễ này đã gây phiền hà cho ${who}. ${agency} xin lỗi ${who} và sẽ trả kết quả giải quyết hồ sơ cho ${who} vào ngày ${dmy(f.newDueAt)}.`);
  }
  paragraph(doc, `Xin trân trọng cảm ơn sự hợp tác của ${who}./.`);
  drawFooter(
    doc,
    { heading: "Nơi nhận:", lines: recipientsOf(dossier.applicant, f.recipients) },
    { heading: f.signerTitle ?? "Thủ trưởng cơ quan", note: SIGN_AND_SEAL, name: f.signerName },
  );
  return toBuffer(doc);
}

/** Mẫu 05 of Circular 03/2025: the dossier is stopped, and why. */
export async function renderStopNoticePdf(f: StopNoticeForm): Promise<Buffer> {
  const { dossier } = f;
  const who = you(dossier.applicant);
  const doc = await openForm(f, { subject: dossier.receiptCode });
  addressBlock(doc, dossier.applicant);
  paragraph(doc, `Ngày ${dmy(dossier.receivedAt)}, ${dossier.receivingAgencyName} tiếp nhận hồ sơ đề nghị ${dossier.procedureName} của ${who}, mã hồ sơ: ${dossier.receiptCode}.`);
  if (f.withdrawalRequestedAt !== null) paragraph(doc, `Ngày ${dmy(f.withdrawalRequestedAt)}, ${who} đề nghị rút hồ sơ.`);
  paragraph(doc, `${f.agency.name} thông báo dừng giải quyết hồ sơ nêu trên kể từ ngày ${dmy(f.stoppedAt)}.`);
  paragraph(doc, f.reasonText, { label: "Lý do:" });
  paragraph(doc, `${f.agency.name} thông báo để ${who} được biết./.`);
  drawFooter(
    doc,
    { heading: "Nơi nhận:", lines: recipientsOf(dossier.applicant, [`Bộ phận Tiếp nhận và Trả kết quả, ${dossier.receivingAgencyName}`]) },
    { heading: "Thủ trưởng cơ quan", note: SIGN_AND_SEAL, name: f.signerName },
  );
  return toBuffer(doc);
}

/**
 * Mẫu 06 of Circular 03/2025 (Mẫu 04 of Circular 01/2018): every hand-off, who gave and who
 * received the dossier, when, the step's budget and result, with room to sign; then the Decree
 * 118/2025 duties with their deadlines.
 */
export async function renderControlSheetPdf(f: ControlSheetForm): Promise<Buffer> {
  const { dossier } = f;
  const doc = await openForm(f, { subject: dossier.receiptCode });
  paragraph(doc, `${addressee(dossier.applicant)} — mã hồ sơ: ${dossier.receiptCode}`, { label: "Kèm theo hồ sơ của:", indent: false });
  paragraph(doc, dossier.procedureName, { label: "Thủ tục:", indent: false });
  paragraph(doc, f.handlingAgencyName, { label: "Cơ quan giải quyết:", indent: false });
  paragraph(doc, `theo quy định ${f.legalDurationText}; theo cam kết ${f.committedDurationText}.`, { label: "Thời gian giải quyết:", indent: false });
  paragraph(
    doc,
    `nhận hồ sơ ${timeAndDate(dossier.receivedAt)}; hẹn trả kết quả ${timeAndDate(f.appointmentAt)}` +
      (f.rescheduledDueAt !== null ? `; hẹn lại ${timeAndDate(f.rescheduledDueAt)}` : "") +
      `. Tình trạng: ${f.statusText}.`,
    { label: "Thời gian:", indent: false },
  );
  doc.moveDown(0.4);
  drawTable(
    doc,
    [
      { heading: "STT", share: 6, align: "center" },
      { heading: "Giao, nhận hồ sơ", share: 24 },
      { heading: "Thời gian giao, nhận", share: 17 },
      { heading: "Bước xử lý và thời hạn", share: 20 },
      { heading: "Kết quả (trước hạn / đúng hạn / quá hạn)", share: 14, align: "center" },
      { heading: "Người giao / người nhận ký", share: 19 },
    ],
    f.handOffs.map((h) => [
      String(h.seq),
      `Giao: ${h.fromName}\nNhận: ${h.toName}`,
      shortTime(h.at) + (h.by ? `\n${h.by}` : ""),
      [h.stepName, h.budgetText, h.dueAt === null ? null : `hạn ${shortTime(h.dueAt)}`].filter((l) => l !== null).join("\n") || "—",
      h.resultText ?? "",
      "",
    ]),
    { minRowHeight: 2.6 * (BODY_SIZE - 3) },
  );
  if (f.duties.length > 0) {
    paragraph(doc, "Nhiệm vụ có thời hạn riêng (Nghị định số 118/2025/NĐ-CP):", { indent: false });
    drawTable(
      doc,
      [
        { heading: "Nhiệm vụ", share: 34 },
        { heading: "Cơ quan thực hiện", share: 22 },
        { heading: "Thời hạn", share: 15, align: "center" },
        { heading: "Thực hiện", share: 15, align: "center" },
        { heading: "Kết quả", share: 14, align: "center" },
      ],
      f.duties.map((d) => [d.text, d.agencyName, shortTime(d.dueAt), d.doneAt === null ? "" : shortTime(d.doneAt), d.statusText]),
    );
  }
  return toBuffer(doc);
}
