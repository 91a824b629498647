/**
 * Values from a route's JSON schema: near-valid ones (they pass validation and, thanks to the
 * fixture's codes, often reach the service), edge ones (valid, at a boundary: year 1900, the
 * longest name, the largest batch), near misses (one constraint broken, just so) and hostile
 * values aimed at what the field is.
 * Generic over the schema, so that a new endpoint gets sensible values without new code; the
 * field name picks fixture codes where a random string would only ever meet a 404.
 */
import type { FixtureDossier, FuzzWorld } from "./fuzz-fixture.js";
import { BAD_DATES, EDGE_NUMBERS, hostileValue, NUMBER_STRINGS, UNKNOWN_ENUMS } from "./hostile-values.js";
import { RawJson } from "./json-text.js";
import type { JsonSchema } from "./route-catalog.js";
import type { SeededRandom } from "./seeded-random.js";

export interface ValueContext {
  readonly random: SeededRandom;
  readonly world: FuzzWorld;
  /** The fixture dossier the request's path names, if any: its applicant's idNumber goes with it. */
  readonly dossier: FixtureDossier | undefined;
}

const TIMES = ["07:30", "08:00", "11:30", "13:00", "15:00", "17:00"];
const NAMES = ["Sở Tư pháp", "Nguyễn Thị Bình", "Tờ khai đăng ký", "Thẩm định hồ sơ", "x"];
const PERIODS = ["2025", "2025-Q1", "2025-Q2", "2025-H1", "2025-03", "2024"];

const pad = (n: number) => String(n).padStart(2, "0");

/** Dates and instants of the first half of 2025: before the pinned clock, after the fixture's receptions. */
const localDate = (random: SeededRandom) => `2025-${pad(random.int(1, 6))}-${pad(random.int(1, 28))}`;
const timestamp = (random: SeededRandom) => `${localDate(random)}T${random.pick(TIMES)}:00+07:00`;
const cursorOf = (id: number) => Buffer.from(`d:${id}`).toString("base64url");

/** Fixture values that fit a field, by its name; undefined when the name says nothing. */
function semanticCandidates(field: string, ctx: ValueContext): string[] | undefined {
  const { world, random } = ctx;
  const name = field.toLowerCase();
  if (name === "idnumber") return [ctx.dossier?.idNumber ?? random.pick(world.dossiers).idNumber];
  if (name.endsWith("agencycode") || name === "parentcode" || name === "agencycodes") return [...world.agencyCodes];
  if (name.endsWith("procedurecode")) return [...world.procedureCodes];
  if (name === "calendarid") return [...world.calendarIds];
  if (name === "receiptcode") return world.dossiers.map((d) => d.receiptCode);
  if (name === "id") return [...world.revocableKeyIds];
  if (name === "timezone") return ["Asia/Ho_Chi_Minh", "Asia/Bangkok", "UTC"];
  if (name === "period") return PERIODS;
  if (name === "stepcode") return ["reception", "review", "tax"];
  if (name === "fieldcode") return ["HT", "DD"];
  if (name === "date") return ["2025-05-05", localDate(random)];
  if (name === "number") return world.letterNumbers.map(String);
  if (name === "cursor") return [cursorOf(random.int(1, 8)), cursorOf(1_000_000)];
  return undefined;
}

/** Plausible strings of every shape the API uses; the schema's constraints pick among them. */
function genericCandidates(ctx: ValueContext): string[] {
  const { random } = ctx;
  return [
    timestamp(random),
    `${localDate(random)}T0${random.int(1, 9)}:15:00Z`,
    localDate(random),
    random.pick(TIMES),
    random.pick(NAMES),
    random.uuid(),
    "binh@example.vn",
    "0912345678",
    `00109${random.int(1_000_000, 9_999_999)}`,
    `FUZZ-${random.int(1000, 9999)}`,
    "000.99.99.X99",
    "9.999999",
    "vn",
    "a",
  ];
}

const regexCache = new Map<string, RegExp>();
function regex(pattern: string): RegExp {
  let compiled = regexCache.get(pattern);
  if (!compiled) regexCache.set(pattern, (compiled = new RegExp(pattern, "u")));
  return compiled;
}

/** Whether a string meets the schema's string constraints (lengths in code points, as Ajv counts). */
function fitsString(schema: JsonSchema, value: string): boolean {
  const length = [...value].length;
  if (typeof schema.minLength === "number" && length < schema.minLength) return false;
  if (typeof schema.maxLength === "number" && length > schema.maxLength) return false;
  if (typeof schema.pattern === "string" && !regex(schema.pattern).test(value)) return false;
  if (schema.format === "email" && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) return false;
  return true;
}

