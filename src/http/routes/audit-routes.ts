/** The access audit for administrators (DOMAIN.md §9: who read which dossier's personal data, when). */
import type { FastifyInstance } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { AUDIT_ACTIONS, AUDIT_ACTOR_ROLES } from "../../domain/access/audit.js";
import { formatInstant, vietnamDayOf } from "../../domain/time.js";
import type { AuditService } from "../../services/audit-service.js";
import { cursorCodec } from "../cursor.js";
import { LocalDate, Nullable, pickProblems, StringEnum } from "../schemas/common.js";
import { ReceiptCode } from "../schemas/dossier-schemas.js";

const cursors = cursorCodec("a");

export const AuditEntrySchema = Type.Object({
  at: Type.String({ format: "date-time" }),
  receiptCode: Type.String(),
  action: StringEnum(AUDIT_ACTIONS),
  actor: Type.Object({
    keyId: Nullable(Type.String()),
    name: Nullable(Type.String()),
    role: StringEnum(AUDIT_ACTOR_ROLES, { description: "public: the applicant on the citizen portal (receipt code and identity number)" }),
  }),
  remoteAddress: Nullable(Type.String()),
  requestId: Nullable(Type.String()),
});

export function registerAuditRoutes(root: FastifyInstance, audit: AuditService): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    "/v1/audit",
    {
      onRequest: app.requireRole("admin"),
      schema: {
        tags: ["audit"],
        summary: "Who read which dossier's personal data, and when (newest first)",
        description:
          "Every response that carried a dossier's personal data is recorded as it is sent (committed within a millisecond, with the others of the moment): the dossier, its timeline, apology letters, receipts, and the portal's lookups. " +
          "from/to are Vietnam-local dates, inclusive.",
        security: [{ apiKey: [] }],
        querystring: Type.Object(
          {
            receiptCode: Type.Optional(ReceiptCode),
            keyId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            from: Type.Optional(LocalDate),
            to: Type.Optional(LocalDate),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
            cursor: Type.Optional(Type.String({ maxLength: 100 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(AuditEntrySchema), nextCursor: Nullable(Type.String()) }),
          ...pickProblems(400, 401, 403),
        },
      },
    },
    async (request) => {
      const { receiptCode, keyId, from, to, limit, cursor } = request.query;
      const page = await audit.list({
        ...(receiptCode !== undefined ? { receiptCode } : {}),
        ...(keyId !== undefined ? { actorKeyId: keyId } : {}),
        ...(from !== undefined ? { from: vietnamDayOf(from, "from").start } : {}),
        ...(to !== undefined ? { before: vietnamDayOf(to, "to").end } : {}),
        ...(cursor !== undefined ? { cursor: cursors.decode(cursor) } : {}),
        limit: limit ?? 100,
      });
      return {
        items: page.items.map((e) => ({
          at: formatInstant(e.at),
          receiptCode: e.receiptCode,
          action: e.action,
          actor: { keyId: e.actorKeyId, name: e.actorName, role: e.actorRole },
          remoteAddress: e.remoteAddress,
          requestId: e.requestId,
        })),
        nextCursor: page.nextCursor === null ? null : cursors.encode(page.nextCursor),
      };
    },
  );
}
