/**
 * The catalog and small repositories behave the same on SQLite and PostgreSQL (issue #16: "run
 * unchanged on PostgreSQL"): every scenario below runs against both implementations, on a real
 * SQLite file and on a real PostgreSQL database, and expects the same results. The races are real
 * on PostgreSQL (concurrent transactions on pooled connections); on SQLite the single writer runs
 * them one after the other, which is the outcome PostgreSQL must reproduce.
 *
 * The PostgreSQL databases here sort text as en-US does (ICU), as a server initialised in that
 * locale would: listings must still come out in SQLite's bytewise order.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqlite } from "../../../src/db/sqlite/sqlite-client.js";
import { createGroupCommit } from "../../../src/db/sqlite/group-commit.js";
import * as sqliteSchema from "../../../src/db/sqlite/schema.js";
import * as pgSchema from "../../../src/db/postgres/schema.js";
import { openPostgres } from "../../../src/db/postgres/pg-client.js";
import { createSqliteCalendarRepository } from "../../../src/db/sqlite/calendar-repository.js";
import { createSqliteAgencyRepository } from "../../../src/db/sqlite/agency-repository.js";
import { createSqliteProcedureRepository } from "../../../src/db/sqlite/procedure-repository.js";
import { createSqliteApiKeyRepository } from "../../../src/db/sqlite/api-key-repository.js";
import { createSqliteIdempotencyRepository } from "../../../src/db/sqlite/idempotency-repository.js";
import { createSqliteWebhookSubscriptionRepository } from "../../../src/db/sqlite/webhook-subscription-repository.js";
import { createSqliteAuditRepository } from "../../../src/db/sqlite/audit-repository.js";
import { createSqliteOperationsStatusRepository } from "../../../src/db/sqlite/operations-status-repository.js";
import { createPostgresCalendarRepository } from "../../../src/db/postgres/calendar-repository.js";
import { createPostgresAgencyRepository } from "../../../src/db/postgres/agency-repository.js";
import { createPostgresProcedureRepository } from "../../../src/db/postgres/procedure-repository.js";
import { createPostgresApiKeyRepository } from "../../../src/db/postgres/api-key-repository.js";
import { createPostgresIdempotencyRepository } from "../../../src/db/postgres/idempotency-repository.js";
import { createPostgresWebhookSubscriptionRepository } from "../../../src/db/postgres/webhook-subscription-repository.js";
import { createPostgresAuditRepository } from "../../../src/db/postgres/audit-repository.js";
import type { AuditRepository } from "../../../src/services/audit-ports.js";
import type { WebhookSubscriptionRepository } from "../../../src/services/outbound/webhook-ports.js";
import { createPostgresOperationsStatusRepository } from "../../../src/db/postgres/operations-status-repository.js";
import type { AgencyRepository, ApiKeyRepository, CalendarRepository, CalendarSettings, ProcedureRepository } from "../../../src/services/catalog-ports.js";
import type { IdempotencyRepository } from "../../../src/services/idempotency.js";
import { writeContext } from "../../../src/services/idempotency.js";
import type { OperationsStatusRepository } from "../../../src/services/operations-status.js";
import type { AuditEntry } from "../../../src/domain/access/audit.js";
import type { PublishedYear } from "../../../src/domain/calendar/calendar-types.js";
import { DEFAULT_WEEKLY_HOURS } from "../../../src/domain/calendar/calendar-defaults.js";
import type { ProcedureDefinition } from "../../../src/domain/procedure/procedure-types.js";
import { OPEN_STATUSES } from "../../../src/domain/dossier/dossier-types.js";
import { createTestDatabase } from "../../support/postgres.js";

type DossierRow = typeof sqliteSchema.dossiers.$inferInsert;

/** One backend's repositories, with the same (asynchronous) shape on both. */
interface Backend {
  readonly calendars: CalendarRepository;
  readonly agencies: AgencyRepository;
  readonly procedures: ProcedureRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly idempotency: IdempotencyRepository;
  readonly webhooks: WebhookSubscriptionRepository;
  readonly audit: AuditRepository;
  readonly operations: OperationsStatusRepository;
  insertDossiers(rows: readonly DossierRow[]): Promise<void>;
  countAudit(): Promise<number>;
  /** Closes the storage under the repositories (as a shutdown does). */
  close(): Promise<void>;
  dispose(): Promise<void>;
}

// --- PostgreSQL databases that sort text as en-US --------------------------------------------

// Each backend below is a fresh copy of the migrated template, which sorts text as en-US (ICU):
// test/support/postgres-global-setup.ts.

const POOL_SIZE = 8;

async function makePostgres(): Promise<Backend> {
  return (await openPostgresBackend()).backend;
}

