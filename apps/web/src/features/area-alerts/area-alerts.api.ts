/**
 * The public area-alert endpoints (no account, no cookies) and the browser's push flow:
 * permission → the registered service worker (public/push-sw.js shows alerts) → subscribe
 * with the server's key → store on the server and, on this device, what was chosen.
 */
import type {
  AreaAlertSubscriptionResult,
  AreaAlertsInfo,
  BroadcastLanguage,
} from "@kaveret/contracts";
import { ApiError, publicJson } from "../../api/client.ts";
import { applicationServerKey } from "../../lib/push-key.ts";
import { readChoice, writeChoice, type StoredChoice } from "./area-alerts.ts";

const base = (departmentId: string) =>
  `/api/public/departments/${encodeURIComponent(departmentId)}/alerts`;

export const fetchAlertsInfo = (departmentId: string, signal?: AbortSignal) =>
  publicJson<AreaAlertsInfo>("GET", base(departmentId), { signal });

/** The service worker, or an error when none is registered within a few seconds. */
async function worker(): Promise<ServiceWorkerRegistration> {
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new ApiError(0, "no_worker", "No service worker")), 10_000),
  );
  return Promise.race([navigator.serviceWorker.ready, timeout]);
}

/** This browser's current push subscription's endpoint, if any. */
export async function currentEndpoint(): Promise<string | null> {
  if (!("serviceWorker" in navigator)) return null;
  const reg = await navigator.serviceWorker.getRegistration();
  const sub = reg ? await reg.pushManager.getSubscription() : null;
  return sub?.endpoint ?? null;
}

export type SubscribeOutcome = { kind: "subscribed"; choice: StoredChoice } | { kind: "denied" };

/** Asks for permission and subscribes this browser for the community and language. */
export async function subscribeAlerts(
  departmentId: string,
  publicKey: string,
  communityId: string,
  language: BroadcastLanguage,
): Promise<SubscribeOutcome> {
  const permission = await Notification.requestPermission();
  if (permission !== "granted") return { kind: "denied" };
  const reg = await worker();
  let sub = await reg.pushManager.getSubscription();
  try {
    sub ??= await reg.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: applicationServerKey(publicKey),
    });
  } catch {
    throw new ApiError(0, "subscribe_failed", "The browser did not subscribe");
  }
  return {
    kind: "subscribed",
    choice: await storeChoice(departmentId, sub, communityId, language),
  };
}

/** The subscription stored on the server for the community and language, and the choice on this device. */
async function storeChoice(
  departmentId: string,
  sub: PushSubscription,
  communityId: string,
  language: BroadcastLanguage,
): Promise<StoredChoice> {
  const json = sub.toJSON() as { endpoint: string; keys: { p256dh: string; auth: string } };
  await publicJson<AreaAlertSubscriptionResult>("POST", `${base(departmentId)}/subscriptions`, {
    body: { endpoint: json.endpoint, keys: json.keys, language, communityId },
  });
  const choice = { communityId, language, endpoint: json.endpoint };
  writeChoice(departmentId, choice);
  return choice;
}

/**
 * Stores the device's choice again under the browser's current subscription (see
 * needsRenewal). Null when there is no subscription to store.
 */
export async function renewAlerts(
  departmentId: string,
  choice: StoredChoice,
): Promise<StoredChoice | null> {
  const reg = await navigator.serviceWorker.getRegistration();
  const sub = reg ? await reg.pushManager.getSubscription() : null;
  if (!sub) return null;
  return storeChoice(departmentId, sub, choice.communityId, choice.language);
}

/** Stops alerts: removed on the server (the auth secret is the proof), then in the browser. */
export async function unsubscribeAlerts(departmentId: string): Promise<void> {
  const reg = await navigator.serviceWorker.getRegistration();
  const sub = reg ? await reg.pushManager.getSubscription() : null;
  const stored = readChoice(departmentId);
  if (sub && stored?.endpoint === sub.endpoint) {
    const json = sub.toJSON() as { endpoint: string; keys: { auth: string } };
    try {
      await publicJson<null>("DELETE", `${base(departmentId)}/subscriptions`, {
        body: { endpoint: json.endpoint, auth: json.keys.auth },
      });
    } catch (e) {
      // Already gone on the server: stopping here is all that is left.
      if (!(e instanceof ApiError && e.code === "alerts.not_subscribed")) throw e;
    }
    await sub.unsubscribe();
  }
  writeChoice(departmentId, null);
}
