/**
 * What the catalog services need from storage. The SQLite implementation lives in src/db/; a
 * PostgreSQL one is planned, hence Promise-returning methods and transaction boundaries that sit
 * inside single repository calls.
 */
import type { DatedDay, HolidayRuleSet, HoursInterval, DayKind, PublishedYear, WeeklyHours } from "../domain/calendar/calendar-types.js";
import type { ProcedureDefinition, ProcedureVersion } from "../domain/procedure/procedure-types.js";
import type { Role } from "../domain/access/roles.js";

export interface CalendarSettings {
  readonly name: string;
  readonly timeZone: string;
  readonly weeklyHours: WeeklyHours;
  readonly sameDayCutoff: string;
  readonly workingDayMinutes: number;
  readonly holidayRules: HolidayRuleSet;
}

export interface CalendarRecord extends CalendarSettings {
  readonly id: string;
  readonly revision: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface DayOverride {
  readonly date: string;
  readonly kind: DayKind;
  readonly name: string;
  readonly hours?: readonly HoursInterval[];
}

/** A year's official schedule as published through the API, with where and when. */
export interface PublishedYearRecord extends PublishedYear {
  readonly calendarId: string;
  /** When this content was first published (an identical re-publication keeps it). */
  readonly publishedAt: string;
}

/** What a publication did: nothing stored before, other content replaced, or the same content again. */
export type PublicationOutcome = "created" | "replaced" | "unchanged";

export interface CalendarRepository {
  list(): Promise<CalendarRecord[]>;
  get(id: string): Promise<CalendarRecord | undefined>;
  /** Creates or replaces; bumps the revision on change. */
  put(id: string, settings: CalendarSettings, at: string): Promise<{ created: boolean; calendar: CalendarRecord }>;
  /** Creates the calendar only if it does not exist (start-up seeding). */
  ensure(id: string, settings: CalendarSettings, at: string): Promise<void>;
  listOverrides(calendarId: string): Promise<DatedDay[]>;
  putOverride(calendarId: string, day: DayOverride, at: string): Promise<{ created: boolean }>;
  deleteOverride(calendarId: string, date: string, at: string): Promise<boolean>;
  listPublishedYears(calendarId: string): Promise<PublishedYearRecord[]>;
  getPublishedYear(calendarId: string, year: number): Promise<PublishedYearRecord | undefined>;
  /**
   * Stores `published` as the calendar's schedule of its year, replacing any earlier publication
   * of that year, and bumps the calendar's revision, in one transaction. Content equal to what is
   * stored (document and days, `days` sorted by date) changes nothing: "unchanged".
   */
  publishYear(calendarId: string, published: PublishedYear, at: string): Promise<{ outcome: PublicationOutcome; published: PublishedYearRecord }>;
}

export interface AgencyRecord {
  readonly code: string;
  readonly name: string;
  readonly parentCode: string | null;
  readonly calendarId: string;
  /** The place its forms are dated at ("Hà Tĩnh"); null = the nearest ancestor's. */
  readonly place: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface AgencyRepository {
  list(): Promise<AgencyRecord[]>;
  get(code: string): Promise<AgencyRecord | undefined>;
  put(agency: Omit<AgencyRecord, "createdAt" | "updatedAt">, at: string): Promise<{ created: boolean; agency: AgencyRecord }>;
}

export interface ProcedureRepository {
  list(): Promise<ProcedureVersion[]>;
  /** The current version. */
  get(code: string): Promise<ProcedureVersion | undefined>;
  getVersion(code: string, version: number): Promise<ProcedureVersion | undefined>;
  listVersions(code: string): Promise<ProcedureVersion[]>;
  /**
   * Appends `definition` as version `expectedCurrent + 1` and makes it current, atomically.
   * Returns undefined when another writer moved the current version first.
   */
  addVersion(code: string, expectedCurrent: number, definition: ProcedureDefinition, at: string): Promise<ProcedureVersion | undefined>;
}

export interface ApiKeyRecord {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly agencyCodes: readonly string[];
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

export interface ApiKeyRepository {
  findActiveByHash(keyHash: string): Promise<ApiKeyRecord | undefined>;
  countActive(): Promise<number>;
  insert(key: Omit<ApiKeyRecord, "revokedAt">, keyHash: string): Promise<void>;
  list(): Promise<ApiKeyRecord[]>;
  /** Marks the key revoked; false when there is no such active key. */
  revoke(id: string, at: string): Promise<boolean>;
}
