/** Choosing PDF or JSON from an Accept header, and naming the download. */
import { describe, expect, it } from "vitest";
import { contentDisposition, prefersPdf } from "../../src/http/content-negotiation.js";

describe("prefersPdf", () => {
  it.each([
    [undefined, false],
    ["application/json", false],
    ["*/*", false], // a tie: JSON, the default
    ["application/pdf", true],
    ["application/pdf, */*;q=0.8", true],
    ["application/json, application/pdf;q=0.1", false],
    ["application/json;q=0.5, application/pdf", true],
    ["application/*;q=0.9, application/pdf;q=0.2", false], // the exact type's q counts for PDF, the wildcard's for JSON
    ["APPLICATION/PDF", true],
    ["application/pdf;q=0", false],
    ["application/pdf;q=abc", false],
  ])("%s -> %s", (accept, expected) => {
    expect(prefersPdf(accept)).toBe(expected);
  });
});

describe("contentDisposition", () => {
  it("gives an ASCII fallback and the exact UTF-8 name", () => {
    expect(contentDisposition("Phiếu xin lỗi 1-PXL.pdf")).toBe(`inline; filename="Phieu xin loi 1-PXL.pdf"; filename*=UTF-8''Phi%E1%BA%BFu%20xin%20l%E1%BB%97i%201-PXL.pdf`);
    expect(contentDisposition('Đơn "số" 2.pdf', "attachment")).toBe(`attachment; filename="Don _so_ 2.pdf"; filename*=UTF-8''%C4%90%C6%A1n%20%22s%E1%BB%91%22%202.pdf`);
  });
});
