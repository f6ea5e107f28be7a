import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { badSignature, ChannelError, malformedPayload } from "./channel-errors.ts";
import type { ConversationInput } from "./conversation.ts";

/* ------------------------------------------------------------------ */
/* Subscription handshake (GET).                                         */
/* ------------------------------------------------------------------ */

/**
 * Meta's subscription check: GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…
 * The answer is the challenge as plain text (200). A wrong token or mode → channel.bad_signature (403).
 */
export function answerWhatsAppVerification(
  query: Record<string, unknown>,
  verifyToken: string,
): string {
  const mode = query["hub.mode"];
  const token = query["hub.verify_token"];
  const challenge = query["hub.challenge"];
  if (mode !== "subscribe" || typeof token !== "string" || !safeEqual(token, verifyToken)) {
    throw badSignature("The verification token or mode is wrong");
  }
  if (typeof challenge !== "string" || !/^[\w-]{1,200}$/.test(challenge)) {
    throw new ChannelError("channel.malformed_payload", 400, "hub.challenge is missing");
  }
  return challenge;
}

/* ------------------------------------------------------------------ */
/* Signature of the POSTs.                                               */
/* ------------------------------------------------------------------ */

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The X-Hub-Signature-256 value for a raw body: "sha256=" + hex HMAC-SHA256 with the app secret. */
export function whatsAppSignature(rawBody: string | Buffer, appSecret: string): string {
  return `sha256=${createHmac("sha256", appSecret).update(rawBody).digest("hex")}`;
}

/** True when the header is the HMAC of exactly these bytes (re-serialized JSON would not match). */
export function verifyWhatsAppSignature(
  rawBody: string | Buffer,
  header: string | string[] | undefined,
  appSecret: string,
): boolean {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value || !appSecret) return false;
  const m = /^sha256=([0-9a-f]{64})$/i.exec(value.trim());
  if (!m) return false;
  const given = Buffer.from(m[1]!, "hex");
  const expected = createHmac("sha256", appSecret).update(rawBody).digest();
  return timingSafeEqual(given, expected);
}

/* ------------------------------------------------------------------ */
/* The payload.                                                          */
/* ------------------------------------------------------------------ */

type Common = {
  /** The wamid: deliveries may repeat, so the caller de-duplicates on it. */
  id: string;
  /** Our business number the message was sent to. */
  phoneNumberId: string;
  /** The sender in E.164 ("+972…"); waId is how WhatsApp writes it (digits). */
  from: string;
  waId: string;
  profileName: string | null;
  timestamp: Date;
  /** The wamid this message answers (a reply to one of ours), when it is one. */
  contextId: string | null;
};

export type WhatsAppInboundMessage = Common &
  (
    | { kind: "text"; text: string }
    | {
        kind: "location";
        location: { lat: number; lon: number };
        name: string | null;
        address: string | null;
      }
    | {
        kind: "image";
        mediaId: string;
        mimeType: string;
        sha256: string | null;
        caption: string | null;
      }
    | {
        kind: "interactive";
        replyType: "list_reply" | "button_reply" | "button";
        replyId: string;
        title: string;
      }
    /** Audio, stickers, documents, reactions…: not an error, the conversation just re-asks. */
    | { kind: "unsupported"; type: string }
  );

/** A delivery receipt for a message we sent. */
export type WhatsAppStatus = {
  messageId: string;
  phoneNumberId: string;
  status: "sent" | "delivered" | "read" | "failed" | "deleted" | "warning" | "unknown";
  recipient: string;
  timestamp: Date;
  errors: { code: number; title: string | null }[];
};

export type WhatsAppWebhook = { messages: WhatsAppInboundMessage[]; statuses: WhatsAppStatus[] };

const digits = z.string().regex(/^\d{5,20}$/, { message: "not a WhatsApp id" });
const unixSeconds = z
  .string()
  .regex(/^\d{1,12}$/, { message: "not a unix time" })
  .transform((s) => new Date(Number(s) * 1000));
const short = (max: number) => z.string().max(max);

