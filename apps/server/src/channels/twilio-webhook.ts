import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { badSignature, malformedPayload } from "./channel-errors.ts";
import type { ConversationInput } from "./conversation.ts";

/** A message a resident sent to our Twilio number (SMS/MMS, or WhatsApp through Twilio). */
export type TwilioInboundMessage = {
  messageSid: string;
  accountSid: string | null;
  /** Twilio prefixes WhatsApp addresses with "whatsapp:"; we strip it and say so here. */
  via: "sms" | "whatsapp";
  from: string;
  to: string;
  body: string;
  media: { url: string; contentType: string }[];
  /** Only WhatsApp-through-Twilio sends a shared location (Latitude/Longitude/Address/Label). */
  location: { lat: number; lon: number; name: string | null; address: string | null } | null;
};

/** The URL Twilio was told to call, rebuilt from the public base (PUBLIC_URL) and the request path + query. */
export function publicWebhookUrl(publicBase: string, requestUrl: string): string {
  return `${publicBase.replace(/\/+$/, "")}/${requestUrl.replace(/^\/+/, "")}`;
}

/** Form-encoded body → the parameter list Twilio signed (repeated keys kept). */
export function twilioParams(rawBody: string | Buffer): URLSearchParams {
  return new URLSearchParams(typeof rawBody === "string" ? rawBody : rawBody.toString("utf8"));
}

/**
 * Twilio's signature: base64(HMAC-SHA1(authToken, url + each key+value, keys
 * sorted; a repeated key contributes its distinct values, sorted)), as in
 * twilio-node's getExpectedTwilioSignature.
 */
