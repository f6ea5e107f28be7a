import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  hkdfSync,
  randomBytes,
} from "node:crypto";

/**
 * Encryption of sensitive fields at rest (vulnerability flags, health notes, ID
 * numbers) with AES-256-GCM, and keyed blind indexes (HMAC-SHA-256) so such
 * fields can be filtered and matched without being decrypted in SQL.
 *
 * Stored form: `enc:v1:<keyId>:<base64(iv | tag | ciphertext)>`. The key id in
 * every value makes rotation possible: add a new key at the front of
 * DATA_ENCRYPTION_KEYS, keep the old ones after it, run `npm run keys:rotate`
 * (re-encrypts every value with the new key), then drop the old key.
 *
 * Blind indexes use their own key (DATA_INDEX_KEY) and the department id, so the
 * same flag has a different token in each department. They reveal equality
 * (two rows share a flag), never the value; changing DATA_INDEX_KEY needs the
 * rotation command too, which recomputes them.
 */
export type FieldKey = { id: string; key: Buffer };

export type FieldCipher = {
  /** Id of the key new values are written with. */
  readonly currentKeyId: string;
  encrypt(plain: string): string;
  decrypt(stored: string): string;
  encryptJson(value: unknown): string;
  decryptJson<T>(stored: string): T;
  /** Keyed token of a value within a department (filters, duplicate matching). */
  blindIndex(departmentId: string, kind: string, value: string): string;
  /** True when the value was written with an older key. */
  needsRotation(stored: string): boolean;
};

const PREFIX = "enc:v1:";

export class FieldCryptoError extends Error {}

export function createFieldCipher(options: { keys: FieldKey[]; indexKey: Buffer }): FieldCipher {
  if (options.keys.length === 0)
    throw new FieldCryptoError("at least one encryption key is needed");
  for (const k of options.keys) {
    if (k.key.length !== 32) throw new FieldCryptoError(`key ${k.id} must be 32 bytes`);
    if (!/^[\w-]{1,32}$/.test(k.id)) throw new FieldCryptoError(`bad key id ${k.id}`);
  }
  // Key objects made once: Node converts a raw Buffer key on every call otherwise
  // (measured: HMAC ~10× and AES-GCM ~4× faster with key objects).
  const current = { id: options.keys[0]!.id, key: createSecretKey(options.keys[0]!.key) };
  const byId = new Map(options.keys.map((k) => [k.id, createSecretKey(k.key)]));
  const indexKey = createSecretKey(options.indexKey);

  const encrypt = (plain: string): string => {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", current.key, iv);
    const ct = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    const tag = cipher.getAuthTag();
    return `${PREFIX}${current.id}:${Buffer.concat([iv, tag, ct]).toString("base64")}`;
  };

  const decrypt = (stored: string): string => {
    if (!stored.startsWith(PREFIX)) throw new FieldCryptoError("not an encrypted value");
    const rest = stored.slice(PREFIX.length);
    const sep = rest.indexOf(":");
    const keyId = rest.slice(0, sep);
    const key = byId.get(keyId);
    if (!key)
      throw new FieldCryptoError(`unknown key id ${keyId}: is it still in DATA_ENCRYPTION_KEYS?`);
    const raw = Buffer.from(rest.slice(sep + 1), "base64");
    const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
  };

  return {
    currentKeyId: current.id,
    encrypt,
    decrypt,
    encryptJson: (value) => encrypt(JSON.stringify(value)),
    decryptJson: <T>(stored: string) => JSON.parse(decrypt(stored)) as T,
    blindIndex: (departmentId, kind, value) =>
      createHmac("sha256", indexKey)
        .update(`${departmentId}\u0000${kind}\u0000${value}`)
        .digest("base64url")
        .slice(0, 22),
    needsRotation: (stored) => !stored.startsWith(`${PREFIX}${current.id}:`),
  };
}

/**
 * Parses DATA_ENCRYPTION_KEYS ("id:base64key,id2:base64key" — the first is current)
 * and DATA_INDEX_KEY (base64). Throws FieldCryptoError naming what is wrong.
 */
export function parseFieldKeys(
  encryptionKeys: string,
  indexKey: string,
): { keys: FieldKey[]; indexKey: Buffer } {
  const keys = encryptionKeys
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const sep = part.indexOf(":");
      if (sep < 1) throw new FieldCryptoError("each key is written id:base64");
      const key = Buffer.from(part.slice(sep + 1), "base64");
      if (key.length !== 32)
        throw new FieldCryptoError(`key ${part.slice(0, sep)} is not 32 bytes of base64`);
      return { id: part.slice(0, sep), key };
    });
  const index = Buffer.from(indexKey, "base64");
  if (index.length < 32)
    throw new FieldCryptoError("the index key must be at least 32 bytes of base64");
  return { keys, indexKey: index };
}

/** Development and test keys, derived from a fixed phrase: never for real data (refused in production). */
export function developmentFieldKeys(): { keys: FieldKey[]; indexKey: Buffer } {
  const derive = (info: string) =>
    Buffer.from(hkdfSync("sha256", "kaveret-development-only", "kaveret", info, 32));
  return { keys: [{ id: "dev", key: derive("fields") }], indexKey: derive("index") };
}

/** A new random key in the DATA_ENCRYPTION_KEYS format (for the README's instructions). */
export function generateFieldKey(id: string): string {
  return `${id}:${randomBytes(32).toString("base64")}`;
}
