import { schema, type Db } from "@kaveret/db";
import nodemailer from "nodemailer";
import type { Config } from "../config/env.ts";

export type OutgoingMessage = {
  channel: "email" | "sms";
  to: string;
  subject?: string;
  body: string;
  /** Where the provider reports delivery (Twilio's StatusCallback); ignored by others. */
  statusCallback?: string;
};

/**
 * Every message that leaves Kaveret (one-time codes, invitations, later
 * broadcasts) goes through a transport. The local transport really delivers —
 * into the dev_outbox table, shown on /dev/outbox — so development and tests
 * need no outside service; providers (SMTP, a Twilio-compatible SMS API) are
 * chosen by configuration, per channel.
 */
export interface MessageTransport {
  readonly name: string;
  send(message: OutgoingMessage): Promise<void>;
}

export class TransportError extends Error {
  constructor(
    public readonly transport: string,
    message: string,
    /** Worth trying again later: the provider was busy or unreachable (429, 5xx, network). */
    public readonly retryable = false,
  ) {
    super(`${transport}: ${message}`);
  }
}

export function createLocalTransport(db: Db): MessageTransport {
  return {
    name: "local",
    async send(message) {
      await db.insert(schema.devOutbox).values({
        channel: message.channel,
        to: message.to,
        subject: message.subject ?? null,
        body: message.body,
      });
    },
  };
}

export function createSmtpTransport(url: string, from: string): MessageTransport {
  const mailer = nodemailer.createTransport(url);
  return {
    name: "smtp",
    async send(message) {
      try {
        await mailer.sendMail({
          from,
          to: message.to,
          subject: message.subject ?? "",
          text: message.body,
        });
      } catch (err) {
        // SMTP 4xx replies are temporary, 5xx permanent; no reply at all (connection) is temporary.
        const code = (err as { responseCode?: unknown }).responseCode;
        const reply = typeof code === "number" ? code : null;
        throw new TransportError(
          "smtp",
          reply ? `reply ${reply}` : "connection",
          reply === null || (reply >= 400 && reply < 500),
        );
      }
    },
  };
}

/** Twilio's Messages API (and compatible gateways): form-encoded POST with basic auth. */
export function createTwilioTransport(o: {
  apiUrl: string;
  accountSid: string;
  authToken: string;
  from: string;
}): MessageTransport {
  const endpoint = `${o.apiUrl.replace(/\/$/, "")}/2010-04-01/Accounts/${encodeURIComponent(o.accountSid)}/Messages.json`;
  const auth = `Basic ${Buffer.from(`${o.accountSid}:${o.authToken}`).toString("base64")}`;
  return {
    name: "twilio",
    async send(message) {
      let res: Response;
      try {
        res = await fetch(endpoint, {
          method: "POST",
          headers: { authorization: auth, "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({
            To: message.to,
            From: o.from,
            Body: message.body,
            ...(message.statusCallback ? { StatusCallback: message.statusCallback } : {}),
          }),
          signal: AbortSignal.timeout(10_000),
        });
      } catch {
        throw new TransportError("twilio", "unreachable", true);
      }
      if (!res.ok) {
        // The provider's error code, never the message body (it holds the code sent).
        const detail = (await res.json().catch(() => ({}))) as { code?: number };
        throw new TransportError(
          "twilio",
          `HTTP ${res.status}${detail.code ? ` (code ${detail.code})` : ""}`,
          res.status === 429 || res.status >= 500,
        );
      }
    },
  };
}

/** Routes each message to the transport configured for its channel. */
export function createTransport(config: Config, db: Db): MessageTransport {
  const local = createLocalTransport(db);
  const email =
    config.EMAIL_TRANSPORT === "smtp" && config.SMTP_URL
      ? createSmtpTransport(config.SMTP_URL, config.EMAIL_FROM)
      : local;
  const sms =
    config.SMS_TRANSPORT === "twilio" &&
    config.TWILIO_ACCOUNT_SID &&
    config.TWILIO_AUTH_TOKEN &&
    config.TWILIO_FROM
      ? createTwilioTransport({
          apiUrl: config.TWILIO_API_URL,
          accountSid: config.TWILIO_ACCOUNT_SID,
          authToken: config.TWILIO_AUTH_TOKEN,
          from: config.TWILIO_FROM,
        })
      : local;
  return {
    name: `email:${email.name},sms:${sms.name}`,
    send: (message) => (message.channel === "email" ? email : sms).send(message),
  };
}
