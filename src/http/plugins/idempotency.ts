/**
 * `Idempotency-Key` on every POST (API.md "Retries"; services/idempotency.ts has the rules). The
 * key is looked up once the caller is known and the body validated: a stored answer is replayed
 * (with `Idempotent-Replayed: true`) and the handler never runs; otherwise the handler runs with
 * the claim in its write context, the first write it commits claims the key atomically, and the
 * response is stored before it is sent.
 */
import type { FastifyInstance } from "fastify";
import { validationFailed } from "../../domain/errors.js";
import { MAX_KEY_LENGTH, writeContext, type IdempotencyService, type RequestWrite } from "../../services/idempotency.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The POST's idempotency claim and whether a write took it. */
    idempotentWrite: RequestWrite | null;
  }
}

/** Visible ASCII: UUIDs, ULIDs and the like; no spaces or control characters that logs could mangle. */
const KEY_PATTERN = /^[\x21-\x7e]+$/;

export function registerIdempotency(app: FastifyInstance, idempotency: IdempotencyService): void {
  // Requests of plugins registered earlier (the Swagger UI) lack the decoration: the hooks test for a missing value.
  app.decorateRequest("idempotentWrite", null);

  app.addHook("preHandler", async (request, reply) => {
    if (request.method !== "POST") return;
    const header = request.headers["idempotency-key"];
    if (header === undefined) return;
    const key = Array.isArray(header) ? header[0]! : header;
    if (Array.isArray(header) || key.length === 0 || key.length > MAX_KEY_LENGTH || !KEY_PATTERN.test(key))
      throw validationFailed([{ field: "Idempotency-Key", message: `must be one value of 1 to ${MAX_KEY_LENGTH} visible ASCII characters` }]);
    const decision = await idempotency.decide({
      scope: request.principal?.keyId ?? "public",
      key,
      method: request.method,
      path: request.url,
      body: request.body,
    });
    if (decision.kind === "replay") {
      const { status, contentType, body } = decision.response;
      if (contentType !== null) reply.header("content-type", contentType);
      return reply.code(status).header("idempotent-replayed", "true").send(body);
    }
    request.idempotentWrite = { claim: decision.claim, claimed: false };
  });

  // The handler runs inside the request's write context, where the storage finds the claim.
  app.addHook("preHandler", (request, _reply, done) => {
    if (!request.idempotentWrite) return done();
    writeContext.run(request.idempotentWrite, done);
  });

  app.addHook("onSend", async (request, reply, payload) => {
    const write = request.idempotentWrite;
    if (!write || !write.claimed || reply.statusCode >= 500 || typeof payload !== "string") return payload;
    const contentType = reply.getHeader("content-type");
    try {
      await idempotency.complete(write.claim, { status: reply.statusCode, contentType: typeof contentType === "string" ? contentType : null, body: payload });
    } catch (error) {
      // The write is committed and this answer goes out; a retry is told the key is in use (409).
      request.log.error({ err: error }, "the response to an idempotent request could not be stored");
    }
    return payload;
  });
}
