/* global self */
/* Web Push in the service worker (imported by the generated Workbox worker).
   Shows a broadcast and acknowledges it with the signed token it carries (no account,
   no personal data: the token names only the delivery). */
self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { body: event.data ? event.data.text() : "" };
  }
  const title = data.title || "כוורת · Kaveret";
  const shown = self.registration.showNotification(title, {
    body: data.body || "",
    tag: data.tag || undefined,
    dir: "auto",
    icon: "/icon-192.png",
    badge: "/icon-192.png",
    requireInteraction: Boolean(data.urgent),
    data: { url: data.url || "/" },
  });
  const ack = () =>
    data.ack
      ? fetch("/api/broadcasts/receipts", {
          method: "POST",
          headers: { "content-type": "application/json" },
          credentials: "omit",
          body: JSON.stringify({ receipts: [{ token: data.ack }] }),
        }).catch(() => undefined)
      : undefined;
  event.waitUntil(shown.then(ack));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL(
    (event.notification.data && event.notification.data.url) || "/",
    self.location.origin,
  );
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((list) => {
      for (const client of list) {
        if (new URL(client.url).href === url.href && "focus" in client) return client.focus();
      }
      return self.clients.openWindow(url.href);
    }),
  );
});

/* The push service replaced this browser's subscription (Firefox does when one expires):
   subscribe again with the same key and tell the server, with the old subscription's auth
   secret as proof (no cookies: area subscribers have no account). Without it the browser
   would silently stop getting alerts until its page was opened again. */
function keyBytes(base64url) {
  const b64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
  const raw = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

async function renewSubscription(oldSubscription, newSubscription) {
  // Without the old subscription there is nothing to prove which rows are ours: the pages
  // subscribe again when they are next opened.
  if (!oldSubscription) return;
  const old = oldSubscription.toJSON();
  if (!old.endpoint || !old.keys || !old.keys.auth) return;
  let next = newSubscription;
  if (!next) {
    let key = oldSubscription.options && oldSubscription.options.applicationServerKey;
    if (!key) {
      const res = await fetch("/api/push/public-key", { credentials: "omit" });
      key = keyBytes((await res.json()).publicKey);
    }
    next = await self.registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: key,
    });
  }
  const json = next.toJSON();
  await fetch("/api/public/push/subscription-change", {
    method: "POST",
    headers: { "content-type": "application/json" },
    credentials: "omit",
    body: JSON.stringify({
      oldEndpoint: old.endpoint,
      oldAuth: old.keys.auth,
      endpoint: json.endpoint,
      keys: json.keys,
    }),
  });
}

self.addEventListener("pushsubscriptionchange", (event) => {
  event.waitUntil(
    renewSubscription(event.oldSubscription, event.newSubscription).catch(() => undefined),
  );
});
