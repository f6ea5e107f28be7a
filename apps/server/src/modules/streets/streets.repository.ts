import { and, asc, count, eq, ilike, or, sql } from "drizzle-orm";
import { schema, type DbOrTx } from "@kaveret/db";
import { containsPattern } from "../../lib/sql.ts";

const st = schema.streets;
const c = schema.communities;

export type StreetRow = {
  id: string;
  townId: string;
  name: string;
  altNames: Record<string, string>;
  hasGeometry: boolean;
};

const columns = {
  id: st.id,
  townId: st.townId,
  name: st.name,
  altNames: st.altNames,
  hasGeometry: sql<boolean>`(${st.geometry} is not null)`.as("has_geometry"),
};

/** Streets of the department (optionally one town), by name in any of its languages. */
export async function listStreets(
  db: DbOrTx,
  f: { departmentId: string; townId?: string | undefined; q?: string | undefined; limit: number },
): Promise<{ items: StreetRow[]; total: number }> {
  const where = and(
    eq(st.departmentId, f.departmentId),
    f.townId ? eq(st.townId, f.townId) : undefined,
    f.q
      ? or(
          ilike(st.name, containsPattern(f.q)),
          // The names in other languages (values only: a key such as "en" is not a name).
          sql`exists (select 1 from jsonb_each_text(${st.altNames}) alt where alt.value ilike ${containsPattern(f.q)})`,
        )
      : undefined,
  );
  const [items, [total]] = await Promise.all([
    db.select(columns).from(st).where(where).orderBy(asc(st.name), asc(st.id)).limit(f.limit),
    db.select({ n: count() }).from(st).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}

export async function findStreetByName(
  db: DbOrTx,
  departmentId: string,
  townId: string,
  name: string,
) {
  const [row] = await db
    .select({ id: st.id })
    .from(st)
    .where(
      and(
        eq(st.departmentId, departmentId),
        eq(st.townId, townId),
        sql`lower(${st.name}) = lower(${name})`,
      ),
    )
    .limit(1);
  return row;
}

/** A live geographic community of level "town" in the department. */
export async function findTown(db: DbOrTx, departmentId: string, id: string) {
  const [row] = await db
    .select({ id: c.id })
    .from(c)
    .where(
      and(
        eq(c.departmentId, departmentId),
        eq(c.id, id),
        eq(c.kind, "geographic"),
        eq(c.level, "town"),
        sql`${c.archivedAt} is null`,
      ),
    )
    .limit(1);
  return row;
}

export async function insertStreet(
  db: DbOrTx,
  values: { departmentId: string; townId: string; name: string; altNames: Record<string, string> },
): Promise<StreetRow> {
  const [row] = await db.insert(st).values(values).returning(columns);
  return row!;
}
