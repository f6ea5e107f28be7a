import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTwilioTransport, TransportError } from "../messaging/transport.ts";
import type { OutboundReply } from "./conversation.ts";
import { downloadTwilioMedia, MediaRefusedError } from "./media-download.ts";
import { createSmsReplySender, replyText, twimlForReplies } from "./outbound.ts";
import { startTwilioStub, type TwilioStub } from "./testing/twilio-stub.ts";

let twilio: TwilioStub;
beforeAll(async () => {
  twilio = await startTwilioStub({
    accountSid: "AC0123456789abcdef0123456789abcdef",
    authToken: "tok",
  });
});
afterAll(() => twilio.close());

const sms = () =>
  createTwilioTransport({
    apiUrl: twilio.url,
    accountSid: twilio.accountSid,
    authToken: twilio.authToken,
    from: "+972535550000",
  });

const replies: OutboundReply[] = [
  { kind: "text", text: "לא הבנו את התשובה." },
  {
    kind: "choice",
    text: "במה מדובר? שלחו את המספר המתאים.",
    button: "בחירת נושא",
    moreText: "נושאים נוספים",
    options: [
      { id: "cat:food", number: "1", title: "מזון" },
      { id: "cat:-", number: "0", title: "לא בטוח/ה" },
    ],
  },
];

describe("replies as text", () => {
  it("numbers a choice's options, '0' last", () => {
    expect(replyText(replies[1]!)).toBe("במה מדובר? שלחו את המספר המתאים.\n1. מזון\n0. לא בטוח/ה");
  });

  it("answers a Twilio webhook with one TwiML message holding all replies", () => {
    expect(twimlForReplies(replies)).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Message>לא הבנו את התשובה.\n\nבמה מדובר? שלחו את המספר המתאים.\n1. מזון\n0. לא בטוח/ה</Message></Response>',
    );
    expect(twimlForReplies([])).not.toContain("<Message>");
  });
});

describe("SMS replies through the Twilio Messages API", () => {
  it("sends the replies as one SMS", async () => {
    await createSmsReplySender(sms()).sendReplies("+972501234567", replies);
    expect(twilio.sent.at(-1)).toEqual({
      To: "+972501234567",
      From: "+972535550000",
      Body: "לא הבנו את התשובה.\n\nבמה מדובר? שלחו את המספר המתאים.\n1. מזון\n0. לא בטוח/ה",
    });
    const before = twilio.sent.length;
    await createSmsReplySender(sms()).sendReplies("+972501234567", []);
    expect(twilio.sent.length).toBe(before);
  });

  it("passes Twilio's error code on, not the text", async () => {
    twilio.failNext();
    const err = await createSmsReplySender(sms())
      .sendReplies("+972501234567", [{ kind: "text", text: "סוד" }])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as Error).message).toBe("twilio: HTTP 400 (code 21211)");
  });

  it("downloads an MMS photo with the account's credentials, and only from the account's own URLs", async () => {
    const png = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
    const url = twilio.addMedia(png, "image/png");
    const o = {
      apiUrl: twilio.url,
      accountSid: twilio.accountSid,
      authToken: twilio.authToken,
      maxBytes: 1000,
    };
    const media = await downloadTwilioMedia(url, o);
    expect(media).toEqual({ bytes: png, contentType: "image/png" });

    await expect(downloadTwilioMedia(url, { ...o, maxBytes: 8 })).rejects.toMatchObject({
      reason: "too_large",
    });
    await expect(downloadTwilioMedia(url, { ...o, authToken: "wrong" })).rejects.toThrow(
      /media HTTP 401/,
    );
    for (const foreign of [
      "http://169.254.169.254/latest/meta-data",
      url.replace(twilio.accountSid, "AC99999999999999999999999999999999"),
      "not a url",
    ]) {
      await expect(downloadTwilioMedia(foreign, o)).rejects.toBeInstanceOf(MediaRefusedError);
    }
  });
});
