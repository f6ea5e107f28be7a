import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { Broadcast } from "@kaveret/contracts";
import { startTestServer, type TestServer } from "../../test/harness.ts";
import { rowsOf } from "../../lib/sql.ts";
import { buildWorld, type World } from "../residents/residents.fixtures.ts";
import { startPushStub, type PushStub } from "../../push/testing/push-service-stub.ts";

/*
 * The browser replaced a push subscription (pushsubscriptionchange in the service worker):
 * POST /api/public/push/subscription-change moves that browser's subscriptions — area and
 * account alike — to the new endpoint, with the old auth secret as the only proof.
 */

let t: TestServer;
let w: World;
let stub: PushStub;
type Device = ReturnType<PushStub["subscribe"]>;

const json = <T>(res: { body: string }) => JSON.parse(res.body) as T;
const code = (res: { body: string }) => json<{ error: { code: string } }>(res).error.code;
let ip = 0;
const change = (payload: Record<string, unknown>) =>
  t.app.inject({
    method: "POST",
    url: "/api/public/push/subscription-change",
    remoteAddress: `10.8.0.${++ip}`,
    payload,
  });
const moveBody = (from: Device, to: Device) => ({
  oldEndpoint: from.endpoint,
  oldAuth: from.keys.auth,
  endpoint: to.endpoint,
  keys: to.keys,
});

async function subscriptionsAt(endpoint: string) {
  return rowsOf<{ kind: string; auth: string; communityId: string | null; language: string }>(
    await t.database.db.execute(sql`select kind, auth, community_id as "communityId", language
      from push_subscriptions where department_id = ${w.departmentId} and endpoint = ${endpoint}`),
  );
}

async function subscribeArea(device: Device, language = "ar") {
  const res = await t.app.inject({
    method: "POST",
    url: `/api/public/departments/${w.departmentId}/alerts/subscriptions`,
    remoteAddress: `10.7.0.${++ip}`,
    payload: { endpoint: device.endpoint, keys: device.keys, language, communityId: w.aId },
  });
  expect(res.statusCode, res.body).toBe(201);
}

beforeAll(async () => {
  t = await startTestServer();
  w = await buildWorld(t);
  stub = await startPushStub();
  await w.api.manager.put("/api/broadcasts/settings", {
    quietHours: { enabled: false, start: "22:00", end: "07:00" },
  });
});

afterAll(async () => {
  await t?.close();
  await stub?.close();
});

describe("a replaced push subscription", () => {
  it("moves an area subscription, keeping its community and language; alerts reach the new endpoint only", async () => {
    const old = stub.subscribe();
    const renewed = stub.subscribe();
    await subscribeArea(old, "ar");
    const res = await change(moveBody(old, renewed));
    expect(res.statusCode, res.body).toBe(200);
    expect(json<{ moved: number }>(res).moved).toBe(1);
    expect(await subscriptionsAt(old.endpoint)).toEqual([]);
    expect(await subscriptionsAt(renewed.endpoint)).toEqual([
      { kind: "area", auth: renewed.keys.auth, communityId: w.aId, language: "ar" },
    ]);

    // A real emergency's broadcast now reaches the renewed subscription (and so, its keys work).
    const declared = await w.api.manager.post("/api/emergency/events", {
      type: "storm",
      level: 2,
      title: "סערה",
      communityIds: [w.aId],
      drill: false,
      generateCalls: false,
    });
    expect(declared.statusCode, declared.body).toBe(201);
    const created = await w.api.manager.post("/api/broadcasts", {
      title: "התרעה",
      emergencyId: json<{ id: string }>(declared).id,
      audience: { communityIds: [w.aId], consents: ["contact_for_activities"] },
      channels: ["web_push"],
      channelMode: "all",
      messages: {
        he: { title: "התרעה", body: "היכנסו למרחב מוגן." },
        ar: { title: "تنبيه", body: "ادخلوا إلى الغرفة المحصنة." },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = json<Broadcast>(created).id;
    expect((await w.api.manager.post(`/api/broadcasts/${id}/confirm`)).statusCode).toBe(200);
    const deadline = Date.now() + 20_000;
    while (stub.payloads(renewed.id).length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(stub.payloads(renewed.id).map((p) => JSON.parse(p) as { title: string })).toEqual([
      expect.objectContaining({ title: "تنبيه" }),
    ]);
    expect(stub.payloads(old.id)).toEqual([]);
  });

  it("moves a signed-in user's subscription too", async () => {
    const old = stub.subscribe();
    const renewed = stub.subscribe();
    const sub = await w.api.manager.post("/api/push/subscriptions", {
      endpoint: old.endpoint,
      keys: old.keys,
      language: "he",
    });
    expect(sub.statusCode, sub.body).toBe(201);
    const res = await change(moveBody(old, renewed));
    expect(res.statusCode, res.body).toBe(200);
    expect((await subscriptionsAt(renewed.endpoint)).map((r) => r.kind)).toEqual(["account"]);
    expect(await subscriptionsAt(old.endpoint)).toEqual([]);
  });

  it("where the new endpoint is already subscribed, the old row goes and nothing doubles", async () => {
    const old = stub.subscribe();
    const renewed = stub.subscribe();
    await subscribeArea(old, "he");
    await subscribeArea(renewed, "ru");
    const res = await change(moveBody(old, renewed));
    expect(res.statusCode, res.body).toBe(200);
    expect(await subscriptionsAt(old.endpoint)).toEqual([]);
    expect((await subscriptionsAt(renewed.endpoint)).map((r) => r.language)).toEqual(["ru"]);
  });

  it("without the old auth secret nothing moves (404); bad new subscriptions are refused (400)", async () => {
    const old = stub.subscribe();
    const renewed = stub.subscribe();
    await subscribeArea(old, "he");
    const stranger = stub.subscribe();
    const cases: [Record<string, unknown>, number, string][] = [
      [{ oldAuth: stranger.keys.auth }, 404, "push.subscription_unknown"],
      [{ oldEndpoint: stranger.endpoint }, 404, "push.subscription_unknown"],
      [{ endpoint: "https://evil.example/push/1" }, 400, "push.endpoint_not_allowed"],
      [
        { keys: { p256dh: Buffer.alloc(65, 7).toString("base64url"), auth: renewed.keys.auth } },
        400,
        "push.bad_keys",
      ],
      [{ oldAuth: "short" }, 400, "validation_failed"],
      [{ endpoint: "not a url" }, 400, "validation_failed"],
    ];
    for (const [over, status, expected] of cases) {
      const res = await change({ ...moveBody(old, renewed), ...over });
      expect(res.statusCode, JSON.stringify(over)).toBe(status);
      expect(code(res), JSON.stringify(over)).toBe(expected);
    }
    // Still where it was, with its own keys.
    expect((await subscriptionsAt(old.endpoint)).map((r) => r.auth)).toEqual([old.keys.auth]);
    expect(await subscriptionsAt(renewed.endpoint)).toEqual([]);
  });
});
