/**
 * Numbers from hand-written statements. drizzle's node-postgres driver reads the statements it
 * runs with its own type parsers, not the pool's (pg-client.ts): int8 and numeric come back as
 * text. Instants, counts and sums are converted here, and refused beyond 2^53 as the pool would.
 */
export function toNumber(value: unknown): number {
  const n = Number(value);
  if (!Number.isFinite(n) || (typeof value === "string" && /^-?\d+$/.test(value) && !Number.isSafeInteger(n))) throw new RangeError(`not a safe number: ${String(value)}`);
  return n;
}

export const toNumberOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : toNumber(value));
