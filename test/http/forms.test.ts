/**
 * The printable forms (API.md "Printable forms", issue #13), through the real HTTP stack on a real
 * SQLite file: each of Mẫu 01–07 for a document dated on each side of 15 Sep 2025 (Circular
 * 01/2018/TT-VPCP before, Circular 03/2025/TT-VPCP from then on), its PDF's text and Title, the
 * `Form` header, the same fields as JSON, content negotiation, 404s naming why, access and audit.
 * The clock is 20 Jan 2026; the province is Hưng Yên (its place printed on every form).
 */
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, createKey, startTestApp, type TestApp } from "../support/test-app.js";
import { applicant, event, JUSTICE, PROVINCE, postEvent, received, seedProvince, TAX } from "../support/dossier-fixtures.js";
import { pdfText } from "../support/pdf-text.js";

const NOW = Date.parse("2026-01-20T10:00:00+07:00");
/** The last working day before Circular 03/2025's forms, and the first day of them. */
const OLD = "2025-09-12T08:00:00+07:00";
const NEW = "2025-09-15T08:00:00+07:00";

interface Answer {
  readonly status: number;
  readonly type: string;
  readonly form: string | undefined;
  readonly body: Buffer;
  json(): Record<string, any>;
}

async function pdfTitle(data: Uint8Array): Promise<string> {
  const doc = await getDocument({ data: new Uint8Array(data), disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
  const { info } = (await doc.getMetadata()) as { info: { Title?: string } };
  await doc.destroy();
  return info.Title ?? "";
}

describe("printable forms", () => {
  let t: TestApp;
  let justiceDesk: Record<string, string>;
  let taxDesk: Record<string, string>;
  let reporter: Record<string, string>;

  const get = async (url: string, accept?: string, auth: Record<string, string> = ADMIN): Promise<Answer> => {
    const res = await t.app.inject({ method: "GET", url, headers: { ...auth, ...(accept !== undefined ? { accept } : {}) } });
    return {
      status: res.statusCode,
      type: String(res.headers["content-type"] ?? ""),
      form: res.headers.form as string | undefined,
      body: res.rawPayload,
      json: () => JSON.parse(res.payload) as Record<string, any>,
    };
  };
  /** The PDF's text and Title, after checking it is one. */
  const printed = async (url: string, auth: Record<string, string> = ADMIN) => {
    const res = await get(url, "application/pdf", auth);
    expect(res.status, res.body.toString()).toBe(200);
    expect(res.type).toBe("application/pdf");
    expect(res.body.subarray(0, 5).toString()).toBe("%PDF-");
    const { text, pages } = await pdfText(res.body);
    return { text, pages, title: await pdfTitle(res.body), form: res.form };
  };
  const expectAll = (text: string, expected: readonly string[]) => {
    for (const e of expected) expect(text, e).toContain(e);
  };
  const expectNone = (text: string, unexpected: readonly string[]) => {
    for (const e of unexpected) expect(text, e).not.toContain(e);
  };

  beforeAll(async () => {
    t = await startTestApp({ now: () => NOW });
    await seedProvince(t);
    // The province's place; its departments inherit it.
    await t.http.put(`/v1/agencies/${PROVINCE}`).set(ADMIN).send({ name: "UBND tỉnh Hưng Yên", place: "Hưng Yên" }).expect(200);
    justiceDesk = await createKey(t, "desk", [JUSTICE]);
    taxDesk = await createKey(t, "desk", [TAX]);
    reporter = await createKey(t, "reporter");
  });
  afterAll(() => t.close());

  describe("the agency's place", () => {
    it("is stored on the agency, optional, and printed before the date of its and its departments' forms", async () => {
      const agency = (await t.http.get(`/v1/agencies/${PROVINCE}`).set(ADMIN).expect(200)).body;
      expect(agency.place).toBe("Hưng Yên");
      expect((await t.http.get(`/v1/agencies/${JUSTICE}`).set(ADMIN).expect(200)).body.place).toBeNull();
      await t.http.put(`/v1/agencies/${PROVINCE}`).set(ADMIN).send({ name: "UBND tỉnh Hưng Yên", place: "" }).expect(400);
      const code = await received(t, { receivedAt: NEW });
      expect((await printed(`/v1/dossiers/${code}/receipt`)).text).toContain("Hưng Yên, ngày 15 tháng 09 năm 2025");
    });
  });

  describe("Mẫu 01: the receipt", () => {
    it("prints Circular 01/2018's Mẫu 01 for a dossier received before 15 Sep 2025", async () => {
      const code = await received(t, { receivedAt: OLD });
      const { text, title, form, pages } = await printed(`/v1/dossiers/${code}/receipt`, justiceDesk);
      expect(form).toBe("01/2018-01");
      expect(title).toBe("Mẫu số 01 — Thông tư 01/2018/TT-VPCP — Giấy tiếp nhận hồ sơ và hẹn trả kết quả");
      expect(pages).toBe(1);
      expectAll(text, [
        "Mẫu số 01 — Thông tư 01/2018/TT-VPCP",
        "UBND TỈNH HƯNG YÊN",
        "SỞ TƯ PHÁP",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hưng Yên, ngày 12 tháng 09 năm 2025",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        `Mã hồ sơ: ${code}`,
        "Sở Tư pháp tiếp nhận hồ sơ của: Ông/Bà Nguyễn Văn An",
        "Nội dung yêu cầu giải quyết: Đăng ký khai sinh",
        "Thời gian giải quyết hồ sơ theo quy định: 5 ngày làm việc (cam kết: 3 ngày làm việc)",
        "Thời gian nhận hồ sơ: 08 giờ 00 phút, ngày 12/09/2025",
        // Friday 08:00 + 3 working days of 8 hours: Wednesday 08:00.
        "Thời gian trả kết quả giải quyết hồ sơ: 08 giờ 00 phút, ngày 17/09/2025",
        "Đăng ký nhận kết quả tại: Bộ phận Tiếp nhận và Trả kết quả, Sở Tư pháp",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
      ]);
      expectNone(text, ["03/2025"]);
    });

    it("prints Circular 03/2025's Mẫu 01 from 15 Sep 2025, the legal and committed durations on their own lines", async () => {
      const code = await received(t, { receivedAt: NEW, channel: "postal" });
      const { text, title, form } = await printed(`/v1/dossiers/${code}/receipt`);
      expect(form).toBe("03/2025-01");
      expect(title).toBe("Mẫu số 01 — Thông tư 03/2025/TT-VPCP — Giấy tiếp nhận hồ sơ và hẹn trả kết quả");
      expectAll(text, [
        "Mẫu số 01 — Thông tư 03/2025/TT-VPCP",
        "Hưng Yên, ngày 15 tháng 09 năm 2025",
        "1. Thời gian giải quyết hồ sơ theo quy định: 5 ngày làm việc.",
        "2. Thời gian giải quyết hồ sơ theo cam kết: 3 ngày làm việc.",
        "3. Thời gian nhận hồ sơ: 08 giờ 00 phút, ngày 15/09/2025",
        "4. Thời gian trả kết quả giải quyết hồ sơ: 08 giờ 00 phút, ngày 18/09/2025",
        "5. Đăng ký nhận kết quả tại: Qua dịch vụ bưu chính công ích",
      ]);
    });

    it("answers the same fields as JSON with Accept: application/json, with the Form header", async () => {
      const code = await received(t, { receivedAt: NEW });
      const res = await get(`/v1/dossiers/${code}/receipt`, "application/json", justiceDesk);
      expect(res.status).toBe(200);
      expect(res.type).toMatch(/^application\/json/);
      expect(res.form).toBe("03/2025-01");
      expect(res.json()).toMatchObject({
        kind: "receipt",
        form: { kind: "receipt", circular: "03/2025/TT-VPCP", number: "01", code: "03/2025-01", name: "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" },
        agency: { code: JUSTICE, name: "Sở Tư pháp", parentName: "UBND tỉnh Hưng Yên", place: "Hưng Yên" },
        date: NEW,
        dossier: {
          receiptCode: code,
          procedureName: "Đăng ký khai sinh",
          receivedAt: NEW,
          receivingAgencyName: "Sở Tư pháp",
          applicant: { kind: "citizen", name: applicant.name, address: applicant.address, phone: applicant.phone, email: null },
        },
        documents: null,
        setCount: null,
        legalDuration: { value: 5, unit: "working_days" },
        legalDurationText: "5 ngày làm việc",
        committedDuration: { value: 3, unit: "working_days" },
        appointmentAt: "2025-09-18T08:00:00+07:00",
        channel: "direct",
        collection: "Bộ phận Tiếp nhận và Trả kết quả, Sở Tư pháp",
      });
      // No identity number on a form (Personal Data Protection Law 91/2025: the minimum).
      expect(JSON.stringify(res.json())).not.toContain(applicant.idNumber);
    });

    it("lists the papers and the number of sets the reception recorded", async () => {
      const documents = [{ name: "Tờ khai đăng ký khai sinh", originals: 1 }, { name: "Giấy chứng sinh", originals: 1, copies: 2 }];
      const code = await received(t, { receivedAt: NEW, documents, setCount: 1 });
      const stored = (await t.http.get(`/v1/dossiers/${code}`).set(ADMIN).expect(200)).body;
      expect(stored).toMatchObject({ documents, setCount: 1 });
      const res = await get(`/v1/dossiers/${code}/receipt`, "application/json", justiceDesk);
      expect(res.json()).toMatchObject({ documents, setCount: 1 });
      const { text } = await printed(`/v1/dossiers/${code}/receipt`);
      expectAll(text, ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]);
    });
  });

  describe("Mẫu 02: the supplement request", () => {
    /** Handed to the appraisal step the day it was received, then asked to supplement. */
    const ask = async (code: string, receivedAt: string, at: string) => {
      await postEvent(t, code, event("transferred", receivedAt.replace("T08:", "T09:"), { toAgencyCode: JUSTICE, stepCode: "review" })).expect(201);
      await postEvent(
        t,
        code,
        event("supplement_requested", at, { reason: "Bản sao giấy chứng sinh không rõ", items: ["Giấy chứng sinh (bản chính)", "Giấy tờ tùy thân của người đi khai sinh"], actor: { id: "u7", name: "Phạm Thu Hà" } }),
      ).expect(201);
    };

    it("prints Circular 01/2018's Mẫu 02 for a request dated before 15 Sep 2025", async () => {
      const code = await received(t, { receivedAt: "2025-09-10T08:00:00+07:00" });
      await ask(code, "2025-09-10T08:00:00+07:00", OLD);
      const { text, title, form } = await printed(`/v1/dossiers/${code}/supplement-request`);
      expect(form).toBe("01/2018-02");
      expect(title).toBe("Mẫu số 02 — Thông tư 01/2018/TT-VPCP — Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ");
      expectAll(text, ["PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "Hưng Yên, ngày 12 tháng 09 năm 2025", "Kính gửi: Ông/Bà Nguyễn Văn An", "Ngày 10/09/2025"]);
    });

    it("prints Circular 03/2025's Mẫu 02 with the items, the reason and the limit to complete (Decree 118/2025 art. 19(5))", async () => {
      const code = await received(t, { receivedAt: NEW });
      await ask(code, NEW, "2025-09-16T09:00:00+07:00");
      const json = (await get(`/v1/dossiers/${code}/supplement-request`, "application/json")).json();
      // 15 calendar days from Tuesday 16 September: Wednesday 1 October, at the end of its working time.
      expect(json).toMatchObject({
        form: { code: "03/2025-02" },
        agency: { code: JUSTICE },
        requestedAt: "2025-09-16T09:00:00+07:00",
        reason: "Bản sao giấy chứng sinh không rõ",
        items: ["Giấy chứng sinh (bản chính)", "Giấy tờ tùy thân của người đi khai sinh"],
        completeBy: "2025-10-01T17:00:00+07:00",
        completionLimitText: "15 ngày",
        requestNumber: 1,
        signerName: "Phạm Thu Hà",
      });
      const { text, form } = await printed(`/v1/dossiers/${code}/supplement-request`);
      expect(form).toBe("03/2025-02");
      expectAll(text, [
        "Mẫu số 02 — Thông tư 03/2025/TT-VPCP",
        "Hưng Yên, ngày 16 tháng 09 năm 2025",
        `mã hồ sơ: ${code}`,
        "1. Giấy chứng sinh (bản chính)",
        "2. Giấy tờ tùy thân của người đi khai sinh",
        "Lý do: Bản sao giấy chứng sinh không rõ",
        "Thời hạn bổ sung, hoàn thiện hồ sơ: 15 ngày kể từ ngày 16/09/2025, chậm nhất đến 17 giờ 00 phút, ngày 01/10/2025",
        "khoản 5 Điều 19 Nghị định số 118/2025/NĐ-CP",
        "NGƯỜI HƯỚNG DẪN",
        "Phạm Thu Hà",
      ]);
    });

    it("answers 404 naming why for a dossier without a supplement request", async () => {
      const code = await received(t, { receivedAt: NEW });
      const res = await get(`/v1/dossiers/${code}/supplement-request`, "application/pdf");
      expect(res.status).toBe(404);
      expect(res.type).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ status: 404, code: "no_supplement_request", type: "urn:motcua:problem:no-supplement-request" });
      expect(res.json().detail).toContain("has no supplement request");
    });
  });

  describe("Mẫu 03: the refusal", () => {
    it("prints the refused result with its note as the reason, on each side of 15 Sep 2025", async () => {
      const oldCode = await received(t, { receivedAt: "2025-09-10T08:00:00+07:00" });
      await postEvent(t, oldCode, event("result_ready", OLD, { outcome: "refused", note: "Người yêu cầu không thuộc diện được đăng ký" })).expect(201);
      const old = await printed(`/v1/dossiers/${oldCode}/refusal`);
      expect(old.form).toBe("01/2018-03");
      expect(old.title).toBe("Mẫu số 03 — Thông tư 01/2018/TT-VPCP — Phiếu từ chối tiếp nhận giải quyết hồ sơ");

      const code = await received(t, { receivedAt: NEW });
      await postEvent(t, code, event("transferred", "2025-09-15T09:00:00+07:00", { toAgencyCode: JUSTICE, stepCode: "review" })).expect(201);
      await postEvent(t, code, event("result_ready", "2025-09-16T10:00:00+07:00", { outcome: "refused", note: "Hồ sơ không đủ điều kiện theo quy định", actor: { id: "d1", name: "Lê Văn Cường" } })).expect(201);
      const { text, form, title } = await printed(`/v1/dossiers/${code}/refusal`);
      expect(form).toBe("03/2025-03");
      expect(title).toBe("Mẫu số 03 — Thông tư 03/2025/TT-VPCP — Phiếu từ chối tiếp nhận giải quyết hồ sơ");
      expectAll(text, [
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        "Hưng Yên, ngày 16 tháng 09 năm 2025",
        "Nội dung yêu cầu giải quyết: Đăng ký khai sinh",
        "thông báo không tiếp nhận, giải quyết hồ sơ này",
        "Lý do: Hồ sơ không đủ điều kiện theo quy định",
        // Refused after appraisal: the agency's head signs, with the seal.
        "THỦ TRƯỞNG CƠ QUAN",
        "Lê Văn Cường",
      ]);
    });

    it("answers 404 not_refused for an approved or unfinished dossier", async () => {
      const code = await received(t, { receivedAt: NEW });
      expect((await get(`/v1/dossiers/${code}/refusal`)).json().code).toBe("not_refused");
      await postEvent(t, code, event("result_ready", "2025-09-16T10:00:00+07:00", { outcome: "approved" })).expect(201);
      const res = await get(`/v1/dossiers/${code}/refusal`);
      expect(res.status).toBe(404);
      expect(res.json().code).toBe("not_refused");
    });
  });

  describe("Mẫu 04: the apology letter and extension request (Mẫu 05 of Circular 01/2018 before)", () => {
    const issue = (code: string, issuedAt: string, newDueAt: string) =>
      t.http
        .post(`/v1/dossiers/${code}/apology-letters`)
        .set(ADMIN)
        .send({ agencyCode: JUSTICE, reason: "Chờ kết quả xác minh của Công an xã", newDueAt, issuedAt, signerName: "Trần Thị Bình", signerTitle: "Giám đốc" })
        .expect(201);

    it("prints Circular 01/2018's Mẫu 05 for a letter dated before 15 Sep 2025", async () => {
      const code = await received(t, { receivedAt: "2025-09-10T08:00:00+07:00" });
      const { body } = await issue(code, OLD, "2025-09-19T17:00:00+07:00");
      const { text, title, form } = await printed(`/v1/dossiers/${code}/apology-letters/${body.number}`);
      expect(form).toBe("01/2018-05");
      expect(title).toBe("Mẫu số 05 — Thông tư 01/2018/TT-VPCP — Phiếu xin lỗi và hẹn lại ngày trả kết quả");
      expectAll(text, ["PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", `Số: ${body.number}/PXL`, "Hưng Yên, ngày 12 tháng 09 năm 2025", "vào ngày 19/09/2025"]);
      expectNone(text, ["ĐỀ NGHỊ GIA HẠN"]);
    });

    it("prints Circular 03/2025's Mẫu 04 from 15 Sep 2025: the reason and the extension proposed", async () => {
      const code = await received(t, { receivedAt: NEW });
      const { body } = await issue(code, "2025-09-16T10:00:00+07:00", "2025-09-25T17:00:00+07:00");
      const { text, title, form, pages } = await printed(`/v1/dossiers/${code}/apology-letters/${body.number}`);
      expect(form).toBe("03/2025-04");
      expect(title).toBe("Mẫu số 04 — Thông tư 03/2025/TT-VPCP — Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết");
      expect(pages).toBe(1);
      expectAll(text, [
        "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
        `Số: ${body.number}/PXL`,
        "Hưng Yên, ngày 16 tháng 09 năm 2025",
        "Kính gửi: Ông/Bà Nguyễn Văn An",
        "Thời gian hẹn trả kết quả giải quyết hồ sơ: ngày 18/09/2025",
        "Lý do: Chờ kết quả xác minh của Công an xã",
        "đề nghị gia hạn thời gian giải quyết hồ sơ đến ngày 25/09/2025",
        "khoản 6 Điều 19 Nghị định số 118/2025/NĐ-CP",
        "GIÁM ĐỐC",
        "Trần Thị Bình",
      ]);
      // JSON stays the letter resource, named by the same header.
      const json = await get(`/v1/dossiers/${code}/apology-letters/${body.number}`);
      expect(json.form).toBe("03/2025-04");
      expect(json.json()).toEqual(body);
    });
  });

  describe("Mẫu 05: the stop notice", () => {
    it("prints a stopped dossier and why; the supplement_not_completed code in words", async () => {
      const code = await received(t, { receivedAt: NEW });
      await postEvent(t, code, event("transferred", "2025-09-15T09:00:00+07:00", { toAgencyCode: JUSTICE, stepCode: "review" })).expect(201);
      await postEvent(t, code, event("supplement_requested", "2025-09-16T09:00:00+07:00", { reason: "Thiếu giấy tờ" })).expect(201);
      await postEvent(t, code, event("stopped", "2025-10-02T09:00:00+07:00", { reason: "supplement_not_completed" })).expect(201);
      const { text, title, form } = await printed(`/v1/dossiers/${code}/stop-notice`);
      expect(form).toBe("03/2025-05");
      expect(title).toBe("Mẫu số 05 — Thông tư 03/2025/TT-VPCP — Thông báo dừng giải quyết hồ sơ");
      expectAll(text, [
        "THÔNG BÁO",
        "Về việc dừng giải quyết hồ sơ",
        "Hưng Yên, ngày 02 tháng 10 năm 2025",
        "thông báo dừng giải quyết hồ sơ nêu trên kể từ ngày 02/10/2025",
        "Lý do: Quá thời hạn bổ sung, hoàn thiện hồ sơ",
        "khoản 5 Điều 19 Nghị định số 118/2025/NĐ-CP",
      ]);
      const json = (await get(`/v1/dossiers/${code}/stop-notice`, "application/json")).json();
      expect(json).toMatchObject({ reason: "supplement_not_completed", stoppedAt: "2025-10-02T09:00:00+07:00", withdrawalRequestedAt: null });
    });

    it("mentions the applicant's withdrawal and prints a free-text reason as recorded", async () => {
      const code = await received(t, { receivedAt: NEW });
      await postEvent(t, code, event("withdrawal_requested", "2025-09-16T09:00:00+07:00")).expect(201);
      await postEvent(t, code, event("stopped", "2025-09-16T10:00:00+07:00", { reason: "Người nộp hồ sơ đề nghị rút hồ sơ" })).expect(201);
      expectAll((await printed(`/v1/dossiers/${code}/stop-notice`)).text, ["Ngày 16/09/2025, Ông/Bà đề nghị rút hồ sơ.", "Lý do: Người nộp hồ sơ đề nghị rút hồ sơ"]);
    });

    it("answers 404 not_stopped for an open dossier, and no_form_for_date for a stop before 15 Sep 2025 (Circular 01/2018 has no such form)", async () => {
      const open = await received(t, { receivedAt: NEW });
      const res = await get(`/v1/dossiers/${open}/stop-notice`);
      expect(res.status).toBe(404);
      expect(res.json().code).toBe("not_stopped");
      const old = await received(t, { receivedAt: "2025-09-10T08:00:00+07:00" });
      await postEvent(t, old, event("stopped", OLD, { reason: "Người nộp hồ sơ đề nghị dừng" })).expect(201);
      const before = await get(`/v1/dossiers/${old}/stop-notice`);
      expect(before.status).toBe(404);
      expect(before.json()).toMatchObject({ code: "no_form_for_date" });
      expect(before.json().detail).toContain("Circular 03/2025/TT-VPCP applies from 2025-09-15");
    });
  });

  describe("Mẫu 06: the process control sheet", () => {
    it("lists every hand-off with both parties, the time, the step's budget and its result, and the Decree 118 duties", async () => {
      const code = await received(t, { receivedAt: NEW });
      await postEvent(t, code, {
        events: [
          event("transferred", "2025-09-15T09:00:00+07:00", { toAgencyCode: JUSTICE, stepCode: "review", actor: { id: "u1", name: "Ngô Thị Lan" } }),
          event("transferred", "2025-09-17T16:00:00+07:00", { toAgencyCode: TAX, stepCode: "tax" }),
          event("result_ready", "2025-09-18T15:00:00+07:00", { outcome: "approved" }),
          event("returned", "2025-09-19T09:00:00+07:00", { method: "counter" }),
        ],
      }).expect(201);
      const json = (await get(`/v1/dossiers/${code}/control-sheet`, "application/json")).json();
      expect(json.form.code).toBe("03/2025-06");
      expect(json.handOffs.map((h: Record<string, unknown>) => [h.fromName, h.toName, h.stepName, h.result])).toEqual([
        ["Tổ chức, cá nhân nộp hồ sơ", "Sở Tư pháp", "Tiếp nhận", "on_time"], // 1 of its 2 working hours
        ["Sở Tư pháp", "Sở Tư pháp", "Thẩm định", "late"], // 15 of its 14 working hours by Tuesday's close
        ["Sở Tư pháp", "Cục Thuế", "Xác định nghĩa vụ tài chính", "on_time"], // 7 of 8
        ["Cục Thuế", "Bộ phận Tiếp nhận và Trả kết quả, Sở Tư pháp", "Kết quả", "on_time"], // on Thursday, the due date
        ["Sở Tư pháp", "Tổ chức, cá nhân nộp hồ sơ", "Trả kết quả", null],
      ]);
      expect(json.handOffs[1]).toMatchObject({ at: "2025-09-15T09:00:00+07:00", by: "Ngô Thị Lan", budgetText: "1,75 ngày làm việc" });
      expect(json.duties.map((d: { kind: string }) => d.kind)).toContain("transfer");

      const { text, title, form } = await printed(`/v1/dossiers/${code}/control-sheet`);
      expect(form).toBe("03/2025-06");
      expect(title).toBe("Mẫu số 06 — Thông tư 03/2025/TT-VPCP — Phiếu kiểm soát quá trình giải quyết hồ sơ");
      expectAll(text, [
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        `Kèm theo hồ sơ của: Ông/Bà Nguyễn Văn An — mã hồ sơ: ${code}`,
        "Giao: Sở Tư pháp Nhận: Cục Thuế",
        "09:00 15/09/2025 Ngô Thị Lan",
        "Thẩm định 1,75 ngày làm việc",
        "Đúng hạn",
        "Quá hạn",
        "Chuyển hồ sơ đến cơ quan giải quyết (Điều 18 khoản 2)",
      ]);
    });

    it("is Mẫu 04 of Circular 01/2018 for a dossier received before 15 Sep 2025", async () => {
      const code = await received(t, { receivedAt: OLD });
      const { form, title, text } = await printed(`/v1/dossiers/${code}/control-sheet`, reporter);
      expect(form).toBe("01/2018-04");
      expect(title).toBe("Mẫu số 04 — Thông tư 01/2018/TT-VPCP — Phiếu kiểm soát quá trình giải quyết hồ sơ");
      expectAll(text, ["PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "Đang quá hạn"]);
    });
  });

  describe("Mẫu 07: the register", () => {
    let october: string[];
    beforeAll(async () => {
      october = [];
      for (const day of ["2025-10-06", "2025-10-07", "2025-10-08"]) october.push(await received(t, { receivedAt: `${day}T08:00:00+07:00` }));
      await postEvent(t, october[0]!, event("result_ready", "2025-10-08T09:00:00+07:00", { outcome: "approved" })).expect(201);
      // Another agency's dossier is not in the Justice register.
      await received(t, { receivedAt: "2025-10-07T08:00:00+07:00", procedureCode: "1.000002", receivingAgencyCode: TAX });
    });

    it("lists the agency's dossiers of the period as PDF, CSV and JSON, each naming Mẫu 07", async () => {
      const url = `/v1/agencies/${JUSTICE}/register?from=2025-10-01&to=2025-10-31`;
      const json = await get(`${url}`, "application/json", justiceDesk);
      expect(json.form).toBe("03/2025-07");
      expect(json.json()).toMatchObject({ kind: "register", from: "2025-10-01", to: "2025-10-31", date: "2025-10-31T00:00:00+07:00", agency: { code: JUSTICE, place: "Hưng Yên" } });
      const rows = json.json().rows as Record<string, unknown>[];
      expect(rows.map((r) => r.receiptCode)).toEqual(october);
      expect(rows[0]).toMatchObject({ seq: 1, applicantName: applicant.name, statusText: "Đã có kết quả", timeliness: "early", finishedAt: "2025-10-08T09:00:00+07:00" });

      const { text, title, form } = await printed(url, reporter);
      expect(form).toBe("03/2025-07");
      expect(title).toBe("Mẫu số 07 — Thông tư 03/2025/TT-VPCP — Sổ theo dõi hồ sơ");
      expectAll(text, ["SỔ THEO DÕI HỒ SƠ", "Từ ngày 01/10/2025 đến ngày 31/10/2025", "Hưng Yên, ngày 31 tháng 10 năm 2025", ...october, "Tổng số: 3 hồ sơ."]);

      const csv = await get(url, "text/csv", ADMIN);
      expect(csv.status).toBe(200);
      expect(csv.type).toBe("text/csv; charset=utf-8");
      expect(csv.form).toBe("03/2025-07");
      const lines = csv.body.toString("utf8").replace(/^\uFEFF/, "").split("\r\n");
      expect(lines[0]).toBe("STT,Mã hồ sơ,Thủ tục hành chính,Tổ chức, cá nhân,Địa chỉ,Số điện thoại,Cơ quan giải quyết,Kênh nộp,Nhận hồ sơ,Hẹn trả kết quả,Hẹn lại,Có kết quả,Trả kết quả,Tình trạng,Kết quả giải quyết".replace("Tổ chức, cá nhân", '"Tổ chức, cá nhân"'));
      expect(lines[1]).toBe(`1,${october[0]},Đăng ký khai sinh,Nguyễn Văn An,Hưng Yên,0912345678,Sở Tư pháp,Trực tiếp,2025-10-06T08:00:00+07:00,2025-10-09T08:00:00+07:00,,2025-10-08T09:00:00+07:00,,Đã có kết quả,Trước hạn`);
      expect(lines).toHaveLength(5); // heading, 3 rows, the final CRLF
    });

    it("is Mẫu 06 of Circular 01/2018 for a period ending before 15 Sep 2025", async () => {
      const res = await get(`/v1/agencies/${JUSTICE}/register?from=2025-09-01&to=2025-09-14`, "application/json");
      expect(res.form).toBe("01/2018-06");
      expect(res.json().form).toMatchObject({ circular: "01/2018/TT-VPCP", number: "06", name: "Sổ theo dõi hồ sơ" });
    });

    it("is read by admins, reporters and the agency's desks; 400 for a reversed or too long period, 404 for an unknown agency", async () => {
      const url = `/v1/agencies/${JUSTICE}/register?from=2025-10-01&to=2025-10-31&format=json`;
      expect((await get(url, undefined, taxDesk)).status).toBe(403);
      expect((await get(url, undefined, reporter)).status).toBe(200);
      expect((await get(url, undefined, {})).status).toBe(401);
      expect((await get(`/v1/agencies/${JUSTICE}/register?from=2025-10-31&to=2025-10-01`)).json().errors).toEqual([{ field: "to", message: "must not be before from" }]);
      expect((await get(`/v1/agencies/${JUSTICE}/register?from=2024-01-01&to=2025-10-01`)).status).toBe(400);
      expect((await get(`/v1/agencies/${JUSTICE}/register?from=2025-02-30&to=2025-10-01`)).status).toBe(400);
      expect((await get(`/v1/agencies/${JUSTICE}/register?from=2025-10-01`)).status).toBe(400);
      expect((await get(`/v1/agencies/999.99.99.X99/register?from=2025-10-01&to=2025-10-31`)).status).toBe(404);
    });
  });

  describe("content negotiation (one helper: q-values, q=0, 406)", () => {
    it.each([
      [undefined, "application/pdf"],
      ["*/*", "application/pdf"],
      ["application/json", "application/json"],
      ["application/pdf;q=0, */*", "application/json"],
      ["application/pdf;q=0.5, application/json;q=0.9", "application/json"],
      ["application/*;q=0.9, application/pdf;q=0.2", "application/json"],
      ["text/html, application/pdf;q=0.1", "application/pdf"],
    ])("a form with Accept %s answers %s", async (accept, type) => {
      const code = await received(t, { receivedAt: NEW });
      const res = await get(`/v1/dossiers/${code}/receipt`, accept);
      expect(res.status).toBe(200);
      expect(res.type.split(";")[0]).toBe(type);
      expect(res.form).toBe("03/2025-01");
    });

    it("answers 406 as a problem when nothing offered is acceptable, reading and recording nothing", async () => {
      const code = await received(t, { receivedAt: NEW });
      for (const accept of ["image/png", "text/csv", "application/pdf;q=0, application/json;q=0"]) {
        const res = await get(`/v1/dossiers/${code}/receipt`, accept);
        expect(res.status, accept).toBe(406);
        expect(res.type).toMatch(/^application\/problem\+json/);
        expect(res.json()).toMatchObject({ status: 406, title: "Not Acceptable", code: "not_acceptable" });
      }
      expect((await get(`/v1/agencies/${JUSTICE}/register?from=2025-10-01&to=2025-10-31`, "text/csv;q=0, application/pdf;q=0, application/json;q=0")).status).toBe(406);
      expect((await t.http.get(`/v1/audit?receiptCode=${code}`).set(ADMIN).expect(200)).body.items).toEqual([]);
    });

    it("lets ?format= choose for a plain link", async () => {
      const code = await received(t, { receivedAt: NEW });
      const res = await get(`/v1/dossiers/${code}/control-sheet?format=json`, "application/pdf");
      expect(res.type).toMatch(/^application\/json/);
      expect((await get(`/v1/dossiers/${code}/control-sheet?format=csv`)).status).toBe(400);
    });
  });

  describe("access and the audit", () => {
    it("lets whoever may read the dossier read its forms, and records each read", async () => {
      const code = await received(t, { receivedAt: NEW });
      await postEvent(t, code, event("transferred", "2025-09-15T09:00:00+07:00", { toAgencyCode: JUSTICE, stepCode: "review" })).expect(201);
      await postEvent(t, code, event("supplement_requested", "2025-09-16T09:00:00+07:00", { reason: "Thiếu giấy tờ" })).expect(201);
      expect((await get(`/v1/dossiers/${code}/receipt`, "application/pdf", taxDesk)).status).toBe(403);
      expect((await get(`/v1/dossiers/${code}/control-sheet`, "application/json", taxDesk)).status).toBe(403);
      expect((await get(`/v1/dossiers/000.00.01.H22-250915-9999/receipt`)).status).toBe(404);
      await get(`/v1/dossiers/${code}/receipt`, "application/pdf", justiceDesk);
      await get(`/v1/dossiers/${code}/receipt`, "application/json", reporter);
      await get(`/v1/dossiers/${code}/supplement-request`, "application/pdf", justiceDesk);
      await get(`/v1/dossiers/${code}/control-sheet`, "application/json", justiceDesk);
      const audit = (await t.http.get(`/v1/audit?receiptCode=${code}`).set(ADMIN).expect(200)).body.items.map((i: { action: string; actor: { role: string } }) => `${i.action} ${i.actor.role}`);
      expect(audit.sort()).toEqual(["control_sheet.read desk", "receipt.pdf desk", "receipt.read reporter", "supplement_request.pdf desk"]);
    });

    it("records one register read per dossier listed", async () => {
      const code = await received(t, { receivedAt: "2025-11-03T08:00:00+07:00" });
      await get(`/v1/agencies/${JUSTICE}/register?from=2025-11-01&to=2025-11-30`, "text/csv", reporter);
      const audit = (await t.http.get(`/v1/audit?receiptCode=${code}`).set(ADMIN).expect(200)).body.items.map((i: { action: string }) => i.action);
      expect(audit).toEqual(["register.csv"]);
    });
  });

  it("prints decomposed Vietnamese as NFC", async () => {
    const name = "Trịnh Thị Ngọc Huyền".normalize("NFD");
    const code = await received(t, { receivedAt: NEW, applicant: { ...applicant, name } });
    expect((await printed(`/v1/dossiers/${code}/receipt`)).text).toContain("Ông/Bà Trịnh Thị Ngọc Huyền");
  });
});
