import { EventEmitter } from "node:events";
import type { NeedStreamEvent } from "@kaveret/contracts";

/**
 * Live changes of needs, for the queue's Server-Sent Events stream. Each event names the
 * need's department, community and assignee so a listener sends it only to readers who
 * may see that need; it carries no personal data (reference, urgency, ids).
 *
 * In one process this is an in-memory emitter. (Several app instances on one PostgreSQL
 * relay through LISTEN/NOTIFY — the emergency board's issue adds that relay here.)
 */
export type NeedChange = NeedStreamEvent & {
  departmentId: string;
  assigneeId: string | null;
};

const bus = new EventEmitter();
bus.setMaxListeners(0);

export function publishNeedChange(change: NeedChange): void {
  bus.emit("change", change);
}

export function onNeedChange(listener: (change: NeedChange) => void): () => void {
  bus.on("change", listener);
  return () => bus.off("change", listener);
}
