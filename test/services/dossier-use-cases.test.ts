/**
 * The dossier use cases against in-memory fakes of their narrow ports (STYLE.md: services are
 * factories over `Pick<Repo, …>`, which makes fakes trivial). The HTTP suites drive the same use
 * cases on a real SQLite file; these pin what only a fake can arrange (a race lost on every
 * attempt) and read as the use cases' specification.
 */
import { describe, expect, it } from "vitest";
import type { Principal } from "../../src/domain/access/roles.js";
import { DEFAULT_CALENDAR_RULES } from "../../src/domain/calendar/calendar-defaults.js";
import { createWorkingCalendar } from "../../src/domain/calendar/working-calendar.js";
import type { ProcedureVersion } from "../../src/domain/procedure/procedure-types.js";
import { AppError } from "../../src/domain/errors.js";
import type { AuditAction } from "../../src/domain/access/audit.js";
import type { AgencyRecord } from "../../src/services/catalog-ports.js";
import type { DossierProjection, DossierRecord, DossierRepository, NewEvent, StoredEvent } from "../../src/services/dossier-ports.js";
import { createDossierUseCases } from "../../src/services/dossiers/index.js";
import type { CalendarService } from "../../src/services/calendar-service.js";
import type { Requester } from "../../src/services/audit-service.js";

const NOW = Date.parse("2026-03-02T09:00:00+07:00");

const agency = (code: string, parentCode: string | null): AgencyRecord => ({
  code,
  name: `Agency ${code}`,
  parentCode,
  calendarId: "vn",
  place: null,
  createdAt: "2026-01-01T00:00:00+07:00",
  updatedAt: "2026-01-01T00:00:00+07:00",
});
const AGENCIES = new Map([agency("PROV", null), agency("DEPT", "PROV"), agency("OTHER", null)].map((a) => [a.code, a]));

const PROCEDURE: ProcedureVersion = {
  code: "1.000001",
  version: 1,
  name: "A procedure",
  fieldCode: "F",
  fieldName: "Field",
  legalDuration: { value: 10, unit: "working_days" },
  committedDuration: { value: 7, unit: "working_days" },
  committedDurationDerived: false,
  supplementPolicy: null,
  supplementCompletion: null,
  steps: [],
  createdAt: "2026-01-01T00:00:00+07:00",
};

const admin: Principal = { keyId: "k-admin", name: "admin", role: "admin", agencyCodes: [] };
const desk = (...agencyCodes: string[]): Principal => ({ keyId: `k-${agencyCodes.join("-")}`, name: "desk", role: "desk", agencyCodes });
const reporter: Principal = { keyId: "k-rep", name: "reporter", role: "reporter", agencyCodes: [] };
const requester = (principal: Principal): Requester & { principal: Principal } => ({ principal, remoteAddress: "192.0.2.7", requestId: "req-1" });

/** The dossier store as a map; `loseRaces` makes the next appends lose to a concurrent writer. */
function fakeDossiers() {
  const rows = new Map<string, { dossier: DossierRecord; events: StoredEvent[] }>();
  const ratings = new Set<string>();
  let sequence = 0;
  const state = { loseRaces: 0, appendCalls: 0, historyReads: 0 };
  const repo: Pick<DossierRepository, "get" | "getWithEvents" | "insert" | "findEvents" | "appendEvents" | "insertRating" | "list"> = {
    get: async (code) => rows.get(code)?.dossier,
    getWithEvents: async (code) => {
      state.historyReads++;
      const found = rows.get(code);
      return found && { dossier: found.dossier, events: [...found.events] };
    },
    insert: async (input, generateCodeFor) => {
      const receiptCode = input.receiptCode ?? `${generateCodeFor!.agencyCode}-${generateCodeFor!.day}-${String(++sequence).padStart(4, "0")}`;
      if (rows.has(receiptCode)) return undefined;
      const { overdueSpans: _s, duties: _d, statContributions: _c, ...dossier } = input;
      const record = { ...dossier, receiptCode } as DossierRecord;
      rows.set(receiptCode, { dossier: record, events: [] });
      return record;
    },
    findEvents: async (ids) => [...rows.values()].flatMap((r) => r.events).filter((e) => ids.includes(e.event.eventId)),
    appendEvents: async (code, expected, events: readonly NewEvent[], projection: DossierProjection, at) => {
      state.appendCalls++;
      if (state.loseRaces > 0) {
        state.loseRaces--;
        return false;
      }
      const found = rows.get(code)!;
      if (found.dossier.eventCount !== expected) return false;
      const { overdueSpans: _s, duties: _d, statContributions: _c, ...columns } = projection;
      found.dossier = { ...found.dossier, ...columns, updatedAt: at };
      found.events.push(...events.map((e) => ({ event: e.event, receiptCode: code, bodyHash: e.bodyHash, recordedAt: at, recordedBy: e.recordedBy })));
      return true;
    },
    insertRating: async (code) => (ratings.has(code) ? false : (ratings.add(code), true)),
    list: async () => ({ items: [...rows.values()].map((r) => r.dossier), nextCursor: null }),
  };
  return { repo, rows, state };
}

