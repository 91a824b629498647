import { describe, expect, it } from "vitest";
import { maskName, sameIdNumber } from "../../src/domain/dossier/public-view.js";

describe("the public view of a dossier", () => {
  it("masks the applicant's name to the initials of the family and the given name", () => {
    // The family name's and the given name's initials: a fixed shape, whatever the lengths and count of words.
    expect(maskName("Nguyễn Văn An")).toBe("N. A.");
    expect(maskName("  Đỗ   Thị  Hương ")).toBe("Đ. H.");
    expect(maskName("Nguyễn Thị Thanh Hương")).toBe(maskName("Nga Hồ"));
    expect(maskName("Công ty TNHH Ánh Dương")).toBe("C. D.");
    expect(maskName("an")).toBe("A.");
    expect(maskName("")).toBe("***");
  });

  it("echoes no control, zero-width or bidirectional-override character (issue #11 item 8)", () => {
    const hostile = "\u202EnA\u202C \u0000Văn\u200B\u2066 \u200F\u001bAn\u0007";
    const masked = maskName(hostile);
    expect(masked).toBe("N. A.");
    expect(masked).not.toMatch(/[\p{Cc}\p{Cf}]/u);
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
