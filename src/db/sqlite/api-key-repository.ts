import { and, asc, count, eq, isNull, sql } from "drizzle-orm";
import type { ApiKeyRepository } from "../../services/catalog-ports.js";
import { apiKeys } from "./schema.js";
import type { SqliteDb } from "./sqlite-client.js";
import { toApiKeyRecord } from "../rows/api-key.js";
import { createGroupCommit, type GroupCommit } from "./group-commit.js";
export function createSqliteApiKeyRepository(db: SqliteDb, group: GroupCommit = createGroupCommit(db.$client)): ApiKeyRepository {
  const selectActive = db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, sql.placeholder("keyHash")), isNull(apiKeys.revokedAt)))
    .prepare();
  return {
    async findActiveByHash(keyHash) {
      const row = selectActive.get({ keyHash });
      return row && toApiKeyRecord(row);
    },
    async countActive() {
      return db.select({ n: count() }).from(apiKeys).where(isNull(apiKeys.revokedAt)).get()?.n ?? 0;
    },
    async insert(key, keyHash) {
      await group.run(() => db.insert(apiKeys).values({ ...key, keyHash, revokedAt: null }).run());
    },
    async list() {
      return db
        .select()
        .from(apiKeys)
        .orderBy(asc(apiKeys.createdAt), asc(apiKeys.id))
        .all()
        .map(toApiKeyRecord);
    },
    async revoke(id, at) {
      return group.run(() => db.update(apiKeys).set({ revokedAt: at }).where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt))).run().changes === 1);
    },
  };
}
