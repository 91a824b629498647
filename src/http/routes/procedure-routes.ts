import type { FastifyInstance } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { ProcedureService } from "../../services/procedure-service.js";
import type { ProcedureVersion } from "../../domain/procedure/procedure-types.js";
import { effectiveSupplementPolicy, LEGAL_FRAMES, type LegalFrame } from "../../domain/law/legal-frame.js";
import type { SupplementPolicy } from "../../domain/procedure/procedure-types.js";
import { ANY_ROLE } from "../plugins/auth.js";
import { pickProblems } from "../schemas/common.js";
import { ProcedureBody, ProcedureCode, ProcedureResponse, VersionQuery } from "../schemas/catalog-schemas.js";

const Params = Type.Object({ procedureCode: ProcedureCode });

/** A version as the API shows it: whether the supplement policy is stated, and what applies under each frame. */
const present = (p: ProcedureVersion) => ({
  ...p,
  supplementPolicyStated: p.supplementPolicy !== null,
  supplementPolicyByFrame: Object.fromEntries(LEGAL_FRAMES.map((f) => [f, effectiveSupplementPolicy(p.supplementPolicy, f)])) as Record<LegalFrame, SupplementPolicy>,
});
const security = [{ apiKey: [] }];

export function registerProcedureRoutes(root: FastifyInstance, procedures: ProcedureService): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    "/v1/procedures",
    {
      onRequest: app.requireRole(...ANY_ROLE),
      config: { etag: true },
      schema: {
        tags: ["procedures"],
        summary: "List procedures (current versions)",
        security,
        response: { 200: Type.Object({ items: Type.Array(ProcedureResponse) }), ...pickProblems(401, 403) },
      },
    },
    async () => ({ items: (await procedures.list()).map(present) }),
  );

  app.get(
    "/v1/procedures/:procedureCode",
    {
      onRequest: app.requireRole(...ANY_ROLE),
      config: { etag: true },
      schema: {
        tags: ["procedures"],
        summary: "Read a procedure: the current version, or `?version=N`",
        security,
        params: Params,
        querystring: VersionQuery,
        response: { 200: ProcedureResponse, ...pickProblems(400, 401, 403, 404) },
      },
    },
    async (request) => present(await procedures.get(request.params.procedureCode, request.query.version)),
  );

  app.get(
    "/v1/procedures/:procedureCode/versions",
    {
      onRequest: app.requireRole(...ANY_ROLE),
      config: { etag: true },
      schema: {
        tags: ["procedures"],
        summary: "Every version of a procedure, newest first",
        security,
        params: Params,
        response: { 200: Type.Object({ items: Type.Array(ProcedureResponse) }), ...pickProblems(400, 401, 403, 404) },
      },
    },
    async (request) => ({ items: (await procedures.listVersions(request.params.procedureCode)).map(present) }),
  );

  app.put(
    "/v1/procedures/:procedureCode",
    {
      onRequest: app.requireRole("admin"),
      schema: {
        tags: ["procedures"],
        summary: "Define a procedure; a changed definition becomes a new version",
        description:
          "Without committedDuration, the committed (published) duration is derived from the legal one: 30% less, rounded down to a half day. " +
          "Without supplementPolicy, each dossier's legal frame decides (restart from 1 Jul 2025, Decree 118/2025 art. 19(5); pause before). " +
          "supplementCompletion is how long the applicant has to complete a supplement (default 15 calendar days, art. 19(5)). " +
          "Answers 201 when a new version was created, 200 when the definition was unchanged.",
        security,
        params: Params,
        body: ProcedureBody,
        response: { 200: ProcedureResponse, 201: ProcedureResponse, ...pickProblems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const { created, procedure } = await procedures.put(request.params.procedureCode, request.body);
      return reply.code(created ? 201 : 200).send(present(procedure));
    },
  );
}
