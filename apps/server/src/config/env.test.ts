import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./env.ts";

describe("configuration", () => {
  it("defaults to the embedded database on port 3000", () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.database).toEqual({ kind: "pglite", dataDir: "./data" });
    expect(c.demoPasswordDefaulted).toBe(true);
  });

  it("uses PostgreSQL when DATABASE_URL is set", () => {
    const c = loadConfig({ DATABASE_URL: "postgres://u@db:5432/k" });
    expect(c.database.kind).toBe("postgres");
  });

  it("names each wrong variable", () => {
    try {
      loadConfig({ PORT: "abc", DATABASE_URL: "mysql://x", AUTH_SECRET: "short" });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const message = (err as Error).message;
      expect(message).toMatch(/PORT/);
      expect(message).toMatch(/DATABASE_URL/);
      expect(message).toMatch(/AUTH_SECRET/);
    }
  });

  it("requires AUTH_SECRET in production", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(/AUTH_SECRET/);
  });
});
