/**
 * How the forms are laid out (issue #13; Decree 30/2020/NĐ-CP, Annex I): printed through the real
 * HTTP stack and read back with pdf.js, the page count is pinned and no text runs outside the page
 * box or into the left and right margins (30 mm, 15 mm): a control sheet of 40 hand-offs, a receipt
 * with very long names, a register of 500 dossiers. Tables repeat their heading on every page, and
 * page numbers from the second page on sit in the top margin. Proper names stay on one line.
 */
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, startTestApp, type TestApp } from "../support/test-app.js";
import { event, JUSTICE, PROVINCE, postEvent, received, seedProvince, TAX } from "../support/dossier-fixtures.js";

const NOW = Date.parse("2026-01-20T10:00:00+07:00");
const MM = 72 / 25.4;
/** Decree 30/2020: left 30 mm, right 15 mm, top and bottom 20 mm. */
const MARGIN = { left: 30 * MM, right: 15 * MM, top: 20 * MM, bottom: 20 * MM };
/** Half a point for rounding, and the descenders below the last baseline. */
const TOLERANCE = 0.5;
const DESCENDER = 4;

interface Line {
  readonly page: number;
  readonly text: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

interface Layout {
  readonly pages: number;
  readonly size: { width: number; height: number }[];
  readonly lines: Line[];
}

/** Every text run of the PDF with its position (PDF user space: y up from the bottom). */
async function layoutOf(data: Uint8Array): Promise<Layout> {
  const doc = await getDocument({ data: new Uint8Array(data), disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
  const lines: Line[] = [];
  const size: { width: number; height: number }[] = [];
  for (let p = 1; p <= doc.numPages; p++) {
    const page = await doc.getPage(p);
    const [x0, y0, x1, y1] = page.view as [number, number, number, number];
    size.push({ width: x1 - x0, height: y1 - y0 });
    for (const item of (await page.getTextContent()).items) {
      if (!("str" in item) || item.str.trim() === "") continue;
      lines.push({ page: p, text: item.str.normalize("NFC").replace(/\u00a0/g, " "), x: item.transform[4], y: item.transform[5], width: item.width, height: item.height });
    }
  }
  const pages = doc.numPages;
  await doc.destroy();
  return { pages, size, lines };
}

/** Text runs outside the page box, or into the left and right margins. */
function overflowing(layout: Layout): string[] {
  return layout.lines
    .filter((l) => {
      const { width, height } = layout.size[l.page - 1]!;
      return (
        l.x < MARGIN.left - TOLERANCE ||
        l.x + l.width > width - MARGIN.right + TOLERANCE ||
        l.y < MARGIN.bottom - DESCENDER ||
        l.y + l.height > height
      );
    })
    .map((l) => `page ${l.page} at (${l.x.toFixed(1)}, ${l.y.toFixed(1)}) width ${l.width.toFixed(1)}: ${l.text}`);
}

describe("form layout", () => {
  let t: TestApp;
  const pdf = async (url: string) => {
    const res = await t.app.inject({ method: "GET", url, headers: { ...ADMIN, accept: "application/pdf" } });
    expect(res.statusCode, res.payload.slice(0, 300)).toBe(200);
    return layoutOf(res.rawPayload);
  };
  const onPage = (layout: Layout, page: number) => layout.lines.filter((l) => l.page === page);

  beforeAll(async () => {
    t = await startTestApp({ now: () => NOW });
    await seedProvince(t);
    await t.http.put(`/v1/agencies/${PROVINCE}`).set(ADMIN).send({ name: "Ủy ban nhân dân tỉnh Hà Tĩnh", place: "Hà Tĩnh" }).expect(200);
    await t.http.put(`/v1/agencies/${JUSTICE}`).set(ADMIN).send({ name: "Sở Nông nghiệp và Môi trường tỉnh Hà Tĩnh", parentCode: PROVINCE }).expect(200);
  });
  afterAll(() => t.close());

  it("paginates a control sheet of 40 hand-offs, its heading on every page, page numbers from page 2, nothing outside the margins", async () => {
    const code = await received(t, { receivedAt: "2025-10-01T08:00:00+07:00" });
    const start = Date.parse("2025-10-01T08:30:00+07:00");
    const transfers = Array.from({ length: 40 }, (_, i) =>
      event("transferred", new Date(start + i * 30 * 60_000).toISOString().replace("Z", "+00:00"), {
        toAgencyCode: i % 2 === 0 ? JUSTICE : TAX,
        actor: { id: `u${i}`, name: "Nguyễn Thị Phương Thảo" },
      }),
    );
    await postEvent(t, code, { events: transfers }).expect(201);
    const layout = await pdf(`/v1/dossiers/${code}/control-sheet`);

    expect(layout.pages).toBe(4);
    expect(overflowing(layout)).toEqual([]);
    // 41 lines (reception and 40 hand-offs), every one listed once, in order.
    const seqs = layout.lines.filter((l) => l.x < MARGIN.left + 25 && /^\d+$/.test(l.text)).map((l) => Number(l.text));
    expect(seqs).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
    for (let page = 1; page <= layout.pages; page++) {
      const lines = onPage(layout, page);
      const table = lines.some((l) => l.text === "Giao, nhận hồ sơ");
      // The heading row is repeated on each page (the table ends on the last one, before the duties).
      expect(table, `page ${page}`).toBe(true);
      if (page > 1) expect(lines.some((l) => l.text === String(page) && l.y > layout.size[page - 1]!.height - MARGIN.top), `number of page ${page}`).toBe(true);
    }
    expect(onPage(layout, 1).some((l) => l.text === "1")).toBe(true); // the first sequence number, not a page number
  });

  it("wraps long names between words, keeps proper names on one line, and stays on the page", async () => {
    const longName = "Nguyễn Hoàng Thị Phương Thảo Quỳnh Anh Bảo Ngọc Khánh Linh Diệu Huyền Minh Châu";
    const code = await received(t, {
      receivedAt: "2025-10-01T08:00:00+07:00",
      applicant: {
        kind: "citizen",
        name: longName,
        idNumber: "042190012345",
        address: "Thôn Đông Tiến, xã Thạch Hà, tỉnh Hà Tĩnh; ".repeat(10).trim(),
        phone: "0912345678",
        email: "phuong.thao.quynh.anh@example.com",
      },
      summary: "x",
    });
    const layout = await pdf(`/v1/dossiers/${code}/receipt`);
    expect(layout.pages).toBe(1);
    expect(overflowing(layout)).toEqual([]);
    // The agency block: "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG TỈNH HÀ TĨNH" breaks between words, never inside "HÀ TĨNH".
    const header = onPage(layout, 1).filter((l) => l.y > layout.size[0]!.height - MARGIN.top - 80 && l.x < MARGIN.left + 200 && /[A-ZĐ]/.test(l.text) && l.text === l.text.toUpperCase());
    const agencyLines = header.map((l) => l.text.trim());
    expect(agencyLines.join(" ")).toContain("SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG TỈNH HÀ TĨNH");
    expect(agencyLines.some((l) => l.includes("HÀ TĨNH"))).toBe(true);
    expect(agencyLines.some((l) => l.endsWith("HÀ"))).toBe(false);
    expect(layout.lines.some((l) => l.text.includes("Hà Tĩnh, ngày 01 tháng 10 năm 2025"))).toBe(true);
    // The applicant's name is long: it wraps between its words, every word whole.
    const text = layout.lines.map((l) => l.text.trim()).join(" ").replace(/\s+/g, " ");
    expect(text).toContain(`tiếp nhận hồ sơ của: Ông/Bà ${longName}`);
  });

  describe("a register of 500 dossiers", () => {
    const codes: string[] = [];
    beforeAll(async () => {
      const days = ["2025-11-03", "2025-11-04", "2025-11-05", "2025-11-06", "2025-11-07"];
      for (let i = 0; i < 500; i++) {
        // A hundred a day, five minutes apart from 07:00: the register lists them in this order.
        const minute = String(((i % 100) % 12) * 5).padStart(2, "0");
        const hour = String(7 + Math.floor((i % 100) / 12)).padStart(2, "0");
        codes.push(await received(t, { receivedAt: `${days[Math.floor(i / 100)]}T${hour}:${minute}:00+07:00`, applicant: { kind: "citizen", name: `Trần Văn Số ${i + 1}`, idNumber: `04219${String(i).padStart(7, "0")}`, address: "Xã Cẩm Xuyên, tỉnh Hà Tĩnh" } }));
      }
    }, 120_000);

    it("paginates with its heading repeated on every page, every dossier listed once, nothing outside the page", async () => {
      const layout = await pdf(`/v1/agencies/${JUSTICE}/register?from=2025-11-01&to=2025-11-30`);
      expect(layout.size[0]).toEqual({ width: expect.closeTo(841.89, 1), height: expect.closeTo(595.28, 1) }); // A4 landscape
      expect(layout.pages).toBe(46);
      expect(overflowing(layout)).toEqual([]);
      for (let page = 1; page <= layout.pages; page++) expect(onPage(layout, page).filter((l) => l.text === "Mã hồ sơ"), `page ${page}`).toHaveLength(1);
      const listed = layout.lines.filter((l) => /^000\.00\.01\.H22-2511\d\d-\d{4}$/.test(l.text.trim())).map((l) => l.text.trim());
      expect(listed).toEqual(codes);
      expect(onPage(layout, layout.pages).map((l) => l.text.trim()).join(" ")).toContain("Tổng số: 500 hồ sơ.");
    }, 60_000);
  });
});
