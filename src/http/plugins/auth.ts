/**
 * Bearer-key authentication and role checks (API.md "Auth"). Routes opt in with
 * `onRequest: app.requireRole(...)` (before the body is even parsed, so an anonymous caller learns nothing from validation); public and operational routes simply do not.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from "fastify";
import type { Principal, Role } from "../../domain/access/roles.js";
import { AppError } from "../../domain/errors.js";
import type { ApiKeyService } from "../../services/api-key-service.js";
import type { Requester } from "../../services/audit-service.js";

declare module "fastify" {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    requireRole(...roles: Role[]): onRequestAsyncHookHandler;
  }
}

const BEARER = /^Bearer\s+(\S{1,512})\s*$/i;

export function registerAuth(app: FastifyInstance, apiKeys: ApiKeyService): void {
  app.decorateRequest("principal", null);

  app.decorate("requireRole", (...roles: Role[]): onRequestAsyncHookHandler => {
    return async function requireRole(request: FastifyRequest, reply: FastifyReply) {
      const header = request.headers.authorization;
      const match = header === undefined ? null : BEARER.exec(header);
      if (!match) {
        reply.header("WWW-Authenticate", 'Bearer realm="motcua"');
        throw new AppError("unauthorized", "An API key is required: Authorization: Bearer <key>");
      }
      const principal = await apiKeys.authenticate(match[1]!);
      if (!principal) {
        reply.header("WWW-Authenticate", 'Bearer realm="motcua", error="invalid_token"');
        throw new AppError("unauthorized", "The API key is unknown or revoked");
      }
      if (!roles.includes(principal.role)) throw new AppError("forbidden", `This requires the role ${roles.join(" or ")}; the key is ${principal.role}`);
      request.principal = principal;
    };
  });
}

/** Who is asking, for the access audit. */
export const requesterOf = (request: FastifyRequest): Requester => ({ principal: request.principal, remoteAddress: request.ip, requestId: request.id });

/** The requester of a route behind requireRole: its principal is known. */
export const staffRequesterOf = (request: FastifyRequest): Requester & { principal: Principal } => {
  if (!request.principal) throw new Error("staffRequesterOf on a route without requireRole");
  return { principal: request.principal, remoteAddress: request.ip, requestId: request.id };
};

export const ANY_ROLE: Role[] = ["admin", "desk", "reporter"];
