/**
 * The Vietnamese wording the forms share: durations, how the applicant is addressed, the result's
 * timeliness, the Decree 118/2025 duties and the known stop reasons. Pure text, no layout.
 */
import type { Duration } from "../calendar/calendar-types.js";
import type { DutyKind, DutyStatus } from "../dossier/duties.js";
import type { Applicant, Channel, Timeliness } from "../dossier/dossier-types.js";

/** "5 ngày làm việc", "3,5 ngày làm việc", "4 giờ làm việc", "30 ngày", "trong ngày" (a decimal comma, as Vietnamese prints it). */
export function durationText(duration: Duration): string {
  const value = String(duration.value).replace(".", ",");
  switch (duration.unit) {
    case "working_days":
      return `${value} ngày làm việc`;
    case "working_hours":
      return `${value} giờ làm việc`;
    case "calendar_days":
      return `${value} ngày`;
    case "same_day":
      return "trong ngày";
  }
}

/** "Ông/Bà Nguyễn Văn An" for a citizen; an organisation or business by its name alone. */
export const addressee = (applicant: Pick<Applicant, "kind" | "name">) => (applicant.kind === "citizen" ? `Ông/Bà ${applicant.name}` : applicant.name);

/** How the body refers to the applicant. */
export const you = (applicant: Pick<Applicant, "kind">) => (applicant.kind === "citizen" ? "Ông/Bà" : "Quý cơ quan, tổ chức");

/**
 * Where the result is collected (Circular 03/2025 Mẫu 01 "Đăng ký nhận kết quả tại"; Decree
 * 118/2025 art. 22: at the desk, through the public postal service, or online).
 */
export function collectionText(channel: Channel, receivingAgencyName: string): string {
  switch (channel) {
    case "direct":
      return `Bộ phận Tiếp nhận và Trả kết quả, ${receivingAgencyName}`;
    case "postal":
      return "Qua dịch vụ bưu chính công ích, tại địa chỉ của người nộp hồ sơ";
    case "online":
      return "Trực tuyến, trên Cổng Dịch vụ công (hoặc tại Bộ phận Tiếp nhận và Trả kết quả)";
  }
}

/** A step's or a dossier's result as the control sheet prints it (Circular 03/2025 Mẫu 06: trước hạn / đúng hạn / quá hạn). */
export const TIMELINESS_TEXT: Readonly<Record<Timeliness | "overdue" | "in_progress", string>> = {
  early: "Trước hạn",
  on_time: "Đúng hạn",
  late: "Quá hạn",
  overdue: "Đang quá hạn",
  in_progress: "Đang giải quyết",
};

/** The Decree 118/2025 duties (DOMAIN.md §10), each with its article. */
export const DUTY_TEXT: Readonly<Record<DutyKind, string>> = {
  transfer: "Chuyển hồ sơ đến cơ quan giải quyết (Điều 18 khoản 2)",
  online_acceptance: "Tiếp nhận hoặc hướng dẫn bổ sung hồ sơ trực tuyến (Điều 17 khoản 2)",
  supplement_request_window: "Yêu cầu bổ sung, hoàn thiện hồ sơ trong 03 ngày làm việc (Điều 19 khoản 5)",
  supplement_completion: "Tổ chức, cá nhân bổ sung, hoàn thiện hồ sơ (Điều 19 khoản 5)",
  consultation_reply: "Trả lời văn bản lấy ý kiến (Điều 19 khoản 4)",
  extension_notice: "Văn bản xin lỗi và đề nghị gia hạn (Điều 19 khoản 6)",
  result_correction: "Sửa đổi, bổ sung kết quả có sai sót (Điều 23 khoản 1)",
};

export const DUTY_STATUS_TEXT: Readonly<Record<DutyStatus, string>> = {
  pending: "Đang trong hạn",
  done_in_time: "Đúng hạn",
  done_late: "Quá hạn",
  overdue: "Quá hạn, chưa thực hiện",
};

/**
 * Stop reasons motcua records as codes, in words. Decree 118/2025 art. 19(5): the desk closes a
 * dossier whose supplement was not completed within the limit. Any other reason is printed as
 * recorded.
 */
const STOP_REASONS: Readonly<Record<string, string>> = {
  supplement_not_completed:
    "Quá thời hạn bổ sung, hoàn thiện hồ sơ theo Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ mà hồ sơ chưa được bổ sung, hoàn thiện (khoản 5 Điều 19 Nghị định số 118/2025/NĐ-CP)",
  withdrawn: "Tổ chức, cá nhân đề nghị rút hồ sơ",
};

export const stopReasonText = (reason: string): string => STOP_REASONS[reason] ?? reason;
