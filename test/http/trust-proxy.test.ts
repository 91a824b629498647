/**
 * Proxies (issue #14 item 2, API.md "Conventions": MOTCUA_TRUST_PROXY). supertest connects from
 * loopback, so a test app that trusts loopback stands behind a proxy; one that trusts nothing (or
 * another address) is reached directly by a client that forges X-Forwarded-For.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ADMIN, startTestApp, type TestApp } from "../support/test-app.js";
import { applicant, received, seedProvince } from "../support/dossier-fixtures.js";
import type { TrustProxy } from "../../src/config.js";

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function start(trustProxy: TrustProxy | undefined): Promise<{ t: TestApp; code: string }> {
  t = await startTestApp({ publicRateLimit: { max: 2, timeWindowMs: 60_000 }, ...(trustProxy !== undefined ? { trustProxy } : {}) });
  await seedProvince(t);
  return { t, code: await received(t) };
}

const lookup = (t: TestApp, code: string, forwardedFor?: string) => {
  const req = t.http.get(`/v1/public/dossiers/${code}?idNumber=${applicant.idNumber}`);
  return forwardedFor === undefined ? req : req.set("X-Forwarded-For", forwardedFor);
};

async function auditedAddresses(t: TestApp, code: string): Promise<(string | null)[]> {
  const res = await t.http.get(`/v1/audit?receiptCode=${code}`).set(ADMIN).expect(200);
  return (res.body.items as { action: string; remoteAddress: string | null }[]).filter((i) => i.action === "public.lookup").map((i) => i.remoteAddress);
}

describe("behind a trusted proxy (MOTCUA_TRUST_PROXY=loopback)", () => {
  it("rate-limits each citizen on their own address, not the proxy's", async () => {
    const { t, code } = await start(["loopback"]);
    for (let i = 0; i < 2; i++) await lookup(t, code, "203.0.113.7").expect(200);
    await lookup(t, code, "203.0.113.7").expect(429);
    // Another citizen behind the same proxy still has a whole budget.
    await lookup(t, code, "198.51.100.23").expect(200);
  });

  it("records the citizen's address in the access audit", async () => {
    const { t, code } = await start(["127.0.0.1/8", "::1"]);
    await lookup(t, code, "203.0.113.7").expect(200);
    expect(await auditedAddresses(t, code)).toEqual(["203.0.113.7"]);
  });

  it("believes only the trusted hops: an address the client forged in front is ignored", async () => {
    // The client sent "X-Forwarded-For: 6.6.6.6"; the proxy (loopback) appended the client's real address.
    const { t, code } = await start(["loopback"]);
    await lookup(t, code, "6.6.6.6, 203.0.113.7").expect(200);
    expect(await auditedAddresses(t, code)).toEqual(["203.0.113.7"]);
  });

  it("takes a hop count: the nearest entry is the client with MOTCUA_TRUST_PROXY=1", async () => {
    const { t, code } = await start(1);
    await lookup(t, code, "6.6.6.6, 203.0.113.7").expect(200);
    expect(await auditedAddresses(t, code)).toEqual(["203.0.113.7"]);
  });
});

describe("without a trusted proxy", () => {
  it("ignores X-Forwarded-For when nothing is trusted: a forged header neither escapes the rate limit nor reaches the audit", async () => {
    const { t, code } = await start(undefined);
    await lookup(t, code, "203.0.113.1").expect(200);
    await lookup(t, code, "203.0.113.2").expect(200);
    await lookup(t, code, "203.0.113.3").expect(429);
    const addresses = await auditedAddresses(t, code);
    expect(addresses).toHaveLength(2);
    for (const a of addresses) expect(a).toMatch(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
  });

  it("ignores X-Forwarded-For from a peer that is not the listed proxy", async () => {
    const { t, code } = await start(["10.0.0.5"]);
    await lookup(t, code, "203.0.113.7").expect(200);
    expect(await auditedAddresses(t, code)).toEqual([expect.stringMatching(/127\.0\.0\.1|::1/)]);
  });
});
