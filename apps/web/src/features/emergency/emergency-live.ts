import { useEffect, useSyncExternalStore } from "react";
import { useQueryClient, type QueryKey } from "@tanstack/react-query";
import type { EmergencyStreamEvent } from "@kaveret/contracts";
import {
  openEventStream,
  reconnectDelay,
  streamUrl as streamUrlOf,
} from "../../lib/event-stream.ts";
import { emergencyKeys } from "./emergency.api.ts";

/*
 * One live line per tab: GET /api/emergency/stream (SSE). Every signed-in department user
 * hears declared / updated / closed (the banner); board and call roles hear every change of
 * the emergency (the board, the call list, help requests). Events carry ids only; each one
 * refreshes the queries it touches, bursts once. Call events also ask the device to sync,
 * so a caller's phone picks up new assignments without waiting for the next round.
 *
 * The shell opens it, so this file holds no zod (first bundle): the event's vocabulary is
 * repeated here and a test keeps it equal to the contract's.
 */

export const STREAM_EVENT_TYPES = [
  "declared",
  "updated",
  "closed",
  "calls_generated",
  "calls_assigned",
  "call_updated",
  "self_report",
  "help_created",
  "help_updated",
  "offer_updated",
  "shelter_updated",
  "log_entry",
] as const satisfies readonly EmergencyStreamEvent["type"][];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const idOrNull = (v: unknown): v is string | null =>
  v === null || (typeof v === "string" && UUID.test(v));

export type LiveState = "off" | "connecting" | "live" | "offline";

const STREAM_PATH = "/api/emergency/stream";

export function streamUrl(scope: string | null): string {
  return streamUrlOf(STREAM_PATH, scope);
}

/** One `data:` payload as an event, or null (keep-alives, junk). */
export function parseEmergencyEvent(data: unknown): EmergencyStreamEvent | null {
  if (typeof data !== "string" || data.length === 0) return null;
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof json !== "object" || json === null) return null;
  const o = json as Record<string, unknown>;
  if (
    !(STREAM_EVENT_TYPES as readonly unknown[]).includes(o.type) ||
    typeof o.emergencyId !== "string" ||
    !UUID.test(o.emergencyId) ||
    !idOrNull(o.id ?? null) ||
    !idOrNull(o.communityId ?? null) ||
    typeof o.at !== "string"
  ) {
    return null;
  }
  return {
    type: o.type as EmergencyStreamEvent["type"],
    emergencyId: o.emergencyId,
    id: (o.id ?? null) as string | null,
    communityId: (o.communityId ?? null) as string | null,
    at: o.at,
  };
}

export { reconnectDelay };

/** The queries an event makes stale (prefixes; react-query matches every key under them). */
export function staleKeys(event: EmergencyStreamEvent): QueryKey[] {
  const keys: QueryKey[] = [emergencyKeys.event(event.emergencyId)];
  switch (event.type) {
    case "declared":
    case "updated":
    case "closed":
      keys.push(emergencyKeys.mode, emergencyKeys.list);
      break;
    case "help_created":
    case "help_updated":
      if (event.id) keys.push(emergencyKeys.helpOne(event.id));
      break;
    case "call_updated":
    case "self_report":
      // A resident's own answer or a call's outcome shows in their history.
      keys.push(["emergency", "resident"]);
      break;
    default:
      break;
  }
  return keys;
}

/** Whether a caller's device should pull now (its calls may have changed). */
export function touchesCalls(event: EmergencyStreamEvent): boolean {
  return (
    event.type === "calls_assigned" ||
    event.type === "calls_generated" ||
    event.type === "call_updated" ||
    event.type === "self_report" ||
    event.type === "closed"
  );
}

/* A tiny store of the line's state, for the board's "live" mark. */
let liveState: LiveState = "off";
const listeners = new Set<() => void>();
function setLiveState(next: LiveState) {
  if (next === liveState) return;
  liveState = next;
  for (const l of listeners) l();
}
const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};
const getLiveState = () => liveState;

/** The state of the tab's emergency line. */
export function useLiveState(): LiveState {
  return useSyncExternalStore(subscribe, getLiveState, getLiveState);
}

/**
 * Keeps the line open while `enabled` (the shell: a department user whose mode answered).
 * `onCalls` runs (at most once per burst) when calls may have changed.
 */
export function useEmergencyLive(options: { enabled: boolean; onCalls?: () => void }) {
  const { enabled, onCalls } = options;
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!enabled || typeof EventSource === "undefined") {
      setLiveState("off");
      return;
    }
    let flush: ReturnType<typeof setTimeout> | null = null;
    const stale = new Map<string, QueryKey>();
    let calls = false;

    const schedule = () => {
      if (flush) return;
      flush = setTimeout(() => {
        flush = null;
        for (const key of stale.values()) void queryClient.invalidateQueries({ queryKey: key });
        stale.clear();
        if (calls) onCalls?.();
        calls = false;
      }, 400);
    };

    const stop = openEventStream({
      path: STREAM_PATH,
      events: ["emergency"],
      onState: setLiveState,
      // Anything missed while the line was down: read it again.
      onReconnect: () => void queryClient.invalidateQueries({ queryKey: emergencyKeys.all }),
      onData: (data) => {
        const event = parseEmergencyEvent(data);
        if (!event) return;
        for (const key of staleKeys(event)) stale.set(JSON.stringify(key), key);
        if (touchesCalls(event)) calls = true;
        schedule();
      },
    });
    return () => {
      stop();
      if (flush) clearTimeout(flush);
      setLiveState("off");
    };
  }, [enabled, onCalls, queryClient]);
}