function useCases() {
  const store = fakeDossiers();
  const audited: { action: AuditAction; receiptCode: string; requester: Requester }[] = [];
  const engine = createWorkingCalendar(DEFAULT_CALENDAR_RULES, () => []);
  const cases = createDossierUseCases({
    dossiers: store.repo as DossierRepository,
    procedures: { get: async (code: string) => (code === PROCEDURE.code ? PROCEDURE : undefined), getVersion: async () => PROCEDURE } as never,
    agencies: { get: async (code: string) => AGENCIES.get(code), list: async () => [...AGENCIES.values()] } as never,
    calendars: { engineFor: async () => engine } as unknown as CalendarService,
    audit: { record: async (action, receiptCode, who) => void audited.push({ action, receiptCode, requester: who }) },
    now: () => NOW,
  });
  return { cases, store, audited };
}

const reception = { procedureCode: PROCEDURE.code, receivingAgencyCode: "DEPT", channel: "direct" as const, applicant: { kind: "citizen" as const, name: "Nguyễn Văn An", idNumber: "001090012345" } };
const started = (eventId: string) => ({ eventId, type: "result_ready" as const, occurredAt: "2026-03-02T09:00:00+07:00", agencyCode: "DEPT", outcome: "approved" as const });

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return (error as AppError).code;
}

describe("one access rule over the agency tree", () => {
  it("lets a desk act for its agencies and those below them, never above or beside", async () => {
    const { cases } = useCases();
    expect(await cases.access.mayActFor(desk("PROV"), "DEPT")).toBe(true);
    expect(await cases.access.mayActFor(desk("DEPT"), "DEPT")).toBe(true);
    expect(await cases.access.mayActFor(desk("DEPT"), "PROV")).toBe(false);
    expect(await cases.access.mayActFor(desk("OTHER"), "DEPT")).toBe(false);
    expect(await cases.access.mayActFor(reporter, "DEPT")).toBe(false);
    expect(await cases.access.mayActFor(admin, "OTHER")).toBe(true);
  });
});

describe("receiving a dossier", () => {
  it("when a desk of the parent agency receives for its department, then the code names the department's namespace", async () => {
    const { cases } = useCases();
    const { created, view } = await cases.receive(reception, desk("PROV"));
    expect(created).toBe(true);
    expect(view.record.receiptCode).toMatch(/^DEPT-260302-0001$/);
    expect(view.state.status).toBe("received");
  });

  it("when a desk of an unrelated agency receives, then it is refused and nothing is stored", async () => {
    const { cases, store } = useCases();
    expect(await refusal(cases.receive(reception, desk("OTHER")))).toBe("forbidden");
    expect(store.rows.size).toBe(0);
  });
});

describe("recording events", () => {
  it("when another write wins the race, then the use case replays against the newer history and retries", async () => {
    const { cases, store } = useCases();
    const code = (await cases.receive(reception, admin)).view.record.receiptCode;
    store.state.loseRaces = 2;
    const { created, view } = await cases.postEvents(code, [started("e1")], admin, false);
    expect(created).toBe(true);
    expect(store.state.appendCalls).toBe(3);
    expect(view.state.status).toBe("result_ready");
  });

  it("when every attempt loses the race, then it answers a conflict instead of looping", async () => {
    const { cases, store } = useCases();
    const code = (await cases.receive(reception, admin)).view.record.receiptCode;
    store.state.loseRaces = 100;
    expect(await refusal(cases.postEvents(code, [started("e1")], admin, false))).toBe("conflict");
    expect(store.state.appendCalls).toBe(5);
    expect(store.rows.get(code)!.events).toEqual([]);
  });

  it("when a desk records in the name of an agency it may not act for, then nothing is appended", async () => {
    const { cases, store } = useCases();
    const code = (await cases.receive(reception, admin)).view.record.receiptCode;
    expect(await refusal(cases.postEvents(code, [{ ...started("e1"), agencyCode: "PROV" }], desk("DEPT"), false))).toBe("forbidden");
    expect(store.state.appendCalls).toBe(0);
  });

  it("when the same event is sent again, then it is acknowledged without a write", async () => {
    const { cases, store } = useCases();
    const code = (await cases.receive(reception, admin)).view.record.receiptCode;
    await cases.postEvents(code, [started("e1")], admin, false);
    const again = await cases.postEvents(code, [started("e1")], admin, false);
    expect(again.created).toBe(false);
    expect(store.state.appendCalls).toBe(1);
  });
});

