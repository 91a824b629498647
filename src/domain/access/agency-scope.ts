import type { Principal } from "./roles.js";

/**
 * API.md "Auth": a desk is limited to its agency codes — and, since agencies form a tree, to the
 * agencies below them. `lineages` holds, for each agency a dossier involves, the agency and its
 * ancestors (nearest first).
 */
export function deskCovers(principal: Principal, lineages: readonly (readonly string[])[]): boolean {
  if (principal.role !== "desk") return false;
  const own = new Set(principal.agencyCodes);
  return lineages.some((lineage) => lineage.some((code) => own.has(code)));
}
