/**
 * Numbers from hand-written statements. pg-client.ts sets pg's global parsers so that int8 and
 * numeric arrive as numbers already; this stays as the statements' own guarantee (a value that
 * arrives as text, from another parser set-up, is converted, and refused beyond 2^53).
 */
export function toNumber(value: unknown): number {
  const n = Number(value);
  if (!Number.isFinite(n) || (typeof value === "string" && /^-?\d+$/.test(value) && !Number.isSafeInteger(n))) throw new RangeError(`not a safe number: ${String(value)}`);
  return n;
}

export const toNumberOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : toNumber(value));
