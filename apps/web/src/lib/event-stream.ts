import { readScope } from "../api/client.ts";

/*
 * The client half of the server's live streams (Server-Sent Events): needs queue,
 * broadcast progress, emergency. No zod here: the shell opens the emergency line, and this
 * file stays in the first bundle.
 */

export type LineState = "connecting" | "live" | "offline";

/**
 * A stream's address. EventSource cannot send the scope header, so the active scope rides
 * in the query string (the server reads it as it reads X-Kaveret-Scope).
 */
export function streamUrl(path: string, scope: string | null): string {
  return scope ? `${path}?scope=${encodeURIComponent(scope)}` : path;
}

/** Wait before reconnect attempt n (0-based): 1 s, 2 s, 4 s … at most 30 s, ± 20 % jitter. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * Opens a stream and keeps it open: the browser retries a dropped line itself; a refused
 * one (closed) is retried here with growing pauses, and at once when the device comes back
 * online. `onData` gets each event's `data` (named `events`, or unnamed); `onReconnect`
 * runs when the line is back after a drop (events may have been missed). Returns the stop.
 */
export function openEventStream(o: {
  path: string;
  events: readonly string[];
  onData: (data: unknown) => void;
  onState?: (state: LineState) => void;
  onReconnect?: () => void;
}): () => void {
  let source: EventSource | null = null;
  let attempt = 0;
  let dropped = false;
  let retry: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;

  const connect = () => {
    if (stopped) return;
    o.onState?.("connecting");
    source = new EventSource(streamUrl(o.path, readScope()), { withCredentials: true });
    source.onopen = () => {
      if (dropped) o.onReconnect?.();
      dropped = false;
      attempt = 0;
      o.onState?.("live");
    };
    const onEvent = (e: MessageEvent) => o.onData(e.data);
    for (const name of o.events) source.addEventListener(name, onEvent);
    // Unnamed events arrive as "message".
    source.onmessage = onEvent;
    source.onerror = () => {
      dropped = true;
      o.onState?.("offline");
      if (source && source.readyState === EventSource.CLOSED) {
        source.close();
        retry = setTimeout(connect, reconnectDelay(attempt++));
      }
    };
  };
  connect();

  const onOnline = () => {
    if (source === null || source.readyState === EventSource.CLOSED) {
      if (retry) clearTimeout(retry);
      attempt = 0;
      connect();
    }
  };
  window.addEventListener("online", onOnline);

  return () => {
    stopped = true;
    window.removeEventListener("online", onOnline);
    if (retry) clearTimeout(retry);
    source?.close();
  };
}
