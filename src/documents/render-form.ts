/** One entry point for every printable form: the model in, the PDF's bytes out (also what a rendering worker runs). */
import type { PrintableForm } from "../domain/forms/form-models.js";
import {
  renderApologyLetterPdf,
  renderControlSheetPdf,
  renderReceiptPdf,
  renderRefusalPdf,
  renderStopNoticePdf,
  renderSupplementRequestPdf,
} from "./dossier-forms-pdf.js";
import { renderRegisterPdf } from "./register-pdf.js";

export function renderFormPdf(form: PrintableForm): Promise<Buffer> {
  switch (form.kind) {
    case "receipt":
      return renderReceiptPdf(form);
    case "supplement_request":
      return renderSupplementRequestPdf(form);
    case "refusal":
      return renderRefusalPdf(form);
    case "apology_letter":
      return renderApologyLetterPdf(form);
    case "stop_notice":
      return renderStopNoticePdf(form);
    case "control_sheet":
      return renderControlSheetPdf(form);
    case "register":
      return renderRegisterPdf(form);
  }
}
