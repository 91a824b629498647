/**
 * Webhook signatures per the Standard Webhooks specification (API.md "Outbound"; issue #15):
 * the secret is `whsec_` + base64 of random bytes; a delivery carries `webhook-id`,
 * `webhook-timestamp` (Unix seconds) and `webhook-signature`, a space-separated list of
 * `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`, one per secret in force (rotation:
 * during a rotation both the new and the previous secret sign, so a receiver still holding the
 * old one keeps verifying). Receivers refuse timestamps outside a tolerance (replay protection).
 *
 * Here in services rather than the domain: signing is pure, but secrets come from a random
 * source (node:crypto), and the domain takes no entropy.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const WEBHOOK_SECRET_PREFIX = "whsec_";
/** The specification's default replay window: 5 minutes either side. */
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;
/** 32 bytes: the HMAC-SHA256 block's worth of key material, as the specification recommends (24–64). */
const SECRET_BYTES = 32;

/** A fresh secret, `whsec_<base64>`: shown once to the subscriber, kept to sign (see webhook_subscriptions). */
export function generateWebhookSecret(random: (n: number) => Buffer = randomBytes): string {
  return `${WEBHOOK_SECRET_PREFIX}${random(SECRET_BYTES).toString("base64")}`;
}

/** The key bytes of a `whsec_` secret (a bare base64 string is accepted too, as receivers' libraries do). */
export function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) throw new TypeError("a webhook secret must be whsec_ followed by base64");
  const key = Buffer.from(encoded, "base64");
  if (key.length === 0) throw new TypeError("a webhook secret must not be empty");
  return key;
}

/** One `v1,<base64>` signature of `{id}.{timestamp}.{body}`. */
export function signOne(secret: string, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac("sha256", secretKey(secret)).update(`${id}.${timestampSeconds}.${body}`, "utf8").digest("base64");
  return `v1,${mac}`;
}

export type WebhookHeaders = {
  readonly "webhook-id": string;
  readonly "webhook-timestamp": string;
  readonly "webhook-signature": string;
};

/**
 * The three headers of a delivery. `secrets`: those in force, newest first (after a rotation, the
 * new one and the previous one until it expires); each signs, space-separated.
 */
export function signWebhook(secrets: readonly string[], id: string, timestampSeconds: number, body: string): WebhookHeaders {
  if (secrets.length === 0) throw new TypeError("at least one secret is needed to sign");
  if (!Number.isInteger(timestampSeconds)) throw new TypeError("the timestamp is whole Unix seconds");
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestampSeconds),
    "webhook-signature": secrets.map((s) => signOne(s, id, timestampSeconds, body)).join(" "),
  };
}

export type VerifyFailure = "missing_headers" | "bad_timestamp" | "timestamp_too_old" | "timestamp_too_new" | "no_matching_signature";
export type VerifyResult = { readonly ok: true } | { readonly ok: false; readonly reason: VerifyFailure };

/**
 * A receiver's check (used by our tests' receivers, and offered to desk software): the timestamp
 * within `toleranceSeconds` of `nowSeconds`, and at least one `v1` signature in the header made
 * by one of `secrets` (any of the receiver's secrets, any of the sender's: rotation on either side).
 * Compared in constant time; other versions (`v1a,…`) are skipped, as the specification asks.
 */
export function verifyWebhook(
  secrets: readonly string[],
  headers: { readonly [name: string]: string | string[] | undefined },
  body: string,
  nowSeconds: number,
  toleranceSeconds: number = DEFAULT_TOLERANCE_SECONDS,
): VerifyResult {
  const header = (name: string): string | undefined => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const id = header("webhook-id");
  const timestamp = header("webhook-timestamp");
  const signature = header("webhook-signature");
  if (id === undefined || timestamp === undefined || signature === undefined) return { ok: false, reason: "missing_headers" };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: "bad_timestamp" };
  const seconds = Number(timestamp);
  if (seconds < nowSeconds - toleranceSeconds) return { ok: false, reason: "timestamp_too_old" };
  if (seconds > nowSeconds + toleranceSeconds) return { ok: false, reason: "timestamp_too_new" };
  const offered = signature
    .split(" ")
    .filter((part) => part.startsWith("v1,"))
    .map((part) => Buffer.from(part.slice(3), "base64"));
  for (const secret of secrets) {
    const expected = Buffer.from(signOne(secret, id, seconds, body).slice(3), "base64");
    if (offered.some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected))) return { ok: true };
  }
  return { ok: false, reason: "no_matching_signature" };
}
