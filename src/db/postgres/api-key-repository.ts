/** API keys on PostgreSQL (contract: src/services/catalog-ports.ts; the same rules as src/db/sqlite/api-key-repository.ts). */
import { and, asc, count, eq, isNull } from "drizzle-orm";
import type { ApiKeyRepository } from "../../services/catalog-ports.js";
import { toApiKeyRecord } from "../rows/api-key.js";
import { apiKeys } from "./schema.js";
import type { PgDb } from "./pg-client.js";
import { guardedWrite } from "./transactions.js";
import { bytewise } from "./text-order.js";

export function createPostgresApiKeyRepository(db: PgDb): ApiKeyRepository {
  return {
    async findActiveByHash(keyHash) {
      const [row] = await db
        .select()
        .from(apiKeys)
        .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)));
      return row && toApiKeyRecord(row);
    },
    async countActive() {
      const [row] = await db.select({ n: count() }).from(apiKeys).where(isNull(apiKeys.revokedAt));
      return row?.n ?? 0;
    },
    async insert(key, keyHash) {
      // Through guardedWrite, as SQLite's goes through the group commit: the request's Idempotency-Key commits with it.
      await guardedWrite(db, (tx) => tx.insert(apiKeys).values({ ...key, keyHash, revokedAt: null }));
    },
    async list() {
      const rows = await db.select().from(apiKeys).orderBy(asc(bytewise(apiKeys.createdAt)), asc(bytewise(apiKeys.id)));
      return rows.map(toApiKeyRecord);
    },
    async revoke(id, at) {
      // A revocation that finds no active key wrote nothing and claims no Idempotency-Key.
      return guardedWrite(
        db,
        async (tx) => (await tx.update(apiKeys).set({ revokedAt: at }).where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt))).returning({ id: apiKeys.id })).length === 1,
        (revoked) => revoked,
      );
    },
  };
}
