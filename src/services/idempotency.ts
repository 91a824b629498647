/**
 * Retries without duplicates (API.md "Retries"; issue #14 item 3): a POST may carry an
 * `Idempotency-Key`. The same key with the same body within 24 h answers the stored response and
 * writes nothing; with another body, 409 `idempotency_key_reused`. Keys are scoped to the API key
 * that sent them (the portal's requests share the scope "public").
 *
 * Atomic with the write it guards: the key is claimed by the first write the request commits, in
 * that write's own transaction (the storage reads the request's claim from `writeContext`). So a
 * desk that times out and retries finds either nothing written (and the retry does the work) or
 * the key claimed together with the write (and the retry is answered, never repeated). The
 * response is stored just after the commit, before it is sent; a crash in that sub-millisecond
 * window leaves the key claimed without a response, and a retry then gets 409
 * `idempotency_key_in_use` (the write is done: the client reads the resource instead).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { contentHash } from "./content-hash.js";
import { AppError } from "../domain/errors.js";

/** API.md: "within 24 h". */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60_000;
/** A claim without a response younger than this is a request still in flight (retry shortly). */
export const IN_FLIGHT_MS = 60_000;
export const MAX_KEY_LENGTH = 255;

export interface IdempotencyClaim {
  readonly scope: string;
  readonly key: string;
  readonly method: string;
  readonly path: string;
  readonly bodyHash: string;
  readonly createdAt: number;
}

export interface StoredResponse {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: string;
}

export interface IdempotencyRecord extends IdempotencyClaim {
  /** Null while the guarded write has committed but its response is not stored yet. */
  readonly response: StoredResponse | null;
}

export interface IdempotencyRepository {
  find(scope: string, key: string): Promise<IdempotencyRecord | undefined>;
  /** Stores the response sent for a claimed key. */
  complete(scope: string, key: string, response: StoredResponse): Promise<void>;
  /** Deletes keys created before `before`; returns how many. */
  purge(before: number): Promise<number>;
}

/**
 * The write context of the request being served: its claim, taken by the first write that
 * commits (the storage sets `claimed`). Set by the HTTP layer around the handler.
 */
export interface RequestWrite {
  readonly claim: IdempotencyClaim;
  claimed: boolean;
}
export const writeContext = new AsyncLocalStorage<RequestWrite>();

/** Thrown by the storage when another request claimed the same key first (the write is rolled back). */
export const keyInUse = () =>
  new AppError("conflict", "another request with this Idempotency-Key is being processed; retry shortly", [{ field: "Idempotency-Key", message: "is in use by a request in flight" }], "idempotency_key_in_use");

const keyReused = () =>
  new AppError("conflict", "this Idempotency-Key was used with another request body", [{ field: "Idempotency-Key", message: "was used with another body" }], "idempotency_key_reused");

export type IdempotencyDecision = { readonly kind: "proceed"; readonly claim: IdempotencyClaim } | { readonly kind: "replay"; readonly response: StoredResponse };

export function createIdempotencyService(deps: { keys: IdempotencyRepository; now: () => number }) {
  return {
    /** What to do with a POST carrying `key`: replay a stored answer, refuse (throws), or proceed with a claim. */
    async decide(input: { scope: string; key: string; method: string; path: string; body: unknown }): Promise<IdempotencyDecision> {
      const now = deps.now();
      const bodyHash = contentHash(input.body ?? null);
      const found = await deps.keys.find(input.scope, input.key);
      if (found && found.createdAt > now - IDEMPOTENCY_WINDOW_MS) {
        // Within the window (API.md "Retries"); an older key is free again, and its claim is replaced.
        if (found.bodyHash !== bodyHash || found.method !== input.method || found.path !== input.path) throw keyReused();
        if (found.response) return { kind: "replay", response: found.response };
        throw keyInUse();
      }
      return { kind: "proceed", claim: { scope: input.scope, key: input.key, method: input.method, path: input.path, bodyHash, createdAt: now } };
    },
    complete: (claim: IdempotencyClaim, response: StoredResponse) => deps.keys.complete(claim.scope, claim.key, response),
    purge: () => deps.keys.purge(deps.now() - IDEMPOTENCY_WINDOW_MS),
  };
}

export type IdempotencyService = ReturnType<typeof createIdempotencyService>;
