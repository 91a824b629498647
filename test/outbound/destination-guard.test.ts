import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkAddress,
  checkUrl,
  classifyAddress,
  guardedLookup,
  pinnedLookup,
  resolveDestination,
  type LookupPort,
} from "../../src/services/outbound/destination-guard.js";

const strict = { allowPrivate: false };
const intranet = { allowPrivate: true };
const fake =
  (table: Record<string, string[]>): LookupPort =>
  async (host) => {
    const list = table[host];
    if (!list) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
    return list.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };

describe("address classes", () => {
  it.each([
    ["8.8.8.8", "public"],
    ["2001:4860:4860::8888", "public"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["172.32.0.1", "public"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "private"],
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["::1", "loopback"],
    ["0.0.0.0", "unspecified"],
    ["::", "unspecified"],
    ["169.254.1.1", "link_local"],
    ["169.254.169.254", "metadata"],
    ["100.100.100.200", "metadata"],
    ["fd00:ec2::254", "metadata"],
    ["fe80::1", "link_local"],
    ["febf::1", "link_local"],
    ["fc00::1", "private"],
    ["fdff:1234::1", "private"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:169.254.169.254", "metadata"],
    ["::ffff:a9fe:a9fe", "metadata"],
    ["::ffff:10.0.0.1", "private"],
    ["::ffff:8.8.8.8", "public"],
    ["64:ff9b::a9fe:a9fe", "metadata"],
    ["2002:7f00:1::", "loopback"],
    ["224.0.0.1", "multicast"],
    ["ff02::1", "multicast"],
    ["255.255.255.255", "reserved"],
    ["not-an-ip", null],
  ])("%s is %s", (address, cls) => {
    expect(classifyAddress(address)).toBe(cls);
  });

  it("refuses link-local and metadata always, private only without allowPrivate", () => {
    for (const policy of [strict, intranet]) {
      expect(checkAddress("169.254.169.254", policy)).toMatchObject({ ok: false, reason: "metadata" });
      expect(checkAddress("fe80::1", policy)).toMatchObject({ ok: false, reason: "link_local" });
      expect(checkAddress("8.8.8.8", policy).ok).toBe(true);
    }
    for (const a of ["127.0.0.1", "::1", "10.0.0.1", "172.20.1.1", "192.168.0.10", "fc00::5", "0.0.0.0", "::", "::ffff:127.0.0.1"]) {
      expect(checkAddress(a, strict)).toMatchObject({ ok: false, reason: "private_not_allowed" });
      expect(checkAddress(a, intranet).ok).toBe(true);
    }
  });
});

describe("URLs", () => {
  it("accepts http(s) only, without credentials, never a metadata host", () => {
    expect(checkUrl("https://desk.example.vn/hook", strict).ok).toBe(true);
    expect(checkUrl("ftp://desk.example.vn/", strict)).toMatchObject({ ok: false, reason: "scheme_not_allowed" });
    expect(checkUrl("file:///etc/passwd", strict)).toMatchObject({ ok: false, reason: "scheme_not_allowed" });
    expect(checkUrl("https://u:p@desk.example.vn/", strict)).toMatchObject({ ok: false, reason: "credentials_in_url" });
    expect(checkUrl("not a url", strict)).toMatchObject({ ok: false, reason: "invalid_url" });
    expect(checkUrl("http://metadata.google.internal/computeMetadata/v1/", intranet)).toMatchObject({ ok: false, reason: "metadata_host" });
    expect(checkUrl("http://METADATA.GOOGLE.INTERNAL./", intranet)).toMatchObject({ ok: false, reason: "metadata_host" });
  });

  it("judges IP literals in every spelling the URL parser accepts", () => {
    expect(checkUrl("http://169.254.169.254/latest/meta-data/", intranet)).toMatchObject({ ok: false, reason: "metadata" });
    expect(checkUrl("http://2852039166/", intranet)).toMatchObject({ ok: false, reason: "metadata" }); // decimal 169.254.169.254
    expect(checkUrl("http://0xa9.0xfe.0xa9.0xfe/", intranet)).toMatchObject({ ok: false, reason: "metadata" });
    expect(checkUrl("http://[::ffff:169.254.169.254]/", intranet)).toMatchObject({ ok: false, reason: "metadata" });
    expect(checkUrl("http://[fd00:ec2::254]/", intranet)).toMatchObject({ ok: false, reason: "metadata" });
    expect(checkUrl("http://127.1/", strict)).toMatchObject({ ok: false, reason: "private_not_allowed" });
    expect(checkUrl("http://[::1]:8080/", strict)).toMatchObject({ ok: false, reason: "private_not_allowed" });
    expect(checkUrl("http://[::1]:8080/", intranet).ok).toBe(true);
  });
});

describe("resolution at delivery time", () => {
  const dns = fake({
    "desk.example.vn": ["203.113.1.10"],
    "intranet.hatinh.gov.vn": ["10.20.30.40"],
    "rebound.example.vn": ["203.113.1.10", "169.254.169.254"],
    "localhost.example.vn": ["127.0.0.1"],
  });

  it("checks every resolved address and returns the one to connect to", async () => {
    expect(await resolveDestination("https://desk.example.vn/h", strict, dns)).toMatchObject({ ok: true, target: { address: "203.113.1.10", family: 4 } });
    expect(await resolveDestination("https://intranet.hatinh.gov.vn/h", strict, dns)).toMatchObject({ ok: false, reason: "private_not_allowed" });
    expect(await resolveDestination("https://intranet.hatinh.gov.vn/h", intranet, dns)).toMatchObject({ ok: true, target: { address: "10.20.30.40" } });
    expect(await resolveDestination("https://rebound.example.vn/h", intranet, dns)).toMatchObject({ ok: false, reason: "metadata" });
    expect(await resolveDestination("https://nowhere.example.vn/h", intranet, dns)).toMatchObject({ ok: false, reason: "unresolvable" });
    expect(await resolveDestination("http://127.0.0.1:9/h", intranet, dns)).toMatchObject({ ok: true, target: { address: "127.0.0.1" } });
  });
});

describe("connections on real loopback", () => {
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    server = http.createServer((_req, res) => res.end("pong"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const get = (url: string, options: http.RequestOptions) =>
    new Promise<string>((resolve, reject) => {
      const req = http.get(url, options, (res) => {
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () => resolve(body));
      });
      req.on("error", reject);
    });

  it("an agent with the guarded lookup refuses a name resolving to loopback, unless private is allowed", async () => {
    const dns = fake({ "desk.test": ["127.0.0.1"] });
    const strictAgent = new http.Agent({ lookup: guardedLookup(strict, dns) } as http.AgentOptions);
    await expect(get(`http://desk.test:${port}/`, { agent: strictAgent })).rejects.toMatchObject({ code: "EDESTINATIONREFUSED" });
    const openAgent = new http.Agent({ lookup: guardedLookup(intranet, dns) } as http.AgentOptions);
    expect(await get(`http://desk.test:${port}/`, { agent: openAgent })).toBe("pong");
    strictAgent.destroy();
    openAgent.destroy();
  });

  it("connects to the address that was checked, whatever DNS answers next (rebinding)", async () => {
    let calls = 0;
    // First answer loopback (allowed on an intranet); every later one an address that must never be reached.
    const rebinding: LookupPort = async () => (calls++ === 0 ? [{ address: "127.0.0.1", family: 4 }] : [{ address: "169.254.169.254", family: 4 }]);
    const checked = await resolveDestination(`http://desk.test:${port}/`, intranet, rebinding);
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(await get(`http://desk.test:${port}/`, { lookup: pinnedLookup(checked.target) as never, agent: false })).toBe("pong");
    expect(calls).toBe(1);
  });
});
