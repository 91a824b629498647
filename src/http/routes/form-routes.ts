/**
 * The printable forms (API.md "Printable forms"): Circular 03/2025/TT-VPCP Annex I, Mẫu 01–07, and
 * Circular 01/2018/TT-VPCP's forms for documents dated before 15 Sep 2025, each as a PDF (A4,
 * Vietnamese) or as JSON of the same fields; the register also as CSV. The response's `Form`
 * header names the form ("03/2025-01"). Reading a dossier's form is authorized like reading the
 * dossier, and recorded in the access audit (Personal Data Protection Law 91/2025).
 */
import type { FastifyInstance, FastifyReply } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type, type TSchema } from "typebox";
import type { PrintableForm } from "../../domain/forms/form-models.js";
import { registerCsv } from "../../documents/register-csv.js";
import { registerXlsx } from "../../documents/spreadsheet-xlsx.js";
import { createPdfRenderer, type PdfRenderer } from "../../documents/pdf-renderer.js";
import type { DossierFormKind, FormService } from "../../services/form-service.js";
import { chooseRepresentation, contentDisposition, MEDIA_TYPES, type Representation } from "../content-negotiation.js";
import { ANY_ROLE, staffRequesterOf } from "../plugins/auth.js";
import { pickProblems } from "../schemas/common.js";
import { ApologyLetterSchema, ReceiptCode } from "../schemas/dossier-schemas.js";
import { presentLetter } from "../presenters/dossier-presenter.js";
import {
  AgencyParams,
  ControlSheetFormSchema,
  FormQuery,
  ReceiptFormSchema,
  RefusalFormSchema,
  RegisterFormSchema,
  RegisterQuery,
  StopNoticeFormSchema,
  SupplementRequestFormSchema,
} from "../schemas/form-schemas.js";

const security = [{ apiKey: [] }];
const Params = Type.Object({ receiptCode: ReceiptCode });
const pdfContent = { "application/pdf": { schema: { type: "string", format: "binary" } } };
/** The `Form` header, in the OpenAPI document. */
export const FORM_HEADER = { Form: { type: "string", description: "The form and its circular, e.g. 03/2025-04 (Circular 03/2025/TT-VPCP, Mẫu số 04)" } };
export const NOT_ACCEPTABLE = {
  406: { description: "The Accept header allows none of the representations offered", content: { "application/problem+json": { schema: Type.Ref("Problem") } } },
};

/** Sends a form: `Form` names it; varies by Accept. */
export const formHeaders = (reply: FastifyReply, form: Pick<PrintableForm, "form">) => reply.header("Form", form.form.code).header("Vary", "Accept");

export const sendPdf = (reply: FastifyReply, pdf: Buffer, fileName: string) =>
  reply.type(MEDIA_TYPES.pdf).header("content-disposition", contentDisposition(fileName)).send(pdf);

