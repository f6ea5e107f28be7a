import { useEffect } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { broadcastStreamEventSchema } from "@kaveret/contracts";
import { readScope } from "../../api/client.ts";
import { reconnectDelay } from "../needs/needs-stream.ts";

/**
 * Live progress over Server-Sent Events: each counter change refreshes the broadcast it
 * names (at most once a second) and the list. Reconnects by itself.
 */
export function useBroadcastsStream(enabled = true) {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!enabled || typeof EventSource === "undefined") return;
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | null = null;
    let attempt = 0;
    let stopped = false;
    const due = new Set<string>();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      timer = null;
      for (const id of due) {
        void queryClient.invalidateQueries({ queryKey: ["broadcasts", "one", id] });
        void queryClient.invalidateQueries({ queryKey: ["broadcasts", "deliveries", id] });
      }
      due.clear();
      void queryClient.invalidateQueries({ queryKey: ["broadcasts", "list"] });
    };
    const connect = () => {
      if (stopped) return;
      const scope = readScope();
      source = new EventSource(
        scope
          ? `/api/broadcasts/stream?scope=${encodeURIComponent(scope)}`
          : "/api/broadcasts/stream",
        { withCredentials: true },
      );
      source.onopen = () => {
        attempt = 0;
      };
      source.addEventListener("broadcast", (e: MessageEvent) => {
        let json: unknown;
        try {
          json = JSON.parse(String(e.data));
        } catch {
          return;
        }
        const parsed = broadcastStreamEventSchema.safeParse(json);
        if (!parsed.success) return;
        due.add(parsed.data.id);
        timer ??= setTimeout(flush, 1000);
      });
      source.onerror = () => {
        if (source && source.readyState === EventSource.CLOSED) {
          source.close();
          retry = setTimeout(connect, reconnectDelay(attempt++));
        }
      };
    };
    connect();
    return () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      if (timer) clearTimeout(timer);
      source?.close();
    };
  }, [enabled, queryClient]);
}
