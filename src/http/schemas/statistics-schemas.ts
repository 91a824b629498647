import { Type } from "typebox";
import { CHANNELS } from "../../domain/dossier/dossier-types.js";
import { DEADLINE_BASES } from "../../domain/dossier/overdue-spans.js";
import { DUTY_KINDS, type DutyKind } from "../../domain/dossier/duties.js";
import { SCORECARD_RATINGS } from "../../domain/statistics/scorecard.js";
import { GROUP_BYS } from "../../services/statistics-service.js";
import { AgencyCode, Code, LocalDate, Nullable, StringEnum } from "./common.js";

const Period = Type.String({ description: "Instead of from/to: 2025, 2025-Q1, 2025-H1 or 2025-03 (report months run 15th–14th)", maxLength: 10 });

export const TimelinessQuery = Type.Object(
  {
    from: Type.Optional(LocalDate),
    to: Type.Optional(LocalDate),
    period: Type.Optional(Period),
    groupBy: Type.Optional(StringEnum(GROUP_BYS, { default: "agency" })),
    basis: Type.Optional(StringEnum(DEADLINE_BASES, { default: "committed", description: "Judge timeliness against the committed (published) or the legal due date" })),
    agencyCode: Type.Optional(AgencyCode),
    procedureCode: Type.Optional(Code),
    channel: Type.Optional(StringEnum(CHANNELS)),
    format: Type.Optional(StringEnum(["json", "csv", "xlsx"] as const)),
  },
  { additionalProperties: false },
);

export const TimelinessRow = Type.Object({
  key: Type.String(),
  label: Type.String(),
  received: Type.Object({ carriedOver: Type.Integer(), new: Type.Integer(), online: Type.Integer(), offline: Type.Integer() }),
  resolved: Type.Object({ total: Type.Integer(), early: Type.Integer(), onTime: Type.Integer(), late: Type.Integer() }),
  pending: Type.Object({ total: Type.Integer(), withinTime: Type.Integer(), overdue: Type.Integer() }),
  stopped: Type.Integer({ description: "Withdrawn or stopped in the period, reported apart" }),
  apologyLetters: Type.Integer(),
  overdueDuties: Type.Object(
    {
      total: Type.Integer(),
      byKind: Type.Object(Object.fromEntries(DUTY_KINDS.map((k) => [k, Type.Integer()])) as Record<DutyKind, ReturnType<typeof Type.Integer>>),
    },
    {
      description:
        "Decree 118/2025 duties (DOMAIN.md §10) falling due in the period and not done by their deadline, by kind; with groupBy=agency and " +
        "agencyCode, the agency that owes them. The extension notice is not counted here: see apologyLetters and pending/resolved late.",
    },
  ),
  onTimeRate: Nullable(Type.Number({ description: "(early + on time) / resolved × 100, two decimals; null when nothing was resolved" })),
  averageProcessingTime: Type.Optional(
    Nullable(Type.Object({ value: Type.Number(), unit: StringEnum(["working_days", "working_hours"] as const) }, { description: "procedure grouping: mean processing time, pauses excluded" })),
  ),
});

export const TimelinessResponse = Type.Object({
  from: Type.String(),
  to: Type.String(),
  period: Type.Optional(Type.String()),
  groupBy: StringEnum(GROUP_BYS),
  basis: StringEnum(DEADLINE_BASES),
  rows: Type.Array(TimelinessRow),
  total: TimelinessRow,
});

export const ScorecardQuery = Type.Object(
  { from: Type.Optional(LocalDate), to: Type.Optional(LocalDate), period: Type.Optional(Period), agencyCode: Type.Optional(AgencyCode) },
  { additionalProperties: false },
);

export const ScorecardResponse = Type.Object({
  from: Type.String(),
  to: Type.String(),
  agencyCode: Type.Optional(Type.String()),
  groups: Type.Array(
    Type.Object({
      key: Type.String(),
      label: Type.String(),
      rate: Nullable(Type.Number()),
      points: Type.Number(),
      maxPoints: Type.Number(),
      measurable: Type.Boolean(),
      note: Type.String(),
    }),
  ),
  total: Type.Object({ points: Type.Number(), maxPoints: Type.Number(), percentOfMax: Type.Number(), rating: StringEnum(SCORECARD_RATINGS) }),
  notMeasurable: Type.Array(Type.String()),
});
