/**
 * The printable forms as JSON (API.md "Printable forms"): the same fields the PDF prints
 * (src/domain/forms/form-models.ts), for desk software that prints with its own templates.
 */
import { Type } from "typebox";
import { DURATION_UNITS } from "../../domain/calendar/calendar-types.js";
import { APPLICANT_KINDS, CHANNELS, DOSSIER_STATUSES } from "../../domain/dossier/dossier-types.js";
import { DUTY_KINDS, DUTY_STATUSES } from "../../domain/dossier/duties.js";
import { CIRCULARS, FORM_KINDS } from "../../domain/forms/form-catalog.js";
import { AgencyCode, LocalDate, Nullable, StringEnum } from "./common.js";
import { ReceiptCode } from "./dossier-schemas.js";

const Instant = Type.String({ format: "date-time", description: "ISO 8601 with +07:00" });
const Duration = Type.Object({ value: Type.Number(), unit: StringEnum(DURATION_UNITS) });
const STEP_RESULTS = ["early", "on_time", "late", "overdue", "in_progress"] as const;

export const FormIdentity = Type.Object(
  {
    kind: StringEnum(FORM_KINDS),
    circular: StringEnum(CIRCULARS),
    number: Type.String({ description: 'The annex\'s number, "01" … "07"' }),
    code: Type.String({ description: "As the Form response header: 03/2025-04" }),
    name: Type.String({ description: "The form's name in the annex" }),
    heading: Type.String(),
    subheading: Nullable(Type.String()),
  },
  { description: "Which form, chosen by the document's own date: Circular 03/2025/TT-VPCP from 15 Sep 2025, Circular 01/2018/TT-VPCP before" },
);

export const FormAgency = Type.Object({
  code: Type.String(),
  name: Type.String(),
  parentName: Nullable(Type.String()),
  place: Nullable(Type.String({ description: "Printed before the date: the agency's place, else its nearest ancestor's" })),
});

const common = { kind: StringEnum(FORM_KINDS), form: FormIdentity, agency: FormAgency, date: { ...Instant, description: "The document's own date, which chose the form" } };

export const FormDossier = Type.Object({
  receiptCode: ReceiptCode,
  procedureName: Type.String(),
  receivedAt: Instant,
  receivingAgencyName: Type.String(),
  applicant: Type.Object({
    kind: StringEnum(APPLICANT_KINDS),
    name: Type.String(),
    address: Nullable(Type.String()),
    phone: Nullable(Type.String()),
    email: Nullable(Type.String()),
  }),
});

export const ReceiptFormSchema = Type.Object({
  ...common,
  dossier: FormDossier,
  documents: Nullable(Type.Array(Type.Object({ name: Type.String(), originals: Type.Optional(Type.Integer()), copies: Type.Optional(Type.Integer()) }))),
  setCount: Nullable(Type.Integer()),
  legalDuration: Duration,
  legalDurationText: Type.String(),
  committedDuration: Duration,
  committedDurationText: Type.String(),
  appointmentAt: { ...Instant, description: "The appointment printed at reception (originalDueAt)" },
  channel: StringEnum(CHANNELS),
  collection: Type.String({ description: "Where and how the result is returned" }),
  handlingAgencyName: Type.String(),
});

export const SupplementRequestFormSchema = Type.Object({
  ...common,
  dossier: FormDossier,
  requestedAt: Instant,
  reason: Type.String(),
  items: Type.Array(Type.String()),
  completeBy: Nullable({ ...Instant, description: "Decree 118/2025 art. 19(5): the applicant's limit; null under Decree 61/2018" }),
  completionLimitText: Nullable(Type.String()),
  requestNumber: Type.Integer({ description: "1 for the first request; a later one is recorded but flagged" }),
  signerName: Nullable(Type.String()),
});

export const RefusalFormSchema = Type.Object({
  ...common,
  dossier: FormDossier,
  decidedAt: Instant,
  reason: Nullable(Type.String({ description: "The note of the refused result; null: left to write by hand" })),
  refusedAtReception: Type.Boolean(),
  signerName: Nullable(Type.String()),
});

export const StopNoticeFormSchema = Type.Object({
  ...common,
  dossier: FormDossier,
  stoppedAt: Instant,
  reason: Type.String(),
  reasonText: Type.String(),
  withdrawalRequestedAt: Nullable(Instant),
  signerName: Nullable(Type.String()),
});

const HandOff = Type.Object({
  seq: Type.Integer(),
  fromAgencyCode: Nullable(Type.String({ description: "null: the applicant" })),
  fromName: Type.String(),
  toAgencyCode: Type.String({ description: '"" when the result goes back to the applicant' }),
  toName: Type.String(),
  at: Instant,
  by: Nullable(Type.String()),
  stepCode: Nullable(Type.String()),
  stepName: Nullable(Type.String()),
  budget: Nullable(Duration),
  budgetText: Nullable(Type.String()),
  dueAt: Nullable(Instant),
  leftAt: Nullable(Instant),
  result: Nullable(StringEnum(STEP_RESULTS)),
  resultText: Nullable(Type.String()),
});

export const ControlSheetFormSchema = Type.Object({
  ...common,
  dossier: FormDossier,
  handlingAgencyName: Type.String(),
  legalDurationText: Type.String(),
  committedDurationText: Type.String(),
  appointmentAt: Instant,
  dueAt: Instant,
  rescheduledDueAt: Nullable(Instant),
  status: StringEnum(DOSSIER_STATUSES),
  statusText: Type.String(),
  handOffs: Type.Array(HandOff),
  duties: Type.Array(
    Type.Object({
      kind: StringEnum(DUTY_KINDS),
      text: Type.String(),
      agencyCode: Type.String(),
      agencyName: Type.String(),
      dueAt: Instant,
      doneAt: Nullable(Instant),
      status: StringEnum(DUTY_STATUSES),
      statusText: Type.String(),
    }),
  ),
});

export const RegisterFormSchema = Type.Object({
  ...common,
  from: LocalDate,
  to: LocalDate,
  rows: Type.Array(
    Type.Object({
      seq: Type.Integer(),
      receiptCode: Type.String(),
      procedureName: Type.String(),
      applicantName: Type.String(),
      applicantAddress: Nullable(Type.String()),
      applicantPhone: Nullable(Type.String()),
      handlingAgencyName: Type.String(),
      channel: StringEnum(CHANNELS),
      receivedAt: Instant,
      appointmentAt: Instant,
      rescheduledDueAt: Nullable(Instant),
      finishedAt: Nullable(Instant),
      returnedAt: Nullable(Instant),
      status: StringEnum(DOSSIER_STATUSES),
      statusText: Type.String(),
      timeliness: Nullable(StringEnum(STEP_RESULTS)),
      timelinessText: Nullable(Type.String()),
    }),
  ),
});

export const RegisterQuery = Type.Object(
  {
    from: LocalDate,
    to: LocalDate,
    format: Type.Optional(StringEnum(["pdf", "csv", "json", "xlsx"] as const, { description: "Instead of the Accept header, for a plain link" })),
  },
  { additionalProperties: false },
);

export const FormQuery = Type.Object(
  { format: Type.Optional(StringEnum(["pdf", "json"] as const, { description: "Instead of the Accept header, for a plain link" })) },
  { additionalProperties: false },
);

export const AgencyParams = Type.Object({ agencyCode: AgencyCode });
