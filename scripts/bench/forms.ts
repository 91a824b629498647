/**
 * Printable forms benchmark: `npx tsx scripts/bench/forms.ts [--seconds 3]`.
 *
 * Renders, one after another, the Mẫu 01 receipt, a Mẫu 06 control sheet of 40 hand-offs and a
 * Mẫu 07 register of 500 dossiers (src/documents, the same code the routes run), against a
 * baseline measured in the same run: an A4 document with the same fonts and one line of text (what
 * any PDF costs here: pdfkit's set-up, font subsetting, compression). Each is measured twice:
 * in-process (on the event loop) and through the rendering worker the routes use
 * (src/documents/pdf-renderer.ts). Reports PDFs a second, the time per PDF, its size, and how long
 * the event loop was held meanwhile (p99 and max of Node's event-loop delay histogram): that is
 * how long a dossier lookup arriving during the rendering waits.
 * Results and the decision they support: docs/BENCHMARKS.md "Printable forms".
 */
import os from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { formFor } from "../../src/domain/forms/form-catalog.js";
import type { ControlSheetForm, FormAgency, FormDossier, HandOff, PrintableForm, ReceiptForm, RegisterForm, RegisterRow } from "../../src/domain/forms/form-models.js";
import { renderFormPdf } from "../../src/documents/render-form.js";
import { newForm, preloadPdfEngine, toBuffer } from "../../src/documents/pdf-form.js";
import { createPdfRenderer } from "../../src/documents/pdf-renderer.js";

const argSeconds = process.argv.indexOf("--seconds");
const SECONDS = argSeconds > 0 ? Number(process.argv[argSeconds + 1]) : 3;

const agency: FormAgency = { code: "000.00.01.H42", name: "Sở Nông nghiệp và Môi trường tỉnh Hà Tĩnh", parentName: "Ủy ban nhân dân tỉnh Hà Tĩnh", place: "Hà Tĩnh" };
const date = "2025-10-20T09:15:00+07:00";
const dossier: FormDossier = {
  receiptCode: "000.00.01.H42-251020-0007",
  procedureName: "Cấp giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất lần đầu",
  receivedAt: date,
  receivingAgencyName: "Trung tâm Phục vụ hành chính công tỉnh Hà Tĩnh",
  applicant: { kind: "citizen", name: "Nguyễn Thị Minh Khai", address: "Số 12 đường Phan Đình Phùng, phường Thành Sen, tỉnh Hà Tĩnh", phone: "0912345678", email: null },
};
const days = (value: number) => ({ value, unit: "working_days" as const });

const receipt: ReceiptForm & { kind: "receipt" } = {
  kind: "receipt",
  form: formFor("receipt", Date.parse(date))!,
  agency,
  date,
  dossier,
  documents: [
    { name: "Đơn đăng ký, cấp giấy chứng nhận (Mẫu số 04/ĐK)", originals: 1 },
    { name: "Giấy tờ về quyền sử dụng đất", copies: 1 },
  ],
  setCount: 1,
  legalDuration: days(20),
  legalDurationText: "20 ngày làm việc",
  committedDuration: days(14),
  committedDurationText: "14 ngày làm việc",
  appointmentAt: "2025-11-07T09:15:00+07:00",
  channel: "direct",
  collection: "Bộ phận Tiếp nhận và Trả kết quả, Trung tâm Phục vụ hành chính công tỉnh Hà Tĩnh",
  handlingAgencyName: agency.name,
};

const handOffs: HandOff[] = Array.from({ length: 40 }, (_, i) => ({
  seq: i + 1,
  fromAgencyCode: i === 0 ? null : "000.00.01.H42",
  fromName: i === 0 ? "Tổ chức, cá nhân nộp hồ sơ" : i % 2 ? "Sở Nông nghiệp và Môi trường tỉnh Hà Tĩnh" : "Văn phòng Đăng ký đất đai tỉnh Hà Tĩnh",
  toAgencyCode: "000.00.02.H42",
  toName: i % 2 ? "Văn phòng Đăng ký đất đai tỉnh Hà Tĩnh" : "Sở Nông nghiệp và Môi trường tỉnh Hà Tĩnh",
  at: `2025-10-${String(20 + Math.floor(i / 8)).padStart(2, "0")}T${String(8 + (i % 8)).padStart(2, "0")}:00:00+07:00`,
  by: "Trần Văn Bình",
  stepCode: `step-${i + 1}`,
  stepName: "Thẩm định hồ sơ, kiểm tra thực địa",
  budget: days(0.25),
  budgetText: "0,25 ngày làm việc",
  dueAt: "2025-10-21T10:00:00+07:00",
  leftAt: "2025-10-21T09:00:00+07:00",
  result: i % 3 === 0 ? "late" : "on_time",
  resultText: i % 3 === 0 ? "Quá hạn" : "Đúng hạn",
}));

