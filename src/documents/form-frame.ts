/**
 * The opening every form shares: the PDF's metadata naming the form and its circular, the form's
 * number in the top margin, the Decree 30/2020/NĐ-CP header (agency, motto, number, place and
 * date) and the form's title.
 */
import { formLabel, type FormDefinition } from "../domain/forms/form-catalog.js";
import type { FormAgency } from "../domain/forms/form-models.js";
import { drawFormMark, drawHeader, drawTitle, newForm, placeAndDate, type Doc } from "./pdf-form.js";

export interface FormOpening {
  readonly form: FormDefinition;
  readonly agency: FormAgency;
  /** ISO 8601, +07:00. */
  readonly date: string;
}

/** "Mẫu số 04 — Thông tư 03/2025/TT-VPCP — Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết" */
export const pdfTitle = (form: FormDefinition) => `${formLabel(form)} — ${form.name}`;

export async function openForm(opening: FormOpening, options: { numberLine?: string | null; subject: string; landscape?: boolean }): Promise<Doc> {
  const { form, agency, date } = opening;
  const doc = await newForm({ title: pdfTitle(form), subject: options.subject, created: new Date(Date.parse(date)), ...(options.landscape ? { landscape: true } : {}) });
  drawFormMark(doc, formLabel(form));
  drawHeader(doc, { parentAgencyName: agency.parentName, agencyName: agency.name, numberLine: options.numberLine ?? null, placeAndDate: placeAndDate(agency.place, date) });
  drawTitle(doc, form.heading, form.subheading);
  return doc;
}
