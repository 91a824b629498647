import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_CALENDAR_RULES } from "../../src/domain/calendar/calendar-defaults.js";
import { vnDaysOfYear } from "../../src/domain/calendar/calendar-days.js";
import { createWorkingCalendar } from "../../src/domain/calendar/working-calendar.js";
import { computeDueAt, replayDossier, type DossierFacts } from "../../src/domain/dossier/dossier-fold.js";
import type { DossierEvent } from "../../src/domain/dossier/dossier-types.js";
import { planMoments } from "../../src/domain/outbound/next-moments.js";
import { openSqlite, type SqliteHandle } from "../../src/db/sqlite/sqlite-client.js";
import { createSqliteOutboxRepository } from "../../src/db/sqlite/outbox-repository.js";
import { createSqliteScheduleRepository } from "../../src/db/sqlite/schedule-repository.js";
import { createMomentScheduler } from "../../src/services/outbound/moment-scheduler.js";
import type { SqliteOutboxRepository } from "../../src/db/sqlite/outbox-repository.js";
import type { SqliteScheduleRepository } from "../../src/db/sqlite/schedule-repository.js";

const calendar = createWorkingCalendar(DEFAULT_CALENDAR_RULES, vnDaysOfYear);
const at = (iso: string) => Date.parse(iso);
const A = "000.00.12.H22";
const CODE = "000.00.12.H22-250707-0001";
const RECEIVED = at("2025-07-07T08:00:00+07:00");
const ev = (id: string, type: DossierEvent["type"], iso: string, fields: Record<string, unknown> = {}): DossierEvent =>
  ({ eventId: id, type, occurredAt: at(iso), agencyCode: A, ...fields }) as DossierEvent;
const facts: DossierFacts = {
  receivedAt: RECEIVED,
  receivingAgencyCode: A,
  handlingAgencyCode: A,
  committedDuration: { value: 5, unit: "working_days" },
  legalDuration: { value: 7, unit: "working_days" },
  supplementPolicy: null,
  supplementCompletion: null,
  channel: "online",
  submittedAt: null,
  steps: [],
  originalDueAt: computeDueAt(calendar, RECEIVED, { value: 5, unit: "working_days" }),
};

