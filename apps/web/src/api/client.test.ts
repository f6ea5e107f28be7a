import { describe, expect, it } from "vitest";
import { ApiError, buildQuery, issuesOf, toApiError } from "./client.ts";

describe("toApiError", () => {
  it("reads our error body", () => {
    const err = toApiError(409, {
      error: {
        code: "version_conflict",
        message: "stale",
        details: { current: { id: "x" } },
        requestId: "req-1",
      },
    });
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(409);
    expect(err.code).toBe("version_conflict");
    expect(err.message).toBe("stale");
    expect(err.details).toEqual({ current: { id: "x" } });
    expect(err.requestId).toBe("req-1");
  });

  it("maps better-auth codes to stable ones", () => {
    expect(toApiError(401, { code: "INVALID_EMAIL_OR_PASSWORD", message: "Invalid" }).code).toBe(
      "invalid_credentials",
    );
    expect(toApiError(400, { code: "INVALID_OTP", message: "x" }).code).toBe("invalid_code");
    expect(toApiError(403, { code: "TOO_MANY_ATTEMPTS" }).code).toBe("rate_limited");
  });

  it("uses better-auth's code kept in details.authCode by our server", () => {
    const err = toApiError(401, {
      error: {
        code: "unauthenticated",
        message: "Invalid email or password",
        details: { authCode: "INVALID_EMAIL_OR_PASSWORD" },
      },
    });
    expect(err.code).toBe("invalid_credentials");
    expect(
      toApiError(423, {
        error: { code: "account_locked", message: "", details: { authCode: "X" } },
      }).code,
    ).toBe("account_locked");
  });

  it("keeps an unknown better-auth code out of the translation keys (falls back by status)", () => {
    expect(toApiError(400, { code: "SOMETHING_NEW", message: "x" }).code).toBe("bad_request");
  });

  it("falls back to the HTTP status when the body is empty or not JSON", () => {
    expect(toApiError(423, undefined).code).toBe("account_locked");
    expect(toApiError(429, "Too many").code).toBe("rate_limited");
    expect(toApiError(503, null).code).toBe("internal_error");
    expect(toApiError(401, {}, "hdr-req").requestId).toBe("hdr-req");
  });
});

describe("issuesOf", () => {
  it("returns the field issues of validation_failed", () => {
    const err = toApiError(400, {
      error: {
        code: "validation_failed",
        message: "Invalid",
        details: {
          issues: [
            { path: ["name"], message: "Too small", code: "too_small" },
            { path: ["altNames", "he"], message: "x", code: "too_big" },
          ],
        },
      },
    });
    expect(issuesOf(err)).toEqual([
      { path: ["name"], message: "Too small", code: "too_small" },
      { path: ["altNames", "he"], message: "x", code: "too_big" },
    ]);
  });

  it("is empty for anything else", () => {
    expect(issuesOf(new Error("x"))).toEqual([]);
    expect(issuesOf(toApiError(400, { error: { code: "bad_request", message: "" } }))).toEqual([]);
  });
});

describe("buildQuery", () => {
  it("leaves out empty values and encodes the rest", () => {
    expect(
      buildQuery({ q: "נווה שאנן", kind: undefined, level: "", page: 2, archived: null }),
    ).toBe("?q=%D7%A0%D7%95%D7%95%D7%94+%D7%A9%D7%90%D7%A0%D7%9F&page=2");
    expect(buildQuery({})).toBe("");
  });
});
