import type { BroadcastLanguage } from "@kaveret/contracts";
import { api, apiGet, apiPost } from "../../api/client.ts";
import { applicationServerKey } from "../../lib/push-key.ts";

/* This browser's Web Push subscription: the service worker shows broadcasts (public/push-sw.js). */

export type PushState = "unsupported" | "denied" | "off" | "on";

export function pushSupported(): boolean {
  return (
    typeof window !== "undefined" &&
    "serviceWorker" in navigator &&
    "PushManager" in window &&
    "Notification" in window
  );
}

async function registration(): Promise<ServiceWorkerRegistration | null> {
  if (!pushSupported()) return null;
  return (await navigator.serviceWorker.getRegistration()) ?? null;
}

export async function pushState(): Promise<PushState> {
  if (!pushSupported()) return "unsupported";
  if (Notification.permission === "denied") return "denied";
  const reg = await registration();
  const sub = reg ? await reg.pushManager.getSubscription() : null;
  return sub ? "on" : "off";
}

/** Asks for permission, subscribes with the server's key and stores the subscription. */
export async function enablePush(language: BroadcastLanguage): Promise<PushState> {
  if (!pushSupported()) return "unsupported";
  const permission = await Notification.requestPermission();
  if (permission !== "granted") return permission === "denied" ? "denied" : "off";
  const reg = await navigator.serviceWorker.ready;
  const { publicKey } = await apiGet<{ publicKey: string }>("/api/push/public-key");
  const sub = await reg.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: applicationServerKey(publicKey),
  });
  const json = sub.toJSON() as { endpoint: string; keys: { p256dh: string; auth: string } };
  await apiPost("/api/push/subscriptions", { endpoint: json.endpoint, keys: json.keys, language });
  return "on";
}

export async function disablePush(): Promise<PushState> {
  const reg = await registration();
  const sub = reg ? await reg.pushManager.getSubscription() : null;
  if (sub) {
    await api("/api/push/subscriptions", { method: "DELETE", body: { endpoint: sub.endpoint } });
    await sub.unsubscribe();
  }
  return "off";
}
