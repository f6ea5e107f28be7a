import type { NeedStreamEvent } from "@kaveret/contracts";
import type { EventBus, Unsubscribe } from "../../events/bus.ts";

/**
 * Live changes of needs, for the queue's Server-Sent Events stream. Each event names the
 * need's department, community and assignee so a listener sends it only to readers who
 * may see that need; it carries no personal data (reference, urgency, ids).
 *
 * Published on the event bus (PostgreSQL LISTEN/NOTIFY), so a stream opened on one app
 * instance sees changes made on any other.
 */
export type NeedChange = NeedStreamEvent & {
  departmentId: string;
  assigneeId: string | null;
};

declare module "../../events/bus.ts" {
  interface EventTopics {
    needs: NeedChange;
  }
}

/** Publishes after the change committed; a lost event only delays a screen (it refetches). */
export function publishNeedChange(events: EventBus, change: NeedChange): void {
  events.publish("needs", change).catch(() => undefined);
}

export function onNeedChange(
  events: EventBus,
  listener: (change: NeedChange) => void,
): Unsubscribe {
  return events.subscribe("needs", listener);
}
