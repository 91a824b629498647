/**
 * Apology letters (API.md apology-letters, DOMAIN.md §5) and the printable forms: the letter and
 * the receipt slip as PDF.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { renderApologyLetterPdf } from "../../documents/apology-letter-pdf.js";
import { renderReceiptPdf } from "../../documents/receipt-pdf.js";
import type { ApologyLetterService, ApologyLetterView } from "../../services/apology-letter-service.js";
import type { AuditService } from "../../services/audit-service.js";
import type { DossierService } from "../../services/dossier-service.js";
import type { AgencyService } from "../../services/agency-service.js";
import { contentDisposition, prefersPdf } from "../content-negotiation.js";
import { ANY_ROLE, requesterOf } from "../plugins/auth.js";
import { presentLetter } from "../presenters/dossier-presenter.js";
import { pickProblems } from "../schemas/common.js";
import { ApologyLetterBody, ApologyLetterSchema, ReceiptCode } from "../schemas/dossier-schemas.js";

const security = [{ apiKey: [] }];
const Params = Type.Object({ receiptCode: ReceiptCode });
const Pdf = { description: "A4, Vietnamese", content: { "application/pdf": { schema: { type: "string", format: "binary" } } } };

/** PDF when the client asks for it (Accept: application/pdf, or ?format=pdf for a plain link). */
const wantsPdf = (request: FastifyRequest) => prefersPdf(request.headers.accept) || (request.query as { format?: string }).format === "pdf";

const sendPdf = (reply: FastifyReply, pdf: Buffer, fileName: string) =>
  reply.type("application/pdf").header("content-disposition", contentDisposition(fileName)).send(pdf);

export function registerApologyLetterRoutes(
  root: FastifyInstance,
  deps: { letters: ApologyLetterService; dossiers: DossierService; agencies: AgencyService; audit: AuditService },
): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const { letters, dossiers, agencies, audit } = deps;

  const letterPdf = ({ letter, dossier, agency, parentAgency }: ApologyLetterView) =>
    renderApologyLetterPdf({
      letter,
      agencyName: agency.name,
      parentAgencyName: parentAgency?.name ?? null,
      applicant: dossier.record.applicant,
      procedureName: dossier.procedure.name,
      receivedAt: dossier.record.receivedAt,
    });

  app.post(
    "/v1/dossiers/:receiptCode/apology-letters",
    {
      onRequest: app.requireRole("admin", "desk"),
      schema: {
        tags: ["apology letters"],
        summary: "Apologise for a delay and give a new appointment (once per dossier)",
        description:
          "Only for an open dossier, by the agency responsible for the delay (the handling agency, or the agency whose step overran) or an admin. " +
          "newDueAt must be later than the current due date. The letter is numbered per agency and year, sets rescheduledDueAt and does not change timeliness. " +
          "issuedInTime: issued no later than one working day before the due date. A second letter answers 422.",
        security,
        params: Params,
        body: ApologyLetterBody,
        response: { 201: ApologyLetterSchema, ...pickProblems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const { letter } = await letters.issue(request.params.receiptCode, request.body, request.principal!);
      reply.header("Location", `/v1/dossiers/${encodeURIComponent(letter.receiptCode)}/apology-letters/${letter.number}`);
      return reply.code(201).send(presentLetter(letter));
    },
  );

  app.get(
    "/v1/dossiers/:receiptCode/apology-letters",
    {
      onRequest: app.requireRole(...ANY_ROLE),
      schema: {
        tags: ["apology letters"],
        summary: "The dossier's apology letters (at most one)",
        security,
        params: Params,
        response: { 200: Type.Object({ items: Type.Array(ApologyLetterSchema) }), ...pickProblems(400, 401, 403, 404) },
      },
    },
    async (request) => ({ items: (await letters.list(request.params.receiptCode, request.principal!)).map(presentLetter) }),
  );

  app.get(
    "/v1/dossiers/:receiptCode/apology-letters/:number",
    {
      onRequest: app.requireRole(...ANY_ROLE),
      schema: {
        tags: ["apology letters"],
        summary: "An apology letter as JSON, or as the printable form (Accept: application/pdf)",
        description: "The PDF follows Mẫu 05 of Circular 01/2018/TT-VPCP, dates as dd/MM/yyyy.",
        security,
        params: Type.Object({ receiptCode: ReceiptCode, number: Type.Integer({ minimum: 1, maximum: 1_000_000_000 }) }),
        querystring: Type.Object({ format: Type.Optional(Type.Literal("pdf")) }, { additionalProperties: false }),
        produces: ["application/json", "application/pdf"],
        response: { 200: { content: { "application/json": { schema: ApologyLetterSchema }, ...Pdf.content } }, ...pickProblems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const view = await letters.get(request.params.receiptCode, request.params.number, request.principal!);
      const pdf = wantsPdf(request);
      await audit.record(pdf ? "apology_letter.pdf" : "apology_letter.read", view.letter.receiptCode, requesterOf(request));
      if (!pdf) return presentLetter(view.letter);
      return sendPdf(reply, await letterPdf(view), `Phiếu xin lỗi ${view.letter.number}-PXL ${view.letter.receiptCode}.pdf`);
    },
  );

  app.get(
    "/v1/dossiers/:receiptCode/receipt",
    {
      onRequest: app.requireRole(...ANY_ROLE),
      schema: {
        tags: ["dossiers"],
        summary: "The receipt slip (Giấy tiếp nhận hồ sơ và hẹn trả kết quả) as a printable PDF",
        description: "Mẫu 01 of Circular 01/2018/TT-VPCP: the appointment printed at reception (originalDueAt), received and due hour, minute and date.",
        security,
        params: Params,
        response: { 200: Pdf, ...pickProblems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { record, procedure } = await dossiers.get(request.params.receiptCode, request.principal!);
      const agency = await agencies.get(record.receivingAgencyCode);
      const parent = agency.parentCode === null ? null : await agencies.get(agency.parentCode);
      await audit.record("receipt.pdf", record.receiptCode, requesterOf(request));
      const pdf = await renderReceiptPdf({
        receiptCode: record.receiptCode,
        agencyName: agency.name,
        parentAgencyName: parent?.name ?? null,
        applicant: record.applicant,
        procedureName: procedure.name,
        legalDuration: procedure.legalDuration,
        committedDuration: procedure.committedDuration,
        channel: record.channel,
        receivedAt: record.receivedAt,
        appointmentAt: record.originalDueAt,
      });
      return sendPdf(reply, pdf, `Giấy tiếp nhận ${record.receiptCode}.pdf`);
    },
  );
}
