/**
 * Apology letters (DOMAIN.md §5, API.md apology-letters) and the printable forms, through the real
 * HTTP stack on a real SQLite file. The clock is Friday 7 March 2025, 10:00; a BIRTH dossier
 * received Monday 3 March 08:00 was due Thursday 6 March 08:00 (3 working days).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, createKey, startTestApp, totalChanges, type TestApp } from "../support/test-app.js";
import { event, JUSTICE, postEvent, received, seedProvince, TAX } from "../support/dossier-fixtures.js";
import { pdfText } from "../support/pdf-text.js";

const NOW = Date.parse("2025-03-07T10:00:00+07:00");
const REASON = "Hồ sơ cần xác minh thêm về quyền sử dụng đất; cơ quan thuế chưa xác định nghĩa vụ tài chính";

describe("apology letters", () => {
  let t: TestApp;
  let justiceDesk: Record<string, string>;
  let taxDesk: Record<string, string>;
  let reporter: Record<string, string>;
  const letter = (fields: Record<string, unknown> = {}) => ({ agencyCode: JUSTICE, reason: REASON, newDueAt: "2025-03-12T17:00:00+07:00", ...fields });
  const issue = (code: string, body: unknown, auth: Record<string, string> = justiceDesk) =>
    t.http.post(`/v1/dossiers/${code}/apology-letters`).set(auth).send(body as object);
  const dossier = async (code: string) => (await t.http.get(`/v1/dossiers/${code}`).set(ADMIN).expect(200)).body;

  beforeAll(async () => {
    t = await startTestApp({ now: () => NOW });
    await seedProvince(t);
    justiceDesk = await createKey(t, "desk", [JUSTICE]);
    taxDesk = await createKey(t, "desk", [TAX]);
    reporter = await createKey(t, "reporter");
  });
  afterAll(() => t.close());

  it("issues a numbered letter that reschedules the appointment and leaves the dossier late", async () => {
    const code = await received(t);
    const res = await issue(code, letter({ issuedAt: "2025-03-05T10:00:00+07:00", signerName: "Trần Thị Bình", signerTitle: "Giám đốc" })).expect(201);
    expect(res.headers.location).toBe(`/v1/dossiers/${code}/apology-letters/${res.body.number}`);
    expect(res.body).toMatchObject({
      receiptCode: code,
      agencyCode: JUSTICE,
      year: 2025,
      reason: REASON,
      issuedAt: "2025-03-05T10:00:00+07:00",
      originalDueAt: "2025-03-06T08:00:00+07:00",
      newDueAt: "2025-03-12T17:00:00+07:00",
      issuedInTime: true, // Wednesday is the working day before Thursday's due date
    });
    const after = await dossier(code);
    expect(after).toMatchObject({ dueAt: "2025-03-06T08:00:00+07:00", rescheduledDueAt: "2025-03-12T17:00:00+07:00", overdue: true });
    expect(after.apologyLetters).toEqual([res.body]);
    // Finished before the new date, it still counts as late against its due date.
    await postEvent(t, code, event("result_ready", "2025-03-07T09:00:00+07:00", { outcome: "approved" })).expect(201);
    expect(await dossier(code)).toMatchObject({ timeliness: "late", rescheduledDueAt: "2025-03-12T17:00:00+07:00" });
  });

  it("judges issuedInTime by date: on the due date or after is not in time", async () => {
    for (const [issuedAt, inTime] of [
      ["2025-03-05T16:59:00+07:00", true],
      ["2025-03-06T07:30:00+07:00", false], // the due date itself, before the due hour
      [undefined, false], // now: the day after
    ] as const) {
      const code = await received(t);
      const res = await issue(code, letter(issuedAt === undefined ? {} : { issuedAt })).expect(201);
      expect(res.body.issuedInTime, String(issuedAt)).toBe(inTime);
    }
  });

  it("skips days off when looking for the working day before the due date", async () => {
    // Received Wednesday 26 February, due Monday 3 March 08:00: the working day before is Friday.
    const friday = await received(t, { receivedAt: "2025-02-26T08:00:00+07:00" });
    const saturday = await received(t, { receivedAt: "2025-02-26T08:00:00+07:00" });
    expect((await dossier(friday)).dueAt).toBe("2025-03-03T08:00:00+07:00");
    expect((await issue(friday, letter({ issuedAt: "2025-02-28T16:00:00+07:00" })).expect(201)).body.issuedInTime).toBe(true);
    expect((await issue(saturday, letter({ issuedAt: "2025-03-01T09:00:00+07:00" })).expect(201)).body.issuedInTime).toBe(false);
  });

  it("numbers letters per agency and year", async () => {
    const numbers: number[] = [];
    for (let i = 0; i < 3; i++) numbers.push((await issue(await received(t), letter()).expect(201)).body.number);
    expect(numbers[1]).toBe(numbers[0]! + 1);
    expect(numbers[2]).toBe(numbers[0]! + 2);
    // The tax office's step overran: it apologises under its own numbering, from 1.
    const code = await received(t);
    await postEvent(t, code, event("transferred", "2025-03-03T09:00:00+07:00", { toAgencyCode: JUSTICE, stepCode: "review" })).expect(201);
    await postEvent(t, code, event("transferred", "2025-03-03T10:00:00+07:00", { toAgencyCode: TAX, stepCode: "tax" })).expect(201);
    expect((await dossier(code)).responsibleAgencyCode).toBe(TAX);
    const res = await issue(code, letter({ agencyCode: TAX }), taxDesk).expect(201);
    expect(res.body).toMatchObject({ agencyCode: TAX, number: 1 });
  });

  it("records the letter in the timeline, in time order, changing no status", async () => {
    const code = await received(t);
    await postEvent(t, code, event("transferred", "2025-03-03T09:00:00+07:00", { toAgencyCode: JUSTICE, stepCode: "review" })).expect(201);
    const { body } = await issue(code, letter({ issuedAt: "2025-03-05T10:00:00+07:00" })).expect(201);
    await postEvent(t, code, event("result_ready", "2025-03-07T09:00:00+07:00", { outcome: "approved" })).expect(201);
    const timeline = (await t.http.get(`/v1/dossiers/${code}/events`).set(justiceDesk).expect(200)).body.items;
    expect(timeline.map((e: { type: string }) => e.type)).toEqual(["transferred", "apology_letter_issued", "result_ready"]);
    expect(timeline[1]).toMatchObject({
      type: "apology_letter_issued",
      occurredAt: "2025-03-05T10:00:00+07:00", // the date on the letter
      recordedAt: "2025-03-07T10:00:00+07:00", // when it was posted
      agencyCode: JUSTICE,
      number: body.number,
      reason: REASON,
      newDueAt: "2025-03-12T17:00:00+07:00",
      statusAfter: "in_progress",
      handOff: null,
    });
  });

  describe("refusals, each writing nothing", () => {
    it.each([
      ["no reason", { reason: undefined }, "reason"],
      ["a blank reason", { reason: "   " }, "reason"],
      ["no new date", { newDueAt: undefined }, "newDueAt"],
      ["a date without offset", { newDueAt: "2025-03-12T17:00:00" }, "newDueAt"],
      ["a date that does not exist", { newDueAt: "2025-02-30T17:00:00+07:00" }, "newDueAt"],
      ["an issue date in the future", { issuedAt: "2025-03-08T10:00:00+07:00" }, "issuedAt"],
      ["an unknown field", { fax: "024" }, "fax"],
    ])("400 for %s", async (_name, fields, field) => {
      const code = await received(t);
      const before = await totalChanges(t);
      const res = await issue(code, letter(fields)).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await totalChanges(t)).toBe(before);
    });

    it("422 for a second letter, a finished dossier, or a date not later than the due date", async () => {
      const code = await received(t);
      await issue(code, letter()).expect(201);
      const finished = await received(t);
      await postEvent(t, finished, event("result_ready", "2025-03-05T09:00:00+07:00", { outcome: "approved" })).expect(201);
      const fresh = await received(t);
      const before = await totalChanges(t);
      for (const [target, body, reason] of [
        [code, letter({ newDueAt: "2025-03-20T17:00:00+07:00" }), "apology_letter_exists"],
        [finished, letter(), "dossier_not_open"],
        [fresh, letter({ newDueAt: "2025-03-06T08:00:00+07:00" }), "new_due_not_later"],
        [fresh, letter({ newDueAt: "2025-03-05T08:00:00+07:00" }), "new_due_not_later"],
      ] as const) {
        const res = await issue(target, body).expect(422);
        expect(res.body.code).toBe(reason);
      }
      expect(await totalChanges(t)).toBe(before);
      expect((await dossier(fresh)).rescheduledDueAt).toBeNull();
    });

    it("403 for a desk of an unrelated agency, a desk naming another agency, and a reporter; 422 for an admin naming one", async () => {
      const code = await received(t);
      const before = await totalChanges(t);
      await issue(code, letter({ agencyCode: TAX }), taxDesk).expect(403); // Tax has nothing to do with it
      await issue(code, letter({ agencyCode: TAX }), justiceDesk).expect(403); // not the desk's agency
      await issue(code, letter(), reporter).expect(403);
      await issue(code, letter(), {}).expect(401);
      expect((await issue(code, letter({ agencyCode: TAX }), ADMIN).expect(422)).body.code).toBe("not_responsible_agency");
      expect(await totalChanges(t)).toBe(before);
      await issue(code, letter(), ADMIN).expect(201);
    });

    it("404 for an unknown dossier, agency or letter number", async () => {
      await issue("000.00.01.H22-250303-9999", letter()).expect(404);
      const code = await received(t);
      await issue(code, letter({ agencyCode: "999.99.99.X00" })).expect(404);
      await t.http.get(`/v1/dossiers/${code}/apology-letters/1`).set(ADMIN).expect(404);
      await issue(code, letter()).expect(201);
      await t.http.get(`/v1/dossiers/${code}/apology-letters/999`).set(ADMIN).expect(404);
      await t.http.get(`/v1/dossiers/${code}/apology-letters/abc`).set(ADMIN).expect(400);
    });
  });

  describe("work lists", () => {
    it("lists late dossiers without a letter, and open ones due within the next working day", async () => {
      // Due Monday 10 March 08:00 (received Wednesday 08:00): within a working day of Friday 10:00.
      const atRisk = await received(t, { receivedAt: "2025-03-05T08:00:00+07:00" });
      // Due Tuesday 11 March: not yet.
      const later = await received(t, { receivedAt: "2025-03-06T08:00:00+07:00" });
      const late = await received(t);
      const apologised = await received(t);
      await issue(apologised, letter()).expect(201);
      const codes = async (query: string) => ((await t.http.get(`/v1/dossiers?${query}&limit=200`).set(justiceDesk).expect(200)).body.items as { receiptCode: string }[]).map((i) => i.receiptCode);

      const risky = await codes("atRisk=true");
      expect(risky).toContain(atRisk);
      expect(risky).not.toContain(later);
      expect(risky).not.toContain(late);
      const lateWithout = await codes("overdue=true&apology=none");
      expect(lateWithout).toContain(late);
      expect(lateWithout).not.toContain(apologised);
      expect(lateWithout).not.toContain(atRisk);
      expect(await codes("apology=issued")).toContain(apologised);
      // Once it has a letter, it leaves the at-risk list.
      await issue(atRisk, letter({ newDueAt: "2025-03-14T17:00:00+07:00" })).expect(201);
      expect(await codes("atRisk=true")).not.toContain(atRisk);
      await t.http.get("/v1/dossiers?atRisk=false").set(justiceDesk).expect(400);
    });
  });

  describe("printable forms", () => {
    const pdf = (url: string, auth: Record<string, string> = ADMIN) => t.app.inject({ method: "GET", url, headers: { ...auth, accept: "application/pdf" } });

    it("prints the letter on A4 with the number, the receipt code, the reason and the new date", async () => {
      const code = await received(t);
      const { body } = await issue(
        code,
        letter({ place: "Hưng Yên", signerName: "Trần Thị Bình", signerTitle: "Giám đốc", issuedAt: "2025-03-05T10:00:00+07:00", recipients: ["Bộ phận Tiếp nhận và Trả kết quả"] }),
      ).expect(201);
      const res = await pdf(`/v1/dossiers/${code}/apology-letters/${body.number}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers["content-type"]).toBe("application/pdf");
      expect(res.headers["content-disposition"]).toBe(
        `inline; filename="Phieu xin loi ${body.number}-PXL ${code}.pdf"; filename*=UTF-8''${encodeURIComponent(`Phiếu xin lỗi ${body.number}-PXL ${code}.pdf`)}`,
      );
      expect(res.rawPayload.subarray(0, 5).toString()).toBe("%PDF-");
      const { text, pages } = await pdfText(res.rawPayload);
      expect(pages).toBe(1);
      for (const expected of [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "SỞ TƯ PHÁP",
        `Số: ${body.number}/PXL`,
        "Hưng Yên, ngày 05 tháng 03 năm 2025",
        "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        "Kính gửi: Ông/Bà Nguyễn Văn An",
        code,
        "Ngày 03/03/2025",
        "ngày 06/03/2025",
        "xin lỗi",
        `Lý do: ${REASON}`,
        "vào ngày 12/03/2025",
        "Nơi nhận:",
        "GIÁM ĐỐC",
        "Trần Thị Bình",
      ])
        expect(text).toContain(expected);
    });

    it("gives the same letter as JSON without Accept: application/pdf, and audits both reads", async () => {
      const code = await received(t);
      const { body } = await issue(code, letter()).expect(201);
      expect((await t.http.get(`/v1/dossiers/${code}/apology-letters/${body.number}`).set(justiceDesk).expect(200)).body).toEqual(body);
      expect((await t.http.get(`/v1/dossiers/${code}/apology-letters`).set(reporter).expect(200)).body.items).toEqual([body]);
      expect((await pdf(`/v1/dossiers/${code}/apology-letters/${body.number}?format=pdf`, justiceDesk)).statusCode).toBe(200);
      expect((await pdf(`/v1/dossiers/${code}/apology-letters/${body.number}`, taxDesk)).statusCode).toBe(403);
      const audit = (await t.http.get(`/v1/audit?receiptCode=${code}`).set(ADMIN).expect(200)).body.items.map((i: { action: string }) => i.action);
      expect(audit).toEqual(["apology_letter.pdf", "apology_letter.read"]);
    });

    it("prints the receipt slip with the applicant, procedure, legal duration, hours and where to collect", async () => {
      const code = await received(t, { receivedAt: "2025-03-03T14:35:00+07:00", applicant: { kind: "citizen", name: "Lê Thị Ngọc Ánh", idNumber: "001190054321", address: "Số 5 phố Điện Biên, Hưng Yên" } });
      const res = await pdf(`/v1/dossiers/${code}/receipt`, justiceDesk);
      expect(res.statusCode).toBe(200);
      expect(res.headers["content-type"]).toBe("application/pdf");
      expect(res.headers["content-disposition"]).toContain(`filename*=UTF-8''${encodeURIComponent(`Giấy tiếp nhận ${code}.pdf`)}`);
      const { text } = await pdfText(res.rawPayload);
      for (const expected of [
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        `Mã hồ sơ: ${code}`,
        "Ông/Bà Lê Thị Ngọc Ánh",
        "Số 5 phố Điện Biên, Hưng Yên",
        "Đăng ký khai sinh",
        "5 ngày làm việc",
        "14 giờ 35 phút, ngày 03/03/2025",
        "14 giờ 35 phút, ngày 06/03/2025",
        "Bộ phận Tiếp nhận và Trả kết quả, Sở Tư pháp",
      ])
        expect(text).toContain(expected);
      expect((await pdf(`/v1/dossiers/${code}/receipt`, taxDesk)).statusCode).toBe(403);
      expect((await pdf(`/v1/dossiers/000.00.01.H22-250303-9999/receipt`)).statusCode).toBe(404);
    });

    it("normalises decomposed Vietnamese to NFC before printing", async () => {
      const decomposed = "Chờ ý kiến của Sở Tài nguyên".normalize("NFD");
      const code = await received(t);
      const { body } = await issue(code, letter({ reason: decomposed })).expect(201);
      expect(body.reason).toBe(decomposed.normalize("NFC"));
      const { text } = await pdfText((await pdf(`/v1/dossiers/${code}/apology-letters/${body.number}`)).rawPayload);
      expect(text).toContain("Chờ ý kiến của Sở Tài nguyên");
    });
  });
});

describe("apology letters in the statistics", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: () => NOW });
    await seedProvince(t);
  });
  afterAll(() => t.close());

  it("counts letters issued in the period, per the dossier's group, whole months or any range", async () => {
    const body = { agencyCode: JUSTICE, reason: REASON, newDueAt: "2025-03-12T17:00:00+07:00" };
    for (const issuedAt of ["2025-03-05T10:00:00+07:00", "2025-03-06T10:00:00+07:00"]) {
      const code = await received(t);
      await t.http.post(`/v1/dossiers/${code}/apology-letters`).set(ADMIN).send({ ...body, issuedAt }).expect(201);
    }
    await received(t); // late, without a letter
    const stats = async (query: string) => (await t.http.get(`/v1/stats/timeliness?${query}`).set(ADMIN).expect(200)).body;

    const month = await stats("period=2025-03&groupBy=agency"); // 15/02–14/03/2025
    expect(month.total.apologyLetters).toBe(2);
    expect(month.rows.find((r: { key: string }) => r.key === JUSTICE).apologyLetters).toBe(2);
    expect((await stats("from=2025-03-06&to=2025-03-07&groupBy=procedure")).total.apologyLetters).toBe(1);
    expect((await stats("from=2025-03-01&to=2025-03-04")).total.apologyLetters).toBe(0);
    const csv = await t.http.get("/v1/stats/timeliness?period=2025-03&groupBy=agency&format=csv").set(ADMIN).expect(200);
    const [heading, row] = csv.text.replace(/^\uFEFF/, "").split("\r\n");
    // The letters' column comes before the on-time rate (empty here) and motcua's duty column.
    expect(heading!.endsWith(",Văn bản xin lỗi,Tỷ lệ giải quyết đúng hạn (%),Nhiệm vụ quá hạn (Nghị định 118/2025)")).toBe(true);
    expect(row!.split(",").at(-3)).toBe("2");
  });
});
