/**
 * The frame shared by motcua's printable forms, in the layout of Decree 30/2020/NĐ-CP on
 * administrative documents (Annex I): A4, margins top/bottom 20 mm, left 30 mm, right 15 mm; the
 * governing body and the issuing agency on the left, the national motto on the right; the number
 * under the agency and the place and date under the motto; the title centred; the body; the
 * recipients ("Nơi nhận") on the left and the signature block on the right; page numbers centred
 * in the top margin from the second page on.
 *
 * Every text is printed in Unicode NFC and in DejaVu Serif, which ships whole in the dejavu-fonts-ttf
 * package: subsets (e.g. @fontsource's latin ones) lack the stacked diacritics of Vietnamese
 * (ặ, ễ, ự …) and pdfkit would draw boxes. Nothing is drawn outside the margins: tables paginate with
 * their heading repeated, a row never splits, the signature block never leaves its heading behind.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import type PDFDocumentClass from "pdfkit";

const require = createRequire(import.meta.url);
const fontFile = (name: string) => require.resolve(`dejavu-fonts-ttf/ttf/${name}`);

/**
 * pdfkit (with fontkit and its tables, ~12 MiB of heap) and the fonts are loaded on the first
 * printed form, not at start: most processes serve JSON only, under a 96 MiB heap cap.
 *
 * The fonts are parsed once, by the fontkit that pdfkit itself depends on (resolved from pdfkit's
 * own location, so that the versions match), and every document embeds its own subset of those
 * parsed fonts. Handing pdfkit the font files instead made it parse 2 MiB of TrueType tables
 * again for each document and lay every string out with cold caches: a receipt took ~86 ms
 * (scripts/bench/forms.ts, docs/BENCHMARKS.md "Printable forms").
 */
type FontName = "regular" | "bold" | "italic";
interface ParsedFont {
  readonly characterSet: readonly number[];
  glyphForCodePoint(codePoint: number): unknown;
}
let engine: Promise<{ PDFDocument: typeof PDFDocumentClass; fonts: Record<FontName, ParsedFont> }> | undefined;
const loadEngine = () =>
  (engine ??= import("pdfkit").then(({ default: PDFDocument }) => {
    const fontkit = createRequire(require.resolve("pdfkit"))("fontkit") as { create(data: Buffer): ParsedFont };
    const parse = (file: string) => {
      const font = fontkit.create(fs.readFileSync(fontFile(file)));
      // fontkit caches a glyph with the characters it was first looked up for, and pdfkit writes
      // those into the PDF's ToUnicode map (what a reader copies and searches). A shared font must
      // meet every glyph through its character first: subsetting one document looks up the parts
      // of composite glyphs ("u" inside "ư", "ụ") without characters, and the next document would
      // then print a "u" that copies as "<". DejaVu maps no two characters to one glyph.
      for (const codePoint of font.characterSet) font.glyphForCodePoint(codePoint);
      return font;
    };
    return { PDFDocument, fonts: { regular: parse("DejaVuSerif.ttf"), bold: parse("DejaVuSerif-Bold.ttf"), italic: parse("DejaVuSerif-Italic.ttf") } };
  }));

/** Loads pdfkit and the fonts now (a benchmark's warm-up, or a worker's start). */
export const preloadPdfEngine = async (): Promise<void> => {
  await loadEngine();
};

const MM = 72 / 25.4;
/** Decree 30/2020/NĐ-CP, Annex I: top/bottom 20 mm, left 30 mm, right 15 mm. */
export const MARGINS = { top: 20 * MM, bottom: 20 * MM, left: 30 * MM, right: 15 * MM };
export const BODY_SIZE = 12;
const NBSP = "\u00a0";

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

export interface NewFormOptions {
  /** The PDF's Title: the form and its circular (API.md "Printable forms"). */
  readonly title: string;
  /** The PDF's Subject: what the document is about (a receipt code, a period). */
  readonly subject?: string;
  readonly created: Date;
  /** A register is a wide table: A4 landscape. */
  readonly landscape?: boolean;
}

