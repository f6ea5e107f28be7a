import { schema, type DbOrTx } from "@kaveret/db";
import type { RequestContext } from "../../lib/context.ts";
import { authorize } from "../../policy/policy.ts";
import { listAuditEvents, type AuditFilter } from "./audit.repository.ts";

export type AuditEntry = {
  departmentId: string | null;
  actorUserId: string | null;
  actorRole: string | null;
  requestId: string | null;
  action: string;
  entityType: string;
  entityId?: string | null;
  purpose?: string | null;
  /** Field names only — never personal values. */
  fields?: string[];
  details?: Record<string, unknown>;
  /** The community the event concerns (a community's "recent activity"). */
  communityId?: string | null;
};

/** Writes one audit row; call it inside the same transaction as the change it records. */
export async function recordAudit(db: DbOrTx, entry: AuditEntry): Promise<void> {
  await db.insert(schema.auditEvents).values({
    departmentId: entry.departmentId,
    actorUserId: entry.actorUserId,
    actorRole: entry.actorRole,
    requestId: entry.requestId,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId ?? null,
    purpose: entry.purpose ?? null,
    fields: entry.fields ?? [],
    details: entry.details ?? {},
    communityId: entry.communityId ?? null,
  });
}

/**
 * Records that personal fields were read (the names of the fields and whose
 * records — never the values). Call it from every service that returns
 * personal data.
 */
export async function recordRead(
  ctx: RequestContext,
  read: { entityType: string; entityIds: string[]; fields: string[]; purpose?: string },
): Promise<void> {
  if (read.entityIds.length === 0) return;
  await recordAudit(
    ctx.db,
    auditFor(ctx, {
      action: `${read.entityType}.read`,
      entityType: read.entityType,
      entityId: read.entityIds.length === 1 ? read.entityIds[0] : null,
      fields: read.fields,
      purpose: read.purpose ?? null,
      details:
        read.entityIds.length > 1
          ? { ids: read.entityIds.slice(0, 100), count: read.entityIds.length }
          : {},
    }),
  );
}

/** The audit entry for an action by the request's actor in its department. */
export function auditFor(
  ctx: RequestContext,
  entry: Omit<AuditEntry, "departmentId" | "actorUserId" | "actorRole" | "requestId">,
): AuditEntry {
  return {
    departmentId: ctx.actor.departmentId,
    actorUserId: ctx.actor.userId,
    actorRole: ctx.actor.roles.join(","),
    requestId: ctx.requestId,
    ...entry,
  };
}

/** A manager reads their department's audit trail. */
export async function listAudit(ctx: RequestContext, filter: Omit<AuditFilter, "departmentId">) {
  const departmentId = ctx.actor.departmentId ?? "";
  authorize(ctx.actor, { type: "audit.read", departmentId });
  return listAuditEvents(ctx.db, { ...filter, departmentId });
}
