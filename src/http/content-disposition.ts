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
