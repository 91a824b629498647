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

/** Vietnam has kept UTC+07:00 without daylight saving since 1975. */
const VN_OFFSET_MS = 7 * 3_600_000;
const VN_FAST_PATH_FROM = Date.UTC(1976, 0, 1);

export function formatInstant(ms: number, timeZone: string = VN_TIME_ZONE): string {
  // Every response formats a dozen instants in the domain's zone: skip luxon's zone machinery for
  // the fixed +07:00 (same output, a fraction of the cost; checked against luxon in the tests).
  if (timeZone === VN_TIME_ZONE && ms >= VN_FAST_PATH_FROM && Number.isFinite(ms)) {
    const iso = new Date(ms + VN_OFFSET_MS).toISOString(); // "2025-03-03T08:00:00.000Z" in local wall time
    const millis = iso.slice(19, 23);
    return `${iso.slice(0, 19)}${millis === ".000" ? "" : millis}+07:00`;
  }
  return DateTime.fromMillis(ms, { zone: timeZone }).toISO({ suppressMilliseconds: true, includeOffset: true }) ?? "";
}

export function isValidTimeZone(zone: string): boolean {
  return Info.isValidIANAZone(zone);
}
