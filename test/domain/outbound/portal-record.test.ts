import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_CALENDAR_RULES } from "../../../src/domain/calendar/calendar-defaults.js";
import { vnDaysOfYear } from "../../../src/domain/calendar/calendar-days.js";
import type { Duration } from "../../../src/domain/calendar/calendar-types.js";
import { createWorkingCalendar } from "../../../src/domain/calendar/working-calendar.js";
import { computeDueAt, evaluateDossier, replayDossier, type DossierFacts } from "../../../src/domain/dossier/dossier-fold.js";
import type { DossierEvent } from "../../../src/domain/dossier/dossier-types.js";
import { buildPortalRecord, parsePortalDate, portalDate, type PortalRecord, type PortalRecordInput } from "../../../src/domain/outbound/portal-record.js";

const calendar = createWorkingCalendar(DEFAULT_CALENDAR_RULES, vnDaysOfYear);
const at = (iso: string) => Date.parse(iso);
const JUSTICE = "000.00.12.H22";
const DISTRICT = "000.20.34.H22";
const names: Record<string, string> = { [JUSTICE]: "Sở Tư pháp", [DISTRICT]: "UBND xã Thạch Hà" };
const FIVE_DAYS: Duration = { value: 5, unit: "working_days" };

function recordOf(receivedAt: number, events: DossierEvent[], options: { now?: number; extensions?: PortalRecordInput["extensions"]; committed?: Duration } = {}): PortalRecord | null {
  const committed = options.committed ?? FIVE_DAYS;
  const facts: DossierFacts = {
    receivedAt,
    receivingAgencyCode: JUSTICE,
    handlingAgencyCode: JUSTICE,
    committedDuration: committed,
    legalDuration: { value: 7, unit: "working_days" },
    supplementPolicy: null,
    supplementCompletion: null,
    channel: "direct",
    submittedAt: null,
    steps: [{ code: "review", name: "Thẩm định", budget: { value: 2, unit: "working_days" } }, { code: "sign", name: "Ký duyệt", budget: { value: 1, unit: "working_days" } }],
    originalDueAt: computeDueAt(calendar, receivedAt, committed),
  };
  const replayed = replayDossier(facts, events, calendar);
  if (!replayed.ok) throw new Error(replayed.violation.message);
  const now = options.now ?? Math.max(receivedAt, ...events.map((e) => e.occurredAt));
  return buildPortalRecord({
    dossier: {
      receiptCode: "000.00.12.H22-250707-0001",
      procedureCode: "1.001234",
      channel: "direct",
      applicant: { kind: "citizen", name: "Nguyễn Văn An", idNumber: "001090012345", phone: "0912345678" },
      summary: "Đăng ký khai sinh",
      receivedAt,
      handlingAgencyCode: JUSTICE,
      digitized: true,
      paidOnline: false,
    },
    procedure: { name: "Đăng ký khai sinh", fieldCode: "HT", fieldName: "Hộ tịch", committedDuration: committed },
    replay: replayed.replay,
    state: evaluateDossier(replayed.replay, calendar, now),
    events,
    extensions: options.extensions ?? [],
    agencyName: (code) => names[code],
    calendar,
  });
}

const ev = (id: string, type: DossierEvent["type"], iso: string, fields: Record<string, unknown> = {}): DossierEvent =>
  ({ eventId: id, type, occurredAt: at(iso), agencyCode: JUSTICE, actor: { id: "u1", name: "Trần Thị Bình" }, ...fields }) as DossierEvent;

