import { and, asc, count, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { schema, type DbOrTx } from "@kaveret/db";
import type { ResidentScope } from "../residents/residents.scope.ts";
import { ADDRESS_NAME_SIMILARITY, NAME_ONLY_SIMILARITY } from "./duplicates.score.ts";

/**
 * The only code of the duplicates module that touches the database. Every query
 * that returns residents is limited by the reader's `residentScope` (visible AND
 * full), so no one finds or merges a record they could not open in full.
 *
 * It finds who might be alike, on indexed columns (department first), and returns the
 * signs; duplicates.score.ts decides what they mean:
 * - same phone (residents_phone_idx), same ID number through its blind index
 *   (residents_id_hash_idx; never decrypted to compare);
 * - the people of the same street + house number (residents_address_idx) — in the
 *   department's queue only those whose first names share `name_key`
 *   (residents_address_name_idx), so a family is not compared pairwise;
 * - very similar full names (the trigram GIN index with a raised threshold).
 *
 * Names are compared by the greater of two trigram similarities: of the normalized
 * names, and of their consonant skeletons (which match across scripts:
 * "أحمد مصاروة" and "אחמד מסארווה").
 */

const r = schema.residents;
const street = alias(schema.streets, "dup_street");
const home = alias(schema.communities, "dup_home");

export type ResidentRow = typeof r.$inferSelect;

/**
 * A phone or ID shared by more records than this is a switchboard or a data-entry
 * habit, not a duplicate (nor are a dozen people of one first name at one address).
 * Bounding the groups bounds the queue's work.
 */
export const MAX_SHARED_GROUP = 8;
/** The queue compares at most this many pairs (a department with more has other problems). */
export const MAX_QUEUE_PAIRS = 50_000;

/** What a duplicate check compares: the values of a new record, or of an existing one. */
export type Probe = {
  departmentId: string;
  phone: string | null;
  idNumberHash: string | null;
  streetId: string | null;
  houseNumber: string | null;
  apartment: string | null;
  /** buildSearchText of the names. */
  searchText: string;
  excludeId: string | null;
};

/** Trigram similarity of two search texts ("normalized ~ skeletons"). */
const textSimilarity = (a: SQL, b: SQL) => sql<number>`similarity(${a}, ${b})::float8`;
/** Trigram similarity of their skeleton parts (alike across scripts). */
const skeletonSimilarity = (a: SQL, b: SQL) =>
  sql<number>`similarity(split_part(${a}, ' ~ ', 2), split_part(${b}, ' ~ ', 2))::float8`;
/** The greater of the two (a bound: duplicates.score.ts decides which one counts). */
const nameSimilarity = (a: SQL, b: SQL) =>
  sql<number>`greatest(${textSimilarity(a, b)}, ${skeletonSimilarity(a, b)})`;

/** The columns a resident list row needs (residents.presenter.ts) plus stored flags. */
const listColumns = {
  id: r.id,
  firstName: r.firstName,
  lastName: r.lastName,
  otherNames: r.otherNames,
  phone: r.phone,
  email: r.email,
  birthYear: r.birthYear,
  streetId: r.streetId,
  houseNumber: r.houseNumber,
  apartment: r.apartment,
  addressNote: r.addressNote,
  homeCommunityId: r.homeCommunityId,
  languages: r.languages,
  communityRoles: r.communityRoles,
  consents: r.consents,
  householdId: r.householdId,
  lat: r.lat,
  version: r.version,
  updatedAt: r.updatedAt,
  flagsEnc: r.flagsEnc,
  streetName: street.name,
  homeCommunityName: home.name,
};

const streetJoin = and(eq(street.departmentId, r.departmentId), eq(street.id, r.streetId));
const homeJoin = and(eq(home.departmentId, r.departmentId), eq(home.id, r.homeCommunityId));

/** Readable in full by the scope's reader (and live). */
const fullyVisible = (scope: ResidentScope) => sql`(${scope.visible} and ${scope.full})`;

/**
 * Records that might be the probe's person, with the signs: sharing its phone or ID,
 * living in its building, or named very much alike (at most a few hundred rows). With
 * `onlyId`, that one record (for comparing a chosen pair). Run it in a transaction
 * after setNameThreshold.
 */
export async function findCandidates(
  db: DbOrTx,
  scope: ResidentScope,
  probe: Probe,
  onlyId?: string,
) {
  const d = probe.departmentId;
  const arms: SQL[] = [];
  if (probe.phone) {
    arms.push(sql`(select x.id from residents x where x.department_id = ${d}
      and x.phone = ${probe.phone} limit 100)`);
  }
  if (probe.idNumberHash) {
    arms.push(sql`(select x.id from residents x where x.department_id = ${d}
      and x.id_number_hash = ${probe.idNumberHash} limit 100)`);
  }
  if (probe.streetId && probe.houseNumber) {
    arms.push(sql`(select x.id from residents x where x.department_id = ${d}
      and x.street_id = ${probe.streetId} and x.house_number = ${probe.houseNumber} limit 200)`);
  }
  if (probe.searchText) {
    // `%` uses the trigram GIN index at the threshold set by the caller's transaction.
    arms.push(sql`(select x.id from residents x where x.department_id = ${d}
      and x.search_text % ${probe.searchText}
      order by similarity(x.search_text, ${probe.searchText}) desc limit 50)`);
  }
  if (arms.length === 0 && !onlyId) return [];

  const probeText = sql`${probe.searchText}::text`;
  const similarity = nameSimilarity(sql`${r.searchText}`, probeText);
  const samePhone = probe.phone ? sql`coalesce(${r.phone} = ${probe.phone}, false)` : sql`false`;
  const sameId = probe.idNumberHash
    ? sql`coalesce(${r.idNumberHash} = ${probe.idNumberHash}, false)`
    : sql`false`;
  const sameBuilding =
    probe.streetId && probe.houseNumber
      ? sql`coalesce(${r.streetId} = ${probe.streetId} and ${r.houseNumber} = ${probe.houseNumber}, false)`
      : sql`false`;
  // Two flats of one building are two homes.
  const sameHome = probe.apartment
    ? sql`(${sameBuilding} and (${r.apartment} is null or ${r.apartment} = ${probe.apartment}))`
    : sameBuilding;

  return db
    .select({
      ...listColumns,
      sameIdNumber: sql<boolean>`${sameId}`,
      samePhone: sql<boolean>`${samePhone}`,
      sameBuilding: sql<boolean>`${sameBuilding}`,
      sameHome: sql<boolean>`${sameHome}`,
      textSimilarity: textSimilarity(sql`${r.searchText}`, probeText).mapWith(Number),
      skeletonSimilarity: skeletonSimilarity(sql`${r.searchText}`, probeText).mapWith(Number),
    })
    .from(r)
    .leftJoin(street, streetJoin)
    .leftJoin(home, homeJoin)
    .where(
      and(
        eq(r.departmentId, d),
        onlyId ? eq(r.id, onlyId) : sql`${r.id} in (${sql.join(arms, sql` union `)})`,
        fullyVisible(scope),
        probe.excludeId ? sql`${r.id} <> ${probe.excludeId}` : undefined,
        onlyId
          ? undefined
          : sql`(${samePhone} or ${sameId} or ${sameBuilding} or ${similarity} >= ${NAME_ONLY_SIMILARITY})`,
      ),
    )
    .orderBy(asc(r.lastName), asc(r.firstName), asc(r.id))
    .limit(500);
}

/**
 * Raises pg_trgm's similarity threshold for the rest of the transaction, so the
 * trigram index returns only close names (the default 0.3 returns every "Cohen").
 */
export async function setNameThreshold(tx: DbOrTx, threshold: number): Promise<void> {
  await tx.execute(
    sql`select set_config('pg_trgm.similarity_threshold', ${String(threshold)}, true)`,
  );
}

/** A pair of the queue with its signs (scored by duplicates.score.ts). */
export type PairRow = {
  aId: string;
  bId: string;
  sameIdNumber: boolean;
  samePhone: boolean;
  sameBuilding: boolean;
  sameHome: boolean;
  textSimilarity: number;
  skeletonSimilarity: number;
  aFirstName: string;
  aLastName: string;
  aBirthYear: number | null;
  bFirstName: string;
  bLastName: string;
  bBirthYear: number | null;
  /** Record a was made before record b. */
  aIsOlder: boolean;
};

/**
 * The department's candidate pairs with their signs: records sharing a phone or an ID
 * hash (groups of bounded size), and people of one street + house whose first names
 * share `name_key` and whose names are alike. Each group-by reads one index alone; then
 * the work grows with the pairs found, not with the department. Run it in a transaction.
 */
export async function listPairs(
  db: DbOrTx,
  scope: ResidentScope,
  departmentId: string,
): Promise<PairRow[]> {
  const d = departmentId;
  const live = (t: string) => sql.raw(`${t}.merged_into_id is null and ${t}.archived_at is null`);
  const pairsPerGroup = (MAX_SHARED_GROUP * (MAX_SHARED_GROUP - 1)) / 2;
  // Pairs are formed inside each (small) group by index lookups: the LATERAL ... LIMIT
  // keeps the planner from hashing the whole table to join a few thousand groups.
  // Its cost estimate is large, yet the work is index scans: compiling it (JIT) would
  // take longer than running it, so JIT is off for this transaction.
  await db.execute(sql`select set_config('jit', 'off', true)`);
  const result = await db.execute(sql`
    with phone_groups as (
      -- From the index alone (merged and archived records are dropped when pairing).
      select x.phone from residents x
      where x.department_id = ${d} and x.phone is not null
      group by x.phone having count(*) between 2 and ${MAX_SHARED_GROUP}
    ), id_groups as (
      select x.id_number_hash from residents x
      where x.department_id = ${d} and x.id_number_hash is not null
      group by x.id_number_hash having count(*) between 2 and ${MAX_SHARED_GROUP}
    ), address_groups as (
      -- Live residents of one street + house whose first names share a key (residents_address_name_idx).
      select x.street_id, x.house_number, x.name_key from residents x
      where x.department_id = ${d} and x.street_id is not null and x.house_number is not null
        and ${live("x")}
      group by x.street_id, x.house_number, x.name_key
      having count(*) between 2 and ${MAX_SHARED_GROUP}
    ), found as (
      select pr.a_id, pr.b_id from phone_groups g cross join lateral (
        select a.id as a_id, b.id as b_id from residents a
          join residents b on b.department_id = ${d} and b.phone = a.phone and b.id > a.id
            and ${live("b")}
        where a.department_id = ${d} and a.phone = g.phone and ${live("a")}
        limit ${pairsPerGroup}
      ) pr
      union
      select pr.a_id, pr.b_id from id_groups g cross join lateral (
        select a.id as a_id, b.id as b_id from residents a
          join residents b on b.department_id = ${d} and b.id_number_hash = a.id_number_hash
            and b.id > a.id and ${live("b")}
        where a.department_id = ${d} and a.id_number_hash = g.id_number_hash and ${live("a")}
        limit ${pairsPerGroup}
      ) pr
      union
      select pr.a_id, pr.b_id from address_groups g cross join lateral (
        select a.id as a_id, b.id as b_id from residents a
          join residents b on b.department_id = ${d} and b.street_id = a.street_id
            and b.house_number = a.house_number and b.name_key = a.name_key and b.id > a.id
            and ${live("b")}
        where a.department_id = ${d} and a.street_id = g.street_id
          and a.house_number = g.house_number and a.name_key = g.name_key and ${live("a")}
          and ${nameSimilarity(sql`a.search_text`, sql`b.search_text`)} >= ${ADDRESS_NAME_SIMILARITY}
        limit ${pairsPerGroup}
      ) pr
    ), with_a as (
      -- The scope's SQL speaks of the unaliased "residents": first side a, then side b,
      -- each looked up by its key (LIMIT 1 keeps it a lookup, not a hash of the table).
      select f.b_id, a.* from found f cross join lateral (
        select residents.id as a_id, residents.phone as a_phone,
          residents.id_number_hash as a_hash, residents.street_id as a_street,
          residents.house_number as a_house, residents.apartment as a_apartment,
          residents.search_text as a_text, residents.first_name as a_first,
          residents.last_name as a_last, residents.birth_year as a_year,
          residents.created_at as a_created
        from residents
        where residents.department_id = ${d} and residents.id = f.a_id and ${fullyVisible(scope)}
        limit 1
      ) a
      limit ${MAX_QUEUE_PAIRS}
    )
    select w.a_id as "aId", b.* from with_a w cross join lateral (
      select residents.id as "bId",
        coalesce(w.a_hash = residents.id_number_hash, false) as "sameIdNumber",
        coalesce(w.a_phone = residents.phone, false) as "samePhone",
        coalesce(w.a_street = residents.street_id and w.a_house = residents.house_number,
          false) as "sameBuilding",
        coalesce(w.a_street = residents.street_id and w.a_house = residents.house_number
          and (w.a_apartment is null or residents.apartment is null
            or w.a_apartment = residents.apartment), false) as "sameHome",
        ${textSimilarity(sql`w.a_text`, sql`residents.search_text`)} as "textSimilarity",
        ${skeletonSimilarity(sql`w.a_text`, sql`residents.search_text`)} as "skeletonSimilarity",
        w.a_first as "aFirstName", w.a_last as "aLastName", w.a_year as "aBirthYear",
        residents.first_name as "bFirstName", residents.last_name as "bLastName",
        residents.birth_year as "bBirthYear",
        w.a_created < residents.created_at as "aIsOlder"
      from residents
      where residents.department_id = ${d} and residents.id = w.b_id and ${fullyVisible(scope)}
      limit 1
    ) b`);
  return (result as unknown as { rows: PairRow[] }).rows.map((row) => ({
    ...row,
    textSimilarity: Number(row.textSimilarity),
    skeletonSimilarity: Number(row.skeletonSimilarity),
  }));
}

/** List rows of these residents, when readable in full (for presenting pairs). */
export async function listRowsByIds(
  db: DbOrTx,
  scope: ResidentScope,
  departmentId: string,
  ids: string[],
) {
  if (ids.length === 0) return [];
  return db
    .select(listColumns)
    .from(r)
    .leftJoin(street, streetJoin)
    .leftJoin(home, homeJoin)
    .where(and(eq(r.departmentId, departmentId), inArray(r.id, ids), fullyVisible(scope)));
}

/* ------------------------------------------------------------------ */
/* Loading records for merging.                                         */
/* ------------------------------------------------------------------ */

/** The stored rows (any state), locked for the rest of the transaction when `lock`. */
export async function findResidents(
  db: DbOrTx,
  departmentId: string,
  ids: string[],
  options: { lock?: boolean } = {},
): Promise<ResidentRow[]> {
  const q = db
    .select()
    .from(r)
    .where(and(eq(r.departmentId, departmentId), inArray(r.id, ids)))
    .orderBy(asc(r.id));
  // Locked in id order, so two merges of the same pair cannot deadlock.
  return options.lock ? q.for("update") : q;
}

/**
 * Each resident's communities, each as a chain from the community up to the top
 * (what policy.residentAccess needs), with their caseworkers and current consents.
 */
export async function communityChains(
  db: DbOrTx,
  departmentId: string,
  ids: string[],
): Promise<Map<string, string[][]>> {
  const out = new Map<string, string[][]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  const idList = sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const result = await db.execute(sql`
    with recursive chain(resident_id, start_id, community_id, depth) as (
      select rc.resident_id, rc.community_id, rc.community_id, 0
      from resident_communities rc
      where rc.department_id = ${departmentId} and rc.resident_id in (${idList})
      union all
      select ch.resident_id, ch.start_id, c.parent_id, ch.depth + 1
      from chain ch
      join communities c on c.department_id = ${departmentId} and c.id = ch.community_id
      where c.parent_id is not null and ch.depth < 20
    )
    select resident_id as "residentId", array_agg(community_id::text order by depth) as chain
    from chain group by resident_id, start_id`);
  for (const row of (result as unknown as { rows: { residentId: string; chain: string[] }[] })
    .rows) {
    out.get(row.residentId)?.push(row.chain);
  }
  return out;
}

export async function caseworkersOf(db: DbOrTx, departmentId: string, ids: string[]) {
  if (ids.length === 0) return [];
  const cw = schema.residentCaseworkers;
  return db
    .select({ residentId: cw.residentId, userId: cw.userId, name: schema.user.name })
    .from(cw)
    .leftJoin(schema.user, eq(schema.user.id, cw.userId))
    .where(and(eq(cw.departmentId, departmentId), inArray(cw.residentId, ids)))
    .orderBy(asc(schema.user.name));
}

export async function communitiesOf(db: DbOrTx, departmentId: string, ids: string[]) {
  if (ids.length === 0) return [];
  const rc = schema.residentCommunities;
  const c = schema.communities;
  return db
    .select({
      residentId: rc.residentId,
      communityId: rc.communityId,
      source: rc.source,
      name: c.name,
    })
    .from(rc)
    .innerJoin(c, and(eq(c.departmentId, rc.departmentId), eq(c.id, rc.communityId)))
    .where(and(eq(rc.departmentId, departmentId), inArray(rc.residentId, ids)))
    .orderBy(asc(c.name));
}

export async function consentEventCounts(db: DbOrTx, departmentId: string, ids: string[]) {
  if (ids.length === 0) return new Map<string, number>();
  const rc = schema.residentConsents;
  const rows = await db
    .select({ residentId: rc.residentId, n: count() })
    .from(rc)
    .where(and(eq(rc.departmentId, departmentId), inArray(rc.residentId, ids)))
    .groupBy(rc.residentId);
  return new Map(rows.map((row) => [row.residentId, Number(row.n)]));
}

export async function consentEventIds(db: DbOrTx, departmentId: string, residentId: string) {
  const rc = schema.residentConsents;
  const rows = await db
    .select({ id: rc.id })
    .from(rc)
    .where(and(eq(rc.departmentId, departmentId), eq(rc.residentId, residentId)));
  return rows.map((row) => row.id);
}

export async function streetNames(db: DbOrTx, departmentId: string, ids: string[]) {
  if (ids.length === 0) return new Map<string, string>();
  const s = schema.streets;
  const rows = await db
    .select({ id: s.id, name: s.name })
    .from(s)
    .where(and(eq(s.departmentId, departmentId), inArray(s.id, ids)));
  return new Map(rows.map((row) => [row.id, row.name]));
}

export async function communityNames(db: DbOrTx, departmentId: string, ids: string[]) {
  if (ids.length === 0) return new Map<string, string>();
  const c = schema.communities;
  const rows = await db
    .select({ id: c.id, name: c.name })
    .from(c)
    .where(and(eq(c.departmentId, departmentId), inArray(c.id, ids)));
  return new Map(rows.map((row) => [row.id, row.name]));
}

export async function householdLabels(db: DbOrTx, departmentId: string, ids: string[]) {
  if (ids.length === 0) return new Map<string, string>();
  const h = schema.households;
  const rows = await db
    .select({ id: h.id, label: h.label })
    .from(h)
    .where(and(eq(h.departmentId, departmentId), inArray(h.id, ids)));
  return new Map(rows.map((row) => [row.id, row.label]));
}

/* ------------------------------------------------------------------ */
/* Writing a merge (inside the caller's transaction).                   */
/* ------------------------------------------------------------------ */

/** Adds the merged record's communities and caseworkers to the survivor (it keeps its own rows). */
export async function copyMemberships(
  tx: DbOrTx,
  departmentId: string,
  fromId: string,
  toId: string,
): Promise<void> {
  await tx.execute(sql`
    insert into resident_communities (department_id, resident_id, community_id, source, created_at)
    select department_id, ${toId}, community_id, source, created_at from resident_communities
    where department_id = ${departmentId} and resident_id = ${fromId}
    on conflict do nothing`);
  await tx.execute(sql`
    insert into resident_caseworkers (department_id, resident_id, user_id, created_at)
    select department_id, ${toId}, user_id, created_at from resident_caseworkers
    where department_id = ${departmentId} and resident_id = ${fromId}
    on conflict do nothing`);
}

/** Moves the merged record's consent history to the survivor; returns the purposes now granted. */
export async function moveConsents(
  tx: DbOrTx,
  departmentId: string,
  fromId: string,
  toId: string,
): Promise<string[]> {
  const rc = schema.residentConsents;
  await tx
    .update(rc)
    .set({ residentId: toId })
    .where(and(eq(rc.departmentId, departmentId), eq(rc.residentId, fromId)));
  // The latest event per purpose decides (a withdrawal after a grant wins, and vice versa).
  const result = await tx.execute(sql`
    select purpose from (
      select distinct on (purpose) purpose, granted from resident_consents
      where department_id = ${departmentId} and resident_id = ${toId}
      order by purpose, recorded_at desc
    ) latest where granted order by purpose`);
  return (result as unknown as { rows: { purpose: string }[] }).rows.map((row) => row.purpose);
}

/** Writes the survivor's new values if its version is still `version`; false when it moved on. */
export async function updateSurvivor(
  tx: DbOrTx,
  departmentId: string,
  id: string,
  version: number,
  patch: Partial<typeof r.$inferInsert>,
): Promise<ResidentRow | null> {
  const [row] = await tx
    .update(r)
    .set({ ...patch, version: sql`${r.version} + 1`, updatedAt: new Date() })
    .where(and(eq(r.departmentId, departmentId), eq(r.id, id), eq(r.version, version)))
    .returning();
  return row ?? null;
}

/** Marks the record as merged into the survivor (and re-points records merged into it before). */
export async function markMerged(
  tx: DbOrTx,
  departmentId: string,
  id: string,
  version: number,
  survivorId: string,
  patch: Partial<typeof r.$inferInsert>,
): Promise<boolean> {
  const rows = await tx
    .update(r)
    .set({
      ...patch,
      mergedIntoId: survivorId,
      version: sql`${r.version} + 1`,
      updatedAt: new Date(),
    })
    .where(and(eq(r.departmentId, departmentId), eq(r.id, id), eq(r.version, version)))
    .returning({ id: r.id });
  if (rows.length === 0) return false;
  // One hop from any old id to the live record.
  await tx
    .update(r)
    .set({ mergedIntoId: survivorId })
    .where(and(eq(r.departmentId, departmentId), eq(r.mergedIntoId, id)));
  return true;
}

export async function insertMerge(tx: DbOrTx, values: typeof schema.residentMerges.$inferInsert) {
  const [row] = await tx.insert(schema.residentMerges).values(values).returning();
  return row!;
}

/** Merges into this record, newest first, with the merged record's name and who merged. */
export async function mergesInto(db: DbOrTx, departmentId: string, survivorId: string) {
  const m = schema.residentMerges;
  const merged = alias(schema.residents, "merged");
  return db
    .select({
      id: m.id,
      mergedId: m.mergedId,
      mergedFirstName: merged.firstName,
      mergedLastName: merged.lastName,
      mergedAt: m.mergedAt,
      mergedByName: schema.user.name,
      choices: m.choices,
    })
    .from(m)
    .leftJoin(merged, and(eq(merged.departmentId, m.departmentId), eq(merged.id, m.mergedId)))
    .leftJoin(schema.user, eq(schema.user.id, m.mergedBy))
    .where(and(eq(m.departmentId, departmentId), eq(m.survivorId, survivorId)))
    .orderBy(desc(m.mergedAt))
    .limit(200);
}

/* ------------------------------------------------------------------ */
/* "Not the same person".                                               */
/* ------------------------------------------------------------------ */

/** A pair in its stored order (the smaller id first). */
export function orderedPair(x: string, y: string): { aId: string; bId: string } {
  return x < y ? { aId: x, bId: y } : { aId: y, bId: x };
}

/** "a:b" keys of the department's dismissed pairs, limited to pairs touching `ids` when given. */
export async function dismissedPairKeys(
  db: DbOrTx,
  departmentId: string,
  ids?: readonly string[],
): Promise<Set<string>> {
  const d = schema.residentDuplicateDismissals;
  const where = ids
    ? and(
        eq(d.departmentId, departmentId),
        sql`(${inArray(d.aId, [...ids])} or ${inArray(d.bId, [...ids])})`,
      )
    : eq(d.departmentId, departmentId);
  if (ids && ids.length === 0) return new Set();
  const rows = await db.select({ aId: d.aId, bId: d.bId }).from(d).where(where);
  return new Set(rows.map((r) => `${r.aId}:${r.bId}`));
}

export function pairKey(x: string, y: string): string {
  const { aId, bId } = orderedPair(x, y);
  return `${aId}:${bId}`;
}

/** Records the dismissal; false when the pair was already dismissed. */
export async function insertDismissal(
  tx: DbOrTx,
  values: { departmentId: string; aId: string; bId: string; dismissedBy: string },
): Promise<boolean> {
  const rows = await tx
    .insert(schema.residentDuplicateDismissals)
    .values(values)
    .onConflictDoNothing()
    .returning({ aId: schema.residentDuplicateDismissals.aId });
  return rows.length > 0;
}

/** Removes the dismissal; false when there was none. */
export async function deleteDismissal(
  tx: DbOrTx,
  departmentId: string,
  pair: { aId: string; bId: string },
): Promise<boolean> {
  const d = schema.residentDuplicateDismissals;
  const rows = await tx
    .delete(d)
    .where(and(eq(d.departmentId, departmentId), eq(d.aId, pair.aId), eq(d.bId, pair.bId)))
    .returning({ aId: d.aId });
  return rows.length > 0;
}
