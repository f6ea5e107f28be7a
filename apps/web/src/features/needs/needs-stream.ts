import { useCallback, useEffect, useRef, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { needStreamEventSchema, type NeedStreamEvent } from "@kaveret/contracts";
import {
  openEventStream,
  reconnectDelay,
  streamUrl as streamUrlOf,
  type LineState,
} from "../../lib/event-stream.ts";

export type StreamState = LineState;

const STREAM_PATH = "/api/needs/stream";

/** The stream's address (the active scope in the query string). */
export function streamUrl(scope: string | null): string {
  return streamUrlOf(STREAM_PATH, scope);
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

export { reconnectDelay };

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
    // Bursts of events (a bulk change) refresh the list once.
    const refreshLists = () => {
      if (refreshTimer.current) return;
      refreshTimer.current = setTimeout(() => {
        refreshTimer.current = null;
        void queryClient.invalidateQueries({ queryKey: ["needs", "list"] });
        void queryClient.invalidateQueries({ queryKey: ["needs", "points"] });
      }, 500);
    };

    const stop = openEventStream({
      path: STREAM_PATH,
      events: ["need"],
      onState: setState,
      onData: (data) => {
        const event = parseStreamEvent(data);
        if (!event) return;
        setLastEvent(event);
        if (event.type === "created") setNewCount((n) => n + 1);
        else void queryClient.invalidateQueries({ queryKey: ["needs", "one", event.id] });
        refreshLists();
      },
    });

    return () => {
      stop();
      if (refreshTimer.current) clearTimeout(refreshTimer.current);
      refreshTimer.current = null;
    };
  }, [enabled, queryClient]);

  const clearNew = useCallback(() => setNewCount(0), []);
  return { state, newCount, lastEvent, clearNew };
}