describe("the DongBoHoSoMC record (DOMAIN.md §8)", () => {
  it("a Decree 118 dossier with a supplement (restart, art. 19(5)), an extension (art. 19(6)), a result returned by post", () => {
    const receivedAt = at("2025-07-07T08:00:00+07:00"); // Monday
    const events = [
      ev("e1", "transferred", "2025-07-07T09:00:00+07:00", { toAgencyCode: DISTRICT, stepCode: "review" }),
      ev("e2", "supplement_requested", "2025-07-08T10:00:00+07:00", { reason: "Thiếu bản sao giấy chứng sinh" }),
      ev("e3", "supplement_received", "2025-07-10T14:00:00+07:00"),
      ev("e4", "result_ready", "2025-07-21T10:00:00+07:00", { outcome: "approved" }),
      ev("e5", "returned", "2025-07-22T09:00:00+07:00", { method: "postal" }),
    ];
    const record = recordOf(receivedAt, events, {
      extensions: [{ issuedAt: at("2025-07-15T09:00:00+07:00"), originalDueAt: at("2025-07-17T14:00:00+07:00"), newDueAt: at("2025-07-22T17:00:00+07:00"), reason: "Chờ xác minh" }],
    })!;
    expect(record).toMatchObject({
      MaHoSo: "000.00.12.H22-250707-0001",
      MaTTHC: "1.001234",
      TenTTHC: "Đăng ký khai sinh",
      MaLinhVuc: "HT",
      TenLinhVuc: "Hộ tịch",
      KenhThucHien: 1,
      ChuHoSo: "Nguyễn Văn An",
      LoaiDoiTuong: 1,
      SoGiayToChuHoSo: "001090012345",
      NgayTiepNhan: "20250707080000",
      // The desk moved the appointment to the extension's date (art. 19(6)).
      NgayHenTra: "20250722170000",
      TrangThaiHoSo: 10,
      NgayKetThucXuLy: "20250721100000",
      NgayTra: "20250722090000",
      DonViXuLy: "Sở Tư pháp",
      HinhThuc: 1,
      DuocThanhToanTrucTuyen: 0,
      HoSoCoThanhPhanSoHoa: 1,
    });
    expect(record.DanhSachHoSoBoSung).toEqual([
      {
        LoaiBoSung: 1,
        NoiDungBoSung: "Thiếu bản sao giấy chứng sinh",
        NgayYeuCau: "20250708100000",
        NgayTiepNhanBoSung: "20250710140000",
        // 5 working days from Mon 08:00 end Mon 14 Jul 08:00; restarted from Thu 10 Jul 14:00, Thu 17 Jul 14:00.
        NgayHenTraTruoc: "20250714080000",
        NgayHenTraMoi: "20250717140000",
      },
      { LoaiBoSung: 2, NoiDungBoSung: "Chờ xác minh", NgayYeuCau: "20250715090000", NgayTiepNhanBoSung: null, NgayHenTraTruoc: "20250717140000", NgayHenTraMoi: "20250722170000" },
    ]);
    expect(record.QuaTrinhXuLy.map((p) => [p.ThoiDiemXuLy, p.TrangThai, p.PhongBanXuLy, p.NoiDungXuLy])).toEqual([
      ["20250707090000", 4, "UBND xã Thạch Hà", "Chuyển xử lý"],
      ["20250708100000", 5, "Sở Tư pháp", "Yêu cầu bổ sung, hoàn thiện hồ sơ"],
      ["20250710140000", 4, "Sở Tư pháp", "Tiếp nhận hồ sơ bổ sung"],
      ["20250721100000", 9, "Sở Tư pháp", "Đã có kết quả"],
      ["20250722090000", 10, "Sở Tư pháp", "Trả kết quả"],
    ]);
    // The hand-off opened the review step: 2 working days from Mon 09:00 (Wed 09:00), moved by the
    // 18.5 working hours waiting for the supplement inside the step: Fri 11 Jul 11:30.
    expect(record.QuaTrinhXuLy[0]).toMatchObject({ NguoiXuLy: "Trần Thị Bình", NgayBatDau: "20250707090000", NgayKetThucTheoQuyDinh: "20250711113000" });
  });

  it("a Decree 61 dossier pauses for the supplement: the new appointment is the old one moved by the pause", () => {
    const receivedAt = at("2025-03-03T08:00:00+07:00");
    const record = recordOf(receivedAt, [
      ev("e1", "transferred", "2025-03-03T09:00:00+07:00", { toAgencyCode: JUSTICE }),
      ev("e2", "supplement_requested", "2025-03-04T08:00:00+07:00", { reason: "Thiếu giấy tờ" }),
      ev("e3", "supplement_received", "2025-03-05T08:00:00+07:00"),
    ])!;
    // Due Mon 10 Mar 08:00; paused one working day (8 h) -> Tue 11 Mar 08:00.
    expect(record.DanhSachHoSoBoSung[0]).toMatchObject({ NgayHenTraTruoc: "20250310080000", NgayHenTraMoi: "20250311080000" });
    expect(record.NgayHenTra).toBe("20250311080000");
    expect(record.TrangThaiHoSo).toBe(4);
  });

  it("waiting for the supplement: no new appointment yet; suspended for a fee: code 6, otherwise 4 with a note", () => {
    const receivedAt = at("2025-07-07T08:00:00+07:00");
    const waiting = recordOf(receivedAt, [
      ev("e1", "transferred", "2025-07-07T09:00:00+07:00", { toAgencyCode: JUSTICE }),
      ev("e2", "supplement_requested", "2025-07-08T10:00:00+07:00", { reason: "x" }),
    ])!;
    expect(waiting.TrangThaiHoSo).toBe(5);
    expect(waiting.DanhSachHoSoBoSung[0]).toMatchObject({ NgayTiepNhanBoSung: null, NgayHenTraMoi: null });
    const base = [ev("e1", "transferred", "2025-07-07T09:00:00+07:00", { toAgencyCode: JUSTICE })];
    expect(recordOf(receivedAt, [...base, ev("e2", "suspended", "2025-07-08T10:00:00+07:00", { reason: "financial_obligation" })])!).toMatchObject({ TrangThaiHoSo: 6, GhiChu: null });
    expect(recordOf(receivedAt, [...base, ev("e2", "suspended", "2025-07-08T10:00:00+07:00", { reason: "other" })])!).toMatchObject({ TrangThaiHoSo: 4, GhiChu: "Tạm dừng xử lý" });
    expect(recordOf(receivedAt, [...base, ev("e2", "stopped", "2025-07-08T10:00:00+07:00", { reason: "rút" })])!).toMatchObject({ TrangThaiHoSo: 8, NgayKetThucXuLy: "20250708100000" });
  });

  it("no record for a cancelled dossier (no national status)", () => {
    expect(recordOf(at("2025-07-07T08:00:00+07:00"), [ev("e1", "cancelled", "2025-07-07T09:00:00+07:00")])).toBeNull();
  });

  it("dates are yyyyMMddHHmmss in Asia/Ho_Chi_Minh", () => {
    expect(portalDate(Date.UTC(2025, 0, 1, 17, 0, 0))).toBe("20250102000000");
    expect(portalDate(Date.UTC(2025, 0, 1, 16, 59, 59, 999))).toBe("20250101235959");
    expect(parsePortalDate("20250102000000")).toBe(Date.UTC(2025, 0, 1, 17));
    expect(parsePortalDate("2025-01-02")).toBeNull();
  });
});

