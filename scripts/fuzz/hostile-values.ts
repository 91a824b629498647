/**
 * Values a careless or hostile client sends: wrong types, huge strings, deep nesting, impossible
 * dates, unknown enum values, numbers at the edges of IEEE 754, prototype-pollution keys,
 * SQL-ish and path-ish strings, Unicode oddities.
 */
import { deepJson, RawJson } from "./json-text.js";
import type { SeededRandom } from "./seeded-random.js";

const WRONG_TYPES: readonly unknown[] = [null, true, false, 0, -1, 1.5, "", " ", "true", "null", [], [null], ["a", 1], {}, { a: 1 }];

export const BAD_DATES: readonly string[] = [
  "2025-02-30",
  "2025-02-29",
  "2025-13-01T25:61:00+07:00",
  "0000-00-00",
  "0000-00-00T00:00:00Z",
  "2025-06-31T10:00:00+07:00",
  "2025-06-30T10:00:00",
  "2025-06-30 10:00:00+07:00",
  "2025-06-30T10:00:60+07:00",
  "2025-06-30T24:00:01+07:00",
  "2024-12-31T24:00:00+07:00",
  "2025-06-30T10:00:00+24:00",
  "2025-06-30T10:00:00-99:99",
  "2025-06-30T10:00:00.1234567890+07:00",
  "0001-01-01T00:00:00Z",
  "1899-12-31T23:59:59+07:00",
  "1900-01-01T00:00:00Z",
  "1970-01-01T00:00:00Z",
  "2199-01-01T00:00:00+07:00",
  "9999-12-31T23:59:59-12:00",
  "2025-1-1",
  "2025-W27",
  "+275760-09-13T00:00:00Z",
  "yesterday",
  "1751252400000",
];

/** Numbers as written in the JSON text: beyond doubles, negative zero, beyond safe integers. */
export const EDGE_NUMBERS: readonly RawJson[] = [
  "1e308",
  "-1e308",
  "1e999",
  "-1e999",
  "-0",
  "0.0",
  "1e-400",
  "4.9e-324",
  "123456789012345678901234567890",
  "9007199254740993",
  "-9007199254740993",
  "1.0000000000000002",
  "2147483648",
].map((text) => new RawJson(text));

export const NUMBER_STRINGS: readonly string[] = ["NaN", "Infinity", "-Infinity", "-0", "0x10", "1e3", "1_000", "1,5", " 1", "01", "١٢٣"];

export const UNKNOWN_ENUMS: readonly string[] = ["", "unknown", "ADMIN", "Direct", "direct ", " online", "desk\u0000", "__proto__", "toString", "constructor", "null"];

export const SQLISH: readonly string[] = [
  "' OR 1=1 --",
  "'; DROP TABLE dossiers; --",
  '" OR ""="',
  "1; SELECT * FROM api_keys",
  "' UNION SELECT key_hash, 1, 1 FROM api_keys --",
  "%' --",
  "\\'; --",
  "*/ /*",
  "1 AND (SELECT count(*) FROM sqlite_master) > 0",
];

const PATHISH: readonly string[] = ["../../etc/passwd", "..\\..\\windows\\win.ini", "%2e%2e%2f", "/", "a/b", "a?b=c", "a#b", ".", "..", "~"];

export const UNICODE_ODDITIES: readonly string[] = [
  "\u0000",
  "a\u0000b",
  "\u202Eevil\u202C",
  "\uD800",
  "\uDC00x",
  "😀".repeat(50),
  "e\u0301\u0301\u0301",
  "\uFEFFSở Tư pháp",
  "ｆｕｌｌ ｗｉｄｔｈ",
  "\u0085\u2028\u2029",
  "\r\n\t",
  "<script>alert(1)</script>",
  "${jndi:ldap://x/a}",
  "{{7*7}}",
  "Nguyễn Văn An".normalize("NFD"),
];

