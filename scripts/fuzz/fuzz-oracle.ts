/**
 * What every answer to a hostile request must satisfy (API.md "Errors", "Auth"):
 * - never a 5xx;
 * - without a valid key, a route that needs one answers 401 (before looking at anything else);
 * - every 4xx is an RFC 9457 problem: application/problem+json with type, title, status (the
 *   HTTP status), detail, and for 400 the failing fields in errors[{ field, message }];
 * - nothing is written when a request fails: SQLite's total_changes() on the app's own connection
 *   does not move (it counts the rows of every completed insert, update and delete, so even a
 *   write later rolled back shows: a refusal should not have begun writing), and where sampled,
 *   the content of every table is the same before and after.
 * A 2xx to a mutated request is allowed (a strange but valid name is still a name).
 */
import { createHash } from "node:crypto";
import type { SqliteHandle } from "../../src/db/sqlite/sqlite-client.js";
import type { FuzzRequest } from "./request-generator.js";

export interface FuzzResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  /** Rows changed in the database while the request was handled. */
  readonly rowsChanged: number;
  /** Whether the tables' content changed; undefined when not sampled for this request. */
  readonly contentChanged: boolean | undefined;
}

export function violations(request: FuzzRequest, response: FuzzResponse): string[] {
  const out: string[] = [];
  const { status } = response;
  if (status >= 500) out.push(`server error ${status}`);
  if (request.anonymous && status !== 401) out.push(`answered ${status} without a valid key; a route that needs one must answer 401`);
  if (status >= 400 && status < 500) out.push(...problemViolations(request, response));
  if (status >= 400 && response.rowsChanged !== 0) out.push(`refused with ${status}, yet ${response.rowsChanged} row(s) changed in the database`);
  if (status >= 400 && response.contentChanged === true) out.push(`refused with ${status}, yet the database content changed`);
  return out;
}

function problemViolations(request: FuzzRequest, response: FuzzResponse): string[] {
  const out: string[] = [];
  if (!response.contentType.startsWith("application/problem+json")) out.push(`content-type is ${JSON.stringify(response.contentType)}, not application/problem+json`);
  // A HEAD answer has headers only.
  if (request.method === "HEAD") return out;
  let problem: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(response.body);
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return [...out, "the body is not a JSON object"];
    problem = parsed as Record<string, unknown>;
  } catch {
    return [...out, "the body is not JSON"];
  }
  for (const member of ["type", "title", "detail"]) {
    if (typeof problem[member] !== "string" || problem[member] === "") out.push(`the problem has no ${member}`);
  }
  if (problem.status !== response.status) out.push(`the problem's status is ${JSON.stringify(problem.status)}, the response's ${response.status}`);
  if (response.status === 400 && !validFieldErrors(problem.errors)) out.push("a 400 problem without errors[{ field, message }]");
  return out;
}

function validFieldErrors(errors: unknown): boolean {
  return (
    Array.isArray(errors) &&
    errors.length > 0 &&
    errors.every((e) => e !== null && typeof e === "object" && typeof (e as Record<string, unknown>).field === "string" && typeof (e as Record<string, unknown>).message === "string")
  );
}

/** Cheap and exact change detection on the app's own database connection. */
export interface DatabaseProbe {
  /** SQLite's total_changes(): rows inserted, updated or deleted on this connection so far. */
  totalChanges(): number;
  /** A digest of every table's rows: catches writes total_changes() cannot see (another connection, DDL). */
  fingerprint(): string;
  /** PRAGMA integrity_check's verdict: "ok" or the problems found. */
  integrity(): string;
}

export function databaseProbe(sqlite: SqliteHandle["sqlite"]): DatabaseProbe {
  const totalChanges = sqlite.prepare("select total_changes()").pluck();
  const tables = sqlite.prepare("select name from sqlite_master where type = 'table' order by name").pluck();
  return {
    totalChanges: () => totalChanges.get() as number,
    fingerprint() {
      const hash = createHash("sha256");
      for (const table of tables.all() as string[]) {
        hash.update(`\0${table}\0`);
        for (const row of sqlite.prepare(`select * from "${table.replace(/"/g, '""')}"`).raw().iterate()) hash.update(JSON.stringify(row));
      }
      return hash.digest("hex");
    },
    integrity: () => (sqlite.pragma("integrity_check", { simple: false }) as { integrity_check: string }[]).map((r) => r.integrity_check).join("; "),
  };
}
