import { useCallback, useEffect, useRef, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { needStreamEventSchema, type NeedStreamEvent } from "@kaveret/contracts";
import { readScope } from "../../api/client.ts";

export type StreamState = "connecting" | "live" | "offline";

/**
 * The stream's address. EventSource cannot send the department header, so the active
 * scope rides in the query string (for the server to read as it reads X-Kaveret-Scope;
 * until it does, the stream follows the user's first department).
 */
export function streamUrl(scope: string | null): string {
  return scope ? `/api/needs/stream?scope=${encodeURIComponent(scope)}` : "/api/needs/stream";
}

/** One `data:` line as an event, or null when it is not one (keep-alives, junk). */
export function parseStreamEvent(data: unknown): NeedStreamEvent | null {
  if (typeof data !== "string" || data.length === 0) return null;
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return null;
  }
  const parsed = needStreamEventSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/** Wait before reconnect attempt n (0-based): 1 s, 2 s, 4 s … at most 30 s, ± 20 % jitter. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * Live updates of the needs queue over Server-Sent Events: every event refreshes the
 * lists (and the need it names); new reports are counted for the "N new" indicator.
 * Reconnects by itself, with growing pauses, whenever the line drops.
 */
export function useNeedsStream(options: { enabled?: boolean } = {}) {
  const enabled = options.enabled ?? true;
  const queryClient = useQueryClient();
  const [state, setState] = useState<StreamState>("connecting");
  const [newCount, setNewCount] = useState(0);
  const [lastEvent, setLastEvent] = useState<NeedStreamEvent | null>(null);
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    if (!enabled || typeof EventSource === "undefined") {
      setState("offline");
      return;
    }
    let source: EventSource | null = null;
    let attempt = 0;
    let retry: ReturnType<typeof setTimeout> | null = null;
    let stopped = false;

    // Bursts of events (a bulk change) refresh the list once.
    const refreshLists = () => {
      if (refreshTimer.current) return;
      refreshTimer.current = setTimeout(() => {
        refreshTimer.current = null;
        void queryClient.invalidateQueries({ queryKey: ["needs", "list"] });
        void queryClient.invalidateQueries({ queryKey: ["needs", "points"] });
      }, 500);
    };

    const connect = () => {
      if (stopped) return;
      setState("connecting");
      source = new EventSource(streamUrl(readScope()), { withCredentials: true });
      source.onopen = () => {
        attempt = 0;
        setState("live");
      };
      const onEvent = (e: MessageEvent) => {
        const event = parseStreamEvent(e.data);
        if (!event) return;
        setLastEvent(event);
        if (event.type === "created") setNewCount((n) => n + 1);
        else void queryClient.invalidateQueries({ queryKey: ["needs", "one", event.id] });
        refreshLists();
      };
      // The server names its events "need"; unnamed ones arrive as "message".
      source.addEventListener("need", onEvent);
      source.onmessage = onEvent;
      source.onerror = () => {
        setState("offline");
        // The browser retries a dropped line itself; a refused one (closed) is ours to retry.
        if (source && source.readyState === EventSource.CLOSED) {
          source.close();
          retry = setTimeout(connect, reconnectDelay(attempt++));
        }
      };
    };
    connect();

    const onOnline = () => {
      if (source?.readyState === EventSource.CLOSED || source === null) {
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
      if (refreshTimer.current) clearTimeout(refreshTimer.current);
      refreshTimer.current = null;
      source?.close();
    };
  }, [enabled, queryClient]);

  const clearNew = useCallback(() => setNewCount(0), []);
  return { state, newCount, lastEvent, clearNew };
}
