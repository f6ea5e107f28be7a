import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { createSmtpTransport, createTwilioTransport, TransportError } from "./transport.ts";
import { demoResident, startTestServer, signInManager } from "../test/harness.ts";
import { startTwilioStub } from "../channels/testing/twilio-stub.ts";

/** A local SMTP server that keeps what it receives. */
function startSmtp() {
  const received: { from: string; to: string[]; raw: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, done) {
      let raw = "";
      stream.on("data", (c: Buffer) => (raw += c.toString()));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
        });
        done();
      });
    },
  });
  return new Promise<{ port: number; received: typeof received; close: () => Promise<void> }>(
    (ok) => {
      server.listen(0, "127.0.0.1", () => {
        const port = (server.server.address() as AddressInfo).port;
        ok({ port, received, close: () => new Promise((r) => server.close(() => r())) });
      });
    },
  );
}

/** A local server speaking Twilio's Messages API: basic auth, form body, JSON answers. */
function startTwilio(sid: string, token: string) {
  const received: Record<string, string>[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const expectedAuth = `Basic ${Buffer.from(`${sid}:${token}`).toString("base64")}`;
      res.setHeader("content-type", "application/json");
      if (req.url !== `/2010-04-01/Accounts/${sid}/Messages.json` || req.method !== "POST") {
        res.statusCode = 404;
        return res.end(JSON.stringify({ code: 20404, message: "not found", status: 404 }));
      }
      if (req.headers.authorization !== expectedAuth) {
        res.statusCode = 401;
        return res.end(JSON.stringify({ code: 20003, message: "Authenticate", status: 401 }));
      }
      const form = Object.fromEntries(new URLSearchParams(body));
      if (!form.To || !form.Body || !form.From) {
        res.statusCode = 400;
        return res.end(
          JSON.stringify({ code: 21604, message: "A 'To' phone number is required.", status: 400 }),
        );
      }
      received.push(form);
      res.statusCode = 201;
      res.end(
        JSON.stringify({
          sid: `SM${received.length}`,
          status: "queued",
          to: form.To,
          from: form.From,
          body: form.Body,
        }),
      );
    });
  });
  return new Promise<{ url: string; received: typeof received; close: () => Promise<void> }>(
    (ok) => {
      server.listen(0, "127.0.0.1", () => {
        const port = (server.address() as AddressInfo).port;
        ok({
          url: `http://127.0.0.1:${port}`,
          received,
          close: () => new Promise((r) => server.close(() => r())),
        });
      });
    },
  );
}

let smtp: Awaited<ReturnType<typeof startSmtp>>;
let twilio: Awaited<ReturnType<typeof startTwilio>>;
beforeAll(async () => {
  smtp = await startSmtp();
  twilio = await startTwilio("AC123", "secret-token");
});
afterAll(async () => {
  await smtp.close();
  await twilio.close();
});

