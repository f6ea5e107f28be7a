import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { applicationServerKey } from "../../lib/push-key.ts";

/*
 * public/push-sw.js runs in the service worker, outside the app's bundle: it is loaded here
 * into a context with a stand-in `self` and `fetch`, and its event handlers are called as
 * the browser would.
 */

const SOURCE = readFileSync(resolve(import.meta.dirname, "../../../public/push-sw.js"), "utf8");

type Sub = {
  toJSON(): { endpoint: string; keys: { p256dh: string; auth: string } };
  options?: { applicationServerKey?: ArrayBuffer | Uint8Array | null };
};
const sub = (endpoint: string, auth: string, key?: Uint8Array): Sub => ({
  toJSON: () => ({ endpoint, keys: { p256dh: `p-${auth}`, auth } }),
  ...(key ? { options: { applicationServerKey: key } } : {}),
});

function worker(
  publicKey = "BOrN2nrUoQcN1WUmp8-xqtmHVCBBmrsApTk1uLmDZLxiYQLPF4fUfNVdOyMM-6Bv9I7eZrSN3eH2ydtwH3R3Jqg",
) {
  const handlers: Record<string, (event: unknown) => void> = {};
  const calls: { url: string; init?: { method?: string; body?: string; credentials?: string } }[] =
    [];
  const subscribed: { applicationServerKey: Uint8Array }[] = [];
  const self = {
    addEventListener: (type: string, fn: (event: unknown) => void) => (handlers[type] = fn),
    registration: {
      pushManager: {
        subscribe: async (o: { applicationServerKey: Uint8Array }) => {
          subscribed.push(o);
          return sub("https://push.example/new-by-worker", "newauthnewauth0000");
        },
      },
    },
  };
  const fetch = async (url: string, init?: { method?: string; body?: string }) => {
    calls.push({ url, init });
    return { json: async () => ({ publicKey }) };
  };
  runInNewContext(SOURCE, { self, fetch, atob, Uint8Array });
  const fire = async (type: string, detail: Record<string, unknown>) => {
    let done: Promise<unknown> = Promise.resolve();
    handlers[type]!({ ...detail, waitUntil: (p: Promise<unknown>) => (done = p) });
    await done;
  };
  const posted = () =>
    calls
      .filter((c) => c.init?.method === "POST")
      .map((c) => ({ url: c.url, body: JSON.parse(c.init!.body!) as unknown }));
  return { fire, calls, posted, subscribed };
}

describe("the service worker keeps a replaced push subscription", () => {
  it("reports the browser's new subscription with the old one's auth secret as proof, without cookies", async () => {
    const w = worker();
    await w.fire("pushsubscriptionchange", {
      oldSubscription: sub("https://push.example/old", "oldauth-oldauth-01"),
      newSubscription: sub("https://push.example/new", "newauth-newauth-01"),
    });
    expect(w.posted()).toEqual([
      {
        url: "/api/public/push/subscription-change",
        body: {
          oldEndpoint: "https://push.example/old",
          oldAuth: "oldauth-oldauth-01",
          endpoint: "https://push.example/new",
          keys: { p256dh: "p-newauth-newauth-01", auth: "newauth-newauth-01" },
        },
      },
    ]);
    expect(w.calls[0]!.init!.credentials).toBe("omit");
    expect(w.subscribed).toEqual([]);
  });

  it("subscribes again itself when the browser gives no new subscription, with the old key", async () => {
    const w = worker();
    const key = new Uint8Array([4, 1, 2, 3]);
    await w.fire("pushsubscriptionchange", {
      oldSubscription: sub("https://push.example/old", "oldauth-oldauth-02", key),
      newSubscription: null,
    });
    expect(w.subscribed).toHaveLength(1);
    expect([...w.subscribed[0]!.applicationServerKey]).toEqual([4, 1, 2, 3]);
    expect(w.posted()[0]!.body).toMatchObject({
      oldAuth: "oldauth-oldauth-02",
      endpoint: "https://push.example/new-by-worker",
    });
  });

  it("asks the server for its key when the old subscription does not say it", async () => {
    const w = worker();
    await w.fire("pushsubscriptionchange", {
      oldSubscription: sub("https://push.example/old", "oldauth-oldauth-03"),
      newSubscription: null,
    });
    expect(w.calls[0]!.url).toBe("/api/push/public-key");
    const expected = applicationServerKey(
      "BOrN2nrUoQcN1WUmp8-xqtmHVCBBmrsApTk1uLmDZLxiYQLPF4fUfNVdOyMM-6Bv9I7eZrSN3eH2ydtwH3R3Jqg",
    );
    expect([...w.subscribed[0]!.applicationServerKey]).toEqual([...new Uint8Array(expected)]);
    expect(w.posted()).toHaveLength(1);
  });

  it("does nothing without the old subscription (nothing to prove it with)", async () => {
    const w = worker();
    await w.fire("pushsubscriptionchange", {
      oldSubscription: null,
      newSubscription: sub("https://push.example/new", "newauth-newauth-04"),
    });
    expect(w.calls).toEqual([]);
  });
});