const controlSheet: ControlSheetForm & { kind: "control_sheet" } = {
  kind: "control_sheet",
  form: formFor("control_sheet", Date.parse(date))!,
  agency,
  date,
  dossier,
  handlingAgencyName: agency.name,
  legalDurationText: "20 ngày làm việc",
  committedDurationText: "14 ngày làm việc",
  appointmentAt: "2025-11-07T09:15:00+07:00",
  dueAt: "2025-11-07T09:15:00+07:00",
  rescheduledDueAt: null,
  status: "in_progress",
  statusText: "Đang xử lý",
  handOffs,
  duties: [],
};

const registerRows: RegisterRow[] = Array.from({ length: 500 }, (_, i) => ({
  seq: i + 1,
  receiptCode: `000.00.01.H42-2510${String(1 + (i % 28)).padStart(2, "0")}-${String(i + 1).padStart(4, "0")}`,
  procedureName: "Cấp giấy chứng nhận quyền sử dụng đất lần đầu",
  applicantName: "Nguyễn Thị Minh Khai",
  applicantAddress: "Số 12 đường Phan Đình Phùng, phường Thành Sen",
  applicantPhone: "0912345678",
  handlingAgencyName: "Sở Nông nghiệp và Môi trường",
  channel: "direct",
  receivedAt: date,
  appointmentAt: date,
  rescheduledDueAt: null,
  finishedAt: date,
  returnedAt: null,
  status: "result_ready",
  statusText: "Đã có kết quả",
  timeliness: "on_time",
  timelinessText: "Đúng hạn",
}));
const register: RegisterForm & { kind: "register" } = {
  kind: "register",
  form: formFor("register", Date.parse("2025-10-31T00:00:00+07:00"))!,
  agency,
  date: "2025-10-31T00:00:00+07:00",
  from: "2025-10-01",
  to: "2025-10-31",
  rows: registerRows,
};

async function baseline(): Promise<Buffer> {
  const doc = await newForm({ title: "baseline", created: new Date(Date.parse(date)) });
  doc.text("Cộng hòa xã hội chủ nghĩa Việt Nam");
  return toBuffer(doc);
}

interface Result {
  readonly label: string;
  readonly perSecond: number;
  readonly msPerPdf: number;
  readonly bytes: number;
  readonly pages: number;
  readonly p99BlockMs: number;
  readonly maxBlockMs: number;
}

async function measure(label: string, render: () => Promise<Buffer>): Promise<Result> {
  for (let i = 0; i < 20; i++) await render(); // warm-up: JIT, font tables
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  let count = 0;
  let bytes = 0;
  let last: Buffer = Buffer.alloc(0);
  const t0 = process.hrtime.bigint();
  const until = Number(t0) + SECONDS * 1e9;
  while (Number(process.hrtime.bigint()) < until) {
    last = await render();
    bytes += last.length;
    count++;
    // Let the loop turn between renders, as a server would, so that each render's hold is sampled.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  histogram.disable();
  const pages = (last.toString("latin1").match(/\/Type \/Page\b/g) ?? []).length;
  return {
    label,
    perSecond: count / seconds,
    msPerPdf: (seconds * 1000) / count,
    bytes: Math.round(bytes / count),
    pages,
    p99BlockMs: histogram.percentile(99) / 1e6,
    maxBlockMs: histogram.max / 1e6,
  };
}

await preloadPdfEngine();
const worker = createPdfRenderer({ workers: 1 });
await worker.render(receipt); // starts the thread and loads its fonts
const results: Result[] = [];
results.push(await measure("baseline (A4, fonts, one line)", baseline));
for (const [label, form] of [
  ["Mẫu 01 receipt", receipt],
  ["Mẫu 06 control sheet, 40 hand-offs", controlSheet],
  ["Mẫu 07 register, 500 rows", register],
] as const) {
  results.push(await measure(`${label}, in-process`, () => renderFormPdf(form as PrintableForm)));
  results.push(await measure(`${label}, worker`, () => worker.render(form as PrintableForm)));
}
await worker.close();

const base = results[0]!;
console.log(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${SECONDS} s per measurement`);
console.log("form                                           PDFs/s   ms/PDF  × baseline  pages    KiB   loop held p99 / max (ms)");
for (const r of results)
  console.log(
    `${r.label.padEnd(46)} ${r.perSecond.toFixed(1).padStart(6)} ${r.msPerPdf.toFixed(1).padStart(8)} ${(r.msPerPdf / base.msPerPdf).toFixed(1).padStart(11)} ${String(r.pages).padStart(6)} ${(r.bytes / 1024).toFixed(0).padStart(6)}   ${r.p99BlockMs.toFixed(1)} / ${r.maxBlockMs.toFixed(1)}`,
  );
