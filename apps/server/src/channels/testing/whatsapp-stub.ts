import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { whatsAppSignature } from "../whatsapp-webhook.ts";
import { DEFAULT_GRAPH_VERSION, WHATSAPP_LIMITS } from "../whatsapp-transport.ts";

/**
 * A local server speaking the WhatsApp Cloud API (Graph) for tests: the
 * messages endpoint with Bearer auth, checking what the real one checks
 * (product, recipient, text and list limits), answering
 * { messaging_product, contacts, messages: [{ id }] } or Graph's error JSON;
 * and media: GET /{version}/{media-id} → { url, mime_type, … } → the bytes.
 */
export type WhatsAppStub = {
  baseUrl: string;
  version: string;
  phoneNumberId: string;
  accessToken: string;
  /** Each accepted message body, in order, with the wamid it was given. */
  sent: { id: string; body: Record<string, unknown> }[];
  /** The next send is refused with this Graph error (default: 131030 recipient not allowed). */
  failNext(error?: GraphStubError): void;
  /** Stores bytes as uploaded media; returns its media id. */
  addMedia(bytes: Buffer, mimeType: string): string;
  close(): Promise<void>;
};

export type GraphStubError = {
  status: number;
  code: number;
  message: string;
  type?: string;
  subcode?: number;
};

const wamid = () => `wamid.${randomBytes(24).toString("base64url")}`;
const trace = () => randomBytes(9).toString("base64url");

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => ok(Buffer.concat(chunks).toString("utf8")));
    req.on("error", fail);
  });
}

function graphError(res: ServerResponse, e: GraphStubError, details?: string) {
  res.statusCode = e.status;
  res.setHeader("content-type", "application/json");
  if (e.status === 401)
    res.setHeader("www-authenticate", 'OAuth "Facebook Platform" "invalid_token"');
  res.end(
    JSON.stringify({
      error: {
        message: e.message,
        type: e.type ?? "OAuthException",
        code: e.code,
        ...(e.subcode !== undefined ? { error_subcode: e.subcode } : {}),
        ...(details ? { error_data: { messaging_product: "whatsapp", details } } : {}),
        fbtrace_id: trace(),
      },
    }),
  );
}

const invalid = (details: string): [GraphStubError, string] => [
  { status: 400, code: 131009, message: "(#131009) Parameter value is not valid" },
  details,
];

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | null =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : null;
const str = (v: unknown) => (typeof v === "string" ? v : null);

/** What the Cloud API refuses in a message we send; null when it is fine. */
function checkMessage(body: Json): [GraphStubError, string] | null {
  const L = WHATSAPP_LIMITS;
  if (body.messaging_product !== "whatsapp") {
    return [
      { status: 400, code: 100, message: "(#100) The parameter messaging_product is required." },
      "",
    ];
  }
  if (!/^\+?\d{8,15}$/.test(str(body.to) ?? "")) return invalid("to: not a phone number");
  if (body.type === "text") {
    const text = str(obj(body.text)?.body);
    if (!text)
      return [
        { status: 400, code: 100, message: "(#100) The parameter text['body'] is required." },
        "",
      ];
    if (text.length > L.textBody) return invalid("text.body: too long");
    return null;
  }
  if (body.type !== "interactive")
    return invalid(`type: ${String(body.type)} not supported by the stub`);
  const interactive = obj(body.interactive);
  const bodyText = str(obj(interactive?.body)?.text);
  if (!bodyText || bodyText.length > L.listBody) return invalid("interactive.body.text");
  const action = obj(interactive?.action);
  if (interactive?.type === "location_request_message") {
    return action?.name === "send_location" ? null : invalid("action.name");
  }
  if (interactive?.type !== "list") return invalid("interactive.type");
  const button = str(action?.button);
  if (!button || button.length > L.listButton) return invalid("action.button");
  const sections = Array.isArray(action?.sections) ? (action.sections as unknown[]) : [];
  if (sections.length < 1 || sections.length > 10) return invalid("action.sections");
  const rows = sections.flatMap((s) => {
    const r = obj(s)?.rows;
    return Array.isArray(r) ? (r as unknown[]) : [];
  });
  if (rows.length < 1 || rows.length > L.rowsPerList) return invalid("rows: 1 to 10 in all");
  for (const row of rows) {
    const r = obj(row);
    const id = str(r?.id);
    const title = str(r?.title);
    if (!id || id.length > L.rowId) return invalid("row id");
    if (!title || title.length > L.rowTitle) return invalid("row title: 1 to 24 characters");
    if (r?.description !== undefined && (str(r.description) ?? "").length > L.rowDescription) {
      return invalid("row description");
    }
  }
  return null;
}

