import type { Duration } from "../calendar/calendar-types.js";

/**
 * DOMAIN.md §4 "Two deadlines": provinces publish a committed duration per procedure (≈30% shorter,
 * unevenly rounded, so it is stored as published). Only where none is given is it derived:
 * cut the legal duration by `cutPercent`, then round DOWN to a half day (working days), a half hour
 * (working hours) or a whole day (calendar days). Same-day procedures cannot be shortened.
 * The result is never below the smallest step of its unit (a 1-day procedure stays ≥ 0.5 day).
 */
export const DEFAULT_COMMITTED_CUT_PERCENT = 30;

const ROUNDING_STEP: Record<Duration["unit"], number> = {
  working_days: 0.5,
  working_hours: 0.5,
  calendar_days: 1,
  same_day: 1,
};

export function deriveCommittedDuration(legal: Duration, cutPercent = DEFAULT_COMMITTED_CUT_PERCENT): Duration {
  if (legal.unit === "same_day") return legal;
  const step = ROUNDING_STEP[legal.unit];
  // Work in integer hundredths to avoid 0.7 * 10 = 6.999… rounding down a whole step.
  const cutHundredths = Math.round(legal.value * 100) * (100 - cutPercent);
  const stepHundredths = Math.round(step * 100) * 100;
  const rounded = Math.floor(cutHundredths / stepHundredths) * step;
  const value = Math.min(legal.value, Math.max(step, rounded));
  return { value, unit: legal.unit };
}
