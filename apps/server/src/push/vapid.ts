import { createECDH, hkdfSync } from "node:crypto";
import webpush from "web-push";

export type VapidKeys = { publicKey: string; privateKey: string; subject: string };

/**
 * The server's VAPID key pair: from VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY when set, else
 * derived from AUTH_SECRET (HKDF), so every instance of one installation signs with the
 * same key and browsers' subscriptions survive restarts without a key store.
 */
export function vapidKeys(o: {
  authSecret: string;
  publicKey?: string | undefined;
  privateKey?: string | undefined;
  subject: string;
}): VapidKeys {
  if (o.publicKey && o.privateKey) {
    return { publicKey: o.publicKey, privateKey: o.privateKey, subject: o.subject };
  }
  for (let i = 0; ; i++) {
    const secret = Buffer.from(hkdfSync("sha256", o.authSecret, `kaveret-vapid-${i}`, "", 32));
    try {
      const ecdh = createECDH("prime256v1");
      ecdh.setPrivateKey(secret);
      return {
        publicKey: ecdh.getPublicKey().toString("base64url"),
        privateKey: secret.toString("base64url"),
        subject: o.subject,
      };
    } catch {
      // A scalar outside the curve's order (probability ~2^-32): derive the next one.
    }
  }
}

const LIFETIME_S = 12 * 3600;
const RENEW_BEFORE_S = 3600;

/**
 * The VAPID Authorization header per push-service origin, signed once and reused until an
 * hour before it expires: an ES256 signature per message would be the fan-out's bottleneck.
 */
export class VapidCache {
  private readonly byOrigin = new Map<string, { header: string; expires: number }>();
  constructor(
    private readonly keys: VapidKeys,
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  /** "vapid t=<jwt>, k=<public key>" for the endpoint's origin. */
  headerFor(endpoint: string): string {
    const origin = new URL(endpoint).origin;
    const now = this.now();
    const cached = this.byOrigin.get(origin);
    if (cached && cached.expires - RENEW_BEFORE_S > now) return cached.header;
    const expires = now + LIFETIME_S;
    const { Authorization } = webpush.getVapidHeaders(
      origin,
      this.keys.subject,
      this.keys.publicKey,
      this.keys.privateKey,
      "aes128gcm",
      expires,
    ) as { Authorization: string };
    this.byOrigin.set(origin, { header: Authorization, expires });
    return Authorization;
  }

  /** How many signatures are cached (for tests and the bench). */
  get size(): number {
    return this.byOrigin.size;
  }
}
