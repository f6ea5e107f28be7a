import { and, eq, inArray, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import { schema, type DbOrTx } from "@kaveret/db";

const p = schema.formPhotos;

/** What a photo's receipt and its read need (never the image itself). */
const receiptColumns = {
  id: p.id,
  formId: p.formId,
  responseId: p.responseId,
  contentType: p.contentType,
  bytes: p.bytes,
  width: p.width,
  height: p.height,
  sha256: p.sha256,
};
export type PhotoRow = {
  id: string;
  formId: string;
  responseId: string | null;
  contentType: string;
  bytes: number;
  width: number | null;
  height: number | null;
  sha256: string;
};

export async function findPhoto(db: DbOrTx, departmentId: string, id: string) {
  const [row] = await db
    .select(receiptColumns)
    .from(p)
    .where(and(eq(p.departmentId, departmentId), eq(p.id, id)))
    .limit(1);
  return row as PhotoRow | undefined;
}

/** Inserts once: false when a photo with this id already exists. */
export async function insertPhoto(db: DbOrTx, values: typeof p.$inferInsert) {
  const rows = await db.insert(p).values(values).onConflictDoNothing().returning({ id: p.id });
  return rows.length === 1;
}

export type AnsweredPhoto = {
  contentType: string;
  responseId: string;
  sha256: string;
  /** The photo, or (for `thumb`) its thumbnail: null when none was made yet. */
  dataEnc: string | null;
};

/**
 * A form's photo held by an answer (one only uploaded is nobody's to read yet): the photo
 * itself, or only its thumbnail (`thumb`: the photo's megabytes are not read).
 */
export async function answeredPhotoData(
  db: DbOrTx,
  departmentId: string,
  formId: string,
  id: string,
  o: { thumb?: boolean } = {},
) {
  const [row] = await db
    .select({
      contentType: p.contentType,
      dataEnc: o.thumb ? p.thumbEnc : p.dataEnc,
      responseId: p.responseId,
      sha256: p.sha256,
    })
    .from(p)
    .where(
      and(
        eq(p.departmentId, departmentId),
        eq(p.formId, formId),
        eq(p.id, id),
        isNotNull(p.responseId),
      ),
    )
    .limit(1);
  return row as AnsweredPhoto | undefined;
}

/** Keeps the thumbnail made for a photo stored before thumbnails were. */
export async function saveThumbnail(db: DbOrTx, departmentId: string, id: string, enc: string) {
  await db
    .update(p)
    .set({ thumbEnc: enc })
    .where(and(eq(p.departmentId, departmentId), eq(p.id, id), isNull(p.thumbEnc)));
}

/**
 * Gives photos of a form to an answer: each must exist, belong to the form and be
 * nobody else's. Returns the ids it holds now (the caller compares).
 */
export async function linkPhotos(
  db: DbOrTx,
  departmentId: string,
  formId: string,
  responseId: string,
  ids: string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .update(p)
    .set({ responseId })
    .where(
      and(
        eq(p.departmentId, departmentId),
        eq(p.formId, formId),
        inArray(p.id, ids),
        or(isNull(p.responseId), eq(p.responseId, responseId)),
      ),
    )
    .returning({ id: p.id });
  return new Set(rows.map((r) => r.id));
}

/** Photos no answer took, uploaded before `before` (every department): deleted. */
export async function deleteOrphans(db: DbOrTx, before: Date): Promise<number> {
  const rows = await db
    .delete(p)
    .where(and(isNull(p.responseId), lt(p.createdAt, before)))
    .returning({ id: p.id });
  return rows.length;
}

/** Unanswered photos uploaded through a form's public link since `since` (abuse check). */
export async function recentPublicOrphans(
  db: DbOrTx,
  departmentId: string,
  formId: string,
  since: Date,
): Promise<{ count: number; bytes: number }> {
  const [row] = await db
    .select({
      count: sql<number>`count(*)::int`,
      bytes: sql<number>`coalesce(sum(${p.bytes}), 0)::bigint`,
    })
    .from(p)
    .where(
      and(
        eq(p.departmentId, departmentId),
        eq(p.formId, formId),
        isNull(p.responseId),
        eq(p.source, "public"),
        sql`${p.createdAt} >= ${since}`,
      ),
    );
  return { count: Number(row?.count ?? 0), bytes: Number(row?.bytes ?? 0) };
}
