import { and, count, desc, eq, gte, lte, type SQL } from "drizzle-orm";
import { schema, type DbOrTx } from "@kaveret/db";

export type AuditFilter = {
  departmentId: string;
  action?: string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  actorUserId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  page: number;
  pageSize: number;
};

export async function listAuditEvents(db: DbOrTx, f: AuditFilter) {
  const a = schema.auditEvents;
  const where: SQL[] = [eq(a.departmentId, f.departmentId)];
  if (f.action) where.push(eq(a.action, f.action));
  if (f.entityType) where.push(eq(a.entityType, f.entityType));
  if (f.entityId) where.push(eq(a.entityId, f.entityId));
  if (f.actorUserId) where.push(eq(a.actorUserId, f.actorUserId));
  if (f.from) where.push(gte(a.createdAt, new Date(f.from)));
  if (f.to) where.push(lte(a.createdAt, new Date(f.to)));
  const condition = and(...where);
  const [rows, [total]] = await Promise.all([
    db
      .select({ event: a, actorName: schema.user.name })
      .from(a)
      .leftJoin(schema.user, eq(schema.user.id, a.actorUserId))
      .where(condition)
      .orderBy(desc(a.createdAt), desc(a.id))
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize),
    db.select({ n: count() }).from(a).where(condition),
  ]);
  return { rows, total: total?.n ?? 0 };
}
