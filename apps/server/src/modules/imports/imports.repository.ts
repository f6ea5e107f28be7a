import { and, count, desc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { schema, type DbOrTx, type GeoJsonGeometry } from "@kaveret/db";
import type { CommunityInfo, StreetInfo } from "./lookups.ts";
import { rowsOf } from "../../lib/sql.ts";

/**
 * The only code of imports and exports that touches the database. Committing is
 * set-based: each target table is filled by one INSERT … SELECT from the staged
 * rows (`jsonb_populate_record` turns a staged row into the table's row type),
 * so the transaction stays short however many rows there are.
 */

const j = schema.importJobs;
const ir = schema.importRows;

export type ImportJobRow = typeof j.$inferSelect;

/* ------------------------------------------------------------------ */
/* Jobs                                                                 */
/* ------------------------------------------------------------------ */

export async function insertJob(db: DbOrTx, values: typeof j.$inferInsert) {
  const [row] = await db.insert(j).values(values).returning();
  return row!;
}

export async function findJob(db: DbOrTx, departmentId: string, id: string) {
  const [row] = await db
    .select({ job: j, creatorName: schema.user.name })
    .from(j)
    .leftJoin(schema.user, eq(schema.user.id, j.createdBy))
    .where(and(eq(j.departmentId, departmentId), eq(j.id, id)));
  return row;
}

/** The uploaded file (encrypted) of a job, read only when it is needed. */
export async function jobFile(db: DbOrTx, departmentId: string, id: string) {
  const [row] = await db
    .select({ fileEnc: j.fileEnc })
    .from(j)
    .where(and(eq(j.departmentId, departmentId), eq(j.id, id)));
  return row?.fileEnc ?? null;
}

/** The department's jobs, newest first, without their files. */
export async function listJobs(
  db: DbOrTx,
  departmentId: string,
  filter: { entity?: string | undefined },
  page: { limit: number; offset: number },
) {
  const where = and(
    eq(j.departmentId, departmentId),
    filter.entity ? eq(j.entity, filter.entity) : undefined,
  );
  const [items, [total]] = await Promise.all([
    db
      .select({
        id: j.id,
        entity: j.entity,
        status: j.status,
        fileName: j.fileName,
        fileType: j.fileType,
        totalRows: j.totalRows,
        validRows: j.validRows,
        errorRows: j.errorRows,
        result: j.result,
        createdBy: j.createdBy,
        creatorName: schema.user.name,
        createdAt: j.createdAt,
        finishedAt: j.finishedAt,
      })
      .from(j)
      .leftJoin(schema.user, eq(schema.user.id, j.createdBy))
      .where(where)
      .orderBy(desc(j.createdAt), desc(j.id))
      .limit(page.limit)
      .offset(page.offset),
    db.select({ n: count() }).from(j).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}

/**
 * Changes a job when it is in one of `from` (a guarded state transition: two
 * requests cannot both start a validation or a commit). The row, or undefined.
 */
export async function updateJobIf(
  db: DbOrTx,
  departmentId: string,
  id: string,
  from: readonly string[],
  patch: Partial<typeof j.$inferInsert>,
) {
  const [row] = await db
    .update(j)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(eq(j.departmentId, departmentId), eq(j.id, id), inArray(j.status, [...from])))
    .returning({ id: j.id, status: j.status });
  return row;
}

/** Ends jobs that were running when their process stopped (all of them, or those silent since `before`). */
export async function failInterruptedJobs(db: DbOrTx, before: Date | null, excludeIds: string[]) {
  const conditions: SQL[] = [inArray(j.status, ["validating", "importing"])];
  if (before) conditions.push(sql`${j.updatedAt} < ${before.toISOString()}::timestamptz`);
  if (excludeIds.length) conditions.push(sql`${j.id} <> all(${sqlUuids(excludeIds)})`);
  return db
    .update(j)
    .set({
      status: "failed",
      failure: "interrupted",
      fileEnc: null,
      result: sql`${j.result} - 'previewEnc'`,
      finishedAt: new Date(),
      updatedAt: new Date(),
    })
    .where(and(...conditions))
    .returning({ departmentId: j.departmentId, id: j.id });
}

/** Jobs left unfinished for long (uploaded, never committed): cancelled, their files erased. */
export async function expireAbandonedJobs(db: DbOrTx, departmentId: string, before: Date) {
  return db
    .update(j)
    .set({
      status: "cancelled",
      failure: "expired",
      fileEnc: null,
      result: sql`${j.result} - 'previewEnc'`,
      finishedAt: new Date(),
      updatedAt: new Date(),
    })
    .where(
      and(
        eq(j.departmentId, departmentId),
        inArray(j.status, ["uploaded", "validated"]),
        sql`${j.updatedAt} < ${before.toISOString()}::timestamptz`,
      ),
    )
    .returning({ departmentId: j.departmentId, id: j.id });
}

const sqlUuids = (ids: string[]) =>
  sql`array[${sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  )}]`;

/* ------------------------------------------------------------------ */
/* Staged rows                                                          */
/* ------------------------------------------------------------------ */

export async function insertStagedRows(
  db: DbOrTx,
  departmentId: string,
  importId: string,
  rows: { rowNo: number; data: Record<string, unknown> }[],
) {
  if (rows.length === 0) return;
  await db
    .insert(ir)
    .values(rows.map((r) => ({ departmentId, importId, rowNo: r.rowNo, data: r.data })));
}

export async function deleteStagedRows(db: DbOrTx, departmentId: string, importId: string) {
  await db.delete(ir).where(and(eq(ir.departmentId, departmentId), eq(ir.importId, importId)));
}

/** Staged rows of jobs that are over (left behind by a stopped process). */
export async function deleteOrphanStagedRows(db: DbOrTx) {
  await db.execute(sql`
    delete from import_rows r using import_jobs j
    where j.department_id = r.department_id and j.id = r.import_id
      and j.status in ('done', 'failed', 'cancelled')`);
}

/* ------------------------------------------------------------------ */
/* Lookups for validation                                               */
/* ------------------------------------------------------------------ */

export async function communitiesOf(db: DbOrTx, departmentId: string): Promise<CommunityInfo[]> {
  const c = schema.communities;
  const rows = await db
    .select({
      id: c.id,
      parentId: c.parentId,
      name: c.name,
      altNames: c.altNames,
      kind: c.kind,
      level: c.level,
      statAreaCode: c.statAreaCode,
      boundary: c.boundary,
    })
    .from(c)
    .where(and(eq(c.departmentId, departmentId), isNull(c.archivedAt)));
  return rows.map((r) => ({ ...r, boundary: r.boundary as GeoJsonGeometry | null }));
}

export async function streetsOfTown(
  db: DbOrTx,
  departmentId: string,
  townId: string,
): Promise<StreetInfo[]> {
  const s = schema.streets;
  return db
    .select({ id: s.id, name: s.name, altNames: s.altNames })
    .from(s)
    .where(and(eq(s.departmentId, departmentId), eq(s.townId, townId)));
}

export async function organizationsOf(db: DbOrTx, departmentId: string) {
  const o = schema.organizations;
  return db
    .select({ id: o.id, name: o.name, altNames: o.altNames })
    .from(o)
    .where(and(eq(o.departmentId, departmentId), isNull(o.archivedAt)));
}

/** Names and types of the department's live assets (duplicate check). */
export async function assetKeysOf(db: DbOrTx, departmentId: string) {
  const l = schema.locations;
  return db
    .select({ name: l.name, type: l.assetType })
    .from(l)
    .where(and(eq(l.departmentId, departmentId), isNull(l.archivedAt)));
}

/**
 * Live residents of the department sharing an ID number (blind index) or a phone
 * with rows of the file — only what the duplicate check compares, no other field.
 */
export async function residentMatches(
  db: DbOrTx,
  departmentId: string,
  idHashes: string[],
  phones: string[],
) {
  if (idHashes.length === 0 && phones.length === 0) return [];
  const r = schema.residents;
  const any: SQL[] = [];
  if (idHashes.length) any.push(inArray(r.idNumberHash, idHashes));
  if (phones.length) any.push(inArray(r.phone, phones));
  return db
    .select({
      idNumberHash: r.idNumberHash,
      phone: r.phone,
      firstName: r.firstName,
      lastName: r.lastName,
    })
    .from(r)
    .where(
      and(
        eq(r.departmentId, departmentId),
        isNull(r.mergedIntoId),
        isNull(r.archivedAt),
        sql`(${sql.join(any, sql` or `)})`,
      ),
    );
}

/* ------------------------------------------------------------------ */
/* Commit (inside the caller's transaction)                             */
/* ------------------------------------------------------------------ */

const countOf = async (db: DbOrTx, query: SQL): Promise<number> => {
  const result = await db.execute(
    sql`with done as (${query} returning 1) select count(*)::int as n from done`,
  );
  return rowsOf<{ n: number }>(result)[0]?.n ?? 0;
};

const staged = (departmentId: string, importId: string) =>
  sql`s.department_id = ${departmentId} and s.import_id = ${importId}::uuid`;

/**
 * Leaves out staged residents whose ID number has reached the department since
 * validation (when duplicates are skipped). The number left out.
 */
export async function dropResidentsAddedMeanwhile(
  db: DbOrTx,
  departmentId: string,
  importId: string,
) {
  return countOf(
    db,
    sql`delete from import_rows s where ${staged(departmentId, importId)}
      and s.data->>'id_number_hash' is not null
      and exists (select 1 from residents r where r.department_id = s.department_id
        and r.id_number_hash = s.data->>'id_number_hash' and r.merged_into_id is null and r.archived_at is null)`,
  );
}

/** Moves staged residents into residents, households, memberships and consents. */
export async function commitResidents(
  db: DbOrTx,
  departmentId: string,
  importId: string,
  by: { userId: string; consentMethod: string },
) {
  const households = await countOf(
    db,
    sql`insert into households (department_id, id, label)
      select distinct on ((s.data->>'household_id')::uuid) s.department_id,
        (s.data->>'household_id')::uuid, coalesce(s.data->>'x_household_label', '')
      from import_rows s
      where ${staged(departmentId, importId)} and s.data->>'household_id' is not null
      order by (s.data->>'household_id')::uuid, s.row_no`,
  );
  const created = await countOf(
    db,
    sql`insert into residents (department_id, id, first_name, last_name, other_names, search_text,
        phone, email, birth_year, gender, street_id, house_number, apartment, address_note, lat, lon,
        home_community_id, languages, household_id, household_role, community_roles, skills,
        consents, flags_enc, flag_tokens, health_notes_enc, id_number_enc, id_number_hash, notes,
        created_by)
      select s.department_id, x.id, x.first_name, x.last_name, coalesce(x.other_names, ''),
        coalesce(x.search_text, ''), x.phone, x.email, x.birth_year, x.gender, x.street_id,
        x.house_number, x.apartment, coalesce(x.address_note, ''), x.lat, x.lon,
        x.home_community_id, coalesce(x.languages, '{}'), x.household_id, x.household_role,
        coalesce(x.community_roles, '{}'), coalesce(x.skills, '{}'), coalesce(x.consents, '{}'),
        x.flags_enc, coalesce(x.flag_tokens, '{}'), x.health_notes_enc, x.id_number_enc,
        x.id_number_hash, coalesce(x.notes, ''), ${by.userId}
      from import_rows s, jsonb_populate_record(null::residents, s.data) x
      where ${staged(departmentId, importId)}
      order by s.row_no`,
  );
  const memberships = await countOf(
    db,
    sql`insert into resident_communities (department_id, resident_id, community_id, source)
      select distinct s.department_id, (s.data->>'id')::uuid, c.value::uuid, 'import'
      from import_rows s, jsonb_array_elements_text(s.data->'x_communities') c
      where ${staged(departmentId, importId)}`,
  );
  const consents = await countOf(
    db,
    sql`insert into resident_consents (department_id, resident_id, purpose, granted, method, recorded_by)
      select s.department_id, (s.data->>'id')::uuid, p.value, true, ${by.consentMethod}, ${by.userId}
      from import_rows s, jsonb_array_elements_text(s.data->'consents') p
      where ${staged(departmentId, importId)}`,
  );
  return { created, households, memberships, consents };
}

/** Moves staged assets into organizations (new ones), locations and schedules. */
export async function commitAssets(
  db: DbOrTx,
  departmentId: string,
  importId: string,
  by: { userId: string },
) {
  const organizations = await countOf(
    db,
    sql`insert into organizations (department_id, id, name)
      select distinct on ((s.data->'x_new_organization'->>'id')::uuid) s.department_id,
        (s.data->'x_new_organization'->>'id')::uuid, s.data->'x_new_organization'->>'name'
      from import_rows s
      where ${staged(departmentId, importId)} and jsonb_typeof(s.data->'x_new_organization') = 'object'
      order by (s.data->'x_new_organization'->>'id')::uuid, s.row_no`,
  );
  const created = await countOf(
    db,
    sql`insert into locations (department_id, id, organization_id, name, asset_type, description,
        street_id, house_number, address, community_id, lat, lon, capacity, accessibility, phone,
        email, website, languages, created_by)
      select s.department_id, x.id, x.organization_id, x.name, x.asset_type,
        coalesce(x.description, ''), x.street_id, x.house_number, coalesce(x.address, ''),
        x.community_id, x.lat, x.lon, x.capacity, coalesce(x.accessibility, ''), x.phone, x.email,
        x.website, coalesce(x.languages, '{}'), ${by.userId}
      from import_rows s, jsonb_populate_record(null::locations, s.data) x
      where ${staged(departmentId, importId)}
      order by s.row_no`,
  );
  const schedules = await countOf(
    db,
    sql`insert into schedules (department_id, location_id, by_day, opens_at, closes_at, description)
      select s.department_id, (s.data->>'id')::uuid, h.value->>'by_day', h.value->>'opens_at',
        h.value->>'closes_at', coalesce(h.value->>'description', '')
      from import_rows s, jsonb_array_elements(s.data->'x_schedules') h
      where ${staged(departmentId, importId)}`,
  );
  return { created, organizations, schedules };
}

/** The staged figures as (community, indicator, period, value) rows. */
export async function stagedFigures(db: DbOrTx, departmentId: string, importId: string) {
  const result = await db.execute(
    sql`select s.data->>'community_id' as "communityId", v.key as indicator,
        s.data->>'period' as period, (v.value #>> '{}')::float8 as value
      from import_rows s, jsonb_each(s.data->'values') v
      where ${staged(departmentId, importId)}
      order by s.row_no, v.key`,
  );
  return rowsOf<{ communityId: string; indicator: string; period: string; value: number }>(result);
}
