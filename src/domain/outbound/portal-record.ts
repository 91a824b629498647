/**
 * The dossier as the National Public Service Portal (Cổng Dịch vụ công quốc gia) receives it: the
 * DongBoHoSoMC record (DOMAIN.md §8). Decree 118/2025 art. 27(2)(d) requires every provincial
 * system to "đồng bộ đầy đủ thông tin, trạng thái … với Cổng Dịch vụ công quốc gia": full
 * information and status, so the record is rebuilt whole from the dossier's replayed history at
 * every change (the portal is idempotent by MaHoSo: the latest record wins), never patched.
 *
 * Pure: the caller passes the fold's state evaluated at `now` (evaluateDossier), the replay it came
 * from, the events, the procedure version, the apology/extension letters and agency names.
 * Field names follow the message as implemented by OpenCPS and provincial systems (DOMAIN.md §8);
 * those marked "motcua" below are our reading where the message's documentation is not in our
 * sources, to be checked against the portal's integration guide before going live.
 */
import type { Duration } from "../calendar/calendar-types.js";
import type { WorkingCalendar } from "../calendar/working-calendar.js";
import { computeDueAt, laterBy, orderEvents, type ClockPoint, type DossierReplay, type DossierState } from "../dossier/dossier-fold.js";
import type { Applicant, ApplicantKind, Channel, DossierEvent, DossierStatus, SuspensionReason } from "../dossier/dossier-types.js";
import { nationalStatusCode, STATUS_LABELS } from "../dossier/status-labels.js";

/** DOMAIN.md §3: the portal's TrangThaiHoSo codes. */
export const NATIONAL_STATUS_CODES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;

/** DOMAIN.md §8: KenhThucHien 1 direct, 2 online, 3 postal (bưu chính công ích). */
export const CHANNEL_CODES: Readonly<Record<Channel, 1 | 2 | 3>> = Object.freeze({ direct: 1, online: 2, postal: 3 });

/**
 * DOMAIN.md §8: LoaiDoiTuong 1 citizen, 2 business, 3 state agency, 4 organisation. motcua's
 * applicants are citizens, businesses or organisations (a state agency applying is recorded as
 * an organisation, so 3 is never sent).
 */
export const APPLICANT_KIND_CODES: Readonly<Record<ApplicantKind, 1 | 2 | 4>> = Object.freeze({ citizen: 1, business: 2, organization: 4 });

/** motcua: what a DanhSachHoSoBoSung entry records — 1 a supplement (Decree 118/2025 art. 19(5)), 2 an extension (art. 19(6)). */
export const AMENDMENT_KINDS = { supplement: 1, extension: 2 } as const;

/** `yyyyMMddHHmmss` (DOMAIN.md §8). */
export type PortalDate = string;

export interface PortalAmendment {
  /** motcua: 1 supplement, 2 extension. */
  readonly LoaiBoSung: 1 | 2;
  /** The supplement request's reason, or the extension letter's. */
  readonly NoiDungBoSung: string;
  /** When it was requested (supplement) or the letter dated (extension). */
  readonly NgayYeuCau: PortalDate;
  /** When the complete supplement arrived; null while waiting, and for an extension. */
  readonly NgayTiepNhanBoSung: PortalDate | null;
  /** The appointment before: the due instant just before the request / the letter. */
  readonly NgayHenTraTruoc: PortalDate;
  /** The appointment after: once the supplement arrived (restarted or moved by the pause), or the extension's new date; null while waiting. */
  readonly NgayHenTraMoi: PortalDate | null;
}

export interface PortalProgressEntry {
  readonly NguoiXuLy: string | null;
  /** motcua records no job titles: null. */
  readonly ChucDanh: string | null;
  readonly ThoiDiemXuLy: PortalDate;
  /** The agency acting (its name, else its code). */
  readonly PhongBanXuLy: string;
  readonly NoiDungXuLy: string;
  /** The national status code after the step (§3). */
  readonly TrangThai: number;
  /** For a hand-off: when the step it opened began, and its budget's end (DOMAIN.md §4 "Steps"). */
  readonly NgayBatDau: PortalDate | null;
  readonly NgayKetThucTheoQuyDinh: PortalDate | null;
}

export interface PortalRecord {
  readonly MaHoSo: string;
  readonly MaTTHC: string;
  readonly TenTTHC: string;
  readonly MaLinhVuc: string;
  readonly TenLinhVuc: string;
  readonly KenhThucHien: 1 | 2 | 3;
  readonly ChuHoSo: string;
  readonly LoaiDoiTuong: 1 | 2 | 4;
  readonly SoGiayToChuHoSo: string;
  readonly SoDienThoai: string | null;
  readonly Email: string | null;
  readonly TrichYeuHoSo: string | null;
  readonly NgayTiepNhan: PortalDate;
  readonly NgayHenTra: PortalDate;
  readonly TrangThaiHoSo: number;
  readonly NgayKetThucXuLy: PortalDate | null;
  readonly NgayTra: PortalDate | null;
  readonly DonViXuLy: string;
  /** 1 when the result is returned by post. */
  readonly HinhThuc: 0 | 1;
  readonly DuocThanhToanTrucTuyen: 0 | 1;
  readonly HoSoCoThanhPhanSoHoa: 0 | 1;
  readonly GhiChu: string | null;
  readonly DanhSachHoSoBoSung: readonly PortalAmendment[];
  /** motcua: the list name for the progress entries (DOMAIN.md §8 "progress entries"). */
  readonly QuaTrinhXuLy: readonly PortalProgressEntry[];
}

