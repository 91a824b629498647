import type { FieldError } from "../errors.js";
import type { Duration } from "../calendar/calendar-types.js";
import type { ProcedureDefinition } from "./procedure-types.js";
import { STEP_BUDGET_UNITS } from "./procedure-types.js";

const WORKING_UNITS = new Set<Duration["unit"]>(STEP_BUDGET_UNITS);
/**
 * The shortest working-time duration a definition may hold. The clock counts in milliseconds and
 * refuses anything shorter than one; a minute is the least that means anything at a front desk.
 */
const MIN_WORKING_MINUTES = 1;

/** Working minutes of a working-time duration, given the calendar's standard day. */
export function workingMinutesOf(duration: Duration, workingDayMinutes: number): number {
  return duration.unit === "working_hours" ? duration.value * 60 : duration.value * workingDayMinutes;
}

/**
 * Checks a procedure definition. `fieldErrors` are malformed input (400); `ruleErrors` are
 * well-formed definitions that contradict the rules (422).
 */
export function validateDefinition(def: ProcedureDefinition, workingDayMinutes = 480): { fieldErrors: FieldError[]; ruleErrors: FieldError[] } {
  const fieldErrors: FieldError[] = [];
  const ruleErrors: FieldError[] = [];
  const supplementCompletion: [string, Duration][] = def.supplementCompletion === null ? [] : [["supplementCompletion", def.supplementCompletion]];
  for (const [field, duration] of [["legalDuration", def.legalDuration], ["committedDuration", def.committedDuration], ...supplementCompletion] as const) {
    if (duration.unit === "calendar_days" && !Number.isInteger(duration.value))
      fieldErrors.push({ field: `${field}.value`, message: "calendar days must be a whole number" });
  }
  const durations: [string, Duration][] = [
    ["legalDuration", def.legalDuration],
    ["committedDuration", def.committedDuration],
    ...supplementCompletion,
    ...def.steps.map((s, i): [string, Duration] => [`steps[${i}].budget`, s.budget]),
  ];
  for (const [field, duration] of durations) {
    if (WORKING_UNITS.has(duration.unit) && workingMinutesOf(duration, workingDayMinutes) < MIN_WORKING_MINUTES)
      fieldErrors.push({ field: `${field}.value`, message: `must be at least ${MIN_WORKING_MINUTES} minute of working time` });
  }
  const seen = new Set<string>();
  for (const [i, step] of def.steps.entries()) {
    if (seen.has(step.code)) fieldErrors.push({ field: `steps[${i}].code`, message: `duplicate step code "${step.code}"` });
    seen.add(step.code);
    if (!WORKING_UNITS.has(step.budget.unit))
      fieldErrors.push({ field: `steps[${i}].budget.unit`, message: `a step budget is working time: ${STEP_BUDGET_UNITS.join(" or ")}` });
  }
  if (fieldErrors.length > 0) return { fieldErrors, ruleErrors };

  // The committed duration is the province's promise to do better than the law (DOMAIN.md §4).
  if (def.committedDuration.unit === def.legalDuration.unit && def.committedDuration.value > def.legalDuration.value)
    ruleErrors.push({ field: "committedDuration", message: "the committed duration may not exceed the legal duration" });

  // Steps split the committed time (DOMAIN.md §4 "Steps"); together they may not need more of it.
  if (WORKING_UNITS.has(def.committedDuration.unit) && def.steps.length > 0) {
    const budget = def.steps.reduce((sum, s) => sum + workingMinutesOf(s.budget, workingDayMinutes), 0);
    const committed = workingMinutesOf(def.committedDuration, workingDayMinutes);
    if (budget > committed + 1e-9)
      ruleErrors.push({
        field: "steps",
        message: `the steps' budgets (${budget / workingDayMinutes} working days) exceed the committed duration (${committed / workingDayMinutes})`,
      });
  }
  return { fieldErrors, ruleErrors };
}

/** Two definitions are the same version when every field that affects a dossier is equal. */
export function sameDefinition(a: ProcedureDefinition, b: ProcedureDefinition): boolean {
  return canonical(a) === canonical(b);
}

function canonical(d: ProcedureDefinition): string {
  return JSON.stringify([
    d.name,
    d.fieldCode,
    d.fieldName,
    [d.legalDuration.value, d.legalDuration.unit],
    [d.committedDuration.value, d.committedDuration.unit],
    d.committedDurationDerived,
    d.supplementPolicy,
    d.supplementCompletion === null ? null : [d.supplementCompletion.value, d.supplementCompletion.unit],
    d.steps.map((s) => [s.code, s.name, s.agencyCode ?? null, s.budget.value, s.budget.unit]),
  ]);
}
