/** Choosing and naming what a route sends: PDF or JSON, and the downloaded file's name. */
/**
 * `Content-Disposition` for a download with a Vietnamese name (RFC 6266): an ASCII fallback
 * (diacritics stripped) for old clients, and the exact UTF-8 name as filename* (RFC 8187).
 */
export function contentDisposition(fileName: string, disposition: "inline" | "attachment" = "inline"): string {
  const name = fileName.normalize("NFC");
  const ascii = name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .replace(/[^\x20-\x7e]|["\\]/g, "_");
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * Whether an Accept header prefers PDF to JSON (RFC 9110 §12.5.1: the higher q wins; a type named
 * exactly beats a wildcard; on a tie, JSON, the API's default).
 */
export function prefersPdf(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  const quality = (type: string) => {
    let best: { q: number; specificity: number } = { q: 0, specificity: -1 };
    for (const part of accept.split(",")) {
      const [range = "", ...params] = part.trim().toLowerCase().split(";");
      const specificity = range === type ? 2 : range === `${type.split("/")[0]}/*` ? 1 : range === "*/*" ? 0 : -1;
      if (specificity <= best.specificity) continue;
      const q = Number(params.map((p) => p.trim()).find((p) => p.startsWith("q="))?.slice(2) ?? "1");
      best = { q: Number.isFinite(q) ? q : 0, specificity };
    }
    return best.q;
  };
  return quality("application/pdf") > quality("application/json");
}
