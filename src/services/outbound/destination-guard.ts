/**
 * Where motcua may send a webhook or portal delivery (issue #15: "Destinations are validated:
 * http(s) only; link-local and cloud-metadata addresses always refused; loopback and private
 * networks only with MOTCUA_WEBHOOK_ALLOW_PRIVATE=true …, checked on the resolved address at
 * delivery time, not only at creation").
 *
 * Why at delivery time and on the resolved address: a name that resolved to a public address
 * when the subscription was created may resolve to 169.254.169.254 or 127.0.0.1 later (DNS
 * rebinding), and a check followed by a second resolution for the connection can be raced. So
 * the deliverer resolves once (`resolveDestination`), checks every address, and connects to the
 * address it checked (`pinnedLookup`, the `lookup` hook of the request). `guardedLookup` is the
 * same check as a drop-in `lookup` for an http(s).Agent, for callers that resolve inside the agent.
 *
 * Why private networks are allowed at all: a province's desk software usually lives on its
 * intranet (10/8, 192.168/16); an operator opts in with allowPrivate. Metadata endpoints and
 * link-local addresses are never legitimate destinations (they hand out cloud credentials).
 */
import dns from "node:dns";
import net from "node:net";

export interface DestinationPolicy {
  /** Loopback, private and unique-local networks, and the unspecified addresses (0.0.0.0, ::). */
  readonly allowPrivate: boolean;
}

export type AddressClass = "public" | "private" | "loopback" | "unspecified" | "link_local" | "metadata" | "multicast" | "reserved";

export type DestinationRefusal =
  | "invalid_url"
  | "scheme_not_allowed"
  | "credentials_in_url"
  | "metadata_host"
  | "unresolvable"
  | "link_local"
  | "metadata"
  | "multicast"
  | "reserved"
  | "private_not_allowed";

export type GuardResult<T> = ({ readonly ok: true } & T) | { readonly ok: false; readonly reason: DestinationRefusal; readonly detail: string };

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** The DNS port: every address of a name (dns.promises.lookup with all: true in production). */
export type LookupPort = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export const systemLookup: LookupPort = async (hostname) =>
  (await dns.promises.lookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

/** Names of cloud metadata services (GCP, AWS, Azure/OCI use 169.254.169.254, caught by address). */
const METADATA_HOSTS = new Set(["metadata.google.internal", "metadata.goog", "metadata", "instance-data", "instance-data.ec2.internal"]);
/** Metadata addresses outside link-local: AWS's IPv6 endpoint, Alibaba Cloud's. */
const METADATA_V4 = new Set(["169.254.169.254", "169.254.170.2", "100.100.100.200"]);
const METADATA_V6 = new Set(["fd00:ec2:0:0:0:0:0:254"]);

/** The class of an IPv4 address given as four numbers. */
function classifyV4(o: readonly number[]): AddressClass {
  const [a, b] = o as [number, number, number, number];
  const text = o.join(".");
  if (METADATA_V4.has(text)) return "metadata";
  if (a === 0) return "unspecified"; // 0.0.0.0/8 "this network": connects to the local host on Linux
  if (a === 127) return "loopback";
  if (a === 169 && b === 254) return "link_local";
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return "private";
  if (a === 100 && b >= 64 && b <= 127) return "private"; // carrier-grade NAT, RFC 6598
  if (a === 198 && (b === 18 || b === 19)) return "private"; // benchmarking, RFC 2544
  if (a >= 224 && a <= 239) return "multicast";
  if (a >= 240) return "reserved"; // includes 255.255.255.255
  return "public";
}

function parseV4(text: string): number[] | null {
  if (net.isIPv4(text)) return text.split(".").map(Number);
  return null;
}

/** Eight 16-bit groups of an IPv6 address (embedded dotted IPv4 included), or null. */
function parseV6(text: string): number[] | null {
  const bare = text.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (!net.isIPv6(bare)) return null;
  let head = bare;
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  if (dotted) {
    const v4 = parseV4(dotted[1]!)!;
    tail.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    head = bare.slice(0, bare.length - dotted[1]!.length);
    if (head.endsWith(":") && !head.endsWith("::")) head = head.slice(0, -1);
  }
  const [left, right] = head.includes("::") ? (head.split("::") as [string, string]) : [head, null];
  const groups = (part: string) => (part === "" ? [] : part.split(":").map((g) => parseInt(g, 16)));
  const l = groups(left);
  const r = right === null ? [] : groups(right);
  const missing = 8 - tail.length - l.length - r.length;
  if (right === null && missing !== 0) return null;
  return [...l, ...new Array<number>(Math.max(0, missing)).fill(0), ...r, ...tail];
}

function classifyV6(g: readonly number[]): AddressClass {
  const canonical = g.map((x) => x.toString(16)).join(":");
  if (METADATA_V6.has(canonical)) return "metadata";
  const v4of = (hi: number, lo: number) => [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff];
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 8)) return "unspecified";
  if (zeros(0, 7) && g[7] === 1) return "loopback";
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d, deprecated) and NAT64 (64:ff9b::/96)
  // reach the embedded IPv4 address: judge that one.
  if (zeros(0, 5) && (g[5] === 0xffff || g[5] === 0)) return classifyV4(v4of(g[6]!, g[7]!));
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return classifyV4(v4of(g[6]!, g[7]!));
  // 6to4 (2002::/16) embeds an IPv4 address in the next 32 bits.
  if (g[0] === 0x2002) return classifyV4(v4of(g[1]!, g[2]!));
  const first = g[0]!;
  if ((first & 0xffc0) === 0xfe80) return "link_local"; // fe80::/10
  if ((first & 0xfe00) === 0xfc00) return "private"; // fc00::/7 unique local
  if ((first & 0xff00) === 0xff00) return "multicast";
  if ((first & 0xffc0) === 0xfec0) return "reserved"; // deprecated site-local
  return "public";
}