describe("the record's general laws (random lifecycles on the real calendar)", () => {
  const FROM = at("2024-06-01T00:00:00+07:00");
  const TO = at("2026-06-01T00:00:00+07:00");
  type Step = { kind: number; gap: number };
  const lifecycle = fc.record({
    receivedAt: fc.integer({ min: FROM, max: TO }),
    // Gaps of at least 1 ms: events at one instant are folded in lifecycle order (dossier-fold.ts), which this walk does not model.
    steps: fc.array(fc.record({ kind: fc.nat(9), gap: fc.integer({ min: 1, max: 5 * 86_400_000 }) }), { maxLength: 14 }),
    letter: fc.option(fc.integer({ min: 1, max: 10 * 86_400_000 }), { nil: null }),
  });

  /** A valid walk through DOMAIN.md §3 driven by the random choices. */
  function walk(receivedAt: number, steps: readonly Step[]): DossierEvent[] {
    const events: DossierEvent[] = [];
    let status = "received";
    let t = receivedAt;
    steps.forEach((s, i) => {
      t += s.gap;
      const id = `e${String(i).padStart(2, "0")}`;
      const push = (type: DossierEvent["type"], fields: Record<string, unknown> = {}) => events.push(ev(id, type, new Date(t).toISOString(), fields));
      if (status === "received" || (status === "in_progress" && s.kind < 3)) {
        push("transferred", { toAgencyCode: s.kind % 2 ? DISTRICT : JUSTICE });
        status = "in_progress";
      } else if (status === "in_progress" && s.kind < 5) {
        push("supplement_requested", { reason: `r${i}` });
        status = "supplement_requested";
      } else if (status === "in_progress" && s.kind < 7) {
        push("suspended", { reason: s.kind === 5 ? "financial_obligation" : "other" });
        status = "suspended";
      } else if (status === "in_progress" && s.kind < 9) {
        push("result_ready", { outcome: "approved" });
        status = "result_ready";
      } else if (status === "supplement_requested") {
        push("supplement_received");
        status = "in_progress";
      } else if (status === "suspended") {
        push("resumed");
        status = "in_progress";
      } else if (status === "result_ready") {
        push("returned", { method: s.kind % 2 ? "postal" : "counter" });
        status = "returned";
      }
    });
    return events;
  }

  const dateFields = (r: PortalRecord): (string | null)[] => [
    r.NgayTiepNhan,
    r.NgayHenTra,
    r.NgayKetThucXuLy,
    r.NgayTra,
    ...r.DanhSachHoSoBoSung.flatMap((a) => [a.NgayYeuCau, a.NgayTiepNhanBoSung, a.NgayHenTraTruoc, a.NgayHenTraMoi]),
    ...r.QuaTrinhXuLy.flatMap((p) => [p.ThoiDiemXuLy, p.NgayBatDau, p.NgayKetThucTheoQuyDinh]),
  ];

  it("every date is 14 digits and reads back as the same instant in +07:00 (to the second); codes are §3's; amendments in order", () => {
    fc.assert(
      fc.property(lifecycle, ({ receivedAt, steps, letter }) => {
        const events = walk(receivedAt, steps);
        const extensions = letter === null ? [] : [{ issuedAt: receivedAt + letter, originalDueAt: receivedAt + letter, newDueAt: receivedAt + 2 * letter, reason: "gia hạn" }];
        const record = recordOf(receivedAt, events, { extensions })!;
        for (const d of dateFields(record)) {
          if (d === null) continue;
          expect(d).toMatch(/^\d{14}$/);
          const back = parsePortalDate(d)!;
          expect(portalDate(back)).toBe(d);
          // Vietnam-local wall time: the same digits as the instant's +07:00 ISO form.
          expect(new Date(back + 7 * 3_600_000).toISOString().slice(0, 19).replace(/[-T:]/g, "")).toBe(d);
        }
        expect(parsePortalDate(record.NgayTiepNhan)).toBe(Math.floor(receivedAt / 1000) * 1000);
        expect([2, 4, 5, 6, 7, 8, 9, 10]).toContain(record.TrangThaiHoSo);
        for (const p of record.QuaTrinhXuLy) expect([2, 4, 5, 6, 7, 8, 9, 10]).toContain(p.TrangThai);
        expect(record.QuaTrinhXuLy).toHaveLength(events.length);
        const asked = record.DanhSachHoSoBoSung.map((a) => a.NgayYeuCau);
        expect([...asked].sort()).toEqual(asked);
        expect(record.DanhSachHoSoBoSung.filter((a) => a.LoaiBoSung === 1)).toHaveLength(events.filter((e) => e.type === "supplement_requested").length);
        // Under Decree 118 (received from 1 Jul 2025) a completed supplement restarts the clock from
        // its arrival (art. 19(5)): never an earlier appointment than the arrival.
        const restart = receivedAt >= at("2025-07-01T00:00:00+07:00");
        for (const a of record.DanhSachHoSoBoSung.filter((x) => restart && x.LoaiBoSung === 1 && x.NgayHenTraMoi !== null))
          expect(parsePortalDate(a.NgayHenTraMoi!)!).toBeGreaterThanOrEqual(parsePortalDate(a.NgayTiepNhanBoSung!)!);
      }),
      { numRuns: 100 },
    );
  });
});
