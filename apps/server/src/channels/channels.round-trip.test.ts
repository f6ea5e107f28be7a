import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Fastify, { type FastifyInstance } from "fastify";
import type { AddressInfo } from "node:net";
import { createTwilioTransport } from "../messaging/transport.ts";
import { ChannelError } from "./channel-errors.ts";
import {
  confirmationReplies,
  parseConversationState,
  step,
  type ConversationContext,
  type ConversationState,
  type NeedDraft,
} from "./conversation.ts";
import { CONVERSATION_TEXTS } from "./conversation-texts.ts";
import { createSmsReplySender, twimlForReplies, type ReplySender } from "./outbound.ts";
import { keepRawBodies } from "./raw-body.ts";
import { publicWebhookUrl, readTwilioWebhook, twilioConversationInput } from "./twilio-webhook.ts";
import {
  answerWhatsAppVerification,
  readWhatsAppWebhook,
  whatsAppConversationInput,
} from "./whatsapp-webhook.ts";
import { createWhatsAppTransport } from "./whatsapp-transport.ts";
import { TEST_NEED_CATEGORIES } from "./testing/need-categories.ts";
import {
  sendTwilioWebhook,
  startTwilioStub,
  twilioInboundParams,
  type TwilioStub,
} from "./testing/twilio-stub.ts";
import {
  sendWhatsAppWebhook,
  startWhatsAppStub,
  whatsAppWebhookPayload,
  type StubInbound,
  type WhatsAppStub,
} from "./testing/whatsapp-stub.ts";

/*
 * The routes the needs module will have, in miniature: a plugin scope that
 * keeps raw bodies, signature + parse, the conversation with its state in a
 * map (the database, later), replies through the outbound adapters.
 */

const APP_SECRET = "whatsapp-app-secret";
const VERIFY_TOKEN = "whatsapp-verify-token";
const PUBLIC_URL = "https://kaveret.city.example.gov.il";
const RESIDENT = "972501234567";

let wa: WhatsAppStub;
let twilio: TwilioStub;
let app: FastifyInstance;
let base: string;
const states = new Map<string, ConversationState>();
const seen = new Set<string>();
const needs: (NeedDraft & { channel: string; reference: string })[] = [];

async function converse(
  channel: "sms" | "whatsapp",
  phone: string,
  input: Parameters<typeof step>[1],
  sender: ReplySender | null,
) {
  const key = `${channel}:${phone}`;
  const ctx: ConversationContext = {
    categories: TEST_NEED_CATEGORIES,
    now: new Date(),
    channel,
    contactPhone: phone,
  };
  const result = step(parseConversationState(states.get(key) ?? null), input, ctx);
  if (result.state) states.set(key, result.state);
  else states.delete(key);
  let replies = result.replies;
  if (result.done) {
    const reference = `N-${1000 + needs.length}`;
    needs.push({ ...result.done, channel, reference });
    replies = [...replies, ...confirmationReplies(result.done.language, reference)];
  }
  if (sender) await sender.sendReplies(phone, replies);
  return replies;
}

beforeAll(async () => {
  wa = await startWhatsAppStub();
  twilio = await startTwilioStub();
  const whatsapp = createWhatsAppTransport({
    baseUrl: wa.baseUrl,
    version: wa.version,
    phoneNumberId: wa.phoneNumberId,
    accessToken: wa.accessToken,
  });
  const sms = createSmsReplySender(
    createTwilioTransport({
      apiUrl: twilio.url,
      accountSid: twilio.accountSid,
      authToken: twilio.authToken,
      from: "+972535550000",
    }),
  );

  app = Fastify();
  app.post("/api/elsewhere", async (request) => ({ body: request.body }));
  await app.register(
    async (scope) => {
      keepRawBodies(scope, { bodyLimit: 64 * 1024 });
      scope.setErrorHandler((err, _request, reply) =>
        err instanceof ChannelError
          ? reply.status(err.status).send({ error: { code: err.code, message: err.message } })
          : reply.send(err),
      );
      scope.get("/whatsapp", async (request, reply) =>
        reply
          .type("text/plain")
          .send(answerWhatsAppVerification(request.query as Record<string, unknown>, VERIFY_TOKEN)),
      );
      scope.post("/whatsapp", async (request) => {
        const hook = readWhatsAppWebhook({
          appSecret: APP_SECRET,
          rawBody: request.body as Buffer,
          signature: request.headers["x-hub-signature-256"],
        });
        for (const message of hook.messages) {
          if (seen.has(message.id)) continue; // Meta redelivers; each wamid is handled once.
          seen.add(message.id);
          await converse("whatsapp", message.from, whatsAppConversationInput(message), whatsapp);
        }
        return { ok: true };
      });
      scope.post("/sms", async (request, reply) => {
        const message = readTwilioWebhook({
          authToken: twilio.authToken,
          url: publicWebhookUrl(PUBLIC_URL, request.url),
          rawBody: request.body as string,
          signature: request.headers["x-twilio-signature"],
        });
        const replies = await converse("sms", message.from, twilioConversationInput(message), null);
        return reply.type("text/xml").send(twimlForReplies(replies));
      });
      // Replies sent later (not in the webhook's answer) go through the SMS transport.
      scope.post("/sms-async", async (request) => {
        const message = readTwilioWebhook({
          authToken: twilio.authToken,
          url: publicWebhookUrl(PUBLIC_URL, request.url),
          rawBody: request.body as string,
          signature: request.headers["x-twilio-signature"],
        });
        await converse("sms", message.from, twilioConversationInput(message), sms);
        return { ok: true };
      });
    },
    { prefix: "/api/channels" },
  );
  await app.listen({ port: 0, host: "127.0.0.1" });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await app.close();
  await wa.close();
  await twilio.close();
});

