import { describe, expect, it } from "vitest";
import { ChannelError } from "./channel-errors.ts";
import {
  publicWebhookUrl,
  readTwilioWebhook,
  twilioConversationInput,
  twilioSignature,
  twimlReply,
  verifyTwilioSignature,
} from "./twilio-webhook.ts";
import { signTwilioWebhook, twilioInboundParams } from "./testing/twilio-stub.ts";

const TOKEN = "12345-auth-token";
const URL_ = "https://city.example.gov.il/api/channels/sms?dept=demo";

function inbound(over: Partial<Parameters<typeof twilioInboundParams>[0]> = {}) {
  return twilioInboundParams({
    from: "+972501234567",
    to: "+972535550000",
    body: "הפנס ברחוב שבור",
    accountSid: "AC00000000000000000000000000000000",
    ...over,
  });
}

function caught(fn: () => unknown): ChannelError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ChannelError) return err;
    throw err;
  }
  throw new Error("expected a ChannelError");
}

describe("Twilio webhook signature", () => {
  it("matches Twilio's published example", () => {
    // From Twilio's security documentation (auth token 12345).
    const signature = twilioSignature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", {
      CallSid: "CA1234567890ABCDE",
      Caller: "+14158675310",
      Digits: "1234",
      From: "+14158675310",
      To: "+18005551212",
    });
    expect(signature).toBe("GvWf1cFY/Q7PnoempGyD5oXAezc=");
  });

  it("accepts a correctly signed request and reads the message", () => {
    const { body, headers } = signTwilioWebhook(URL_, inbound(), TOKEN);
    const message = readTwilioWebhook({
      authToken: TOKEN,
      url: URL_,
      rawBody: Buffer.from(body),
      signature: headers["x-twilio-signature"],
    });
    expect(message).toMatchObject({
      via: "sms",
      from: "+972501234567",
      to: "+972535550000",
      body: "הפנס ברחוב שבור",
      media: [],
      location: null,
    });
    expect(message.messageSid).toMatch(/^SM[0-9a-f]{32}$/);
  });

  it("refuses a wrong token, a tampered parameter, a missing header and another URL", () => {
    const params = inbound();
    const { body, headers } = signTwilioWebhook(URL_, params, TOKEN);
    const signature = headers["x-twilio-signature"];
    const read = (o: { token?: string; url?: string; raw?: string; sig?: string | undefined }) =>
      caught(() =>
        readTwilioWebhook({
          authToken: o.token ?? TOKEN,
          url: o.url ?? URL_,
          rawBody: o.raw ?? body,
          signature: "sig" in o ? o.sig : signature,
        }),
      );

    expect(read({ token: "another-token" }).code).toBe("channel.bad_signature");
    const tampered = new URLSearchParams(body);
    tampered.set("Body", "הפנס ברחוב תקין");
    expect(read({ raw: tampered.toString() }).code).toBe("channel.bad_signature");
    const added = new URLSearchParams(body);
    added.append("Extra", "1");
    expect(read({ raw: added.toString() }).code).toBe("channel.bad_signature");
    expect(read({ sig: undefined }).status).toBe(403);
    expect(read({ sig: "" }).code).toBe("channel.bad_signature");
    expect(read({ url: "https://city.example.gov.il/api/channels/sms" }).code).toBe(
      "channel.bad_signature",
    );
    expect(read({ url: "http://city.example.gov.il/api/channels/sms?dept=demo" }).code).toBe(
      "channel.bad_signature",
    );
    expect(read({ url: "https://evil.example.com/api/channels/sms?dept=demo" }).code).toBe(
      "channel.bad_signature",
    );
    expect(read({ url: "not a url" }).code).toBe("channel.bad_signature");
  });

  it("checks the signature before reading the body (a malformed unsigned body is a bad signature)", () => {
    expect(
      caught(() =>
        readTwilioWebhook({ authToken: TOKEN, url: URL_, rawBody: "x=1", signature: "abc" }),
      ).code,
    ).toBe("channel.bad_signature");
  });

  it("accepts the URL with or without its default port, as Twilio signs either", () => {
    const params = inbound();
    const withPort = twilioSignature(TOKEN, "https://city.example.gov.il:443/hook", params);
    expect(
      verifyTwilioSignature({
        authToken: TOKEN,
        url: "https://city.example.gov.il/hook",
        params,
        signature: withPort,
      }),
    ).toBe(true);
    const without = twilioSignature(TOKEN, "https://city.example.gov.il/hook", params);
    expect(
      verifyTwilioSignature({
        authToken: TOKEN,
        url: "https://city.example.gov.il:443/hook",
        params,
        signature: without,
      }),
    ).toBe(true);
    expect(
      verifyTwilioSignature({
        authToken: TOKEN,
        url: "https://city.example.gov.il:8443/hook",
        params,
        signature: without,
      }),
    ).toBe(true);
    expect(
      verifyTwilioSignature({
        authToken: "",
        url: "https://city.example.gov.il/hook",
        params,
        signature: without,
      }),
    ).toBe(false);
  });

  it("signs repeated parameters as Twilio does (each distinct value, sorted)", () => {
    const params = new URLSearchParams("b=2&a=1&a=3&a=1");
    const expected = twilioSignature(TOKEN, "https://x.example/h", { a: "1", b: "2" });
    // a1 a3 b2 differs from a1 b2.
    expect(twilioSignature(TOKEN, "https://x.example/h", params)).not.toBe(expected);
    const reordered = new URLSearchParams("a=3&a=1&b=2");
    expect(twilioSignature(TOKEN, "https://x.example/h", params)).toBe(
      twilioSignature(TOKEN, "https://x.example/h", reordered),
    );
  });

  it("rebuilds the public URL behind a proxy from PUBLIC_URL and the request path", () => {
    expect(publicWebhookUrl("https://city.example.gov.il/", "/api/channels/sms?dept=demo")).toBe(
      URL_,
    );
    expect(publicWebhookUrl("https://city.example.gov.il/kaveret", "/api/channels/sms")).toBe(
      "https://city.example.gov.il/kaveret/api/channels/sms",
    );
  });
});

