/**
 * Conditional reads (issue #14 item 7): routes that opt in with `config: { etag: true }` answer a
 * 200 with `ETag`, and `If-None-Match` with one of its tags with 304 and no body (RFC 9110 §13.1.2).
 *
 * The tag is a hash of the serialized body, so it is a *strong* validator: equal tags mean equal
 * bytes of that representation (the JSON, or the CSV of the same report: different bytes, different
 * tags). It is derived from what is sent, not from a version column, because a dossier's answer also
 * depends on the clock (overdue, a paused due date moving) and a report on every dossier it counts:
 * a hash is the one tag that is never stale. The handler still runs in full, so a 304 saves the
 * transfer, not the work, and a dossier read that ends in 304 has already been recorded in the
 * access audit by its handler: the personal data would have been served (and the client holds it).
 * Cache-Control stays `no-store` (security-headers.ts): no browser or shared cache keeps personal
 * data; a client that keeps its own copy revalidates it with If-None-Match.
 */
import { createHash } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Send an ETag on 200 and answer a matching If-None-Match with 304 (plugins/etag.ts). */
    etag?: boolean;
  }
}

/** `"<base64url of the first 16 bytes of SHA-256>"`: 128 bits, ample against accidental collisions. */
export function entityTag(body: string | Buffer): string {
  return `"${createHash("sha256").update(body).digest().subarray(0, 16).toString("base64url")}"`;
}

/** If-None-Match uses the weak comparison: `W/"x"` matches `"x"`; `*` matches any current representation. */
export function noneMatch(header: string | undefined, tag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((candidate) => candidate.trim().replace(/^W\//, "") === tag);
}

export function registerEtag(app: FastifyInstance): void {
  app.addHook("onSend", async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (request.routeOptions.config.etag !== true || reply.statusCode !== 200) return payload;
    if (request.method !== "GET" && request.method !== "HEAD") return payload;
    if (typeof payload !== "string" && !Buffer.isBuffer(payload)) return payload;
    const tag = entityTag(payload);
    reply.header("etag", tag);
    if (!noneMatch(request.headers["if-none-match"], tag)) return payload;
    // 304: the headers a 200 would carry (ETag, Vary, Cache-Control), no body, no representation length.
    reply.code(304).removeHeader("content-length").removeHeader("content-type").removeHeader("content-disposition");
    return null;
  });
}