/** A new A4 document with the fonts registered; pages are buffered so that page numbers go in at the end. */
export async function newForm(options: NewFormOptions): Promise<Doc> {
  const { PDFDocument, fonts } = await loadEngine();
  const doc = new PDFDocument({
    size: "A4",
    layout: options.landscape ? "landscape" : "portrait",
    margins: MARGINS,
    bufferPages: true,
    // No default face: pdfkit's, Helvetica, would parse its AFM metrics for each document; ours is set below.
    font: null as unknown as string,
    info: { Title: nfc(options.title), ...(options.subject ? { Subject: nfc(options.subject) } : {}), Creator: "motcua", CreationDate: options.created },
  });
  // pdfkit takes a parsed fontkit font as well as a file (PDFFontFactory.open); its types know only files.
  for (const name of ["regular", "bold", "italic"] as const) doc.registerFont(name, fonts[name] as unknown as Buffer);
  doc.font("regular").fontSize(BODY_SIZE);
  return doc;
}

export const contentWidth = (doc: Doc) => doc.page.width - MARGINS.left - MARGINS.right;
const bottomLimit = (doc: Doc) => doc.page.height - MARGINS.bottom;

/** Starts a new page unless `height` points still fit above the bottom margin. */
export function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > bottomLimit(doc)) {
    doc.addPage();
    doc.x = MARGINS.left;
    doc.y = MARGINS.top;
  }
}

/**
 * Keeps proper names on one line where they fit: a run of capitalised words ("Hà Tĩnh",
 * "Nguyễn Văn An") is joined by no-break spaces when the run, printed as `upper` says, fits in
 * `width` with the current font; a word ending in punctuation ends its run, a word with other
 * signs in it ("Ông/Bà", "Giao:") takes no part. Lines still break between the other words.
 */
export function keepNamesTogether(doc: Doc, text: string, width: number, upper = false): string {
  return nfc(text)
    .split("\n")
    .map((line) => {
      const out: string[] = [];
      let run: string[] = [];
      const flush = () => {
        if (run.length === 0) return;
        const joined = run.join(NBSP);
        out.push(run.length > 1 && doc.widthOfString(upper ? joined.toUpperCase() : joined) <= width ? joined : run.join(" "));
        run = [];
      };
      for (const word of line.split(/ +/)) {
        if (/^\p{Lu}[\p{L}\p{M}]*[.,;:)]?$/u.test(word)) {
          run.push(word);
          if (/[.,;:)]$/.test(word)) flush();
        } else {
          flush();
          out.push(word);
        }
      }
      flush();
      return out.join(" ");
    })
    .join("\n");
}

/** A title too long for one line, broken where its two lines are most even (no lone last word). */
function balanced(doc: Doc, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text;
  const words = text.split(" ");
  let best: { text: string; longest: number } | null = null;
  for (let i = 1; i < words.length; i++) {
    const first = words.slice(0, i).join(" ");
    const second = words.slice(i).join(" ");
    const longest = Math.max(doc.widthOfString(first), doc.widthOfString(second));
    if (longest <= width && (best === null || longest < best.longest)) best = { text: `${first}\n${second}`, longest };
  }
  return best?.text ?? text;
}

/** "Mẫu số 04 — Thông tư 03/2025/TT-VPCP" in small italics at the top right of the first page, in the top margin. */
export function drawFormMark(doc: Doc, text: string): void {
  doc.font("italic").fontSize(9).text(nfc(text), MARGINS.left, MARGINS.top * 0.45, { width: contentWidth(doc), align: "right", lineBreak: false });
  doc.font("regular").fontSize(BODY_SIZE);
  doc.x = MARGINS.left;
  doc.y = MARGINS.top;
}

/** The short rules under the agency's name and the motto, this far under the last line's bottom. */
const RULE_GAP = 3.5;