export function startWhatsAppStub(
  o: { phoneNumberId?: string; accessToken?: string; version?: string } = {},
): Promise<WhatsAppStub> {
  const phoneNumberId = o.phoneNumberId ?? "106540352242922";
  const accessToken = o.accessToken ?? `EAAG${randomBytes(20).toString("hex")}`;
  const version = o.version ?? DEFAULT_GRAPH_VERSION;
  const sent: WhatsAppStub["sent"] = [];
  const media = new Map<string, { bytes: Buffer; mimeType: string }>();
  let nextFailure: GraphStubError | null = null;
  let baseUrl = "";

  const server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const path = (req.url ?? "").split("?")[0]!;
      if (req.headers.authorization !== `Bearer ${accessToken}`) {
        return graphError(res, {
          status: 401,
          code: 190,
          message: "Invalid OAuth access token - Cannot parse access token",
        });
      }
      const download = /^\/media-download\/([\w-]+)$/.exec(path);
      if (req.method === "GET" && download && media.has(download[1]!)) {
        const m = media.get(download[1]!)!;
        res.setHeader("content-type", m.mimeType);
        res.setHeader("content-length", String(m.bytes.length));
        return res.end(m.bytes);
      }
      const mediaInfo = new RegExp(`^/${version}/([\\w-]+)$`).exec(path);
      if (req.method === "GET" && mediaInfo && media.has(mediaInfo[1]!)) {
        const id = mediaInfo[1]!;
        const m = media.get(id)!;
        res.setHeader("content-type", "application/json");
        return res.end(
          JSON.stringify({
            messaging_product: "whatsapp",
            url: `${baseUrl}/media-download/${id}`,
            mime_type: m.mimeType,
            sha256: createHash("sha256").update(m.bytes).digest("hex"),
            file_size: m.bytes.length,
            id,
          }),
        );
      }
      const send = new RegExp(`^/${version}/([\\w-]+)/messages$`).exec(path);
      if (req.method !== "POST" || !send) {
        return graphError(res, {
          status: 400,
          code: 100,
          subcode: 33,
          type: "GraphMethodException",
          message: `Unsupported ${req.method?.toLowerCase()} request. Object with ID '${path.split("/")[2] ?? ""}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
        });
      }
      if (send[1] !== phoneNumberId) {
        return graphError(res, {
          status: 400,
          code: 100,
          subcode: 33,
          type: "GraphMethodException",
          message: `Unsupported post request. Object with ID '${send[1]}' does not exist.`,
        });
      }
      let body: Json | null;
      try {
        body = obj(JSON.parse(raw));
      } catch {
        body = null;
      }
      if (!body) {
        return graphError(res, { status: 400, code: 100, message: "(#100) Invalid parameter" });
      }
      if (nextFailure) {
        const f = nextFailure;
        nextFailure = null;
        return graphError(res, f);
      }
      const refused = checkMessage(body);
      if (refused) return graphError(res, refused[0], refused[1] || undefined);
      const id = wamid();
      sent.push({ id, body });
      const to = String(body.to);
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({
          messaging_product: "whatsapp",
          contacts: [{ input: to, wa_id: to.replace(/\D/g, "") }],
          messages: [{ id }],
        }),
      );
    })();
  });

  return new Promise((ok) => {
    server.listen(0, "127.0.0.1", () => {
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      ok({
        baseUrl,
        version,
        phoneNumberId,
        accessToken,
        sent,
        failNext(
          error = {
            status: 400,
            code: 131030,
            message: "(#131030) Recipient phone number not in allowed list",
          },
        ) {
          nextFailure = error;
        },
        addMedia(bytes, mimeType) {
          const id = String(1_000_000_000_000 + media.size + Math.floor(Math.random() * 1e6));
          media.set(id, { bytes, mimeType });
          return id;
        },
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}

/* ------------------------------------------------------------------ */
/* Webhook payloads as Meta sends them.                                 */
/* ------------------------------------------------------------------ */

export type StubInbound =
  | { type: "text"; text: string }
  | { type: "location"; latitude: number; longitude: number; name?: string; address?: string }
  | { type: "image"; id: string; mimeType?: string; caption?: string }
  | { type: "list_reply" | "button_reply"; id: string; title: string }
  /** Any other message type (audio, sticker…), with no body of its own. */
  | { type: "other"; messageType: string };

function messageJson(from: string, m: StubInbound, at: Date): Json {
  const base = {
    from,
    id: wamid(),
    timestamp: String(Math.floor(at.getTime() / 1000)),
  };
  switch (m.type) {
    case "text":
      return { ...base, type: "text", text: { body: m.text } };
    case "location":
      return {
        ...base,
        type: "location",
        location: {
          latitude: m.latitude,
          longitude: m.longitude,
          ...(m.name ? { name: m.name } : {}),
          ...(m.address ? { address: m.address } : {}),
        },
      };
    case "image":
      return {
        ...base,
        type: "image",
        image: {
          ...(m.caption ? { caption: m.caption } : {}),
          mime_type: m.mimeType ?? "image/jpeg",
          sha256: createHash("sha256").update(m.id).digest("base64"),
          id: m.id,
        },
      };
    case "list_reply":
      return {
        ...base,
        type: "interactive",
        interactive: { type: "list_reply", list_reply: { id: m.id, title: m.title } },
      };
    case "button_reply":
      return {
        ...base,
        type: "interactive",
        interactive: { type: "button_reply", button_reply: { id: m.id, title: m.title } },
      };
    case "other":
      return { ...base, type: m.messageType, [m.messageType]: { id: String(Date.now()) } };
  }
}

/** A Cloud API webhook payload: one inbound message and/or one delivery receipt. */
export function whatsAppWebhookPayload(o: {
  phoneNumberId: string;
  displayPhoneNumber?: string;
  from?: { waId: string; name?: string };
  message?: StubInbound;
  status?: {
    messageId: string;
    status: "sent" | "delivered" | "read" | "failed";
    recipient: string;
  };
  at?: Date;
}): Json {
  const at = o.at ?? new Date();
  const value: Json = {
    messaging_product: "whatsapp",
    metadata: {
      display_phone_number: o.displayPhoneNumber ?? "97235550000",
      phone_number_id: o.phoneNumberId,
    },
  };
  if (o.message && o.from) {
    value.contacts = [{ profile: { name: o.from.name ?? "Resident" }, wa_id: o.from.waId }];
    value.messages = [messageJson(o.from.waId, o.message, at)];
  }
  if (o.status) {
    value.statuses = [
      {
        id: o.status.messageId,
        status: o.status.status,
        timestamp: String(Math.floor(at.getTime() / 1000)),
        recipient_id: o.status.recipient,
        ...(o.status.status === "failed"
          ? { errors: [{ code: 131026, title: "Message undeliverable" }] }
          : {
              conversation: { id: randomBytes(16).toString("hex"), origin: { type: "service" } },
              pricing: { billable: true, pricing_model: "CBP", category: "service" },
            }),
      },
    ];
  }
  return {
    object: "whatsapp_business_account",
    entry: [{ id: "102290129340398", changes: [{ value, field: "messages" }] }],
  };
}

/** The body as Meta sends it (Unicode escaped as \uXXXX) and its X-Hub-Signature-256. */
export function signWhatsAppWebhook(
  payload: unknown,
  appSecret: string,
): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify(payload).replace(
    /[\u007f-\uffff]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return {
    body,
    headers: {
      "content-type": "application/json",
      "x-hub-signature-256": whatsAppSignature(body, appSecret),
      "user-agent": "facebookexternalua",
    },
  };
}

/** POSTs a signed webhook to `url`, as Meta would; `badSignature` signs with another secret. */
export async function sendWhatsAppWebhook(
  url: string,
  payload: unknown,
  o: { appSecret: string; badSignature?: boolean },
): Promise<Response> {
  const { body, headers } = signWhatsAppWebhook(
    payload,
    o.badSignature ? `${o.appSecret}-not` : o.appSecret,
  );
  return fetch(url, { method: "POST", headers, body });
}
