/**
 * Hostile requests, one at a time: a near-valid request for a route (fixture codes, a key that
 * may pass), then one mutation chosen by a strategy — a body field, the body's shape, the raw
 * bytes, the content type, the query string, the path, the credentials or the method.
 * Everything is drawn from one seeded generator, so a seed replays the same requests.
 */
import { JUSTICE, PROVINCE, TAX } from "../fixtures/province.js";
import { OTHER_PROVINCE, type FuzzWorld } from "./fuzz-fixture.js";
import { BAD_DATES, deepValue, disguisedKeys, EDGE_NUMBERS, HOSTILE_NAMES, hostileValue, hugeString, NUMBER_STRINGS, PROTO_OBJECTS, SQLISH, UNICODE_ODDITIES } from "./hostile-values.js";
import { deepJson, RawJson, toJsonText } from "./json-text.js";
import { routeKey, type JsonSchema, type ParamSpec, type RouteSpec } from "./route-catalog.js";
import { asUrlText, edgeValue, fieldPaths, hostileFor, isDateLike, nearMiss, schemaAt, validValue, wrongTypeFor, type ValueContext } from "./schema-values.js";
import type { SeededRandom } from "./seeded-random.js";

export const STRATEGIES = ["valid", "boundary", "body-field", "body-shape", "raw-body", "content-type", "query", "path", "auth", "method", "foreign", "names"] as const;
export type Strategy = (typeof STRATEGIES)[number];
/** Where a request of a run comes from: a strategy, or the pinned regressions (regressions.ts). */
export type RequestOrigin = Strategy | "regression";

const STRATEGY_WEIGHTS: Readonly<Record<Strategy, number>> = {
  valid: 8,
  boundary: 14,
  "body-field": 16,
  "body-shape": 9,
  "raw-body": 9,
  "content-type": 5,
  query: 12,
  path: 11,
  auth: 11,
  method: 5,
  // Issue #11: a desk acting in another agency's name or code namespace; names that fool a reader.
  foreign: 6,
  names: 5,
};

/**
 * The routes where acting for another agency and typed names have a meaning of their own (issue #11)
 * get those strategies more often: spread evenly, they would reach them a few times per thousand requests.
 */
const EMPHASIS: Readonly<Record<string, Partial<Record<Strategy, number>>>> = {
  "POST /v1/dossiers": { foreign: 20, names: 12 },
  "POST /v1/dossiers/{receiptCode}/events": { foreign: 20, names: 8 },
  "POST /v1/dossiers/{receiptCode}/apology-letters": { foreign: 12, names: 6 },
  "GET /v1/public/dossiers/{receiptCode}": { query: 30 },
};

/** Routes without a body still get a few body mutations (a GET with a JSON body must not confuse them). */
const BODILESS_WEIGHTS: Readonly<Record<Strategy, number>> = { ...STRATEGY_WEIGHTS, "body-field": 0, "body-shape": 2, "raw-body": 2, "content-type": 2 };

export interface FuzzRequest {
  /** Position in the run: with the seed, enough to replay it. */
  readonly index: number;
  /** The route aimed at (method and template), whatever the mutation did to the URL. */
  readonly route: string;
  readonly strategy: RequestOrigin;
  /** What the mutation did, in a few words. */
  readonly mutation: string;
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly payload: string | Buffer | undefined;
  /** Sent without a valid key to a route that needs one: the answer must be 401. */
  readonly anonymous: boolean;
}

/** The parts of a request before they become text. */
interface Draft {
  method: string;
  /** Path parameters, already percent-encoded (a path trick puts raw text here). */
  path: Record<string, string>;
  /** Appended verbatim after the path. */
  pathSuffix: string;
  /** Replaces the whole path (a trick on the route's prefix). */
  pathOverride: string | undefined;
  /** Query fragments `name=value`, encoded, in order. */
  query: { name: string; text: string }[];
  /** The body as a value (may hold RawJson), or undefined for none. */
  body: unknown;
  /** The payload verbatim, overriding `body`. */
  rawBody: string | Buffer | undefined;
  /** null: no Content-Type header even with a payload. */
  contentType: string | null | undefined;
  authorization: string | undefined;
  accept: string | undefined;
  anonymous: boolean;
  mutation: string;
}

const OTHER_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"];
const ACCEPTS = ["application/json", "text/csv", "application/pdf", "*/*", "text/html;q=0.9, */*;q=0.1", "application/problem+json", "image/png"];
const CONTENT_TYPES = [
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=fuzz",
  "application/xml",
  "application/json; charset=utf-16",
  "application/json; charset=latin1",
  "APPLICATION/JSON",
  "application/json, text/plain",
  "application/problem+json",
  "application/vnd.api+json",
  "application/octet-stream",
  "",
  "*/*",
  "application/jsonx",
];

