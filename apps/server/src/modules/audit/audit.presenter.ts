import type { AuditEvent } from "@kaveret/contracts";
import type { schema } from "@kaveret/db";

export function presentAuditEvent(row: {
  event: typeof schema.auditEvents.$inferSelect;
  actorName: string | null;
}): AuditEvent {
  const e = row.event;
  return {
    id: e.id,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    actorUserId: e.actorUserId,
    actorName: row.actorName,
    actorRole: e.actorRole,
    purpose: e.purpose,
    fields: e.fields,
    details: e.details,
    requestId: e.requestId,
    createdAt: e.createdAt.toISOString(),
  };
}