async function openPostgresBackend(): Promise<{ backend: Backend; pool: pg.Pool }> {
  const database = await createTestDatabase();
  const handle = await openPostgres(database.url, { poolSize: POOL_SIZE });
  // Every connection of the pool opened now: racing calls then run at once, none waits for a connection to be made.
  await Promise.all(Array.from({ length: POOL_SIZE }, () => handle.pool.query("select pg_sleep(0.05)")));
  const { db } = handle;
  const backend: Backend = {
    calendars: createPostgresCalendarRepository(db),
    agencies: createPostgresAgencyRepository(db),
    procedures: createPostgresProcedureRepository(db),
    apiKeys: createPostgresApiKeyRepository(db),
    idempotency: createPostgresIdempotencyRepository(db),
    webhooks: createPostgresWebhookSubscriptionRepository(db),
    audit: createPostgresAuditRepository(db),
    operations: createPostgresOperationsStatusRepository(db),
    async insertDossiers(rows) {
      await db.insert(pgSchema.dossiers).values([...rows]);
    },
    async countAudit() {
      return db.$count(pgSchema.accessAudit);
    },
    close: () => handle.close(),
    async dispose() {
      await handle.close();
      await database.drop();
    },
  };
  return { backend, pool: handle.pool };
}

async function makeSqlite(): Promise<Backend> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-catalog-"));
  const handle = openSqlite(path.join(dir, "catalog.db"));
  const { db } = handle;
  const group = createGroupCommit(handle.sqlite);
  const webhooks = createSqliteWebhookSubscriptionRepository(db);
  const audit = createSqliteAuditRepository(db);
  return {
    calendars: createSqliteCalendarRepository(db),
    agencies: createSqliteAgencyRepository(db),
    procedures: createSqliteProcedureRepository(db),
    apiKeys: createSqliteApiKeyRepository(db, group),
    idempotency: createSqliteIdempotencyRepository(handle.sqlite, group),
    webhooks: { ...webhooks, subscribedTo: async (type) => webhooks.subscribedTo(type) },
    audit: { ...audit, flush: async () => audit.flush() },
    operations: createSqliteOperationsStatusRepository(handle.sqlite),
    async insertDossiers(rows) {
      db.insert(sqliteSchema.dossiers).values([...rows]).run();
    },
    async countAudit() {
      return db.$count(sqliteSchema.accessAudit);
    },
    async close() {
      handle.close();
    },
    async dispose() {
      handle.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

// --- Fixtures ----------------------------------------------------------------------------------

const settings = (name: string): CalendarSettings => ({
  name,
  timeZone: "Asia/Ho_Chi_Minh",
  weeklyHours: DEFAULT_WEEKLY_HOURS,
  sameDayCutoff: "15:00",
  workingDayMinutes: 480,
  holidayRules: "vn",
});

const publication = (number: string, dayName = "Nghỉ Tết Âm lịch"): PublishedYear => ({
  year: 2026,
  document: { number, date: "2025-11-05", title: "Thông báo lịch nghỉ Tết" },
  days: [
    { date: "2026-02-14", kind: "working_day", name: "Làm bù", hours: [["07:30", "11:30"]] },
    { date: "2026-02-16", kind: "day_off", name: dayName },
  ],
});

const definition = (name: string): ProcedureDefinition => ({
  name,
  fieldCode: "G09-TP04",
  fieldName: "Hộ tịch",
  legalDuration: { value: 3, unit: "working_days" },
  committedDuration: { value: 2.5, unit: "working_days" },
  committedDurationDerived: false,
  supplementPolicy: "pause",
  supplementCompletion: { value: 15, unit: "working_days" },
  steps: [{ code: "receive", name: "Tiếp nhận", budget: { value: 0.5, unit: "working_days" } }],
});

const entry = (i: number, overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  at: 1_760_000_000_000 + i,
  receiptCode: `H42.01-251001-${String(i % 5).padStart(4, "0")}`,
  action: "dossier.read",
  actorKeyId: i % 2 === 0 ? "key-even" : null,
  actorName: i % 2 === 0 ? "Một cửa xã" : null,
  actorRole: i % 2 === 0 ? "desk" : "public",
  remoteAddress: "203.0.113.7",
  requestId: `req-${i}`,
  ...overrides,
});

/** A dossier projection row; only what the operations gauges read varies. */
const dossier = (i: number, fields: Pick<DossierRow, "handlingAgencyCode" | "status" | "paused" | "dueAt"> & Partial<DossierRow>): DossierRow => ({
  receiptCode: `R-${i}`,
  procedureCode: "P1",
  procedureVersion: 1,
  fieldCode: "F1",
  receivingAgencyCode: fields.handlingAgencyCode,
  currentAgencyCode: fields.handlingAgencyCode,
  calendarId: "vn",
  channel: "direct",
  applicantKind: "citizen",
  applicantName: "Nguyễn Văn A",
  applicantIdNumber: "001200000001",
  applicantContact: {},
  digitized: false,
  paidOnline: false,
  receivedAt: 0,
  originalDueAt: fields.dueAt,
  legalDueAt: fields.dueAt,
  supplementRequests: 0,
  pausedMinutes: 0,
  eventCount: 1,
  receptionHash: "h",
  createdAt: 0,
  updatedAt: 0,
  ...fields,
});

/** Codes whose bytewise order (SQLite's) differs from en-US's: "B" < "a" < "a.b" < "ab" bytewise; en-US puts "a" first and "B" after "ab". */
const CODES = ["ab", "B", "a.b", "a"];
const BYTEWISE = ["B", "a", "a.b", "ab"];

// --- The contract ------------------------------------------------------------------------------

describe("the PostgreSQL databases of this file", () => {
  it("sort text as en-US does, so that the bytewise orders below are not a given", async () => {
    const { backend, pool } = await openPostgresBackend();
    try {
      for (const code of CODES) await backend.calendars.put(code, settings(code), "2025-10-01T00:00:00.000Z");
      const { rows } = await pool.query<{ id: string }>("select id from calendars order by id");
      expect(rows.map((r) => r.id)).toEqual(["a", "a.b", "ab", "B"]);
    } finally {
      await backend.dispose();
    }
  });
});

describe.each([
  ["sqlite", makeSqlite],
  ["postgres", makePostgres],
] as const)("on %s", (_name, make) => {
  let backend: Backend;
  beforeEach(async () => {
    backend = await make();
  });
  afterEach(async () => {
    await backend.dispose();
  });

  describe("calendars", () => {
    it("creates, then replaces with a new revision; ensure never overwrites; lists in bytewise id order", async () => {
      const { calendars } = backend;
      expect(await calendars.put("hcm", settings("HCM"), "2025-10-01T00:00:00.000Z")).toEqual({
        created: true,
        calendar: { id: "hcm", ...settings("HCM"), revision: 1, createdAt: "2025-10-01T00:00:00.000Z", updatedAt: "2025-10-01T00:00:00.000Z" },
      });
      const replaced = await calendars.put("hcm", { ...settings("HCM 2"), sameDayCutoff: "16:00" }, "2025-10-02T00:00:00.000Z");
      expect(replaced).toEqual({
        created: false,
        calendar: { id: "hcm", ...settings("HCM 2"), sameDayCutoff: "16:00", revision: 2, createdAt: "2025-10-01T00:00:00.000Z", updatedAt: "2025-10-02T00:00:00.000Z" },
      });
      await calendars.ensure("hcm", settings("ignored"), "2025-10-03T00:00:00.000Z");
      await calendars.ensure("vn", settings("Việt Nam"), "2025-10-03T00:00:00.000Z");
      expect(await calendars.get("hcm")).toEqual(replaced.calendar);
      expect((await calendars.get("vn"))?.revision).toBe(1);
      expect(await calendars.get("nowhere")).toBeUndefined();
      for (const code of CODES) await calendars.put(code, settings(code), "2025-10-04T00:00:00.000Z");
      expect((await calendars.list()).map((c) => c.id)).toEqual([...BYTEWISE, "hcm", "vn"]);
    });

    it("two racing first puts of one calendar: one creates, the other replaces (revision 2), neither fails", async () => {
      const results = await Promise.all([
        backend.calendars.put("hcm", settings("first"), "2025-10-01T00:00:00.000Z"),
        backend.calendars.put("hcm", settings("second"), "2025-10-01T00:00:00.000Z"),
      ]);
      expect(results.map((r) => r.created).sort()).toEqual([false, true]);
      expect((await backend.calendars.get("hcm"))?.revision).toBe(2);
    });

    it("overrides: created then updated, deleted once; each change bumps the revision, a delete of nothing does not", async () => {
      const { calendars } = backend;
      await calendars.put("vn", settings("VN"), "2025-10-01T00:00:00.000Z");
      expect(await calendars.putOverride("vn", { date: "2026-03-02", kind: "day_off", name: "Bão" }, "2025-10-02T00:00:00.000Z")).toEqual({ created: true });
      expect(
        await calendars.putOverride("vn", { date: "2026-03-02", kind: "working_day", name: "Làm bù", hours: [["08:00", "12:00"]] }, "2025-10-03T00:00:00.000Z"),
      ).toEqual({ created: false });
      await calendars.putOverride("vn", { date: "2026-01-05", kind: "day_off", name: "Nghỉ" }, "2025-10-03T00:00:00.000Z");
      expect(await calendars.listOverrides("vn")).toEqual([
        { date: "2026-01-05", kind: "day_off", name: "Nghỉ", source: "override" },
        { date: "2026-03-02", kind: "working_day", name: "Làm bù", hours: [["08:00", "12:00"]], source: "override" },
      ]);
      expect((await calendars.get("vn"))?.revision).toBe(4);
      expect(await calendars.deleteOverride("vn", "2026-01-05", "2025-10-04T00:00:00.000Z")).toBe(true);
      expect(await calendars.deleteOverride("vn", "2026-01-05", "2025-10-05T00:00:00.000Z")).toBe(false);
      expect(await calendars.get("vn")).toMatchObject({ revision: 5, updatedAt: "2025-10-04T00:00:00.000Z" });
      await expect(calendars.putOverride("nowhere", { date: "2026-03-02", kind: "day_off", name: "Bão" }, "2025-10-02T00:00:00.000Z")).rejects.toThrow();
    });

    it("racing puts of one new override: one creates it, the others update it, each bumps; racing deletes: one deletes", async () => {
      const { calendars } = backend;
      await calendars.put("vn", settings("VN"), "2025-10-01T00:00:00.000Z");
      const names = ["Bão 1", "Bão 2", "Bão 3", "Bão 4"];
      const results = await Promise.all(names.map((name) => calendars.putOverride("vn", { date: "2026-03-02", kind: "day_off", name }, "2025-10-02T00:00:00.000Z")));
      expect(results.map((r) => r.created).sort()).toEqual([false, false, false, true]);
      expect((await calendars.get("vn"))?.revision).toBe(5);
      const deletes = await Promise.all(names.map(() => calendars.deleteOverride("vn", "2026-03-02", "2025-10-03T00:00:00.000Z")));
      expect(deletes.sort()).toEqual([false, false, false, true]);
      expect((await calendars.get("vn"))?.revision).toBe(6);
      expect(await calendars.listOverrides("vn")).toEqual([]);
    });

    it("publishes a year: created, the same content again unchanged (first publishedAt kept, no bump), other content replaced", async () => {
      const { calendars } = backend;
      await calendars.put("vn", settings("VN"), "2025-10-01T00:00:00.000Z");
      const created = await calendars.publishYear("vn", publication("12729/VPCP-KGVX"), "2025-11-06T00:00:00.000Z");
      const stored = { calendarId: "vn", ...publication("12729/VPCP-KGVX"), publishedAt: "2025-11-06T00:00:00.000Z" };
      expect(created).toEqual({ outcome: "created", published: stored });
      expect(await calendars.publishYear("vn", publication("12729/VPCP-KGVX"), "2025-11-07T00:00:00.000Z")).toEqual({ outcome: "unchanged", published: stored });
      expect((await calendars.get("vn"))?.revision).toBe(2);
      const replaced = await calendars.publishYear("vn", publication("12729/VPCP-KGVX", "Nghỉ Tết"), "2025-11-08T00:00:00.000Z");
      expect(replaced).toEqual({ outcome: "replaced", published: { ...stored, ...publication("12729/VPCP-KGVX", "Nghỉ Tết"), publishedAt: "2025-11-08T00:00:00.000Z" } });
      expect(await calendars.get("vn")).toMatchObject({ revision: 3, updatedAt: "2025-11-08T00:00:00.000Z" });
      const untitled = { ...publication("1/TB"), year: 2025, document: { number: "1/TB", date: "2024-12-01" } };
      await calendars.publishYear("vn", untitled, "2025-11-09T00:00:00.000Z");
      expect(await calendars.listPublishedYears("vn")).toEqual([{ calendarId: "vn", ...untitled, publishedAt: "2025-11-09T00:00:00.000Z" }, replaced.published]);
      expect(await calendars.getPublishedYear("vn", 2026)).toEqual(replaced.published);
      expect(await calendars.getPublishedYear("vn", 2027)).toBeUndefined();
    });

    it("two racing identical publications of a new year: one created, one unchanged, one revision bump", async () => {
      await backend.calendars.put("vn", settings("VN"), "2025-10-01T00:00:00.000Z");
      const outcomes = await Promise.all(
        Array.from({ length: 4 }, () => backend.calendars.publishYear("vn", publication("12729/VPCP-KGVX"), "2025-11-06T00:00:00.000Z")),
      );
      expect(outcomes.map((o) => o.outcome).sort()).toEqual(["created", "unchanged", "unchanged", "unchanged"]);
      expect((await backend.calendars.get("vn"))?.revision).toBe(2);
    });

    it("racing different publications of a new year: one created, each other replaces, a bump each", async () => {
      await backend.calendars.put("vn", settings("VN"), "2025-10-01T00:00:00.000Z");
      const outcomes = await Promise.all(["A", "B", "C", "D"].map((number) => backend.calendars.publishYear("vn", publication(number), "2025-11-06T00:00:00.000Z")));
      expect(outcomes.map((o) => o.outcome).sort()).toEqual(["created", "replaced", "replaced", "replaced"]);
      expect(outcomes.map((o) => o.published.document.number).sort()).toEqual(["A", "B", "C", "D"]);
      expect((await backend.calendars.get("vn"))?.revision).toBe(5);
      expect(["A", "B", "C", "D"]).toContain((await backend.calendars.getPublishedYear("vn", 2026))?.document.number);
    });
  });

  describe("agencies", () => {
    it("creates, then updates keeping createdAt; lists in bytewise code order; racing first puts both succeed", async () => {
      const { agencies, calendars } = backend;
      await calendars.put("vn", settings("VN"), "2025-10-01T00:00:00.000Z");
      const agency = { code: "H42", name: "Hà Tĩnh", parentCode: null, calendarId: "vn", place: "Hà Tĩnh" };
      expect(await agencies.put(agency, "2025-10-01T00:00:00.000Z")).toEqual({
        created: true,
        agency: { ...agency, createdAt: "2025-10-01T00:00:00.000Z", updatedAt: "2025-10-01T00:00:00.000Z" },
      });
      const updated = await agencies.put({ ...agency, name: "UBND tỉnh Hà Tĩnh", place: null }, "2025-10-02T00:00:00.000Z");
      expect(updated).toEqual({
        created: false,
        agency: { ...agency, name: "UBND tỉnh Hà Tĩnh", place: null, createdAt: "2025-10-01T00:00:00.000Z", updatedAt: "2025-10-02T00:00:00.000Z" },
      });
      expect(await agencies.get("H42")).toEqual(updated.agency);
      expect(await agencies.get("H43")).toBeUndefined();
      const raced = await Promise.all(CODES.flatMap((code) => [0, 1].map(() => agencies.put({ ...agency, code, parentCode: "H42" }, "2025-10-03T00:00:00.000Z"))));
      expect(raced.filter((r) => r.created)).toHaveLength(CODES.length);
      expect((await agencies.list()).map((a) => a.code)).toEqual(["B", "H42", "a", "a.b", "ab"]);
      await expect(agencies.put({ ...agency, code: "X", calendarId: "nowhere" }, "2025-10-03T00:00:00.000Z")).rejects.toThrow();
    });
  });

  describe("procedures", () => {
    it("adds versions optimistically; lists current versions in bytewise code order, versions newest first", async () => {
      const { procedures } = backend;
      const v1 = await procedures.addVersion("1.001", 0, definition("Đăng ký khai sinh"), "2025-10-01T00:00:00.000Z");
      expect(v1).toEqual({ code: "1.001", version: 1, ...definition("Đăng ký khai sinh"), createdAt: "2025-10-01T00:00:00.000Z" });
      expect(await procedures.addVersion("1.001", 0, definition("stale"), "2025-10-02T00:00:00.000Z")).toBeUndefined();
      expect(await procedures.addVersion("1.001", 2, definition("ahead"), "2025-10-02T00:00:00.000Z")).toBeUndefined();
      expect(await procedures.addVersion("9.999", 1, definition("missing"), "2025-10-02T00:00:00.000Z")).toBeUndefined();
      const v2 = await procedures.addVersion("1.001", 1, { ...definition("Đăng ký khai sinh (2025)"), supplementPolicy: null, supplementCompletion: null, committedDurationDerived: true }, "2025-10-03T00:00:00.000Z");
      expect(v2).toMatchObject({ version: 2, supplementPolicy: null, supplementCompletion: null, committedDurationDerived: true });
      expect(await procedures.get("1.001")).toEqual(v2);
      expect(await procedures.getVersion("1.001", 1)).toEqual(v1);
      expect(await procedures.getVersion("1.001", 3)).toBeUndefined();
      expect(await procedures.get("9.999")).toBeUndefined();
      expect(await procedures.listVersions("1.001")).toEqual([v2, v1]);
      for (const code of CODES) await procedures.addVersion(code, 0, definition(code), "2025-10-04T00:00:00.000Z");
      expect((await procedures.list()).map((p) => [p.code, p.version])).toEqual([["1.001", 2], ...BYTEWISE.map((c) => [c, 1])]);
    });

    it.each([0, 1])("racing addVersion with expectedCurrent %i: exactly one wins, the others get undefined (no error)", async (expectedCurrent) => {
      const { procedures } = backend;
      if (expectedCurrent === 1) await procedures.addVersion("1.001", 0, definition("v1"), "2025-10-01T00:00:00.000Z");
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) => procedures.addVersion("1.001", expectedCurrent, definition(`racer ${i}`), "2025-10-02T00:00:00.000Z")),
      );
      const winners = results.filter((r) => r !== undefined);
      expect(winners).toHaveLength(1);
      expect(winners[0]!.version).toBe(expectedCurrent + 1);
      expect(await procedures.get("1.001")).toEqual(winners[0]);
      expect((await procedures.listVersions("1.001")).map((v) => v.version)).toEqual(expectedCurrent === 1 ? [2, 1] : [1]);
    });
  });

  describe("API keys", () => {
    const key = (id: string, createdAt: string) => ({ id, name: `key ${id}`, role: "desk" as const, agencyCodes: ["H42", "H42.01"], createdAt });

    it("finds active keys by hash; a revoked key is not found, not counted, and cannot be revoked twice", async () => {
      const { apiKeys } = backend;
      await apiKeys.insert(key("k2", "2025-10-01T00:00:00.000Z"), "hash-2");
      await apiKeys.insert(key("k1", "2025-10-01T00:00:00.000Z"), "hash-1");
      await apiKeys.insert(key("K9", "2025-10-01T00:00:00.000Z"), "hash-0");
      await apiKeys.insert({ ...key("k3", "2025-09-30T00:00:00.000Z"), role: "admin", agencyCodes: [] }, "hash-3");
      expect(await apiKeys.findActiveByHash("hash-1")).toEqual({ ...key("k1", "2025-10-01T00:00:00.000Z"), revokedAt: null });
      expect(await apiKeys.countActive()).toBe(4);
      expect(await apiKeys.revoke("k1", "2025-10-02T00:00:00.000Z")).toBe(true);
      expect(await apiKeys.findActiveByHash("hash-1")).toBeUndefined();
      expect(await apiKeys.revoke("k1", "2025-10-03T00:00:00.000Z")).toBe(false);
      expect(await apiKeys.revoke("nobody", "2025-10-03T00:00:00.000Z")).toBe(false);
      expect(await apiKeys.countActive()).toBe(3);
      const listed = await apiKeys.list();
      expect(listed.map((k) => k.id)).toEqual(["k3", "K9", "k1", "k2"]);
      expect(listed.find((k) => k.id === "k1")).toEqual({ ...key("k1", "2025-10-01T00:00:00.000Z"), revokedAt: "2025-10-02T00:00:00.000Z" });
      expect(listed.every((k) => !("keyHash" in k))).toBe(true);
      await expect(apiKeys.insert(key("k4", "2025-10-04T00:00:00.000Z"), "hash-2")).rejects.toThrow();
    });

    it("a write claims the request's Idempotency-Key with it; a revocation that changed nothing claims nothing", async () => {
      const { apiKeys, idempotency } = backend;
      const claim = (key: string) => ({ scope: "admin-key", key, method: "POST", path: "/v1/api-keys", bodyHash: "b", createdAt: 1_000 });
      const inserting = { claim: claim("create-1"), claimed: false };
      await writeContext.run(inserting, () => apiKeys.insert(key("k1", "2025-10-01T00:00:00.000Z"), "hash-1"));
      expect(inserting.claimed).toBe(true);
      expect(await idempotency.find("admin-key", "create-1")).toEqual({ ...claim("create-1"), response: null });
      const revokingNothing = { claim: claim("revoke-1"), claimed: false };
      expect(await writeContext.run(revokingNothing, () => apiKeys.revoke("nobody", "2025-10-02T00:00:00.000Z"))).toBe(false);
      expect(revokingNothing.claimed).toBe(false);
      expect(await idempotency.find("admin-key", "revoke-1")).toBeUndefined();
      // The same key again within the window: the write is refused and rolled back.
      const again = { claim: claim("create-1"), claimed: false };
      await expect(writeContext.run(again, () => apiKeys.insert(key("k2", "2025-10-01T00:00:00.000Z"), "hash-2"))).rejects.toMatchObject({ reason: "idempotency_key_in_use" });
      expect(await apiKeys.findActiveByHash("hash-2")).toBeUndefined();
    });
  });

  describe("idempotency keys", () => {
    it("stores the response of a claimed key, and purges keys created before an instant", async () => {
      const { apiKeys, idempotency } = backend;
      const claim = (key: string, createdAt: number) => ({ scope: "public", key, method: "POST", path: "/v1/x", bodyHash: "b", createdAt });
      for (const [i, createdAt] of [1_000, 2_000, 3_000].entries()) {
        await writeContext.run({ claim: claim(`k${i}`, createdAt), claimed: false }, () =>
          apiKeys.insert({ id: `id${i}`, name: "n", role: "desk", agencyCodes: [], createdAt: "2025-10-01T00:00:00.000Z" }, `h${i}`),
        );
      }
      await idempotency.complete("public", "k1", { status: 201, contentType: "application/json; charset=utf-8", body: '{"ok":true}' });
      await idempotency.complete("public", "unknown", { status: 201, contentType: null, body: "" });
      expect(await idempotency.find("public", "k1")).toEqual({ ...claim("k1", 2_000), response: { status: 201, contentType: "application/json; charset=utf-8", body: '{"ok":true}' } });
      expect(await idempotency.find("public", "k0")).toEqual({ ...claim("k0", 1_000), response: null });
      expect(await idempotency.find("other-scope", "k1")).toBeUndefined();
      expect(await idempotency.purge(2_000)).toBe(1);
      expect(await idempotency.purge(2_000)).toBe(0);
      expect(await idempotency.find("public", "k0")).toBeUndefined();
      expect(await idempotency.purge(10_000)).toBe(2);
    });
  });

  describe("webhook subscriptions", () => {
    const subscription = (id: string, events: string[], createdAt: number, agencyCodes: string[] | null = null) => ({
      id,
      url: `https://desk.example.vn/hooks/${id}`,
      events: events as never[],
      agencyCodes,
      createdAt,
      rotatedAt: null,
      createdBy: "admin-key",
    });

    it("lists by creation then bytewise id, filters by event type, rotates with an overlap, deletes once", async () => {
      const { webhooks } = backend;
      await webhooks.insert({ ...subscription("b", ["dossier.received", "dossier.overdue"], 2_000, ["H42"]), secret: "s-b" });
      await webhooks.insert({ ...subscription("a", ["dossier.overdue"], 2_000), secret: "s-a" });
      await webhooks.insert({ ...subscription("B", ["apology_letter.issued"], 2_000), secret: "s-B" });
      await webhooks.insert({ ...subscription("z", ["dossier.received"], 1_000, []), secret: "s-z" });
      expect((await webhooks.list()).map((s) => s.id)).toEqual(["z", "B", "a", "b"]);
      expect(await webhooks.get("b")).toEqual(subscription("b", ["dossier.received", "dossier.overdue"], 2_000, ["H42"]));
      expect(await webhooks.get("z")).toEqual(subscription("z", ["dossier.received"], 1_000, []));
      expect(await webhooks.get("nope")).toBeUndefined();
      expect((await webhooks.subscribedTo("dossier.received")).map((s) => s.id)).toEqual(["z", "b"]);
      expect((await webhooks.subscribedTo("dossier.overdue")).map((s) => s.id)).toEqual(["a", "b"]);
      expect(await webhooks.subscribedTo("duty.overdue")).toEqual([]);

      expect(await webhooks.secretsOf("a", 5_000)).toEqual(["s-a"]);
      expect(await webhooks.rotate("a", "s-a2", 5_000, 9_000)).toBe(true);
      expect(await webhooks.secretsOf("a", 8_999)).toEqual(["s-a2", "s-a"]);
      expect(await webhooks.secretsOf("a", 9_000)).toEqual(["s-a2"]);
      expect((await webhooks.get("a"))?.rotatedAt).toBe(5_000);
      expect(await webhooks.rotate("nope", "x", 5_000, 9_000)).toBe(false);
      expect(await webhooks.secretsOf("nope", 5_000)).toBeUndefined();

      expect(await webhooks.delete("b")).toBe(true);
      expect(await webhooks.delete("b")).toBe(false);
      expect((await webhooks.subscribedTo("dossier.received")).map((s) => s.id)).toEqual(["z"]);
    });
  });

  describe("access audit", () => {
    it("200 appends in one turn are one batch: all listed once committed, paged newest first by cursor", async () => {
      const { audit } = backend;
      const appends = Array.from({ length: 200 }, (_, i) => audit.append(entry(i + 1)));
      await Promise.all(appends);
      expect(await backend.countAudit()).toBe(200);

      const ids: number[] = [];
      let cursor: number | undefined;
      let pages = 0;
      do {
        const page = await audit.list({ limit: 30, ...(cursor !== undefined ? { cursor } : {}) });
        ids.push(...page.items.map((item) => item.id));
        cursor = page.nextCursor ?? undefined;
        pages++;
      } while (cursor !== undefined);
      expect(pages).toBe(7);
      expect(ids).toEqual(Array.from({ length: 200 }, (_, i) => 200 - i));
      const [newest] = (await audit.list({ limit: 1 })).items;
      expect(newest).toEqual({ id: 200, ...entry(200) });
    });

    it("filters by dossier, actor and instant range, with the same pages", async () => {
      const { audit } = backend;
      await Promise.all(Array.from({ length: 40 }, (_, i) => audit.append(entry(i + 1))));
      const byDossier = await audit.list({ receiptCode: entry(3).receiptCode, limit: 3 });
      expect(byDossier.items.map((e) => e.id)).toEqual([38, 33, 28]);
      expect(byDossier.nextCursor).toBe(28);
      expect((await audit.list({ receiptCode: entry(3).receiptCode, cursor: 28, limit: 10 })).items.map((e) => e.id)).toEqual([23, 18, 13, 8, 3]);
      const byActor = await audit.list({ actorKeyId: "key-even", from: entry(10).at, before: entry(20).at, limit: 100 });
      expect(byActor).toEqual({ items: [18, 16, 14, 12, 10].map((i) => ({ id: i, ...entry(i) })), nextCursor: null });
      expect(await audit.list({ actorKeyId: "nobody", limit: 5 })).toEqual({ items: [], nextCursor: null });
    });

    it("lists what was appended just before, without waiting for the next turn", async () => {
      const appended = backend.audit.append(entry(1));
      expect((await backend.audit.list({ limit: 10 })).items).toHaveLength(1);
      await appended;
    });

    it("flush commits what is queued and resolves once every batch started so far has committed", async () => {
      const { audit } = backend;
      // One turn's batch larger than one statement could carry as eight parameters a row (65,535 at most).
      const first = Array.from({ length: 20_000 }, (_, i) => audit.append(entry(i)));
      await new Promise((resolve) => setImmediate(resolve)); // that batch has started (on PostgreSQL, it is in flight)
      const second = [audit.append(entry(1)), audit.append(entry(2))];
      await audit.flush();
      expect(await backend.countAudit()).toBe(20_002);
      await Promise.all([...first, ...second]);
      await audit.flush();
    });

    it("an entry that cannot be stored fails every append of its batch, and nothing of it is stored; the next turn's entries are stored", async () => {
      const { audit } = backend;
      const batch = Array.from({ length: 5 }, (_, i) => audit.append(i === 2 ? entry(i, { receiptCode: null as unknown as string }) : entry(i)));
      const settled = await Promise.allSettled(batch);
      expect(settled.map((s) => s.status)).toEqual(Array(5).fill("rejected"));
      expect(await backend.countAudit()).toBe(0);
      await audit.append(entry(9));
      expect(await backend.countAudit()).toBe(1);
    });

    it("an append after the storage closed rejects, and the process carries on", async () => {
      await backend.close();
      const appends = [backend.audit.append(entry(1)), backend.audit.append(entry(2))];
      for (const appended of appends) await expect(appended).rejects.toThrow();
      await backend.audit.flush();
    });
  });

  describe("operations status", () => {
    it("counts open, overdue and at-risk dossiers per handling agency, in bytewise code order", async () => {
      const now = 1_000_000;
      const until = now + 480 * 60_000;
      let i = 0;
      const rows: DossierRow[] = [];
      const add = (handlingAgencyCode: string, status: DossierRow["status"], dueAt: number, more: Partial<DossierRow> = {}) =>
        rows.push(dossier(++i, { handlingAgencyCode, status, paused: false, dueAt, ...more }));
      add("a", "received", now - 1); // overdue
      add("a", "in_progress", now); // at risk (due now, not yet overdue)
      add("a", "in_progress", until); // at risk
      add("a", "in_progress", until + 1); // open only
      add("a", "returned", now - 1); // closed: not counted
      add("B", "supplement_requested", now - 1, { paused: true }); // paused: neither
      add("B", "suspended", now - 1, { paused: true, lateWhenSuspended: true }); // overdue while suspended
      add("B", "withdrawal_requested", now + 1); // at risk
      add("ab", "cancelled", now);
      add("a.b", "stopped", now);
      await backend.insertDossiers(rows);
      expect(await backend.operations.loadByAgency(OPEN_STATUSES, now, until)).toEqual([
        { agencyCode: "B", open: 3, overdue: 1, atRisk: 1 },
        { agencyCode: "a", open: 4, overdue: 1, atRisk: 2 },
      ]);
      expect(await backend.operations.loadByAgency(["stopped", "cancelled"], now, until)).toEqual([
        { agencyCode: "a.b", open: 1, overdue: 0, atRisk: 1 },
        { agencyCode: "ab", open: 1, overdue: 0, atRisk: 1 },
      ]);
      expect(await backend.operations.loadByAgency([], now, until)).toEqual([]);
    });
  });
});

describe("on postgres only", () => {
  it("the 200 appends of one turn are written by one statement, in one transaction", async () => {
    const { backend, pool } = await openPostgresBackend();
    try {
      await Promise.all(Array.from({ length: 200 }, (_, i) => backend.audit.append(entry(i))));
      // xmin: the transaction that wrote each row.
      const { rows } = await pool.query<{ writers: number; entries: number }>("select count(distinct xmin::text)::int as writers, count(*)::int as entries from access_audit");
      expect(rows[0]).toEqual({ writers: 1, entries: 200 });
    } finally {
      await backend.dispose();
    }
  });
});