/**
 * Encodes a path or query component; lone surrogates (which encodeURIComponent refuses) go as the
 * UTF-8 bytes Node would send for them.
 */
function encodeLoose(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return [...Buffer.from(text, "utf8")].map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join("");
  }
}

export class RequestGenerator {
  private cycle: RouteSpec[] = [];

  constructor(
    private readonly routes: readonly RouteSpec[],
    private readonly world: FuzzWorld,
    private readonly random: SeededRandom,
  ) {}

  /** Routes are taken in shuffled rounds, so that even a short run reaches every endpoint. */
  next(index: number): FuzzRequest {
    if (this.cycle.length === 0) this.cycle = this.random.shuffle(this.routes);
    const route = this.cycle.pop()!;
    const strategy = this.random.weighted({ ...(route.body === undefined ? BODILESS_WEIGHTS : STRATEGY_WEIGHTS), ...EMPHASIS[routeKey(route)] });
    const ctx: ValueContext = { random: this.random, world: this.world, dossier: this.random.chance(0.85) ? this.random.pick(this.world.dossiers) : undefined };
    const draft = this.baseDraft(route, ctx);
    this.mutate(strategy, route, draft, ctx);
    return this.serialize(index, route, strategy, draft);
  }

  private baseDraft(route: RouteSpec, ctx: ValueContext): Draft {
    const { random } = this;
    const path: Record<string, string> = {};
    for (const param of route.pathParams) {
      // Mostly fixture objects; sometimes a well-formed code that names nothing (404 paths).
      const value = param.name === "receiptCode" && ctx.dossier ? ctx.dossier.receiptCode : validValue(param.schema, random.chance(0.8) ? param.name : "", ctx);
      path[param.name] = encodeLoose(String(value));
    }
    const exemplar = EXEMPLARS[routeKey(route)];
    const exemplarQuery = exemplar?.query && random.chance(0.7) ? exemplar.query(ctx) : undefined;
    const query = route.query
      .filter((param) => (exemplarQuery ? param.name in exemplarQuery : param.required || random.chance(0.4)))
      .map((param) => {
        const value = exemplarQuery?.[param.name] ?? String(validValue(param.schema, param.name, ctx));
        return { name: param.name, text: `${encodeLoose(param.name)}=${encodeLoose(value)}` };
      });
    return {
      method: route.method,
      path,
      pathSuffix: "",
      pathOverride: undefined,
      query,
      body: route.body === undefined ? undefined : exemplar?.body && random.chance(0.7) ? exemplar.body(ctx) : validValue(route.body, "", ctx),
      rawBody: undefined,
      contentType: undefined,
      authorization: route.secured || random.chance(0.2) ? this.someKey() : undefined,
      accept: random.chance(0.2) ? random.pick(ACCEPTS) : undefined,
      anonymous: false,
      mutation: "none",
    };
  }

  /**
   * Mostly a key that gets past the role check, so that the mutation reaches validation and the
   * service; the auth strategy aims at the other roles and agencies on purpose.
   */
  private someKey(): string {
    const { keys } = this.world;
    return this.random.pick([...Array<string>(7).fill(keys.admin), keys.ownDesk, keys.ownDesk, keys.reporter]);
  }

  private mutate(strategy: Strategy, route: RouteSpec, draft: Draft, ctx: ValueContext): void {
    switch (strategy) {
      case "valid":
        return;
      case "boundary":
        return this.mutateToBoundary(route, draft, ctx);
      case "body-field":
        return route.body !== undefined && isContainer(draft.body) ? this.mutateBodyField(route.body, draft, ctx) : this.mutateQuery(route, draft, ctx);
      case "body-shape":
        return this.mutateBodyShape(route, draft);
      case "raw-body":
        return this.mutateRawBody(draft);
      case "content-type":
        return this.mutateContentType(draft);
      case "query":
        return this.mutateQuery(route, draft, ctx);
      case "path":
        return this.mutatePath(route, draft);
      case "auth":
        return this.mutateAuth(route, draft);
      case "method":
        return this.mutateMethod(route, draft);
      case "foreign":
        return this.mutateForeign(route, draft, ctx);
      case "names":
        return this.mutateNames(route, draft, ctx);
    }
  }

