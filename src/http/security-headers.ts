/**
 * The headers a JSON API holding personal data sends on every answer, errors included: nothing may
 * be framed, scripted, sniffed or cached (DOMAIN.md §9), and browsers keep to HTTPS. One frozen
 * object, set by a hook (plugins/hardening.ts) and on Fastify's own refusals (error-handler.ts):
 * @fastify/helmet computed them per request, which cost a measured ~25 % of a dossier lookup's
 * throughput (docs/ROBUSTNESS.md). On /v1/public/*, a page on an origin listed in
 * MOTCUA_CORS_ORIGINS gets `cross-origin-resource-policy: cross-origin` instead (plugins/public-cors.ts).
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
  "cache-control": "no-store",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "referrer-policy": "no-referrer",
  "strict-transport-security": "max-age=31536000; includeSubDomains",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "x-permitted-cross-domain-policies": "none",
});
