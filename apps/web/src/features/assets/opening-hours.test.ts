import { describe, expect, it } from "vitest";
import type { OpeningHoursItem } from "@kaveret/contracts";
import { isOpenAt, israelTime, weekOf } from "./opening-hours.ts";

const hours: OpeningHoursItem[] = [
  { day: "su", opens: "08:00", closes: "13:00", note: "" },
  { day: "su", opens: "16:00", closes: "19:00", note: "" },
  { day: "th", opens: "20:00", closes: "24:00", note: "" },
];

describe("opening hours", () => {
  it("reads the day and time in Israel, whatever the device's zone", () => {
    // 2026-01-04 is a Sunday; 06:30 UTC is 08:30 in Israel (winter, UTC+2).
    expect(israelTime(new Date("2026-01-04T06:30:00Z"))).toEqual({ day: "su", time: "08:30" });
    // Summer time (UTC+3): 21:30 UTC on Saturday is 00:30 on Sunday in Israel.
    expect(israelTime(new Date("2026-07-04T21:30:00Z"))).toEqual({ day: "su", time: "00:30" });
  });

  it("tells open from closed, including a split day and open until midnight", () => {
    expect(isOpenAt(hours, new Date("2026-01-04T06:30:00Z"))).toBe(true); // Sun 08:30
    expect(isOpenAt(hours, new Date("2026-01-04T12:00:00Z"))).toBe(false); // Sun 14:00
    expect(isOpenAt(hours, new Date("2026-01-04T15:00:00Z"))).toBe(true); // Sun 17:00
    expect(isOpenAt(hours, new Date("2026-01-04T11:00:00Z"))).toBe(false); // Sun 13:00 (closes)
    expect(isOpenAt(hours, new Date("2026-01-08T21:59:00Z"))).toBe(true); // Thu 23:59
    expect(isOpenAt([], new Date())).toBeNull();
  });

  it("lays out the week from Sunday with each day's rows in order", () => {
    const week = weekOf([...hours].reverse());
    expect(week.map((d) => d.day)).toEqual(["su", "mo", "tu", "we", "th", "fr", "sa"]);
    expect(week[0]!.rows.map((r) => r.opens)).toEqual(["08:00", "16:00"]);
    expect(week[1]!.rows).toEqual([]);
  });
});
