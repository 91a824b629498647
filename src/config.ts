import { fileURLToPath } from "node:url";
import path from "node:path";
import net from "node:net";

/** The project root: one level above this file, whether it runs from src/ (tsx) or dist/ (node). */
export const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));
export const MIGRATIONS_FOLDER = path.join(PROJECT_ROOT, "migrations");

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  readonly port: number;
  readonly host: string;
  /** A file path, or ":memory:" (tests). Used when `databaseUrl` is null. */
  readonly dbFile: string;
  /** MOTCUA_DATABASE_URL: a postgres:// URL selects PostgreSQL (issue #16); null = the embedded SQLite file. */
  readonly databaseUrl: string | null;
  /** MOTCUA_DATABASE_POOL: connections per instance to PostgreSQL (default 10). */
  readonly databasePool: number;
  /** An admin key accepted as given (API.md: MOTCUA_ADMIN_KEY). */
  readonly adminKey: string | undefined;
  readonly logLevel: LogLevel;
  /** The National Public Service Portal's sync endpoint (MOTCUA_PORTAL_URL, MOTCUA_PORTAL_TOKEN); null = sync off. */
  readonly portal: { readonly url: string; readonly token: string | null } | null;
  /** MOTCUA_WEBHOOK_ALLOW_PRIVATE: webhook destinations on loopback and private networks (a desk's intranet). */
  readonly webhookAllowPrivate: boolean;
  /** Origins (scheme://host[:port]) whose pages may call /v1/public/* from a browser (API.md: MOTCUA_CORS_ORIGINS). */
  readonly corsOrigins: readonly string[];
  /** Fastify's `trustProxy`: false, a hop count, or the proxies' addresses/CIDRs (API.md: MOTCUA_TRUST_PROXY). */
  readonly trustProxy: TrustProxy;
}

/** Whose X-Forwarded-For is believed: nobody, the nearest N hops, or the listed proxies. */
export type TrustProxy = false | number | readonly string[];

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Reads the environment once (API.md "Configuration by environment"); throws on invalid values. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const problems: string[] = [];

  const portText = env.PORT ?? "3000";
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 0 || port > 65_535) problems.push(`PORT must be an integer 0–65535, got "${portText}"`);

  const host = env.HOST ?? "127.0.0.1";
  if (host.trim() === "") problems.push("HOST must not be empty");

  const dbFile = env.MOTCUA_DB_FILE ?? "./data/motcua.db";
  if (dbFile.trim() === "") problems.push("MOTCUA_DB_FILE must not be empty");

  const databaseUrl = env.MOTCUA_DATABASE_URL === undefined || env.MOTCUA_DATABASE_URL.trim() === "" ? null : env.MOTCUA_DATABASE_URL.trim();
  if (databaseUrl !== null && !/^postgres(ql)?:\/\/\S+$/.test(databaseUrl))
    problems.push(`MOTCUA_DATABASE_URL must be a postgres:// or postgresql:// URL (unset it for the embedded SQLite file), got "${databaseUrl.replace(/:[^:@/]*@/, ":***@")}"`);
  const poolText = env.MOTCUA_DATABASE_POOL ?? "10";
  const databasePool = Number(poolText);
  if (!/^\d+$/.test(poolText) || databasePool < 1 || databasePool > 200) problems.push(`MOTCUA_DATABASE_POOL must be an integer 1–200, got "${poolText}"`);

  const adminKey = env.MOTCUA_ADMIN_KEY === undefined || env.MOTCUA_ADMIN_KEY === "" ? undefined : env.MOTCUA_ADMIN_KEY;
  if (adminKey !== undefined && adminKey.length < 16) problems.push("MOTCUA_ADMIN_KEY must be at least 16 characters");

  const logLevel = (env.LOG_LEVEL ?? "info") as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, got "${env.LOG_LEVEL}"`);

  const portalUrl = env.MOTCUA_PORTAL_URL === undefined || env.MOTCUA_PORTAL_URL === "" ? null : env.MOTCUA_PORTAL_URL;
  if (portalUrl !== null && !/^https?:\/\/[^\s]+$/.test(portalUrl)) problems.push(`MOTCUA_PORTAL_URL must be an http(s) URL, got "${portalUrl}"`);
  const portalToken = env.MOTCUA_PORTAL_TOKEN === undefined || env.MOTCUA_PORTAL_TOKEN === "" ? null : env.MOTCUA_PORTAL_TOKEN;
  if (portalToken !== null && portalUrl === null) problems.push("MOTCUA_PORTAL_TOKEN is set but MOTCUA_PORTAL_URL is not");
  const allowPrivate = env.MOTCUA_WEBHOOK_ALLOW_PRIVATE ?? "false";
  if (allowPrivate !== "true" && allowPrivate !== "false") problems.push(`MOTCUA_WEBHOOK_ALLOW_PRIVATE must be true or false, got "${allowPrivate}"`);

  const corsOrigins = parseCorsOrigins(env.MOTCUA_CORS_ORIGINS, problems);
  const trustProxy = parseTrustProxy(env.MOTCUA_TRUST_PROXY, problems);

  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n- ${problems.join("\n- ")}`);
  return Object.freeze({
    port,
    host,
    dbFile,
    databaseUrl,
    databasePool,
    adminKey,
    logLevel,
    corsOrigins,
    trustProxy,
    portal: portalUrl === null ? null : { url: portalUrl, token: portalToken },
    webhookAllowPrivate: allowPrivate === "true",
  });
}

