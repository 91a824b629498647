/**
 * The register (Mẫu 07) and report 06 as Excel workbooks (.xlsx), for people who open them in a
 * spreadsheet (issue #14 item 10). Why a workbook besides the CSV: a CSV carries no types, so the
 * program guesses them with the reader's locale. In vi-VN the decimal separator is "," (and Excel's
 * list separator ";"): a rate "87.50" becomes text or 8750, a comma-separated file may open as one
 * column, a phone number loses its leading 0. A `sep=` line would fix the separator for Excel
 * only and shows up as a data row in every other CSV reader. In a workbook every cell says what it
 * is: numbers are numbers (shown "87,50" in vi-VN), text is text in UTF-8, instants are dates;
 * and text is never a formula, so nothing needs neutralising. The CSV stays for programs.
 *
 * Written with write-excel-file (one dependency, fflate; in memory, no temporary files).
 */
import writeXlsxFile, { type Cell, type Row } from "write-excel-file/node";
import type { RegisterForm, RegisterRow } from "../domain/forms/form-models.js";
import type { TimelinessRow } from "../domain/statistics/timeliness-row.js";
import { REGISTER_CSV_HEADINGS } from "./register-csv.js";
import { TIMELINESS_CSV_HEADINGS } from "./timeliness-csv.js";

export const XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** Vietnam has kept UTC+07:00 without daylight saving since 1975. */
const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;
const DATE_TIME_FORMAT = "dd/mm/yyyy hh:mm";
const RATE_FORMAT = "0.00";

const heading = (value: string): Cell => ({ value, type: String, fontWeight: "bold", wrap: true, alignVertical: "center" });
const text = (value: string | null): Cell => (value === null ? null : { value: value.normalize("NFC"), type: String });
const count = (value: number): Cell => ({ value, type: Number });

/**
 * An instant as the Vietnam wall-clock time a reader expects: spreadsheet dates have no time zone,
 * and write-excel-file writes a Date's UTC fields, so the Date is shifted by +07:00.
 */
const instant = (iso: string | null): Cell =>
  iso === null ? null : { value: new Date(Date.parse(iso) + VIETNAM_OFFSET_MS), type: Date, format: DATE_TIME_FORMAT };

const CHANNEL_TEXT = { direct: "Trực tiếp", online: "Trực tuyến", postal: "Bưu chính công ích" } as const;

function registerRow(r: RegisterRow): Row {
  return [
    count(r.seq),
    text(r.receiptCode),
    text(r.procedureName),
    text(r.applicantName),
    text(r.applicantAddress),
    // Text: a phone number keeps its leading 0.
    text(r.applicantPhone),
    text(r.handlingAgencyName),
    text(CHANNEL_TEXT[r.channel]),
    instant(r.receivedAt),
    instant(r.appointmentAt),
    instant(r.rescheduledDueAt),
    instant(r.finishedAt),
    instant(r.returnedAt),
    text(r.statusText),
    text(r.timelinessText),
  ];
}

/** The register, one row per dossier under the same Vietnamese headings as the CSV. */
export async function registerXlsx(form: RegisterForm): Promise<Buffer> {
  const rows: Row[] = [REGISTER_CSV_HEADINGS.map(heading), ...form.rows.map(registerRow)];
  const widths = [6, 24, 30, 24, 28, 14, 24, 16, 17, 17, 17, 17, 17, 18, 18];
  return toBuffer(rows, "Sổ theo dõi hồ sơ", widths);
}

function timelinessRow(r: TimelinessRow): Row {
  return [
    text(r.key),
    text(r.label),
    count(r.received.carriedOver + r.received.new),
    count(r.received.carriedOver),
    count(r.received.new),
    count(r.received.online),
    count(r.received.offline),
    count(r.resolved.total),
    count(r.resolved.early),
    count(r.resolved.onTime),
    count(r.resolved.late),
    count(r.pending.total),
    count(r.pending.withinTime),
    count(r.pending.overdue),
    count(r.stopped),
    count(r.apologyLetters),
    r.onTimeRate === null ? null : { value: r.onTimeRate, type: Number, format: RATE_FORMAT },
    count(r.overdueDuties.total),
  ];
}

/** Report 06: the group rows, then the total row, under the headings of Biểu 06/VPCP/KSTT. */
export async function timelinessXlsx(rows: readonly TimelinessRow[], total: TimelinessRow): Promise<Buffer> {
  const sheet: Row[] = [TIMELINESS_CSV_HEADINGS.map(heading), ...rows.map(timelinessRow), timelinessRow(total)];
  const widths = [16, 36, ...TIMELINESS_CSV_HEADINGS.slice(2).map(() => 14)];
  return toBuffer(sheet, "Biểu 06", widths);
}

async function toBuffer(rows: Row[], sheet: string, widths: readonly number[]): Promise<Buffer> {
  return writeXlsxFile(rows, { sheet, columns: widths.map((width) => ({ width })), stickyRowsCount: 1 }, { fontFamily: "Arial", fontSize: 11 }).toBuffer();
}
