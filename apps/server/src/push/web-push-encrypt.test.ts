import { createECDH, randomBytes } from "node:crypto";
import ece from "http_ece";
import webpush from "web-push";
import { describe, expect, it } from "vitest";
import { encryptWebPush, WebPushKeyError } from "./web-push-encrypt.ts";

/** A browser's subscription keys: its private key stays here to decrypt. */
function subscriber() {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  return {
    ecdh,
    p256dh: ecdh.getPublicKey().toString("base64url"),
    auth: randomBytes(16).toString("base64url"),
  };
}

const decrypt = (body: Buffer, s: ReturnType<typeof subscriber>) =>
  ece
    .decrypt(body, { version: "aes128gcm", privateKey: s.ecdh, authSecret: s.auth })
    .toString("utf8");

describe("Web Push encryption (RFC 8291, aes128gcm)", () => {
  it("is read back by the reference decryption, in every script", () => {
    const s = subscriber();
    for (const text of [
      "",
      "שלום — מה שלומך? {statusLink}",
      JSON.stringify({ title: "طوارئ", body: "Всё в порядке? ሰላም ነዎት?", url: "https://x/ok/a" }),
      "x".repeat(3000),
    ]) {
      expect(decrypt(encryptWebPush(s.p256dh, s.auth, text), s)).toBe(text);
    }
  });

  it("has web-push's layout: 86-byte header with the sender key, 17 bytes of overhead", () => {
    const s = subscriber();
    const ours = encryptWebPush(s.p256dh, s.auth, "hello");
    const theirs = webpush.encrypt(s.p256dh, s.auth, "hello", "aes128gcm").cipherText;
    expect(ours.length).toBe(theirs.length);
    expect(ours.readUInt32BE(16)).toBe(theirs.readUInt32BE(16)); // record size
    expect(ours[20]).toBe(65);
    expect(ours.length).toBe(21 + 65 + 5 + 1 + 16);
  });

  it("uses a fresh sender key and salt for every message", () => {
    const s = subscriber();
    const a = encryptWebPush(s.p256dh, s.auth, "same");
    const b = encryptWebPush(s.p256dh, s.auth, "same");
    expect(a.subarray(0, 16).equals(b.subarray(0, 16))).toBe(false);
    expect(a.subarray(21, 86).equals(b.subarray(21, 86))).toBe(false);
  });

  it("cannot be read with another subscription's keys", () => {
    const s = subscriber();
    const other = subscriber();
    const body = encryptWebPush(s.p256dh, s.auth, "private");
    expect(() => decrypt(body, { ...other, auth: s.auth })).toThrow();
    expect(() => decrypt(body, { ...s, auth: other.auth })).toThrow();
  });

  it("refuses keys that are not a subscription's", () => {
    const s = subscriber();
    expect(() => encryptWebPush("AAAA", s.auth, "x")).toThrow(WebPushKeyError);
    const offCurve = Buffer.alloc(65, 1);
    offCurve[0] = 4;
    expect(() => encryptWebPush(offCurve.toString("base64url"), s.auth, "x")).toThrow(
      WebPushKeyError,
    );
    expect(() => encryptWebPush(s.p256dh, "c2hvcnQ", "x")).toThrow(WebPushKeyError);
    expect(() => encryptWebPush(s.p256dh, s.auth, "x".repeat(5000))).toThrow(WebPushKeyError);
  });
});
