import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { sendProblem } from "../plugins/error-handler.js";

const Status = Type.Object({ status: Type.String() });

export function registerHealthRoutes(app: FastifyInstance, readiness: () => Promise<{ readonly ok: boolean; readonly detail: string }>): void {
  app.get(
    "/healthz",
    { schema: { tags: ["operations"], summary: "Liveness: the process answers", response: { 200: Status } } },
    async () => ({ status: "ok" }),
  );
  app.get(
    "/readyz",
    {
      schema: {
        tags: ["operations"],
        summary: "Readiness: database open, migrations applied, and a write commits",
        response: {
          200: Status,
          503: {
            description: "Not ready (code not_ready: the database is closed or unmigrated, or a write fails), or overloaded",
            content: { "application/problem+json": { schema: { $ref: "Problem" } } },
          },
        },
      },
    },
    async (request, reply) => {
      const { ok, detail } = await readiness();
      if (ok) return { status: "ready" };
      return sendProblem(reply, { type: "urn:motcua:problem:not-ready", title: "Service Unavailable", status: 503, detail, instance: request.url, code: "not_ready" });
    },
  );
}
