/**
 * What a citizen portal may see of a dossier (DOMAIN.md §9): status, dates and the handling
 * agency, never contact details; the applicant's name masked. Personal Data Protection Law
 * 91/2025/QH15: collect and show the minimum.
 */

/**
 * "Nguyễn Văn An" -> "N. A.": the initials of the family name and of the given name (the first
 * and last words of a Vietnamese name), enough to recognise one's own dossier. A fixed shape: no
 * word lengths or count leak, and nothing of the stored text but two letters is echoed, so
 * control and bidirectional-override characters never reach a page.
 */
export function maskName(name: string): string {
  const initials = name
    .normalize("NFC")
    .split(/[\s\p{Z}]+/u)
    .map((word) => /\p{L}/u.exec(word)?.[0]) // the word's first letter, skipping marks, digits and format characters
    .filter((letter): letter is string => letter !== undefined)
    .map((letter) => letter.toLocaleUpperCase("vi"));
  if (initials.length === 0) return "***";
  const family = initials[0]!;
  const given = initials[initials.length - 1]!;
  return initials.length === 1 ? `${given}.` : `${family}. ${given}.`;
}

/**
 * Receipt codes are guessable (agency, date, a small sequence), so the portal must also present
 * the identity number; compared without case or separators, in constant time per character.
 */
export function sameIdNumber(stored: string, presented: string): boolean {
  const normal = (s: string) => s.replace(/[\s.-]/g, "").toUpperCase();
  const a = normal(stored);
  const b = normal(presented);
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}
