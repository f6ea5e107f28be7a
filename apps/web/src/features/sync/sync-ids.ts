/*
 * Ids made on the device. crypto.randomUUID exists only in secure contexts (HTTPS,
 * localhost); municipal installations often start on plain HTTP, where
 * crypto.getRandomValues still works, so both ids are built from it.
 */

type Random = (bytes: Uint8Array<ArrayBuffer>) => Uint8Array<ArrayBuffer>;
const defaultRandom: Random = (b) => crypto.getRandomValues(b);

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
const format = (h: string) =>
  `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;

/**
 * A UUIDv7 (RFC 9562): 48 bits of milliseconds, then random bits. Command ids sort by
 * the time they were made, which keeps server-side logs readable; the outbox itself is
 * ordered by its own sequence, never by id.
 */
export function newCommandId(now: number = Date.now(), random: Random = defaultRandom): string {
  const b = random(new Uint8Array(16));
  let ms = Math.max(0, Math.floor(now));
  for (let i = 5; i >= 0; i--) {
    b[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  return format(hex(b));
}

/** A random UUIDv4 (for records made on the device: needs, answers). */
export function newRecordId(random: Random = defaultRandom): string {
  const b = random(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  return format(hex(b));
}

export const DEVICE_ID_KEY = "kaveret.deviceId";

/**
 * This browser's id, made once and kept in localStorage: it names the device in the
 * server's record of applied commands. It is not personal data, so sign-out keeps it.
 */
export function deviceId(storage: Pick<Storage, "getItem" | "setItem"> | null = safeStorage()) {
  const stored = storage?.getItem(DEVICE_ID_KEY);
  if (stored && stored.length >= 8) return stored;
  const id = newRecordId();
  try {
    storage?.setItem(DEVICE_ID_KEY, id);
  } catch {
    // Storage full or blocked: this page keeps a fresh id (the server only records it).
  }
  return id;
}

function safeStorage(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}
