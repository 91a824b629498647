/**
 * Idempotency key rows to records, for both dialects (issue #16: "the shared shapes defined
 * once"). Typed on the SQLite schema's rows, which equal the PostgreSQL ones
 * (test/db/postgres/schema-parity.test.ts).
 */
import type { IdempotencyRecord } from "../../services/idempotency.js";
import type { idempotencyKeys } from "../sqlite/schema.js";

export type IdempotencyKeyRow = typeof idempotencyKeys.$inferSelect;

export const toIdempotencyRecord = (row: IdempotencyKeyRow): IdempotencyRecord => ({
  scope: row.scope,
  key: row.key,
  method: row.method,
  path: row.path,
  bodyHash: row.bodyHash,
  createdAt: row.createdAt,
  response: row.status === null || row.body === null ? null : { status: row.status, contentType: row.contentType, body: row.body },
});
