/**
 * One HTTP call to the server, sorted into what a client can know: answered (status and JSON
 * body), or not answered (connection refused or reset, typically by the kill). A 2xx whose body
 * was cut off counts as unanswered: the client cannot use it, and "unknown" is always safe.
 */
export interface Target {
  readonly baseUrl: string;
  readonly adminKey: string;
}

export interface Answered {
  readonly answered: true;
  readonly status: number;
  readonly body: unknown;
  readonly text: string;
}

export type Answer = Answered | { readonly answered: false; readonly error: string };

/** Longer than any healthy request; a server that hangs this long is reported, not waited for. */
const REQUEST_TIMEOUT_MS = 30_000;

export async function call(target: Target, method: "GET" | "POST" | "PUT", path: string, body?: unknown): Promise<Answer> {
  try {
    const res = await fetch(`${target.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${target.adminKey}`,
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    return { answered: true, status: res.status, body: parseJson(text), text };
  } catch (error) {
    return { answered: false, error: describe(error) };
  }
}

export const isSuccess = (answer: Answer): boolean => answer.answered && answer.status >= 200 && answer.status < 300;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** fetch hides the socket error in `cause` ("fetch failed" → "ECONNRESET other side closed"). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: string; message?: string } | undefined;
  return cause ? `${cause.code ?? error.message} ${cause.message ?? ""}`.trim() : error.message;
}

/** A field of a JSON object body, if the body is an object. */
export function field(body: unknown, name: string): unknown {
  return typeof body === "object" && body !== null ? (body as Record<string, unknown>)[name] : undefined;
}