  /**
   * One value anywhere in the request — body field (set or not), query or path parameter — set to
   * a valid value at a boundary of its schema: the year 1900, the longest name, the largest batch.
   * These pass validation and reach the service, where arithmetic and calendars have their edges.
   */
  private mutateToBoundary(route: RouteSpec, draft: Draft, ctx: ValueContext): void {
    const { random } = this;
    type Target = { where: "body"; path: (string | number)[]; schema: JsonSchema } | { where: "query" | "path"; param: ParamSpec };
    const bodyTargets: Target[] = route.body === undefined ? [] : fieldPaths(route.body, draft.body).flatMap((path) => {
      const schema = schemaAt(route.body!, path);
      return schema ? [{ where: "body" as const, path, schema }] : [];
    });
    const targets: Target[] = [...bodyTargets, ...route.query.map((param) => ({ where: "query" as const, param })), ...route.pathParams.map((param) => ({ where: "path" as const, param }))];
    if (targets.length === 0) return;
    const nameOf = (t: Target) => (t.where === "body" ? String(t.path[t.path.length - 1]) : t.param.name);
    const schemaOf = (t: Target) => (t.where === "body" ? t.schema : t.param.schema);
    // Dates are where calendars and clocks break: aim at them five times as often.
    const target = random.pick(targets.flatMap((t) => (isDateLike(schemaOf(t), nameOf(t)) ? Array<Target>(5).fill(t) : [t])));
    const name = nameOf(target);
    const value = edgeValue(schemaOf(target), name, ctx);
    draft.mutation = `boundary value at ${target.where === "body" ? target.path.join(".") : `${target.where} ${name}`}`;
    if (target.where === "body") setAt(draft, target.path, value);
    else if (target.where === "path") draft.path[name] = encodedWithin(asUrlText(value), MAX_PARAM_LENGTH);
    else draft.query = [...draft.query.filter((q) => q.name !== name), { name, text: `${encodeLoose(name)}=${encodeLoose(asUrlText(value))}` }];
  }

  /** One value somewhere in the body: a near miss of its schema, a hostile value, or gone. */
  private mutateBodyField(schema: JsonSchema, draft: Draft, ctx: ValueContext): void {
    const { random } = this;
    const paths = valuePaths(draft.body);
    if (paths.length === 0) return this.mutateBodyShape(undefined, draft);
    // Dates are where calendars and clocks break: aim at them three times as often.
    const path = random.pick(paths.flatMap((p) => (isDateLike(schemaAt(schema, p), String(p[p.length - 1])) ? [p, p, p] : [p])));
    const at = schemaAt(schema, path);
    const where = path.join(".");
    switch (random.weighted({ nearMiss: 4, hostile: 5, remove: 1, wrongType: 3 })) {
      case "nearMiss":
        draft.mutation = `near miss at ${where}`;
        return setAt(draft, path, at ? nearMiss(at, String(path[path.length - 1]), ctx) : hostileValue(random));
      case "hostile":
        draft.mutation = `hostile value at ${where}`;
        return setAt(draft, path, hostileFor(at, String(path[path.length - 1]), random));
      case "remove":
        draft.mutation = `removed ${where}`;
        return setAt(draft, path, undefined);
      case "wrongType": {
        const value = wrongTypeFor(at, getAt(draft.body, path), random);
        draft.mutation = `wrong JSON type at ${where}: ${excerptOf(value)}`;
        return setAt(draft, path, value);
      }
    }
  }

