import { createECDH, createPublicKey, randomBytes, verify, type ECDH } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
// web-push's own decryption library (a dependency of web-push), to read what was sent.
import ece from "http_ece";

/**
 * A local push service speaking the Web Push protocol (RFC 8030 + VAPID, RFC 8292), for
 * tests and the broadcast benchmark: it accepts encrypted POSTs on /push/<id>, checks the
 * VAPID Authorization header (ES256 JWT for this origin, not expired; each distinct token
 * verified once), answers 201, or 404/410 for subscriptions marked gone. Subscriptions made
 * with `subscribe()` keep their private key, so `payloads(id)` can decrypt what arrived.
 */
export type PushStub = {
  origin: string;
  /** A browser-like subscription on this service (keys as PushSubscription.toJSON gives them). */
  subscribe(): { id: string; endpoint: string; keys: { p256dh: string; auth: string } };
  /** Marks a subscription gone: the next message to it is answered 410. */
  expire(id: string): void;
  /** The next `times` messages to a subscription are refused with `status` (busy: 429, 503). */
  refuse(id: string, times: number, status?: number): void;
  /** Decrypted payloads received for a subscription made with subscribe(). */
  payloads(id: string): string[];
  stats(): {
    accepted: number;
    refused: number;
    gone: number;
    first: number | null;
    last: number | null;
    verifiedTokens: number;
  };
  close(): Promise<void>;
};

type Keys = { ecdh: ECDH; auth: string };

function b64urlJson(part: string): Record<string, unknown> | null {
  try {
    return JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** Checks "vapid t=<jwt>, k=<key>": an ES256 signature by k over the JWT, aud = our origin. */
function vapidValid(header: string | undefined, origin: string): string | null {
  const m = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(header ?? "");
  if (!m) return null;
  const [token, key] = [m[1]!, m[2]!];
  const [h, p, s] = token.split(".") as [string, string, string];
  const head = b64urlJson(h);
  const claims = b64urlJson(p);
  if (head?.alg !== "ES256" || !claims) return null;
  if (claims.aud !== origin) return null;
  if (typeof claims.exp !== "number" || claims.exp < Date.now() / 1000) return null;
  if (typeof claims.sub !== "string" || !/^(mailto:|https:)/.test(claims.sub)) return null;
  const raw = Buffer.from(key, "base64url");
  if (raw.length !== 65) return null;
  const publicKey = createPublicKey({
    key: {
      kty: "EC",
      crv: "P-256",
      x: raw.subarray(1, 33).toString("base64url"),
      y: raw.subarray(33).toString("base64url"),
    },
    format: "jwk",
  });
  const ok = verify(
    "sha256",
    Buffer.from(`${h}.${p}`),
    { key: publicKey, dsaEncoding: "ieee-p1363" },
    Buffer.from(s, "base64url"),
  );
  return ok ? token : null;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export async function startPushStub(options: { decrypt?: boolean } = {}): Promise<PushStub> {
  const decrypt = options.decrypt ?? true;
  const keys = new Map<string, Keys>();
  const received = new Map<string, string[]>();
  const gone = new Set<string>();
  const refusals = new Map<string, { times: number; status: number }>();
  const verified = new Set<string>();
  const stats = { accepted: 0, refused: 0, gone: 0, first: null as number | null, last: 0 };
  let origin = "";

  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const m = /^\/push\/([\w-]+)$/.exec(req.url ?? "");
      if (req.method !== "POST" || !m) {
        res.writeHead(404).end();
        return;
      }
      const auth = req.headers.authorization;
      const token = /t=([^,]+),/.exec(auth ?? "")?.[1];
      if (!token || !verified.has(token)) {
        const valid = vapidValid(auth, origin);
        if (!valid) {
          stats.refused++;
          res.writeHead(401).end();
          return;
        }
        verified.add(valid);
      }
      if (req.headers["content-encoding"] !== "aes128gcm" || body.length < 86 || !req.headers.ttl) {
        stats.refused++;
        res.writeHead(400).end();
        return;
      }
      const id = m[1]!;
      if (gone.has(id)) {
        stats.gone++;
        res.writeHead(410).end();
        return;
      }
      const refusal = refusals.get(id);
      if (refusal && refusal.times > 0) {
        refusal.times--;
        stats.refused++;
        res.writeHead(refusal.status).end();
        return;
      }
      const k = keys.get(id);
      if (decrypt && k) {
        const plain = ece.decrypt(body, {
          version: "aes128gcm",
          privateKey: k.ecdh,
          authSecret: k.auth,
        }) as Buffer;
        const list = received.get(id) ?? [];
        list.push(plain.toString("utf8"));
        received.set(id, list);
      }
      const now = Date.now();
      stats.accepted++;
      stats.first ??= now;
      stats.last = now;
      res.writeHead(201, { location: `/message/${randomBytes(6).toString("hex")}` }).end();
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    subscribe() {
      const id = randomBytes(8).toString("hex");
      const ecdh = createECDH("prime256v1");
      ecdh.generateKeys();
      const auth = randomBytes(16).toString("base64url");
      keys.set(id, { ecdh, auth });
      return {
        id,
        endpoint: `${origin}/push/${id}`,
        keys: { p256dh: ecdh.getPublicKey().toString("base64url"), auth },
      };
    },
    expire: (id) => void gone.add(id),
    refuse: (id, times, status = 503) => void refusals.set(id, { times, status }),
    payloads: (id) => received.get(id) ?? [],
    stats: () => ({
      ...stats,
      last: stats.first === null ? null : stats.last,
      verifiedTokens: verified.size,
    }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
