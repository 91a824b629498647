/**
 * The SQLite schema (drizzle). Columns are snake_case; enum tuples come from the domain so one
 * list serves the column, the API schema and the code (STYLE.md). Migrations are generated from
 * this file by drizzle-kit into migrations/ and applied at start-up.
 */
import { sqliteTable, text, integer, real, primaryKey, index } from "drizzle-orm/sqlite-core";
import { DAY_KINDS, HOLIDAY_RULE_SETS, DURATION_UNITS } from "../domain/calendar/calendar-types.js";
import type { HoursInterval, WeeklyHours } from "../domain/calendar/calendar-types.js";
import { SUPPLEMENT_POLICIES } from "../domain/procedure/procedure-types.js";
import type { ProcedureStep } from "../domain/procedure/procedure-types.js";
import { ROLES } from "../domain/access/roles.js";

export const calendars = sqliteTable("calendars", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  timeZone: text("time_zone").notNull(),
  weeklyHours: text("weekly_hours", { mode: "json" }).$type<WeeklyHours>().notNull(),
  sameDayCutoff: text("same_day_cutoff").notNull(),
  workingDayMinutes: integer("working_day_minutes").notNull(),
  holidayRules: text("holiday_rules", { enum: HOLIDAY_RULE_SETS }).notNull(),
  /** Bumped on every change of the calendar or its days: engines are cached per revision. */
  revision: integer("revision").notNull().default(1),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
});

/** Dated overrides set through the API; they win over official schedules and rules. */
export const calendarDays = sqliteTable(
  "calendar_days",
  {
    calendarId: text("calendar_id")
      .notNull()
      .references(() => calendars.id),
    date: text("date").notNull(),
    kind: text("kind", { enum: DAY_KINDS }).notNull(),
    name: text("name").notNull(),
    hours: text("hours", { mode: "json" }).$type<readonly HoursInterval[]>(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.calendarId, t.date] })],
);

export const agencies = sqliteTable(
  "agencies",
  {
    code: text("code").primaryKey(),
    name: text("name").notNull(),
    parentCode: text("parent_code"),
    calendarId: text("calendar_id")
      .notNull()
      .references(() => calendars.id),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("agencies_parent_code_idx").on(t.parentCode)],
);

export const procedures = sqliteTable("procedures", {
  code: text("code").primaryKey(),
  currentVersion: integer("current_version").notNull(),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
});

/** Every definition a procedure ever had; a dossier keeps the version it was received under. */
export const procedureVersions = sqliteTable(
  "procedure_versions",
  {
    procedureCode: text("procedure_code")
      .notNull()
      .references(() => procedures.code),
    version: integer("version").notNull(),
    name: text("name").notNull(),
    fieldCode: text("field_code").notNull(),
    fieldName: text("field_name").notNull(),
    legalDurationValue: real("legal_duration_value").notNull(),
    legalDurationUnit: text("legal_duration_unit", { enum: DURATION_UNITS }).notNull(),
    committedDurationValue: real("committed_duration_value").notNull(),
    committedDurationUnit: text("committed_duration_unit", { enum: DURATION_UNITS }).notNull(),
    committedDurationDerived: integer("committed_duration_derived", { mode: "boolean" }).notNull(),
    supplementPolicy: text("supplement_policy", { enum: SUPPLEMENT_POLICIES }).notNull(),
    steps: text("steps", { mode: "json" }).$type<readonly ProcedureStep[]>().notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.procedureCode, t.version] })],
);

export const apiKeys = sqliteTable("api_keys", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  role: text("role", { enum: ROLES }).notNull(),
  agencyCodes: text("agency_codes", { mode: "json" }).$type<readonly string[]>().notNull(),
  /** SHA-256 of the key, hex; the key itself is shown once and never stored. */
  keyHash: text("key_hash").notNull().unique(),
  createdAt: text("created_at").notNull(),
  revokedAt: text("revoked_at"),
});
