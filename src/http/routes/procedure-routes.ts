import type { FastifyInstance } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { ProcedureService } from "../../services/procedure-service.js";
import { ANY_ROLE } from "../plugins/auth.js";
import { pickProblems } from "../schemas/common.js";
import { ProcedureBody, ProcedureCode, ProcedureResponse, VersionQuery } from "../schemas/catalog-schemas.js";

const Params = Type.Object({ procedureCode: ProcedureCode });
const security = [{ apiKey: [] }];

export function registerProcedureRoutes(root: FastifyInstance, procedures: ProcedureService): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    "/v1/procedures",
    {
      onRequest: app.requireRole(...ANY_ROLE),
      schema: {
        tags: ["procedures"],
        summary: "List procedures (current versions)",
        security,
        response: { 200: Type.Object({ items: Type.Array(ProcedureResponse) }), ...pickProblems(401, 403) },
      },
    },
    async () => ({ items: await procedures.list() }),
  );

  app.get(
    "/v1/procedures/:procedureCode",
    {
      onRequest: app.requireRole(...ANY_ROLE),
      schema: {
        tags: ["procedures"],
        summary: "Read a procedure: the current version, or `?version=N`",
        security,
        params: Params,
        querystring: VersionQuery,
        response: { 200: ProcedureResponse, ...pickProblems(400, 401, 403, 404) },
      },
    },
    async (request) => procedures.get(request.params.procedureCode, request.query.version),
  );

  app.get(
    "/v1/procedures/:procedureCode/versions",
    {
      onRequest: app.requireRole(...ANY_ROLE),
      schema: {
        tags: ["procedures"],
        summary: "Every version of a procedure, newest first",
        security,
        params: Params,
        response: { 200: Type.Object({ items: Type.Array(ProcedureResponse) }), ...pickProblems(400, 401, 403, 404) },
      },
    },
    async (request) => ({ items: await procedures.listVersions(request.params.procedureCode) }),
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
          "Answers 201 when a new version was created, 200 when the definition was unchanged.",
        security,
        params: Params,
        body: ProcedureBody,
        response: { 200: ProcedureResponse, 201: ProcedureResponse, ...pickProblems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const { created, procedure } = await procedures.put(request.params.procedureCode, request.body);
      return reply.code(created ? 201 : 200).send(procedure);
    },
  );
}
