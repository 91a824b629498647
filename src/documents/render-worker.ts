/**
 * A rendering thread (pdf-renderer.ts): receives form models, answers their PDF bytes. pdfkit's
 * work is synchronous (a receipt ~20 ms, a 500-row register ~0.5 s, scripts/bench/forms.ts), so it
 * runs here rather than on the event loop that answers dossier lookups.
 */
import { parentPort } from "node:worker_threads";
import type { PrintableForm } from "../domain/forms/form-models.js";
import { preloadPdfEngine } from "./pdf-form.js";
import { renderFormPdf } from "./render-form.js";

export interface RenderRequest {
  readonly id: number;
  readonly form: PrintableForm;
}
export type RenderResponse = { readonly id: number; readonly pdf: Uint8Array } | { readonly id: number; readonly error: string };

if (parentPort !== null) {
  const port = parentPort;
  // Fonts and pdfkit are loaded before the first request arrives.
  void preloadPdfEngine();
  port.on("message", (request: RenderRequest) => {
    renderFormPdf(request.form).then(
      (pdf) => {
        const bytes = new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
        // The bytes move to the main thread without a copy when the buffer is the PDF's own.
        port.postMessage({ id: request.id, pdf: bytes } satisfies RenderResponse, pdf.byteOffset === 0 && pdf.byteLength === pdf.buffer.byteLength ? [pdf.buffer as ArrayBuffer] : []);
      },
      (error: unknown) => port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) } satisfies RenderResponse),
    );
  });
}
