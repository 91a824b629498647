/**
 * Which rulebook governs a dossier (DOMAIN.md §1): a pure function of the instant it was received,
 * never a global switch. Dossiers received before the cutover and still open keep the old rules.
 *
 * - `decree-61-2018`: Decree 61/2018/NĐ-CP (amended by Decree 107/2021/NĐ-CP), Circular 01/2018/TT-VPCP.
 * - `decree-118-2025`: Decree 118/2025/NĐ-CP of 9 Jun 2025, in force from 1 Jul 2025; its art. 40
 *   repeals Decrees 61/2018 and 107/2021.
 */
import type { SupplementPolicy } from "../procedure/procedure-types.js";

export const LEGAL_FRAMES = ["decree-61-2018", "decree-118-2025"] as const;
export type LegalFrame = (typeof LEGAL_FRAMES)[number];

/** Decree 118/2025 takes effect at 00:00 on 1 Jul 2025, Vietnam time (Asia/Ho_Chi_Minh, UTC+7, no DST). */
export const DECREE_118_IN_FORCE_AT = Date.UTC(2025, 5, 30, 17, 0, 0); // 2025-07-01T00:00:00+07:00

/** The frame in force at the reception instant (epoch ms). */
export function legalFrameAt(receivedAt: number): LegalFrame {
  return receivedAt >= DECREE_118_IN_FORCE_AT ? "decree-118-2025" : "decree-61-2018";
}

/**
 * The supplement policy of a dossier whose procedure states none (DOMAIN.md §4 "Pauses and restarts"):
 * - decree-118-2025: Decree 118/2025 art. 19(5) "thời hạn giải quyết được tính lại từ đầu sau khi
 *   nhận đủ hồ sơ" — the whole duration restarts when the complete supplement arrives;
 * - decree-61-2018: the time waiting for the supplement was not counted (a pause).
 * A procedure that states a policy (sector law) overrides both.
 */
export const DEFAULT_SUPPLEMENT_POLICY: Readonly<Record<LegalFrame, SupplementPolicy>> = Object.freeze({
  "decree-61-2018": "pause",
  "decree-118-2025": "restart",
});

export function effectiveSupplementPolicy(stated: SupplementPolicy | null, frame: LegalFrame): SupplementPolicy {
  return stated ?? DEFAULT_SUPPLEMENT_POLICY[frame];
}

/**
 * Whose identifier prefixes a generated receipt code (DOMAIN.md §8):
 * - decree-118-2025: Decree 118/2025 art. 28 — the agency competent to handle the procedure;
 * - decree-61-2018: the receiving desk's agency.
 */
export function receiptCodeAgency(frame: LegalFrame, agencies: { receivingAgencyCode: string; handlingAgencyCode: string }): string {
  return frame === "decree-118-2025" ? agencies.handlingAgencyCode : agencies.receivingAgencyCode;
}
