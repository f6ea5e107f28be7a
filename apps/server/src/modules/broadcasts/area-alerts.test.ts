import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import type { AreaAlertsInfo, Broadcast, BroadcastDryRun } from "@kaveret/contracts";
import { schema, startTestServer, type TestServer } from "../../test/harness.ts";
import { buildWorld, type World } from "../residents/residents.fixtures.ts";
import { startPushStub, type PushStub } from "../../push/testing/push-service-stub.ts";
import { endpointAllowed, keysValid } from "./area-alerts.service.ts";
import { renderStatusPage } from "../emergency/status-page.ts";

let t: TestServer;
let w: World;
let stub: PushStub;

const json = <T>(res: { body: string }) => JSON.parse(res.body) as T;
const code = (res: { body: string }) => json<{ error: { code: string } }>(res).error.code;
const consent = [{ purpose: "contact_for_activities", granted: true, method: "phone" }];
const LIMIT = 5;

// Every call from its own address, so only the rate-limit test meets the limit.
let ipCounter = 0;
const nextIp = () => `10.9.${Math.floor(++ipCounter / 250)}.${(ipCounter % 250) + 1}`;

const base = () => `/api/public/departments/${w.departmentId}/alerts`;
async function pub(
  method: "GET" | "POST" | "DELETE",
  url: string,
  payload?: unknown,
  ip = nextIp(),
) {
  return t.app.inject({
    method,
    url,
    remoteAddress: ip,
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

type Device = ReturnType<PushStub["subscribe"]>;
async function subscribe(device: Device, communityId: string, language: string) {
  const res = await pub("POST", `${base()}/subscriptions`, {
    endpoint: device.endpoint,
    keys: device.keys,
    language,
    communityId,
  });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res;
}

async function eventually<T>(check: () => Promise<T | null | undefined | false>, what: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function waitDone(id: string) {
  return eventually(async () => {
    const b = json<Broadcast>(await w.api.manager.get(`/api/broadcasts/${id}`));
    return b.status === "done" ? b : null;
  }, "broadcast done");
}

/** Creates and confirms a broadcast; waits until it is done. */
async function send(over: Record<string, unknown>) {
  const res = await w.api.manager.post("/api/broadcasts", {
    title: "התרעה",
    audience: { communityIds: [w.aId], consents: ["contact_for_activities"] },
    channels: ["web_push", "sms"],
    channelMode: "all",
    messages: {
      he: { title: "התרעה", body: "היכנסו למרחב מוגן. {statusLink}" },
      ar: { title: "تنبيه", body: "ادخلوا إلى الغرفة المحصنة. {statusLink}" },
    },
    ...over,
  });
  expect(res.statusCode, res.body).toBe(201);
  const id = json<Broadcast>(res).id;
  const confirmed = await w.api.manager.post(`/api/broadcasts/${id}/confirm`);
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  return waitDone(id);
}

const devices: Record<string, Device> = {};
let emergency: { id: string; version: number };

beforeAll(async () => {
  t = await startTestServer({ PUBLIC_ALERTS_PER_MINUTE: String(LIMIT) });
  w = await buildWorld(t);
  stub = await startPushStub();
  // Alerts at any hour in this file (quiet hours have their own tests).
  await w.api.manager.put("/api/broadcasts/settings", {
    quietHours: { enabled: false, start: "22:00", end: "07:00" },
  });
  // One resident with a phone in A (so routine and flagged broadcasts have someone to reach).
  const res = await w.api.manager.post("/api/residents", {
    firstName: "תושבת",
    lastName: "בדיקה",
    homeCommunityId: w.aId,
    languages: ["he"],
    phone: "0524444444",
    consents: consent,
    flags: ["lives_alone"],
  });
  expect(res.statusCode, res.body).toBe(201);
  const declared = await w.api.manager.post("/api/emergency/events", {
    type: "rocket_fire",
    level: 2,
    title: "ירי רקטות",
    communityIds: [w.aId],
    drill: false,
    generateCalls: false,
  });
  expect(declared.statusCode, declared.body).toBe(201);
  emergency = json(declared);
});

afterAll(async () => {
  await t?.close();
  await stub?.close();
});

describe("area alerts: the public page's data", () => {
  it("lists the department's towns and neighbourhoods (not buildings, not functional) and the push key", async () => {
    const res = await pub("GET", base());
    expect(res.statusCode).toBe(200);
    const info = json<AreaAlertsInfo>(res);
    const ids = info.communities.map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining([w.townId, w.aId, w.bId]));
    expect(ids).not.toContain(w.buildingId);
    expect(ids).not.toContain(w.functionalId);
    const key = json<{ publicKey: string }>(await w.api.manager.get("/api/push/public-key"));
    expect(info.publicKey).toBe(key.publicKey);
  });

  it("an unknown department is a 404", async () => {
    const res = await pub("GET", `/api/public/departments/${crypto.randomUUID()}/alerts`);
    expect(res.statusCode).toBe(404);
  });
});

describe("area alerts: subscribe and unsubscribe without an account", () => {
  it("refuses endpoints that are not a known push service, bad keys and communities not offered", async () => {
    const device = stub.subscribe();
    const body = {
      endpoint: device.endpoint,
      keys: device.keys,
      language: "he",
      communityId: w.aId,
    };
    const cases: [Record<string, unknown>, number, string][] = [
      [{ endpoint: "https://evil.example/push/1" }, 400, "alerts.endpoint_not_allowed"],
      [{ endpoint: "http://fcm.googleapis.com/fcm/send/x" }, 400, "alerts.endpoint_not_allowed"],
      [{ endpoint: "not a url" }, 400, "validation_failed"],
      [
        { keys: { p256dh: Buffer.alloc(65, 7).toString("base64url"), auth: device.keys.auth } },
        400,
        "alerts.bad_keys",
      ],
      [{ keys: { p256dh: device.keys.p256dh, auth: "short" } }, 400, "validation_failed"],
      [{ communityId: w.buildingId }, 400, "alerts.community_unknown"],
      [{ communityId: w.functionalId }, 400, "alerts.community_unknown"],
      [{ communityId: crypto.randomUUID() }, 400, "alerts.community_unknown"],
      [{ language: "fr" }, 400, "validation_failed"],
    ];
    for (const [over, status, expected] of cases) {
      const res = await pub("POST", `${base()}/subscriptions`, { ...body, ...over });
      expect(res.statusCode, JSON.stringify(over)).toBe(status);
      expect(code(res), JSON.stringify(over)).toBe(expected);
    }
    const other = await pub(
      "POST",
      `/api/public/departments/${w.otherDepartmentId}/alerts/subscriptions`,
      body,
    );
    expect(code(other)).toBe("alerts.community_unknown");
    const stored = await t.database.db
      .select()
      .from(schema.pushSubscriptions)
      .where(eq(schema.pushSubscriptions.endpoint, device.endpoint));
    expect(stored).toHaveLength(0);
  });

  it("stores a subscription with no user and no resident; the same endpoint again updates it", async () => {
    const device = stub.subscribe();
    const first = await subscribe(device, w.aId, "he");
    expect(first.statusCode).toBe(201);
    expect(json(first)).toEqual({ communityId: w.aId, language: "he", created: true });
    const again = await subscribe(device, w.bId, "ar");
    expect(again.statusCode).toBe(200);
    expect(json(again)).toMatchObject({ communityId: w.bId, language: "ar", created: false });
    const rows = await t.database.db
      .select()
      .from(schema.pushSubscriptions)
      .where(eq(schema.pushSubscriptions.endpoint, device.endpoint));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      kind: "area",
      userId: null,
      residentId: null,
      communityId: w.bId,
      language: "ar",
    });
    await pub("DELETE", `${base()}/subscriptions`, {
      endpoint: device.endpoint,
      auth: device.keys.auth,
    });
  });

  it("unsubscribes only with the subscription's auth secret", async () => {
    const device = stub.subscribe();
    await subscribe(device, w.aId, "he");
    const wrong = await pub("DELETE", `${base()}/subscriptions`, {
      endpoint: device.endpoint,
      auth: stub.subscribe().keys.auth,
    });
    expect(wrong.statusCode).toBe(404);
    expect(code(wrong)).toBe("alerts.not_subscribed");
    const right = await pub("DELETE", `${base()}/subscriptions`, {
      endpoint: device.endpoint,
      auth: device.keys.auth,
    });
    expect(right.statusCode).toBe(204);
    const rows = await t.database.db
      .select()
      .from(schema.pushSubscriptions)
      .where(eq(schema.pushSubscriptions.endpoint, device.endpoint));
    expect(rows).toHaveLength(0);
  });

  it("is rate-limited per address", async () => {
    const ip = "10.200.0.1";
    const statuses: number[] = [];
    for (let i = 0; i <= LIMIT; i++) {
      const device = stub.subscribe();
      const res = await pub(
        "POST",
        `${base()}/subscriptions`,
        { endpoint: device.endpoint, keys: device.keys, language: "he", communityId: w.bId },
        ip,
      );
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, LIMIT).every((s) => s === 201)).toBe(true);
    expect(statuses[LIMIT]).toBe(429);
    // Another address is not affected.
    const device = stub.subscribe();
    const other = await pub("POST", `${base()}/subscriptions`, {
      endpoint: device.endpoint,
      keys: device.keys,
      language: "he",
      communityId: w.bId,
    });
    expect(other.statusCode).toBe(201);
    await t.database.db.execute(
      sql`delete from push_subscriptions where kind = 'area' and community_id = ${w.bId}`,
    );
  });
});

