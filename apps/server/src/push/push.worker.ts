// A push worker thread: encrypts each message for its subscription (RFC 8291, aes128gcm)
// and POSTs it to the push service (RFC 8030) with the VAPID header the main thread signed
// once per origin. Only Node built-ins and our own built-ins-only encryption here: this file
// runs as plain type-stripped TypeScript in a worker.
import { parentPort } from "node:worker_threads";
import http from "node:http";
import https from "node:https";
import { encryptWebPush } from "./web-push-encrypt.ts";

type Message = {
  endpoint: string;
  p256dh: string;
  auth: string;
  payload: string;
  authorization: string;
  ttl: number;
  urgency: "normal" | "high";
};
type Request = { id: number; messages: Message[] };
type Result = { status: number; error: string | null };

/** Requests in flight per worker (and keep-alive sockets per push service). */
const LANES = 48;

const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 64 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 64 }),
};

function post(m: Message): Promise<Result> {
  let body: Buffer;
  try {
    body = encryptWebPush(m.p256dh, m.auth, m.payload);
  } catch {
    return Promise.resolve({ status: 0, error: "bad_keys" });
  }
  const url = new URL(m.endpoint);
  const secure = url.protocol === "https:";
  return new Promise((resolve) => {
    const req = (secure ? https : http).request(
      url,
      {
        method: "POST",
        agent: secure ? agents.https : agents.http,
        timeout: 10_000,
        headers: {
          authorization: m.authorization,
          "content-encoding": "aes128gcm",
          "content-type": "application/octet-stream",
          "content-length": body.length,
          ttl: String(m.ttl),
          urgency: m.urgency,
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, error: null }));
        res.on("error", () => resolve({ status: res.statusCode ?? 0, error: null }));
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", (err) =>
      resolve({ status: 0, error: err.message === "timeout" ? "timeout" : "network" }),
    );
    req.end(body);
  });
}

/**
 * Sends with a bounded number of lanes, each encrypting its next message only when its last
 * request is on the wire: the first messages leave at once instead of after the whole batch
 * is encrypted, and CPU (encryption) overlaps the network.
 */
async function sendAll(messages: Message[]): Promise<Result[]> {
  const results: Result[] = new Array<Result>(messages.length);
  let next = 0;
  const lane = async () => {
    while (next < messages.length) {
      const i = next++;
      results[i] = await post(messages[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(LANES, messages.length) }, lane));
  return results;
}

parentPort!.on("message", (request: Request | "close") => {
  if (request === "close") {
    agents.http.destroy();
    agents.https.destroy();
    parentPort!.close();
    return;
  }
  void sendAll(request.messages).then((results) =>
    parentPort!.postMessage({ id: request.id, results }),
  );
});
