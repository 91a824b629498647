import { fileURLToPath } from "node:url";
import path from "node:path";

/** The project root: one level above this file, whether it runs from src/ (tsx) or dist/ (node). */
export const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));
export const MIGRATIONS_FOLDER = path.join(PROJECT_ROOT, "migrations");

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  readonly port: number;
  readonly host: string;
  /** A file path, or ":memory:" (tests). */
  readonly dbFile: string;
  /** An admin key accepted as given (API.md: MOTCUA_ADMIN_KEY). */
  readonly adminKey: string | undefined;
  readonly logLevel: LogLevel;
  /** The National Public Service Portal's sync endpoint (MOTCUA_PORTAL_URL, MOTCUA_PORTAL_TOKEN); null = sync off. */
  readonly portal: { readonly url: string; readonly token: string | null } | null;
  /** MOTCUA_WEBHOOK_ALLOW_PRIVATE: webhook destinations on loopback and private networks (a desk's intranet). */
  readonly webhookAllowPrivate: boolean;
}

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

  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n- ${problems.join("\n- ")}`);
  return Object.freeze({
    port,
    host,
    dbFile,
    adminKey,
    logLevel,
    portal: portalUrl === null ? null : { url: portalUrl, token: portalToken },
    webhookAllowPrivate: allowPrivate === "true",
  });
}
