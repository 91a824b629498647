import { DateTime, Info } from "luxon";
import { VN_TIME_ZONE } from "./calendar/calendar-defaults.js";

/**
 * Timestamps at the edges: ISO 8601 with an explicit offset in, ISO 8601 with the domain's offset
 * (+07:00, Asia/Ho_Chi_Minh) out. Inside, instants are epoch milliseconds.
 */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Epoch ms of an ISO 8601 timestamp that names its offset, or null (no offset, not a real date, …). */
export function parseInstant(text: string): number | null {
  if (!ISO_WITH_OFFSET.test(text)) return null;
  const dt = DateTime.fromISO(text, { setZone: true });
  return dt.isValid ? dt.toMillis() : null;
}

export function formatInstant(ms: number, timeZone: string = VN_TIME_ZONE): string {
  return DateTime.fromMillis(ms, { zone: timeZone }).toISO({ suppressMilliseconds: true, includeOffset: true }) ?? "";
}

export function isValidTimeZone(zone: string): boolean {
  return Info.isValidIANAZone(zone);
}
