import { and, eq, inArray } from "drizzle-orm";
import { schema, type DbOrTx } from "@kaveret/db";
import type { ResidentScope } from "../residents/residents.scope.ts";

/**
 * The encrypted ID number and health notes of residents the reader sees in full
 * (the scope is applied again here: an id alone never opens a record).
 */
export async function sensitiveOf(db: DbOrTx, scope: ResidentScope, ids: string[]) {
  if (ids.length === 0) return [];
  const r = schema.residents;
  return db
    .select({ id: r.id, idNumberEnc: r.idNumberEnc, healthNotesEnc: r.healthNotesEnc })
    .from(r)
    .where(and(scope.visible, scope.full, inArray(r.id, ids)));
}

/** The asset columns a list row lacks (description, contact, languages). */
export async function assetExtrasOf(db: DbOrTx, departmentId: string, ids: string[]) {
  if (ids.length === 0) return [];
  const l = schema.locations;
  return db
    .select({
      id: l.id,
      description: l.description,
      accessibility: l.accessibility,
      email: l.email,
      website: l.website,
      languages: l.languages,
    })
    .from(l)
    .where(and(eq(l.departmentId, departmentId), inArray(l.id, ids)));
}
