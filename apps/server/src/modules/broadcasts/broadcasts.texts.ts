import {
  createHmac,
  createSecretKey,
  hkdfSync,
  timingSafeEqual,
  type KeyObject,
} from "node:crypto";
import {
  BROADCAST_LANGUAGES,
  STATUS_LINK_PLACEHOLDER,
  type BroadcastChannel,
  type BroadcastLanguage,
  type BroadcastMessages,
  type QuietHours,
} from "@kaveret/contracts";

/* Pure helpers of broadcasts: texts, channel choice, quiet hours, receipt tokens. */

/** Who a recipient is, for the optional per-recipient link (the resident status page). */
export type StatusLinkRecipient = {
  departmentId: string;
  broadcastId: string;
  /** The emergency the broadcast belongs to, if any (its status page). */
  emergencyId: string | null;
  deliveryId: number;
  residentId: string | null;
  channel: BroadcastChannel;
  language: BroadcastLanguage;
};
/**
 * The links put in place of {statusLink} for one send batch (same broadcast and channel),
 * in the recipients' order; null for none (the placeholder is removed). Called once per
 * batch, so a link that needs the database costs a query per batch, not per message.
 */
export type StatusLinkFn = (
  recipients: StatusLinkRecipient[],
) => (string | null)[] | Promise<(string | null)[]>;

/** Message languages in a stable order; the fallback is Hebrew when written, else the first. */
export function messageLanguages(messages: BroadcastMessages): BroadcastLanguage[] {
  return BROADCAST_LANGUAGES.filter((l) => messages[l]?.body);
}
export function fallbackLanguage(messages: BroadcastMessages): BroadcastLanguage {
  const langs = messageLanguages(messages);
  return langs.includes("he") ? "he" : (langs[0] ?? "he");
}

/** The text with {statusLink} filled in, or removed with the space before it. */
export function fillStatusLink(text: string, link: string | null): string {
  if (!text.includes(STATUS_LINK_PLACEHOLDER)) return text;
  if (link) return text.split(STATUS_LINK_PLACEHOLDER).join(link);
  return text
    .split(STATUS_LINK_PLACEHOLDER)
    .map((part, i) => (i === 0 ? part.replace(/[ \t]+$/, "") : part))
    .join("")
    .trim();
}

// GSM-7 basic characters (a Latin text fits 160 per SMS; anything else is UCS-2, 70).
const GSM7 =
  /^[@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà^{}\\[~\]|€]*$/;

/** SMS parts a text takes (concatenated parts carry 153 / 67 characters). */
export function smsParts(text: string): number {
  const gsm = GSM7.test(text);
  const length = [...text].length;
  const single = gsm ? 160 : 70;
  const multi = gsm ? 153 : 67;
  if (length === 0) return 0;
  return length <= single ? 1 : Math.ceil(length / multi);
}

export type Reach = { push: number; phone: boolean; email: boolean; user: boolean };

/** The channels a recipient gets: every one they have ("all") or the first they have ("first"). */
export function chooseChannels(
  channels: BroadcastChannel[],
  mode: "all" | "first",
  reach: Reach,
): BroadcastChannel[] {
  const has = (c: BroadcastChannel) =>
    c === "web_push"
      ? reach.push > 0
      : c === "sms"
        ? reach.phone
        : c === "email"
          ? reach.email
          : reach.user;
  const available = channels.filter(has);
  return mode === "all" ? available : available.slice(0, 1);
}

const TIME_ZONE = "Asia/Jerusalem";
const minutes = (hhmm: string) => {
  const [h, m] = hhmm.split(":").map(Number) as [number, number];
  return h * 60 + m;
};

/** When quiet hours hold at `now` (department local time), the instant they end; else null. */
export function quietUntil(q: QuietHours, now: Date): Date | null {
  if (!q.enabled || q.start === q.end) return null;
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: TIME_ZONE,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(now);
  const local =
    Number(parts.find((p) => p.type === "hour")!.value) * 60 +
    Number(parts.find((p) => p.type === "minute")!.value);
  const start = minutes(q.start);
  const end = minutes(q.end);
  const inside = start < end ? local >= start && local < end : local >= start || local < end;
  if (!inside) return null;
  const wait = (end - local + 1440) % 1440;
  const until = new Date(now.getTime() + wait * 60_000);
  until.setUTCSeconds(0, 0);
  return until;
}

/* Receipt tokens: department, broadcast and delivery id, with an HMAC, so a device (or a
   provider callback) can acknowledge exactly its own message without an account. */

const uuidBytes = (id: string) => Buffer.from(id.replace(/-/g, ""), "hex");
const uuidOf = (buf: Buffer) => {
  const h = buf.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

export type ReceiptRef = { departmentId: string; broadcastId: string; deliveryId: number };

export class ReceiptTokens {
  /** A KeyObject: Node re-checks a raw Buffer key on every HMAC (~7× slower). */
  private readonly key: KeyObject;
  constructor(authSecret: string) {
    this.key = createSecretKey(
      Buffer.from(hkdfSync("sha256", authSecret, "kaveret-receipts", "", 32)),
    );
  }

  sign(ref: ReceiptRef): string {
    const id = Buffer.alloc(8);
    id.writeBigUInt64BE(BigInt(ref.deliveryId));
    const body = Buffer.concat([uuidBytes(ref.departmentId), uuidBytes(ref.broadcastId), id]);
    const mac = createHmac("sha256", this.key).update(body).digest().subarray(0, 16);
    return `${body.toString("base64url")}.${mac.toString("base64url")}`;
  }

  verify(token: string): ReceiptRef | null {
    const [b, m] = token.split(".");
    if (!b || !m) return null;
    const body = Buffer.from(b, "base64url");
    const mac = Buffer.from(m, "base64url");
    if (body.length !== 40 || mac.length !== 16) return null;
    const expected = createHmac("sha256", this.key).update(body).digest().subarray(0, 16);
    if (!timingSafeEqual(mac, expected)) return null;
    return {
      departmentId: uuidOf(body.subarray(0, 16)),
      broadcastId: uuidOf(body.subarray(16, 32)),
      deliveryId: Number(body.readBigUInt64BE(32)),
    };
  }
}