/** Left: the agency; right: the national motto; then the number and the place and date. */
export function drawHeader(doc: Doc, header: FormHeader): void {
  const top = doc.y;
  const width = contentWidth(doc);
  const leftWidth = width * 0.42;
  const rightX = MARGINS.left + leftWidth;
  const rightWidth = width - leftWidth;

  let leftY = top;
  if (header.parentAgencyName !== null) {
    doc.font("regular").fontSize(BODY_SIZE);
    doc.text(keepNamesTogether(doc, header.parentAgencyName, leftWidth, true).toUpperCase(), MARGINS.left, leftY, { width: leftWidth, align: "center" });
    leftY = doc.y;
  }
  doc.font("bold").fontSize(BODY_SIZE);
  doc.text(keepNamesTogether(doc, header.agencyName, leftWidth, true).toUpperCase(), MARGINS.left, leftY, { width: leftWidth, align: "center" });
  leftY = doc.y;
  rule(doc, MARGINS.left + leftWidth * 0.35, leftY + RULE_GAP, leftWidth * 0.3);

  // DejaVu is wider than the Times of official paper: one size down keeps the motto on one line.
  doc.font("bold").fontSize(BODY_SIZE - 1.5).text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", rightX, top, { width: rightWidth, align: "center" });
  doc.font("bold").fontSize(BODY_SIZE).text("Độc lập - Tự do - Hạnh phúc", rightX, doc.y, { width: rightWidth, align: "center" });
  const rightY = doc.y;
  rule(doc, rightX + rightWidth * 0.2, rightY + RULE_GAP, rightWidth * 0.6);

  const lineY = Math.max(leftY, rightY) + RULE_GAP + 10;
  doc.font("regular").fontSize(BODY_SIZE);
  let numberBottom = lineY;
  if (header.numberLine !== null) {
    doc.text(nfc(header.numberLine), MARGINS.left, lineY, { width: leftWidth, align: "center" });
    numberBottom = doc.y;
  }
  doc.font("italic").text(keepNamesTogether(doc, header.placeAndDate, rightWidth), rightX, lineY, { width: rightWidth, align: "center" });
  doc.font("regular");
  doc.x = MARGINS.left;
  doc.y = Math.max(doc.y, numberBottom) + 1.5 * BODY_SIZE;
}

export function drawTitle(doc: Doc, title: string, subtitle: string | null = null): void {
  ensureSpace(doc, 4 * BODY_SIZE);
  doc.font("bold").fontSize(BODY_SIZE + 2);
  doc.text(balanced(doc, nfc(title), contentWidth(doc)), MARGINS.left, doc.y, { width: contentWidth(doc), align: "center" });
  if (subtitle !== null) doc.font("bold").fontSize(BODY_SIZE).text(nfc(subtitle), MARGINS.left, doc.y, { width: contentWidth(doc), align: "center" });
  doc.font("regular").fontSize(BODY_SIZE).moveDown(1);
}

/** A centred line in italics under the title ("Từ ngày … đến ngày …"). */
export function centredNote(doc: Doc, text: string): void {
  doc.font("italic").fontSize(BODY_SIZE).text(nfc(text), MARGINS.left, doc.y, { width: contentWidth(doc), align: "center" });
  doc.font("regular").moveDown(0.6);
}

/**
 * A paragraph of body text, justified with its first line indented; `indent: false` for a field
 * ("Địa chỉ: …"), flush left. `label` in bold before it. Flows onto the next page when it must.
 */
