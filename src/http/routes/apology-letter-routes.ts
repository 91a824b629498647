/**
 * Apology letters (API.md apology-letters, DOMAIN.md §5): issuing one and listing them. The letter
 * itself, as JSON or as the printed Mẫu 04 (Mẫu 05 of Circular 01/2018), is read through the
 * printable forms (form-routes.ts).
 */
import type { FastifyInstance } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { ApologyLetterService } from "../../services/apology-letter-service.js";
import { ANY_ROLE } from "../plugins/auth.js";
import { presentLetter } from "../presenters/dossier-presenter.js";
import { pickProblems } from "../schemas/common.js";
import { ApologyLetterBody, ApologyLetterSchema, ReceiptCode } from "../schemas/dossier-schemas.js";

const security = [{ apiKey: [] }];
const Params = Type.Object({ receiptCode: ReceiptCode });

export function registerApologyLetterRoutes(root: FastifyInstance, letters: Pick<ApologyLetterService, "issue" | "list">): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

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
}
