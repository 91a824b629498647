import { validationFailed } from "../domain/errors.js";

/**
 * Cursors are opaque to clients: base64url of a kind and the last row's id, so a cursor of one
 * list is refused by another.
 */
export function cursorCodec(kind: string) {
  const shape = new RegExp(`^${kind}:(\\d{1,15})$`);
  return {
    encode: (id: number) => Buffer.from(`${kind}:${id}`).toString("base64url"),
    decode(cursor: string): number {
      const match = shape.exec(Buffer.from(cursor, "base64url").toString("utf8"));
      if (!match) throw validationFailed([{ field: "cursor", message: "is not a cursor this API returned" }]);
      return Number(match[1]);
    },
  };
}
