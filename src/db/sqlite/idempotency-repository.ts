import type Database from "better-sqlite3";
import type { IdempotencyRepository } from "../../services/idempotency.js";
import { toIdempotencyRecord, type IdempotencyKeyRow } from "../rows/idempotency-key.js";
import type { GroupCommit } from "./group-commit.js";

/** Idempotency keys; the claim itself is written by group-commit.ts inside the guarded write's transaction. */
export function createSqliteIdempotencyRepository(sqlite: Database.Database, group: GroupCommit): IdempotencyRepository {
  const select = sqlite.prepare(
    `select scope, key, method, path, body_hash as bodyHash, created_at as createdAt, status, content_type as contentType, body
     from idempotency_keys where scope = ? and key = ?`,
  );
  const update = sqlite.prepare("update idempotency_keys set status = ?, content_type = ?, body = ? where scope = ? and key = ?");
  const purge = sqlite.prepare("delete from idempotency_keys where created_at < ?");
  return {
    async find(scope, key) {
      const row = select.get(scope, key) as IdempotencyKeyRow | undefined;
      return row && toIdempotencyRecord(row);
    },
    async complete(scope, key, response) {
      await group.run(() => update.run(response.status, response.contentType, response.body, scope, key));
    },
    async purge(before) {
      return group.run(() => purge.run(before).changes);
    },
  };
}