describe("the kept replay (issue #12: extend the history instead of replaying it)", () => {
  // Ten seconds a step: every instant stays within the clock skew allowed after NOW.
  const at = (steps: number) => new Date(Date.parse("2026-03-02T09:00:00+07:00") + steps * 10_000).toISOString();
  const hop = (id: string, minutes: number, to: string) => ({ eventId: id, type: "transferred" as const, occurredAt: at(minutes), agencyCode: to === "PROV" ? "DEPT" : "PROV", toAgencyCode: to });

  it("when events arrive after the history, then a write neither reads nor replays it, and answers as a full replay would", async () => {
    const { cases, store } = useCases();
    const code = (await cases.receive(reception, admin)).view.record.receiptCode;
    const reads = store.state.historyReads;
    let last;
    for (let i = 1; i <= 6; i++) last = await cases.postEvents(code, [hop(`h${i}`, i, i % 2 === 1 ? "PROV" : "DEPT")], admin, false);
    expect(store.state.historyReads).toBe(reads);
    // A fresh set of use cases (no kept replay) reads and replays the same history: the same answer.
    const fresh = useCases();
    fresh.store.rows.set(code, store.rows.get(code)!);
    const full = await fresh.cases.get(code, admin);
    expect(last!.view.state).toEqual(full.state);
  });

  it("when a late event arrives, then the write reads and replays the whole history", async () => {
    const { cases, store } = useCases();
    const code = (await cases.receive(reception, admin)).view.record.receiptCode;
    await cases.postEvents(code, [hop("h1", 10, "PROV")], admin, false);
    const reads = store.state.historyReads;
    // Late: it sorts before the kept replay's last event (a transfer back and forth before h1).
    await cases.postEvents(code, [{ ...hop("h0", 5, "DEPT"), agencyCode: "DEPT" }], admin, false).catch(() => undefined);
    expect(store.state.historyReads).toBe(reads + 1);
  });

  it("when another process wrote the dossier, then the kept replay is stale and the write reads the history", async () => {
    const { cases, store } = useCases();
    const code = (await cases.receive(reception, admin)).view.record.receiptCode;
    await cases.postEvents(code, [hop("h1", 1, "PROV")], admin, false);
    // Another instance on the same storage appends h2: the row's event count moves past the kept replay.
    const row = store.rows.get(code)!;
    row.events.push({ event: { eventId: "h2", type: "transferred", occurredAt: Date.parse(at(2)), agencyCode: "PROV", toAgencyCode: "DEPT" }, receiptCode: code, bodyHash: "x", recordedAt: 0, recordedBy: null });
    row.dossier = { ...row.dossier, eventCount: row.dossier.eventCount + 1 };
    const reads = store.state.historyReads;
    const after = await cases.postEvents(code, [hop("h3", 3, "PROV")], admin, false);
    expect(store.state.historyReads).toBe(reads + 1);
    expect(after.view.state.eventCount).toBe(3);
    expect(after.view.state.currentAgencyCode).toBe("PROV");
  });
});

describe("reads record the access audit themselves", () => {
  it("when staff read a dossier or its timeline, then each read is on record with who asked, from where and the request id", async () => {
    const { cases, audited } = useCases();
    const code = (await cases.receive(reception, admin)).view.record.receiptCode;
    await cases.read(code, requester(reporter));
    await cases.readEvents(code, requester(desk("DEPT")));
    expect(audited.map((a) => [a.action, a.receiptCode, a.requester.principal?.keyId, a.requester.remoteAddress, a.requester.requestId])).toEqual([
      ["dossier.read", code, "k-rep", "192.0.2.7", "req-1"],
      ["dossier.events", code, "k-DEPT", "192.0.2.7", "req-1"],
    ]);
  });

  it("when a read is refused, then nothing is recorded", async () => {
    const { cases, audited } = useCases();
    const code = (await cases.receive(reception, admin)).view.record.receiptCode;
    expect(await refusal(cases.read(code, requester(desk("OTHER"))))).toBe("forbidden");
    expect(await refusal(cases.read("DEPT-260302-9999", requester(admin)))).toBe("not_found");
    expect(audited).toEqual([]);
  });

  it("when the applicant looks the dossier up on the portal, then the read is recorded as public; a wrong number records nothing", async () => {
    const { cases, audited } = useCases();
    const code = (await cases.receive(reception, admin)).view.record.receiptCode;
    const anonymous = { principal: null, remoteAddress: "198.51.100.1", requestId: "req-2" };
    expect(await refusal(cases.portal.lookup(code, "001090099999", anonymous))).toBe("not_found");
    expect(audited).toEqual([]);
    const found = await cases.portal.lookup(code, "001090012345", anonymous);
    expect(found.agencyName).toBe("Agency DEPT");
    expect(audited).toEqual([{ action: "public.lookup", receiptCode: code, requester: anonymous }]);
  });
});
