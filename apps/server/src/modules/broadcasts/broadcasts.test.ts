import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { hashPassword } from "better-auth/crypto";
import type { Broadcast, BroadcastDryRun } from "@kaveret/contracts";
import { client, schema, signIn, startTestServer, type TestServer } from "../../test/harness.ts";
import { buildWorld, type World } from "../residents/residents.fixtures.ts";
import { startPushStub, type PushStub } from "../../push/testing/push-service-stub.ts";
import { startTwilioStub } from "../../channels/testing/twilio-stub.ts";
import { createTwilioTransport } from "../../messaging/transport.ts";

let t: TestServer;
let w: World;
let stub: PushStub;

const json = <T>(res: { body: string }) => JSON.parse(res.body) as T;
const consent = [{ purpose: "contact_for_activities", granted: true, method: "phone" }];

/** Waits until `check` holds (the fan-out runs on the job queue); fails after a generous deadline. */
async function eventually<T>(check: () => Promise<T | null | undefined | false>, what: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function resident(body: Record<string, unknown>): Promise<string> {
  const res = await w.api.manager.post("/api/residents", {
    firstName: "תושב",
    lastName: "בדיקה",
    ...body,
  });
  if (res.statusCode !== 201) throw new Error(`resident: ${res.statusCode} ${res.body}`);
  return json<{ id: string }>(res).id;
}

/** A resident with a login of their own (role resident), signed in: their session cookie. */
async function residentLogin(residentId: string): Promise<string> {
  const db = t.database.db;
  const userId = crypto.randomUUID();
  const email = `resident-${userId.slice(0, 8)}@broadcasts.test`;
  await db.insert(schema.user).values({ id: userId, name: "תושב", email, kind: "resident" });
  await db.insert(schema.account).values({
    id: crypto.randomUUID(),
    accountId: userId,
    providerId: "credential",
    userId,
    password: await hashPassword("resident-password-long"),
  });
  await db
    .insert(schema.roleAssignments)
    .values({ userId, role: "resident", departmentId: w.departmentId });
  await db
    .update(schema.residents)
    .set({ userId })
    .where(
      and(eq(schema.residents.departmentId, w.departmentId), eq(schema.residents.id, residentId)),
    );
  return signIn(t.app, email, "resident-password-long");
}

async function subscribeDevice(cookie: string, language: string) {
  const device = stub.subscribe();
  const api = client(t.app, cookie, `department:${w.departmentId}`);
  const res = await api.post("/api/push/subscriptions", {
    endpoint: device.endpoint,
    keys: device.keys,
    language,
  });
  expect(res.statusCode).toBe(201);
  return { ...device, result: json<{ id: string; resident: boolean }>(res) };
}

const outbox = async (to: string) =>
  t.database.db.select().from(schema.devOutbox).where(eq(schema.devOutbox.to, to));

const audits = async (entityId: string) =>
  (
    await t.database.db
      .select({ action: schema.auditEvents.action })
      .from(schema.auditEvents)
      .where(eq(schema.auditEvents.entityId, entityId))
  ).map((a) => a.action);

/** Declares an emergency (or drill) over neighbourhood A; answers its id and version. */
async function declare(drill: boolean) {
  const res = await w.api.manager.post("/api/emergency/events", {
    type: "rocket_fire",
    level: 2,
    title: drill ? "תרגיל" : "ירי רקטות",
    communityIds: [w.aId],
    drill,
    generateCalls: false,
  });
  expect(res.statusCode, res.body).toBe(201);
  return json<{ id: string; version: number }>(res);
}
async function closeEmergency(e: { id: string; version: number }) {
  const res = await w.api.manager.post(`/api/emergency/events/${e.id}/close`, {
    version: e.version,
  });
  expect(res.statusCode, res.body).toBe(200);
}

async function waitForStatus(id: string, statuses: string[]) {
  let last: Broadcast | null = null;
  return eventually(
    async () => {
      last = json<Broadcast>(await w.api.manager.get(`/api/broadcasts/${id}`));
      return statuses.includes(last.status) ? last : null;
    },
    `broadcast ${statuses.join("/")}`,
  ).catch((err: Error) => {
    throw new Error(`${err.message}; last seen ${JSON.stringify(last?.progress)}`);
  });
}

/** Local HH:MM in Jerusalem `offset` minutes from now. */
function localTime(offset: number) {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Asia/Jerusalem",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(Date.now() + offset * 60_000));
  return `${parts.find((p) => p.type === "hour")!.value}:${parts.find((p) => p.type === "minute")!.value}`;
}

const people: Record<string, string> = {};
const logins: Record<string, string> = {};
const devices: Record<string, Awaited<ReturnType<typeof subscribeDevice>>> = {};

beforeAll(async () => {
  // Refused-for-now sends are tried again after 1 s, then 3 s (20 s and 60 s in production).
  t = await startTestServer({ BROADCAST_RETRY_SECONDS: "1" });
  w = await buildWorld(t);
  stub = await startPushStub();
  // The default quiet hours (22:00–07:00 Jerusalem) would hold these tests' pushes and SMS when
  // the suite runs at night; the quiet-hours tests set their own.
  await w.api.manager.put("/api/broadcasts/settings", {
    quietHours: { enabled: false, start: "22:00", end: "07:00" },
  });
  // Arabic speaker with a login and a phone: push to their device.
  people.pushAr = await resident({
    homeCommunityId: w.aId,
    languages: ["ar"],
    phone: "0521111111",
    consents: consent,
  });
  // Hebrew, phone and e-mail, no device: SMS (first channel they have).
  people.smsHe = await resident({
    homeCommunityId: w.aId,
    languages: ["he"],
    phone: "0522222222",
    email: "he@broadcasts.test",
    consents: consent,
  });
  // Russian in neighbourhood B, e-mail only.
  people.emailRu = await resident({
    homeCommunityId: w.bId,
    languages: ["ru"],
    email: "ru@broadcasts.test",
    consents: consent,
  });
  // English speaker whose device the push service has forgotten.
  people.goneEn = await resident({
    homeCommunityId: w.aId,
    languages: ["en"],
    consents: consent,
  });
  // Never contacted: no consent.
  people.noConsent = await resident({
    homeCommunityId: w.aId,
    languages: ["he"],
    phone: "0523333333",
  });
  logins.pushAr = await residentLogin(people.pushAr);
  logins.goneEn = await residentLogin(people.goneEn);
  devices.pushAr = await subscribeDevice(logins.pushAr, "ar");
  devices.goneEn = await subscribeDevice(logins.goneEn, "en");
  stub.expire(devices.goneEn.id);
});

afterAll(async () => {
  await t?.close();
  await stub?.close();
});

const compose = (over: Record<string, unknown> = {}) => ({
  title: "הודעה לתושבים",
  audience: { communityIds: [w.townId], consents: ["contact_for_activities"] },
  channels: ["web_push", "sms", "email", "in_app"],
  channelMode: "first",
  messages: {
    he: { title: "עדכון", body: "מרכז החלוקה פתוח עד 20:00. {statusLink}" },
    ar: { title: "تحديث", body: "مركز التوزيع مفتوح حتى 20:00. {statusLink}" },
    ru: { title: "Новости", body: "Пункт раздачи открыт до 20:00. {statusLink}" },
  },
  ...over,
});

describe("broadcasts: compose, dry run, fan-out over every channel, receipts", () => {
  it("a push subscription of a resident with a login is linked to their record", () => {
    expect(devices.pushAr!.result.resident).toBe(true);
  });

  it("dry run counts by channel and language and previews every text", async () => {
    const res = await w.api.manager.post("/api/broadcasts/dry-run", {
      audience: compose().audience,
      channels: compose().channels,
      channelMode: "first",
      messages: compose().messages,
    });
    expect(res.statusCode).toBe(200);
    const dry = json<BroadcastDryRun>(res);
    expect(dry.residents).toBe(4);
    expect(dry.reachable).toBe(4);
    expect(dry.byChannel).toEqual({ web_push: 2, sms: 1, email: 1, in_app: 0 });
    expect(dry.byLanguage).toEqual({ ar: 1, he: 2, ru: 1 });
    expect(dry.missingLanguages).toEqual(["en"]);
    const ar = dry.previews.find((p) => p.language === "ar")!;
    expect(ar.body).not.toContain("{statusLink}");
    expect(ar.smsParts).toBe(1);
  });

  it("confirm fans out through the job queue: push in the device's language, SMS, e-mail; gone devices removed; placeholder removed", async () => {
    const created = await w.api.manager.post("/api/broadcasts", compose());
    expect(created.statusCode).toBe(201);
    const draft = json<Broadcast>(created);
    expect(draft.status).toBe("draft");
    expect(draft.can.confirm).toBe(true);

    const confirmed = await w.api.manager.post(`/api/broadcasts/${draft.id}/confirm`);
    expect(confirmed.statusCode).toBe(200);
    expect(["confirmed", "sending", "done"]).toContain(json<Broadcast>(confirmed).status);
    const again = await w.api.manager.post(`/api/broadcasts/${draft.id}/confirm`);
    expect(json<{ error: { code: string } }>(again).error.code).toBe("broadcast.not_draft");

    const done = await waitForStatus(draft.id, ["done"]);
    expect(done.progress.total).toBe(4);
    expect(done.progress.byChannel.web_push).toMatchObject({ total: 2, sent: 1, failed: 1 });
    expect(done.progress.byChannel.sms).toMatchObject({ total: 1, sent: 1 });
    expect(done.progress.byChannel.email).toMatchObject({ total: 1, sent: 1 });

    const [payload] = stub.payloads(devices.pushAr!.id);
    const message = JSON.parse(payload!) as { title: string; body: string; ack: string };
    expect(message.body).toBe("مركز التوزيع مفتوح حتى 20:00.");
    expect(message.title).toBe("تحديث");
    const sms = await outbox("+972522222222");
    expect(sms.map((m) => m.body)).toContain("מרכז החלוקה פתוח עד 20:00.");
    const mail = await outbox("ru@broadcasts.test");
    expect(mail[0]?.body).toBe("Пункт раздачи открыт до 20:00.");
    expect(await outbox("+972523333333")).toHaveLength(0);

    const gone = await t.database.db
      .select()
      .from(schema.pushSubscriptions)
      .where(eq(schema.pushSubscriptions.id, devices.goneEn!.result.id));
    expect(gone).toHaveLength(0);
    const failed = json<{ items: { status: string; error: string | null }[] }>(
      await w.api.manager.get(`/api/broadcasts/${draft.id}/deliveries?status=failed`),
    );
    expect(failed.items.map((d) => d.error)).toEqual(["gone"]);
    expect(await audits(draft.id)).toEqual(
      expect.arrayContaining(["broadcast.create", "broadcast.confirm"]),
    );

    // The device acknowledges; a forged token is refused.
    const receipt = await t.app.inject({
      method: "POST",
      url: "/api/broadcasts/receipts",
      payload: {
        receipts: [{ token: message.ack }, { token: `${message.ack.slice(0, -4)}AAAA` }],
      },
    });
    expect(receipt.statusCode).toBe(202);
    expect(json(receipt)).toEqual({ accepted: 1, rejected: 1 });
    await eventually(async () => {
      const p = json<Broadcast["progress"]>(
        await w.api.manager.get(`/api/broadcasts/${draft.id}/progress`),
      );
      return p.delivered === 1 && p.byChannel.web_push.delivered === 1;
    }, "the acknowledgement");
    const list = json<{ items: { id: string; delivered: number; sent: number }[] }>(
      await w.api.manager.get("/api/broadcasts"),
    );
    expect(list.items.find((b) => b.id === draft.id)).toMatchObject({ delivered: 1, sent: 2 });
  });

  it("fills {statusLink} per recipient with the function given to the fan-out", async () => {
    t.app.deps.broadcasts.setStatusLink((rs) =>
      rs.map((r) => `https://kaveret.test/s/${r.deliveryId}`),
    );
    try {
      const res = await w.api.manager.post(
        "/api/broadcasts",
        compose({
          channels: ["web_push"],
          audience: { communityIds: [w.aId], consents: ["contact_for_activities"] },
        }),
      );
      const id = json<Broadcast>(res).id;
      await w.api.manager.post(`/api/broadcasts/${id}/confirm`);
      await waitForStatus(id, ["done"]);
      const payloads = stub.payloads(devices.pushAr!.id);
      const last = JSON.parse(payloads[payloads.length - 1]!) as { body: string; url: string };
      expect(last.body).toMatch(/^مركز التوزيع مفتوح حتى 20:00\. https:\/\/kaveret\.test\/s\/\d+$/);
      expect(last.url).toMatch(/^https:\/\/kaveret\.test\/s\/\d+$/);
    } finally {
      t.app.deps.broadcasts.setStatusLink(null);
    }
  });
});

describe("broadcasts of an emergency", () => {
  it("fills {statusLink} with each resident's own status page, which opens and takes an answer", async () => {
    const emergency = await declare(false);
    try {
      const res = await w.api.manager.post(
        "/api/broadcasts",
        compose({
          channels: ["sms"],
          emergencyId: emergency.id,
          urgent: true,
          messages: { he: { title: "עדכון", body: "אנחנו כאן. ספרו לנו מה שלומכם: {statusLink}" } },
          audience: { communityIds: [w.aId], consents: ["contact_for_activities"] },
        }),
      );
      expect(res.statusCode, res.body).toBe(201);
      const id = json<Broadcast>(res).id;
      expect((await w.api.manager.post(`/api/broadcasts/${id}/confirm`)).statusCode).toBe(200);
      await waitForStatus(id, ["done"]);
      const [sms] = (await outbox("+972522222222")).filter((m) => m.body.includes("/ok/"));
      expect(sms, "an SMS with a status link").toBeDefined();
      const link = /https?:\/\/\S+\/ok\/[\w-]+/.exec(sms!.body)?.[0];
      expect(link).toBeDefined();
      const path = new URL(link!).pathname;
      const page = await t.app.inject({ method: "GET", url: path });
      expect(page.statusCode).toBe(200);
      expect(page.headers["content-type"]).toMatch(/text\/html/);
      // A second broadcast of the same emergency gives the resident the same link.
      const again = await w.api.manager.post(
        "/api/broadcasts",
        compose({
          channels: ["sms"],
          emergencyId: emergency.id,
          messages: { he: { title: "עדכון", body: "תזכורת: {statusLink}" } },
          audience: { communityIds: [w.aId], consents: ["contact_for_activities"] },
        }),
      );
      const againId = json<Broadcast>(again).id;
      await w.api.manager.post(`/api/broadcasts/${againId}/confirm`);
      await waitForStatus(againId, ["done"]);
      const reminder = (await outbox("+972522222222")).find((m) => m.body.startsWith("תזכורת"));
      expect(reminder?.body).toContain(path);
    } finally {
      await closeEmergency(emergency);
    }
  });

  it("a drill's broadcast is never sent to residents", async () => {
    const drill = await declare(true);
    try {
      const res = await w.api.manager.post(
        "/api/broadcasts",
        compose({ channels: ["sms"], emergencyId: drill.id }),
      );
      expect(res.statusCode, res.body).toBe(201);
      const id = json<Broadcast>(res).id;
      const before = (await outbox("+972522222222")).length;
      const refused = await w.api.manager.post(`/api/broadcasts/${id}/confirm`);
      expect(refused.statusCode).toBe(409);
      expect(json<{ error: { code: string } }>(refused).error.code).toBe("broadcast.drill");
      expect(json<Broadcast>(await w.api.manager.get(`/api/broadcasts/${id}`)).status).toBe(
        "draft",
      );
      expect((await outbox("+972522222222")).length).toBe(before);
    } finally {
      await closeEmergency(drill);
    }
  });
});

describe("broadcasts: quiet hours", () => {
  beforeAll(async () => {
    const res = await w.api.manager.put("/api/broadcasts/settings", {
      quietHours: { enabled: true, start: localTime(-60), end: localTime(120) },
    });
    expect(res.statusCode).toBe(200);
  });
  afterAll(async () => {
    await w.api.manager.put("/api/broadcasts/settings", {
      quietHours: { enabled: false, start: "22:00", end: "07:00" },
    });
  });

  it("holds push and SMS of a routine broadcast until they end; e-mail goes at once", async () => {
    const res = await w.api.manager.post("/api/broadcasts", compose());
    const id = json<Broadcast>(res).id;
    const confirmed = json<Broadcast>(await w.api.manager.post(`/api/broadcasts/${id}/confirm`));
    expect(confirmed.quietHoursBypassed).toBe(false);
    expect(confirmed.progress.deferredUntil).not.toBeNull();
    const sending = await waitForStatus(id, ["sending"]);
    await eventually(async () => {
      const p = json<Broadcast["progress"]>(
        await w.api.manager.get(`/api/broadcasts/${id}/progress`),
      );
      return p.byChannel.email.sent === 1;
    }, "the e-mail");
    const p = json<Broadcast["progress"]>(
      await w.api.manager.get(`/api/broadcasts/${id}/progress`),
    );
    expect(p.byChannel.web_push.sent + p.byChannel.sms.sent).toBe(0);
    const held = p.byChannel.web_push.total + p.byChannel.sms.total;
    expect(held).toBeGreaterThan(0);
    expect(p.queued).toBe(held);
    expect(sending.status).toBe("sending");
    expect(await audits(id)).not.toContain("broadcast.quiet_hours_bypass");
  });

  it("only an urgent broadcast of an emergency goes out during them, and that is audited", async () => {
    const refused = await w.api.manager.post("/api/broadcasts", compose({ urgent: true }));
    expect(refused.statusCode).toBe(400);
    expect(json<{ error: { code: string } }>(refused).error.code).toBe(
      "broadcast.urgent_needs_emergency",
    );
    const unknown = await w.api.manager.post(
      "/api/broadcasts",
      compose({ urgent: true, emergencyId: crypto.randomUUID() }),
    );
    expect(unknown.statusCode).toBe(400);
    expect(json<{ error: { code: string } }>(unknown).error.code).toBe(
      "broadcast.emergency_not_found",
    );
    const emergency = await declare(false);
    try {
      const res = await w.api.manager.post(
        "/api/broadcasts",
        compose({ urgent: true, emergencyId: emergency.id }),
      );
      const id = json<Broadcast>(res).id;
      const confirmed = json<Broadcast>(await w.api.manager.post(`/api/broadcasts/${id}/confirm`));
      expect(confirmed.quietHoursBypassed).toBe(true);
      expect(confirmed.progress.deferredUntil).toBeNull();
      const done = await waitForStatus(id, ["done"]);
      expect(done.progress.byChannel.sms.sent).toBe(1);
      expect(await audits(id)).toContain("broadcast.quiet_hours_bypass");
    } finally {
      await closeEmergency(emergency);
    }
  });
});

describe("broadcasts: in-app notifications and this device's subscription", () => {
  it("a resident with a login whose device is gone gets the broadcast in the app, and reads it", async () => {
    const api = client(t.app, logins.goneEn!, `department:${w.departmentId}`);
    const list = json<{ items: { id: string; body: string; readAt: string | null }[] }>(
      await api.get("/api/notifications"),
    );
    // The first broadcast pushed to their (gone) device; later ones found only the app.
    const mine = list.items.filter((n) => n.body.startsWith("מרכז החלוקה פתוח"));
    expect(mine.length).toBeGreaterThan(0);
    expect(mine[0]!.readAt).toBeNull();
    expect((await api.post(`/api/notifications/${mine[0]!.id}/read`)).statusCode).toBe(204);
    const other = client(t.app, logins.pushAr!, `department:${w.departmentId}`);
    expect((await other.post(`/api/notifications/${mine[0]!.id}/read`)).statusCode).toBe(404);
  });

  it("a browser unsubscribes; its subscription is gone", async () => {
    const device = await subscribeDevice(logins.pushAr!, "ar");
    const res = await client(t.app, logins.pushAr!, `department:${w.departmentId}`).delete(
      "/api/push/subscriptions",
      { endpoint: device.endpoint },
    );
    expect(res.statusCode).toBe(204);
    const rows = await t.database.db
      .select()
      .from(schema.pushSubscriptions)
      .where(eq(schema.pushSubscriptions.endpoint, device.endpoint));
    expect(rows).toHaveLength(0);
    const key = json<{ publicKey: string }>(await t.app.inject({ url: "/api/push/public-key" }));
    expect(Buffer.from(key.publicKey, "base64url")).toHaveLength(65);
  });
});

describe("broadcasts: SMS delivery reports", () => {
  it("the Twilio adapter asks for a delivery report, and the report marks the SMS delivered", async () => {
    const twilio = await startTwilioStub();
    try {
      const transport = createTwilioTransport({
        apiUrl: twilio.url,
        accountSid: twilio.accountSid,
        authToken: twilio.authToken,
        from: "+972500000000",
      });
      await transport.send({
        channel: "sms",
        to: "+972521111111",
        body: "בדיקה",
        statusCallback: "https://kaveret.test/api/broadcasts/receipts/sms?token=abc",
      });
      expect(twilio.sent[0]?.StatusCallback).toBe(
        "https://kaveret.test/api/broadcasts/receipts/sms?token=abc",
      );
    } finally {
      await twilio.close();
    }

    const [sms] = await t.database.db
      .select()
      .from(schema.broadcastDeliveries)
      .where(
        and(
          eq(schema.broadcastDeliveries.channel, "sms"),
          eq(schema.broadcastDeliveries.status, "sent"),
        ),
      )
      .limit(1);
    const token = t.app.deps.broadcasts.tokens.sign({
      departmentId: sms!.departmentId,
      broadcastId: sms!.broadcastId,
      deliveryId: sms!.id,
    });
    const report = (status: string, tok = token) =>
      t.app.inject({
        method: "POST",
        url: `/api/broadcasts/receipts/sms?token=${encodeURIComponent(tok)}`,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        payload: `MessageSid=SM1&MessageStatus=${status}`,
      });
    expect((await report("sent")).statusCode).toBe(204);
    expect((await report("delivered", `${token.slice(0, -3)}AAA`)).statusCode).toBe(204);
    expect((await report("delivered")).statusCode).toBe(204);
    await eventually(async () => {
      const [row] = await t.database.db
        .select({ status: schema.broadcastDeliveries.status })
        .from(schema.broadcastDeliveries)
        .where(
          and(
            eq(schema.broadcastDeliveries.broadcastId, sms!.broadcastId),
            eq(schema.broadcastDeliveries.id, sms!.id),
          ),
        );
      return row?.status === "delivered";
    }, "the SMS delivered");
  });
});

describe("broadcasts: who may broadcast", () => {
  it("a community worker broadcasts within their communities only, never department-wide", async () => {
    const outside = await w.api.worker.post(
      "/api/broadcasts",
      compose({ audience: { communityIds: [w.bId], consents: ["contact_for_activities"] } }),
    );
    expect(outside.statusCode).toBe(403);
    expect(json<{ error: { code: string } }>(outside).error.code).toBe(
      "broadcast.community_not_allowed",
    );
    const everyone = await w.api.worker.post(
      "/api/broadcasts",
      compose({ audience: { communityIds: [], consents: ["contact_for_activities"] } }),
    );
    expect(everyone.statusCode).toBe(403);
    const own = await w.api.worker.post(
      "/api/broadcasts",
      compose({ audience: { communityIds: [w.aId], consents: ["contact_for_activities"] } }),
    );
    expect(own.statusCode).toBe(201);
    const dry = json<BroadcastDryRun>(
      await w.api.worker.get(`/api/broadcasts/${json<Broadcast>(own).id}/dry-run`),
    );
    expect(dry.residents).toBe(3);
    // The manager's department-wide broadcasts are not in the worker's list.
    const list = json<{ items: { id: string }[] }>(await w.api.worker.get("/api/broadcasts"));
    const seen = list.items.map((b) => b.id);
    expect(seen).toContain(json<Broadcast>(own).id);
    const all = await t.database.db.select().from(schema.broadcasts);
    for (const b of all.filter((x) => x.departmentId === w.departmentId)) {
      const within = b.communityIds.length > 0 && b.communityIds.every((c) => c === w.aId);
      expect(seen.includes(b.id)).toBe(within || b.createdBy === w.users.worker);
    }
  });

  it("other roles and other departments are refused", async () => {
    expect((await w.api.social.get("/api/broadcasts")).statusCode).toBe(403);
    expect((await w.api.activist.post("/api/broadcasts", compose())).statusCode).toBe(403);
    const mine = json<{ items: { id: string }[] }>(await w.api.manager.get("/api/broadcasts"));
    const other = await w.api.otherManager.get(`/api/broadcasts/${mine.items[0]!.id}`);
    expect(other.statusCode).toBe(404);
    const settings = await w.api.worker.put("/api/broadcasts/settings", {
      quietHours: { enabled: false, start: "22:00", end: "07:00" },
    });
    expect(settings.statusCode).toBe(403);
  });

  it("a cancelled broadcast sends nothing more", async () => {
    const res = await w.api.manager.post("/api/broadcasts", compose());
    const id = json<Broadcast>(res).id;
    const cancelled = await w.api.manager.post(`/api/broadcasts/${id}/cancel`);
    expect(json<Broadcast>(cancelled).status).toBe("cancelled");
    const confirm = await w.api.manager.post(`/api/broadcasts/${id}/confirm`);
    expect(confirm.statusCode).toBe(409);
    const rows = await t.database.db.execute(
      sql`select count(*)::int as n from broadcast_deliveries where broadcast_id = ${id}`,
    );
    expect((rows as unknown as { rows: { n: number }[] }).rows[0]!.n).toBe(0);
  });
});

describe("broadcasts: a busy push service", () => {
  it("a message refused for now is tried again and arrives; refused three times, it is a failure", async () => {
    const busyOnce = await resident({
      homeCommunityId: w.bId,
      languages: ["he"],
      consents: consent,
    });
    const alwaysBusy = await resident({
      homeCommunityId: w.bId,
      languages: ["he"],
      consents: consent,
    });
    const once = await subscribeDevice(await residentLogin(busyOnce), "he");
    const never = await subscribeDevice(await residentLogin(alwaysBusy), "he");
    stub.refuse(once.id, 1, 503);
    stub.refuse(never.id, 10, 429);

    const res = await w.api.manager.post(
      "/api/broadcasts",
      compose({ audience: { communityIds: [w.bId], consents: ["contact_for_activities"] } }),
    );
    const id = json<Broadcast>(res).id;
    expect((await w.api.manager.post(`/api/broadcasts/${id}/confirm`)).statusCode).toBe(200);
    const done = await waitForStatus(id, ["done"]);

    // The first device got it on the second try, once.
    expect(stub.payloads(once.id)).toHaveLength(1);
    expect(stub.payloads(never.id)).toHaveLength(0);
    const result = await t.database.db.execute(sql`
      select subscription_id, status, error, attempts from broadcast_deliveries
      where broadcast_id = ${id} and channel = 'web_push' order by id`);
    const rows = (result as unknown as { rows: Record<string, unknown>[] }).rows;
    expect(rows.find((r) => r.subscription_id === once.result.id)).toMatchObject({
      status: "sent",
      attempts: 1,
    });
    expect(rows.find((r) => r.subscription_id === never.result.id)).toMatchObject({
      status: "failed",
      error: "http_429",
      attempts: 3,
    });
    // Counted once each: the failure only when it became final.
    expect(done.progress.byChannel.web_push).toMatchObject({ total: 2, sent: 1, failed: 1 });
    // A busy service keeps the subscription (only 404/410 remove it).
    const kept = await t.database.db
      .select({ id: schema.pushSubscriptions.id })
      .from(schema.pushSubscriptions)
      .where(eq(schema.pushSubscriptions.id, never.result.id));
    expect(kept).toHaveLength(1);
  });
});
