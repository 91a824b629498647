/**
 * JSON text with pieces that JavaScript values cannot express: numbers such as 1e999 or -0 as
 * written, and nesting 10,000 levels deep (built as text, since JSON.stringify would recurse).
 */
export class RawJson {
  constructor(readonly text: string) {}
}

let markerCounter = 0;

/** JSON.stringify with every RawJson spliced in verbatim. */
export function toJsonText(value: unknown): string {
  const pieces: string[] = [];
  // A marker no generated string can contain: a per-call nonce.
  const nonce = `@@raw${++markerCounter}x${Math.random().toString(36).slice(2)}@@`;
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (!(v instanceof RawJson)) return v;
    pieces.push(v.text);
    return `${nonce}${pieces.length - 1}`;
  });
  if (text === undefined) return "";
  if (pieces.length === 0) return text;
  return text.replace(new RegExp(`"${nonce}(\\d+)"`, "g"), (_match, i: string) => pieces[Number(i)]!);
}

/** `[[[…]]]` or `{"a":{"a":…}}`, `depth` levels deep. */
export function deepJson(depth: number, shape: "array" | "object"): RawJson {
  return shape === "array" ? new RawJson(`${"[".repeat(depth)}${"]".repeat(depth)}`) : new RawJson(`${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`);
}
