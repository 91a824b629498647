import type Database from "better-sqlite3";
import type { IdempotencyRecord, IdempotencyRepository } from "../../services/idempotency.js";
import type { GroupCommit } from "./group-commit.js";

interface Row {
  scope: string;
  key: string;
  method: string;
  path: string;
  body_hash: string;
  created_at: number;
  status: number | null;
  content_type: string | null;
  body: string | null;
}

/** Idempotency keys; the claim itself is written by group-commit.ts inside the guarded write's transaction. */
export function createSqliteIdempotencyRepository(sqlite: Database.Database, group: GroupCommit): IdempotencyRepository {
  const select = sqlite.prepare("select * from idempotency_keys where scope = ? and key = ?");
  const update = sqlite.prepare("update idempotency_keys set status = ?, content_type = ?, body = ? where scope = ? and key = ?");
  const purge = sqlite.prepare("delete from idempotency_keys where created_at < ?");
  return {
    async find(scope, key) {
      const row = select.get(scope, key) as Row | undefined;
      if (!row) return undefined;
      const record: IdempotencyRecord = {
        scope: row.scope,
        key: row.key,
        method: row.method,
        path: row.path,
        bodyHash: row.body_hash,
        createdAt: row.created_at,
        response: row.status === null || row.body === null ? null : { status: row.status, contentType: row.content_type, body: row.body },
      };
      return record;
    },
    async complete(scope, key, response) {
      await group.run(() => update.run(response.status, response.contentType, response.body, scope, key));
    },
    async purge(before) {
      return group.run(() => purge.run(before).changes);
    },
  };
}