function stringFor(schema: JsonSchema, field: string, ctx: ValueContext): string {
  const fit = (candidates: readonly string[]) => candidates.filter((c) => fitsString(schema, c));
  const semantic = fit(semanticCandidates(field, ctx) ?? []);
  if (semantic.length > 0) return ctx.random.pick(semantic);
  const generic = fit(genericCandidates(ctx));
  if (generic.length > 0) return ctx.random.pick(generic);
  return "a".repeat(typeof schema.minLength === "number" ? Math.max(1, schema.minLength) : 1);
}

function numberFor(schema: JsonSchema, integer: boolean, random: SeededRandom): number {
  const num = (key: string) => (typeof schema[key] === "number" ? (schema[key] as number) : undefined);
  const step = integer ? 1 : 0.25;
  const min = num("minimum") ?? (num("exclusiveMinimum") !== undefined ? num("exclusiveMinimum")! + step : 0);
  const max = num("maximum") ?? (num("exclusiveMaximum") !== undefined ? num("exclusiveMaximum")! - step : min + 100);
  if (integer) return random.int(Math.ceil(min), Math.floor(Math.min(max, min + 100)));
  const friendly = [0.25, 0.5, 1, 2, 3, 3.5, 5, 10, 30].filter((n) => n >= min && n <= max);
  return friendly.length > 0 ? random.pick(friendly) : min;
}

const typeOf = (schema: JsonSchema): string | undefined => {
  if (typeof schema.type === "string") return schema.type;
  if (Array.isArray(schema.type)) return (schema.type as string[]).find((t) => t !== "null");
  if (schema.properties !== undefined) return "object";
  return undefined;
};

const branches = (schema: JsonSchema): JsonSchema[] | undefined => (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
const isNullSchema = (schema: JsonSchema) => schema.type === "null";

/** A value that meets the schema (as far as plausible candidates allow). */
export function validValue(schema: JsonSchema, field: string, ctx: ValueContext): unknown {
  const { random } = ctx;
  const options = branches(schema);
  if (options) {
    const nonNull = options.filter((o) => !isNullSchema(o));
    return nonNull.length === 0 || (nonNull.length < options.length && random.chance(0.15)) ? null : validValue(random.pick(nonNull), field, ctx);
  }
  if (Array.isArray(schema.enum)) return random.pick(schema.enum as unknown[]);
  if ("const" in schema) return schema.const;
  switch (typeOf(schema)) {
    case "string":
      return stringFor(schema, field, ctx);
    case "integer":
    case "number": {
      const semantic = (semanticCandidates(field, ctx) ?? []).map(Number).filter((n) => withinBounds(schema, n));
      return semantic.length > 0 ? random.pick(semantic) : numberFor(schema, typeOf(schema) === "integer", random);
    }
    case "boolean":
      return random.chance(0.5);
    case "null":
      return null;
    case "array": {
      const min = typeof schema.minItems === "number" ? schema.minItems : 0;
      const max = typeof schema.maxItems === "number" ? schema.maxItems : min + 3;
      const items = (schema.items ?? {}) as JsonSchema;
      return Array.from({ length: random.int(min, Math.min(max, min + 3)) }, () => validValue(items, field, ctx));
    }
    case "object":
      return objectFor(schema, ctx);
    default:
      return random.pick(NAMES);
  }
}

function objectFor(schema: JsonSchema, ctx: ValueContext): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  const out: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(properties)) {
    if (required.has(name) || ctx.random.chance(0.5)) out[name] = validValue(property, name, ctx);
  }
  return out;
}

