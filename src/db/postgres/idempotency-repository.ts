/**
 * Idempotency keys on PostgreSQL (contract: src/services/idempotency.ts). The claim itself is
 * written by transactions.ts guardedWrite inside the guarded write's transaction; completing and
 * purging are single statements, each its own transaction, and claim nothing.
 */
import { and, eq, lt } from "drizzle-orm";
import type { IdempotencyRepository } from "../../services/idempotency.js";
import { toIdempotencyRecord } from "../rows/idempotency-key.js";
import { idempotencyKeys } from "./schema.js";
import type { PgDb } from "./pg-client.js";

export function createPostgresIdempotencyRepository(db: PgDb): IdempotencyRepository {
  const byKey = (scope: string, key: string) => and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key));
  return {
    async find(scope, key) {
      const [row] = await db.select().from(idempotencyKeys).where(byKey(scope, key));
      return row && toIdempotencyRecord(row);
    },
    async complete(scope, key, response) {
      await db.update(idempotencyKeys).set({ status: response.status, contentType: response.contentType, body: response.body }).where(byKey(scope, key));
    },
    async purge(before) {
      const result = await db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, before));
      return result.rowCount ?? 0;
    },
  };
}
