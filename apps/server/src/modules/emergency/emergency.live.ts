import type { EmergencyStreamEvent } from "@kaveret/contracts";
import type { EventBus, Unsubscribe } from "../../events/bus.ts";

/**
 * Live emergency events for the situation board's and the banner's Server-Sent Events
 * streams: ids and kinds only, never personal data. Published on the event bus
 * (PostgreSQL LISTEN/NOTIFY), so a board open on one app instance sees a call outcome
 * recorded on another.
 */
export type EmergencyChange = EmergencyStreamEvent & { departmentId: string };

declare module "../../events/bus.ts" {
  interface EventTopics {
    emergency: EmergencyChange;
  }
}

/** After the change committed; a lost event only delays a screen (it refetches). */
export function publishEmergencyEvent(
  events: EventBus,
  departmentId: string,
  event: EmergencyStreamEvent,
): void {
  events.publish("emergency", { ...event, departmentId }).catch(() => undefined);
}

/** Calls `handler` for each event of the department; returns the unsubscribe (with `.ready`). */
export function subscribeEmergency(
  events: EventBus,
  departmentId: string,
  handler: (event: EmergencyStreamEvent) => void,
): Unsubscribe {
  return events.subscribe("emergency", ({ departmentId: d, ...event }) => {
    if (d === departmentId) handler(event);
  });
}