const messageBase = z.object({
  from: digits,
  id: z.string().min(1).max(256),
  timestamp: unixSeconds,
  type: z.string().min(1).max(40),
  context: z.object({ id: z.string().max(256).optional() }).optional(),
});

const bodies = {
  text: z.object({ text: z.object({ body: z.string().max(65_536) }) }),
  location: z.object({
    location: z.object({
      latitude: z.number().min(-90).max(90),
      longitude: z.number().min(-180).max(180),
      name: short(1000).optional(),
      address: short(1000).optional(),
    }),
  }),
  image: z.object({
    image: z.object({
      id: z.string().min(1).max(256),
      mime_type: short(100),
      sha256: short(200).optional(),
      caption: short(4096).optional(),
    }),
  }),
  interactive: z.object({
    interactive: z.discriminatedUnion("type", [
      z.object({
        type: z.literal("list_reply"),
        list_reply: z.object({ id: z.string().min(1).max(256), title: short(256) }),
      }),
      z.object({
        type: z.literal("button_reply"),
        button_reply: z.object({ id: z.string().min(1).max(256), title: short(256) }),
      }),
    ]),
  }),
  /** A quick-reply button of a template message. */
  button: z.object({ button: z.object({ payload: z.string().min(1).max(256), text: short(256) }) }),
};

const statusSchema = z.object({
  id: z.string().min(1).max(256),
  status: z.string().max(40),
  timestamp: unixSeconds,
  recipient_id: z.string().max(40),
  errors: z
    .array(z.object({ code: z.number().int(), title: short(500).optional() }))
    .max(20)
    .optional(),
});

const valueSchema = z.object({
  messaging_product: z.literal("whatsapp"),
  metadata: z.object({
    display_phone_number: short(40).optional(),
    phone_number_id: z.string().min(1).max(40),
  }),
  contacts: z
    .array(
      z.object({ wa_id: z.string().max(40), profile: z.object({ name: short(500) }).optional() }),
    )
    .max(100)
    .optional(),
  // Each message's own fields are read per type below, so an unknown type is no error.
  messages: z.array(z.looseObject({})).max(100).optional(),
  statuses: z.array(z.looseObject({})).max(100).optional(),
});

const envelopeSchema = z.object({
  object: z.literal("whatsapp_business_account"),
  entry: z
    .array(
      z.object({
        id: z.string().max(40),
        changes: z.array(z.object({ field: z.string().max(100), value: z.unknown() })).max(100),
      }),
    )
    .max(100),
});

const KNOWN_STATUSES = new Set(["sent", "delivered", "read", "failed", "deleted", "warning"]);

function parseMessage(
  raw: unknown,
  value: z.infer<typeof valueSchema>,
  where: string,
): WhatsAppInboundMessage {
  const base = messageBase.safeParse(raw);
  if (!base.success) throw malformedPayload(`The WhatsApp message at ${where}`, base.error);
  const b = base.data;
  const contact = value.contacts?.find((c) => c.wa_id === b.from) ?? value.contacts?.[0];
  const common: Common = {
    id: b.id,
    phoneNumberId: value.metadata.phone_number_id,
    from: `+${b.from}`,
    waId: b.from,
    profileName: contact?.profile?.name ?? null,
    timestamp: b.timestamp,
    contextId: b.context?.id ?? null,
  };
  const read = <T extends z.ZodType>(schema: T): z.infer<T> => {
    const parsed = schema.safeParse(raw);
    if (!parsed.success)
      throw malformedPayload(`The WhatsApp ${b.type} message at ${where}`, parsed.error);
    return parsed.data;
  };
  switch (b.type) {
    case "text":
      return { ...common, kind: "text", text: read(bodies.text).text.body };
    case "location": {
      const l = read(bodies.location).location;
      return {
        ...common,
        kind: "location",
        location: { lat: l.latitude, lon: l.longitude },
        name: l.name ?? null,
        address: l.address ?? null,
      };
    }
    case "image": {
      const i = read(bodies.image).image;
      return {
        ...common,
        kind: "image",
        mediaId: i.id,
        mimeType: i.mime_type,
        sha256: i.sha256 ?? null,
        caption: i.caption ?? null,
      };
    }
    case "interactive": {
      const kind = (raw as { interactive?: { type?: unknown } }).interactive?.type;
      // Flows (nfm_reply) and other interactive answers are not part of this conversation.
      if (kind !== "list_reply" && kind !== "button_reply") {
        return { ...common, kind: "unsupported", type: `interactive.${String(kind)}`.slice(0, 60) };
      }
      const i = read(bodies.interactive).interactive;
      const reply = i.type === "list_reply" ? i.list_reply : i.button_reply;
      return {
        ...common,
        kind: "interactive",
        replyType: i.type,
        replyId: reply.id,
        title: reply.title,
      };
    }
    case "button": {
      const btn = read(bodies.button).button;
      return {
        ...common,
        kind: "interactive",
        replyType: "button",
        replyId: btn.payload,
        title: btn.text,
      };
    }
    default:
      return { ...common, kind: "unsupported", type: b.type };
  }
}

