import { eq } from "drizzle-orm";
import { schema, type DbOrTx, type DepartmentSettings } from "@kaveret/db";

export async function findDepartment(db: DbOrTx, id: string) {
  const [row] = await db
    .select()
    .from(schema.departments)
    .where(eq(schema.departments.id, id))
    .limit(1);
  return row;
}

export async function updateDepartmentSettings(
  db: DbOrTx,
  id: string,
  settings: DepartmentSettings,
) {
  const [row] = await db
    .update(schema.departments)
    .set({ settings })
    .where(eq(schema.departments.id, id))
    .returning();
  return row;
}

export async function updateDepartmentAltNames(
  db: DbOrTx,
  id: string,
  altNames: Record<string, string>,
) {
  const [row] = await db
    .update(schema.departments)
    .set({ altNames })
    .where(eq(schema.departments.id, id))
    .returning();
  return row;
}
