/**
 * Browsers on the listed origins may call the citizen portal's endpoints (/v1/public/*) and read
 * the answers (API.md "Conventions": MOTCUA_CORS_ORIGINS). Registered inside the public routes'
 * scope only: staff routes stay same-origin (no CORS headers; a preflight there finds no route).
 *
 * @fastify/cors does the protocol (preflight, Vary: Origin, Allow-/Expose-Headers); this file
 * decides the policy:
 * - exact origins, no wildcard: the public answers carry personal data (a masked name, dates);
 * - an origin not listed gets no CORS headers at all, and its preflight the same 404 as an
 *   unknown route, so the browser refuses the call;
 * - `Cross-Origin-Resource-Policy` is relaxed to `cross-origin` for a listed origin only
 *   (security-headers.ts sends `same-origin` everywhere else);
 * - the headers a portal needs to read are exposed: the request id (to quote to a help desk),
 *   Retry-After and the rate-limit headers (to wait instead of hammering).
 */
import type { FastifyInstance } from "fastify";
import cors from "@fastify/cors";

/** Request headers a portal may send: JSON bodies, its own correlation id, a retry key. */
export const CORS_ALLOWED_HEADERS = ["Content-Type", "X-Request-Id", "Idempotency-Key"] as const;
/** Response headers a portal's script may read (the CORS-safelisted ones need no listing). */
export const CORS_EXPOSED_HEADERS = ["X-Request-Id", "Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"] as const;
/** Seconds a browser may reuse a preflight's answer (Chromium caps it at 7200). */
export const CORS_MAX_AGE_SECONDS = 600;

export async function registerPublicCors(scope: FastifyInstance, origins: readonly string[]): Promise<void> {
  const allowed = new Set(origins);
  // Before @fastify/cors's own hook and before the rate limit's: a refused (429) or failed answer
  // keeps these headers too, so that the portal's script can read the problem and Retry-After.
  scope.addHook("onRequest", (request, reply, done) => {
    const origin = request.headers.origin;
    if (origin !== undefined && allowed.has(origin)) reply.header("cross-origin-resource-policy", "cross-origin");
    done();
  });
  await scope.register(cors, {
    // A function, not the list: an origin not listed turns CORS (and preflight) off for the
    // request, instead of a 204 preflight without Access-Control-Allow-Origin.
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin) ? origin : false),
    methods: ["GET", "POST"],
    allowedHeaders: [...CORS_ALLOWED_HEADERS],
    exposedHeaders: [...CORS_EXPOSED_HEADERS],
    maxAge: CORS_MAX_AGE_SECONDS,
    // No cookies or HTTP authentication on public routes: the identity number travels in the request.
    credentials: false,
    strictPreflight: false,
  });
}