  /** The body as a whole: missing fields, unknown ones, another type, prototype keys, thousands of keys. */
  private mutateBodyShape(route: RouteSpec | undefined, draft: Draft): void {
    const { random } = this;
    const body = isContainer(draft.body) && !Array.isArray(draft.body) ? (draft.body as Record<string, unknown>) : {};
    switch (random.weighted({ dropRequired: 3, unknownField: 3, replace: 3, wrap: 1, proto: 2, duplicateKey: 2, manyKeys: 1, empty: 1 })) {
      case "dropRequired": {
        const required = ((route?.body?.required ?? []) as string[]).filter((name) => name in body);
        const dropped = random.subset(required, 0.5);
        for (const name of dropped.length > 0 ? dropped : required.slice(0, 1)) delete body[name];
        draft.mutation = `dropped required ${dropped.join(", ") || required[0] || "(none)"}`;
        draft.body = body;
        return;
      }
      case "unknownField": {
        const name = random.pick(["unknown", "recievedAt", "isAdmin", "role", "", " ", "__defineGetter__", "toString", "hasOwnProperty"]);
        draft.body = { ...body, [name]: hostileValue(random) };
        draft.mutation = `unknown field ${JSON.stringify(name)}`;
        return;
      }
      case "replace":
        draft.body = random.chance(0.3) ? deepValue(random) : hostileValue(random);
        draft.mutation = "body replaced by a hostile value";
        return;
      case "wrap":
        draft.body = [body];
        draft.mutation = "body wrapped in an array";
        return;
      case "proto": {
        // Spliced as text so that the key stays "__proto__" and does not become the prototype.
        const text = toJsonText(body);
        const proto = toJsonText(random.pick(PROTO_OBJECTS));
        draft.rawBody = text === "{}" ? proto : `${proto.slice(0, -1)},${text.slice(1)}`;
        draft.mutation = "prototype-pollution keys";
        return;
      }
      case "duplicateKey": {
        const names = Object.keys(body);
        const text = toJsonText(body);
        const name = names.length > 0 ? random.pick(names) : "name";
        const duplicate = `${JSON.stringify(name)}:${toJsonText(hostileValue(random))}`;
        draft.rawBody = text === "{}" ? `{${duplicate}}` : random.chance(0.5) ? `{${duplicate},${text.slice(1)}` : `${text.slice(0, -1)},${duplicate}}`;
        draft.mutation = `duplicate key ${name}`;
        return;
      }
      case "manyKeys": {
        // 60,000 keys nearly fill a 1 MiB events body: 80,000 once cost 44 s of blocked event loop (the error
        // list was de-duplicated in O(n²)); now listed up to 100 with "and N more".
        const count = random.pick([100, 1_000, 60_000]);
        draft.rawBody = `{${Array.from({ length: count }, (_, i) => `"k${i}":${i}`).join(",")}}`;
        draft.mutation = `${count} unknown keys`;
        return;
      }
      case "empty":
        draft.body = {};
        draft.mutation = "empty object";
        return;
    }
  }

