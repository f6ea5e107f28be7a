import { useEffect } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { broadcastStreamEventSchema } from "@kaveret/contracts";
import { openEventStream } from "../../lib/event-stream.ts";

/**
 * Live progress over Server-Sent Events: each counter change refreshes the broadcast it
 * names (at most once a second) and the list. Reconnects by itself.
 */
export function useBroadcastsStream(enabled = true) {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!enabled || typeof EventSource === "undefined") return;
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
    const stop = openEventStream({
      path: "/api/broadcasts/stream",
      events: ["broadcast"],
      onData: (data) => {
        let json: unknown;
        try {
          json = JSON.parse(String(data));
        } catch {
          return;
        }
        const parsed = broadcastStreamEventSchema.safeParse(json);
        if (!parsed.success) return;
        due.add(parsed.data.id);
        timer ??= setTimeout(flush, 1000);
      },
    });
    return () => {
      stop();
      if (timer) clearTimeout(timer);
    };
  }, [enabled, queryClient]);
}
