import { ROLES } from "./roles.js";

/**
 * What the access audit records (Personal Data Protection Law 91/2025: log who read what). Each
 * action is a response that carried a dossier's personal data to someone.
 */
export const AUDIT_ACTIONS = [
  "dossier.read",
  "dossier.events",
  "apology_letter.read",
  "apology_letter.pdf",
  "receipt.pdf",
  "public.lookup",
  // The national portal's record of the dossier (DOMAIN.md §8), read by staff (issue #15).
  "portal_record.read",
  // The printable forms (Circular 03/2025/TT-VPCP Mẫu 01–07), as JSON or printed; a register read
  // is one entry per dossier it lists.
  "receipt.read",
  "supplement_request.read",
  "supplement_request.pdf",
  "refusal.read",
  "refusal.pdf",
  "stop_notice.read",
  "stop_notice.pdf",
  "control_sheet.read",
  "control_sheet.pdf",
  "register.read",
  "register.pdf",
  "register.csv",
  "register.xlsx",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Staff roles, plus the applicant on the citizen portal (no key). */
export const AUDIT_ACTOR_ROLES = [...ROLES, "public"] as const;
export type AuditActorRole = (typeof AUDIT_ACTOR_ROLES)[number];

export interface AuditEntry {
  readonly at: number;
  readonly receiptCode: string;
  readonly action: AuditAction;
  readonly actorKeyId: string | null;
  readonly actorName: string | null;
  readonly actorRole: AuditActorRole;
  readonly remoteAddress: string | null;
  readonly requestId: string | null;
}