/**
 * Parses a Cloud API webhook body (call verifyWhatsAppSignature first, on the
 * same bytes). Not JSON, not a WhatsApp Business payload, or a message missing
 * fields its type needs → channel.malformed_payload. Changes of other fields
 * (template status, account updates) are skipped.
 */
export function parseWhatsAppWebhook(rawBody: string | Buffer): WhatsAppWebhook {
  let json: unknown;
  try {
    json = JSON.parse(typeof rawBody === "string" ? rawBody : rawBody.toString("utf8"));
  } catch {
    throw malformedPayload("The WhatsApp webhook body is not JSON");
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) throw malformedPayload("Not a WhatsApp Business webhook", envelope.error);
  const out: WhatsAppWebhook = { messages: [], statuses: [] };
  envelope.data.entry.forEach((entry, e) => {
    entry.changes.forEach((change, c) => {
      if (change.field !== "messages") return;
      const where = `entry.${e}.changes.${c}`;
      const value = valueSchema.safeParse(change.value);
      if (!value.success) throw malformedPayload(`The WhatsApp change at ${where}`, value.error);
      const v = value.data;
      (v.messages ?? []).forEach((m, i) =>
        out.messages.push(parseMessage(m, v, `${where}.messages.${i}`)),
      );
      (v.statuses ?? []).forEach((raw, i) => {
        const s = statusSchema.safeParse(raw);
        if (!s.success)
          throw malformedPayload(`The WhatsApp status at ${where}.statuses.${i}`, s.error);
        out.statuses.push({
          messageId: s.data.id,
          phoneNumberId: v.metadata.phone_number_id,
          status: KNOWN_STATUSES.has(s.data.status)
            ? (s.data.status as WhatsAppStatus["status"])
            : "unknown",
          recipient: s.data.recipient_id,
          timestamp: s.data.timestamp,
          errors: (s.data.errors ?? []).map((x) => ({ code: x.code, title: x.title ?? null })),
        });
      });
    });
  });
  return out;
}

/** What a WhatsApp webhook route does: signature on the raw bytes (403), then parse (400). */
export function readWhatsAppWebhook(o: {
  appSecret: string;
  rawBody: string | Buffer;
  signature: string | string[] | undefined;
}): WhatsAppWebhook {
  if (!verifyWhatsAppSignature(o.rawBody, o.signature, o.appSecret)) {
    throw badSignature("The X-Hub-Signature-256 header is missing or wrong");
  }
  return parseWhatsAppWebhook(o.rawBody);
}

/** What the conversation needs of a WhatsApp message (a voice note or sticker gives nothing: {}). */
export function whatsAppConversationInput(message: WhatsAppInboundMessage): ConversationInput {
  switch (message.kind) {
    case "text":
      return { text: message.text };
    case "location":
      return {
        location: { ...message.location, name: message.name, address: message.address },
      };
    case "image":
      return {
        ...(message.caption ? { text: message.caption } : {}),
        ...(message.mimeType.startsWith("image/") ? { mediaIds: [message.mediaId] } : {}),
      };
    case "interactive":
      return { interactiveId: message.replyId };
    case "unsupported":
      return {};
  }
}
