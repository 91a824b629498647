/**
 * Excel (issue #14 item 10): the register (Mẫu 07) and report 06 open in a Vietnamese-locale
 * spreadsheet with their diacritics and with numbers as numbers. Chosen: an .xlsx variant of each
 * (`Accept: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet` or `format=xlsx`),
 * typed cell by cell, beside the unchanged RFC 4180 CSV for programs (documents/spreadsheet-xlsx.ts
 * says why). Checked twice: parsed with read-excel-file (always), and opened by LibreOffice Calc
 * headless under vi_VN (when `soffice` is installed; .ci/run installs it).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSheet } from "read-excel-file/node";
import { ADMIN, startTestApp, type TestApp } from "../support/test-app.js";
import { JUSTICE, applicant, event, postEvent, received, seedProvince } from "../support/dossier-fixtures.js";
import { findSoffice, openInCalc } from "../support/libreoffice.js";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const REGISTER = `/v1/agencies/${JUSTICE}/register?from=2025-10-01&to=2025-10-31`;
const REPORT = "/v1/stats/timeliness?from=2025-10-01&to=2025-10-31&groupBy=agency";

const soffice = findSoffice();
if (soffice === undefined) console.warn("spreadsheets.test.ts: LibreOffice checks SKIPPED, soffice not found (apt-get install libreoffice-calc)");

let t: TestApp;
const codes: string[] = [];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-xlsx-"));

/** The body as bytes, whatever the media type. */
const download = (url: string, accept?: string) => {
  const req = t.http.get(url).set(ADMIN);
  if (accept !== undefined) req.set("Accept", accept);
  return req.buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on("data", (c: Buffer) => chunks.push(c));
    res.on("end", () => cb(null, Buffer.concat(chunks)));
  });
};

beforeAll(async () => {
  t = await startTestApp({ now: () => Date.parse("2025-11-05T10:00:00+07:00") });
  await seedProvince(t);
  // Three dossiers of October resolved: two early, one late -> an on-time rate of 66.67 %.
  const ready = (at: string) => event("result_ready", at, { outcome: "approved" });
  for (const [day, result] of [
    ["2025-10-06", "2025-10-07T09:00:00+07:00"],
    ["2025-10-07", "2025-10-08T09:00:00+07:00"],
    ["2025-10-08", "2025-10-20T09:00:00+07:00"],
  ] as const) {
    const code = await received(t, { receivedAt: `${day}T08:00:00+07:00` });
    await postEvent(t, code, ready(result)).expect(201);
    codes.push(code);
  }
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the register (Mẫu 07) as an Excel workbook", () => {
  it("is offered by Accept and by format=xlsx, as a download, and audited like the other forms", async () => {
    const viaAccept = await download(REGISTER, XLSX).expect(200);
    expect(viaAccept.headers["content-type"]).toBe(XLSX);
    expect(viaAccept.headers["content-disposition"]).toMatch(/^attachment; filename=".*\.xlsx"; filename\*=UTF-8''S%E1%BB%95/);
    expect((viaAccept.body as Buffer).subarray(0, 2).toString("latin1")).toBe("PK"); // a zip, as .xlsx are
    const viaFormat = await download(`${REGISTER}&format=xlsx`).expect(200);
    expect(viaFormat.headers["content-type"]).toBe(XLSX);
    const audit = await t.http.get(`/v1/audit?receiptCode=${codes[0]}`).set(ADMIN).expect(200);
    expect(audit.body.items.map((i: { action: string }) => i.action)).toContain("register.xlsx");
  });

  it("holds typed cells: numbers, Vietnamese text in NFC, a phone number as text, instants as Vietnam-local dates", async () => {
    // A date cell is a fraction of days: read back, it may be a millisecond off; rounded to the second.
    const rows = (await readSheet((await download(REGISTER, XLSX).expect(200)).body as Buffer)).map((row) =>
      row.map((cell) => (cell instanceof Date ? new Date(Math.round(cell.getTime() / 1000) * 1000) : cell)),
    );
    expect(rows[0]).toEqual(["STT", "Mã hồ sơ", "Thủ tục hành chính", "Tổ chức, cá nhân", "Địa chỉ", "Số điện thoại", "Cơ quan giải quyết", "Kênh nộp", "Nhận hồ sơ", "Hẹn trả kết quả", "Hẹn lại", "Có kết quả", "Trả kết quả", "Tình trạng", "Kết quả giải quyết"]);
    expect(rows).toHaveLength(4);
    expect(rows[1]).toEqual([
      1,
      codes[0],
      "Đăng ký khai sinh",
      applicant.name,
      applicant.address,
      "0912345678",
      "Sở Tư pháp",
      "Trực tiếp",
      new Date(Date.UTC(2025, 9, 6, 8, 0)), // 08:00 in Vietnam, as the desk wrote it
      new Date(Date.UTC(2025, 9, 9, 8, 0)),
      null,
      new Date(Date.UTC(2025, 9, 7, 9, 0)),
      null,
      "Đã có kết quả",
      "Trước hạn",
    ]);
  });
});

