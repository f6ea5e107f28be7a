import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AddressInfo } from "node:net";
import { eq, sql } from "drizzle-orm";
import type { Need, NeedList } from "@kaveret/contracts";
import { schema, startTestServer, type TestServer } from "../../test/harness.ts";
import { buildWorld, type World } from "../residents/residents.fixtures.ts";
import { sendTwilioWebhook, twilioInboundParams } from "../../channels/testing/twilio-stub.ts";
import {
  sendWhatsAppWebhook,
  startWhatsAppStub,
  whatsAppWebhookPayload,
  type WhatsAppStub,
} from "../../channels/testing/whatsapp-stub.ts";

/**
 * SMS and WhatsApp into the needs queue, against local servers that speak the
 * providers' protocols: signed webhooks in, replies out through the Graph API stub.
 */

const PUBLIC_URL = "https://kaveret.city.example";
const AUTH_TOKEN = "twilio-auth-token-for-tests";
const APP_SECRET = "whatsapp-app-secret";
const SMS_NUMBER = "+97235550123";

let t: TestServer;
let w: World;
let wa: WhatsAppStub;
let base: string;

const json = <T>(res: { body: string }) => JSON.parse(res.body) as T;

beforeAll(async () => {
  wa = await startWhatsAppStub();
  t = await startTestServer({
    PUBLIC_URL,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_ACCOUNT_SID: "AC00000000000000000000000000000000",
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: "verify-token-123",
    WHATSAPP_ACCESS_TOKEN: wa.accessToken,
    WHATSAPP_API_URL: wa.baseUrl,
    WHATSAPP_API_VERSION: wa.version,
  });
  w = await buildWorld(t);
  await t.database.db
    .update(schema.departments)
    .set({ settings: { smsNumber: SMS_NUMBER, whatsappPhoneNumberId: wa.phoneNumberId } })
    .where(eq(schema.departments.id, w.departmentId));
  await t.app.listen({ port: 0, host: "127.0.0.1" });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await t?.close();
  await wa?.close();
});

async function sms(from: string, body: string, o: { badSignature?: boolean } = {}) {
  const params = twilioInboundParams({ from, to: SMS_NUMBER, body });
  const res = await sendTwilioWebhook(`${base}/api/channels/sms`, params, {
    authToken: AUTH_TOKEN,
    signedUrl: `${PUBLIC_URL}/api/channels/sms`,
    ...o,
  });
  return { status: res.status, text: await res.text(), params };
}

async function queue(): Promise<NeedList> {
  return json<NeedList>(await w.api.manager.get("/api/needs?pageSize=100&open=false"));
}

describe("SMS (Twilio webhook format)", () => {
  it("a short conversation in Hebrew becomes a need with its category, place and the sender's number", async () => {
    const from = "+972521234567";
    const first = await sms(from, "יש ערימת זבל גדולה ליד הגן הציבורי כבר שבוע");
    expect(first.status).toBe(200);
    expect(first.text).toContain("<Response>");
    expect(first.text).toMatch(/1/); // a numbered category list
    const second = await sms(from, "7"); // cleanliness is the 7th default category
    expect(second.status).toBe(200);
    const third = await sms(from, "רחוב הזית 4");
    expect(third.text).toMatch(/#\d+/); // the confirmation carries the reference
    const need = (await queue()).items.find((i) => i.description.includes("ערימת זבל"));
    expect(need).toBeDefined();
    expect(need!.channel).toBe("sms");
    expect(need!.category).toBe("cleanliness");
    const full = json<Need>(await w.api.manager.get(`/api/needs/${need!.id}`));
    expect(full.addressText).toBe("רחוב הזית 4");
    expect(full.contact?.phone).toBe(from);
    // The conversation state is kept encrypted and keyed by a hash, never the number itself.
    const states = await t.database.db.select().from(schema.channelConversations);
    for (const s of states) {
      expect(s.addressHash).not.toContain("521234567");
      expect(s.stateEnc).toMatch(/^enc:v1:/);
    }
  });

  it("a redelivered message is handled once", async () => {
    const params = twilioInboundParams({
      from: "+972539999999",
      to: SMS_NUMBER,
      body: "נפל עמוד חשמל ברחוב",
    });
    const send = () =>
      sendTwilioWebhook(`${base}/api/channels/sms`, params, {
        authToken: AUTH_TOKEN,
        signedUrl: `${PUBLIC_URL}/api/channels/sms`,
      });
    expect((await send()).status).toBe(200);
    const replay = await send();
    expect(replay.status).toBe(200);
    expect(await replay.text()).not.toContain("<Message>");
  });

  it("refuses a bad signature, a malformed body and an unknown number; nothing is stored", async () => {
    const before = (await queue()).total;
    const bad = await sms("+972521111111", "ניסיון זיוף של הודעה", { badSignature: true });
    expect(bad.status).toBe(403);
    expect(JSON.parse(bad.text).error.code).toBe("channel.bad_signature");
    const garbage = await fetch(`${base}/api/channels/sms`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": "abc" },
      body: "%%%",
    });
    expect(garbage.status).toBeGreaterThanOrEqual(400);
    expect(garbage.status).toBeLessThan(500);
    const params = twilioInboundParams({
      from: "+972521111111",
      to: "+97230000000",
      body: "למספר אחר",
    });
    const other = await sendTwilioWebhook(`${base}/api/channels/sms`, params, {
      authToken: AUTH_TOKEN,
      signedUrl: `${PUBLIC_URL}/api/channels/sms`,
    });
    expect(other.status).toBe(404);
    expect((await queue()).total).toBe(before);
  });
});

