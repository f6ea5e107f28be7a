import { describe, expect, it } from "vitest";
import { batchesOf } from "./broadcasts.jobs.ts";
import {
  chooseChannels,
  fillStatusLink,
  quietUntil,
  ReceiptTokens,
  smsParts,
} from "./broadcasts.texts.ts";
import { VapidCache, vapidKeys } from "../../push/vapid.ts";

describe("broadcast texts", () => {
  it("fills {statusLink} or removes it with the space before it", () => {
    expect(fillStatusLink("פתוח עד 20:00. {statusLink}", "https://x/s/1")).toBe(
      "פתוח עד 20:00. https://x/s/1",
    );
    expect(fillStatusLink("פתוח עד 20:00. {statusLink}", null)).toBe("פתוח עד 20:00.");
    expect(fillStatusLink("{statusLink} ראו", null)).toBe("ראו");
    expect(fillStatusLink("בלי קישור", null)).toBe("בלי קישור");
  });

  it("counts SMS parts: 160/153 Latin, 70/67 Hebrew or Arabic", () => {
    expect(smsParts("a".repeat(160))).toBe(1);
    expect(smsParts("a".repeat(161))).toBe(2);
    expect(smsParts("א".repeat(70))).toBe(1);
    expect(smsParts("א".repeat(71))).toBe(2);
    expect(smsParts("م".repeat(135))).toBe(3);
  });

  it("chooses every channel a person has, or the first one", () => {
    const reach = { push: 0, phone: true, email: true, user: false };
    expect(chooseChannels(["web_push", "sms", "email"], "first", reach)).toEqual(["sms"]);
    expect(chooseChannels(["web_push", "sms", "email"], "all", reach)).toEqual(["sms", "email"]);
    expect(chooseChannels(["in_app"], "first", reach)).toEqual([]);
  });

  it("knows when quiet hours hold (over midnight too) and when they end", () => {
    // 23:30 in Jerusalem (UTC+2 in November) = 21:30 UTC.
    const night = new Date("2026-11-25T21:30:00Z");
    const until = quietUntil({ enabled: true, start: "22:00", end: "07:00" }, night);
    expect(until?.toISOString()).toBe("2026-11-26T05:00:00.000Z");
    const day = new Date("2026-11-25T10:00:00Z");
    expect(quietUntil({ enabled: true, start: "22:00", end: "07:00" }, day)).toBeNull();
    expect(quietUntil({ enabled: false, start: "22:00", end: "07:00" }, night)).toBeNull();
  });

  it("receipt tokens round-trip and refuse any change", () => {
    const tokens = new ReceiptTokens("a-secret-of-at-least-thirty-two-characters");
    const ref = {
      departmentId: "8f1d7c9e-2b1a-4c3d-9e8f-0a1b2c3d4e5f",
      broadcastId: "11111111-2222-4333-8444-555555555555",
      deliveryId: 123456789,
    };
    const token = tokens.sign(ref);
    expect(tokens.verify(token)).toEqual(ref);
    const [body, mac] = token.split(".");
    const flipped = `${body!.slice(0, -2)}${body!.endsWith("A") ? "B" : "A"}${body!.slice(-1)}.${mac}`;
    expect(tokens.verify(flipped)).toBeNull();
    expect(new ReceiptTokens("another-secret-of-thirty-two-characters!").verify(token)).toBeNull();
  });

  it("splits a page's deliveries into ≤ 500-id runs per channel, push first", () => {
    const inserted = [
      ...Array.from({ length: 1200 }, (_, i) => ({ id: i * 2 + 1, channel: "sms" as const })),
      ...Array.from({ length: 3 }, (_, i) => ({ id: i * 2 + 2, channel: "web_push" as const })),
    ];
    const batches = batchesOf(inserted);
    expect(batches[0]).toEqual({ channel: "web_push", fromId: 2, toId: 6 });
    expect(batches.filter((b) => b.channel === "sms").map((b) => [b.fromId, b.toId])).toEqual([
      [1, 999],
      [1001, 1999],
      [2001, 2399],
    ]);
  });
});

describe("VAPID", () => {
  it("derives the same keys from the same secret and signs once per push-service origin", () => {
    const keys = vapidKeys({ authSecret: "x".repeat(40), subject: "mailto:a@b.test" });
    expect(vapidKeys({ authSecret: "x".repeat(40), subject: "mailto:a@b.test" })).toEqual(keys);
    let now = 1_000_000;
    const cache = new VapidCache(keys, () => now);
    const a = cache.headerFor("https://push.one.test/send/abc");
    expect(cache.headerFor("https://push.one.test/send/def")).toBe(a);
    expect(cache.headerFor("https://push.two.test/x")).not.toBe(a);
    expect(cache.size).toBe(2);
    expect(a).toMatch(/^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=[\w-]+$/);
    // Renewed an hour before its 12-hour expiry.
    now += 11 * 3600 + 1;
    expect(cache.headerFor("https://push.one.test/send/abc")).not.toBe(a);
  });
});
