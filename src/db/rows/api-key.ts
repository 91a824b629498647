/**
 * API key rows to records, for both dialects (issue #16: "the shared shapes defined once"): the
 * hash stays in storage. Typed on the SQLite schema's rows, which equal the PostgreSQL ones
 * (test/db/postgres/schema-parity.test.ts).
 */
import type { ApiKeyRecord } from "../../services/catalog-ports.js";
import type { apiKeys } from "../sqlite/schema.js";

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export const toApiKeyRecord = ({ keyHash: _hash, ...record }: ApiKeyRow): ApiKeyRecord => record;