describe("the durable schedule and its scheduler", () => {
  let handle: SqliteHandle;
  let schedule: SqliteScheduleRepository;
  let outbox: SqliteOutboxRepository;
  let clock: number;
  beforeEach(() => {
    handle = openSqlite(":memory:");
    outbox = createSqliteOutboxRepository(handle.db);
    schedule = createSqliteScheduleRepository(handle.db, outbox);
    clock = RECEIVED;
  });
  afterEach(() => handle.close());

  /** What a dossier write would do in its transaction: replay, plan without what fired, replan. */
  const write = (events: DossierEvent[]) =>
    handle.sqlite.transaction(() => {
      const r = replayDossier(facts, events, calendar);
      if (!r.ok) throw new Error(r.violation.message);
      schedule.replan(CODE, planMoments({ replay: r.replay, calendar, fired: schedule.firedKeys(CODE) }), clock);
    })();

  const scheduler = () =>
    createMomentScheduler({
      schedule,
      messagesOf: async (moment, firedAt) => [
          {
            id: `msg_${moment.key}`,
            orderingKey: moment.receiptCode,
            receiptCode: moment.receiptCode,
            destination: { kind: "webhook", id: "wh_1" },
            eventType: moment.eventType,
            payload: JSON.stringify({ type: moment.eventType, timestamp: new Date(firedAt).toISOString(), data: moment.detail }),
            createdAt: firedAt,
          },
        ],
      now: () => clock,
    });

  const sent = async () => (await outbox.backlog(clock)).pending;

  it("fires each moment once when it comes; a replan keeps what fired; a restart plans a new period", async () => {
    const transfer = ev("t", "transferred", "2025-07-07T09:00:00+07:00", { toAgencyCode: A });
    write([transfer]);
    const s = scheduler();
    expect(await s.runDue()).toBe(0);
    clock = at("2025-07-10T15:30:00+07:00"); // 75 %
    expect(await s.runDue()).toBe(1);
    expect(await s.runDue()).toBe(0);
    write([transfer]); // any later write replans: the 75 % does not come back
    expect(await s.runDue()).toBe(0);
    expect(schedule.firedKeys(CODE)).toEqual(new Set(["at_risk:75:p0"]));

    // A supplement under Decree 118 art. 19(5) restarts the clock: a new period, new thresholds.
    const restart = [transfer, ev("q", "supplement_requested", "2025-07-10T16:00:00+07:00", { reason: "x" }), ev("g", "supplement_received", "2025-07-11T08:00:00+07:00")];
    clock = at("2025-07-11T08:00:00+07:00");
    write(restart);
    const next = (await schedule.nextDueAt())!;
    clock = next;
    expect(await s.runDue()).toBe(1);
    expect(schedule.firedKeys(CODE).has("at_risk:75:p1")).toBe(true);
    expect(await sent()).toBe(2);
  });

  it("a late scheduler drops stale at-risk warnings and sends only the overdue", async () => {
    write([ev("t", "transferred", "2025-07-07T09:00:00+07:00", { toAgencyCode: A })]);
    clock = at("2025-07-20T08:00:00+07:00"); // long past the due instant
    expect(await scheduler().runDue()).toBe(1);
    expect((await outbox.get("msg_overdue:p0"))?.eventType).toBe("dossier.overdue");
    expect(await outbox.get("msg_at_risk:75:p0")).toBeUndefined();
    expect(await schedule.due(clock, 10)).toEqual([]);
  });

  it("a failing fire rolls its batch back (nothing marked) and is retried later, not in a loop", async () => {
    // Two messages with one id: the outbox refuses the second inside the fire's transaction.
    const twice = (moment: { key: string; receiptCode: string; eventType: "dossier.at_risk" | "dossier.overdue" | "duty.overdue" }, firedAt: number) => {
      const message = { id: `msg_${moment.key}`, orderingKey: moment.receiptCode, receiptCode: moment.receiptCode, destination: { kind: "webhook" as const, id: "wh_1" }, eventType: moment.eventType, payload: "{}", createdAt: firedAt };
      return [message, message];
    };
    write([ev("t", "transferred", "2025-07-07T09:00:00+07:00", { toAgencyCode: A })]);
    clock = at("2025-07-20T08:00:00+07:00");
    const waits: number[] = [];
    let failing = true;
    const s = createMomentScheduler({
      schedule,
      messagesOf: async (moment, firedAt) => (failing ? twice(moment, firedAt) : []),
      now: () => clock,
      onError: () => undefined,
      setTimer: (_fn, ms) => {
        waits.push(ms);
        return { cancel: () => undefined };
      },
    });
    s.start();
    await vi.waitFor(() => expect(waits).toEqual([5_000]));
    expect(await schedule.due(clock, 10)).toHaveLength(3);
    failing = false;
    expect(await s.runDue()).toBe(1);
    s.stop();
  });

  it("sleeps until the next moment, and wakes when a write replans", async () => {
    write([ev("t", "transferred", "2025-07-07T09:00:00+07:00", { toAgencyCode: A })]);
    const waits: number[] = [];
    const s = createMomentScheduler({
      schedule,
      messagesOf: async () => [],
      now: () => clock,
      maxSleepMs: 10 * 86_400_000,
      setTimer: (_fn, ms) => {
        waits.push(ms);
        return { cancel: () => undefined };
      },
    });
    s.start();
    await vi.waitFor(() => expect(waits).toHaveLength(1));
    expect(waits.at(-1)).toBe(at("2025-07-10T15:30:00+07:00") - clock);
    s.stop();
  });
});
