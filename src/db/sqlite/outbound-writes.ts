import type { OutboundChange, OutboundOf } from "../../services/dossier-ports.js";
import type { SqliteOutboxRepository } from "./outbox-repository.js";
import type { SqliteScheduleRepository } from "./schedule-repository.js";

/** Where a dossier write puts what it sends out (issue #15). */
export interface OutboundStores {
  readonly outbox: Pick<SqliteOutboxRepository, "enqueue">;
  readonly schedule: Pick<SqliteScheduleRepository, "replan" | "firedKeys">;
}

/** Re-plans the dossier's moments, keeping out the keys fired already (each fires once). In the caller's transaction. */
export function replanMoments(stores: OutboundStores, receiptCode: string, moments: OutboundChange["moments"], at: number): void {
  stores.schedule.replan(receiptCode, moments(stores.schedule.firedKeys(receiptCode)), at);
}

/** The write's messages queued and its moments re-planned, in the write's own transaction (nothing without stores or a change). */
export function writeOutbound(stores: OutboundStores | undefined, receiptCode: string, of: OutboundOf | undefined, at: number): void {
  if (stores === undefined || of === undefined) return;
  const change = of(receiptCode);
  stores.outbox.enqueue(change.messages);
  replanMoments(stores, receiptCode, change.moments, at);
}