describe("message transports", () => {
  it("delivers e-mail over SMTP", async () => {
    const t = createSmtpTransport(
      `smtp://127.0.0.1:${smtp.port}`,
      "Kaveret <no-reply@example.org>",
    );
    await t.send({ channel: "email", to: "someone@example.org", subject: "Hello", body: "שלום" });
    const last = smtp.received.at(-1)!;
    expect(last.to).toEqual(["someone@example.org"]);
    expect(last.from).toBe("no-reply@example.org");
    expect(last.raw).toMatch(/Subject: Hello/);
  });

  it("sends SMS through the Twilio Messages API and reports its errors", async () => {
    const ok = createTwilioTransport({
      apiUrl: twilio.url,
      accountSid: "AC123",
      authToken: "secret-token",
      from: "+972500000000",
    });
    await ok.send({ channel: "sms", to: "+972501111111", body: "code 123456" });
    expect(twilio.received.at(-1)).toEqual({
      To: "+972501111111",
      From: "+972500000000",
      Body: "code 123456",
    });
    const wrong = createTwilioTransport({
      apiUrl: twilio.url,
      accountSid: "AC123",
      authToken: "bad",
      from: "+972500000000",
    });
    await expect(wrong.send({ channel: "sms", to: "+972501111111", body: "x" })).rejects.toThrow(
      /HTTP 401 \(code 20003\)/,
    );
  });

  it("tells a refusal for now (busy, down, unreachable) from a final one", async () => {
    const provider = await startTwilioStub();
    onTestFinished(() => provider.close());
    const sms = createTwilioTransport({
      apiUrl: provider.url,
      accountSid: provider.accountSid,
      authToken: provider.authToken,
      from: "+972500000000",
    });
    const error = (p: Promise<void>) =>
      p.then(
        () => null,
        (e: unknown) => e as TransportError,
      );
    const message = { channel: "sms", to: "+972501111111", body: "x" } as const;
    provider.failNext({ status: 429, code: 20429, message: "Too Many Requests" });
    expect((await error(sms.send(message)))?.retryable).toBe(true);
    provider.failNext({ status: 503, code: 20503, message: "Service Unavailable" });
    expect((await error(sms.send(message)))?.retryable).toBe(true);
    await sms.send(message);
    expect(provider.sent).toHaveLength(1);
    provider.failNext();
    const invalid = await error(sms.send(message));
    expect(invalid).toBeInstanceOf(TransportError);
    expect(invalid?.retryable).toBe(false);
    const nowhere = createTwilioTransport({
      apiUrl: "http://127.0.0.1:9",
      accountSid: "AC123",
      authToken: "secret-token",
      from: "+972500000000",
    });
    expect((await error(nowhere.send(message)))?.retryable).toBe(true);
    const mailNowhere = createSmtpTransport("smtp://127.0.0.1:9", "k@example.org");
    expect(
      (await error(mailNowhere.send({ channel: "email", to: "a@example.org", body: "x" })))
        ?.retryable,
    ).toBe(true);
  });

  it("sends a resident's one-time codes through the configured providers", async () => {
    const t = await startTestServer({
      EMAIL_TRANSPORT: "smtp",
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      SMS_TRANSPORT: "twilio",
      TWILIO_ACCOUNT_SID: "AC123",
      TWILIO_AUTH_TOKEN: "secret-token",
      TWILIO_FROM: "Kaveret",
      TWILIO_API_URL: twilio.url,
    });
    try {
      await t.app.inject({
        method: "POST",
        url: "/api/auth/email-otp/send-verification-otp",
        payload: { email: demoResident.email, type: "sign-in" },
      });
      expect(smtp.received.at(-1)!.to).toEqual([demoResident.email]);
      await t.app.inject({
        method: "POST",
        url: "/api/auth/phone-number/send-otp",
        payload: { phoneNumber: demoResident.phoneNumber },
      });
      const sms = twilio.received.at(-1)!;
      expect(sms.To).toBe(demoResident.phoneNumber);
      expect(sms.Body).toMatch(/\d{6}/);
    } finally {
      await t.close();
    }
  });

  it("withdraws an invitation whose e-mail could not be sent, and says so", async () => {
    const closed = await startSmtp();
    await closed.close(); // nothing listens on this port any more
    const t = await startTestServer({
      EMAIL_TRANSPORT: "smtp",
      SMTP_URL: `smtp://127.0.0.1:${closed.port}`,
    });
    try {
      const manager = await signInManager(t.app);
      const res = await manager.post("/api/invitations", {
        email: "lost@example.org",
        name: "אבוד",
        role: "volunteer",
      });
      expect(res.statusCode).toBe(502);
      expect(res.json().error.code).toBe("invitation.not_sent");
      const open = (await manager.get("/api/invitations")).json() as { items: { email: string }[] };
      expect(open.items.map((i) => i.email)).not.toContain("lost@example.org");
    } finally {
      await t.close();
    }
  });
});
