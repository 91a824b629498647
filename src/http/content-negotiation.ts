/**
 * Choosing what a route sends (JSON, PDF or CSV) and naming the downloaded file. One helper for
 * every route that offers more than JSON.
 *
 * Proactive negotiation (RFC 9110 §12.5.1) is done by `negotiator`, the library behind Express's
 * `req.accepts()`: for each type offered, the most specific matching media range gives its q (an
 * exact type beats `type/*`, which beats `*\/*`); the highest q wins, ties going to the route's
 * first offer; `q=0` means "not this"; a q that is not a number counts as 0. Nothing acceptable:
 * 406 Not Acceptable (RFC 9110 §15.5.7), a problem document like every other error.
 */
import type { FastifyRequest } from "fastify";
import Negotiator from "negotiator";

/** What routes offer, by a short name (also the `format` query parameter's values). */
export const MEDIA_TYPES = {
  json: "application/json",
  pdf: "application/pdf",
  csv: "text/csv; charset=utf-8",
  // An Excel workbook: numbers, dates and Vietnamese text typed per cell (documents/spreadsheet-xlsx.ts).
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
} as const;
export type Representation = keyof typeof MEDIA_TYPES;

/**
 * The representation the Accept header prefers among `offers` (in the route's order of preference:
 * the first is the default, for a missing or empty header and for ties), or null when the header
 * accepts none of them.
 */
export function negotiate<R extends Representation>(accept: string | undefined, offers: readonly R[]): R | null {
  if (accept === undefined || accept.trim() === "") return offers[0] ?? null;
  const chosen = new Negotiator({ headers: { accept } }).mediaType(offers.map((o) => MEDIA_TYPES[o]));
  return offers.find((o) => MEDIA_TYPES[o] === chosen) ?? null;
}

/** An error the error handler turns into a 406 problem (it maps any 4xx `statusCode` with its `code`). */
export class NotAcceptableError extends Error {
  readonly statusCode = 406;
  readonly code = "not_acceptable";
  constructor(offers: readonly Representation[]) {
    super(`This resource is available as ${offers.map((o) => MEDIA_TYPES[o].split(";")[0]).join(", ")}; the Accept header allows none of them (or use ?format=${offers.join("|")})`);
  }
}

/**
 * The representation for a request: `?format=` when given (a plain link cannot set headers), else
 * the Accept header's choice. Throws NotAcceptableError (406) when nothing offered is acceptable.
 */
export function chooseRepresentation<R extends Representation>(request: FastifyRequest, offers: readonly R[]): R {
  const format = (request.query as { format?: string } | undefined)?.format;
  const forced = offers.find((o) => o === format);
  if (forced !== undefined) return forced;
  const chosen = negotiate(request.headers.accept, offers);
  if (chosen === null) throw new NotAcceptableError(offers);
  return chosen;
}

/**
 * Whether an Accept header prefers PDF to JSON: on a tie, JSON, the API's default; when it accepts
 * neither, not PDF.
 */
export const prefersPdf = (accept: string | undefined): boolean => negotiate(accept, ["json", "pdf"]) === "pdf";

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
