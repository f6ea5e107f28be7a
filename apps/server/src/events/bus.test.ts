import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { loadConfig } from "../config/env.ts";
import { createServer } from "../server.ts";
import type { App } from "../app.ts";
import { client, demoEmail, signIn, startTestServer, type TestServer } from "../test/harness.ts";
import { MAX_EVENT_BYTES } from "./bus.ts";

declare module "./bus.ts" {
  interface EventTopics {
    bus_test: { n: number; text?: string };
  }
}

/** Waits until `check` holds (the bus is asynchronous); fails with `what` after a generous deadline. */
async function eventually(check: () => boolean, what: string) {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("event bus on one instance (PGlite, or PostgreSQL with DATABASE_URL)", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => t?.close());

  it("delivers to subscribers of the topic until they unsubscribe", async () => {
    const bus = t.app.deps.events;
    const got: number[] = [];
    const off = bus.subscribe("bus_test", (p) => got.push(p.n));
    await off.ready;
    await bus.publish("bus_test", { n: 1 });
    await eventually(() => got.length === 1, "the first event");
    off();
    await bus.publish("bus_test", { n: 2 });
    // A third subscriber proves later events still flow, and that the unsubscribed one stayed quiet.
    const later: number[] = [];
    const off2 = bus.subscribe("bus_test", (p) => later.push(p.n));
    await off2.ready;
    await bus.publish("bus_test", { n: 3 });
    await eventually(() => later.includes(3), "the third event");
    off2();
    expect(got).toEqual([1]);
  });

  it("refuses a payload over the limit and a malformed topic", async () => {
    const bus = t.app.deps.events;
    await expect(
      bus.publish("bus_test", { n: 1, text: "x".repeat(MAX_EVENT_BYTES) }),
    ).rejects.toThrow(/limit/);
    expect(() => bus.subscribe("Bad Topic" as "bus_test", () => undefined)).toThrow(/topic/);
  });
});

// Two app instances need a server both can reach: an embedded PGlite lives inside one
// process, so this part runs only with DATABASE_URL (CI's PostgreSQL step sets it).
const postgres = Boolean(process.env.DATABASE_URL);

