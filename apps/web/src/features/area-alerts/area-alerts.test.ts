import { describe, expect, it } from "vitest";
import he from "./i18n/he.json";
import ar from "./i18n/ar.json";
import en from "./i18n/en.json";
import ru from "./i18n/ru.json";
import am from "./i18n/am.json";
import { applicationServerKey } from "../../lib/push-key.ts";
import {
  alertsErrorKey,
  alertsSupport,
  communityOptions,
  isIos,
  parseChoice,
  needsRenewal,
  subscribedChoice,
  type BrowserTraits,
} from "./area-alerts.ts";

const chrome: BrowserTraits = {
  hasServiceWorker: true,
  hasPushManager: true,
  hasNotification: true,
  userAgent: "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36",
  maxTouchPoints: 5,
  standalone: false,
};
const iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15";
const ipad = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Safari/605.1.15";

describe("what this browser can do", () => {
  it("a browser with service worker, PushManager and Notification is supported", () => {
    expect(alertsSupport(chrome)).toBe("supported");
    expect(alertsSupport({ ...chrome, hasPushManager: false })).toBe("unsupported");
    expect(alertsSupport({ ...chrome, hasServiceWorker: false })).toBe("unsupported");
  });

  it("on iPhone and iPad, push needs the site on the home screen (opened from there)", () => {
    expect(isIos({ userAgent: iphone, maxTouchPoints: 5 })).toBe(true);
    expect(isIos({ userAgent: ipad, maxTouchPoints: 5 })).toBe(true);
    expect(isIos({ userAgent: ipad, maxTouchPoints: 0 })).toBe(false);
    // Safari in a tab: no PushManager, and the page says how to add it to the home screen.
    expect(
      alertsSupport({ ...chrome, userAgent: iphone, hasPushManager: false, standalone: false }),
    ).toBe("ios_home_screen");
    expect(alertsSupport({ ...chrome, userAgent: iphone, standalone: true })).toBe("supported");
    // Opened from the home screen on an iOS too old for web push.
    expect(
      alertsSupport({ ...chrome, userAgent: iphone, hasPushManager: false, standalone: true }),
    ).toBe("unsupported");
  });
});

describe("this device's choice", () => {
  const choice = { communityId: "c1", language: "am", endpoint: "https://push.example/1" };
  it("reads only a well-formed stored choice", () => {
    expect(parseChoice(JSON.stringify(choice))).toEqual(choice);
    expect(parseChoice(null)).toBeNull();
    expect(parseChoice("{oops")).toBeNull();
    expect(parseChoice(JSON.stringify({ ...choice, language: "fr" }))).toBeNull();
    expect(parseChoice(JSON.stringify({ communityId: "c1" }))).toBeNull();
  });
  it("is subscribed only while the browser's subscription is the one stored", () => {
    const stored = parseChoice(JSON.stringify(choice));
    expect(subscribedChoice(stored, "https://push.example/1")).toEqual(choice);
    expect(subscribedChoice(stored, "https://push.example/other")).toBeNull();
    // The browser renewed the subscription: the choice is stored again, without asking.
    expect(needsRenewal(stored, "https://push.example/other", "granted")).toBe(true);
    expect(needsRenewal(stored, "https://push.example/1", "granted")).toBe(false);
    expect(needsRenewal(stored, "https://push.example/other", "default")).toBe(false);
    expect(needsRenewal(stored, null, "granted")).toBe(false);
    expect(needsRenewal(null, "https://push.example/other", "granted")).toBe(false);
    expect(subscribedChoice(stored, null)).toBeNull();
    expect(subscribedChoice(null, "https://push.example/1")).toBeNull();
  });
});

describe("the neighbourhood list", () => {
  const communities = [
    { id: "t", level: "town", parentId: null, name: "עיר", names: { en: "Town" } },
    { id: "b", level: "neighbourhood", parentId: "t", name: "שכונה ב", names: { en: "Beta" } },
    { id: "a", level: "neighbourhood", parentId: "t", name: "שכונה א", names: {} },
  ];
  it("neighbourhoods in the reader's language, sorted; the whole town last", () => {
    const he = communityOptions(communities, "he", (n) => `${n} — כל העיר`);
    expect(he.map((o) => o.label)).toEqual(["שכונה א", "שכונה ב", "עיר — כל העיר"]);
    const en = communityOptions(communities, "en", (n) => `${n} (all)`);
    // A name missing in English falls back to the department's own.
    expect(en.map((o) => o.value)).toEqual(["b", "a", "t"]);
    expect(en.map((o) => o.label)).toEqual(["Beta", "שכונה א", "Town (all)"]);
  });
});

describe("errors and keys", () => {
  it("every stable code the page may meet has a message in all five languages", () => {
    const codes = [
      "network_error",
      "rate_limited",
      "alerts.endpoint_in_use",
      "alerts.community_unknown",
      "alerts.endpoint_not_allowed",
      "alerts.bad_keys",
      "no_worker",
      "subscribe_failed",
      "not_found",
      "something_else",
    ];
    for (const bundle of [he, ar, en, ru, am]) {
      for (const code of codes) {
        const path = alertsErrorKey(code).split(".");
        let v: unknown = bundle;
        for (const p of path) v = (v as Record<string, unknown>)[p];
        expect(typeof v, `${code}`).toBe("string");
      }
    }
  });

  it("the five bundles have the same keys", () => {
    const keys = (o: unknown, prefix = ""): string[] =>
      Object.entries(o as Record<string, unknown>).flatMap(([k, v]) =>
        typeof v === "object" && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
      );
    const heKeys = keys(he).sort();
    for (const b of [ar, en, ru, am]) expect(keys(b).sort()).toEqual(heKeys);
  });

  it("the VAPID key becomes the raw bytes PushManager wants", () => {
    const bytes = new Uint8Array([4, 250, 251, 0, 62, 63]);
    const b64url = Buffer.from(bytes).toString("base64url");
    expect(Array.from(applicationServerKey(b64url))).toEqual(Array.from(bytes));
  });
});