export interface PortalRecordInput {
  readonly dossier: {
    readonly receiptCode: string;
    readonly procedureCode: string;
    readonly channel: Channel;
    readonly applicant: Applicant;
    readonly summary: string | null;
    readonly receivedAt: number;
    readonly handlingAgencyCode: string;
    readonly digitized: boolean;
    readonly paidOnline: boolean;
  };
  readonly procedure: { readonly name: string; readonly fieldCode: string; readonly fieldName: string; readonly committedDuration: Duration };
  /** The replay of the dossier's events and its state evaluated at the instant of the record. */
  readonly replay: DossierReplay;
  readonly state: DossierState;
  readonly events: readonly DossierEvent[];
  /** The apology/extension letter(s) (DOMAIN.md §5), any order. */
  readonly extensions: readonly { readonly issuedAt: number; readonly originalDueAt: number; readonly newDueAt: number; readonly reason: string }[];
  readonly agencyName: (code: string) => string | undefined;
  readonly calendar: WorkingCalendar;
}

const VN_OFFSET_MS = 7 * 3_600_000;

/**
 * `yyyyMMddHHmmss` in Asia/Ho_Chi_Minh (DOMAIN.md §8). Vietnam has kept UTC+07:00 without
 * daylight saving since 1975, so a fixed offset is exact for every dossier; seconds are
 * truncated (the format has no fraction).
 */
export function portalDate(ms: number): PortalDate {
  const local = new Date(Math.floor(ms / 1000) * 1000 + VN_OFFSET_MS).toISOString(); // 2025-03-03T08:00:00.000Z in local wall time
  return local.slice(0, 19).replace(/[-T:]/g, "");
}

/** The instant of a `yyyyMMddHHmmss` read as Vietnam time (the inverse of portalDate, to the second). */
export function parsePortalDate(text: PortalDate): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const utc = new Date(0);
  utc.setUTCFullYear(y, mo - 1, d);
  utc.setUTCHours(h, mi, s, 0);
  return utc.getTime() - VN_OFFSET_MS;
}

const date = (ms: number | null): PortalDate | null => (ms === null ? null : portalDate(ms));

/** What the desk did, in words for the progress entry (Vietnamese: the portal's language). */
const EVENT_WORDS: Readonly<Record<DossierEvent["type"], string>> = Object.freeze({
  transferred: "Chuyển xử lý",
  consultation_requested: "Lấy ý kiến cơ quan liên quan",
  consultation_replied: "Cơ quan được lấy ý kiến trả lời",
  supplement_requested: "Yêu cầu bổ sung, hoàn thiện hồ sơ",
  supplement_received: "Tiếp nhận hồ sơ bổ sung",
  suspended: "Tạm dừng xử lý",
  resumed: "Tiếp tục xử lý",
  result_ready: "Đã có kết quả",
  returned: "Trả kết quả",
  correction_requested: "Yêu cầu đính chính kết quả",
  result_corrected: "Đính chính kết quả",
  withdrawal_requested: "Đề nghị rút hồ sơ",
  stopped: "Dừng xử lý",
  cancelled: "Hủy hồ sơ",
});

/**
 * The DongBoHoSoMC record, or null for a cancelled dossier: cancellation corrects a data-entry
 * error and has no national status (DOMAIN.md §3; status-labels.ts), so there is nothing true
 * to send — removing a record already sent is the portal operator's act, not a status.
 */
