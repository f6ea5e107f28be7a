import { and, asc, eq } from "drizzle-orm";
import { schema, type DbOrTx } from "@kaveret/db";

const sf = schema.savedFilters;

export type SavedFilterRow = typeof sf.$inferSelect;

/** A person's own saved filters in the department (optionally for one list). */
export async function listSavedFilters(
  db: DbOrTx,
  f: { departmentId: string; userId: string; entity?: string | undefined },
): Promise<SavedFilterRow[]> {
  return db
    .select()
    .from(sf)
    .where(
      and(
        eq(sf.departmentId, f.departmentId),
        eq(sf.userId, f.userId),
        f.entity ? eq(sf.entity, f.entity) : undefined,
      ),
    )
    .orderBy(asc(sf.name), asc(sf.id))
    .limit(200);
}

export async function countSavedFilters(db: DbOrTx, departmentId: string, userId: string) {
  return (await listSavedFilters(db, { departmentId, userId })).length;
}

export async function insertSavedFilter(
  db: DbOrTx,
  values: typeof sf.$inferInsert,
): Promise<SavedFilterRow> {
  const [row] = await db.insert(sf).values(values).returning();
  return row!;
}

/** Deletes one of the user's own filters; false when there is none by that id (or it is not theirs). */
export async function deleteOwnSavedFilter(
  db: DbOrTx,
  f: { departmentId: string; userId: string; id: string },
): Promise<boolean> {
  const rows = await db
    .delete(sf)
    .where(and(eq(sf.departmentId, f.departmentId), eq(sf.userId, f.userId), eq(sf.id, f.id)))
    .returning({ id: sf.id });
  return rows.length > 0;
}
