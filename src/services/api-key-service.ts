/**
 * API keys (API.md "Keys"): stored as SHA-256 hashes, shown once. `MOTCUA_ADMIN_KEY` is an admin
 * key accepted as given. With none configured and none stored, the first start makes one.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import type { Principal, Role } from "../domain/access/roles.js";
import { notFound, validationFailed } from "../domain/errors.js";
import { formatInstant } from "../domain/time.js";
import type { AgencyRepository, ApiKeyRepository } from "./catalog-ports.js";

export const hashKey = (key: string): string => createHash("sha256").update(key, "utf8").digest("hex");

/** 32 random bytes, URL-safe; the prefix makes a leaked key easy to recognise in logs and scanners. */
export const generateKey = (): string => `mc_${randomBytes(32).toString("base64url")}`;

export function createApiKeyService(deps: { apiKeys: ApiKeyRepository; agencies: AgencyRepository; adminKey: string | undefined; now: () => number }) {
  const { apiKeys, agencies } = deps;
  const adminKeyHash = deps.adminKey === undefined ? undefined : Buffer.from(hashKey(deps.adminKey), "hex");

  return {
    /** The principal a presented key stands for, or undefined. */
    async authenticate(key: string): Promise<Principal | undefined> {
      const hash = hashKey(key);
      // Compare digests in constant time so the configured key cannot be guessed byte by byte.
      if (adminKeyHash && timingSafeEqual(adminKeyHash, Buffer.from(hash, "hex")))
        return { keyId: "env:MOTCUA_ADMIN_KEY", name: "MOTCUA_ADMIN_KEY", role: "admin", agencyCodes: [] };
      const record = await apiKeys.findActiveByHash(hash);
      return record && { keyId: record.id, name: record.name, role: record.role, agencyCodes: record.agencyCodes };
    },

    /** Issues a key; the key itself is returned once and only its hash is stored (API.md "Keys"). */
    async create(input: { name: string; role: Role; agencyCodes?: readonly string[] }) {
      const agencyCodes = [...new Set(input.agencyCodes ?? [])];
      // A desk is limited to its agencies (API.md "Auth"); the other roles are not agency-scoped.
      if (input.role === "desk" && agencyCodes.length === 0)
        throw validationFailed([{ field: "agencyCodes", message: "a desk key needs at least one agency code" }]);
      if (input.role !== "desk" && agencyCodes.length > 0)
        throw validationFailed([{ field: "agencyCodes", message: `a ${input.role} key is not limited to agencies` }]);
      for (const [i, code] of agencyCodes.entries())
        if (!(await agencies.get(code))) throw notFound("Agency", code, [{ field: `agencyCodes[${i}]`, message: "unknown agency" }]);
      const key = generateKey();
      const record = { id: randomUUID(), name: input.name, role: input.role, agencyCodes, createdAt: formatInstant(deps.now()) };
      await apiKeys.insert(record, hashKey(key));
      return { ...record, key };
    },

    list: () => apiKeys.list(),

    /** Revocation takes effect at once: every request looks its key up. */
    async revoke(id: string) {
      if (!(await apiKeys.revoke(id, formatInstant(deps.now())))) throw notFound("API key", id);
    },

    /** Start-up: returns a freshly generated admin key when nothing else would let anyone in. */
    async bootstrapAdminKey(): Promise<string | undefined> {
      if (deps.adminKey !== undefined || (await apiKeys.countActive()) > 0) return undefined;
      const key = generateKey();
      await apiKeys.insert(
        { id: randomUUID(), name: "bootstrap admin", role: "admin", agencyCodes: [], createdAt: formatInstant(deps.now()) },
        hashKey(key),
      );
      return key;
    },
  };
}
export type ApiKeyService = ReturnType<typeof createApiKeyService>;