export function paragraph(doc: Doc, text: string, options: { label?: string; indent?: boolean } = {}): void {
  const field = options.indent === false;
  const indent = field ? 0 : 10 * MM;
  const align = field ? "left" : "justify";
  const width = contentWidth(doc);
  // At least two lines on this page: no lone first line at the foot of a page.
  ensureSpace(doc, 2 * doc.currentLineHeight(true));
  doc.fontSize(BODY_SIZE);
  const body = keepNamesTogether(doc, text, width);
  if (options.label !== undefined) {
    // The space belongs to the label: pdfkit drops a continued fragment's leading space.
    doc.font("bold").text(`${nfc(options.label)} `, MARGINS.left, doc.y, { width, indent, continued: true, align });
    doc.font("regular").text(body, { align });
  } else {
    doc.font("regular").text(body, MARGINS.left, doc.y, { width, indent, align });
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

const SIGNATURE_SPACE = 60;

/** Two blocks side by side at the foot: recipients or the applicant on the left, the signer on the right; kept on one page. */
export function drawFooter(doc: Doc, left: FooterBlock, right: FooterBlock): void {
  doc.moveDown(1);
  const half = contentWidth(doc) / 2;
  ensureSpace(doc, Math.max(blockHeight(doc, left, half), blockHeight(doc, right, half)));
  const top = doc.y;
  const bottoms = [left, right].map((block, i) => drawBlock(doc, block, MARGINS.left + i * half, top, half));
  doc.x = MARGINS.left;
  doc.y = Math.max(...bottoms);
}

function blockHeight(doc: Doc, block: FooterBlock, width: number): number {
  const lines = block.lines ?? [];
  let height = doc.font("bold").fontSize(BODY_SIZE).heightOfString(nfc(block.heading), { width });
  if (block.note !== undefined) height += doc.font("italic").fontSize(BODY_SIZE - 1).heightOfString(nfc(block.note), { width });
  doc.font("regular").fontSize(BODY_SIZE - 1);
  for (const line of lines) height += doc.heightOfString(nfc(line), { width });
  if (block.name) height += SIGNATURE_SPACE + doc.font("bold").fontSize(BODY_SIZE).heightOfString(nfc(block.name), { width });
  doc.font("regular").fontSize(BODY_SIZE);
  return height;
}

function drawBlock(doc: Doc, block: FooterBlock, x: number, y: number, width: number): number {
  const lines = block.lines ?? [];
  const align = lines.length > 0 ? "left" : "center";
  if (lines.length > 0) doc.font("bold").fontSize(BODY_SIZE - 1).text(nfc(block.heading), x, y, { width, align });
  else doc.font("bold").fontSize(BODY_SIZE).text(nfc(block.heading).toUpperCase(), x, y, { width, align });
  if (block.note !== undefined) doc.font("italic").fontSize(BODY_SIZE - 1).text(nfc(block.note), x, doc.y, { width, align });
  doc.font("regular").fontSize(BODY_SIZE - 1);
  for (const line of lines) doc.text(keepNamesTogether(doc, line, width), x, doc.y, { width });
  if (block.name) doc.font("bold").fontSize(BODY_SIZE).text(keepNamesTogether(doc, block.name, width), x, doc.y + SIGNATURE_SPACE, { width, align: "center" });
  doc.font("regular").fontSize(BODY_SIZE);
  return doc.y;
}

export interface Column {
  readonly heading: string;
  /** Share of the content width. */
  readonly share: number;
  readonly align?: "left" | "center" | "right";
}

const CELL_PADDING = 3;

/**
 * A ruled table filling the content width. Rows never split across pages; each page a table
 * continues on repeats its heading row. A row taller than a whole page (a pathological input)
 * has its cells shortened with "…" rather than run off the page.
 */
export function drawTable(doc: Doc, columns: readonly Column[], rows: readonly (readonly string[])[], options: { fontSize?: number; minRowHeight?: number } = {}): void {
  const size = options.fontSize ?? BODY_SIZE - 3;
  const total = columns.reduce((sum, c) => sum + c.share, 0);
  const widths = columns.map((c) => (c.share / total) * contentWidth(doc));
  const inner = (i: number) => widths[i]! - 2 * CELL_PADDING;
  const cellHeight = (text: string, i: number, font: "regular" | "bold") => doc.font(font).fontSize(size).heightOfString(text, { width: inner(i) });
  const rowHeight = (cells: readonly string[], font: "regular" | "bold") =>
    Math.max(options.minRowHeight ?? 0, ...cells.map((text, i) => cellHeight(text, i, font))) + 2 * CELL_PADDING;

  const headings = columns.map((c) => nfc(c.heading));
  const headingHeight = rowHeight(headings, "bold");
  const drawRow = (cells: readonly string[], height: number, font: "regular" | "bold") => {
    const top = doc.y;
    let x = MARGINS.left;
    cells.forEach((text, i) => {
      doc.save().lineWidth(0.5).rect(x, top, widths[i]!, height).stroke().restore();
      doc.font(font).fontSize(size).text(text, x + CELL_PADDING, top + CELL_PADDING, { width: inner(i), align: font === "bold" ? "center" : (columns[i]!.align ?? "left") });
      x += widths[i]!;
    });
    doc.x = MARGINS.left;
    doc.y = top + height;
  };

  ensureSpace(doc, headingHeight + 2 * size);
  drawRow(headings, headingHeight, "bold");
  const pageRoom = doc.page.height - MARGINS.top - MARGINS.bottom - headingHeight;
  for (const row of rows) {
    let cells = row.map((text, i) => keepNamesTogether(doc.font("regular").fontSize(size), text, inner(i)));
    let height = rowHeight(cells, "regular");
    if (height > pageRoom) {
      cells = cells.map((text, i) => shorten(text, (h) => cellHeight(h, i, "regular") + 2 * CELL_PADDING <= pageRoom));
      height = Math.min(rowHeight(cells, "regular"), pageRoom);
    }
    if (doc.y + height > bottomLimit(doc)) {
      doc.addPage();
      doc.y = MARGINS.top;
      drawRow(headings, headingHeight, "bold");
    }
    drawRow(cells, height, "regular");
  }
  doc.font("regular").fontSize(BODY_SIZE).moveDown(0.5);
}

/** The longest prefix of `text` (ending in "…") that `fits`. */
function shorten(text: string, fits: (text: string) => boolean): string {
  if (fits(text)) return text;
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(`${text.slice(0, mid)}…`)) low = mid;
    else high = mid - 1;
  }
  return `${text.slice(0, low)}…`;
}

