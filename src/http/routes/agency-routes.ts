import type { FastifyInstance } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { AgencyService } from "../../services/agency-service.js";
import { ANY_ROLE } from "../plugins/auth.js";
import { pickProblems } from "../schemas/common.js";
import { AgencyBody, AgencyCodeParam, AgencyResponse } from "../schemas/catalog-schemas.js";

const Params = Type.Object({ agencyCode: AgencyCodeParam });
const security = [{ apiKey: [] }];

export function registerAgencyRoutes(root: FastifyInstance, agencies: AgencyService): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    "/v1/agencies",
    {
      onRequest: app.requireRole(...ANY_ROLE),
      config: { etag: true },
      schema: {
        tags: ["agencies"],
        summary: "List agencies",
        security,
        response: { 200: Type.Object({ items: Type.Array(AgencyResponse) }), ...pickProblems(401, 403) },
      },
    },
    async () => ({ items: await agencies.list() }),
  );

  app.get(
    "/v1/agencies/:agencyCode",
    {
      onRequest: app.requireRole(...ANY_ROLE),
      config: { etag: true },
      schema: {
        tags: ["agencies"],
        summary: "Read an agency",
        security,
        params: Params,
        response: { 200: AgencyResponse, ...pickProblems(400, 401, 403, 404) },
      },
    },
    async (request) => agencies.get(request.params.agencyCode),
  );

  app.put(
    "/v1/agencies/:agencyCode",
    {
      onRequest: app.requireRole("admin"),
      schema: {
        tags: ["agencies"],
        summary: "Create or update an agency",
        description: "Agencies form a tree through parentCode (no administrative level is hard-coded); each uses a working calendar (default vn).",
        security,
        params: Params,
        body: AgencyBody,
        response: { 200: AgencyResponse, 201: AgencyResponse, ...pickProblems(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      const { created, agency } = await agencies.put(request.params.agencyCode, request.body);
      return reply.code(created ? 201 : 200).send(agency);
    },
  );
}
