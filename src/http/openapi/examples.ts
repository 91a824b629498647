/**
 * The OpenAPI document's examples: request bodies by operationId, and path and query parameter
 * values. They tell one story, a birth registration at a provincial Department of Justice, so that
 * Swagger UI's "Try it out" works on them: sent in TRY_IT_OUT_ORDER to a server with an empty
 * database (only the built-in `vn` calendar), every one of them succeeds
 * (test/http/openapi-examples.test.ts sends them all to the real app).
 */

interface Example {
  readonly summary: string;
  readonly value: unknown;
}

const JUSTICE = "000.00.01.H22";
const BIRTH = "1.000001";
const RECEIPT = `${JUSTICE}-250303-0001`;
const workingDays = (value: number) => ({ value, unit: "working_days" });
const officeHours = [
  ["07:30", "11:30"],
  ["13:00", "17:00"],
];

export const REQUEST_EXAMPLES: Readonly<Record<string, Readonly<Record<string, Example>>>> = {
  putAgency: {
    department: { summary: "A provincial department, on the national calendar", value: { name: "Sở Tư pháp tỉnh Hưng Yên", calendarId: "vn", place: "Hưng Yên" } },
  },
  putProcedure: {
    birthRegistration: {
      summary: "Birth registration: 5 working days by law, 3 committed, three steps",
      value: {
        name: "Đăng ký khai sinh",
        fieldCode: "HT",
        fieldName: "Hộ tịch",
        legalDuration: workingDays(5),
        committedDuration: workingDays(3),
        steps: [
          { code: "reception", name: "Tiếp nhận hồ sơ", budget: workingDays(0.25) },
          { code: "review", name: "Thẩm định", budget: workingDays(1.75) },
          { code: "approval", name: "Phê duyệt, ký kết quả", budget: workingDays(1) },
        ],
      },
    },
  },
  putCalendar: {
    saturdayMornings: {
      summary: "A ward office that also opens on Saturday mornings",
      value: {
        name: "UBND phường — làm việc sáng thứ Bảy",
        timeZone: "Asia/Ho_Chi_Minh",
        weeklyHours: { mon: officeHours, tue: officeHours, wed: officeHours, thu: officeHours, fri: officeHours, sat: [["07:30", "11:30"]], sun: [] },
        sameDayCutoff: "15:00",
      },
    },
  },
  putCalendarDay: {
    dayOff: { summary: "A day off decided for this calendar", value: { kind: "day_off", name: "Nghỉ bù Quốc khánh" } },
  },
  publishCalendarYear: {
    notice: {
      summary: "The Government's notice for a year, with its days off and make-up working days",
      value: {
        document: { number: "1500/TB-VPCP", date: "2026-11-20", title: "Thông báo nghỉ Tết Âm lịch và Quốc khánh năm 2027" },
        days: [
          { date: "2027-01-01", kind: "day_off", name: "Tết Dương lịch" },
          { date: "2027-02-05", kind: "day_off", name: "Tết Nguyên đán" },
          { date: "2027-02-08", kind: "day_off", name: "Tết Nguyên đán" },
          { date: "2027-02-09", kind: "day_off", name: "Tết Nguyên đán" },
          { date: "2027-02-10", kind: "day_off", name: "Tết Nguyên đán" },
          { date: "2027-02-11", kind: "day_off", name: "Tết Nguyên đán" },
          { date: "2027-02-20", kind: "working_day", name: "Làm bù Tết Nguyên đán" },
          { date: "2027-04-16", kind: "day_off", name: "Giỗ Tổ Hùng Vương" },
          { date: "2027-04-30", kind: "day_off", name: "Ngày Chiến thắng" },
          { date: "2027-05-01", kind: "day_off", name: "Quốc tế Lao động" },
          { date: "2027-09-02", kind: "day_off", name: "Quốc khánh" },
        ],
      },
    },
  },
  previewDeadline: {
    threeWorkingDays: { summary: "Received on a Friday before Tết, due in 3 working days", value: { start: "2025-01-24T10:00:00+07:00", duration: workingDays(3) } },
  },
  createApiKey: {
    desk: { summary: "A front desk's key, limited to its agency", value: { name: "Bộ phận một cửa Sở Tư pháp", role: "desk", agencyCodes: [JUSTICE] } },
  },
  receiveDossier: {
    birthRegistration: {
      summary: "A birth registration received at the counter",
      value: {
        receiptCode: RECEIPT,
        procedureCode: BIRTH,
        receivingAgencyCode: JUSTICE,
        channel: "direct",
        receivedAt: "2025-03-03T08:00:00+07:00",
        applicant: {
          kind: "citizen",
          name: "Nguyễn Văn An",
          idNumber: "001090012345",
          phone: "0912345678",
          address: "Số 5 phố Hải Thượng Lãn Ông, phường Hiến Nam, Hưng Yên",
        },
        summary: "Đăng ký khai sinh cho con",
        documents: [
          { name: "Tờ khai đăng ký khai sinh", originals: 1 },
          { name: "Giấy chứng sinh", originals: 1 },
        ],
        feeVnd: 0,
      },
    },
  },
  postDossierEvents: {
    transferred: {
      summary: "One event: handed to the review step",
      value: {
        eventId: "0f8c1c7e-3b1a-4c2e-9d55-2a7b8e4f1a01",
        type: "transferred",
        occurredAt: "2025-03-03T09:00:00+07:00",
        agencyCode: JUSTICE,
        toAgencyCode: JUSTICE,
        stepCode: "review",
        actor: { id: "cb-042", name: "Trần Thị Bình" },
      },
    },
    supplement: {
      summary: "A batch, atomically: a supplement requested, then received",
      value: {
        events: [
          {
            eventId: "0f8c1c7e-3b1a-4c2e-9d55-2a7b8e4f1a02",
            type: "supplement_requested",
            occurredAt: "2025-03-03T10:30:00+07:00",
            agencyCode: JUSTICE,
            reason: "Giấy chứng sinh là bản chụp, cần bản chính",
            items: ["Giấy chứng sinh (bản chính)"],
          },
          { eventId: "0f8c1c7e-3b1a-4c2e-9d55-2a7b8e4f1a03", type: "supplement_received", occurredAt: "2025-03-04T08:30:00+07:00", agencyCode: JUSTICE },
        ],
      },
    },
    resultReady: {
      summary: "The result is ready: approved",
      value: { eventId: "0f8c1c7e-3b1a-4c2e-9d55-2a7b8e4f1a04", type: "result_ready", occurredAt: "2025-03-10T15:00:00+07:00", agencyCode: JUSTICE, outcome: "approved" },
    },
    returned: {
      summary: "Handed to the applicant at the counter",
      value: { eventId: "0f8c1c7e-3b1a-4c2e-9d55-2a7b8e4f1a05", type: "returned", occurredAt: "2025-03-11T09:00:00+07:00", agencyCode: JUSTICE, method: "counter" },
    },
  },
  issueApologyLetter: {
    verification: {
      summary: "An apology with a new appointment, before the due date",
      value: {
        agencyCode: JUSTICE,
        reason: "Cần xác minh thông tin hộ tịch của người mẹ tại nơi cư trú trước đây",
        newDueAt: "2025-03-14T16:00:00+07:00",
        issuedAt: "2025-03-05T10:00:00+07:00",
        signerName: "Lê Văn Cường",
        signerTitle: "Giám đốc",
      },
    },
  },
  rateDossier: {
    satisfied: { summary: "The applicant rates the service after the result", value: { idNumber: "001090012345", level: "very_satisfied" } },
  },
  createWebhook: {
    deskSoftware: {
      summary: "The department's desk software hears of its dossiers' changes and deadlines",
      value: { url: "https://motcua.sotuphap.example.gov.vn/hooks/motcua", events: ["dossier.received", "dossier.status_changed", "dossier.at_risk", "dossier.overdue"], agencyCodes: [JUSTICE] },
    },
  },
  resendWebhookMessages: {
    deadLetters: { summary: "Send two dead-lettered messages again (ids from the delivery log)", value: { messageIds: ["msg_2f0c6a1e9b7d4c3aa1b2c3d4e5f60718"] } },
  },
  resendPortalRecords: {
    oneDossier: { summary: "Send a dossier's failed portal records again", value: { receiptCodes: [RECEIPT] } },
  },
};

