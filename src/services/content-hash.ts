import { createHash } from "node:crypto";
import { canonicalJson } from "../domain/dossier/event-input.js";

/**
 * SHA-256 (hex) of a value's canonical JSON: equal bodies hash equal whatever their key order.
 * What tells a repeated request from a different one under the same id (a supplied receipt
 * code, an eventId, an Idempotency-Key).
 */
export const contentHash = (value: unknown): string => createHash("sha256").update(canonicalJson(value), "utf8").digest("hex");
