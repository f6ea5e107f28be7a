import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from "node:crypto";

/** The secret as a KeyObject, made once: Node re-checks a string or Buffer key on every HMAC. */
let cached: { secret: string; key: KeyObject } | null = null;
const keyOf = (secret: string): KeyObject => {
  if (cached?.secret !== secret) cached = { secret, key: createSecretKey(Buffer.from(secret)) };
  return cached.key;
};

const COOKIE_NAMES = ["better-auth.session_token", "__Secure-better-auth.session_token"];

/**
 * Reads the session token from better-auth's signed cookie
 * (`encodeURIComponent(token + "." + base64(HMAC-SHA256(secret, token)))`) and
 * checks its signature, so each request needs one query for its session and
 * roles instead of a full trip through the auth library.
 * Returns null when there is no cookie or the signature is wrong.
 */
export function readSessionToken(cookieHeader: string | undefined, secret: string): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (!COOKIE_NAMES.includes(name)) continue;
    let value: string;
    try {
      value = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return null;
    }
    const dot = value.lastIndexOf(".");
    if (dot < 1) return null;
    const token = value.slice(0, dot);
    const signature = value.slice(dot + 1);
    if (signature.length !== 44 || !signature.endsWith("=")) return null;
    const expected = createHmac("sha256", keyOf(secret)).update(token).digest();
    const given = Buffer.from(signature, "base64");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    return token;
  }
  return null;
}