/** Decree 30/2020/NĐ-CP, Annex I: page numbers centred in the top margin, the first page unnumbered. */
function numberPages(doc: Doc): void {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start + 1; i < start + count; i++) {
    doc.switchToPage(i);
    doc.font("regular").fontSize(BODY_SIZE - 1).text(String(i - start + 1), MARGINS.left, MARGINS.top / 2 - 4, { width: contentWidth(doc), align: "center", lineBreak: false });
  }
}

/** The finished document's bytes. */
export function toBuffer(doc: Doc): Promise<Buffer> {
  numberPages(doc);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    doc.end();
  });
}

function rule(doc: Doc, x: number, y: number, length: number): void {
  doc.save().moveTo(x, y).lineTo(x + length, y).lineWidth(0.6).stroke().restore();
}

/* Dates as the forms print them, from the models' ISO 8601 instants in +07:00 (local wall time). */

/** dd/MM/yyyy */
export const dmy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/** "08 giờ 00 phút, ngày 03/03/2025" */
export const timeAndDate = (iso: string) => `${iso.slice(11, 13)} giờ ${iso.slice(14, 16)} phút, ngày ${dmy(iso)}`;

/** "08:00 03/03/2025" (tables) */
export const shortTime = (iso: string) => `${iso.slice(11, 16)} ${dmy(iso)}`;

/** "Hưng Yên, ngày 05 tháng 03 năm 2025" (the place is left to fill in by hand when unknown). */
export const placeAndDate = (place: string | null, iso: string) => `${place ?? "……………"}, ngày ${iso.slice(8, 10)} tháng ${iso.slice(5, 7)} năm ${iso.slice(0, 4)}`;