describe("area alerts: which broadcasts reach them", () => {
  beforeAll(async () => {
    devices.aHe = stub.subscribe();
    devices.aAr = stub.subscribe();
    devices.town = stub.subscribe();
    devices.b = stub.subscribe();
    await subscribe(devices.aHe, w.aId, "he");
    await subscribe(devices.aAr, w.aId, "ar");
    await subscribe(devices.b, w.bId, "he");
    // A subscriber of the whole town is not within a broadcast to neighbourhood A.
    await subscribe(devices.town, w.townId, "en");
  });

  const count = (d: Device) => stub.payloads(d.id).length;

  it("the dry run counts them apart, by language, only for an emergency's push broadcast", async () => {
    const body = {
      audience: { communityIds: [w.aId], consents: ["contact_for_activities"] },
      channels: ["web_push", "sms"],
      channelMode: "all",
      messages: { he: { title: "א", body: "ב" }, ar: { title: "ج", body: "د" } },
    };
    const dry = async (over: Record<string, unknown>) => {
      const res = await w.api.manager.post("/api/broadcasts/dry-run", { ...body, ...over });
      expect(res.statusCode, res.body).toBe(200);
      return json<BroadcastDryRun>(res).areaSubscribers;
    };
    expect(await dry({ emergencyId: emergency.id })).toEqual({
      total: 2,
      byLanguage: { he: 1, ar: 1 },
    });
    expect((await dry({})).total).toBe(0);
    expect((await dry({ emergencyId: emergency.id, channels: ["sms"] })).total).toBe(0);
    expect(
      (
        await dry({
          emergencyId: emergency.id,
          audience: { ...body.audience, flags: ["lives_alone"] },
        })
      ).total,
    ).toBe(0);
    expect(
      await dry({
        emergencyId: emergency.id,
        audience: { ...body.audience, communityIds: [w.townId] },
      }),
    ).toEqual({ total: 4, byLanguage: { he: 3, ar: 1 } });
    expect(
      await dry({ emergencyId: emergency.id, audience: { ...body.audience, languages: ["ar"] } }),
    ).toEqual({ total: 1, byLanguage: { ar: 1 } });
  });

  it("an emergency broadcast reaches subscribers of its communities in their language, without {statusLink}", async () => {
    const before = { b: count(devices.b!), town: count(devices.town!) };
    const done = await send({ emergencyId: emergency.id, urgent: true });
    const [he] = stub.payloads(devices.aHe!.id);
    const [ar] = stub.payloads(devices.aAr!.id);
    expect(JSON.parse(he!)).toMatchObject({
      title: "התרעה",
      body: "היכנסו למרחב מוגן.",
      url: `/alerts/${w.departmentId}`,
    });
    expect(JSON.parse(ar!)).toMatchObject({ title: "تنبيه", body: "ادخلوا إلى الغرفة المحصنة." });
    expect(count(devices.b!)).toBe(before.b);
    expect(count(devices.town!)).toBe(before.town);
    const area = await t.database.db
      .select()
      .from(schema.broadcastDeliveries)
      .where(
        sql`${schema.broadcastDeliveries.broadcastId} = ${done.id} and ${schema.broadcastDeliveries.residentId} is null`,
      );
    expect(area.map((d) => [d.language, d.status]).sort()).toEqual([
      ["ar", "sent"],
      ["he", "sent"],
    ]);
    // Staff see deliveries, never the endpoints behind them.
    const list = await w.api.manager.get(`/api/broadcasts/${done.id}/deliveries`);
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(stub.origin);
    expect(list.body).not.toContain(devices.aHe!.keys.auth);
  });

  it("the broadcast's language filter applies to them", async () => {
    const before = { he: count(devices.aHe!), ar: count(devices.aAr!) };
    await send({
      emergencyId: emergency.id,
      audience: { communityIds: [w.aId], consents: ["contact_for_activities"], languages: ["ar"] },
      channels: ["web_push"],
      messages: { ar: { title: "تنبيه", body: "تحديث" } },
    });
    expect(count(devices.aAr!)).toBe(before.ar + 1);
    expect(count(devices.aHe!)).toBe(before.he);
  });

  it("a routine broadcast and a flags-filtered one do not reach them", async () => {
    const before = count(devices.aHe!) + count(devices.aAr!);
    await send({});
    await send({
      emergencyId: emergency.id,
      audience: {
        communityIds: [w.aId],
        consents: ["contact_for_activities"],
        flags: ["lives_alone"],
      },
    });
    expect(count(devices.aHe!) + count(devices.aAr!)).toBe(before);
  });

  it("a subscription the push service calls gone is deleted", async () => {
    const device = stub.subscribe();
    await subscribe(device, w.aId, "he");
    stub.expire(device.id);
    await send({ emergencyId: emergency.id, channels: ["web_push"] });
    const rows = await t.database.db
      .select()
      .from(schema.pushSubscriptions)
      .where(eq(schema.pushSubscriptions.endpoint, device.endpoint));
    expect(rows).toHaveLength(0);
  });
});

