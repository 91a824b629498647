/** The text of a PDF as a reader would copy it (Mozilla's pdf.js), whitespace collapsed, NFC. */
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

export async function pdfText(data: Uint8Array): Promise<{ text: string; pages: number }> {
  const doc = await getDocument({ data: new Uint8Array(data), disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
  const parts: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    for (const item of content.items) if ("str" in item) parts.push(item.str, item.hasEOL ? "\n" : "");
  }
  const pages = doc.numPages;
  await doc.destroy();
  return { text: parts.join("").normalize("NFC").replace(/\s+/g, " "), pages };
}
