/**
 * How a status is shown to people (Vietnamese first, the language of the forms) and to the
 * National Public Service Portal (its TrangThaiHoSo codes 1–10, DOMAIN.md §3).
 */
import type { DossierStatus, SuspensionReason } from "./dossier-types.js";

export const STATUS_LABELS: Readonly<Record<DossierStatus, { readonly vi: string; readonly en: string }>> = Object.freeze({
  received: { vi: "Đã tiếp nhận", en: "Received" },
  in_progress: { vi: "Đang xử lý", en: "In progress" },
  supplement_requested: { vi: "Yêu cầu bổ sung hồ sơ", en: "Supplement requested" },
  suspended: { vi: "Tạm dừng xử lý", en: "Suspended" },
  withdrawal_requested: { vi: "Đề nghị rút hồ sơ", en: "Withdrawal requested" },
  stopped: { vi: "Dừng xử lý", en: "Stopped" },
  result_ready: { vi: "Đã có kết quả", en: "Result ready" },
  returned: { vi: "Đã trả kết quả", en: "Returned" },
  cancelled: { vi: "Đã hủy", en: "Cancelled" },
});

/**
 * The portal's TrangThaiHoSo for a motcua status (DOMAIN.md §3 table). Codes 1 (submitted online,
 * not yet received) and 3 (refused at reception) never apply: a dossier exists once received.
 * `cancelled` has no code (null): it corrects a data-entry error and removes the dossier from
 * statistics, so it must not be reported as any real state.
 */
export function nationalStatusCode(status: DossierStatus, suspensionReason?: SuspensionReason): number | null {
  switch (status) {
    case "received":
      return 2;
    case "in_progress":
      return 4;
    case "supplement_requested":
      return 5;
    case "suspended":
      // Code 6 means only "waiting for the applicant's financial obligation". The portal has no
      // code for other suspensions; the agency still owes the result and the dossier is with it,
      // so the nearest truthful national status is 4 "being processed" (our own status and the
      // paused clock keep the detail).
      return suspensionReason === "financial_obligation" ? 6 : 4;
    case "withdrawal_requested":
      return 7;
    case "stopped":
      return 8;
    case "result_ready":
      return 9;
    case "returned":
      return 10;
    case "cancelled":
      return null;
  }
}
