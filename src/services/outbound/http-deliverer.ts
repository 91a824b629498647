/**
 * Sends one outbox message over HTTP (API.md "Outbound"): a POST of the stored JSON body; to a
 * webhook with the Standard Webhooks headers (webhook-signature.ts), to the National Public
 * Service Portal with `Authorization: Bearer <token>` (MOTCUA_PORTAL_TOKEN). The destination is
 * checked on its resolved address at this moment and the connection pinned to that address
 * (destination-guard.ts). 2xx is delivered; anything else, a timeout or a network error is a
 * failure the dispatcher retries. Redirects are not followed: a 3xx could point the signed body
 * at an address the guard never checked.
 */
import http from "node:http";
import https from "node:https";
import type { DeliveryOutcome } from "../../domain/outbound/outbound-types.js";
import { pinnedLookup, resolveDestination, systemLookup, type DestinationPolicy, type LookupPort } from "./destination-guard.js";
import type { Destination, OutboxMessage } from "./outbox-ports.js";
import { signWebhook } from "./webhook-signature.js";

/** How a destination is reached; the lead's wiring answers it from config (portal) and webhook_subscriptions. */
export type DestinationEndpoint =
  | { readonly url: string; readonly auth: { readonly kind: "bearer"; readonly token: string } | { readonly kind: "none" } }
  | { readonly url: string; readonly auth: { readonly kind: "webhook"; readonly secrets: readonly string[] } };

/** Port: the endpoint of a destination now, or undefined when it no longer exists (a deleted subscription, the portal unset). */
export type EndpointDirectory = (destination: Destination) => Promise<DestinationEndpoint | undefined>;

export type DeliveryResult =
  | { readonly ok: true; readonly statusCode: number; readonly durationMs: number }
  | { readonly ok: false; readonly outcome: Exclude<DeliveryOutcome, "delivered" | "breaker_open">; readonly statusCode: number | null; readonly error: string; readonly durationMs: number };

/** What the dispatcher calls: deliver one message; `signal` aborts it (dispatcher stopping). Never rejects. */
export type Deliver = (message: OutboxMessage, signal: AbortSignal) => Promise<DeliveryResult>;

export interface HttpDelivererOptions {
  readonly endpoints: EndpointDirectory;
  readonly policy: DestinationPolicy;
  readonly lookup?: LookupPort;
  /** Per attempt, connection to last byte. */
  readonly timeoutMs?: number;
  /** Wall clock for `webhook-timestamp` and durations (injected in tests). */
  readonly now: () => number;
  readonly userAgent?: string;
}

/** Responses are read only this far (a status is all we need; the rest is diagnostics). */
const MAX_RESPONSE_BYTES = 4_096;

export function createHttpDeliverer(options: HttpDelivererOptions): Deliver {
  const { endpoints, policy, now } = options;
  const lookup = options.lookup ?? systemLookup;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const userAgent = options.userAgent ?? "motcua-outbound/1";

  return async (message, signal) => {
    const started = now();
    const fail = (outcome: Exclude<DeliveryOutcome, "delivered" | "breaker_open">, error: string, statusCode: number | null = null): DeliveryResult => ({
      ok: false,
      outcome,
      statusCode,
      error,
      durationMs: Math.max(0, now() - started),
    });
    try {
      const endpoint = await endpoints(message.destination);
      if (endpoint === undefined) return fail("refused_destination", `destination ${message.destination.kind}:${message.destination.id} no longer exists`);
      const resolved = await resolveDestination(endpoint.url, policy, lookup);
      if (!resolved.ok) return fail("refused_destination", `${resolved.reason}: ${resolved.detail}`);

      const body = Buffer.from(message.payload, "utf8");
      const headers: Record<string, string> = {
        "content-type": "application/json",
        "content-length": String(body.length),
        "user-agent": userAgent,
      };
      if (endpoint.auth.kind === "webhook") Object.assign(headers, signWebhook(endpoint.auth.secrets, message.id, Math.floor(now() / 1000), message.payload));
      else {
        if (endpoint.auth.kind === "bearer") headers.authorization = `Bearer ${endpoint.auth.token}`;
        // The portal is idempotent by MaHoSo (DOMAIN.md §8); the id lets it drop exact repeats too.
        headers["idempotency-key"] = message.id;
      }

      const { url, target } = resolved;
      const transport = url.protocol === "https:" ? https : http;
      const status = await new Promise<number>((resolve, reject) => {
        const request = transport.request(
          url,
          { method: "POST", headers, lookup: pinnedLookup(target) as never, agent: false, signal, timeout: timeoutMs },
          (response) => {
            let read = 0;
            response.on("data", (chunk: Buffer) => {
              read += chunk.length;
              if (read > MAX_RESPONSE_BYTES) response.destroy();
            });
            response.on("end", () => resolve(response.statusCode ?? 0));
            response.on("close", () => resolve(response.statusCode ?? 0));
            response.on("error", reject);
          },
        );
        // A whole-attempt deadline, not only idle time: a receiver trickling bytes must not hold a slot.
        const deadline = setTimeout(() => request.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: "ETIMEDOUT" })), timeoutMs);
        request.on("timeout", () => request.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: "ETIMEDOUT" })));
        request.on("close", () => clearTimeout(deadline));
        request.on("error", reject);
        request.end(body);
      });
      if (status >= 200 && status < 300) return { ok: true, statusCode: status, durationMs: Math.max(0, now() - started) };
      return fail("http_error", `HTTP ${status}`, status);
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      if (e.code === "ETIMEDOUT") return fail("timeout", e.message);
      return fail("network_error", `${e.code ?? e.name}: ${e.message}`);
    }
  };
}
