import { describe, expect, it } from "vitest";
import {
  createFieldCipher,
  developmentFieldKeys,
  generateFieldKey,
  parseFieldKeys,
} from "./field-crypto.ts";

describe("field encryption", () => {
  it("round-trips, never stores the plaintext, and uses a fresh IV each time", () => {
    const cipher = createFieldCipher(developmentFieldKeys());
    const a = cipher.encrypt("סוכרת, אינסולין");
    const b = cipher.encrypt("סוכרת, אינסולין");
    expect(a).not.toContain("סוכרת");
    expect(a).not.toEqual(b);
    expect(cipher.decrypt(a)).toBe("סוכרת, אינסולין");
    expect(cipher.decryptJson(cipher.encryptJson(["lives_alone"]))).toEqual(["lives_alone"]);
  });

  it("refuses a tampered value", () => {
    const cipher = createFieldCipher(developmentFieldKeys());
    const stored = cipher.encrypt("123456782");
    const raw = Buffer.from(stored.split(":").pop()!, "base64");
    raw[raw.length - 1]! ^= 1;
    const tampered = `${stored.slice(0, stored.lastIndexOf(":") + 1)}${raw.toString("base64")}`;
    expect(() => cipher.decrypt(tampered)).toThrow();
  });

  it("rotates: a new key reads values written with the old one, and says they need rotation", () => {
    const oldKey = generateFieldKey("k1");
    const newKey = generateFieldKey("k2");
    const index = Buffer.alloc(32, 7).toString("base64");
    const before = createFieldCipher(parseFieldKeys(oldKey, index));
    const stored = before.encrypt("secret");
    const after = createFieldCipher(parseFieldKeys(`${newKey},${oldKey}`, index));
    expect(after.decrypt(stored)).toBe("secret");
    expect(after.needsRotation(stored)).toBe(true);
    expect(after.needsRotation(after.encrypt("secret"))).toBe(false);
    const withoutOld = createFieldCipher(parseFieldKeys(newKey, index));
    expect(() => withoutOld.decrypt(stored)).toThrow(/unknown key id k1/);
  });

  it("makes blind-index tokens per department: equal values match, other departments differ", () => {
    const cipher = createFieldCipher(developmentFieldKeys());
    const t1 = cipher.blindIndex("dep-a", "flag", "lives_alone");
    expect(cipher.blindIndex("dep-a", "flag", "lives_alone")).toBe(t1);
    expect(cipher.blindIndex("dep-b", "flag", "lives_alone")).not.toBe(t1);
    expect(cipher.blindIndex("dep-a", "flag", "disability")).not.toBe(t1);
    expect(t1).not.toContain("lives");
  });

  it("rejects malformed keys with a clear message", () => {
    expect(() => parseFieldKeys("nokey", Buffer.alloc(32).toString("base64"))).toThrow(/id:base64/);
    expect(() => parseFieldKeys("k:AAAA", Buffer.alloc(32).toString("base64"))).toThrow(/32 bytes/);
  });
});
