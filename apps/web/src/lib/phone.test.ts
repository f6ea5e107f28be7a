import { describe, expect, it } from "vitest";
import { isPlausiblePhone, normalizePhone, safeRedirect } from "./phone.ts";

describe("normalizePhone", () => {
  it("turns Israeli local numbers into E.164", () => {
    expect(normalizePhone("050-123 4567")).toBe("+972501234567");
    expect(normalizePhone("972501234567")).toBe("+972501234567");
    expect(normalizePhone("+972 50 123 4567")).toBe("+972501234567");
    expect(normalizePhone("00972501234567")).toBe("+972501234567");
  });
  it("judges plausibility", () => {
    expect(isPlausiblePhone("+972501234567")).toBe(true);
    expect(isPlausiblePhone("+97250")).toBe(false);
  });
});

describe("safeRedirect", () => {
  it("allows local paths only", () => {
    expect(safeRedirect("/communities?page=2")).toBe("/communities?page=2");
    expect(safeRedirect("https://evil.example")).toBe("/");
    expect(safeRedirect("//evil.example")).toBe("/");
    expect(safeRedirect(undefined)).toBe("/");
    expect(safeRedirect("/signin")).toBe("/");
  });
});