export function twilioSignature(
  authToken: string,
  url: string,
  params: URLSearchParams | Record<string, string>,
): string {
  const byKey = new Map<string, string[]>();
  const entries = params instanceof URLSearchParams ? [...params] : Object.entries(params);
  for (const [key, value] of entries) byKey.set(key, [...(byKey.get(key) ?? []), value]);
  let data = new URL(url).toString();
  for (const key of [...byKey.keys()].sort()) {
    for (const value of [...new Set(byKey.get(key))].sort()) data += key + value;
  }
  return createHmac("sha1", authToken).update(Buffer.from(data, "utf8")).digest("base64");
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The URL with its scheme's default port written out ("https://h:443/p"), as Twilio sometimes signs it. */
function withDefaultPort(url: URL): string {
  if (url.port) return url.toString();
  const port = url.protocol === "https:" ? "443" : "80";
  const auth = url.username ? `${url.username}${url.password ? `:${url.password}` : ""}@` : "";
  return `${url.protocol}//${auth}${url.host}:${port}${url.pathname}${url.search}${url.hash}`;
}

/**
 * True when `signature` is Twilio's for this URL and these parameters. Like
 * twilio-node, the URL is tried with and without its port, because Twilio's
 * own signing is inconsistent about it. Compared in constant time.
 */
export function verifyTwilioSignature(o: {
  authToken: string;
  url: string;
  params: URLSearchParams | Record<string, string>;
  signature: string | undefined;
}): boolean {
  if (!o.signature || !o.authToken) return false;
  let parsed: URL;
  try {
    parsed = new URL(o.url);
  } catch {
    return false;
  }
  const withPort = withDefaultPort(parsed);
  const withoutPort = new URL(o.url);
  withoutPort.port = "";
  // Both computed always, so timing does not tell which variant matched.
  const a = safeEqual(o.signature, twilioSignature(o.authToken, withoutPort.toString(), o.params));
  const b = safeEqual(o.signature, twilioSignature(o.authToken, withPort, o.params));
  return a || b;
}

const coordinate = (max: number) =>
  z
    .string()
    .regex(/^-?\d{1,3}(\.\d{1,15})?$/, { message: "not a coordinate" })
    .transform(Number)
    .pipe(z.number().min(-max).max(max));

/** The fields we use of Twilio's inbound message webhook; every other parameter is ignored. */
const twilioFormSchema = z
  .object({
    MessageSid: z.string().min(1).max(64),
    AccountSid: z.string().min(1).max(64).optional(),
    From: z.string().min(1).max(64),
    To: z.string().min(1).max(64),
    // Twilio's own limit is 1,600 characters; an MMS with only a photo has an empty body.
    Body: z.string().max(20_000).default(""),
    NumMedia: z
      .string()
      .regex(/^\d{1,2}$/, { message: "not a count" })
      .default("0")
      .transform(Number)
      .pipe(z.number().int().max(10)),
    Latitude: coordinate(90).optional(),
    Longitude: coordinate(180).optional(),
    Address: z.string().max(500).optional(),
    Label: z.string().max(500).optional(),
  })
  .refine((f) => (f.Latitude === undefined) === (f.Longitude === undefined), {
    message: "Latitude and Longitude come together",
    path: ["Latitude"],
  });

const mediaSchema = z.object({
  url: z.url({ protocol: /^https?$/ }).max(2000),
  contentType: z
    .string()
    .max(100)
    .regex(/^[\w.+-]+\/[\w.+-]+$/, { message: "not a content type" }),
});

/** Parses Twilio's form parameters into a typed message; anything missing or mistyped → channel.malformed_payload. */
export function parseTwilioInbound(params: URLSearchParams): TwilioInboundMessage {
  const form = twilioFormSchema.safeParse(Object.fromEntries(params));
  if (!form.success) throw malformedPayload("The Twilio webhook is not a message", form.error);
  const f = form.data;
  const media: TwilioInboundMessage["media"] = [];
  for (let i = 0; i < f.NumMedia; i++) {
    const item = mediaSchema.safeParse({
      url: params.get(`MediaUrl${i}`) ?? undefined,
      contentType: params.get(`MediaContentType${i}`) ?? undefined,
    });
    if (!item.success) throw malformedPayload(`Media ${i} of the Twilio webhook`, item.error);
    media.push(item.data);
  }
  const whatsapp = /^whatsapp:/i.test(f.From);
  const strip = (address: string) => address.replace(/^whatsapp:/i, "");
  return {
    messageSid: f.MessageSid,
    accountSid: f.AccountSid ?? null,
    via: whatsapp ? "whatsapp" : "sms",
    from: strip(f.From),
    to: strip(f.To),
    body: f.Body,
    media,
    location:
      f.Latitude !== undefined && f.Longitude !== undefined
        ? { lat: f.Latitude, lon: f.Longitude, name: f.Label ?? null, address: f.Address ?? null }
        : null,
  };
}

/**
 * What a Twilio webhook route does first: check the signature (over the URL
 * Twilio called — behind a proxy, PUBLIC_URL + path + query), then parse.
 * Bad or missing signature → channel.bad_signature (403); malformed → 400.
 */
export function readTwilioWebhook(o: {
  authToken: string;
  url: string;
  rawBody: string | Buffer;
  signature: string | string[] | undefined;
}): TwilioInboundMessage {
  const params = twilioParams(o.rawBody);
  const signature = Array.isArray(o.signature) ? o.signature[0] : o.signature;
  if (!verifyTwilioSignature({ authToken: o.authToken, url: o.url, params, signature })) {
    throw badSignature("The X-Twilio-Signature header is missing or wrong");
  }
  return parseTwilioInbound(params);
}

/** What the conversation needs of a Twilio message: the text, a shared location, the photos (by URL). */
export function twilioConversationInput(message: TwilioInboundMessage): ConversationInput {
  const photos = message.media.filter((m) => m.contentType.startsWith("image/")).map((m) => m.url);
  return {
    text: message.body,
    ...(message.location
      ? {
          location: {
            lat: message.location.lat,
            lon: message.location.lon,
            name: message.location.name,
            address: message.location.address,
          },
        }
      : {}),
    ...(photos.length ? { mediaIds: photos } : {}),
  };
}

// Characters XML 1.0 cannot carry, and lone UTF-16 surrogates (from a cut emoji).
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function xmlEscape(text: string): string {
  return text
    .replace(NOT_XML, "")
    .replace(LONE_SURROGATE, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** TwiML answering the webhook with these messages (none: an empty <Response>, no reply). Content-Type text/xml. */
export function twimlReply(messages: string | string[]): string {
  const list = (typeof messages === "string" ? [messages] : messages).filter((m) => m.length > 0);
  const body = list.map((m) => `<Message>${xmlEscape(m)}</Message>`).join("");
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${body}</Response>`;
}
