import type { FastifyInstance } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { ROLES } from "../../domain/access/roles.js";
import type { ApiKeyService } from "../../services/api-key-service.js";
import { AgencyCode, Instant, Nullable, pickProblems, StringEnum } from "../schemas/common.js";

const security = [{ apiKey: [] }];

export const KeyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    role: StringEnum(ROLES),
    agencyCodes: Type.Optional(Type.Array(AgencyCode, { maxItems: 200, description: "Desk keys only: the agencies (and their sub-agencies) it acts for" })),
  },
  { additionalProperties: false },
);

export const KeyResponse = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: StringEnum(ROLES),
  agencyCodes: Type.Immutable(Type.Array(Type.String())),
  createdAt: Instant(),
  revokedAt: Type.Optional(Nullable(Instant())),
});

export function registerApiKeyRoutes(root: FastifyInstance, apiKeys: ApiKeyService): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const admin = { onRequest: app.requireRole("admin") };

  app.post(
    "/v1/api-keys",
    {
      ...admin,
      schema: {
        tags: ["keys"],
        summary: "Issue an API key (shown once; only its hash is stored)",
        security,
        body: KeyBody,
        response: { 201: Type.Object({ ...KeyResponse.properties, key: Type.String({ description: "Shown only in this response" }) }), ...pickProblems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.code(201).send(await apiKeys.create(request.body)),
  );

  app.get(
    "/v1/api-keys",
    {
      ...admin,
      schema: { tags: ["keys"], summary: "List API keys (never the keys themselves)", security, response: { 200: Type.Object({ items: Type.Array(KeyResponse) }), ...pickProblems(401, 403) } },
    },
    async () => ({ items: await apiKeys.list() }),
  );

  app.delete(
    "/v1/api-keys/:id",
    {
      ...admin,
      schema: {
        tags: ["keys"],
        summary: "Revoke an API key; it stops working at once",
        security,
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 204: Type.Null(), ...pickProblems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await apiKeys.revoke(request.params.id);
      return reply.code(204).send(null);
    },
  );
}