export function buildPortalRecord(input: PortalRecordInput): PortalRecord | null {
  const { dossier, procedure, replay, state, calendar } = input;
  const status = state.nationalStatusCode;
  if (status === null || state.status === "cancelled") return null;
  const ordered = orderEvents(input.events);
  const name = (code: string) => input.agencyName(code) ?? code;

  // The committed due instant as the clock stood at a point of the replay (its pauses ended by then).
  const dueAtPoint = (p: ClockPoint) => laterBy(calendar, computeDueAt(calendar, p.clockStartedAt, procedure.committedDuration), p.closedDueMinutes);

  // Supplements (Decree 118/2025 art. 19(5); Decree 61/2018 before: the pause): the appointment
  // just before the request, and the one once the complete supplement arrived — restarted from
  // that day under art. 19(5), or moved by the pause. The timeline is in fold order, and points
  // has one entry per event after the reception point: points[i + 1] follows ordered[i].
  const amendments: { at: number; entry: PortalAmendment }[] = [];
  let open: { at: number; reason: string; before: number } | null = null;
  const closeSupplement = (receivedAt: number | null, after: number | null) => {
    if (open === null) return;
    amendments.push({
      at: open.at,
      entry: {
        LoaiBoSung: AMENDMENT_KINDS.supplement,
        NoiDungBoSung: open.reason,
        NgayYeuCau: portalDate(open.at),
        NgayTiepNhanBoSung: date(receivedAt),
        NgayHenTraTruoc: portalDate(open.before),
        NgayHenTraMoi: date(after),
      },
    });
    open = null;
  };

  const progress: PortalProgressEntry[] = [];
  let suspension: SuspensionReason | undefined;
  ordered.forEach((event, i) => {
    const before = replay.points[i]!;
    const after = replay.points[i + 1]!;
    const entry = replay.timeline[i];
    const statusAfter: DossierStatus = entry?.statusAfter ?? after.status;
    if (event.type === "suspended") suspension = event.reason;
    else if (statusAfter !== "suspended") suspension = undefined;

    if (event.type === "supplement_requested") {
      closeSupplement(null, null); // a second request while one is open (flagged by the fold): the first never completed
      open = { at: event.occurredAt, reason: event.reason, before: dueAtPoint(before) };
    } else if (event.type === "supplement_received") closeSupplement(event.occurredAt, dueAtPoint(after));

    const opened = event.type === "transferred" ? state.steps.find((s) => s.enteredByEventId === event.eventId) : undefined;
    const agency = event.type === "transferred" ? event.toAgencyCode : event.agencyCode;
    progress.push({
      NguoiXuLy: event.actor?.name ?? null,
      ChucDanh: null,
      ThoiDiemXuLy: portalDate(event.occurredAt),
      PhongBanXuLy: name(agency),
      NoiDungXuLy: event.note === undefined ? EVENT_WORDS[event.type] : `${EVENT_WORDS[event.type]}: ${event.note}`,
      TrangThai: nationalStatusCode(statusAfter, suspension) ?? status,
      NgayBatDau: opened === undefined ? null : portalDate(opened.enteredAt),
      NgayKetThucTheoQuyDinh: opened?.dueAt == null ? null : portalDate(opened.dueAt),
    });
  });
  closeSupplement(null, null);

  // Extensions (Decree 118/2025 art. 19(6): "căn cứ Phiếu đề nghị gia hạn, Bộ phận Một cửa điều
  // chỉnh lại thời gian trả kết quả"; Decree 61/2018: the apology letter's new appointment).
  for (const letter of input.extensions)
    amendments.push({
      at: letter.issuedAt,
      entry: {
        LoaiBoSung: AMENDMENT_KINDS.extension,
        NoiDungBoSung: letter.reason,
        NgayYeuCau: portalDate(letter.issuedAt),
        NgayTiepNhanBoSung: null,
        NgayHenTraTruoc: portalDate(letter.originalDueAt),
        NgayHenTraMoi: portalDate(letter.newDueAt),
      },
    });
  amendments.sort((a, b) => a.at - b.at || a.entry.LoaiBoSung - b.entry.LoaiBoSung);

  // The appointment now: the extension's new date where the desk moved it (art. 19(6)), unless
  // the clock has since moved later still (a restart after the letter); else the fold's due.
  const latestExtension = [...input.extensions].sort((a, b) => a.issuedAt - b.issuedAt).at(-1);
  const appointment = latestExtension === undefined ? state.dueAt : Math.max(latestExtension.newDueAt, state.dueAt);

  const returned = ordered.find((e) => e.type === "returned");
  return {
    MaHoSo: dossier.receiptCode,
    MaTTHC: dossier.procedureCode,
    TenTTHC: procedure.name,
    MaLinhVuc: procedure.fieldCode,
    TenLinhVuc: procedure.fieldName,
    KenhThucHien: CHANNEL_CODES[dossier.channel],
    ChuHoSo: dossier.applicant.name,
    LoaiDoiTuong: APPLICANT_KIND_CODES[dossier.applicant.kind],
    SoGiayToChuHoSo: dossier.applicant.idNumber,
    SoDienThoai: dossier.applicant.phone ?? null,
    Email: dossier.applicant.email ?? null,
    TrichYeuHoSo: dossier.summary,
    NgayTiepNhan: portalDate(dossier.receivedAt),
    NgayHenTra: portalDate(appointment),
    TrangThaiHoSo: status,
    // DOMAIN.md §6: the end of processing is the result (result ready); a stopped dossier ends when stopped.
    NgayKetThucXuLy: date(state.finishedAt ?? state.stoppedAt),
    NgayTra: date(state.returnedAt),
    DonViXuLy: name(dossier.handlingAgencyCode),
    HinhThuc: returned?.type === "returned" && returned.method === "postal" ? 1 : 0,
    DuocThanhToanTrucTuyen: dossier.paidOnline ? 1 : 0,
    HoSoCoThanhPhanSoHoa: dossier.digitized ? 1 : 0,
    // A suspension for another reason than the financial obligation has no national code and is
    // sent as 4 "being processed" (status-labels.ts): the note says it is paused.
    GhiChu: state.status === "suspended" && status === 4 ? STATUS_LABELS.suspended.vi : null,
    DanhSachHoSoBoSung: amendments.map((a) => a.entry),
    QuaTrinhXuLy: progress,
  };
}
