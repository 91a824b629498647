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

  it("parses only timestamps that name their offset", () => {
    expect(parseInstant("2025-01-23T09:15:00+07:00")).toBe(Date.parse("2025-01-23T02:15:00Z"));
    expect(parseInstant("2025-01-23T02:15:00.5Z")).toBe(Date.parse("2025-01-23T02:15:00.500Z"));
    for (const bad of ["2025-01-23T09:15:00", "2025-01-23", "2025-02-30T09:15:00+07:00", "2025-01-23 09:15:00+07:00", "yesterday"])
      expect(parseInstant(bad), bad).toBeNull();
  });
});
