import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, brotliDecompressSync, gunzipSync } from "node:zlib";
import { demoEmail, signIn, startTestServer, type TestServer } from "../test/harness.ts";

/**
 * Responses over 1 KB go compressed to a client that accepts it (the field device's first
 * sync is mostly JSON); the web app's files are sent as the build compressed them; event
 * streams are never compressed (a compressor would hold events back).
 */

let t: TestServer;
let cookie: string;
let webDir: string;
const script = `console.log(${JSON.stringify("שלום ".repeat(2000))});\n`;

beforeAll(async () => {
  webDir = mkdtempSync(join(tmpdir(), "kaveret-web-"));
  mkdirSync(join(webDir, "assets"));
  writeFileSync(join(webDir, "index.html"), "<!doctype html><title>Kaveret</title>");
  writeFileSync(join(webDir, "assets", "app.js"), script);
  writeFileSync(join(webDir, "assets", "app.js.br"), brotliCompressSync(script));
  t = await startTestServer({ SERVE_WEB: "true", WEB_DIST: webDir });
  cookie = await signIn(t.app, demoEmail("manager"));
});
afterAll(async () => {
  await t?.close();
  rmSync(webDir, { recursive: true, force: true });
});

const scope = async () => {
  const me = await t.app.inject({ method: "GET", url: "/api/me", headers: { cookie } });
  return (JSON.parse(me.body) as { scopes: { id: string }[] }).scopes[0]!.id;
};

describe("compression", () => {
  it("compresses a large API answer with brotli or gzip, the same JSON inside", async () => {
    const headers = { cookie, "x-kaveret-scope": await scope() };
    const url = "/api/residents?pageSize=50";
    const plain = await t.app.inject({ method: "GET", url, headers });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.rawPayload.length).toBeGreaterThan(5000);

    const br = await t.app.inject({
      method: "GET",
      url,
      headers: { ...headers, "accept-encoding": "br, gzip" },
    });
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
    expect(JSON.parse(brotliDecompressSync(br.rawPayload).toString())).toEqual(
      JSON.parse(plain.body),
    );

    const gz = await t.app.inject({
      method: "GET",
      url,
      headers: { ...headers, "accept-encoding": "gzip" },
    });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(JSON.parse(gunzipSync(gz.rawPayload).toString())).toEqual(JSON.parse(plain.body));
  });

  it("leaves small answers as they are", async () => {
    const res = await t.app.inject({
      method: "GET",
      url: "/api/health",
      headers: { "accept-encoding": "br, gzip" },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-encoding"]).toBeUndefined();
  });

  it("sends the web app's files compressed at build time", async () => {
    const br = await t.app.inject({
      method: "GET",
      url: "/assets/app.js",
      headers: { "accept-encoding": "br" },
    });
    expect(br.headers["content-encoding"]).toBe("br");
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(script);
    const plain = await t.app.inject({ method: "GET", url: "/assets/app.js" });
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body).toBe(script);
  });

  it("never compresses an event stream", async () => {
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = t.app.server.address() as AddressInfo;
    const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const req = httpRequest({
        host: "127.0.0.1",
        port,
        path: "/api/needs/stream",
        headers: {
          cookie,
          "x-kaveret-scope": "",
          "accept-encoding": "br, gzip",
        },
      });
      void scope().then((s) => {
        req.setHeader("x-kaveret-scope", s);
        req.on("response", (res) => {
          resolve(res.headers);
          req.destroy();
        });
        req.on("error", reject);
        req.end();
      });
    });
    expect(headers["content-type"]).toContain("text/event-stream");
    expect(headers["content-encoding"]).toBeUndefined();
  });
});