  /** Bytes that are not (good) JSON: broken syntax, odd encodings, oversize, deep. */
  private mutateRawBody(draft: Draft): void {
    const { random } = this;
    const text = toJsonText(draft.body ?? { name: "Sở Tư pháp" });
    const kind = random.weighted({
      truncated: 3,
      syntax: 3,
      scalar: 2,
      blank: 2,
      bom: 1,
      badUtf8: 2,
      utf16: 1,
      nul: 1,
      oversize: 1,
      deep: 2,
      hugeString: 1,
    });
    draft.mutation = `raw body: ${kind}`;
    switch (kind) {
      case "truncated":
        draft.rawBody = text.slice(0, random.int(0, Math.max(0, text.length - 1)));
        return;
      case "syntax":
        draft.rawBody = random.pick([
          text.replace(/}$/, ",}"),
          text.replace(/"/g, "'"),
          `/* comment */${text}`,
          text.replace(/:/, ":NaN,"),
          text.replace(/"([^"]+)":/, "$1:"),
          `${text}${text}`,
          `${text}garbage`,
          "{",
          "}",
          "[1,]",
          '{"a":undefined}',
          '{"a":0x10}',
        ]);
        return;
      case "scalar":
        draft.rawBody = random.pick(["null", '"string"', "123", "true", "[]", "-0", "1e999"]);
        return;
      case "blank":
        draft.rawBody = random.pick(["", " ", "\n\t\r "]);
        return;
      case "bom":
        draft.rawBody = `\uFEFF${text}`;
        return;
      case "badUtf8": {
        const bytes = Buffer.from(text, "utf8");
        const at = Math.max(0, text.indexOf('":"') + 3);
        draft.rawBody = Buffer.concat([bytes.subarray(0, at), Buffer.from(random.pick([[0xff], [0xc3, 0x28], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]])), bytes.subarray(at)]);
        return;
      }
      case "utf16":
        draft.rawBody = Buffer.from(text, "utf16le");
        return;
      case "nul":
        draft.rawBody = Buffer.concat([Buffer.from(text), Buffer.alloc(random.int(1, 64))]);
        return;
      case "oversize":
        // Valid JSON padded past the largest body limit (1 MiB): must be refused before parsing.
        draft.rawBody = `${text}${" ".repeat(1_100_000)}`;
        return;
      case "deep":
        draft.rawBody = deepJson(random.pick([1_000, 10_000, 100_000]), random.chance(0.5) ? "array" : "object").text;
        return;
      case "hugeString":
        draft.rawBody = toJsonText({ ...(isContainer(draft.body) && !Array.isArray(draft.body) ? (draft.body as object) : {}), name: hugeString(random) });
        return;
    }
  }

  private mutateContentType(draft: Draft): void {
    const { random } = this;
    if (draft.body === undefined) draft.body = {};
    if (random.chance(0.15)) {
      draft.contentType = null;
      draft.mutation = "no content type";
    } else {
      draft.contentType = random.pick(CONTENT_TYPES);
      draft.mutation = `content type ${JSON.stringify(draft.contentType)}`;
    }
  }

  /** Query strings as clients and attackers write them: arrays, duplicates, edge numbers, garbage cursors. */
  private mutateQuery(route: RouteSpec, draft: Draft, ctx: ValueContext): void {
    const { random } = this;
    const param = route.query.length > 0 ? random.pick(route.query) : undefined;
    const name = param?.name ?? random.pick(["limit", "from", "q", "id"]);
    const n = encodeLoose(name);
    const without = () => draft.query.filter((q) => q.name !== name);
    const kind = random.weighted({ hostile: 4, nearMiss: param ? 3 : 0, duplicate: 2, arrays: 2, unknown: 2, drop: 1, empty: 1, edgeNumber: 2, cursor: 1, huge: 1, disguisedKey: 3 });
    draft.mutation = `query ${kind} ${name}`;
    switch (kind) {
      case "hostile":
        draft.query = [...without(), { name, text: `${n}=${encodeLoose(asUrlText(hostileFor(param?.schema, name, random)))}` }];
        return;
      case "nearMiss": {
        const value = nearMiss(param!.schema, name, ctx);
        draft.query = [...without(), { name, text: `${n}=${encodeLoose(asUrlText(value))}` }];
        return;
      }
      case "duplicate": {
        const value = param ? encodeLoose(String(validValue(param.schema, name, ctx))) : "1";
        draft.query = [...draft.query, { name, text: `${n}=${value}` }, { name, text: `${n}=${encodeLoose(asUrlText(hostileValue(random)))}` }];
        return;
      }
      case "arrays":
        draft.query = [...without(), { name, text: random.pick([`${n}[]=1`, `${n}[0]=a&${n}[1]=b`, `${n}[a][b]=c`, `${n}[]=`, `${n}[__proto__][x]=1`]) }];
        return;
      case "unknown":
        draft.query = [...draft.query, { name: "?", text: random.pick(["__proto__[polluted]=1", "constructor[prototype][polluted]=1", "unknown=1", "=1", "&&&", "a=1=2", "%00=%00"]) }];
        return;
      case "drop":
        draft.query = without();
        return;
      case "empty":
        draft.query = [...without(), { name, text: random.pick([`${n}=`, n, `${n}=%20`]) }];
        return;
      case "edgeNumber":
        draft.query = [...without(), { name, text: `${n}=${encodeLoose(random.chance(0.5) ? random.pick(EDGE_NUMBERS).text : random.pick(NUMBER_STRINGS))}` }];
        return;
      case "cursor":
        draft.query = [
          ...draft.query.filter((q) => q.name !== "cursor"),
          { name: "cursor", text: `cursor=${encodeLoose(random.pick(garbageCursors(random)))}` },
        ];
        return;
      case "huge":
        draft.query = [...without(), { name, text: `${n}=${"9".repeat(random.pick([400, 20_000]))}` }];
        return;
      case "disguisedKey": {
        // Issue #11, item 4: `?%69dNumber=…` and `?idNumber[]=…` reached the request log in clear. The
        // value is a valid one (the fixture's real identity number on the portal), alone or beside the plain key.
        const value = encodeLoose(asUrlText(param ? validValue(param.schema, name, ctx) : "1"));
        const disguised = random.pick(disguisedKeys(name));
        draft.query = [...(random.chance(0.6) ? without() : draft.query), { name, text: `${disguised}=${value}` }];
        draft.mutation = `query key ${disguised} for ${name}`;
        return;
      }
    }
  }

  /** Path tricks: traversal, encoded separators, NUL, overlong segments, odd prefixes. */
  private mutatePath(route: RouteSpec, draft: Draft): void {
    const { random } = this;
    const params = route.pathParams.map((p) => p.name);
    const kind = random.weighted({ trick: params.length > 0 ? 4 : 0, hostile: params.length > 0 ? 3 : 0, suffix: 2, prefix: 1 });
    draft.mutation = `path ${kind}`;
    switch (kind) {
      case "trick":
        // Malformed percent-encoding and over-long parameters are refused by Fastify before routing
        // (malformed_url 400, url_too_long 414), as problems since app.ts sets frameworkErrors.
        draft.path[random.pick(params)] = random.pick([
          "%zz",
          "%",
          "a%",
          "%C0%AE",
          "%E0%80%AF",
          "x".repeat(MAX_PARAM_LENGTH + 1),
          "%41".repeat(MAX_PARAM_LENGTH),
          "..%2f..%2fetc%2fpasswd",
          "%2e%2e%2f%2e%2e%2f",
          "..",
          ".",
          "%2e",
          "%00",
          "a%00b",
          "%EF%BF%BF",
          "ệ",
          "a;b=c",
          "a/b",
          "a%2Fb",
          "a%5Cb",
          "A1?x=1",
          "A1#frag",
          "%20",
          "x".repeat(MAX_PARAM_LENGTH),
        ]);
        return;
      case "hostile": {
        const param = random.pick(route.pathParams);
        draft.path[param.name] = encodedWithin(asUrlText(hostileFor(param.schema, param.name, random)), MAX_PARAM_LENGTH);
        return;
      }
      case "suffix":
        draft.pathSuffix = random.pick(["/", "//", "/..", "/.", "/%2e%2e", "%2f..", "/x", ";a=b", "%00", "/../../etc/passwd", "/%2e%2e/%2e%2e/healthz"]);
        return;
      case "prefix": {
        const built = buildPath(route, draft);
        draft.pathOverride = random.pick([`/${built}`, built.toUpperCase(), built.replace("/v1/", "/v1/./"), built.replace("/v1/", "/v2/../v1/"), built.replace(/\//g, "\\"), `${built}/`]);
        return;
      }
    }
  }

  /** No key, a broken header, a revoked key, or a real key of the wrong role or agency. */
  private mutateAuth(route: RouteSpec, draft: Draft): void {
    const { random } = this;
    const { keys } = this.world;
    const anonymous = random.chance(0.65);
    if (anonymous) {
      const token = keys.admin.slice("Bearer ".length);
      draft.authorization = random.pick([
        undefined,
        "",
        "Bearer",
        "Bearer ",
        "Bearer not-a-key",
        `Bearer ${token}x`,
        `Bearer ${token.slice(0, -1)}`,
        `Basic ${Buffer.from(`admin:${token}`).toString("base64")}`,
        `Token ${token}`,
        `Bearer ${"k".repeat(600)}`,
        `Bearer ${token} ${token}`,
        `Bearer ${SQLISH[0]}`,
        keys.revoked,
      ]);
      draft.mutation = `credentials ${JSON.stringify(draft.authorization?.slice(0, 24) ?? null)}`;
      draft.anonymous = route.secured;
    } else {
      draft.authorization = random.pick([keys.reporter, keys.otherDesk, keys.ownDesk, `bearer ${keys.admin.slice("Bearer ".length)}`]);
      draft.mutation = "another role or agency";
    }
  }

  /**
   * Acting outside one's own agency (issue #11, items 2 and 5): a supplied receipt code in another
   * agency's namespace, on another date, or the one the generator would issue next; an event or an
   * apology letter in another agency's name. Mostly with the justice department's desk key (it may act
   * for the justice department and the district below it only), sometimes an admin's (any agency).
   */
  private mutateForeign(route: RouteSpec, draft: Draft, ctx: ValueContext): void {
    const { random, world } = this;
    const foreign = random.pick(FOREIGN_AGENCIES);
    draft.authorization = random.chance(0.7) ? world.keys.ownDesk : world.keys.admin;
    const who = draft.authorization === world.keys.ownDesk ? "a desk" : "an admin";
    switch (routeKey(route)) {
      case "POST /v1/dossiers": {
        const receivedAt = random.pick(RECEPTION_TIMES);
        const day = receivedAt.slice(2, 10).replace(/-/g, "");
        const sequence = random.pick(["0001", "0002", "0003", "9001", "9999", "00001", "99999999"]);
        const otherDay = random.pick(["240101", "250601", "250603", "991231", "250230", "000000"]);
        const variant = random.weighted({ otherAgency: 3, otherDate: 3, both: 1, nextIssued: 2, unknownAgency: 1 });
        const receiptCode = {
          otherAgency: `${foreign}-${day}-${sequence}`,
          otherDate: `${JUSTICE}-${otherDay}-${sequence}`,
          both: `${foreign}-${otherDay}-${sequence}`,
          nextIssued: `${JUSTICE}-${day}-${random.pick(["0001", "0002", "0003", "0004"])}`,
          unknownAgency: `999.99.99.X99-${day}-${sequence}`,
        }[variant];
        draft.body = receptionBody(ctx, { receivedAt, receiptCode });
        draft.mutation = `${who} supplies receipt code ${receiptCode} (${variant})`;
        return;
      }
      case "POST /v1/dossiers/{receiptCode}/events": {
        const foreignEvent = () => ({ ...eventExemplar(ctx), agencyCode: foreign });
        draft.body = random.chance(0.2) ? { events: [eventExemplar(ctx), foreignEvent()] } : foreignEvent();
        draft.mutation = `${who} records an event in the name of ${foreign}`;
        return;
      }
      case "POST /v1/dossiers/{receiptCode}/apology-letters":
        draft.body = { ...(isContainer(draft.body) && !Array.isArray(draft.body) ? draft.body : {}), agencyCode: foreign };
        draft.mutation = `${who} apologises in the name of ${foreign}`;
        return;
      default:
        return this.mutateAuth(route, draft);
    }
  }

  /** A hostile name (HOSTILE_NAMES) where a person's or a desk's name or words go, else in the path or query. */
  private mutateNames(route: RouteSpec, draft: Draft, ctx: ValueContext): void {
    const { random } = this;
    const name = random.pick(HOSTILE_NAMES);
    draft.mutation = `hostile name ${excerptOf(name)}`;
    switch (routeKey(route)) {
      case "POST /v1/dossiers":
        draft.body = receptionBody(ctx, { applicant: { ...APPLICANT, name } });
        return;
      case "POST /v1/dossiers/{receiptCode}/events":
        draft.body = { ...eventExemplar(ctx), actor: { id: random.pick(["u1", name.slice(0, 64)]), name } };
        return;
    }
    const textual = isContainer(draft.body)
      ? valuePaths(draft.body).filter((p) => /name$|^(reason|note|summary|address|items)$/i.test(String(p[p.length - 1])) && typeof getAt(draft.body, p) === "string")
      : [];
    if (textual.length > 0) return setAt(draft, random.pick(textual), name);
    if (route.pathParams.length > 0) {
      draft.path[random.pick(route.pathParams).name] = encodedWithin(name, MAX_PARAM_LENGTH);
      return;
    }
    draft.query = [...draft.query, { name: "name", text: `name=${encodeLoose(name.slice(0, 2_000))}` }];
  }

  private mutateMethod(route: RouteSpec, draft: Draft): void {
    draft.method = this.random.pick(OTHER_METHODS.filter((m) => m !== route.method));
    draft.mutation = `method ${draft.method}`;
    if (draft.method === "GET" || draft.method === "HEAD" || draft.method === "OPTIONS") draft.body = undefined;
  }

  private serialize(index: number, route: RouteSpec, strategy: Strategy, draft: Draft): FuzzRequest {
    const path = draft.pathOverride ?? `${buildPath(route, draft)}${draft.pathSuffix}`;
    const url = draft.query.length > 0 ? `${path}?${draft.query.map((q) => q.text).join("&")}` : path;
    const payload = draft.rawBody ?? (draft.body === undefined ? undefined : toJsonText(draft.body));
    const headers: Record<string, string> = {};
    if (draft.authorization !== undefined) headers.authorization = draft.authorization;
    if (draft.accept !== undefined) headers.accept = draft.accept;
    const contentType = draft.contentType === undefined ? (payload === undefined ? undefined : "application/json") : draft.contentType;
    if (contentType !== undefined && contentType !== null) headers["content-type"] = contentType;
    return { index, route: routeKey(route), strategy, mutation: draft.mutation, method: draft.method, url, headers, payload, anonymous: draft.anonymous };
  }
}

/** Agencies the justice department's desk may not act for: above it, beside it, another province, none. */
const FOREIGN_AGENCIES = [PROVINCE, TAX, OTHER_PROVINCE, "999.99.99.X99"];
/** Receptions at the justice department, inside working hours, before the pinned clock. */
const RECEPTION_TIMES = ["2025-06-02T08:00:00+07:00", "2025-03-03T09:00:00+07:00", "2025-06-30T09:30:00+07:00"];
const APPLICANT = { kind: "citizen", name: "Trần Văn Bình", idNumber: "001090099999" };

/** A reception the justice department's desk may make, but for `overrides`. */
function receptionBody(ctx: ValueContext, overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    procedureCode: ctx.random.pick(ctx.world.procedureCodes),
    receivingAgencyCode: JUSTICE,
    channel: "direct",
    receivedAt: ctx.random.pick(RECEPTION_TIMES),
    applicant: APPLICANT,
    ...overrides,
  };
}

/** A value in a few characters, for the mutation's description. */
function excerptOf(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= 40 ? text : `${text.slice(0, 40)}…`;
}

/** Fastify's default maxParamLength: a longer parameter answers 414 (see mutatePath). */
const MAX_PARAM_LENGTH = 100;

/** Percent-encoded, whole characters only, at most `max` characters long. */
function encodedWithin(text: string, max: number): string {
  let out = "";
  for (const char of text) {
    const encoded = encodeLoose(char);
    if (out.length + encoded.length > max) break;
    out += encoded;
  }
  return out;
}

function buildPath(route: RouteSpec, draft: Draft): string {
  return route.template.replace(/\{([^}]+)\}/g, (_match, name: string) => draft.path[name] ?? "");
}