describe("report 06 as an Excel workbook", () => {
  it("holds the JSON's numbers as numeric cells, the rate with its decimals", async () => {
    const json = (await t.http.get(REPORT).set(ADMIN).expect(200)).body;
    const res = await download(`${REPORT}&format=xlsx`).expect(200);
    expect(res.headers["content-type"]).toBe(XLSX);
    expect(res.headers["content-disposition"]).toBe('attachment; filename="bao-cao-06-2025-10-01-2025-10-31-agency.xlsx"');
    const rows = await readSheet(res.body as Buffer);
    expect(rows[0]).toContain("Tỷ lệ giải quyết đúng hạn (%)");
    expect(json.total.onTimeRate).toBe(66.67);
    for (const [i, r] of [...json.rows, json.total].entries())
      expect(rows[i + 1]).toEqual([
        r.key, r.label,
        r.received.carriedOver + r.received.new, r.received.carriedOver, r.received.new, r.received.online, r.received.offline,
        r.resolved.total, r.resolved.early, r.resolved.onTime, r.resolved.late,
        r.pending.total, r.pending.withinTime, r.pending.overdue, r.stopped, r.apologyLetters, r.onTimeRate, r.overdueDuties.total,
      ]);
    await download(REPORT, `${XLSX}, application/json;q=0.5`).expect(200).expect("content-type", XLSX);
  });
});

describe.skipIf(soffice === undefined)("opened by LibreOffice Calc in a Vietnamese locale (vi_VN)", () => {
  it("reads the workbooks' text with its diacritics, numbers as numbers (shown with a decimal comma) and dates as dates", async () => {
    const register = path.join(dir, "so-theo-doi.xlsx");
    const report = path.join(dir, "bao-cao-06.xlsx");
    fs.writeFileSync(register, (await download(REGISTER, XLSX).expect(200)).body as Buffer);
    fs.writeFileSync(report, (await download(REPORT, XLSX).expect(200)).body as Buffer);
    const [registerSheet, reportSheet] = openInCalc(soffice!, [register, report], { locale: "vi_VN.UTF-8" });

    const first = registerSheet![1]!;
    expect(first[0]).toEqual({ type: "float", value: "1", shown: "1" });
    expect(first[3]).toEqual({ type: "string", value: "Nguyễn Văn An", shown: "Nguyễn Văn An" });
    expect(first[5]).toEqual({ type: "string", value: "0912345678", shown: "0912345678" });
    expect(first[8]).toMatchObject({ type: "date", value: "2025-10-06T08:00:00", shown: "06/10/2025 08:00" });

    const total = reportSheet![reportSheet!.length - 1]!;
    expect(reportSheet![0]![16]!.value).toBe("Tỷ lệ giải quyết đúng hạn (%)");
    expect(total[2]).toEqual({ type: "float", value: "3", shown: "3" });
    expect(total[16]).toEqual({ type: "float", value: "66.67", shown: "66,67" });
  }, 150_000);

  it("reads the CSV's diacritics (UTF-8 with BOM) and its counts as numbers", async () => {
    // The CSV is for programs: Calc in vi_VN reads "66.67" as text, as Excel would (hence the workbook).
    const csv = path.join(dir, "bao-cao-06.csv");
    fs.writeFileSync(csv, (await download(REPORT, "text/csv").expect(200)).body as Buffer);
    // Comma-separated, '"' quoted, UTF-8 (76), from line 1, language Vietnamese (1066).
    const [sheet] = openInCalc(soffice!, [csv], { locale: "vi_VN.UTF-8", infilter: "CSV:44,34,76,1,,1066" });
    expect(sheet![0]!.slice(0, 4).map((c) => c.value)).toEqual(["Mã", "Đơn vị / nhóm", "Tổng số hồ sơ tiếp nhận", "Kỳ trước chuyển qua"]);
    const total = sheet![sheet!.length - 1]!;
    expect(total.slice(2, 16).every((c) => c.type === "float")).toBe(true);
    expect(total[2]!.value).toBe("3");
  }, 150_000);
});
