/**
 * Receipt codes (DOMAIN.md §8; Decree 118/2025 art. 28): `{agency identifier}-{YYMMDD}-{sequence}`,
 * the sequence at least 4 digits and reset daily per agency. A code names its agency and its
 * reception date, so a supplied code must belong to the dossier's own namespace: otherwise a desk
 * could take another agency's codes (and its generator's next numbers) or misdate a dossier.
 */

/** The parts of a well-formed code; the agency part is loose (letters, digits, dots), as agency codes are. */
const CODE = /^([A-Za-z0-9][A-Za-z0-9.]*)-(\d{6})-(\d{4,8})$/;

export interface ReceiptCodeParts {
  readonly agencyCode: string;
  /** YYMMDD, the reception's local date. */
  readonly day: string;
  readonly sequence: number;
}

export function parseReceiptCode(code: string): ReceiptCodeParts | null {
  const m = CODE.exec(code);
  return m === null ? null : { agencyCode: m[1]!, day: m[2]!, sequence: Number(m[3]) };
}

/** YYMMDD of a local date YYYY-MM-DD, as printed in the code. */
export const receiptCodeDay = (localDate: string): string => localDate.replace(/-/g, "").slice(2);

/**
 * Why a supplied code does not belong to this reception, or null. `mayUseAgency` says whether the
 * caller may issue codes under an agency identifier (its own agencies for a desk; any for an
 * administrator, who also forwards codes issued by the National Public Service Portal or a
 * ministry's system, DOMAIN.md §8: "accepted unchanged").
 */
export function receiptCodeProblem(
  code: string,
  receptionDay: string,
  mayUseAgency: (agencyCode: string) => boolean,
): { readonly kind: "malformed" | "wrong_date" | "other_agency"; readonly field: "receiptCode"; readonly message: string } | null {
  const field = "receiptCode";
  const parts = parseReceiptCode(code);
  if (parts === null) return { kind: "malformed", field, message: "must be {agency identifier}-{YYMMDD}-{sequence of 4 to 8 digits}" };
  if (parts.day !== receptionDay) return { kind: "wrong_date", field, message: `its date part must be the reception date (${receptionDay})` };
  if (!mayUseAgency(parts.agencyCode)) return { kind: "other_agency", field, message: `is in the namespace of ${parts.agencyCode}, an agency this key may not act for` };
  return null;
}
