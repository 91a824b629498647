/** Request and response schemas of the catalog: calendars, agencies, procedures. */
import { Type, type Static } from "typebox";
import { DAY_KINDS, DAY_SOURCES, HOLIDAY_RULE_SETS, WEEKDAYS } from "../../domain/calendar/calendar-types.js";
import { VN_RULE_MAX_YEAR, VN_RULE_MIN_YEAR } from "../../domain/calendar/vn-holidays.js";
import { SUPPLEMENT_POLICIES } from "../../domain/procedure/procedure-types.js";
import { LEGAL_FRAMES, type LegalFrame } from "../../domain/law/legal-frame.js";
import { AgencyCode, Code, Instant, LocalDate, Name, Nullable, StringEnum, Timestamp, TimeOfDay } from "./common.js";

const DurationRef = Type.Unsafe<{ value: number; unit: "working_days" | "working_hours" | "calendar_days" | "same_day" }>(
  Type.Ref("Duration"),
);

export const CalendarId = Type.String({ pattern: "^[a-z0-9][a-z0-9_-]*$", minLength: 1, maxLength: 64, description: "e.g. vn, hcm" });

const Interval = Type.Array(TimeOfDay, { minItems: 2, maxItems: 2, description: '["07:30","11:30"]: start and end, local time' });
const DayHours = Type.Array(Interval, { maxItems: 8 });

export const WeeklyHoursSchema = Type.Object(
  Object.fromEntries(WEEKDAYS.map((d) => [d, Type.Optional(DayHours)])) as Record<(typeof WEEKDAYS)[number], ReturnType<typeof Type.Optional<typeof DayHours>>>,
  { additionalProperties: false, description: "Working intervals per weekday; a missing day has none" },
);

export const CalendarBody = Type.Object(
  {
    name: Name,
    timeZone: Type.String({ minLength: 1, maxLength: 64, description: "IANA zone, e.g. Asia/Ho_Chi_Minh" }),
    weeklyHours: WeeklyHoursSchema,
    sameDayCutoff: TimeOfDay,
    workingDayMinutes: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1440, description: "Minutes in one working day; default: the daily total most weekdays share" }),
    ),
    holidayRules: Type.Optional(StringEnum(HOLIDAY_RULE_SETS, { description: "Which holiday rules propose days off (default vn)" })),
  },
  { additionalProperties: false },
);
export type CalendarBodyT = Static<typeof CalendarBody>;

/** Output arrays are immutable: the domain hands out readonly data. */
const HoursOut = Type.Immutable(Type.Array(Type.Immutable(Type.Array(Type.String()))));
const WeeklyHoursOut = Type.Object(Object.fromEntries(WEEKDAYS.map((d) => [d, HoursOut])));

export const CalendarResponse = Type.Object({
  id: Type.String(),
  name: Type.String(),
  timeZone: Type.String(),
  weeklyHours: WeeklyHoursOut,
  sameDayCutoff: Type.String(),
  workingDayMinutes: Type.Integer(),
  holidayRules: StringEnum(HOLIDAY_RULE_SETS),
  revision: Type.Integer(),
  createdAt: Instant(),
  updatedAt: Instant(),
});

export const DayBody = Type.Object(
  {
    kind: StringEnum(DAY_KINDS),
    name: Name,
    hours: Type.Optional(DayHours),
  },
  { additionalProperties: false },
);

const DocumentNumber = Type.String({ minLength: 1, maxLength: 200, description: "The notice's number, e.g. 12729/VPCP-KGVX" });
const DocumentTitle = Type.String({ minLength: 1, maxLength: 500 });

export const DayDocumentResponse = Type.Object(
  {
    number: Type.String({ description: "A notice's number (12729/VPCP-KGVX), or a statute and article (Bộ luật Lao động 2019, Điều 112)" }),
    date: Nullable(Type.String({ description: "YYYY-MM-DD; null when our sources do not give it" })),
    title: Type.Optional(Type.String()),
  },
  { description: "The text that sets the day (its provenance)" },
);

export const DayResponse = Type.Object({
  date: Type.String(),
  kind: StringEnum(DAY_KINDS),
  name: Type.String(),
  source: StringEnum(DAY_SOURCES, {
    description: "official: a published schedule (built in, or published through PUT …/years/{year}); rule: proposed by the Labour Code rules; override: set for this date",
  }),
  provisional: Type.Boolean({ description: "True when no document we hold confirms the day: every rule proposal, and official days whose notice we do not hold" }),
  document: Nullable(DayDocumentResponse),
  hours: Type.Optional(HoursOut),
});

/** The years a calendar can be published for (those the holiday rules and the engine support). */
export const CalendarYear = Type.Integer({ minimum: VN_RULE_MIN_YEAR + 1, maximum: VN_RULE_MAX_YEAR - 1, description: "e.g. 2027" });

const PublishedDayBody = Type.Object(
  {
    date: LocalDate,
    kind: StringEnum(DAY_KINDS),
    name: Name,
    hours: Type.Optional(DayHours),
  },
  { additionalProperties: false },
);