/**
 * Names a person or a desk may type or paste (issue #11, items 6 and 8): very long, bidirectional
 * overrides that reorder what a reader sees, invisible marks, control and terminal escape
 * characters, combining floods, lone surrogates, emoji sequences, nothing but spaces.
 */
export const HOSTILE_NAMES: readonly string[] = [
  "\u202EnA năV nễyugN\u202C",
  "Nguyễn \u2066Văn\u2069 An",
  "\u2067\u0627\u0644\u0639\u0631\u0628\u064A\u0629\u2069 An",
  "\u200F\u200E\u061CTrần Bình",
  "Lê\u001B[31mĐỏ\u001B[0m",
  "Phạm\r\nX-Injected: 1",
  "Vũ\u0000Hà",
  "Đặng\u0007\u0008\u007F\u0085Minh",
  "A" + "\u0301".repeat(500),
  "Nguyễn Văn An ".repeat(200).trim(),
  "X".repeat(10_000),
  "\u200B\u200C\u200D\u2060\uFEFF",
  "   ",
  "\u3000",
  "👨\u200D👩\u200D👧 " + "🇻🇳".repeat(100),
  "\uD800Lone",
  "Hồ\u034F\u034FThị",
  "N" + "\u202E".repeat(64),
];

/** Versions of a query parameter's name that some parsers read as the name itself, and some do not. */
export function disguisedKeys(name: string): string[] {
  const hex = (char: string) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`;
  const fullWidth = [...name].map((c) => (/[!-~]/.test(c) ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c)).join("");
  return [
    `${hex(name[0]!)}${name.slice(1)}`,
    `${name.slice(0, -1)}${hex(name[name.length - 1]!)}`,
    `%25${hex(name[0]!).slice(1)}${name.slice(1)}`,
    `${name}[]`,
    `${name}[0]`,
    `${name}%5B%5D`,
    `${name}%5B0%5D`,
    `${name}[a]`,
    name.toUpperCase(),
    name.toLowerCase(),
    encodeURIComponent(fullWidth),
    `${name}%00`,
    `${name}%20`,
    `%20${name}`,
    `${name}.0`,
    `${name}%3D`,
  ];
}

/** Objects whose keys reach for Object.prototype; parsed from text so that the keys are own properties. */
export const PROTO_OBJECTS: readonly unknown[] = [
  JSON.parse('{"__proto__":{"polluted":true,"role":"admin"}}'),
  JSON.parse('{"constructor":{"prototype":{"polluted":true}}}'),
  JSON.parse('{"__proto__":null}'),
];

/** Sizes around the 1 MiB body limit and far below it. */
const HUGE_SIZES = [5_000, 100_000, 1_000_000, 1_100_000];
const DEEP_LEVELS = [64, 1_000, 10_000, 100_000];

export function hugeString(random: SeededRandom): string {
  const size = random.pick(HUGE_SIZES);
  return random.chance(0.5) ? "A".repeat(size) : "ệ".repeat(Math.ceil(size / 3));
}

export function deepValue(random: SeededRandom): RawJson {
  return deepJson(random.pick(DEEP_LEVELS), random.chance(0.5) ? "array" : "object");
}

/** One hostile value of any kind. */
export function hostileValue(random: SeededRandom): unknown {
  switch (random.weighted({ type: 4, date: 3, number: 3, enum: 2, sql: 2, path: 1, unicode: 3, proto: 1, huge: 1, deep: 1 })) {
    case "type":
      return random.pick(WRONG_TYPES);
    case "date":
      return random.pick(BAD_DATES);
    case "number":
      return random.chance(0.6) ? random.pick(EDGE_NUMBERS) : random.pick(NUMBER_STRINGS);
    case "enum":
      return random.pick(UNKNOWN_ENUMS);
    case "sql":
      return random.pick(SQLISH);
    case "path":
      return random.pick(PATHISH);
    case "unicode":
      return random.pick(UNICODE_ODDITIES);
    case "proto":
      return random.pick(PROTO_OBJECTS);
    case "huge":
      return hugeString(random);
    case "deep":
      return deepValue(random);
  }
}
