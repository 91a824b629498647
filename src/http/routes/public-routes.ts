/**
 * The citizen portal's endpoints (API.md "Public"): no key, rate-limited per client address.
 */
import type { FastifyInstance } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import rateLimit from "@fastify/rate-limit";
import { Type } from "typebox";
import { maskName } from "../../domain/dossier/public-view.js";
import { STATUS_LABELS } from "../../domain/dossier/status-labels.js";
import { DOSSIER_STATUSES, RATING_LEVELS } from "../../domain/dossier/dossier-types.js";
import { formatInstant } from "../../domain/time.js";
import type { CitizenPortal } from "../../services/dossiers/citizen-portal.js";
import { requesterOf } from "../plugins/auth.js";
import { registerPublicCors } from "../plugins/public-cors.js";
import { Instant, Nullable, pickProblems, StringEnum } from "../schemas/common.js";
import { ReceiptCode } from "../schemas/dossier-schemas.js";

export interface PublicRateLimit {
  readonly max: number;
  readonly timeWindowMs: number;
}
export const DEFAULT_PUBLIC_RATE_LIMIT: PublicRateLimit = { max: 60, timeWindowMs: 60_000 };

const StatusLabel = Type.Object({ vi: Type.String(), en: Type.String() });
const IdNumber = Type.String({ minLength: 6, maxLength: 20, pattern: "^[A-Za-z0-9 .-]+$", description: "The applicant's identity-document number" });
export const PublicDossier = Type.Object({
  receiptCode: Type.String(),
  procedureName: Type.String(),
  agencyName: Type.String({ description: "The handling agency" }),
  status: StringEnum(DOSSIER_STATUSES),
  statusLabel: StatusLabel,
  receivedAt: Instant(),
  dueAt: Instant(),
  rescheduledDueAt: Nullable(Instant()),
  finishedAt: Nullable(Instant()),
  returnedAt: Nullable(Instant()),
  applicantName: Type.String({ description: "Masked: the first letter of each word" }),
  history: Type.Array(Type.Object({ status: StringEnum(DOSSIER_STATUSES), statusLabel: StatusLabel, at: Instant() })),
});

export interface PublicRouteOptions {
  readonly rateLimit: PublicRateLimit;
  /** Origins whose pages may call these routes from a browser (public-cors.ts); none: same-origin only. */
  readonly corsOrigins: readonly string[];
}

export async function registerPublicRoutes(root: FastifyInstance, portal: CitizenPortal, options: PublicRouteOptions): Promise<void> {
  const limit = options.rateLimit;
  // One scope under the /v1/public prefix: CORS and the rate limit apply here and nowhere else.
  await root.register(
    async (scope) => {
      // CORS first: its headers are on every answer of the scope, the rate limit's 429 included.
      await registerPublicCors(scope, options.corsOrigins);
      // Per client address, only on /v1/public/* (DOMAIN.md §9: lookups are rate-limited). 429 with
      // Retry-After; the body is a problem like every other error.
      await scope.register(rateLimit, {
        max: limit.max,
        timeWindow: limit.timeWindowMs,
        errorResponseBuilder: (_request, context) =>
          Object.assign(new Error(`Too many requests; retry in ${Math.ceil(context.ttl / 1000)} s`), { statusCode: 429 }),
      });
      const app = scope.withTypeProvider<TypeBoxTypeProvider>();

      app.get(
        "/dossiers/:receiptCode",
        {
          schema: {
            tags: ["public"],
            summary: "A dossier's status for its applicant: receipt code and identity number",
            description: "A wrong identity number answers exactly like an unknown receipt code (404). No contact details; the name is masked.",
            params: Type.Object({ receiptCode: ReceiptCode }),
            querystring: Type.Object({ idNumber: IdNumber }, { additionalProperties: false }),
            response: { 200: PublicDossier, 429: { $ref: "Problem" }, ...pickProblems(400, 404) },
          },
        },
        async (request) => {
          const { record, procedure, state, agencyName } = await portal.lookup(request.params.receiptCode, request.query.idNumber, requesterOf(request));
          const iso = (ms: number | null) => (ms === null ? null : formatInstant(ms));
          return {
            receiptCode: record.receiptCode,
            procedureName: procedure.name,
            agencyName,
            status: state.status,
            statusLabel: state.statusLabel,
            receivedAt: formatInstant(record.receivedAt),
            dueAt: formatInstant(state.dueAt),
            rescheduledDueAt: iso(record.rescheduledDueAt),
            finishedAt: iso(state.finishedAt),
            returnedAt: iso(state.returnedAt),
            applicantName: maskName(record.applicant.name),
            history: state.history.map((h) => ({ status: h.status, statusLabel: STATUS_LABELS[h.status], at: formatInstant(h.at) })),
          };
        },
      );

      app.post(
        "/dossiers/:receiptCode/rating",
        {
          schema: {
            tags: ["public"],
            summary: "Rate the service once the result is ready (one rating per dossier)",
            params: Type.Object({ receiptCode: ReceiptCode }),
            body: Type.Object(
              {
                idNumber: IdNumber,
                level: StringEnum(RATING_LEVELS),
                reason: Type.Optional(Type.String({ maxLength: 2000, description: "Required when dissatisfied" })),
              },
              { additionalProperties: false },
            ),
            response: {
              201: Type.Object({ receiptCode: Type.String(), level: StringEnum(RATING_LEVELS), reason: Nullable(Type.String()), ratedAt: Instant() }),
              429: { $ref: "Problem" },
              ...pickProblems(400, 404, 409, 422),
            },
          },
        },
        async (request, reply) => {
          const rating = await portal.rate(request.params.receiptCode, request.body);
          return reply.code(201).send({ ...rating, ratedAt: formatInstant(rating.ratedAt) });
        },
      );
    },
    { prefix: "/v1/public" },
  );
}