export const YearPublicationBody = Type.Object(
  {
    document: Type.Object(
      { number: DocumentNumber, date: LocalDate, title: Type.Optional(DocumentTitle) },
      { additionalProperties: false, description: "The notice that publishes the year; every day listed carries it as its provenance" },
    ),
    days: Type.Array(PublishedDayBody, {
      minItems: 1,
      maxItems: 366,
      description: "Every non-default day of the year (days off, including weekend days inside a block, and make-up working days); a day not listed follows the weekly pattern",
    }),
  },
  { additionalProperties: false },
);

export const PublishedYearResponse = Type.Object({
  calendarId: Type.String(),
  year: Type.Integer(),
  document: Type.Object({ number: Type.String(), date: Type.String(), title: Type.Optional(Type.String()) }),
  days: Type.Immutable(
    Type.Array(Type.Object({ date: Type.String(), kind: StringEnum(DAY_KINDS), name: Type.String(), hours: Type.Optional(HoursOut) })),
  ),
  publishedAt: Instant({ description: "When this content was published (an identical re-publication keeps it)" }),
});

export const DaysQuery = Type.Object({ from: LocalDate, to: LocalDate }, { additionalProperties: false });

export const DeadlineBody = Type.Object({ start: Timestamp, duration: DurationRef }, { additionalProperties: false });
export const DeadlineResponse = Type.Object({
  start: Instant(),
  countedFrom: Type.String({ description: "The next working instant at or after start: when the clock starts" }),
  dueAt: Instant(),
  workingMinutes: Type.Number(),
});

export const AgencyBody = Type.Object(
  {
    name: Name,
    parentCode: Type.Optional(Nullable(AgencyCode)),
    calendarId: Type.Optional(CalendarId),
    place: Type.Optional(
      Nullable(
        Type.String({
          minLength: 1,
          maxLength: 100,
          description: 'Printed before the date on the agency\'s forms, e.g. "Hà Tĩnh" (Decree 30/2020/NĐ-CP); unset: the nearest ancestor\'s',
        }),
      ),
    ),
  },
  { additionalProperties: false },
);
export const AgencyResponse = Type.Object({
  code: Type.String(),
  name: Type.String(),
  parentCode: Nullable(Type.String()),
  calendarId: Type.String(),
  place: Nullable(Type.String()),
  createdAt: Instant(),
  updatedAt: Instant(),
});

const Step = Type.Object(
  {
    code: Code,
    name: Name,
    agencyCode: Type.Optional(AgencyCode),
    budget: DurationRef,
  },
  { additionalProperties: false },
);

export const ProcedureBody = Type.Object(
  {
    name: Name,
    fieldCode: Code,
    fieldName: Name,
    legalDuration: DurationRef,
    committedDuration: Type.Optional(DurationRef),
    supplementPolicy: Type.Optional(
      StringEnum(SUPPLEMENT_POLICIES, {
        description:
          "What a complete supplement does to the clock, as the sector law states it. Unset: by the dossier's legal frame " +
          "(restart for dossiers received from 1 Jul 2025, Decree 118/2025 art. 19(5); pause before).",
      }),
    ),
    /** How long the applicant has to complete a supplement before the desk closes the dossier; unset: 15 days (Decree 118/2025 art. 19(5)). */
    supplementCompletion: Type.Optional(DurationRef),
    steps: Type.Optional(Type.Array(Step, { maxItems: 50 })),
  },
  { additionalProperties: false },
);
export type ProcedureBodyT = Static<typeof ProcedureBody>;

export const ProcedureResponse = Type.Object({
  code: Type.String(),
  version: Type.Integer(),
  name: Type.String(),
  fieldCode: Type.String(),
  fieldName: Type.String(),
  legalDuration: DurationRef,
  committedDuration: DurationRef,
  committedDurationDerived: Type.Boolean({ description: "True when no committed duration was published and it was derived (30% cut, rounded down to a half day)" }),
  supplementPolicy: Nullable(StringEnum(SUPPLEMENT_POLICIES, { description: "As stated; null: by the dossier's legal frame" })),
  supplementPolicyStated: Type.Boolean({ description: "False when the procedure states no policy and each dossier's legal frame decides" }),
  supplementPolicyByFrame: Type.Object(
    Object.fromEntries(LEGAL_FRAMES.map((f) => [f, StringEnum(SUPPLEMENT_POLICIES)])) as Record<LegalFrame, ReturnType<typeof StringEnum<typeof SUPPLEMENT_POLICIES>>>,
    { description: "The policy a dossier received under each legal frame gets" },
  ),
  supplementCompletion: Nullable(DurationRef),
  steps: Type.Immutable(
    Type.Array(Type.Object({ code: Type.String(), name: Type.String(), agencyCode: Type.Optional(Type.String()), budget: DurationRef })),
  ),
  createdAt: Instant({ description: "When this version was created" }),
});

export const ProcedureCode = Code;
export const VersionQuery = Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false });
export const AgencyCodeParam = AgencyCode;
export { Timestamp };
