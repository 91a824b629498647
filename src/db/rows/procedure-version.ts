/**
 * Procedure version rows to records and back, for both dialects (issue #16: "the shared shapes
 * defined once"). Typed on the SQLite schema's rows, which equal the PostgreSQL ones
 * (test/db/postgres/schema-parity.test.ts).
 */
import type { ProcedureDefinition, ProcedureVersion } from "../../domain/procedure/procedure-types.js";
import type { procedureVersions } from "../sqlite/schema.js";

export type ProcedureVersionRow = typeof procedureVersions.$inferSelect;

export const toProcedureVersion = (row: ProcedureVersionRow): ProcedureVersion => ({
  code: row.procedureCode,
  version: row.version,
  name: row.name,
  fieldCode: row.fieldCode,
  fieldName: row.fieldName,
  legalDuration: { value: row.legalDurationValue, unit: row.legalDurationUnit },
  committedDuration: { value: row.committedDurationValue, unit: row.committedDurationUnit },
  committedDurationDerived: row.committedDurationDerived,
  supplementPolicy: row.supplementPolicy,
  supplementCompletion:
    row.supplementCompletionValue === null || row.supplementCompletionUnit === null
      ? null
      : { value: row.supplementCompletionValue, unit: row.supplementCompletionUnit },
  steps: row.steps,
  createdAt: row.createdAt,
});

/** The row that stores `definition` as `version` of procedure `code`. */
export const procedureVersionRow = (code: string, version: number, definition: ProcedureDefinition, at: string): ProcedureVersionRow => ({
  procedureCode: code,
  version,
  name: definition.name,
  fieldCode: definition.fieldCode,
  fieldName: definition.fieldName,
  legalDurationValue: definition.legalDuration.value,
  legalDurationUnit: definition.legalDuration.unit,
  committedDurationValue: definition.committedDuration.value,
  committedDurationUnit: definition.committedDuration.unit,
  committedDurationDerived: definition.committedDurationDerived,
  supplementPolicy: definition.supplementPolicy,
  supplementCompletionValue: definition.supplementCompletion?.value ?? null,
  supplementCompletionUnit: definition.supplementCompletion?.unit ?? null,
  steps: definition.steps,
  createdAt: at,
});
