import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createLlmSuggester, redactContacts, type LlmCategory } from "./llm-adapter.ts";

const CATEGORIES: LlmCategory[] = [
  { code: "food", label: "מזון" },
  { code: "cleanliness", label: "ניקיון" },
  { code: "public_space", label: "מרחב ציבורי" },
];

type Received = { path: string; authorization: string | undefined; body: Record<string, unknown> };
type Reply = (res: ServerResponse) => void;

/** An OpenAI-compatible chat-completions server whose next answer each test chooses. */
let server: Server;
let baseUrl: string;
let reply: Reply;
const received: Received[] = [];

const completion =
  (content: string): Reply =>
  (res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        id: "chatcmpl-1",
        object: "chat.completion",
        model: "test-model",
        choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content } }],
      }),
    );
  };

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString()));
    req.on("end", () => {
      received.push({
        path: req.url ?? "",
        authorization: req.headers.authorization,
        body: JSON.parse(raw || "{}") as Record<string, unknown>,
      });
      reply(res);
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((done) => server.close(() => done()));
});

beforeEach(() => {
  received.length = 0;
});

describe("LLM suggester", () => {
  it("sends a JSON-only instruction with the categories and reads the answer", async () => {
    reply = completion(
      '{"category": "cleanliness", "confidence": 0.92, "rationale": "Garbage not collected."}',
    );
    const suggester = createLlmSuggester({
      baseUrl,
      apiKey: "sk-test",
      model: "test-model",
      timeoutMs: 2000,
    });
    const suggestion = await suggester.suggest("הפחים לא פונו כבר שבוע", CATEGORIES);
    expect(suggestion).toEqual({
      category: "cleanliness",
      confidence: 0.92,
      rationale: "Garbage not collected.",
    });
    const [request] = received;
    expect(request!.path).toBe("/v1/chat/completions");
    expect(request!.authorization).toBe("Bearer sk-test");
    expect(request!.body.model).toBe("test-model");
    const messages = request!.body.messages as { role: string; content: string }[];
    expect(messages[0]!.content).toContain("- cleanliness: ניקיון");
    expect(messages[0]!.content).toContain("JSON");
    expect(messages[1]).toEqual({ role: "user", content: "הפחים לא פונו כבר שבוע" });
    expect(request!.body.response_format).toBeUndefined();
  });

  it("accepts fenced JSON, prose around it, a label for a code, and a confidence as a string", async () => {
    reply = completion(
      'Sure! ```json\n{"category": "מזון", "confidence": "1.7", "rationale": "  No food at home.  "}\n```',
    );
    const suggester = createLlmSuggester({ baseUrl, model: "m", timeoutMs: 2000 });
    expect(await suggester.suggest("אין אוכל", CATEGORIES)).toEqual({
      category: "food",
      confidence: 1,
      rationale: "No food at home.",
    });
    expect(received[0]!.authorization).toBeUndefined();
  });

  it("gives null with a typed reason for a malformed answer", async () => {
    const failures: string[] = [];
    const suggester = createLlmSuggester({
      baseUrl,
      model: "m",
      timeoutMs: 2000,
      onFailure: (reason) => failures.push(reason),
    });
    reply = completion("I think this is about garbage.");
    expect(await suggester.suggest("הפחים", CATEGORIES)).toBeNull();
    reply = completion('{"category": "cleanliness", "confidence": 0.9'); // cut off
    expect(await suggester.suggestDetailed("הפחים", CATEGORIES)).toMatchObject({
      ok: false,
      reason: "bad_json",
    });
    reply = completion('{"category": "garbage", "confidence": 0.9}');
    expect(await suggester.suggestDetailed("הפחים", CATEGORIES)).toMatchObject({
      ok: false,
      reason: "unknown_category",
    });
    reply = completion('{"label": "cleanliness"}');
    expect(await suggester.suggestDetailed("הפחים", CATEGORIES)).toMatchObject({
      ok: false,
      reason: "bad_shape",
    });
    reply = (res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"choices": []}');
    };
    expect(await suggester.suggestDetailed("הפחים", CATEGORIES)).toMatchObject({
      ok: false,
      reason: "bad_shape",
    });
    reply = (res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>proxy error</html>");
    };
    expect(await suggester.suggestDetailed("הפחים", CATEGORIES)).toMatchObject({
      ok: false,
      reason: "bad_json",
    });
    expect(failures).toEqual([
      "bad_json",
      "bad_json",
      "unknown_category",
      "bad_shape",
      "bad_shape",
      "bad_json",
    ]);
  });

  it("gives null on an HTTP error", async () => {
    reply = (res) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end('{"error": {"message": "model overloaded"}}');
    };
    const suggester = createLlmSuggester({ baseUrl, model: "m", timeoutMs: 2000 });
    expect(await suggester.suggest("הפחים", CATEGORIES)).toBeNull();
    expect(await suggester.suggestDetailed("הפחים", CATEGORIES)).toEqual({
      ok: false,
      reason: "http_error",
      detail: "HTTP 500",
    });
  });

  it("gives up after the timeout", async () => {
    reply = (res) => {
      setTimeout(() => completion('{"category": "food"}')(res), 1500);
    };
    const suggester = createLlmSuggester({ baseUrl, model: "m", timeoutMs: 150 });
    const started = Date.now();
    expect(await suggester.suggestDetailed("אין אוכל", CATEGORIES)).toMatchObject({
      ok: false,
      reason: "timeout",
    });
    expect(Date.now() - started).toBeLessThan(1400);
  });

  it("gives null when nothing listens, and never throws", async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, "127.0.0.1", done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((done) => closed.close(() => done()));
    const suggester = createLlmSuggester({
      baseUrl: `http://127.0.0.1:${port}/v1`,
      model: "m",
      timeoutMs: 2000,
      onFailure: () => {
        throw new Error("a broken logger");
      },
    });
    await expect(suggester.suggestDetailed("אין אוכל", CATEGORIES)).resolves.toMatchObject({
      ok: false,
      reason: "network_error",
    });
  });

  it("sends nothing for an empty text or no categories", async () => {
    const suggester = createLlmSuggester({ baseUrl, model: "m", timeoutMs: 2000 });
    expect(await suggester.suggestDetailed("   ", CATEGORIES)).toMatchObject({
      reason: "empty_text",
    });
    expect(await suggester.suggestDetailed("אין אוכל", [])).toMatchObject({ reason: "empty_text" });
    expect(received).toHaveLength(0);
  });

  it("masks phone numbers and e-mail addresses before sending, asks for JSON mode when told", async () => {
    reply = completion('{"category": "food", "confidence": 0.8, "rationale": "x"}');
    const suggester = createLlmSuggester({
      baseUrl: `${baseUrl}/`,
      path: "/chat/completions",
      model: "m",
      timeoutMs: 2000,
      jsonMode: true,
    });
    await suggester.suggest(
      "אין אוכל, תתקשרו 050-123 4567 או dana@example.com, דירה 12",
      CATEGORIES,
    );
    const messages = received[0]!.body.messages as { content: string }[];
    expect(messages[1]!.content).toBe("אין אוכל, תתקשרו [phone] או [email], דירה 12");
    expect(received[0]!.path).toBe("/v1/chat/completions");
    expect(received[0]!.body.response_format).toEqual({ type: "json_object" });
  });
});

describe("redaction", () => {
  it("masks phone numbers in local and international forms, keeps short numbers", () => {
    expect(redactContacts("+972 50-123-4567")).toBe("[phone]");
    expect(redactContacts("0501234567")).toBe("[phone]");
    expect(redactContacts("(04) 123-4567")).toBe("[phone]");
    expect(redactContacts('קומה 3, דירה 12, 1000 ש"ח')).toBe('קומה 3, דירה 12, 1000 ש"ח');
  });
});
