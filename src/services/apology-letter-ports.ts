import type { ApologyLetter } from "../domain/dossier/apology-letter.js";

export type NewApologyLetter = Omit<ApologyLetter, "number" | "recordedAt">;

export interface ApologyLetterRepository {
  /**
   * Numbers and stores the letter, and sets the dossier's rescheduled due date, in one
   * transaction — only if the dossier still has `expectedEventCount` events (nothing happened to
   * it since the rules were checked). "exists": the dossier has a letter; "stale": it changed.
   */
  issue(letter: NewApologyLetter, expectedEventCount: number, at: number): Promise<ApologyLetter | "exists" | "stale">;
  /** The dossier's letters (zero or one). */
  listFor(receiptCode: string): Promise<ApologyLetter[]>;
}
