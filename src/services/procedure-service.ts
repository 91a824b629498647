/**
 * Use cases of procedures. A changed definition becomes a new version; re-sending the same
 * definition changes nothing (API.md "Calendars, agencies, procedures").
 */
import type { Duration } from "../domain/calendar/calendar-types.js";
import { deriveCommittedDuration } from "../domain/procedure/committed-duration.js";
import { sameDefinition, validateDefinition } from "../domain/procedure/procedure-definition.js";
import type { ProcedureDefinition, ProcedureStep, SupplementPolicy } from "../domain/procedure/procedure-types.js";
import { conflict, notFound, ruleViolation, validationFailed } from "../domain/errors.js";
import { formatInstant } from "../domain/time.js";
import type { AgencyRepository, ProcedureRepository } from "./catalog-ports.js";

export interface ProcedureInput {
  readonly name: string;
  readonly fieldCode: string;
  readonly fieldName: string;
  readonly legalDuration: Duration;
  readonly committedDuration?: Duration;
  readonly supplementPolicy?: SupplementPolicy;
  readonly supplementCompletion?: Duration;
  readonly steps?: readonly ProcedureStep[];
}

export function createProcedureService(deps: { procedures: ProcedureRepository; agencies: AgencyRepository; now: () => number }) {
  const { procedures, agencies } = deps;

  return {
    list: () => procedures.list(),

    async get(code: string, version?: number) {
      const found = version === undefined ? await procedures.get(code) : await procedures.getVersion(code, version);
      if (!found) throw notFound("Procedure", version === undefined ? code : `${code}@${version}`);
      return found;
    },

    async listVersions(code: string) {
      const versions = await procedures.listVersions(code);
      if (versions.length === 0) throw notFound("Procedure", code);
      return versions;
    },

    /** Returns the current version and whether this call created a new one. */
    async put(code: string, input: ProcedureInput) {
      const definition: ProcedureDefinition = {
        name: input.name,
        fieldCode: input.fieldCode,
        fieldName: input.fieldName,
        legalDuration: input.legalDuration,
        committedDuration: input.committedDuration ?? deriveCommittedDuration(input.legalDuration),
        committedDurationDerived: input.committedDuration === undefined,
        // Unset: the dossier's legal frame decides (DOMAIN.md §4, src/domain/law/legal-frame.ts).
        supplementPolicy: input.supplementPolicy ?? null,
        supplementCompletion: input.supplementCompletion ?? null,
        steps: input.steps ?? [],
      };
      const { fieldErrors, ruleErrors } = validateDefinition(definition);
      if (fieldErrors.length > 0) throw validationFailed(fieldErrors);
      if (ruleErrors.length > 0) throw ruleViolation("invalid_procedure", ruleErrors.map((e) => e.message).join("; "), ruleErrors);
      for (const [i, step] of definition.steps.entries()) {
        if (step.agencyCode !== undefined && !(await agencies.get(step.agencyCode)))
          throw notFound("Agency", step.agencyCode, [{ field: `steps[${i}].agencyCode`, message: "unknown agency" }]);
      }

      const current = await procedures.get(code);
      if (current && sameDefinition(current, definition)) return { created: false, procedure: current };
      const added = await procedures.addVersion(code, current?.version ?? 0, definition, formatInstant(deps.now()));
      if (!added) throw conflict(`procedure "${code}" was changed by another request at the same time; retry`);
      return { created: true, procedure: added };
    },
  };
}
export type ProcedureService = ReturnType<typeof createProcedureService>;
