/**
 * The one rule for "may this caller act for this agency" (API.md "Auth"), over the agency tree: an
 * administrator for any agency, a desk for the agencies its key names and those below them, a
 * reporter for none. Every use case that reads or writes a dossier asks it here (reception, events,
 * reads, apology letters, forms), so that the rule cannot drift between them.
 */
import type { Principal } from "../../domain/access/roles.js";
import { deskCovers } from "../../domain/access/agency-scope.js";
import { AppError, notFound } from "../../domain/errors.js";
import type { AgencyRecord, AgencyRepository } from "../catalog-ports.js";
import type { DossierRecord } from "../dossier-ports.js";

/** Deeper than any real administration (province → department → office); a cycle cannot loop forever. */
const MAX_TREE_DEPTH = 64;

/** The agencies a dossier belongs to: a desk of any of them (or above them) may read it. */
export const dossierAgencies = (r: Pick<DossierRecord, "receivingAgencyCode" | "handlingAgencyCode" | "currentAgencyCode">) => [
  r.receivingAgencyCode,
  r.handlingAgencyCode,
  r.currentAgencyCode,
];

export function createAgencyAccess(deps: { agencies: Pick<AgencyRepository, "get"> }) {
  /** The agency and its ancestors, nearest first. */
  async function lineage(code: string): Promise<string[]> {
    const chain: string[] = [];
    let cursor: string | null = code;
    while (cursor !== null && chain.length < MAX_TREE_DEPTH) {
      chain.push(cursor);
      cursor = (await deps.agencies.get(cursor))?.parentCode ?? null;
    }
    return chain;
  }

  async function mayActFor(principal: Principal, agencyCode: string): Promise<boolean> {
    if (principal.role === "admin") return true;
    return principal.role === "desk" && deskCovers(principal, [await lineage(agencyCode)]);
  }

  return {
    lineage,
    mayActFor,

    /** The agency a request names, or 404 naming the field. */
    async requireAgency(code: string, field: string): Promise<AgencyRecord> {
      const agency = await deps.agencies.get(code);
      if (!agency) throw notFound("Agency", code, [{ field, message: "unknown agency" }]);
      return agency;
    },

    /** Admins and reporters read everything; a desk only the dossiers its agencies receive, handle or hold. Only admins and desks write. */
    async authorizeDossier(principal: Principal, record: Parameters<typeof dossierAgencies>[0], write: boolean): Promise<void> {
      if (principal.role === "admin") return;
      if (principal.role === "reporter") {
        if (!write) return;
        throw new AppError("forbidden", "a reporter key can only read");
      }
      const lineages = await Promise.all([...new Set(dossierAgencies(record))].map(lineage));
      if (!deskCovers(principal, lineages)) throw new AppError("forbidden", "this desk key does not cover the dossier's agencies");
    },
  };
}

export type AgencyAccess = ReturnType<typeof createAgencyAccess>;
