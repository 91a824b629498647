/** API.md "Auth": admin (everything), desk (limited to its agency codes), reporter (read dossiers and statistics). */
export const ROLES = ["admin", "desk", "reporter"] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  readonly keyId: string;
  readonly name: string;
  readonly role: Role;
  readonly agencyCodes: readonly string[];
}
