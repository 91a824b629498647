import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

describe("configuration from the environment", () => {
  it("has the documented defaults", () => {
    expect(loadConfig({})).toEqual({ port: 3000, host: "127.0.0.1", dbFile: "./data/motcua.db", adminKey: undefined, logLevel: "info" });
  });

  it("refuses invalid values, naming each", () => {
    expect(() => loadConfig({ PORT: "http", LOG_LEVEL: "loud", MOTCUA_ADMIN_KEY: "short" })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: "70000", LOG_LEVEL: "loud" })).toThrow(/PORT[\s\S]*LOG_LEVEL/);
  });
});
