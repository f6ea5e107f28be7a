import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime } from "./format.ts";

describe("Israeli date format", () => {
  it("shows dd.MM.yyyy HH:mm in Israel time in every language", () => {
    // 2026-03-01 10:05 UTC is 12:05 in Israel (winter, UTC+2).
    for (const l of ["he", "ar", "en"] as const) {
      expect(formatDateTime("2026-03-01T10:05:00Z", l)).toBe("01.03.2026 12:05");
    }
    // Summer time (UTC+3), and the day rolls over.
    expect(formatDateTime("2026-07-14T22:30:00Z", "he")).toBe("15.07.2026 01:30");
    expect(formatDate("2026-07-14T22:30:00Z", "ar")).toBe("15.07.2026");
  });

  it("returns the input when it is not a date", () => {
    expect(formatDateTime("not a date", "he")).toBe("not a date");
  });
});