const fromResident = (message: StubInbound) =>
  whatsAppWebhookPayload({
    phoneNumberId: wa.phoneNumberId,
    from: { waId: RESIDENT, name: "סמיר" },
    message,
  });

describe("WhatsApp round trip", () => {
  it("answers Meta's subscription check", async () => {
    const ok = await fetch(
      `${base}/api/channels/whatsapp?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=8471`,
    );
    expect([ok.status, await ok.text()]).toEqual([200, "8471"]);
    const wrong = await fetch(
      `${base}/api/channels/whatsapp?hub.mode=subscribe&hub.verify_token=x&hub.challenge=8471`,
    );
    expect(wrong.status).toBe(403);
  });

  it("signed webhook → parse → conversation → Graph reply, through to a stored need", async () => {
    const send = async (message: StubInbound) => {
      const before = wa.sent.length;
      const res = await sendWhatsAppWebhook(
        `${base}/api/channels/whatsapp`,
        fromResident(message),
        { appSecret: APP_SECRET },
      );
      expect(res.status).toBe(200);
      return wa.sent.slice(before).map((s) => s.body);
    };

    const photo = wa.addMedia(Buffer.from("ffd8ffe0", "hex"), "image/jpeg");
    const first = await send({
      type: "image",
      id: photo,
      caption: "يوجد تسرب مياه كبير في الشارع منذ الصباح",
    });
    // Thirteen choices: two WhatsApp lists, in Arabic, to the resident's number.
    expect(first).toHaveLength(2);
    expect(first[0]).toMatchObject({
      to: RESIDENT,
      type: "interactive",
      interactive: { type: "list", action: { button: CONVERSATION_TEXTS.ar.chooseButton } },
    });

    const second = await send({
      type: "list_reply",
      id: "cat:public_space",
      title: "6. الحيز العام",
    });
    expect(second).toEqual([
      expect.objectContaining({
        interactive: expect.objectContaining({ type: "location_request_message" }),
      }),
    ]);

    const third = await send({
      type: "location",
      latitude: 32.794,
      longitude: 34.9896,
      name: "شارع الجبل",
    });
    expect(third).toEqual([expect.objectContaining({ type: "text" })]);
    expect((third[0]!.text as { body: string }).body).toContain("N-");
    expect(needs.at(-1)).toMatchObject({
      channel: "whatsapp",
      description: "يوجد تسرب مياه كبير في الشارع منذ الصباح",
      category: "public_space",
      location: { lat: 32.794, lon: 34.9896 },
      addressText: "شارع الجبل",
      language: "ar",
      mediaIds: [photo],
      contactPhone: "+972501234567",
    });
  });

  it("handles a redelivered message once, and takes delivery receipts without a reply", async () => {
    const payload = fromResident({ type: "text", text: "الإنارة في الحديقة لا تعمل منذ أسبوع" });
    const before = wa.sent.length;
    await sendWhatsAppWebhook(`${base}/api/channels/whatsapp`, payload, { appSecret: APP_SECRET });
    await sendWhatsAppWebhook(`${base}/api/channels/whatsapp`, payload, { appSecret: APP_SECRET });
    expect(wa.sent.length - before).toBe(2); // one question, as two lists — not four
    const receipt = whatsAppWebhookPayload({
      phoneNumberId: wa.phoneNumberId,
      status: { messageId: wa.sent.at(-1)!.id, status: "delivered", recipient: RESIDENT },
    });
    const res = await sendWhatsAppWebhook(`${base}/api/channels/whatsapp`, receipt, {
      appSecret: APP_SECRET,
    });
    expect(res.status).toBe(200);
    expect(wa.sent.length - before).toBe(2);
    await sendWhatsAppWebhook(
      `${base}/api/channels/whatsapp`,
      fromResident({ type: "text", text: "الغاء" }),
      {
        appSecret: APP_SECRET,
      },
    );
  });

  it("refuses a bad signature (403) and a malformed body (400) without replying", async () => {
    const before = wa.sent.length;
    const bad = await sendWhatsAppWebhook(
      `${base}/api/channels/whatsapp`,
      fromResident({ type: "text", text: "מישהו אחר" }),
      { appSecret: APP_SECRET, badSignature: true },
    );
    expect(bad.status).toBe(403);
    expect((await bad.json()).error.code).toBe("channel.bad_signature");
    const malformed = await sendWhatsAppWebhook(
      `${base}/api/channels/whatsapp`,
      { object: "whatsapp_business_account" },
      {
        appSecret: APP_SECRET,
      },
    );
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.code).toBe("channel.malformed_payload");
    expect(wa.sent.length).toBe(before);
  });

  it("keeps JSON parsing as it was for the rest of the app", async () => {
    const res = await app.inject({ method: "POST", url: "/api/elsewhere", payload: { a: 1 } });
    expect(res.json()).toEqual({ body: { a: 1 } });
    const tooBig = await app.inject({
      method: "POST",
      url: "/api/channels/whatsapp",
      headers: { "content-type": "application/json" },
      payload: "x".repeat(70 * 1024),
    });
    expect(tooBig.statusCode).toBe(413);
  });
});

