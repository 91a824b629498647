import type { ApologyLetter } from "../domain/dossier/apology-letter.js";

import type { OutboundOf } from "./dossier-ports.js";
export type NewApologyLetter = Omit<ApologyLetter, "number" | "recordedAt">;

export interface ApologyLetterRepository {
  /**
   * Numbers and stores the letter, and sets the dossier's rescheduled due date, in one
   * transaction — only if the dossier still has `expectedEventCount` events (nothing happened to
   * it since the rules were checked). "exists": the dossier has a letter; "stale": it changed.
   */
  /** With `outbound`: the letter's messages and the dossier's re-planned moments, in the same transaction (issue #15). */
  issue(letter: NewApologyLetter, expectedEventCount: number, at: number, outbound?: OutboundOf): Promise<ApologyLetter | "exists" | "stale">;
  /** The dossier's letters (zero or one). */
  listFor(receiptCode: string): Promise<ApologyLetter[]>;
}