/** The dossier forms, their paths, schemas and file names. */
const DOSSIER_FORMS: readonly {
  readonly kind: DossierFormKind;
  readonly path: string;
  readonly schema: TSchema;
  readonly summary: string;
  readonly description: string;
  readonly file: string;
}[] = [
  {
    kind: "receipt",
    path: "receipt",
    schema: ReceiptFormSchema,
    summary: "Mẫu 01: the receipt and appointment slip (Giấy tiếp nhận hồ sơ và hẹn trả kết quả)",
    description: "Dated at reception. The legal and committed durations, the appointment printed at reception (originalDueAt), how the result is returned.",
    file: "Giấy tiếp nhận",
  },
  {
    kind: "supplement_request",
    path: "supplement-request",
    schema: SupplementRequestFormSchema,
    summary: "Mẫu 02: the supplement request (Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ)",
    description: "From the dossier's latest supplement_requested event: its items and reason, and (Decree 118/2025 art. 19(5)) the applicant's limit. 404 no_supplement_request when there is none.",
    file: "Phiếu yêu cầu bổ sung",
  },
  {
    kind: "refusal",
    path: "refusal",
    schema: RefusalFormSchema,
    summary: "Mẫu 03: the refusal (Phiếu từ chối tiếp nhận giải quyết hồ sơ)",
    description: "From a refused result (result_ready, outcome refused), its note as the reason. 404 not_refused otherwise.",
    file: "Phiếu từ chối",
  },
  {
    kind: "stop_notice",
    path: "stop-notice",
    schema: StopNoticeFormSchema,
    summary: "Mẫu 05: the stop notice (Thông báo dừng giải quyết hồ sơ)",
    description: "A stopped dossier and why. 404 not_stopped otherwise; 404 no_form_for_date for a stop dated before 15 Sep 2025 (Circular 01/2018 has no such form).",
    file: "Thông báo dừng giải quyết",
  },
  {
    kind: "control_sheet",
    path: "control-sheet",
    schema: ControlSheetFormSchema,
    summary: "Mẫu 06: the process control sheet (Phiếu kiểm soát quá trình giải quyết hồ sơ)",
    description: "Dated at reception (Mẫu 04 of Circular 01/2018 before 15 Sep 2025): every hand-off with who gave and received it, when, the step's budget and result; the Decree 118/2025 duties.",
    file: "Phiếu kiểm soát",
  },
];

export interface FormRouteDeps {
  readonly forms: FormService;
  /** Default: a pool of rendering threads, closed with the app. */
  readonly renderer?: PdfRenderer;
}