describe("SMS round trip", () => {
  const resident = "+972541112233";
  const sendSms = (body: string, path = "/api/channels/sms", badSignature = false) =>
    sendTwilioWebhook(
      `${base}${path}?dept=demo`,
      twilioInboundParams({
        from: resident,
        to: "+972535550000",
        body,
        accountSid: twilio.accountSid,
      }),
      // Twilio signs the public URL; the request lands on the local one (as behind a proxy).
      { authToken: twilio.authToken, signedUrl: `${PUBLIC_URL}${path}?dept=demo`, badSignature },
    );

  it("answers in TwiML through the conversation, in Hebrew", async () => {
    const first = await sendSms("הפח הגדול ברחוב הרצל לא רוקן כבר שבועיים");
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toMatch(/^text\/xml/);
    const xml = await first.text();
    expect(xml).toContain("7. ניקיון");
    expect(xml).toContain("0. לא בטוח/ה");

    expect(await (await sendSms("7")).text()).toContain(CONVERSATION_TEXTS.he.askLocation.sms);
    const done = await (await sendSms("הרצל 20")).text();
    expect(done).toMatch(/<Message>תודה! הדיווח התקבל, מספר פנייה N-\d+/);
    expect(needs.at(-1)).toMatchObject({
      channel: "sms",
      category: "cleanliness",
      addressText: "הרצל 20",
    });
  });

  it("can answer later through the Twilio Messages API instead", async () => {
    const before = twilio.sent.length;
    const res = await sendSms("Во дворе не работает фонарь уже неделю", "/api/channels/sms-async");
    expect(res.status).toBe(200);
    expect(twilio.sent.length).toBe(before + 1);
    expect(twilio.sent.at(-1)).toMatchObject({ To: resident, From: "+972535550000" });
    expect(twilio.sent.at(-1)!.Body).toContain("1. Еда");
  });

  it("refuses a webhook signed with another token, or for another URL", async () => {
    const bad = await sendSms("x", "/api/channels/sms", true);
    expect(bad.status).toBe(403);
    const unsignedForHere = await sendTwilioWebhook(
      `${base}/api/channels/sms?dept=demo`,
      twilioInboundParams({ from: resident, to: "+972535550000", body: "x" }),
      { authToken: twilio.authToken }, // signed for the local URL, not the public one
    );
    expect(unsignedForHere.status).toBe(403);
  });
});