/** The class of an IP address (text), or null when it is not one. */
export function classifyAddress(address: string): AddressClass | null {
  const v4 = parseV4(address);
  if (v4) return classifyV4(v4);
  const v6 = parseV6(address);
  return v6 ? classifyV6(v6) : null;
}

/** May we connect to this address under the policy? */
export function checkAddress(address: string, policy: DestinationPolicy): GuardResult<{ readonly class: AddressClass }> {
  const cls = classifyAddress(address);
  if (cls === null) return { ok: false, reason: "unresolvable", detail: `${address} is not an IP address` };
  switch (cls) {
    case "public":
      return { ok: true, class: cls };
    case "private":
    case "loopback":
    case "unspecified":
      return policy.allowPrivate
        ? { ok: true, class: cls }
        : { ok: false, reason: "private_not_allowed", detail: `${address} is a ${cls} address (allowed only with MOTCUA_WEBHOOK_ALLOW_PRIVATE=true)` };
    case "link_local":
    case "metadata":
    case "multicast":
    case "reserved":
      return { ok: false, reason: cls, detail: `${address} is a ${cls.replace("_", "-")} address` };
  }
}

/**
 * The URL alone (at subscription time, and again before each delivery): http or https, no
 * user:password, not a metadata host name; an IP literal is checked right away.
 */
export function checkUrl(text: string, policy: DestinationPolicy): GuardResult<{ readonly url: URL }> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: "invalid_url", detail: "not an absolute URL" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return { ok: false, reason: "scheme_not_allowed", detail: `${url.protocol} is not http or https` };
  if (url.username !== "" || url.password !== "") return { ok: false, reason: "credentials_in_url", detail: "credentials do not belong in the URL" };
  const host = url.hostname.replace(/^\[|\]$/g, "").replace(/\.$/, "").toLowerCase();
  if (METADATA_HOSTS.has(host)) return { ok: false, reason: "metadata_host", detail: `${host} is a cloud metadata service` };
  if (classifyAddress(host) !== null) {
    const check = checkAddress(host, policy);
    if (!check.ok) return check;
  }
  return { ok: true, url };
}

/**
 * At delivery time: the URL, then every address its host resolves to. One refused address
 * refuses the destination (a name answering both a public and a private address could be
 * steered to the private one). Returns the address to connect to: the first one.
 */
export async function resolveDestination(text: string, policy: DestinationPolicy, lookup: LookupPort): Promise<GuardResult<{ readonly url: URL; readonly target: ResolvedAddress }>> {
  const checked = checkUrl(text, policy);
  if (!checked.ok) return checked;
  const { url } = checked;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (classifyAddress(host) !== null) return { ok: true, url, target: { address: host, family: net.isIPv6(host) ? 6 : 4 } };
  let addresses: readonly ResolvedAddress[];
  try {
    addresses = await lookup(host);
  } catch (error) {
    return { ok: false, reason: "unresolvable", detail: `${host}: ${(error as Error).message}` };
  }
  if (addresses.length === 0) return { ok: false, reason: "unresolvable", detail: `${host} has no address` };
  for (const a of addresses) {
    const check = checkAddress(a.address, policy);
    if (!check.ok) return { ok: false, reason: check.reason, detail: `${host} resolves to ${check.detail}` };
  }
  return { ok: true, url, target: addresses[0]! };
}

/** Node's `lookup` hook signature (net.connect / http.request / http.Agent options). */
export type NodeLookup = (
  hostname: string,
  options: dns.LookupOptions,
  callback: (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void,
) => void;

/** A `lookup` that answers only the address already checked: the connection goes where the check looked. */
export function pinnedLookup(target: ResolvedAddress): NodeLookup {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
}

/** An error a refused connection fails with (code EDESTINATIONREFUSED). */
export class DestinationRefusedError extends Error {
  override readonly name = "DestinationRefusedError";
  readonly code = "EDESTINATIONREFUSED";
  constructor(
    readonly reason: DestinationRefusal,
    detail: string,
  ) {
    super(detail);
  }
}

/** A `lookup` hook for an http(s).Agent that resolves through the port and refuses what the policy refuses. */
export function guardedLookup(policy: DestinationPolicy, lookup: LookupPort = systemLookup): NodeLookup {
  return (hostname, options, callback) => {
    lookup(hostname).then(
      (addresses) => {
        const refused = addresses.map((a) => checkAddress(a.address, policy)).find((c) => !c.ok);
        if (addresses.length === 0) return callback(new DestinationRefusedError("unresolvable", `${hostname} has no address`), "", 0);
        if (refused && !refused.ok) return callback(new DestinationRefusedError(refused.reason, `${hostname} resolves to ${refused.detail}`), "", 0);
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
        const list = wanted.length > 0 ? wanted : addresses;
        if (options.all) callback(null, list.map((a) => ({ address: a.address, family: a.family })));
        else callback(null, list[0]!.address, list[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, "", 0),
    );
  };
}
