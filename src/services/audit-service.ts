/**
 * The access audit (DOMAIN.md §9, Personal Data Protection Law 91/2025: "log who read what"). The
 * HTTP layer records every response that carries a dossier's personal data as it is sent (the
 * repository group-commits the entries of each turn of the event loop).
 */
import type { AuditAction } from "../domain/access/audit.js";
import type { Principal } from "../domain/access/roles.js";
import type { AuditFilter, AuditRepository } from "./audit-ports.js";

/** Who asked: a key's principal, or the applicant on the portal (null), and from where. */
export interface Requester {
  readonly principal: Principal | null;
  readonly remoteAddress: string | null;
  readonly requestId: string | null;
}

export function createAuditService(deps: { audit: AuditRepository; now: () => number }) {
  return {
    async record(action: AuditAction, receiptCode: string, requester: Requester): Promise<void> {
      const { principal } = requester;
      await deps.audit.append({
        at: deps.now(),
        receiptCode,
        action,
        actorKeyId: principal?.keyId ?? null,
        actorName: principal?.name ?? null,
        actorRole: principal?.role ?? "public",
        remoteAddress: requester.remoteAddress,
        requestId: requester.requestId,
      });
    },

    /** Commits queued entries; call before closing the database. */
    flush: () => deps.audit.flush(),

    list(filter: AuditFilter) {
      return deps.audit.list(filter);
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
