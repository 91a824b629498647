import { describe, expect, it } from "vitest";
import { agencySubtree } from "../../src/domain/access/agency-tree.js";

const tree = [
  { code: "P", parentCode: null },
  { code: "D1", parentCode: "P" },
  { code: "D2", parentCode: "P" },
  { code: "C1", parentCode: "D1" },
  { code: "X", parentCode: null },
];

describe("agency subtree", () => {
  it("holds the roots and everything below them, once each", () => {
    expect(agencySubtree(["P"], tree).sort()).toEqual(["C1", "D1", "D2", "P"]);
    expect(agencySubtree(["D1", "C1"], tree).sort()).toEqual(["C1", "D1"]);
    expect(agencySubtree(["X"], tree)).toEqual(["X"]);
  });

  it("ignores unknown roots and survives a corrupted cycle", () => {
    expect(agencySubtree(["NOPE"], tree)).toEqual([]);
    expect(agencySubtree(["A"], [{ code: "A", parentCode: "B" }, { code: "B", parentCode: "A" }]).sort()).toEqual(["A", "B"]);
  });
});
