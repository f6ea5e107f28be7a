import { randomBytes } from "node:crypto";
import pg from "pg";
import { demoPeople, demoResident, schema, type Database } from "@kaveret/db";
import { loadConfig, type Config } from "../config/env.ts";
import { createServer } from "../server.ts";
import type { App } from "../app.ts";

export const DEMO_PASSWORD = "test-password-long-enough";

export type TestServer = {
  app: App;
  database: Database;
  config: Config;
  close: () => Promise<void>;
};

/**
 * A real app on a real database: in-memory PGlite by default; with
 * DATABASE_URL set, a fresh database created on that server for this file
 * (dropped afterwards), so test files never see each other's rows.
 */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  let dropDatabase: (() => Promise<void>) | undefined;
  const base: Record<string, string> = {
    NODE_ENV: "test",
    DEMO_PASSWORD,
    SERVE_WEB: "false",
    // Tests change roles and settings behind the app's back; the cache has its own test.
    ACTOR_CACHE_MS: "0",
    LOG_LEVEL: "silent",
    RATE_LIMIT_PER_MINUTE: "1000000",
    SIGNIN_RATE_LIMIT_PER_MINUTE: "1000000",
    // A smaller demo town than npm start's 2,000 residents: every test file seeds its own database.
    SEED_DEMO_RESIDENTS: "300",
    // The demo's emergency history costs about as much as the rest of the seed: only the
    // test of it asks for it (startTestServer({ SEED_DEMO_EMERGENCIES: "true" })).
    SEED_DEMO_EMERGENCIES: "false",
  };
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `kaveret_test_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    base.DATABASE_URL = url.toString();
    base.DATABASE_POOL_SIZE = "5";
    dropDatabase = async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  } else {
    // In memory: an empty DATA_DIR is not used by the pglite branch below.
    base.DATA_DIR = "memory://";
  }
  const config = loadConfig({ ...base, ...env });
  const { app, database } = await createServer(config, { logger: false });
  await app.ready();
  return {
    app,
    database,
    config,
    close: async () => {
      await app.close();
      await dropDatabase?.();
    },
  };
}

export const demoEmail = (key: (typeof demoPeople)[number]["key"]) =>
  demoPeople.find((p) => p.key === key)!.email;
export { demoResident, schema };

/** The session cookie header from a response's set-cookie (empty when none). */
export function cookieFrom(res: { headers: Record<string, unknown> }): string {
  const set = res.headers["set-cookie"];
  const list = Array.isArray(set) ? set : set ? [String(set)] : [];
  return list.map((c: string) => c.split(";")[0]).join("; ");
}

/** Signs in with e-mail and password; returns the session cookie header. */
export async function signIn(app: App, email: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await app.inject({
    method: "POST",
    url: "/api/auth/sign-in/email",
    payload: { email, password },
  });
  if (res.statusCode !== 200)
    throw new Error(`sign-in failed for ${email}: ${res.statusCode} ${res.body}`);
  return cookieFrom(res);
}

/** The demo manager, working in the Ein Hadar department (they also manage a second one). */
export async function signInManager(app: App) {
  const cookie = await signIn(app, demoEmail("manager"));
  const me = (await client(app, cookie).get("/api/me")).json() as {
    scopes: { id: string; name: string }[];
  };
  const einHadar = me.scopes.find((s) => s.name.includes("עין הדר"));
  if (!einHadar) throw new Error("the demo manager has no Ein Hadar scope");
  return client(app, cookie, einHadar.id);
}

/** A client bound to a session cookie (and optionally a scope). */
export function client(app: App, cookie: string, scope?: string) {
  const headers = { cookie, ...(scope ? { "x-kaveret-scope": scope } : {}) };
  return {
    get: (url: string) => app.inject({ method: "GET", url, headers }),
    post: (url: string, payload?: unknown) =>
      app.inject({
        method: "POST",
        url,
        headers,
        ...(payload === undefined ? {} : { payload: payload as object }),
      }),
    patch: (url: string, payload: unknown) =>
      app.inject({ method: "PATCH", url, headers, payload: payload as object }),
    put: (url: string, payload: unknown) =>
      app.inject({ method: "PUT", url, headers, payload: payload as object }),
    delete: (url: string, payload?: unknown) =>
      app.inject({
        method: "DELETE",
        url,
        headers,
        ...(payload === undefined ? {} : { payload: payload as object }),
      }),
  };
}
