import type { BroadcastStreamEvent } from "@kaveret/contracts";
import type { EventBus } from "../../events/bus.ts";
import type { Counters } from "./broadcasts.repository.ts";

/** A broadcast's counters changed (sent, acknowledged, finished): ids and numbers only. */
export type BroadcastChange = BroadcastStreamEvent & { departmentId: string };

declare module "../../events/bus.ts" {
  interface EventTopics {
    broadcasts: BroadcastChange;
  }
}

export function publishProgress(events: EventBus, c: Counters): void {
  events
    .publish("broadcasts", {
      departmentId: c.department_id,
      id: c.id,
      status: c.status as BroadcastChange["status"],
      total: Number(c.total),
      sent: Number(c.sent),
      delivered: Number(c.delivered),
      failed: Number(c.failed),
    })
    .catch(() => undefined);
}
