import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { generateWebhookSecret, secretKey, signOne, signWebhook, verifyWebhook } from "../../src/services/outbound/webhook-signature.js";

// The Standard Webhooks specification's published test vector (values only).
const VECTOR = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};

describe("Standard Webhooks signatures", () => {
  it("reproduces the specification's test vector", () => {
    expect(signOne(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
    expect(signWebhook([VECTOR.secret], VECTOR.id, VECTOR.timestamp, VECTOR.body)).toEqual({
      "webhook-id": VECTOR.id,
      "webhook-timestamp": "1614265330",
      "webhook-signature": VECTOR.signature,
    });
  });

  it("verifies the test vector, and a secret given without its prefix", () => {
    const headers = { "webhook-id": VECTOR.id, "webhook-timestamp": String(VECTOR.timestamp), "webhook-signature": VECTOR.signature };
    expect(verifyWebhook([VECTOR.secret], headers, VECTOR.body, VECTOR.timestamp)).toEqual({ ok: true });
    expect(verifyWebhook([VECTOR.secret.slice(6)], headers, VECTOR.body, VECTOR.timestamp)).toEqual({ ok: true });
  });

  it("refuses an altered body, id or timestamp, and a wrong secret", () => {
    const headers = { "webhook-id": VECTOR.id, "webhook-timestamp": String(VECTOR.timestamp), "webhook-signature": VECTOR.signature };
    expect(verifyWebhook([VECTOR.secret], headers, '{"test": 2432232315}', VECTOR.timestamp)).toEqual({ ok: false, reason: "no_matching_signature" });
    expect(verifyWebhook([VECTOR.secret], { ...headers, "webhook-id": "msg_other" }, VECTOR.body, VECTOR.timestamp).ok).toBe(false);
    expect(verifyWebhook([VECTOR.secret], { ...headers, "webhook-timestamp": String(VECTOR.timestamp + 1) }, VECTOR.body, VECTOR.timestamp).ok).toBe(false);
    expect(verifyWebhook([generateWebhookSecret()], headers, VECTOR.body, VECTOR.timestamp).ok).toBe(false);
  });

  it("refuses timestamps outside the tolerance (replay protection), either side", () => {
    const h = signWebhook([VECTOR.secret], "msg_1", 1_700_000_000, "{}");
    expect(verifyWebhook([VECTOR.secret], h, "{}", 1_700_000_000 + 300).ok).toBe(true);
    expect(verifyWebhook([VECTOR.secret], h, "{}", 1_700_000_000 + 301)).toEqual({ ok: false, reason: "timestamp_too_old" });
    expect(verifyWebhook([VECTOR.secret], h, "{}", 1_700_000_000 - 301)).toEqual({ ok: false, reason: "timestamp_too_new" });
    expect(verifyWebhook([VECTOR.secret], { ...h, "webhook-timestamp": "12a" }, "{}", 12)).toEqual({ ok: false, reason: "bad_timestamp" });
    expect(verifyWebhook([VECTOR.secret], { "webhook-id": "x" }, "{}", 12)).toEqual({ ok: false, reason: "missing_headers" });
  });

  it("signs with every secret in force during a rotation; a receiver holding either verifies", () => {
    const [newer, older] = [generateWebhookSecret(), generateWebhookSecret()];
    const h = signWebhook([newer, older], "msg_rot", 1_700_000_000, '{"a":1}');
    expect(h["webhook-signature"].split(" ")).toHaveLength(2);
    expect(verifyWebhook([older], h, '{"a":1}', 1_700_000_000).ok).toBe(true);
    expect(verifyWebhook([newer], h, '{"a":1}', 1_700_000_000).ok).toBe(true);
    // A receiver mid-rotation tries both of its own secrets.
    const single = signWebhook([newer], "msg_rot", 1_700_000_000, '{"a":1}');
    expect(verifyWebhook([older, newer], single, '{"a":1}', 1_700_000_000).ok).toBe(true);
    // Unknown signature versions are ignored, not errors.
    expect(verifyWebhook([newer], { ...single, "webhook-signature": `v1a,AAAA ${single["webhook-signature"]}` }, '{"a":1}', 1_700_000_000).ok).toBe(true);
  });

  it("generates whsec_ secrets of 32 random bytes; rejects malformed ones", () => {
    const s = generateWebhookSecret();
    expect(s).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(secretKey(s)).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(s);
    expect(() => secretKey("whsec_not base64!")).toThrow(TypeError);
    expect(() => secretKey("whsec_")).toThrow(TypeError);
  });

  it("any body signed is verified (property)", () => {
    const secret = generateWebhookSecret();
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), fc.integer({ min: 0, max: 4_000_000_000 }), (body, id, ts) =>
        verifyWebhook([secret], signWebhook([secret], id, ts, body), body, ts).ok,
      ),
      { numRuns: 200 },
    );
  });
});
