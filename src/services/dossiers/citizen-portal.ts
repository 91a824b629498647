/**
 * Use cases of the citizen portal (DOMAIN.md §9): an applicant looks a dossier up by receipt code
 * and identity number, and rates the service once its result is ready. No key: the receipt code
 * and the identity number together are the credential.
 */
import { sameIdNumber } from "../../domain/dossier/public-view.js";
import type { RatingLevel } from "../../domain/dossier/dossier-types.js";
import { AppError, conflict, ruleViolation, validationFailed } from "../../domain/errors.js";
import type { AuditService, Requester } from "../audit-service.js";
import type { AgencyRepository } from "../catalog-ports.js";
import type { DossierRepository } from "../dossier-ports.js";
import type { DossierHistory, DossierView } from "./dossier-history.js";

/** What the presented identity number is compared with when the receipt code is unknown (the answer is 404 whatever the result). */
const STAND_IN_ID_NUMBER = "000000 000000";

export function createCitizenPortal(deps: {
  dossiers: Pick<DossierRepository, "get" | "getWithEvents" | "insertRating">;
  agencies: Pick<AgencyRepository, "get">;
  history: Pick<DossierHistory, "view">;
  audit: Pick<AuditService, "record">;
  now: () => number;
}) {
  const { dossiers, agencies, history } = deps;

  /**
   * The portal's identity check (DOMAIN.md §9): receipt code AND identity number; a wrong number
   * is answered exactly like an unknown code, so the code alone reveals nothing.
   */
  async function applicantsDossier(receiptCode: string, idNumber: string) {
    // The identity number is compared before anything else is read, and an unknown code does the
    // same work against a stand-in, so that the time taken tells nothing about whether the code
    // exists or how long its history is (issue #11 item 7).
    const record = await dossiers.get(receiptCode);
    const matches = sameIdNumber(record?.applicant.idNumber ?? STAND_IN_ID_NUMBER, idNumber);
    const found = record !== undefined && matches && record.status !== "cancelled" ? await dossiers.getWithEvents(receiptCode) : undefined;
    if (!found) throw new AppError("not_found", "No dossier matches this receipt code and identity number", [], "dossier_not_found");
    return found;
  }

  return {
    /**
     * The lookup: status, dates and the handling agency. The applicant's own read is recorded in
     * the access audit as role `public` (DOMAIN.md §9) before the answer leaves.
     */
    async lookup(receiptCode: string, idNumber: string, requester: Requester): Promise<DossierView & { agencyName: string }> {
      const found = await applicantsDossier(receiptCode, idNumber);
      const handling = await agencies.get(found.dossier.handlingAgencyCode);
      const view = await history.view(found.dossier, found.events);
      await deps.audit.record("public.lookup", found.dossier.receiptCode, requester);
      return { ...view, agencyName: handling?.name ?? found.dossier.handlingAgencyCode };
    },

    /**
     * The applicant rates the service once, after the result (DOMAIN.md §9); a reason is required
     * when dissatisfied. Same identity check as the lookup.
     */
    async rate(receiptCode: string, input: { idNumber: string; level: RatingLevel; reason?: string }) {
      const found = await applicantsDossier(receiptCode, input.idNumber);
      const reason = input.reason?.trim() ? input.reason.trim() : null;
      if (input.level === "dissatisfied" && reason === null) throw validationFailed([{ field: "reason", message: "is required when dissatisfied" }]);
      if (found.dossier.status !== "result_ready" && found.dossier.status !== "returned")
        throw ruleViolation("result_not_ready", "a dossier can be rated once its result is ready");
      const ratedAt = deps.now();
      if (!(await dossiers.insertRating(receiptCode, { level: input.level, reason, ratedAt }))) throw conflict("this dossier has been rated already");
      return { receiptCode, level: input.level, reason, ratedAt };
    },
  };
}

export type CitizenPortal = ReturnType<typeof createCitizenPortal>;
