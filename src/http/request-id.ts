/**
 * Correlation (API.md "Conventions"): an incoming `X-Request-Id` of at most 128 safe characters
 * becomes the request's id, else one is generated; every answer carries it back, problem
 * documents carry it as `requestId`, logs as `reqId`, and the access audit records it.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";

export const REQUEST_ID_HEADER = "x-request-id";
/** Safe in a header, a log line and a URL: no spaces, quotes or control characters. */
const SAFE_ID = /^[A-Za-z0-9._:@+=\-]{1,128}$/;

export function requestIdFor(request: IncomingMessage): string {
  const given = request.headers[REQUEST_ID_HEADER];
  return typeof given === "string" && SAFE_ID.test(given) ? given : randomUUID();
}
