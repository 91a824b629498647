/**
 * The outbound building blocks on a dossier stored by the real app (real routes, real SQLite):
 * its portal record agrees with GET /v1/dossiers/{code}; its moments are planned and fired into
 * the outbox, which delivers them, signed, to a loopback receiver. (The write path does not
 * enqueue yet: the lead wires it; this drives the same calls by hand.)
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSqliteRepositories } from "../../src/db/sqlite/index.js";
import { createSqliteOutboxRepository } from "../../src/db/sqlite/outbox-repository.js";
import { createSqliteScheduleRepository } from "../../src/db/sqlite/schedule-repository.js";
import { createSqliteWebhookSubscriptionRepository } from "../../src/db/sqlite/webhook-subscription-repository.js";
import { createDispatcher } from "../../src/services/outbound/dispatcher.js";
import { momentEvent, portalRecordOf, plannedMoments, type StoredDossier } from "../../src/services/outbound/stored-dossier-outbound.js";
import { createEndpointDirectory } from "../../src/services/outbound/endpoint-directory.js";
import { createHttpDeliverer } from "../../src/services/outbound/http-deliverer.js";
import { createMomentScheduler } from "../../src/services/outbound/moment-scheduler.js";
import { outboundMessages } from "../../src/services/outbound/outbound-messages.js";
import { generateWebhookSecret, verifyWebhook } from "../../src/services/outbound/webhook-signature.js";
import { event, JUSTICE, postEvent, received, seedProvince } from "../support/dossier-fixtures.js";
import { ADMIN, startTestApp, type TestApp } from "../support/test-app.js";

describe("outbound on a dossier stored by the real app", () => {
  let t: TestApp;
  let clock = Date.parse("2025-07-07T08:00:00+07:00");
  beforeAll(async () => {
    t = await startTestApp({ now: () => clock });
    await seedProvince(t);
  });
  afterAll(async () => t.close());

  async function stored(code: string): Promise<StoredDossier> {
    const repos = createSqliteRepositories(t.app.database);
    const found = (await repos.dossiers.getWithEvents(code))!;
    return {
      record: found.dossier,
      procedure: (await repos.procedures.getVersion(found.dossier.procedureCode, found.dossier.procedureVersion))!,
      events: found.events.map((e) => e.event),
      letters: await repos.apologyLetters.listFor(code),
      engine: await t.app.services.calendars.engineFor(found.dossier.calendarId),
    };
  }

  it("builds the portal record the dossier's own view agrees with", async () => {
    const code = await received(t, { receivedAt: "2025-07-07T08:00:00+07:00" });
    clock = Date.parse("2025-07-08T10:00:00+07:00");
    await postEvent(t, code, event("transferred", "2025-07-07T09:00:00+07:00", { toAgencyCode: JUSTICE })).expect(201);
    await postEvent(t, code, event("supplement_requested", "2025-07-08T09:00:00+07:00", { reason: "Thiếu giấy chứng sinh" })).expect(201);
    const view = (await t.http.get(`/v1/dossiers/${code}`).set(ADMIN).expect(200)).body as { nationalStatusCode: number; dueAt: string; receivedAt: string };
    const agencies = createSqliteRepositories(t.app.database).agencies;
    const names = new Map((await agencies.list()).map((a) => [a.code, a.name]));
    const record = portalRecordOf(await stored(code), (c) => names.get(c), clock)!;
    expect(record.MaHoSo).toBe(code);
    expect(record.TrangThaiHoSo).toBe(view.nationalStatusCode);
    expect(record.TrangThaiHoSo).toBe(5);
    expect(record.NgayTiepNhan).toBe(view.receivedAt.slice(0, 19).replace(/[-T:]/g, ""));
    expect(record.NgayHenTra).toBe(view.dueAt.slice(0, 19).replace(/[-T:]/g, ""));
    expect(record.DonViXuLy).toBe("Sở Tư pháp");
    expect(record.DanhSachHoSoBoSung).toEqual([expect.objectContaining({ NoiDungBoSung: "Thiếu giấy chứng sinh", NgayHenTraMoi: null })]);
  });

  it("plans the moments, fires the due ones into the outbox, and delivers them signed", async () => {
    const secret = generateWebhookSecret();
    const seen: { type: string; ok: boolean; data: Record<string, unknown> }[] = [];
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        const parsed = JSON.parse(body) as { type: string; data: Record<string, unknown> };
        seen.push({ type: parsed.type, ok: verifyWebhook([secret], req.headers, body, Math.floor(clock / 1000)).ok, data: parsed.data });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const db = t.app.database;
      const outbox = createSqliteOutboxRepository(db.db);
      const schedule = createSqliteScheduleRepository(db.db, outbox);
      const subscriptions = createSqliteWebhookSubscriptionRepository(db.db);
      await subscriptions.insert({
        id: "wh_desk",
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
        events: ["dossier.at_risk", "dossier.overdue", "duty.overdue"],
        agencyCodes: [JUSTICE],
        secret,
        createdAt: clock,
        rotatedAt: null,
        createdBy: null,
      });
      clock = Date.parse("2025-07-07T10:00:00+07:00");
      const code = await received(t, { receivedAt: "2025-07-07T10:00:00+07:00" });
      clock = Date.parse("2025-07-07T10:30:00+07:00");
      await postEvent(t, code, event("transferred", "2025-07-07T10:30:00+07:00", { toAgencyCode: JUSTICE })).expect(201);

      // What the write path will do in its transaction: re-plan from the replayed history.
      const dossier = await stored(code);
      db.sqlite.transaction(() => schedule.replan(code, plannedMoments(dossier)(schedule.firedKeys(code)), clock))();
      const planned = (await schedule.due(Number.MAX_SAFE_INTEGER, 10)).filter((m) => m.receiptCode === code);
      // Direct reception: the transfer duty was done in time, so only the deadline's moments remain.
      expect(planned.map((m) => m.eventType)).toEqual(["dossier.at_risk", "dossier.at_risk", "dossier.overdue"]);

      const lineages = [[JUSTICE, "000.00.00.H22"]];
      const scheduler = createMomentScheduler({
        schedule,
        messagesOf: async (moment, firedAt) => {
          const subscribed = await subscriptions.subscribedTo(moment.eventType);
          return outboundMessages({ events: [momentEvent(moment)], subscriptions: (type) => (type === moment.eventType ? subscribed : []), lineages, now: firedAt });
        },
        now: () => clock,
      });
      const dispatcher = createDispatcher({
        outbox,
        deliver: createHttpDeliverer({ endpoints: createEndpointDirectory({ portal: null, subscriptions, now: () => clock }), policy: { allowPrivate: true }, now: () => clock }),
        now: () => clock,
      });

      clock = planned[0]!.at; // the 75 % moment comes
      expect(await scheduler.runDue()).toBe(1);
      clock = planned[1]!.at;
      expect(await scheduler.runDue()).toBe(1);
      expect(await scheduler.runDue()).toBe(0);
      while ((await dispatcher.runOnce()) > 0);
      expect(seen.map((s) => [s.type, s.ok, s.data.percentUsed])).toEqual([
        ["dossier.at_risk", true, 75],
        ["dossier.at_risk", true, 90],
      ]);
      expect(seen[0]!.data).toMatchObject({ receiptCode: code, dueAt: expect.stringMatching(/\+07:00$/) });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
