import type { Duration } from "../calendar/calendar-types.js";

/**
 * DOMAIN.md §4 "Pauses": time waiting for a supplement does not count (`pause`), or the full
 * duration starts again when the supplement arrives (`restart`), per procedure. A procedure that
 * states none takes its dossier's legal frame's default (src/domain/law/legal-frame.ts).
 */
export const SUPPLEMENT_POLICIES = ["pause", "restart"] as const;
export type SupplementPolicy = (typeof SUPPLEMENT_POLICIES)[number];

/** Units a step budget may use: a share of the committed working time (DOMAIN.md §4 "Steps"). */
export const STEP_BUDGET_UNITS = ["working_days", "working_hours"] as const;

export interface ProcedureStep {
  readonly code: string;
  readonly name: string;
  /** The agency that performs the step in inter-agency handling; absent = the handling agency. */
  readonly agencyCode?: string;
  readonly budget: Duration;
}

/** The definition that a version freezes; everything a dossier needs to compute its clock. */
export interface ProcedureDefinition {
  readonly name: string;
  readonly fieldCode: string;
  readonly fieldName: string;
  readonly legalDuration: Duration;
  readonly committedDuration: Duration;
  /** True when no committed duration was published and it was derived by the cut policy. */
  readonly committedDurationDerived: boolean;
  /** As stated by the procedure (sector law); null = by the dossier's legal frame. */
  readonly supplementPolicy: SupplementPolicy | null;
  /**
   * How long the applicant has to complete a requested supplement before the desk closes the
   * dossier; null = Decree 118/2025 art. 19(5)'s 15 days (the sector law may set another limit).
   */
  readonly supplementCompletion: Duration | null;
  readonly steps: readonly ProcedureStep[];
}

export interface ProcedureVersion extends ProcedureDefinition {
  readonly code: string;
  readonly version: number;
  readonly createdAt: string;
}