/** A value that breaks exactly one of the schema's constraints, close to its edge. */
export function nearMiss(schema: JsonSchema, field: string, ctx: ValueContext): unknown {
  const { random } = ctx;
  const options = branches(schema);
  if (options) {
    const nonNull = options.filter((o) => !isNullSchema(o));
    return nonNull.length > 0 ? nearMiss(random.pick(nonNull), field, ctx) : "not-null";
  }
  if (Array.isArray(schema.enum)) {
    const valid = String(random.pick(schema.enum as unknown[]));
    return random.pick([...UNKNOWN_ENUMS, valid.toUpperCase(), `${valid} `, valid.slice(0, -1)].filter((v) => !(schema.enum as unknown[]).includes(v)));
  }
  const num = (key: string) => (typeof schema[key] === "number" ? (schema[key] as number) : undefined);
  switch (typeOf(schema)) {
    case "string": {
      const valid = stringFor(schema, field, ctx);
      const tooLong = num("maxLength") !== undefined ? "x".repeat(num("maxLength")! + 1) : "x".repeat(100_000);
      return random.pick([`${valid}!`, ` ${valid}`, `${valid}\u0000`, valid.toUpperCase().replace(/\d/g, "Ⅸ"), "", tooLong, valid.slice(1), `${valid}%`]);
    }
    case "integer":
    case "number": {
      const edges = [
        num("minimum") !== undefined ? num("minimum")! - 1 : -1,
        num("maximum") !== undefined ? num("maximum")! + 1 : Number.MAX_SAFE_INTEGER + 2,
        num("exclusiveMinimum") ?? 0,
        num("exclusiveMaximum") ?? 1e308,
        typeOf(schema) === "integer" ? 1.5 : -0.25,
        "one",
      ];
      return random.pick(edges);
    }
    case "boolean":
      return random.pick(["yes", 2, "TRUE", [], {}]);
    case "array": {
      const items = (schema.items ?? {}) as JsonSchema;
      const maxItems = num("maxItems");
      if (maxItems !== undefined && maxItems < 1000 && random.chance(0.4)) return Array.from({ length: maxItems + 1 }, () => validValue(items, field, ctx));
      return random.pick([[], [nearMiss(items, field, ctx)], "not-an-array", { 0: "a" }]);
    }
    case "object": {
      const valid = objectFor(schema, ctx);
      const required = (schema.required ?? []) as string[];
      if (required.length > 0 && random.chance(0.5)) delete valid[random.pick(required)];
      else valid[random.pick(["unknownField", "recievedAt", "isAdmin", "role", ""])] = "x";
      return valid;
    }
    default:
      return random.pick([null, {}, []]);
  }
}

/** Paths to every field the schema defines on the objects present in `value`, set or not, and to array items. */
export function fieldPaths(schema: JsonSchema, value: unknown, prefix: readonly (string | number)[] = []): (string | number)[][] {
  const resolved = branches(schema)?.find((o) => !isNullSchema(o)) ?? schema;
  if (Array.isArray(value)) {
    const items = resolved.items as JsonSchema | undefined;
    return items === undefined ? [] : value.flatMap((v, i) => [[...prefix, i], ...fieldPaths(items, v, [...prefix, i])]);
  }
  if (value === null || typeof value !== "object" || value instanceof RawJson) return [];
  const present = value as Record<string, unknown>;
  return Object.entries((resolved.properties ?? {}) as Record<string, JsonSchema>).flatMap(([name, property]) => [
    [...prefix, name],
    ...(name in present ? fieldPaths(property, present[name], [...prefix, name]) : []),
  ]);
}

/** The schema a value at `path` (object keys and array indexes) must meet, or undefined off the schema. */
export function schemaAt(schema: JsonSchema, path: readonly (string | number)[]): JsonSchema | undefined {
  let current: JsonSchema | undefined = schema;
  for (const step of path) {
    if (current === undefined) return undefined;
    const options = branches(current);
    if (options) current = options.find((o) => !isNullSchema(o));
    if (current === undefined) return undefined;
    current = typeof step === "number" ? (current.items as JsonSchema | undefined) : ((current.properties as Record<string, JsonSchema> | undefined)?.[step]);
  }
  return current;
}

/** Dates and report periods live in fields named so, or under a YYYY-MM-DD pattern. */
export function isDateLike(schema: JsonSchema | undefined, field: string): boolean {
  return /(At|Date|From|To|Period)$|^(date|from|to|start|end|period)$/.test(field) || (typeof schema?.pattern === "string" && schema.pattern.includes("\\d{4}-\\d{2}"));
}

/** Years where calendars, holiday rules and epoch arithmetic have their edges. */
const EDGE_YEARS = ["0001", "1000", "1899", "1900", "1901", "1969", "1970", "2000", "2038", "2099", "2100", "2198", "2199", "2999", "3000", "9999"];

/** Well-formed dates, instants and report periods at the edges: they pass the schema and reach the service. */
function edgeDates(random: SeededRandom): string[] {
  const year = random.pick(EDGE_YEARS);
  return [
    year,
    `${year}-Q1`,
    `${year}-12`,
    `${year}-01-01`,
    `${year}-12-31`,
    `${year}-02-29`,
    `${year}-01-01T00:00:00+07:00`,
    `${year}-12-31T23:59:59-12:00`,
    `${year}-02-28T24:00:00Z`,
    `${year}-06-15T12:00:00.999999999+14:00`,
    // Around the pinned clock (2025-06-30T10:00+07:00) and its 5-minute tolerance for drift.
    "2025-06-30T10:04:59+07:00",
    "2025-06-30T10:05:01+07:00",
    "2025-06-30T03:00:00Z",
    "2025-06-30",
    "2025-07-01",
  ];
}

