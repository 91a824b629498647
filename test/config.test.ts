import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

describe("configuration from the environment", () => {
  it("has the documented defaults", () => {
    expect(loadConfig({})).toEqual({ port: 3000, host: "127.0.0.1", dbFile: "./data/motcua.db", databaseUrl: null, databasePool: 10, adminKey: undefined, logLevel: "info", corsOrigins: [], trustProxy: false, portal: null, webhookAllowPrivate: false });
  });

  it("reads the portal sync and the webhook policy (issue #15), and refuses what cannot work", () => {
    expect(loadConfig({ MOTCUA_PORTAL_URL: "https://dichvucong.gov.vn/sync", MOTCUA_PORTAL_TOKEN: "t" })).toMatchObject({
      portal: { url: "https://dichvucong.gov.vn/sync", token: "t" },
    });
    expect(loadConfig({ MOTCUA_WEBHOOK_ALLOW_PRIVATE: "true" }).webhookAllowPrivate).toBe(true);
    expect(() => loadConfig({ MOTCUA_PORTAL_URL: "ftp://x" })).toThrow(/MOTCUA_PORTAL_URL/);
    expect(() => loadConfig({ MOTCUA_PORTAL_TOKEN: "t" })).toThrow(/MOTCUA_PORTAL_URL/);
    expect(() => loadConfig({ MOTCUA_WEBHOOK_ALLOW_PRIVATE: "yes" })).toThrow(/MOTCUA_WEBHOOK_ALLOW_PRIVATE/);
  });

  it("selects PostgreSQL with MOTCUA_DATABASE_URL (issue #16), and refuses what cannot work without showing the password", () => {
    expect(loadConfig({ MOTCUA_DATABASE_URL: "postgres://motcua:pw@db:5432/motcua", MOTCUA_DATABASE_POOL: "20" })).toMatchObject({
      databaseUrl: "postgres://motcua:pw@db:5432/motcua",
      databasePool: 20,
    });
    expect(loadConfig({ MOTCUA_DATABASE_URL: "" }).databaseUrl).toBeNull();
    expect(() => loadConfig({ MOTCUA_DATABASE_URL: "mysql://u:secret@db/motcua" })).toThrow(/MOTCUA_DATABASE_URL/);
    expect(() => loadConfig({ MOTCUA_DATABASE_URL: "mysql://u:secret@db/motcua" })).not.toThrow(/secret/);
    expect(() => loadConfig({ MOTCUA_DATABASE_POOL: "0" })).toThrow(/MOTCUA_DATABASE_POOL/);
    expect(() => loadConfig({ MOTCUA_DATABASE_POOL: "ten" })).toThrow(/MOTCUA_DATABASE_POOL/);
  });

  it("refuses invalid values, naming each", () => {
    expect(() => loadConfig({ PORT: "http", LOG_LEVEL: "loud", MOTCUA_ADMIN_KEY: "short" })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: "70000", LOG_LEVEL: "loud" })).toThrow(/PORT[\s\S]*LOG_LEVEL/);
  });

  it("reads MOTCUA_CORS_ORIGINS as exact origins, and refuses paths, wildcards and other schemes", () => {
    expect(loadConfig({ MOTCUA_CORS_ORIGINS: " https://dichvucong.example.gov.vn, http://localhost:8080 ,," }).corsOrigins).toEqual([
      "https://dichvucong.example.gov.vn",
      "http://localhost:8080",
    ]);
    for (const bad of ["*", "https://portal.example.vn/", "https://portal.example.vn/app", "portal.example.vn", "ftp://portal.example.vn", "https://PORTAL.example.vn"])
      expect(() => loadConfig({ MOTCUA_CORS_ORIGINS: bad }), bad).toThrow(/MOTCUA_CORS_ORIGINS/);
  });

  it("reads MOTCUA_TRUST_PROXY as a hop count or addresses/CIDRs, and refuses anything else", () => {
    expect(loadConfig({ MOTCUA_TRUST_PROXY: "1" }).trustProxy).toBe(1);
    expect(loadConfig({ MOTCUA_TRUST_PROXY: "10.0.0.0/8, 192.168.1.10,::1, fd00::/8, loopback" }).trustProxy).toEqual([
      "10.0.0.0/8",
      "192.168.1.10",
      "::1",
      "fd00::/8",
      "loopback",
    ]);
    expect(loadConfig({ MOTCUA_TRUST_PROXY: "" }).trustProxy).toBe(false);
    for (const bad of ["true", "0", "-1", "100", "10.0.0.0/33", "10.0.0.300", "proxy.example.vn", "::1/129", "10.0.0.0/8/1"])
      expect(() => loadConfig({ MOTCUA_TRUST_PROXY: bad }), bad).toThrow(/MOTCUA_TRUST_PROXY/);
  });
});
