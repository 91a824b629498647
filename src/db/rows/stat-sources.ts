/**
 * Which maintained table a report's sums come from, for both storages: the roll-up of one
 * dimension when the report groups by at most that dimension and filters on at most it (a few
 * thousand rows), else the full cells (null). The same choice serves the month aggregates and the
 * duty counts ("agency" is the handling agency for the former, the owing agency for the latter).
 */
import type { StatRollupDimension } from "../../domain/statistics/month-contributions.js";
import type { StatDimension, StatFilter } from "../../services/statistics-ports.js";

const FILTER_DIMENSION = { agencyCodes: "agency", procedureCode: "procedure", channel: "channel" } as const;

export function rollupDimension(groupBy: StatDimension | null, filter: StatFilter): StatRollupDimension | null {
  const filtered = (Object.keys(FILTER_DIMENSION) as (keyof typeof FILTER_DIMENSION)[]).filter((f) => filter[f] !== undefined);
  if (filtered.length === 0) return groupBy ?? "all";
  const filterDimension = filtered.length === 1 ? FILTER_DIMENSION[filtered[0]!] : null;
  return filterDimension !== null && (groupBy === null || groupBy === filterDimension) ? filterDimension : null;
}
