import { and, desc, eq, isNull } from "drizzle-orm";
import { schema, type DbOrTx } from "@kaveret/db";

const inv = schema.invitations;
export type InvitationRow = typeof inv.$inferSelect;

export async function insertInvitation(db: DbOrTx, values: typeof inv.$inferInsert) {
  const [row] = await db.insert(inv).values(values).returning();
  return row!;
}

export async function listOpenInvitations(db: DbOrTx, departmentId: string) {
  return db
    .select()
    .from(inv)
    .where(and(eq(inv.departmentId, departmentId), isNull(inv.acceptedAt), isNull(inv.revokedAt)))
    .orderBy(desc(inv.createdAt))
    .limit(200);
}

export async function findInvitationByTokenHash(db: DbOrTx, tokenHash: string) {
  const [row] = await db
    .select({ invitation: inv, departmentName: schema.departments.name })
    .from(inv)
    .innerJoin(schema.departments, eq(schema.departments.id, inv.departmentId))
    .where(eq(inv.tokenHash, tokenHash))
    .limit(1);
  return row;
}

export async function findInvitation(db: DbOrTx, departmentId: string, id: string) {
  const [row] = await db
    .select()
    .from(inv)
    .where(and(eq(inv.departmentId, departmentId), eq(inv.id, id)))
    .limit(1);
  return row;
}

export async function markInvitation(
  db: DbOrTx,
  departmentId: string,
  id: string,
  patch: Partial<Pick<InvitationRow, "acceptedAt" | "revokedAt">>,
) {
  await db
    .update(inv)
    .set(patch)
    .where(and(eq(inv.departmentId, departmentId), eq(inv.id, id)));
}
