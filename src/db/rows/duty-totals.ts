/**
 * What a change of a dossier's missed-duty share (src/domain/statistics/duty-contributions.ts) does
 * to the maintained duty counts, for both storages: the net per cell (bucket, owing agency, kind)
 * and per roll-up (dimension, bucket, key, kind), entries with no net change left out. In a fixed
 * order, so that two writers lock the rows in the same order on a server database (no deadlock),
 * and each key once (PostgreSQL's multi-row upsert refuses to touch a row twice).
 */
import type { Channel } from "../../domain/dossier/dossier-types.js";
import type { DutyKind } from "../../domain/dossier/duties.js";
import type { DutyContribution, DutyGrain } from "../../domain/statistics/duty-contributions.js";
import { reportMonthOf } from "../../domain/statistics/report-period.js";
import type { StatRollupDimension } from "../../domain/statistics/month-contributions.js";

export interface DutyCellChange {
  readonly grain: DutyGrain;
  readonly bucket: string;
  readonly agencyCode: string;
  readonly kind: DutyKind;
  readonly n: number;
}

export interface DutyRollupChange {
  readonly dimension: StatRollupDimension;
  readonly grain: DutyGrain;
  readonly bucket: string;
  readonly key: string;
  readonly kind: DutyKind;
  readonly n: number;
}

/** The dossier's own group (fixed at reception): the roll-ups other than the owing agency's. */
export interface DutyGroup {
  readonly field: string;
  readonly procedure: string;
  readonly channel: Channel;
}

/** The roll-up dimensions in the order every writer upserts them. */
const ROLLUP_ORDER = ["all", "agency", "channel", "field", "procedure"] as const satisfies readonly StatRollupDimension[];

const compare = (a: readonly string[], b: readonly string[]) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
};

export function dutyTotalsChanges(
  previous: readonly DutyContribution[],
  next: readonly DutyContribution[],
  group: DutyGroup,
): { cells: DutyCellChange[]; rollups: DutyRollupChange[] } {
  const cells = new Map<string, DutyCellChange>();
  const rollups = new Map<string, DutyRollupChange>();
  for (const [contributions, sign] of [[previous, -1], [next, 1]] as const) {
    for (const { day, agencyCode, kind } of contributions) {
      for (const [grain, bucket] of [["month", reportMonthOf(day)], ["day", day]] as const) {
        const cellKey = [grain, bucket, agencyCode, kind].join("\u0000");
        const cell = cells.get(cellKey);
        cells.set(cellKey, { grain, bucket, agencyCode, kind, n: (cell?.n ?? 0) + sign });
        for (const dimension of ROLLUP_ORDER) {
          const key = dimension === "all" ? "" : dimension === "agency" ? agencyCode : group[dimension];
          const rollupKey = [dimension, grain, bucket, key, kind].join("\u0000");
          const rollup = rollups.get(rollupKey);
          rollups.set(rollupKey, { dimension, grain, bucket, key, kind, n: (rollup?.n ?? 0) + sign });
        }
      }
    }
  }
  return {
    cells: [...cells.values()].filter((c) => c.n !== 0).sort((a, b) => compare([a.grain, a.bucket, a.agencyCode, a.kind], [b.grain, b.bucket, b.agencyCode, b.kind])),
    rollups: [...rollups.values()]
      .filter((r) => r.n !== 0)
      .sort(
        (a, b) =>
          ROLLUP_ORDER.indexOf(a.dimension) - ROLLUP_ORDER.indexOf(b.dimension) || compare([a.grain, a.bucket, a.key, a.kind], [b.grain, b.bucket, b.key, b.kind]),
      ),
  };
}
