import { afterAll, beforeAll, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startTestServer, type TestServer } from "../../test/harness.ts";
import { buildWorld, type World } from "../residents/residents.fixtures.ts";

/** A department with no trained classifier asks a configured OpenAI-compatible endpoint. */

let t: TestServer;
let w: World;
let llm: Server;
const asked: { model: string; auth: string | undefined }[] = [];

beforeAll(async () => {
  llm = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const parsed = JSON.parse(body) as { model: string };
      asked.push({ model: parsed.model, auth: req.headers.authorization });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          id: "chatcmpl-1",
          object: "chat.completion",
          choices: [
            {
              index: 0,
              message: {
                role: "assistant",
                content: JSON.stringify({
                  category: "housing",
                  confidence: 0.8,
                  rationale: "a leaking roof",
                }),
              },
              finish_reason: "stop",
            },
          ],
        }),
      );
    });
  });
  await new Promise<void>((ok) => llm.listen(0, "127.0.0.1", ok));
  const port = (llm.address() as AddressInfo).port;
  t = await startTestServer({
    NEEDS_LLM_URL: `http://127.0.0.1:${port}/v1`,
    NEEDS_LLM_API_KEY: "sk-test",
    NEEDS_LLM_MODEL: "local-model",
  });
  w = await buildWorld(t);
});
afterAll(async () => {
  await t?.close();
  await new Promise((ok) => llm?.close(ok));
});

it("asks the configured model when the department's own classifier has nothing to say", async () => {
  const res = await w.api.manager.get(
    `/api/needs/suggest?text=${encodeURIComponent("הגג דולף בכל פעם שיורד גשם")}`,
  );
  expect(res.statusCode).toBe(200);
  const s = res.json() as { category: string; source: string };
  expect(s).toMatchObject({ category: "housing", source: "llm" });
  expect(asked[0]).toEqual({ model: "local-model", auth: "Bearer sk-test" });
  const status = (await w.api.manager.get("/api/need-model")).json() as { llmConfigured: boolean };
  expect(status.llmConfigured).toBe(true);
});
