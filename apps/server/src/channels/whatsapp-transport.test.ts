import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { OutboundReply } from "./conversation.ts";
import { MediaRefusedError } from "./media-download.ts";
import {
  createWhatsAppTransport,
  graphMessagesFor,
  listMessages,
  WhatsAppTransportError,
  type GraphMessage,
} from "./whatsapp-transport.ts";
import { startWhatsAppStub, type WhatsAppStub } from "./testing/whatsapp-stub.ts";

const TO = "+972501234567";

let stub: WhatsAppStub;
beforeAll(async () => {
  stub = await startWhatsAppStub();
});
afterAll(() => stub.close());

const transport = (over: Partial<Parameters<typeof createWhatsAppTransport>[0]> = {}) =>
  createWhatsAppTransport({
    baseUrl: stub.baseUrl,
    version: stub.version,
    phoneNumberId: stub.phoneNumberId,
    accessToken: stub.accessToken,
    ...over,
  });

const choice = (
  n: number,
  title = (i: number) => `Topic ${i}`,
): Extract<OutboundReply, { kind: "choice" }> => ({
  kind: "choice",
  text: "What is it about? Send the number.",
  button: "Choose a topic",
  moreText: "More topics",
  options: [
    ...Array.from({ length: n - 1 }, (_, i) => ({
      id: `cat:c${i + 1}`,
      number: String(i + 1),
      title: title(i + 1),
    })),
    { id: "cat:-", number: "0", title: "Not sure" },
  ],
});

async function caught(p: Promise<unknown>): Promise<WhatsAppTransportError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof WhatsAppTransportError) return err;
    throw err;
  }
  throw new Error("expected a WhatsAppTransportError");
}

