import { describe, expect, it } from "vitest";
import { ChannelError } from "./channel-errors.ts";
import {
  answerWhatsAppVerification,
  parseWhatsAppWebhook,
  readWhatsAppWebhook,
  verifyWhatsAppSignature,
  whatsAppConversationInput,
  whatsAppSignature,
} from "./whatsapp-webhook.ts";
import {
  signWhatsAppWebhook,
  whatsAppWebhookPayload,
  type StubInbound,
} from "./testing/whatsapp-stub.ts";

const SECRET = "app-secret-0123456789abcdef";
const PHONE_ID = "106540352242922";
const FROM = { waId: "972501234567", name: "נועה" };
const AT = new Date("2026-11-25T10:00:00Z");

const payload = (message: StubInbound) =>
  whatsAppWebhookPayload({ phoneNumberId: PHONE_ID, from: FROM, message, at: AT });

function caught(fn: () => unknown): ChannelError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ChannelError) return err;
    throw err;
  }
  throw new Error("expected a ChannelError");
}

const one = (message: StubInbound) => {
  const { body, headers } = signWhatsAppWebhook(payload(message), SECRET);
  const parsed = readWhatsAppWebhook({
    appSecret: SECRET,
    rawBody: Buffer.from(body),
    signature: headers["x-hub-signature-256"],
  });
  expect(parsed.messages).toHaveLength(1);
  return parsed.messages[0]!;
};

describe("WhatsApp subscription handshake", () => {
  const query = {
    "hub.mode": "subscribe",
    "hub.verify_token": "verify-me",
    "hub.challenge": "1158201444",
  };

  it("answers the challenge when the token is ours", () => {
    expect(answerWhatsAppVerification(query, "verify-me")).toBe("1158201444");
  });

  it("refuses a wrong token or mode, and a missing challenge", () => {
    expect(caught(() => answerWhatsAppVerification(query, "other")).code).toBe(
      "channel.bad_signature",
    );
    expect(
      caught(() => answerWhatsAppVerification({ ...query, "hub.mode": "unsubscribe" }, "verify-me"))
        .status,
    ).toBe(403);
    expect(
      caught(() =>
        answerWhatsAppVerification({ ...query, "hub.verify_token": undefined }, "verify-me"),
      ).code,
    ).toBe("channel.bad_signature");
    expect(
      caught(() =>
        answerWhatsAppVerification({ ...query, "hub.challenge": undefined }, "verify-me"),
      ).code,
    ).toBe("channel.malformed_payload");
    // The challenge is echoed as the response body: nothing but a token may pass.
    expect(
      caught(() =>
        answerWhatsAppVerification({ ...query, "hub.challenge": "<script>" }, "verify-me"),
      ).code,
    ).toBe("channel.malformed_payload");
  });
});

describe("WhatsApp webhook signature", () => {
  const { body, headers } = signWhatsAppWebhook(
    payload({ type: "text", text: "שלום, הפנס שבור" }),
    SECRET,
  );
  const header = headers["x-hub-signature-256"]!;

  it("accepts the HMAC of the raw bytes", () => {
    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWhatsAppSignature(Buffer.from(body), header, SECRET)).toBe(true);
    expect(
      verifyWhatsAppSignature(body, header.toUpperCase().replace("SHA256=", "sha256="), SECRET),
    ).toBe(true);
  });

  it("refuses another secret, a changed byte, a missing or misshapen header", () => {
    expect(verifyWhatsAppSignature(body, header, "another-secret")).toBe(false);
    const changed = body.replace('"timestamp":"', '"timestamp":"1');
    expect(verifyWhatsAppSignature(changed, header, SECRET)).toBe(false);
    expect(verifyWhatsAppSignature(body, undefined, SECRET)).toBe(false);
    expect(verifyWhatsAppSignature(body, header.slice("sha256=".length), SECRET)).toBe(false);
    expect(verifyWhatsAppSignature(body, `sha1=${header.slice(7)}`, SECRET)).toBe(false);
    expect(verifyWhatsAppSignature(body, "sha256=abc", SECRET)).toBe(false);
    expect(verifyWhatsAppSignature(body, header, "")).toBe(false);
    const err = caught(() =>
      readWhatsAppWebhook({ appSecret: SECRET, rawBody: body, signature: undefined }),
    );
    expect([err.code, err.status]).toEqual(["channel.bad_signature", 403]);
  });

  it("needs the bytes as sent: the same JSON re-serialized does not verify", () => {
    // Meta escapes non-ASCII as \uXXXX; JSON.stringify(JSON.parse(…)) writes the letters themselves.
    const reserialized = JSON.stringify(JSON.parse(body));
    expect(reserialized).not.toBe(body);
    expect(verifyWhatsAppSignature(reserialized, header, SECRET)).toBe(false);
    expect(whatsAppSignature(body, SECRET)).toBe(header);
  });
});

