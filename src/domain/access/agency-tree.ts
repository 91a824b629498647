/**
 * Agencies form a tree (DOMAIN.md §1: "never hard-code administrative levels"). A desk key covers
 * its agencies and everything below them (API.md "Auth"); an agency filter in statistics includes
 * sub-agencies. One walk serves both.
 */
export interface AgencyNode {
  readonly code: string;
  readonly parentCode: string | null;
}

/** The given agencies and every agency below them, each once (cycles cannot loop). */
export function agencySubtree(roots: Iterable<string>, agencies: readonly AgencyNode[]): string[] {
  const children = new Map<string, string[]>();
  for (const a of agencies) if (a.parentCode !== null) children.set(a.parentCode, [...(children.get(a.parentCode) ?? []), a.code]);
  const known = new Set(agencies.map((a) => a.code));
  const out = new Set<string>();
  const stack = [...roots].filter((code) => known.has(code));
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (out.has(next)) continue;
    out.add(next);
    stack.push(...(children.get(next) ?? []));
  }
  return [...out];
}
