/**
 * What a citizen portal may see of a dossier (DOMAIN.md §9): status, dates and the handling
 * agency, never contact details; the applicant's name masked. Personal Data Protection Law
 * 91/2025/QH15: collect and show the minimum.
 */

/** "Nguyễn Văn An" -> "N***** V** A*": the first letter of each word, enough to recognise one's own. */
export function maskName(name: string): string {
  return name
    .normalize("NFC")
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .map((word) => {
      const letters = [...word]; // code points: "Đ" and composed vowels count as one
      return letters[0] + "*".repeat(letters.length - 1);
    })
    .join(" ");
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