/**
 * Examples that need what an empty database cannot give, with the reason: not in the story, and
 * answered with a refusal there (the test checks that refusal, not a 2xx).
 */
export const CONDITIONAL_EXAMPLES: readonly { readonly example: readonly [string, string]; readonly status: number; readonly why: string }[] = [
  { example: ["resendWebhookMessages", "deadLetters"], status: 404, why: "webhook ids are generated by the server, and only a message that died can be resent" },
  { example: ["resendPortalRecords", "oneDossier"], status: 422, why: "the portal sync is on only with MOTCUA_PORTAL_URL" },
];

/** Example values of path and query parameters: by name, and per operation where one needs another. */
export const PARAMETER_EXAMPLES: {
  readonly byName: Readonly<Record<string, unknown>>;
  readonly byOperation: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
} = {
  byName: {
    receiptCode: RECEIPT,
    agencyCode: JUSTICE,
    procedureCode: BIRTH,
    calendarId: "vn",
    year: 2027,
    date: "2027-09-03",
    number: 1,
    id: "5d0f4c1e-8a2b-4f7e-9c3d-1b2a3c4d5e6f",
    idNumber: "001090012345",
    from: "2025-01-01",
    to: "2025-12-31",
  },
  byOperation: {
    putCalendar: { calendarId: "vn-saturday" },
    listCalendarDays: { from: "2027-01-01", to: "2027-12-31" },
  },
};

/** On an empty database, the request-body examples succeed in this order: [operationId, example]. */
export const TRY_IT_OUT_ORDER: readonly (readonly [string, string])[] = [
  ["putAgency", "department"],
  ["putProcedure", "birthRegistration"],
  ["putCalendar", "saturdayMornings"],
  ["putCalendarDay", "dayOff"],
  ["publishCalendarYear", "notice"],
  ["previewDeadline", "threeWorkingDays"],
  ["createApiKey", "desk"],
  ["receiveDossier", "birthRegistration"],
  ["postDossierEvents", "transferred"],
  ["postDossierEvents", "supplement"],
  ["issueApologyLetter", "verification"],
  ["postDossierEvents", "resultReady"],
  ["postDossierEvents", "returned"],
  ["rateDossier", "satisfied"],
  ["createWebhook", "deskSoftware"],
];
