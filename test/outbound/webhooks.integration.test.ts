/**
 * Webhook subscriptions end to end: stored subscriptions, agency scope, the Standard Webhooks
 * envelope, delivery to a real loopback receiver that verifies signatures, and secret rotation
 * (the previous secret keeps signing until it expires).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqlite, type SqliteHandle } from "../../src/db/sqlite/sqlite-client.js";
import { createSqliteOutboxRepository } from "../../src/db/sqlite/outbox-repository.js";
import { createSqliteWebhookSubscriptionRepository } from "../../src/db/sqlite/webhook-subscription-repository.js";
import { createDispatcher } from "../../src/services/outbound/dispatcher.js";
import { createEndpointDirectory } from "../../src/services/outbound/endpoint-directory.js";
import { createHttpDeliverer } from "../../src/services/outbound/http-deliverer.js";
import { outboundMessages, subscriptionCovers, webhookEnvelope } from "../../src/services/outbound/outbound-messages.js";
import type { SqliteOutboxRepository } from "../../src/db/sqlite/outbox-repository.js";
import type { WebhookSubscriptionRepository } from "../../src/services/outbound/webhook-ports.js";
import { generateWebhookSecret, verifyWebhook } from "../../src/services/outbound/webhook-signature.js";

const PROVINCE = "000.00.00.H22";
const JUSTICE = "000.00.12.H22";
const COMMUNE = "000.20.34.H22";
const lineages = [[JUSTICE, PROVINCE]];

describe("webhook subscriptions", () => {
  let handle: SqliteHandle;
  let outbox: SqliteOutboxRepository;
  let subscriptions: WebhookSubscriptionRepository;
  let server: http.Server;
  let url: string;
  let receiverSecrets: string[];
  const received: { type: string; verified: boolean; id: string }[] = [];
  let clock: number;

  beforeEach(async () => {
    handle = openSqlite(":memory:");
    outbox = createSqliteOutboxRepository(handle.db);
    subscriptions = createSqliteWebhookSubscriptionRepository(handle.db);
    received.length = 0;
    clock = Date.now();
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        const verified = verifyWebhook(receiverSecrets, req.headers, body, Math.floor(clock / 1000)).ok;
        received.push({ type: (JSON.parse(body) as { type: string }).type, verified, id: String(req.headers["webhook-id"]) });
        res.writeHead(verified ? 204 : 401).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/motcua`;
  });
  afterEach(async () => {
    handle.close();
    await new Promise((resolve) => server.close(resolve));
  });

  const dispatcher = () =>
    createDispatcher({
      outbox,
      deliver: createHttpDeliverer({ endpoints: createEndpointDirectory({ portal: null, subscriptions, now: () => clock }), policy: { allowPrivate: true }, now: () => clock }),
      now: () => clock,
    });

  const change = async (type: "dossier.status_changed" | "dossier.received", receiptCode = "000.00.12.H22-250707-0001") => {
    const subscribed = await subscriptions.subscribedTo(type);
    handle.sqlite.transaction(() =>
      outbox.enqueue(
        outboundMessages({
          events: [{ receiptCode, type, at: clock, data: { receiptCode, status: "in_progress" } }],
          subscriptions: (t) => (t === type ? subscribed : []),
          lineages,
          now: clock,
        }),
      ),
    )();
  };

  it("sends each subscriber the events it asked for, in its agency scope, signed with its secret", async () => {
    const secret = generateWebhookSecret();
    receiverSecrets = [secret];
    await subscriptions.insert({ id: "wh_province", url, events: ["dossier.status_changed"], agencyCodes: [PROVINCE], secret, createdAt: clock, rotatedAt: null, createdBy: "admin" });
    await subscriptions.insert({ id: "wh_commune", url, events: ["dossier.status_changed"], agencyCodes: [COMMUNE], secret, createdAt: clock, rotatedAt: null, createdBy: "admin" });
    await subscriptions.insert({ id: "wh_all", url, events: ["dossier.received"], agencyCodes: null, secret, createdAt: clock, rotatedAt: null, createdBy: "admin" });
    await change("dossier.status_changed");
    await change("dossier.received");
    expect((await outbox.backlog(clock)).byDestination.map((d) => d.destination.id)).toEqual(["wh_all", "wh_province"]);
    const d = dispatcher();
    while ((await d.runOnce()) > 0);
    expect(received.map((r) => [r.type, r.verified])).toEqual([
      ["dossier.status_changed", true],
      ["dossier.received", true],
    ]);
    expect(received.every((r) => /^msg_[0-9a-f]{32}$/.test(r.id))).toBe(true);
    expect((await outbox.listDeliveries({ kind: "webhook", id: "wh_province" }, 10))[0]).toMatchObject({ outcome: "delivered", statusCode: 204 });
  });

  it("rotation: both secrets sign until the previous one expires; a deleted subscription's messages fail", async () => {
    const [s1, s2] = [generateWebhookSecret(), generateWebhookSecret()];
    await subscriptions.insert({ id: "wh", url, events: ["dossier.status_changed"], agencyCodes: null, secret: s1, createdAt: clock, rotatedAt: null, createdBy: null });
    expect(await subscriptions.rotate("wh", s2, clock, clock + 3_600_000)).toBe(true);
    expect(await subscriptions.secretsOf("wh", clock)).toEqual([s2, s1]);
    const d = dispatcher();
    for (const holds of [[s1], [s2]]) {
      receiverSecrets = holds;
      await change("dossier.status_changed");
      while ((await d.runOnce()) > 0);
      expect(received.at(-1)!.verified).toBe(true);
    }
    clock += 3_600_000;
    expect(await subscriptions.secretsOf("wh", clock)).toEqual([s2]);
    receiverSecrets = [s1];
    await change("dossier.status_changed");
    await d.runOnce();
    expect(received.at(-1)!.verified).toBe(false);

    expect(await subscriptions.delete("wh")).toBe(true);
    const [failed] = await outbox.listDeliveries({ kind: "webhook", id: "wh" }, 1);
    clock = failed!.nextAttemptAt!; // its retry
    await d.runOnce();
    const [last] = await outbox.listDeliveries({ kind: "webhook", id: "wh" }, 1);
    expect(last).toMatchObject({ outcome: "refused_destination" });
  });

  it("the envelope is { type, timestamp, data } with the instant in +07:00; scope follows the agency tree", () => {
    expect(JSON.parse(webhookEnvelope("dossier.overdue", Date.parse("2025-07-14T08:00:00+07:00"), { a: 1 }))).toEqual({
      type: "dossier.overdue",
      timestamp: "2025-07-14T08:00:00+07:00",
      data: { a: 1 },
    });
    expect(subscriptionCovers({ agencyCodes: [PROVINCE] }, [[COMMUNE, "000.20.00.H22", PROVINCE]])).toBe(true);
    expect(subscriptionCovers({ agencyCodes: [JUSTICE] }, [[COMMUNE, PROVINCE]])).toBe(false);
    expect(subscriptionCovers({ agencyCodes: null }, [])).toBe(true);
  });
});
