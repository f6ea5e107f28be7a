import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { twilioSignature } from "../twilio-webhook.ts";

/**
 * A local server speaking Twilio's Messages API for tests: basic auth,
 * form-encoded POST, JSON answers and Twilio's error JSON ({ code, message,
 * more_info, status }), plus media URLs that need the account's credentials.
 */
export type TwilioStub = {
  url: string;
  accountSid: string;
  authToken: string;
  /** Form fields of each message accepted, in order. */
  sent: Record<string, string>[];
  /** The next send is refused with this Twilio error (default: 21211 invalid 'To'). */
  failNext(error?: { status: number; code: number; message: string }): void;
  /** Serves bytes at a Twilio-shaped MediaUrl of this account; returns the URL. */
  addMedia(bytes: Buffer, contentType: string): string;
  close(): Promise<void>;
};

const sid = (prefix: string) => `${prefix}${randomBytes(16).toString("hex")}`;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => ok(Buffer.concat(chunks).toString("utf8")));
    req.on("error", fail);
  });
}

function twilioError(res: ServerResponse, status: number, code: number, message: string) {
  res.statusCode = status;
  res.setHeader("content-type", "application/json");
  res.end(
    JSON.stringify({
      code,
      message,
      more_info: `https://www.twilio.com/docs/errors/${code}`,
      status,
    }),
  );
}

export function startTwilioStub(
  o: { accountSid?: string; authToken?: string } = {},
): Promise<TwilioStub> {
  const accountSid = o.accountSid ?? sid("AC");
  const authToken = o.authToken ?? randomBytes(16).toString("hex");
  const sent: Record<string, string>[] = [];
  const media = new Map<string, { bytes: Buffer; contentType: string }>();
  let nextFailure: { status: number; code: number; message: string } | null = null;
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString("base64")}`;
  const accountPath = `/2010-04-01/Accounts/${accountSid}`;

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const path = (req.url ?? "").split("?")[0]!;
      if (!path.startsWith(`${accountPath}/`)) {
        return twilioError(res, 404, 20404, "The requested resource was not found");
      }
      if (req.headers.authorization !== expectedAuth) {
        return twilioError(res, 401, 20003, "Authenticate");
      }
      if (req.method === "GET" && media.has(path)) {
        const m = media.get(path)!;
        res.setHeader("content-type", m.contentType);
        res.setHeader("content-length", String(m.bytes.length));
        return res.end(m.bytes);
      }
      if (req.method !== "POST" || path !== `${accountPath}/Messages.json`) {
        return twilioError(res, 404, 20404, "The requested resource was not found");
      }
      const form = Object.fromEntries(new URLSearchParams(body));
      if (nextFailure) {
        const f = nextFailure;
        nextFailure = null;
        return twilioError(res, f.status, f.code, f.message);
      }
      if (!form.To) return twilioError(res, 400, 21604, "A 'To' phone number is required.");
      if (!form.From && !form.MessagingServiceSid) {
        return twilioError(res, 400, 21603, "A 'From' phone number is required.");
      }
      if (!form.Body && !form.MediaUrl) {
        return twilioError(res, 400, 21602, "Message body is required.");
      }
      if ((form.Body ?? "").length > 1600) {
        return twilioError(
          res,
          400,
          21617,
          "The concatenated message body exceeds the 1600 character limit.",
        );
      }
      sent.push(form);
      const now = new Date().toUTCString();
      res.statusCode = 201;
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({
          sid: sid("SM"),
          account_sid: accountSid,
          to: form.To,
          from: form.From ?? null,
          messaging_service_sid: form.MessagingServiceSid ?? null,
          body: form.Body ?? "",
          status: "queued",
          num_segments: "1",
          num_media: "0",
          direction: "outbound-api",
          api_version: "2010-04-01",
          date_created: now,
          date_updated: now,
          date_sent: null,
          error_code: null,
          error_message: null,
          uri: `${accountPath}/Messages/${sid("SM")}.json`,
        }),
      );
    })();
  });

  return new Promise((ok) => {
    server.listen(0, "127.0.0.1", () => {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      ok({
        url,
        accountSid,
        authToken,
        sent,
        failNext(error = { status: 400, code: 21211, message: "Invalid 'To' Phone Number" }) {
          nextFailure = error;
        },
        addMedia(bytes, contentType) {
          const path = `${accountPath}/Messages/${sid("MM")}/Media/${sid("ME")}`;
          media.set(path, { bytes, contentType });
          return `${url}${path}`;
        },
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}

/** The parameters Twilio posts for an inbound SMS/MMS (the ones it always sends, realistic values). */
export function twilioInboundParams(o: {
  from: string;
  to: string;
  body: string;
  accountSid?: string;
  media?: { url: string; contentType: string }[];
  location?: { lat: number; lon: number; address?: string; label?: string };
}): Record<string, string> {
  const messageSid = sid(o.media?.length ? "MM" : "SM");
  const params: Record<string, string> = {
    ToCountry: "IL",
    ToState: "",
    SmsMessageSid: messageSid,
    NumMedia: String(o.media?.length ?? 0),
    ToCity: "",
    FromZip: "",
    SmsSid: messageSid,
    FromState: "",
    SmsStatus: "received",
    FromCity: "",
    Body: o.body,
    FromCountry: "IL",
    To: o.to,
    ToZip: "",
    NumSegments: "1",
    MessageSid: messageSid,
    AccountSid: o.accountSid ?? sid("AC"),
    From: o.from,
    ApiVersion: "2010-04-01",
  };
  (o.media ?? []).forEach((m, i) => {
    params[`MediaUrl${i}`] = m.url;
    params[`MediaContentType${i}`] = m.contentType;
  });
  if (o.location) {
    params.Latitude = String(o.location.lat);
    params.Longitude = String(o.location.lon);
    if (o.location.address) params.Address = o.location.address;
    if (o.location.label) params.Label = o.location.label;
  }
  return params;
}

/** A webhook request as Twilio makes it: form body + X-Twilio-Signature for `signedUrl`. */
export function signTwilioWebhook(
  signedUrl: string,
  params: Record<string, string>,
  authToken: string,
): { body: string; headers: Record<string, string> } {
  return {
    body: new URLSearchParams(params).toString(),
    headers: {
      "content-type": "application/x-www-form-urlencoded; charset=utf-8",
      "x-twilio-signature": twilioSignature(authToken, signedUrl, params),
      "user-agent": "TwilioProxy/1.1",
      "i-twilio-idempotency-token": randomBytes(16).toString("hex"),
    },
  };
}

/**
 * POSTs a signed inbound webhook to `url`, as Twilio would. `signedUrl` is
 * the public URL Twilio knows (behind a proxy it differs from where the
 * request lands); `badSignature` sends a signature made with another token.
 */
export async function sendTwilioWebhook(
  url: string,
  params: Record<string, string>,
  o: { authToken: string; signedUrl?: string; badSignature?: boolean },
): Promise<Response> {
  const token = o.badSignature ? `${o.authToken}-not` : o.authToken;
  const { body, headers } = signTwilioWebhook(o.signedUrl ?? url, params, token);
  return fetch(url, { method: "POST", headers, body });
}
