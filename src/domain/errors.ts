/**
 * One error family for the whole domain and its services. Each carries a stable `code`; the HTTP
 * layer maps codes to RFC 9457 problem responses in one place (src/http/plugins/error-handler.ts).
 */
export const ERROR_CODES = [
  "validation_failed",
  "unauthorized",
  "forbidden",
  "not_found",
  "conflict",
  "rule_violation",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export class AppError extends Error {
  override readonly name = "AppError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors: readonly FieldError[] = [],
    /** A finer, stable reason for rule violations, e.g. "invalid_transition". */
    readonly reason?: string,
  ) {
    super(message);
  }
}

export const validationFailed = (errors: readonly FieldError[], message?: string): AppError =>
  new AppError("validation_failed", message ?? errors.map((e) => `${e.field}: ${e.message}`).join("; "), errors);

export const notFound = (what: string, id: string, errors: readonly FieldError[] = []): AppError =>
  new AppError("not_found", `${what} "${id}" does not exist`, errors);

export const ruleViolation = (reason: string, message: string, errors: readonly FieldError[] = []): AppError =>
  new AppError("rule_violation", message, errors, reason);

export const conflict = (message: string, errors: readonly FieldError[] = []): AppError => new AppError("conflict", message, errors);
