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