describe.skipIf(!postgres)("event bus across two app instances on one PostgreSQL", () => {
  let first: TestServer;
  let second: App;

  beforeAll(async () => {
    first = await startTestServer();
    if (first.config.database.kind !== "postgres") throw new Error("expected PostgreSQL");
    // The second instance opens the same database (already migrated and seeded).
    const config = loadConfig({
      NODE_ENV: "test",
      DATABASE_URL: first.config.database.url,
      DATABASE_POOL_SIZE: "3",
      AUTH_SECRET: first.config.authSecret,
      DEMO_PASSWORD: first.config.demoPassword,
      SERVE_WEB: "false",
      ACTOR_CACHE_MS: "0",
      LOG_LEVEL: "silent",
      RATE_LIMIT_PER_MINUTE: "1000000",
    });
    second = (await createServer(config, { logger: false })).app;
    await second.ready();
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it("an event published on one instance reaches a subscriber on the other", async () => {
    const got: number[] = [];
    const off = second.deps.events.subscribe("bus_test", (p) => got.push(p.n));
    await off.ready;
    await first.app.deps.events.publish("bus_test", { n: 42 });
    await eventually(() => got.includes(42), "the event on the second instance");
    off();
  });

  it("the needs queue's live stream on one instance shows a need created on the other", async () => {
    await second.listen({ port: 0, host: "127.0.0.1" });
    const { port } = second.server.address() as AddressInfo;
    const cookie = await signIn(first.app, demoEmail("manager"));
    const me = (await client(first.app, cookie).get("/api/me")).json() as {
      scopes: { id: string; name: string }[];
    };
    const scope = me.scopes.find((s) => s.name.includes("עין הדר"))!.id;
    const manager = client(first.app, cookie, scope);
    const received: string[] = [];
    const req = httpRequest({
      host: "127.0.0.1",
      port,
      path: "/api/needs/stream",
      headers: { cookie, "x-kaveret-scope": scope },
    });
    await new Promise<void>((resolve, reject) => {
      req.on("response", (res) => {
        expect(res.statusCode).toBe(200);
        res.on("data", (chunk: Buffer) => received.push(chunk.toString()));
        resolve();
      });
      req.on("error", reject);
      req.end();
    });
    const created = await manager.post("/api/needs", {
      channel: "phone",
      description: "צריך עזרה בקניות",
    });
    expect(created.statusCode).toBe(201);
    const id = (created.json() as { id: string }).id;
    await eventually(() => received.join("").includes(id), "the need on the other instance");
    req.destroy();
    expect(received.join("")).not.toContain("קניות");
  });

  it("a broadcast confirmed on one instance reports its progress to the other (jobs on either)", async () => {
    const cookie = await signIn(first.app, demoEmail("manager"));
    const me = (await client(first.app, cookie).get("/api/me")).json() as {
      scopes: { id: string; name: string }[];
    };
    const scope = me.scopes.find((s) => s.name.includes("עין הדר"))!.id;
    const manager = client(first.app, cookie, scope);
    // The default quiet hours (22:00–07:00 Jerusalem) would hold the SMS when this runs at night.
    const quiet = await manager.put("/api/broadcasts/settings", {
      quietHours: { enabled: false, start: "22:00", end: "07:00" },
    });
    expect(quiet.statusCode).toBe(200);
    const events: { id: string; status: string; sent: number }[] = [];
    const off = second.deps.events.subscribe("broadcasts", (e) => events.push(e));
    await off.ready;
    const created = await manager.post("/api/broadcasts", {
      title: "two instances",
      audience: { communityIds: [], consents: ["contact_for_activities"] },
      channels: ["sms"],
      messages: { he: { title: "", body: "בדיקה" } },
    });
    expect(created.statusCode).toBe(201);
    const id = (created.json() as { id: string }).id;
    expect((await manager.post(`/api/broadcasts/${id}/confirm`)).statusCode).toBe(200);
    await eventually(
      () => events.some((e) => e.id === id && e.status === "done" && e.sent > 0),
      "the broadcast's progress on the other instance",
    );
    off();
  });

  it("a call outcome recorded on one instance reaches the situation board open on the other", async () => {
    if (!second.server.listening) await second.listen({ port: 0, host: "127.0.0.1" });
    const { port } = second.server.address() as AddressInfo;
    const cookie = await signIn(first.app, demoEmail("manager"));
    const me = (await client(first.app, cookie).get("/api/me")).json() as {
      scopes: { id: string; name: string }[];
    };
    const scope = me.scopes.find((s) => s.name.includes("עין הדר"))!.id;
    const manager = client(first.app, cookie, scope);
    const roots = (await manager.get("/api/communities?parentId=root&pageSize=50")).json() as {
      items: { id: string }[];
    };
    const declared = await manager.post("/api/emergency/events", {
      type: "rocket_fire",
      level: 2,
      title: "שני מופעים",
      communityIds: [roots.items[0]!.id],
    });
    expect(declared.statusCode, declared.body).toBe(201);
    const emergency = declared.json() as { id: string; version: number };
    try {
      const calls = (
        await manager.get(`/api/emergency/events/${emergency.id}/calls?pageSize=1`)
      ).json() as { items: { id: string }[] };
      const call = calls.items[0]!;
      const received: string[] = [];
      const req = httpRequest({
        host: "127.0.0.1",
        port,
        path: `/api/emergency/events/${emergency.id}/stream`,
        headers: { cookie, "x-kaveret-scope": scope },
      });
      await new Promise<void>((resolve, reject) => {
        req.on("response", (res) => {
          expect(res.statusCode).toBe(200);
          res.on("data", (chunk: Buffer) => {
            received.push(chunk.toString());
            if (received.join("").includes(": connected")) resolve();
          });
        });
        req.on("error", reject);
        req.end();
      });
      const outcome = await manager.post(`/api/emergency/calls/${call.id}/outcome`, {
        outcome: "reached_ok",
      });
      expect(outcome.statusCode, outcome.body).toBe(200);
      await eventually(
        () =>
          received.join("").includes(`"type":"call_updated"`) &&
          received.join("").includes(call.id),
        "the call's event on the other instance's board",
      );
      req.destroy();
    } finally {
      const current = (await manager.get(`/api/emergency/events/${emergency.id}`)).json() as {
        version: number;
      };
      await manager.post(`/api/emergency/events/${emergency.id}/close`, {
        version: current.version,
      });
    }
  });
});
