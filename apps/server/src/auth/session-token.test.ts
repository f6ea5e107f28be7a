import { describe, expect, it } from "vitest";
import { createHmac } from "node:crypto";
import { readSessionToken } from "./session-token.ts";

const secret = "a-secret-that-is-long-enough-for-tests-0123";
const sign = (token: string, key = secret) =>
  encodeURIComponent(`${token}.${createHmac("sha256", key).update(token).digest("base64")}`);

describe("session cookie", () => {
  it("accepts a correctly signed token among other cookies", () => {
    expect(readSessionToken(`a=1; better-auth.session_token=${sign("abc123")}; b=2`, secret)).toBe(
      "abc123",
    );
    expect(readSessionToken(`__Secure-better-auth.session_token=${sign("xyz")}`, secret)).toBe(
      "xyz",
    );
  });

  it("refuses a wrong signature, a missing one, or garbage", () => {
    expect(
      readSessionToken(
        `better-auth.session_token=${sign("abc123", "another-secret-another-secret-0000")}`,
        secret,
      ),
    ).toBeNull();
    expect(readSessionToken("better-auth.session_token=abc123", secret)).toBeNull();
    expect(readSessionToken("better-auth.session_token=%E0%A4%A", secret)).toBeNull();
    expect(readSessionToken(undefined, secret)).toBeNull();
    const forged = sign("abc123").replace("abc123", "abc124");
    expect(readSessionToken(`better-auth.session_token=${forged}`, secret)).toBeNull();
  });
});