describe("WhatsApp (Cloud API webhook format)", () => {
  it("answers the verification handshake only with the right token", async () => {
    const ok = await fetch(
      `${base}/api/channels/whatsapp?hub.mode=subscribe&hub.verify_token=verify-token-123&hub.challenge=1158201444`,
    );
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("1158201444");
    const wrong = await fetch(
      `${base}/api/channels/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`,
    );
    expect(wrong.status).toBe(403);
  });

  it("an Arabic conversation with a shared location becomes a need; replies go out through the Graph API", async () => {
    const from = { waId: "972501112233", name: "سلمى" };
    const send = (message: Parameters<typeof whatsAppWebhookPayload>[0]["message"]) =>
      sendWhatsAppWebhook(
        `${base}/api/channels/whatsapp`,
        whatsAppWebhookPayload({ phoneNumberId: wa.phoneNumberId, from, message }),
        { appSecret: APP_SECRET },
      );
    expect(
      (await send({ type: "text", text: "جارتي المسنة تعيش وحدها ولا أحد يزورها منذ أسابيع" }))
        .status,
    ).toBe(200);
    expect(wa.sent.length).toBeGreaterThan(0);
    const afterFirst = wa.sent.length;
    expect((await send({ type: "list_reply", id: "cat:loneliness", title: "الوحدة" })).status).toBe(
      200,
    );
    expect(wa.sent.length).toBeGreaterThan(afterFirst);
    expect((await send({ type: "location", latitude: 32.81, longitude: 35.11 })).status).toBe(200);
    const need = (await queue()).items.find((i) => i.description.includes("المسنة"));
    expect(need).toBeDefined();
    expect(need!.channel).toBe("whatsapp");
    expect(need!.language).toBe("ar");
    expect(need!.hasLocation).toBe(true);
    const last = JSON.stringify(wa.sent.at(-1)!.body);
    expect(last).toMatch(/#\d+/);
  });

  it("refuses a bad signature and a malformed payload", async () => {
    const payload = whatsAppWebhookPayload({
      phoneNumberId: wa.phoneNumberId,
      from: { waId: "972500000001" },
      message: { type: "text", text: "hello there friends" },
    });
    const bad = await sendWhatsAppWebhook(`${base}/api/channels/whatsapp`, payload, {
      appSecret: APP_SECRET,
      badSignature: true,
    });
    expect(bad.status).toBe(403);
    const malformed = await sendWhatsAppWebhook(
      `${base}/api/channels/whatsapp`,
      { object: "whatsapp_business_account", entry: "not a list" },
      { appSecret: APP_SECRET },
    );
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.code).toBe("channel.malformed_payload");
    const count = await t.database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(schema.needs)
      .where(sql`${schema.needs.description} like '%hello there%'`);
    expect(count[0]!.n).toBe(0);
  });
});