/** Cursors a client may forge: wrong prefix, negative, beyond any row, not base64, overlong. */
function garbageCursors(random: SeededRandom): string[] {
  const b64 = (text: string) => Buffer.from(text).toString("base64url");
  return [b64("d:-1"), b64("d:99999999999999999999"), b64("x:1"), b64(`d:${SQLISH[0]}`), "!!!", "%", "AAAA", "d:1", b64("d:1").repeat(10), random.uuid()];
}

const isContainer = (value: unknown): value is object => value !== null && typeof value === "object" && !(value instanceof RawJson);

/** Paths (keys and indexes) to every value inside a body. */
function valuePaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (!isContainer(value)) return [];
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([key, v]) => [[...prefix, key], ...valuePaths(v, [...prefix, key])]);
}

/** The value at `path` inside `value`. */
function getAt(value: unknown, path: readonly (string | number)[]): unknown {
  let current = value as Record<string | number, unknown> | undefined;
  for (const step of path) current = current === undefined || current === null ? undefined : (current[step] as Record<string | number, unknown> | undefined);
  return current;
}

/** Sets (or with undefined, removes) the value at `path` in the draft's body. */
function setAt(draft: Draft, path: readonly (string | number)[], value: unknown): void {
  let parent = draft.body as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === undefined && !Array.isArray(parent)) delete parent[last];
  else parent[last] = value;
}