describe("WhatsApp webhook payload", () => {
  it("reads a text message with the sender's profile", () => {
    const m = one({ type: "text", text: "הפנס ברחוב שבור" });
    expect(m).toMatchObject({
      kind: "text",
      text: "הפנס ברחוב שבור",
      phoneNumberId: PHONE_ID,
      from: "+972501234567",
      waId: "972501234567",
      profileName: "נועה",
      timestamp: AT,
      contextId: null,
    });
    expect(m.id).toMatch(/^wamid\./);
    expect(whatsAppConversationInput(m)).toEqual({ text: "הפנס ברחוב שבור" });
  });

  it("reads a shared location", () => {
    const m = one({
      type: "location",
      latitude: 32.0853,
      longitude: 34.7818,
      name: "גן מאיר",
      address: "המלך ג'ורג' 36",
    });
    expect(m).toMatchObject({
      kind: "location",
      location: { lat: 32.0853, lon: 34.7818 },
      name: "גן מאיר",
    });
    expect(whatsAppConversationInput(m)).toEqual({
      location: { lat: 32.0853, lon: 34.7818, name: "גן מאיר", address: "המלך ג'ורג' 36" },
    });
  });

  it("reads a photo with its caption", () => {
    const m = one({ type: "image", id: "1479537139650973", caption: "הספסל השבור" });
    expect(m).toMatchObject({
      kind: "image",
      mediaId: "1479537139650973",
      mimeType: "image/jpeg",
      caption: "הספסל השבור",
    });
    expect(whatsAppConversationInput(m)).toEqual({
      text: "הספסל השבור",
      mediaIds: ["1479537139650973"],
    });
  });

  it("reads list and button replies", () => {
    const list = one({ type: "list_reply", id: "cat:food", title: "1. מזון" });
    expect(list).toMatchObject({
      kind: "interactive",
      replyType: "list_reply",
      replyId: "cat:food",
      title: "1. מזון",
    });
    expect(whatsAppConversationInput(list)).toEqual({ interactiveId: "cat:food" });
    const button = one({ type: "button_reply", id: "yes", title: "כן" });
    expect(button).toMatchObject({
      kind: "interactive",
      replyType: "button_reply",
      replyId: "yes",
    });
  });

  it("returns unknown message types as unsupported, not as errors", () => {
    for (const type of ["sticker", "audio", "reaction", "unknown"]) {
      const m = one({ type: "other", messageType: type });
      expect(m).toMatchObject({ kind: "unsupported", type });
      expect(whatsAppConversationInput(m)).toEqual({});
    }
    const flow = payload({ type: "text", text: "x" }) as {
      entry: { changes: { value: { messages: Record<string, unknown>[] } }[] }[];
    };
    const msg = flow.entry[0]!.changes[0]!.value.messages[0]!;
    delete msg.text;
    msg.type = "interactive";
    msg.interactive = { type: "nfm_reply", nfm_reply: { response_json: "{}", name: "flow" } };
    expect(parseWhatsAppWebhook(JSON.stringify(flow)).messages[0]).toMatchObject({
      kind: "unsupported",
      type: "interactive.nfm_reply",
    });
  });

  it("returns delivery receipts separately from messages", () => {
    const body = JSON.stringify(
      whatsAppWebhookPayload({
        phoneNumberId: PHONE_ID,
        status: { messageId: "wamid.abc", status: "failed", recipient: "972501234567" },
        at: AT,
      }),
    );
    const parsed = parseWhatsAppWebhook(body);
    expect(parsed.messages).toEqual([]);
    expect(parsed.statuses).toEqual([
      {
        messageId: "wamid.abc",
        phoneNumberId: PHONE_ID,
        status: "failed",
        recipient: "972501234567",
        timestamp: AT,
        errors: [{ code: 131026, title: "Message undeliverable" }],
      },
    ]);
    const read = whatsAppWebhookPayload({
      phoneNumberId: PHONE_ID,
      status: { messageId: "wamid.abc", status: "read", recipient: "972501234567" },
    });
    expect(parseWhatsAppWebhook(JSON.stringify(read)).statuses[0]!.status).toBe("read");
  });

  it("skips changes of other fields (template and account updates)", () => {
    const body = {
      object: "whatsapp_business_account",
      entry: [
        {
          id: "1",
          changes: [{ field: "message_template_status_update", value: { event: "APPROVED" } }],
        },
      ],
    };
    expect(parseWhatsAppWebhook(JSON.stringify(body))).toEqual({ messages: [], statuses: [] });
  });

  it("refuses non-JSON, other objects, missing fields and wrong types as channel.malformed_payload", () => {
    const base = () =>
      payload({ type: "text", text: "הפנס שבור" }) as {
        object: string;
        entry: {
          changes: { value: { metadata?: unknown; messages: Record<string, unknown>[] } }[];
        }[];
      };
    const msg = (p: ReturnType<typeof base>) => p.entry[0]!.changes[0]!.value.messages[0]!;
    const bad: [string, string][] = [
      ["not JSON", "{not json"],
      ["empty", ""],
      ["an array", "[]"],
      ["a page object", JSON.stringify({ ...base(), object: "page" })],
      ["no entry", JSON.stringify({ object: "whatsapp_business_account" })],
      [
        "no metadata",
        JSON.stringify(
          (() => {
            const p = base();
            delete p.entry[0]!.changes[0]!.value.metadata;
            return p;
          })(),
        ),
      ],
      [
        "text without body",
        JSON.stringify(
          (() => {
            const p = base();
            msg(p).text = {};
            return p;
          })(),
        ),
      ],
      [
        "body a number",
        JSON.stringify(
          (() => {
            const p = base();
            msg(p).text = { body: 5 };
            return p;
          })(),
        ),
      ],
      [
        "no from",
        JSON.stringify(
          (() => {
            const p = base();
            delete msg(p).from;
            return p;
          })(),
        ),
      ],
      [
        "timestamp a date",
        JSON.stringify(
          (() => {
            const p = base();
            msg(p).timestamp = "2026-11-25";
            return p;
          })(),
        ),
      ],
      [
        "latitude a string",
        JSON.stringify(
          (() => {
            const p = base();
            Object.assign(msg(p), {
              type: "location",
              location: { latitude: "32.1", longitude: 34.8 },
            });
            return p;
          })(),
        ),
      ],
      [
        "image without id",
        JSON.stringify(
          (() => {
            const p = base();
            Object.assign(msg(p), { type: "image", image: { mime_type: "image/jpeg" } });
            return p;
          })(),
        ),
      ],
      [
        "list reply without id",
        JSON.stringify(
          (() => {
            const p = base();
            Object.assign(msg(p), {
              type: "interactive",
              interactive: { type: "list_reply", list_reply: { title: "x" } },
            });
            return p;
          })(),
        ),
      ],
    ];
    for (const [what, body] of bad) {
      const err = caught(() => parseWhatsAppWebhook(body));
      expect([what, err.code, err.status]).toEqual([what, "channel.malformed_payload", 400]);
      expect(JSON.stringify(err.details ?? {})).not.toContain("הפנס");
    }
  });
});