/** A valid value at one of the schema's boundaries (or the plain valid value when it has none). */
export function edgeValue(schema: JsonSchema, field: string, ctx: ValueContext): unknown {
  const { random } = ctx;
  const options = branches(schema);
  if (options) return edgeValue(random.pick(options), field, ctx);
  const num = (key: string) => (typeof schema[key] === "number" ? (schema[key] as number) : undefined);
  switch (typeOf(schema)) {
    case "string": {
      const candidates = isDateLike(schema, field) ? edgeDates(random) : [];
      const maxLength = num("maxLength");
      if (maxLength !== undefined) candidates.push(random.pick(["ệ", "A", "😀", " "]).repeat(maxLength));
      const fitting = candidates.filter((c) => fitsString(schema, c));
      return fitting.length > 0 ? random.pick(fitting) : stringFor(schema, field, ctx);
    }
    case "integer":
    case "number": {
      const tiny = typeOf(schema) === "integer" ? 1 : 1e-9;
      const edges = [num("minimum"), num("maximum"), num("exclusiveMinimum") !== undefined ? num("exclusiveMinimum")! + tiny : undefined, 0, Number.MAX_SAFE_INTEGER];
      const valid = edges.filter((n): n is number => n !== undefined && withinBounds(schema, n));
      return valid.length > 0 ? random.pick(valid) : validValue(schema, field, ctx);
    }
    case "array": {
      const maxItems = num("maxItems");
      const items = (schema.items ?? {}) as JsonSchema;
      return Array.from({ length: maxItems !== undefined ? maxItems : random.pick([0, 1000]) }, () => validValue(items, field, ctx));
    }
    default:
      return validValue(schema, field, ctx);
  }
}

function withinBounds(schema: JsonSchema, n: number): boolean {
  const bound = (key: string) => (typeof schema[key] === "number" ? (schema[key] as number) : undefined);
  if (bound("minimum") !== undefined && n < bound("minimum")!) return false;
  if (bound("maximum") !== undefined && n > bound("maximum")!) return false;
  if (bound("exclusiveMinimum") !== undefined && n <= bound("exclusiveMinimum")!) return false;
  if (bound("exclusiveMaximum") !== undefined && n >= bound("exclusiveMaximum")!) return false;
  return schema.type !== "integer" || Number.isInteger(n);
}

/** A hostile value aimed at a field: mostly of the kind its schema is likeliest to mishandle. */
export function hostileFor(schema: JsonSchema | undefined, field: string, random: SeededRandom): unknown {
  if (random.chance(0.4)) return hostileValue(random);
  if (isDateLike(schema, field)) return random.pick(BAD_DATES);
  if (Array.isArray(schema?.enum)) return random.pick(UNKNOWN_ENUMS);
  if (schema?.type === "number" || schema?.type === "integer") return random.chance(0.7) ? random.pick(EDGE_NUMBERS) : random.pick(NUMBER_STRINGS);
  return hostileValue(random);
}

/** A value as it travels in a URL (path segment or query value): always text, at most 20,000 characters. */
export function asUrlText(value: unknown): string {
  const text = typeof value === "string" ? value : value instanceof RawJson ? value.text : (JSON.stringify(value) ?? "");
  return text.slice(0, 20_000);
}

/**
 * A value of another JSON type than the field's (issue #11, item 6: `"feeVnd": null` was stored as
 * 0, `true` as 1, `name: 12345` as text, `"channel": ["direct"]` accepted): what a coercing
 * validator turns into a valid value. `current` is the valid value it replaces (wrapped in an array).
 */
export function wrongTypeFor(schema: JsonSchema | undefined, current: unknown, random: SeededRandom): unknown {
  const inArray = [current];
  if (schema !== undefined && Array.isArray(schema.enum)) return random.pick<unknown>([inArray, null, true, 0, 1, { value: current }]);
  switch (schema === undefined ? undefined : typeOf(schema)) {
    case "string":
      return random.pick<unknown>([null, true, false, 0, 12345, 1.5, inArray, {}, { toString: String(current) }]);
    case "integer":
    case "number":
      return random.pick<unknown>([null, true, false, "", "12", " 12 ", "1e3", "0x10", inArray, [], {}]);
    case "boolean":
      return random.pick<unknown>([null, 0, 1, "true", "false", "", inArray, {}]);
    case "array":
      return random.pick<unknown>([null, "a", 1, true, {}, { 0: "a", length: 1 }]);
    case "object":
      return random.pick<unknown>([null, "{}", 1, true, [], [current]]);
    default:
      return random.pick<unknown>([null, true, 0, [], {}]);
  }
}
