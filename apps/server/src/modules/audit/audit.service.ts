import { schema, type DbOrTx } from "@kaveret/db";
import { sql, type SQL } from "drizzle-orm";
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
 * The audit row of `entry` as the column list and the select list of an
 * `insert into audit_events (<columns>) select <values> from …`: for a write that records
 * its audit row in the same statement as the change (one round trip, same transaction).
 * `details` may be an expression the statement chooses; by default the entry's own.
 */
export function auditRowSql(entry: AuditEntry, details?: SQL): { columns: SQL; values: SQL } {
  return {
    columns: sql.raw(
      "department_id, actor_user_id, actor_role, request_id, action, entity_type, entity_id, purpose, fields, details, community_id",
    ),
    values: sql`${entry.departmentId}::uuid, ${entry.actorUserId}::text, ${entry.actorRole}::text,
      ${entry.requestId}::text, ${entry.action}::text, ${entry.entityType}::text,
      ${entry.entityId ?? null}::text, ${entry.purpose ?? null}::text,
      array(select jsonb_array_elements_text(${JSON.stringify(entry.fields ?? [])}::jsonb)),
      ${details ?? sql`${JSON.stringify(entry.details ?? {})}::jsonb`},
      ${entry.communityId ?? null}::uuid`,
  };
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
