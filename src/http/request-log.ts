/**
 * What the request log may say about a request: no personal data (Decree 13/2023/ND-CP on personal
 * data protection; DOMAIN.md §9: the identity number is the portal's secret and never logged).
 *
 * The log line is built from the URL as the app *parses* it, not from its raw text: a regex on the
 * raw URL let `?%69dNumber=…`, `?idNumber[]=…`, `?IDNUMBER=…` and `?idNumber%5B%5D=…` through
 * (issue #11, item 4). So every query key is percent-decoded (leniently, repeatedly: a doubly
 * encoded key is still somebody's number), and only the query names the routes read, compared
 * exactly as Fastify compares them, keep their value. Everything else is redacted: an unknown key is
 * refused by the route's schema anyway, so its value helps nobody debug, and the key itself may carry
 * the data (`idNumber%3D0010…` decodes to the key "idNumber=0010…").
 */

/**
 * Query parameters whose values are never personal data: codes, dates, enums, paging. Every query
 * parameter of the OpenAPI document but idNumber is here (test/http/request-log.test.ts checks it,
 * so that a new parameter is not silently redacted, and idNumber never logged).
 */
export const LOGGABLE_QUERY_NAMES: ReadonlySet<string> = new Set([
  "agencyCode",
  "apology",
  "atRisk",
  "basis",
  "channel",
  "cursor",
  "dutyOverdue",
  "format",
  "from",
  "groupBy",
  "keyId",
  "limit",
  "overdue",
  "period",
  "procedureCode",
  "receiptCode",
  "receivedFrom",
  "receivedTo",
  "status",
  "supplementExpired",
  "to",
  "version",
]);

const REDACTED = "[redacted]";
/** The one personal-data query name (GET /v1/public/dossiers/{receiptCode}?idNumber=…), normalised. */
const ID_NUMBER = "idnumber";
/** Percent-decoding rounds: enough for a doubly or triply encoded key; bounded, so a long key costs little. */
const DECODE_ROUNDS = 3;

/** The request as Fastify hands it to the `req` serializer. */
export interface LoggedRequest {
  readonly method: string;
  readonly url: string;
  readonly ip?: string;
}

/** The pino `req` serializer: method, redacted URL, client address. */
export function serializeRequest(request: LoggedRequest): { method: string; url: string; remoteAddress: string | undefined } {
  return { method: request.method, url: redactUrl(request.url), remoteAddress: request.ip };
}

/**
 * The URL with personal data replaced by "[redacted]": query pairs as described above, and any path
 * segment that decodes to something naming the identity number (no route takes personal data in its
 * path; a client that encodes its `?` or `=` — `/v1/public/dossiers/X%3FidNumber%3D0010…` — puts it there).
 */
export function redactUrl(url: string): string {
  const mark = url.indexOf("?");
  const path = mark === -1 ? url : url.slice(0, mark);
  const redactedPath = path
    .split("/")
    .map((segment) => (normalise(decode(segment)).includes(ID_NUMBER) ? REDACTED : segment))
    .join("/");
  if (mark === -1) return redactedPath;
  // Split as Fastify's query parser (fast-querystring) splits: on "&" only, the key up to the first "=".
  const pairs = url
    .slice(mark + 1)
    .split("&")
    .map((pair) => {
      if (pair === "") return pair;
      const equals = pair.indexOf("=");
      const key = decode(equals === -1 ? pair : pair.slice(0, equals));
      // A loggable name keeps its value unless the value smuggles a pair in (`limit=1%26idNumber%3D…`).
      if (LOGGABLE_QUERY_NAMES.has(key)) return equals !== -1 && normalise(decode(pair.slice(equals + 1))).includes(ID_NUMBER) ? `${key}=${REDACTED}` : pair;
      // Say that an identity number was sent, in whatever form, without saying which.
      return normalise(key).includes(ID_NUMBER) ? `idNumber=${REDACTED}` : REDACTED;
    });
  return `${redactedPath}?${pairs.join("&")}`;
}

/**
 * Percent-decoding that never throws (a malformed or non-UTF-8 sequence becomes U+FFFD, as a
 * lenient parser would read it) and repeats while something changes, up to DECODE_ROUNDS.
 */
function decode(text: string): string {
  let current = text.replace(/\+/g, " ");
  for (let round = 0; round < DECODE_ROUNDS; round++) {
    const next = current.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => Buffer.from(run.replace(/%/g, ""), "hex").toString("utf8"));
    if (next === current) break;
    current = next;
  }
  return current;
}

/**
 * A key as a human would read it: compatibility forms folded (full-width "ｉｄＮｕｍｂｅｒ"), any
 * case, and everything but letters and digits dropped, so that `idNumber[]`, `idNumber[0]`,
 * `id_number`, `ID-NUMBER`, `idNumber\u0000` and a zero-width space inside all read "idnumber".
 */
function normalise(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/[^a-z0-9]/g, "");
}
