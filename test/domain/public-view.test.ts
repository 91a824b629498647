import { describe, expect, it } from "vitest";
import { maskName, sameIdNumber } from "../../src/domain/dossier/public-view.js";

describe("the public view of a dossier", () => {
  it("masks every word of the applicant's name but its first letter", () => {
    expect(maskName("Nguyễn Văn An")).toBe("N***** V** A*");
    expect(maskName("  Đỗ   Thị  Hương ")).toBe("Đ* T** H****");
    expect(maskName("Công ty TNHH Ánh Dương")).toBe("C*** t* T*** Á** D****");
  });

  it("matches identity numbers without case or separators, and nothing else", () => {
    expect(sameIdNumber("001090012345", "001090012345")).toBe(true);
    expect(sameIdNumber("0101234567-001", "0101234567001")).toBe(true);
    expect(sameIdNumber("ab123456", "AB123456")).toBe(true);
    expect(sameIdNumber("001090012345", "001090012346")).toBe(false);
    expect(sameIdNumber("001090012345", "00109001234")).toBe(false);
    expect(sameIdNumber("001090012345", "")).toBe(false);
  });
});
