import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { formatInstant, parseInstant } from "../../src/domain/time.js";

describe("timestamps at the edges", () => {
  it("formats in +07:00 exactly as luxon does", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2199, 11, 31) }), (ms) => {
        const expected = DateTime.fromMillis(ms, { zone: "Asia/Ho_Chi_Minh" }).toISO({ suppressMilliseconds: true, includeOffset: true });
        expect(formatInstant(ms)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
    expect(formatInstant(Date.parse("2025-01-23T02:15:00Z"))).toBe("2025-01-23T09:15:00+07:00");
  });

  it("parses exactly as luxon does", () => {
    const pad = (n: number, w = 2) => String(n).padStart(w, "0");
    fc.assert(
      fc.property(
        fc.record({
          y: fc.integer({ min: 1900, max: 2199 }), mo: fc.integer({ min: 0, max: 13 }), d: fc.integer({ min: 0, max: 32 }),
          h: fc.integer({ min: 0, max: 24 }), mi: fc.integer({ min: 0, max: 60 }), s: fc.integer({ min: 0, max: 60 }),
          ms: fc.option(fc.integer({ min: 0, max: 999 })), off: fc.constantFrom("Z", "+07:00", "-05:30", "+14:00", "+00:00"),
        }),
        ({ y, mo, d, h, mi, s, ms, off }) => {
          const text = `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}${ms === null ? "" : `.${pad(ms, 3)}`}${off}`;
          const dt = DateTime.fromISO(text, { setZone: true });
          expect(parseInstant(text), text).toBe(dt.isValid ? dt.toMillis() : null);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("parses only timestamps that name their offset", () => {
    expect(parseInstant("2025-01-23T09:15:00+07:00")).toBe(Date.parse("2025-01-23T02:15:00Z"));
    expect(parseInstant("2025-01-23T02:15:00.5Z")).toBe(Date.parse("2025-01-23T02:15:00.500Z"));
    // ISO 8601's end of day is the next midnight (found by the property below, as luxon reads it).
    expect(parseInstant("2025-01-23T24:00:00+07:00")).toBe(Date.parse("2025-01-23T17:00:00Z"));
    expect(parseInstant("2025-01-23T24:00:01+07:00")).toBeNull();
    for (const bad of ["2025-01-23T09:15:00", "2025-01-23", "2025-02-30T09:15:00+07:00", "2025-01-23 09:15:00+07:00", "yesterday"])
      expect(parseInstant(bad), bad).toBeNull();
  });
});
