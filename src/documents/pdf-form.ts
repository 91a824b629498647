/**
 * The frame shared by motcua's printable forms: A4 portrait, the margins of Decree 30/2020 on
 * administrative documents, a serif face with every Vietnamese glyph, the national motto on the
 * right and the issuing agency on the left.
 *
 * DejaVu Serif ships whole in the dejavu-fonts-ttf package: subsets (e.g. @fontsource's latin
 * ones) lack the stacked diacritics of Vietnamese (ặ, ễ, ự …) and pdfkit would draw boxes.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import type PDFDocumentClass from "pdfkit";
import { formatInstant } from "../domain/time.js";

const require = createRequire(import.meta.url);
const fontFile = (name: string) => require.resolve(`dejavu-fonts-ttf/ttf/${name}`);

/**
 * pdfkit (with fontkit and its tables, ~12 MiB of heap) and the fonts are loaded on the first
 * printed form, not at start: most processes serve JSON only, under a 96 MiB heap cap.
 */
let engine: Promise<{ PDFDocument: typeof PDFDocumentClass; fonts: Record<"regular" | "bold" | "italic", Buffer> }> | undefined;
const loadEngine = () =>
  (engine ??= import("pdfkit").then(({ default: PDFDocument }) => ({
    PDFDocument,
    fonts: {
      regular: fs.readFileSync(fontFile("DejaVuSerif.ttf")),
      bold: fs.readFileSync(fontFile("DejaVuSerif-Bold.ttf")),
      italic: fs.readFileSync(fontFile("DejaVuSerif-Italic.ttf")),
    },
  })));

const MM = 72 / 25.4;
/** Decree 30/2020/NĐ-CP, Annex I: top/bottom 20 mm, left 30 mm, right 15 mm. */
const MARGINS = { top: 20 * MM, bottom: 20 * MM, left: 30 * MM, right: 15 * MM };
export const BODY_SIZE = 12;

/** Text as printed: Unicode NFC, so that a decomposed "ệ" from a client becomes the font's one glyph. */
export const nfc = (text: string) => text.normalize("NFC");

export type Doc = PDFKit.PDFDocument;

export interface FormHeader {
  /** The governing body above the agency (cơ quan chủ quản), or null. */
  readonly parentAgencyName: string | null;
  readonly agencyName: string;
  /** "Số: 12/PXL"; null for forms numbered elsewhere. */
  readonly numberLine: string | null;
  /** "Hưng Yên, ngày 05 tháng 03 năm 2025". */
  readonly placeAndDate: string;
}

/** A new A4 document with the fonts registered; `title` and `created` go to the PDF's metadata. */
export async function newForm(title: string, created: Date): Promise<Doc> {
  const { PDFDocument, fonts } = await loadEngine();
  const doc = new PDFDocument({ size: "A4", margins: MARGINS, info: { Title: nfc(title), Creator: "motcua", CreationDate: created } });
  doc.registerFont("regular", fonts.regular);
  doc.registerFont("bold", fonts.bold);
  doc.registerFont("italic", fonts.italic);
  doc.font("regular").fontSize(BODY_SIZE);
  return doc;
}

/** Left: the agency; right: the national motto; then the number and the place and date. */
export function drawHeader(doc: Doc, header: FormHeader): void {
  const top = doc.y;
  const width = doc.page.width - MARGINS.left - MARGINS.right;
  const leftWidth = width * 0.4;
  const rightX = MARGINS.left + leftWidth;
  const rightWidth = width - leftWidth;

  let leftY = top;
  if (header.parentAgencyName !== null) {
    doc.font("regular").fontSize(BODY_SIZE);
    doc.text(nfc(header.parentAgencyName).toUpperCase(), MARGINS.left, leftY, { width: leftWidth, align: "center" });
    leftY = doc.y;
  }
  doc.font("bold").text(nfc(header.agencyName).toUpperCase(), MARGINS.left, leftY, { width: leftWidth, align: "center" });
  leftY = doc.y;
  rule(doc, MARGINS.left + leftWidth * 0.35, leftY + 2, leftWidth * 0.3);

  // DejaVu is wider than the Times of official paper: one size down keeps the motto on one line.
  doc.font("bold").fontSize(BODY_SIZE - 1.5).text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", rightX, top, { width: rightWidth, align: "center" });
  doc.font("bold").fontSize(BODY_SIZE).text("Độc lập - Tự do - Hạnh phúc", rightX, doc.y, { width: rightWidth, align: "center" });
  const rightY = doc.y;
  rule(doc, rightX + rightWidth * 0.2, rightY + 2, rightWidth * 0.6);

  const lineY = Math.max(leftY, rightY) + 10;
  doc.font("regular").fontSize(BODY_SIZE);
  if (header.numberLine !== null) doc.text(nfc(header.numberLine), MARGINS.left, lineY, { width: leftWidth, align: "center" });
  doc.font("italic").text(nfc(header.placeAndDate), rightX, lineY, { width: rightWidth, align: "center" });
  doc.font("regular");
  doc.x = MARGINS.left;
  doc.y = Math.max(doc.y, lineY) + 2 * BODY_SIZE;
}