/**
 * Requests the schema alone rarely gets right: an event's fields depend on its type, a report
 * needs either from and to or a period (API.md "Dossiers", "Statistics"). Values are strings for
 * the query, JSON-ready for the body; mutations then apply to them as to any other.
 */
interface Exemplar {
  readonly body?: (ctx: ValueContext) => unknown;
  readonly query?: (ctx: ValueContext) => Record<string, string>;
}

const reportRange = ({ random }: ValueContext): Record<string, string> => {
  const optional = {
    ...(random.chance(0.5) ? { groupBy: random.pick(["agency", "field", "procedure", "channel", "month"]) } : {}),
    ...(random.chance(0.3) ? { agencyCode: random.pick(["000.00.00.H22", "000.00.01.H22"]) } : {}),
  };
  if (random.chance(0.4)) return { period: random.pick(["2025", "2025-Q1", "2025-H1", "2025-03"]), ...optional };
  return { from: `2025-0${random.int(1, 3)}-01`, to: `2025-0${random.int(4, 6)}-30`, ...optional };
};

const EXEMPLARS: Readonly<Record<string, Exemplar>> = {
  "POST /v1/dossiers/{receiptCode}/events": {
    body: (ctx) => (ctx.random.chance(0.2) ? { events: Array.from({ length: ctx.random.int(1, 4) }, () => eventExemplar(ctx)) } : eventExemplar(ctx)),
  },
  "GET /v1/stats/timeliness": { query: reportRange },
  "GET /v1/stats/scorecard": { query: reportRange },
};