describe("WhatsApp outbound messages", () => {
  it("sends text through the Graph messages endpoint and returns the wamid", async () => {
    const id = await transport().sendText(TO, "תודה! הדיווח התקבל.");
    expect(id).toMatch(/^wamid\./);
    expect(stub.sent.at(-1)).toEqual({
      id,
      body: {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        to: "972501234567",
        type: "text",
        text: { preview_url: false, body: "תודה! הדיווח התקבל." },
      },
    });
  });

  it("sends a choice of up to ten as one list, and pages thirteen into two lists the API accepts", async () => {
    const small = listMessages(TO, choice(5));
    expect(small).toHaveLength(1);
    const paged = listMessages(
      TO,
      choice(13, (i) => (i === 6 ? "Общественное пространство" : `Topic ${i}`)),
    )!;
    expect(paged).toHaveLength(2);
    const rows = (m: GraphMessage) =>
      m.type === "interactive" && m.interactive.type === "list"
        ? m.interactive.action.sections[0]!.rows
        : [];
    expect(rows(paged[0]!)).toHaveLength(10);
    expect(rows(paged[1]!).map((r) => r.id)).toEqual(["cat:c11", "cat:c12", "cat:-"]);
    // A title over 24 characters is shortened, the whole of it shown underneath.
    expect(rows(paged[0]!)[5]).toEqual({
      id: "cat:c6",
      title: "6. Общественное простра…",
      description: "Общественное пространство",
    });
    expect(rows(paged[0]!)[5]!.title).toHaveLength(24);

    const before = stub.sent.length;
    const ids = await transport().sendReplies(TO, [
      choice(13, (i) => (i === 6 ? "Общественное пространство" : `Topic ${i}`)),
    ]);
    expect(ids).toHaveLength(2);
    expect(
      stub.sent
        .slice(before)
        .map((s) => (s.body.interactive as { body: { text: string } }).body.text),
    ).toEqual(["What is it about? Send the number.", "More topics (2/2)"]);
  });

  it("falls back to numbered text when a choice would need more than three lists", async () => {
    const messages = graphMessagesFor(TO, choice(35));
    expect(messages).toHaveLength(1);
    expect(messages[0]!.type).toBe("text");
    const body = messages[0]!.type === "text" ? messages[0]!.text.body : "";
    expect(body).toContain("34. Topic 34");
    expect(body.split("\n").at(-1)).toBe("0. Not sure");
    await transport().sendReplies(TO, [choice(35)]);
    expect(stub.sent.at(-1)!.body.type).toBe("text");
  });

  it("asks for a location with WhatsApp's send-location button", async () => {
    await transport().sendReplies(TO, [{ kind: "location_request", text: "Where is it?" }]);
    expect(stub.sent.at(-1)!.body).toMatchObject({
      type: "interactive",
      interactive: {
        type: "location_request_message",
        body: { text: "Where is it?" },
        action: { name: "send_location" },
      },
    });
  });

  it("reports Graph errors with code, type and trace id — never the recipient or the text", async () => {
    stub.failNext();
    const err = await caught(transport().sendText(TO, "סוד של תושבת"));
    expect(err.status).toBe(400);
    expect(err.graph).toMatchObject({ code: 131030, type: "OAuthException" });
    expect(err.graph.fbtraceId).toMatch(/\w+/);
    expect(err.message).toMatch(
      /^whatsapp: HTTP 400 \(Graph code 131030, OAuthException, fbtrace_id /,
    );
    const everything = JSON.stringify({ ...err, message: err.message });
    expect(everything).not.toContain("סוד");
    expect(everything).not.toContain("501234567");

    const badToken = await caught(transport({ accessToken: "wrong" }).sendText(TO, "x"));
    expect([badToken.status, badToken.graph.code]).toEqual([401, 190]);

    const wrongNumber = await caught(transport({ phoneNumberId: "999" }).sendText(TO, "x"));
    expect([wrongNumber.graph.code, wrongNumber.graph.subcode]).toEqual([100, 33]);

    // What the API itself refuses (a row title over 24 characters) comes back the same way.
    const tooLong: GraphMessage = {
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "972501234567",
      type: "interactive",
      interactive: {
        type: "list",
        body: { text: "?" },
        action: { button: "Choose", sections: [{ rows: [{ id: "a", title: "x".repeat(25) }] }] },
      },
    };
    expect((await caught(transport().send(tooLong))).graph.code).toBe(131009);
  });

  it("reports an unreachable API as a network error", async () => {
    const closed = await startWhatsAppStub();
    await closed.close();
    const err = await caught(
      createWhatsAppTransport({
        baseUrl: closed.baseUrl,
        phoneNumberId: "1",
        accessToken: "t",
      }).sendText(TO, "x"),
    );
    expect(err.status).toBe(0);
    expect(err.message).toBe("whatsapp: network error");
  });
});

describe("WhatsApp media", () => {
  it("downloads a photo by media id, up to a size", async () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Array.from({ length: 100 }, (_, i) => i)]);
    const id = stub.addMedia(jpeg, "image/jpeg");
    const media = await transport().downloadMedia(id, { maxBytes: 1000 });
    expect(media.contentType).toBe("image/jpeg");
    expect(media.bytes.equals(jpeg)).toBe(true);
    await expect(transport().downloadMedia(id, { maxBytes: 50 })).rejects.toBeInstanceOf(
      MediaRefusedError,
    );
    const missing = await caught(transport().downloadMedia("424242", { maxBytes: 1000 }));
    expect(missing.graph.code).toBe(100);
  });

  it("will not fetch a media URL outside the provider's hosts", async () => {
    // A Graph look-alike that hands out an internal address.
    const server = createServer((_req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({
          url: "http://169.254.169.254/latest/meta-data",
          mime_type: "image/jpeg",
          id: "1",
        }),
      );
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    try {
      const t = createWhatsAppTransport({
        baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        phoneNumberId: "1",
        accessToken: "t",
      });
      const err = await t.downloadMedia("1", { maxBytes: 1000 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MediaRefusedError);
      expect((err as MediaRefusedError).reason).toBe("not_provider_url");
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
