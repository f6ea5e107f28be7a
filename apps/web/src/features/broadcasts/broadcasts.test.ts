import { describe, expect, it } from "vitest";
import { dirOf, processedPercent } from "./broadcast-labels.ts";
import { parseBroadcastsSearch } from "./broadcasts-search.ts";
import { applicationServerKey } from "./push-subscription.ts";

describe("broadcasts in the web app", () => {
  it("reads only known statuses and sane pages from the address", () => {
    expect(parseBroadcastsSearch({ status: "sending", page: "3" })).toEqual({
      status: "sending",
      page: 3,
    });
    expect(parseBroadcastsSearch({ status: "bogus", page: "-1" })).toEqual({});
  });

  it("shows progress as the share processed, and Hebrew and Arabic right to left", () => {
    expect(processedPercent({ total: 0, queued: 0 })).toBe(0);
    expect(processedPercent({ total: 200, queued: 50 })).toBe(75);
    expect(dirOf("ar")).toBe("rtl");
    expect(dirOf("am")).toBe("ltr");
  });

  it("turns the VAPID key into the bytes PushManager takes", () => {
    const bytes = Uint8Array.from({ length: 65 }, (_, i) => (i * 37) % 256);
    const b64url = btoa(String.fromCharCode(...bytes))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "");
    expect([...applicationServerKey(b64url)]).toEqual([...bytes]);
  });
});