function eventExemplar({ random, world }: ValueContext): Record<string, unknown> {
  const agency = () => random.pick(world.agencyCodes);
  const fields: Record<string, () => Record<string, unknown>> = {
    transferred: () => ({ toAgencyCode: agency(), ...(random.chance(0.5) ? { stepCode: random.pick(["review", "tax"]) } : {}) }),
    supplement_requested: () => ({ reason: "Thiếu giấy tờ", ...(random.chance(0.5) ? { items: ["Tờ khai"] } : {}) }),
    supplement_received: () => ({}),
    suspended: () => ({ reason: random.pick(["financial_obligation", "other"]) }),
    resumed: () => ({}),
    result_ready: () => ({ outcome: random.pick(["approved", "refused"]) }),
    returned: () => ({ method: random.pick(["counter", "postal", "online"]) }),
    withdrawal_requested: () => ({}),
    stopped: () => ({ reason: "Công dân rút hồ sơ" }),
    cancelled: () => ({}),
  };
  const type = random.pick(Object.keys(fields));
  const occurredAt = random.chance(0.1) ? random.pick(BAD_DATES) : `2025-0${random.int(2, 6)}-${String(random.int(1, 28)).padStart(2, "0")}T${random.pick(["08:00", "10:30", "15:00"])}:00+07:00`;
  return {
    eventId: random.chance(0.15) ? random.pick(world.eventIds) : random.uuid(),
    type,
    occurredAt,
    agencyCode: agency(),
    ...(random.chance(0.2) ? { actor: { id: "u1", name: random.pick(UNICODE_ODDITIES) || "An" } } : {}),
    ...fields[type]!(),
  };
}