export function registerFormRoutes(root: FastifyInstance, deps: FormRouteDeps): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const { forms } = deps;
  const renderer = deps.renderer ?? createPdfRenderer();
  if (deps.renderer === undefined) root.addHook("onClose", () => renderer.close());

  for (const spec of DOSSIER_FORMS) {
    app.get(
      `/v1/dossiers/:receiptCode/${spec.path}`,
      {
        onRequest: app.requireRole(...ANY_ROLE),
        schema: {
          tags: ["printable forms"],
          summary: spec.summary,
          description: `${spec.description} A PDF by default (or Accept: application/pdf); JSON of the same fields with Accept: application/json.`,
          security,
          params: Params,
          querystring: FormQuery,
          produces: ["application/pdf", "application/json"],
          response: {
            200: { description: "The form", headers: FORM_HEADER, content: { ...pdfContent, "application/json": { schema: spec.schema } } },
            ...pickProblems(400, 401, 403, 404),
            ...NOT_ACCEPTABLE,
          },
        },
      },
      async (request, reply) => {
        const representation: Representation = chooseRepresentation(request, ["pdf", "json"] as const);
        const form = await forms.dossierForm(spec.kind, request.params.receiptCode, staffRequesterOf(request), representation);
        formHeaders(reply, form);
        if (representation === "json") return reply.type(MEDIA_TYPES.json).send(form);
        const pdf = await renderer.render(form);
        return sendPdf(reply, pdf, `${spec.file} ${form.dossier.receiptCode}.pdf`);
      },
    );
  }

  app.get(
    "/v1/dossiers/:receiptCode/apology-letters/:number",
    {
      onRequest: app.requireRole(...ANY_ROLE),
      schema: {
        tags: ["apology letters", "printable forms"],
        summary: "An apology letter as JSON, or printed (Accept: application/pdf): Mẫu 04 of Circular 03/2025, Mẫu 05 of Circular 01/2018",
        description:
          "The form follows the letter's date: from 15 Sep 2025 Mẫu 04 'Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết' (Decree 118/2025 art. 19(6)), " +
          "before it Mẫu 05 'Phiếu xin lỗi và hẹn lại ngày trả kết quả' (Circular 01/2018/TT-VPCP); dates as dd/MM/yyyy. JSON by default.",
        security,
        params: Type.Object({ receiptCode: ReceiptCode, number: Type.Integer({ minimum: 1, maximum: 1_000_000_000 }) }),
        querystring: FormQuery,
        produces: ["application/json", "application/pdf"],
        response: {
          200: { description: "The letter", headers: FORM_HEADER, content: { "application/json": { schema: ApologyLetterSchema }, ...pdfContent } },
          ...pickProblems(400, 401, 403, 404),
          ...NOT_ACCEPTABLE,
        },
      },
    },
    async (request, reply) => {
      const representation = chooseRepresentation(request, ["json", "pdf"] as const);
      const { letter, form } = await forms.apologyLetter(request.params.receiptCode, request.params.number, staffRequesterOf(request), representation);
      formHeaders(reply, form);
      const { receiptCode } = form.dossier;
      if (representation === "json") return reply.type(MEDIA_TYPES.json).send(presentLetter(letter));
      const pdf = await renderer.render(form);
      return sendPdf(reply, pdf, `Phiếu xin lỗi ${form.letterNumber}-PXL ${receiptCode}.pdf`);
    },
  );

  app.get(
    "/v1/agencies/:agencyCode/register",
    {
      onRequest: app.requireRole(...ANY_ROLE),
      schema: {
        tags: ["printable forms"],
        summary: "Mẫu 07: the agency's dossier register for a period (Sổ theo dõi hồ sơ), as PDF, CSV or JSON",
        description:
          "The dossiers the agency received or handles, received from `from` to `to` (Vietnam-local dates, inclusive; at most 366 days and 10,000 dossiers), in reception order; " +
          "cancelled ones left out. Dated on `to`: Mẫu 07 of Circular 03/2025 from 15 Sep 2025, Mẫu 06 of Circular 01/2018 before. " +
          "A PDF (A4 landscape) by default; `Accept: text/csv` for CSV (UTF-8 with BOM, Vietnamese headings; for programs), " +
          "`application/vnd.openxmlformats-officedocument.spreadsheetml.sheet` (or `format=xlsx`) for an Excel workbook with typed cells (for spreadsheets: numbers and dates survive any locale), `application/json` for JSON. " +
          "Admins and reporters read any agency's register; a desk its own agencies' (and those below them).",
        security,
        params: AgencyParams,
        querystring: RegisterQuery,
        produces: ["application/pdf", "text/csv", "application/json", MEDIA_TYPES.xlsx],
        response: {
          200: {
            description: "The register",
            headers: FORM_HEADER,
            content: {
              ...pdfContent,
              "text/csv": { schema: { type: "string" } },
              "application/json": { schema: RegisterFormSchema },
              [MEDIA_TYPES.xlsx]: { schema: { type: "string", format: "binary" } },
            },
          },
          ...pickProblems(400, 401, 403, 404, 422),
          ...NOT_ACCEPTABLE,
        },
      },
    },
    async (request, reply) => {
      const representation = chooseRepresentation(request, ["pdf", "csv", "json", "xlsx"] as const);
      const { from, to } = request.query;
      const form = await forms.register(request.params.agencyCode, { from, to }, staffRequesterOf(request), representation);
      formHeaders(reply, form);
      const name = `Sổ theo dõi hồ sơ ${form.agency.code} ${from} ${to}`;
      switch (representation) {
        case "json":
          return reply.type(MEDIA_TYPES.json).send(form);
        case "csv": {
          const csv = registerCsv(form);
          return reply.type(MEDIA_TYPES.csv).header("content-disposition", contentDisposition(`${name}.csv`, "attachment")).send(csv);
        }
        case "xlsx": {
          const xlsx = await registerXlsx(form);
          return reply.type(MEDIA_TYPES.xlsx).header("content-disposition", contentDisposition(`${name}.xlsx`, "attachment")).send(xlsx);
        }
        case "pdf": {
          const pdf = await renderer.render(form);
          return sendPdf(reply, pdf, `${name}.pdf`);
        }
      }
    },
  );
}