describe("Twilio webhook payload", () => {
  const read = (params: Record<string, string>) => {
    const { body, headers } = signTwilioWebhook(URL_, params, TOKEN);
    return readTwilioWebhook({
      authToken: TOKEN,
      url: URL_,
      rawBody: body,
      signature: headers["x-twilio-signature"],
    });
  };

  it("reads photos (MMS) and a WhatsApp-through-Twilio location", () => {
    const message = read(
      inbound({
        from: "whatsapp:+972501234567",
        to: "whatsapp:+972535550000",
        body: "",
        media: [
          {
            url: "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1",
            contentType: "image/jpeg",
          },
          {
            url: "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME2",
            contentType: "audio/ogg",
          },
        ],
        location: { lat: 32.0853, lon: 34.7818, address: "הרצל 10, תל אביב", label: "גן" },
      }),
    );
    expect(message.via).toBe("whatsapp");
    expect(message.from).toBe("+972501234567");
    expect(message.media).toHaveLength(2);
    expect(message.location).toEqual({
      lat: 32.0853,
      lon: 34.7818,
      name: "גן",
      address: "הרצל 10, תל אביב",
    });
    // Only the photo goes to the conversation; the voice note is not a picture.
    expect(twilioConversationInput(message)).toEqual({
      text: "",
      location: { lat: 32.0853, lon: 34.7818, name: "גן", address: "הרצל 10, תל אביב" },
      mediaIds: ["https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1"],
    });
  });

  it("refuses missing fields and wrong types as channel.malformed_payload, naming fields not values", () => {
    const cases: [string, Record<string, string>][] = [
      ["From", (({ From: _f, ...rest }) => rest)(inbound())],
      ["MessageSid", (({ MessageSid: _m, ...rest }) => rest)(inbound())],
      ["NumMedia", { ...inbound(), NumMedia: "many" }],
      ["Latitude", { ...inbound(), Latitude: "32.1" }],
      ["Latitude", { ...inbound(), Latitude: "123.4", Longitude: "34.7" }],
      ["url", { ...inbound(), NumMedia: "1" }],
      [
        "url",
        {
          ...inbound(),
          NumMedia: "1",
          MediaUrl0: "javascript:alert(1)",
          MediaContentType0: "image/png",
        },
      ],
    ];
    for (const [field, params] of cases) {
      const err = caught(() => read(params));
      expect(err.code, field).toBe("channel.malformed_payload");
      expect(err.status).toBe(400);
      expect(JSON.stringify(err.details)).toContain(field);
      expect(JSON.stringify(err.details)).not.toContain("הפנס");
    }
  });
});

describe("TwiML reply", () => {
  it("escapes what XML cannot carry as text", () => {
    expect(twimlReply(`a & b < c > d "e" 'f'\u0007`)).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Message>a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;</Message></Response>',
    );
    expect(twimlReply("</Message><Redirect>https://evil</Redirect>")).not.toContain("<Redirect>");
  });

  it("answers several messages, or none", () => {
    expect(twimlReply(["תודה", "1. מזון"])).toContain(
      "<Message>תודה</Message><Message>1. מזון</Message>",
    );
    expect(twimlReply([])).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    // A lone half of an emoji would make the XML invalid.
    expect(twimlReply("x\uD83D")).toContain("<Message>x</Message>");
  });
});