describe("area alerts: endpoint and key checks", () => {
  const hosts = ["fcm.googleapis.com", "push.apple.com"];
  it("accepts only https push services from the list (loopback only when allowed)", () => {
    expect(endpointAllowed("https://fcm.googleapis.com/fcm/send/abc", hosts, false)).toBe(true);
    expect(endpointAllowed("https://web.push.apple.com/QX", hosts, false)).toBe(true);
    expect(endpointAllowed("https://evilpush.apple.com.example/x", hosts, false)).toBe(false);
    expect(endpointAllowed("https://notpush.apple.com/x", hosts, false)).toBe(false);
    expect(endpointAllowed("https://fcm.googleapis.com:8443/x", hosts, false)).toBe(false);
    expect(endpointAllowed("https://u:p@fcm.googleapis.com/x", hosts, false)).toBe(false);
    expect(endpointAllowed("http://127.0.0.1:9999/push/1", hosts, false)).toBe(false);
    expect(endpointAllowed("http://127.0.0.1:9999/push/1", hosts, true)).toBe(true);
    expect(endpointAllowed("http://10.0.0.1/push/1", hosts, true)).toBe(false);
  });
  it("keys must be a P-256 point and a 16-byte secret", () => {
    const point = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 1)]).toString("base64url");
    expect(keysValid({ p256dh: point, auth: Buffer.alloc(16).toString("base64url") })).toBe(true);
    expect(keysValid({ p256dh: point, auth: Buffer.alloc(12).toString("base64url") })).toBe(false);
    expect(
      keysValid({
        p256dh: Buffer.alloc(65, 1).toString("base64url"),
        auth: "AAAAAAAAAAAAAAAAAAAAAA",
      }),
    ).toBe(false);
  });
});

describe("area alerts: links from the residents' status page", () => {
  it("the status page links to the department's alerts page in its language", () => {
    const id = "6f1c1d7e-8f4b-4c55-9d0e-0a1b2c3d4e5f";
    const html = renderStatusPage({
      locale: "am",
      token: "x".repeat(20),
      department: "מחלקה",
      drill: false,
      departmentId: id,
    });
    expect(html).toContain(`href="/alerts/${id}?lang=am"`);
    expect(html).toContain("የአደጋ ጊዜ ማስጠንቀቂያዎችን በስልክዎ ያግኙ");
  });
});
