import { EventEmitter } from "node:events";
import type { EmergencyStreamEvent } from "@kaveret/contracts";

/**
 * Live emergency events for the situation board's Server-Sent Events stream: ids and
 * kinds only, never personal data. In-process for now (one app instance); the
 * LISTEN/NOTIFY bus replaces the emitter behind these two functions.
 */
const bus = new EventEmitter();
bus.setMaxListeners(0);

export function publishEmergencyEvent(departmentId: string, event: EmergencyStreamEvent): void {
  bus.emit(departmentId, event);
}

/** Calls `handler` for each event of the department; returns the unsubscribe. */
export function subscribeEmergency(
  departmentId: string,
  handler: (event: EmergencyStreamEvent) => void,
): () => void {
  bus.on(departmentId, handler);
  return () => bus.off(departmentId, handler);
}