/**
 * "https://portal.example.gov.vn, http://localhost:8080" -> exact origins as a browser sends them
 * in `Origin` (scheme, host, port; no path, no trailing slash): they are compared as strings, so
 * anything else would silently never match. "*" is refused: the public routes serve personal data.
 */
function parseCorsOrigins(text: string | undefined, problems: string[]): readonly string[] {
  if (text === undefined || text.trim() === "") return Object.freeze([]);
  const origins: string[] = [];
  for (const item of text.split(",").map((s) => s.trim())) {
    if (item === "") continue;
    let url: URL | undefined;
    try {
      url = new URL(item);
    } catch {
      url = undefined;
    }
    if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:") || url.origin !== item) {
      problems.push(`MOTCUA_CORS_ORIGINS must list origins like https://portal.example.gov.vn (scheme, host and port only), got "${item}"`);
      continue;
    }
    if (!origins.includes(item)) origins.push(item);
  }
  return Object.freeze(origins);
}

/** proxy-addr's names for address ranges, which Fastify's trustProxy accepts beside addresses and CIDRs. */
const NAMED_RANGES = new Set(["loopback", "linklocal", "uniquelocal"]);

/**
 * A hop count ("1": the nearest proxy's X-Forwarded-For entry is the client), or a comma list of
 * the proxies' addresses, CIDRs or proxy-addr's names (loopback, linklocal, uniquelocal). Unset:
 * X-Forwarded-For is ignored and the client is the socket's peer. "true" (believe any hop) is
 * refused: any client could then choose its own address, and so its rate limit and audit entry.
 */
function parseTrustProxy(text: string | undefined, problems: string[]): TrustProxy {
  if (text === undefined || text.trim() === "") return false;
  const value = text.trim();
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops >= 1 && hops <= 32) return hops;
    problems.push(`MOTCUA_TRUST_PROXY as a hop count must be 1–32 (unset it to trust no proxy), got "${value}"`);
    return false;
  }
  const entries: string[] = [];
  for (const item of value.split(",").map((s) => s.trim())) {
    if (item === "") continue;
    if (NAMED_RANGES.has(item) || isAddressOrCidr(item)) entries.push(item);
    else problems.push(`MOTCUA_TRUST_PROXY must be a hop count or a comma list of addresses/CIDRs (or loopback, linklocal, uniquelocal), got "${item}"`);
  }
  return entries.length > 0 ? Object.freeze(entries) : false;
}

function isAddressOrCidr(text: string): boolean {
  const [address, prefix, ...rest] = text.split("/");
  if (rest.length > 0 || address === undefined) return false;
  const family = net.isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}