export function drawTitle(doc: Doc, title: string): void {
  doc.font("bold").fontSize(BODY_SIZE + 2).text(nfc(title), MARGINS.left, doc.y, { width: contentWidth(doc), align: "center" });
  doc.font("regular").fontSize(BODY_SIZE).moveDown(1);
}

/** A paragraph of body text; `label` in bold before it. */
export function paragraph(doc: Doc, text: string, options: { label?: string; indent?: boolean } = {}): void {
  const indent = options.indent === false ? 0 : 10 * MM;
  if (options.label !== undefined) {
    // The space belongs to the label: pdfkit drops a continued fragment's leading space.
    doc.font("bold").text(`${nfc(options.label)} `, MARGINS.left, doc.y, { width: contentWidth(doc), indent, continued: true, align: "justify" });
    doc.font("regular").text(nfc(text), { align: "justify" });
  } else {
    doc.font("regular").text(nfc(text), MARGINS.left, doc.y, { width: contentWidth(doc), indent, align: "justify" });
  }
  doc.moveDown(0.3);
}

/** One of the two blocks at the foot of a form. */
export interface FooterBlock {
  readonly heading: string;
  /** Under the heading, italic: "(Ký, ghi rõ họ tên, đóng dấu)". */
  readonly note?: string;
  /** Listed under the heading, left-aligned (the recipients). */
  readonly lines?: readonly string[];
  /** Printed under the space for the signature. */
  readonly name?: string | null;
}

/** Two blocks side by side at the foot: recipients or the applicant on the left, the signer on the right. */
export function drawFooter(doc: Doc, left: FooterBlock, right: FooterBlock): void {
  doc.moveDown(1);
  const top = doc.y;
  const half = contentWidth(doc) / 2;
  const bottoms = [left, right].map((block, i) => drawBlock(doc, block, MARGINS.left + i * half, top, half));
  doc.x = MARGINS.left;
  doc.y = Math.max(...bottoms);
}

function drawBlock(doc: Doc, block: FooterBlock, x: number, y: number, width: number): number {
  const lines = block.lines ?? [];
  const align = lines.length > 0 ? "left" : "center";
  if (lines.length > 0) doc.font("bold").fontSize(BODY_SIZE - 1).text(nfc(block.heading), x, y, { width, align });
  else doc.font("bold").fontSize(BODY_SIZE).text(nfc(block.heading).toUpperCase(), x, y, { width, align });
  if (block.note !== undefined) doc.font("italic").fontSize(BODY_SIZE - 1).text(nfc(block.note), x, doc.y, { width, align });
  doc.font("regular").fontSize(BODY_SIZE - 1);
  for (const line of lines) doc.text(nfc(line), x, doc.y, { width });
  if (block.name) doc.font("bold").fontSize(BODY_SIZE).text(nfc(block.name), x, doc.y + 60, { width, align: "center" });
  doc.font("regular").fontSize(BODY_SIZE);
  return doc.y;
}

/** Local date and time of an instant in Vietnam (the forms print local wall time). */
export function localParts(ms: number): { day: string; month: string; year: string; hour: string; minute: string } {
  const iso = formatInstant(ms); // 2025-03-05T10:00:00+07:00
  return { year: iso.slice(0, 4), month: iso.slice(5, 7), day: iso.slice(8, 10), hour: iso.slice(11, 13), minute: iso.slice(14, 16) };
}

/** dd/MM/yyyy */
export const dmy = (ms: number) => {
  const p = localParts(ms);
  return `${p.day}/${p.month}/${p.year}`;
};

/** "08 giờ 00 phút, ngày 03/03/2025" */
export const timeAndDate = (ms: number) => {
  const p = localParts(ms);
  return `${p.hour} giờ ${p.minute} phút, ngày ${dmy(ms)}`;
};

/** "Hưng Yên, ngày 05 tháng 03 năm 2025" (the place is left to fill by hand when unknown). */
export const placeAndDate = (place: string | null, ms: number) => {
  const p = localParts(ms);
  return `${place ?? "……………"}, ngày ${p.day} tháng ${p.month} năm ${p.year}`;
};

/** The finished document's bytes. */
export function toBuffer(doc: Doc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    doc.end();
  });
}

function contentWidth(doc: Doc): number {
  return doc.page.width - MARGINS.left - MARGINS.right;
}

function rule(doc: Doc, x: number, y: number, length: number): void {
  doc.save().moveTo(x, y).lineTo(x + length, y).lineWidth(0.6).stroke().restore();
}
