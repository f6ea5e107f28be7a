import {
  and,
  asc,
  count,
  desc,
  eq,
  inArray,
  isNotNull,
  isNull,
  ne,
  sql,
  type SQL,
} from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { schema, type DbOrTx } from "@kaveret/db";
import { containsPattern, rowsOf } from "../../lib/sql.ts";
import { inCommunities, subtreeIds, type ResidentScope } from "./residents.scope.ts";

const r = schema.residents;
const st = schema.streets;
const c = schema.communities;
const rc = schema.residentCommunities;
const cw = schema.residentCaseworkers;
const rcons = schema.residentConsents;
const hh = schema.households;
const home = alias(schema.communities, "home_community");

export type ResidentRow = typeof r.$inferSelect;

/* ------------------------------------------------------------------ */
/* Finding people.                                                      */
/* ------------------------------------------------------------------ */

/** One word of a name search: its normalized form and its consonant skeleton ("" when none). */
export type SearchWord = { text: string; skeleton: string };

/** A list's conditions, already turned into stored forms (search keys, blind-index tokens). */
export type ResidentFilter = {
  departmentId: string;
  /** Every word must match: its letters (any script), or its skeleton (the same name in another script). */
  words?: SearchWord[];
  /** Also accept whole words within a typo or two (pg_trgm strict word similarity): costlier, used when nothing else matched. */
  fuzzy?: boolean;
  /** For relevance: the whole query, normalized. */
  relevance?: { text: string };
  /** E.164, matched exactly. */
  phone?: string;
  /** Lower case, matched exactly (or as a prefix when it ends before the domain). */
  email?: string;
  /** Members of this community or anything inside it. */
  community?: { id: string };
  flagTokens?: string[];
  roles?: string[];
  language?: string;
  consent?: string;
  streetId?: string;
  householdId?: string;
  hasLocation?: boolean;
};

export type ResidentSort = "relevance" | "name" | "updated" | "created";

const textArray = (values: string[]) =>
  sql`array[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::text[]`;

const regexEscape = (text: string) => text.replace(/[^\p{L}\p{N} ]/gu, (ch) => `\\${ch}`);

/**
 * One regular expression per word, which the trigram index (department_id, search_text)
 * serves in a single scan: the word's letters anywhere in the names (from three letters
 * on; shorter words match the start of a name), or its consonant skeleton at the start
 * of a skeleton word after the "~" ("Ahmad", "אחמד", "أحمد" all have "hmd").
 */
export function wordPattern(w: SearchWord): string {
  const letters = w.text.length >= 3 ? regexEscape(w.text) : `(^| )${regexEscape(w.text)}`;
  return w.skeleton.length >= 2 ? `(${letters}|~.* ${regexEscape(w.skeleton)})` : letters;
}

function wordCondition(f: ResidentFilter, w: SearchWord): SQL {
  const pattern = wordPattern(w);
  if (!f.fuzzy || w.text.length < 3) return sql`${r.searchText} ~ ${pattern}`;
  // Each alternative in its own index scan (an OR of different operators is not served by one).
  return sql`${r.id} in (
    select s.id from residents s where s.department_id = ${f.departmentId} and s.search_text ~ ${pattern}
    union
    select s.id from residents s where s.department_id = ${f.departmentId} and ${w.text} <<% s.search_text
  )`;
}

/**
 * The conditions of a filter. Each is shaped so an index can serve it: the trigram
 * GIN index for names, the GIN indexes on flag_tokens and consents, btree indexes
 * for phone, e-mail, street and household.
 */
function filterConditions(f: ResidentFilter, scope: ResidentScope): SQL[] {
  const where: SQL[] = [];
  // Name, phone and e-mail are what contact-level readers see; they may search by them.
  for (const w of f.words ?? []) where.push(wordCondition(f, w));
  if (f.phone) where.push(eq(r.phone, f.phone));
  if (f.email) {
    where.push(
      f.email.includes("@") && !f.email.endsWith("@")
        ? sql`lower(${r.email}) = ${f.email}`
        : sql`lower(${r.email}) like ${containsPattern(f.email).slice(1)}`,
    );
  }
  const attributes = attributeConditions(f);
  // Any other filter would let a contact-level reader (an activist) learn what they may not
  // see (flags, address, memberships, languages…): it only ever matches rows seen in full.
  if (attributes.length && scope.hasContact) where.push(scope.full);
  return [...where, ...attributes];
}

function attributeConditions(f: ResidentFilter): SQL[] {
  const where: SQL[] = [];
  if (f.community) where.push(inCommunities([f.community.id]));
  if (f.flagTokens?.length) where.push(sql`${r.flagTokens} @> ${textArray(f.flagTokens)}`);
  if (f.roles?.length) where.push(sql`${r.communityRoles} && ${textArray(f.roles)}`);
  if (f.language) where.push(sql`${r.languages} @> ${textArray([f.language])}`);
  if (f.consent) where.push(sql`${r.consents} @> ${textArray([f.consent])}`);
  if (f.streetId) where.push(eq(r.streetId, f.streetId));
  if (f.householdId) where.push(eq(r.householdId, f.householdId));
  if (f.hasLocation === true) where.push(isNotNull(r.lat));
  if (f.hasLocation === false) where.push(isNull(r.lat));
  return where;
}

/**
 * How well a row matches: per word, the start of a name in the query's own script
 * counts most, then the letters anywhere; matches by skeleton only (another script)
 * come after. Cheap string tests, so sorting thousands of matches stays fast; the
 * costlier trigram similarity only ranks the (few) typo-tolerant matches.
 */
function relevanceOf(f: ResidentFilter): SQL<number> {
  const terms = (f.words ?? []).map(
    (w) =>
      sql`(strpos(' ' || ${r.searchText}, ${` ${w.text}`}) > 0)::int * 2 + (strpos(${r.searchText}, ${w.text}) > 0)::int`,
  );
  if (f.fuzzy && f.relevance) {
    terms.push(sql`strict_word_similarity(${f.relevance.text}, ${r.searchText})`);
  }
  return sql<number>`(${sql.join(terms, sql` + `)})`;
}

function orderOf(sort: ResidentSort, f: ResidentFilter, bySort = false): SQL[] {
  // `last_name || ''` sorts the same but cannot come from residents_name_idx (see selectiveFilters).
  const lastName = bySort ? sql`${r.lastName} || ''` : asc(r.lastName);
  switch (sort) {
    case "updated":
      return [desc(r.updatedAt), desc(r.id)];
    case "created":
      return [desc(r.createdAt), desc(r.id)];
    case "relevance":
      if (f.words?.length) {
        return [desc(relevanceOf(f)), asc(r.lastName), asc(r.firstName), asc(r.id)];
      }
      return [lastName, asc(r.firstName), asc(r.id)];
    case "name":
      return [lastName, asc(r.firstName), asc(r.id)];
  }
}

/** The columns a list row carries (no encrypted field except the flags, decrypted for full rows). */
function listColumns(scope: ResidentScope) {
  return {
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
    createdAt: r.createdAt,
    flagsEnc: r.flagsEnc,
    streetName: st.name,
    homeCommunityName: home.name,
    access: sql<"full" | "contact">`${scope.access}`.as("access"),
  };
}

function selectList(db: DbOrTx, scope: ResidentScope) {
  return db
    .select(listColumns(scope))
    .from(r)
    .leftJoin(st, and(eq(st.departmentId, r.departmentId), eq(st.id, r.streetId)))
    .leftJoin(home, and(eq(home.departmentId, r.departmentId), eq(home.id, r.homeCommunityId)));
}

export type ResidentListDbRow = Awaited<
  ReturnType<ReturnType<typeof selectList>["execute"]>
>[number];

/**
 * A name search ranks at most this many matches (+1 to know there are more): a family
 * name shared by 40,000 people in a million-resident department is not read in full on
 * every keystroke; the list says "1,000+" and the reader adds a first name.
 */
export const SEARCH_CANDIDATES = 1000;

/**
 * One page of the residents the scope allows, with the total — counted up to
 * `countCap` (+1 to know there are more): an exact count of a million-row
 * department on every page view would cost more than the page itself.
 */
export async function listResidents(
  db: DbOrTx,
  scope: ResidentScope,
  f: ResidentFilter,
  sort: ResidentSort,
  page: { limit: number; offset: number },
  countCap: number,
) {
  const condition = and(scope.visible, ...filterConditions(f, scope));
  if (f.words?.length) {
    // Rank within a bounded set of matches (see SEARCH_CANDIDATES); both queries read the
    // same first matches of the index scan.
    const cap = Math.min(countCap, SEARCH_CANDIDATES);
    const candidates = () =>
      db
        .select({ id: sql<string>`${r.id}`.as("candidate_id") })
        .from(r)
        .where(condition)
        .limit(cap + 1)
        .as("candidates");
    const matched = candidates();
    const [items, [total]] = await Promise.all([
      selectList(db, scope)
        .innerJoin(matched, eq(matched.id, r.id))
        .where(eq(r.departmentId, f.departmentId))
        .orderBy(...orderOf(sort, f))
        .limit(page.limit)
        .offset(page.offset),
      db.select({ n: count() }).from(candidates()),
    ]);
    const n = total?.n ?? 0;
    return { items, total: Math.min(n, cap), capped: n > cap };
  }
  const counted = db
    .select({ one: sql`1`.as("one") })
    .from(r)
    .where(condition)
    .limit(countCap + 1)
    .as("counted");
  if (selectiveFilters(f)) {
    // Every match is read and sorted anyway (see selectiveFilters): sort only their ids and
    // sort keys, count them in the same pass, and read the page's 25 full rows afterwards —
    // carrying every column of thousands of matches through the sort cost 4× as much.
    const byName = sort === "name" || sort === "relevance";
    const pageIds = db
      .select({
        id: sql<string>`${r.id}`.as("page_id"),
        ...(byName ? { n: sql<number>`count(*) over ()`.as("page_total") } : {}),
      })
      .from(r)
      .where(condition)
      .orderBy(...orderOf(sort, f, true))
      .limit(page.limit)
      .offset(page.offset)
      .as("page_ids");
    const countAll = async () => (await db.select({ n: count() }).from(counted))[0]?.n ?? 0;
    const [rows, separateCount] = await Promise.all([
      db
        .select({
          ...listColumns(scope),
          pageTotal: byName ? sql<number>`"page_ids"."page_total"` : sql<number>`0`,
        })
        .from(pageIds)
        .innerJoin(r, and(eq(r.departmentId, f.departmentId), eq(r.id, pageIds.id)))
        .leftJoin(st, and(eq(st.departmentId, r.departmentId), eq(st.id, r.streetId)))
        .leftJoin(home, and(eq(home.departmentId, r.departmentId), eq(home.id, r.homeCommunityId)))
        .orderBy(...orderOf(sort, f)),
      byName ? null : countAll(),
    ]);
    const items: ResidentListDbRow[] = rows.map(({ pageTotal: _, ...row }) => row);
    // A page past the end has no row to carry the count.
    const n =
      separateCount ??
      (rows.length > 0 ? Number(rows[0]!.pageTotal) : page.offset === 0 ? 0 : await countAll());
    return { items, total: Math.min(n, countCap), capped: n > countCap };
  }
  const [items, [total]] = await Promise.all([
    selectList(db, scope)
      .where(condition)
      .orderBy(...orderOf(sort, f, selectiveFilters(f)))
      .limit(page.limit)
      .offset(page.offset),
    db.select({ n: count() }).from(counted),
  ]);
  const n = total?.n ?? 0;
  return { items, total: Math.min(n, countCap), capped: n > countCap };
}

/**
 * Filters that usually keep a small share of a community (flags, languages, consents,
 * roles, a street or a household): then reading the matches through residents_attrs_idx
 * and sorting them beats walking the name index past thousands of non-matches — which
 * the planner, misjudging how these columns go together, would otherwise do.
 */
function selectiveFilters(f: ResidentFilter): boolean {
  return Boolean(
    f.flagTokens?.length ||
    f.roles?.length ||
    f.language ||
    f.consent ||
    f.streetId ||
    f.householdId,
  );
}

/** Where a keyset walk (exports) stopped: the sort key of the last row. */
export type ResidentCursor =
  | { sort: "name"; lastName: string; firstName: string; id: string }
  | { sort: "updated" | "created"; at: string; id: string };

/**
 * A batch of residents after `cursor`, in a stable order (name, or newest first),
 * for exports: keyset pagination, so the millionth row costs what the first does.
 */
export async function residentBatch(
  db: DbOrTx,
  scope: ResidentScope,
  f: ResidentFilter,
  sort: "name" | "updated" | "created",
  cursor: ResidentCursor | null,
  limit: number,
) {
  const where: (SQL | undefined)[] = [scope.visible, ...filterConditions(f, scope)];
  if (cursor?.sort === "name") {
    where.push(
      sql`(${r.lastName}, ${r.firstName}, ${r.id}) > (${cursor.lastName}, ${cursor.firstName}, ${cursor.id}::uuid)`,
    );
  } else if (cursor) {
    const column = cursor.sort === "updated" ? r.updatedAt : r.createdAt;
    where.push(sql`(${column}, ${r.id}) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)`);
  }
  const column = sort === "updated" ? r.updatedAt : r.createdAt;
  const rows = await db
    .select({ ...listColumns(scope), cursorAt: sql<string>`${column}::text`.as("cursor_at") })
    .from(r)
    .leftJoin(st, and(eq(st.departmentId, r.departmentId), eq(st.id, r.streetId)))
    .leftJoin(home, and(eq(home.departmentId, r.departmentId), eq(home.id, r.homeCommunityId)))
    .where(and(...where))
    .orderBy(...orderOf(sort, f))
    .limit(limit);
  return rows;
}

/* ------------------------------------------------------------------ */
/* One resident.                                                        */
/* ------------------------------------------------------------------ */

/** The stored record with its street and home community names (any state: live, archived, merged). */
export async function findResident(db: DbOrTx, departmentId: string, id: string) {
  const [row] = await db
    .select({ resident: r, streetName: st.name, homeCommunityName: home.name })
    .from(r)
    .leftJoin(st, and(eq(st.departmentId, r.departmentId), eq(st.id, r.streetId)))
    .leftJoin(home, and(eq(home.departmentId, r.departmentId), eq(home.id, r.homeCommunityId)))
    .where(and(eq(r.departmentId, departmentId), eq(r.id, id)))
    .limit(1);
  return row;
}
export type ResidentWithNames = NonNullable<Awaited<ReturnType<typeof findResident>>>;

/** Whether the scope lets its reader see this resident (used for a merged record's survivor). */
export async function isVisible(db: DbOrTx, scope: ResidentScope, id: string): Promise<boolean> {
  const [row] = await db
    .select({ id: r.id })
    .from(r)
    .where(and(scope.visible, eq(r.id, id)))
    .limit(1);
  return row !== undefined;
}

export async function memberships(db: DbOrTx, departmentId: string, residentId: string) {
  return db
    .select({
      communityId: rc.communityId,
      source: rc.source,
      name: c.name,
      kind: c.kind,
      level: c.level,
    })
    .from(rc)
    .innerJoin(c, and(eq(c.departmentId, rc.departmentId), eq(c.id, rc.communityId)))
    .where(and(eq(rc.departmentId, departmentId), eq(rc.residentId, residentId)))
    .orderBy(asc(c.name));
}

export async function caseworkers(db: DbOrTx, departmentId: string, residentId: string) {
  return db
    .select({ id: cw.userId, name: schema.user.name })
    .from(cw)
    .innerJoin(schema.user, eq(schema.user.id, cw.userId))
    .where(and(eq(cw.departmentId, departmentId), eq(cw.residentId, residentId)))
    .orderBy(asc(schema.user.name));
}

/** The ids of these communities and of everything nested inside them. */
export async function subtreeOf(
  db: DbOrTx,
  departmentId: string,
  rootIds: string[],
): Promise<string[]> {
  if (rootIds.length === 0) return [];
  const result = await db.execute(sql`${subtreeIds(departmentId, rootIds)}`);
  return rowsOf<{ id: string }>(result).map((row) => row.id);
}

/** Consent history, newest first, with who recorded each event. */
export async function consentHistory(db: DbOrTx, departmentId: string, residentIds: string[]) {
  if (residentIds.length === 0) return [];
  return db
    .select({
      id: rcons.id,
      residentId: rcons.residentId,
      purpose: rcons.purpose,
      granted: rcons.granted,
      method: rcons.method,
      note: rcons.note,
      recordedAt: rcons.recordedAt,
      recordedByName: schema.user.name,
    })
    .from(rcons)
    .leftJoin(schema.user, eq(schema.user.id, rcons.recordedBy))
    .where(and(eq(rcons.departmentId, departmentId), inArray(rcons.residentId, residentIds)))
    .orderBy(desc(rcons.recordedAt), desc(rcons.id));
}

/** Ids of records merged into this one (directly). */
export async function mergedIds(db: DbOrTx, departmentId: string, survivorId: string) {
  const rows = await db
    .select({ id: schema.residentMerges.mergedId })
    .from(schema.residentMerges)
    .where(
      and(
        eq(schema.residentMerges.departmentId, departmentId),
        eq(schema.residentMerges.survivorId, survivorId),
      ),
    );
  return rows.map((row) => row.id);
}

/** Members of a household that the scope lets its reader see, as list rows. */
export async function householdMembers(
  db: DbOrTx,
  scope: ResidentScope,
  departmentId: string,
  householdId: string,
) {
  return selectList(db, scope)
    .where(and(scope.visible, eq(r.departmentId, departmentId), eq(r.householdId, householdId)))
    .orderBy(asc(r.lastName), asc(r.firstName), asc(r.id))
    .limit(100);
}

/** Members of a household (live records), for the detail view (names and roles only). */
export async function householdMemberNames(
  db: DbOrTx,
  scope: ResidentScope,
  householdId: string,
  exceptId: string,
) {
  return db
    .select({
      id: r.id,
      firstName: r.firstName,
      lastName: r.lastName,
      householdRole: r.householdRole,
    })
    .from(r)
    .where(and(scope.visible, eq(r.householdId, householdId), ne(r.id, exceptId)))
    .orderBy(asc(r.lastName), asc(r.firstName))
    .limit(100);
}

export async function findHousehold(db: DbOrTx, departmentId: string, id: string) {
  const [row] = await db
    .select()
    .from(hh)
    .where(and(eq(hh.departmentId, departmentId), eq(hh.id, id)))
    .limit(1);
  return row;
}

export async function insertHousehold(db: DbOrTx, departmentId: string, label: string) {
  const [row] = await db.insert(hh).values({ departmentId, label }).returning();
  return row!;
}

export async function updateHouseholdIfVersion(
  db: DbOrTx,
  departmentId: string,
  id: string,
  version: number,
  label: string,
) {
  const [row] = await db
    .update(hh)
    .set({ label, version: sql`${hh.version} + 1`, updatedAt: new Date() })
    .where(and(eq(hh.departmentId, departmentId), eq(hh.id, id), eq(hh.version, version)))
    .returning();
  return row;
}

export async function findStreet(db: DbOrTx, departmentId: string, id: string) {
  const [row] = await db
    .select({ id: st.id, name: st.name })
    .from(st)
    .where(and(eq(st.departmentId, departmentId), eq(st.id, id)))
    .limit(1);
  return row;
}

/** The live (not archived) communities among `ids`, with kind and level. */
export async function liveCommunities(db: DbOrTx, departmentId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select({ id: c.id, name: c.name, kind: c.kind, level: c.level })
    .from(c)
    .where(and(eq(c.departmentId, departmentId), inArray(c.id, ids), isNull(c.archivedAt)));
}

/** Which of these user ids are active social workers of the department. */
export async function activeSocialWorkers(db: DbOrTx, departmentId: string, userIds: string[]) {
  if (userIds.length === 0) return new Set<string>();
  const ra = schema.roleAssignments;
  const rows = await db
    .select({ userId: ra.userId })
    .from(ra)
    .innerJoin(schema.user, eq(schema.user.id, ra.userId))
    .where(
      and(
        eq(ra.departmentId, departmentId),
        eq(ra.role, "social_worker"),
        eq(ra.active, true),
        eq(schema.user.active, true),
        inArray(ra.userId, userIds),
      ),
    );
  return new Set(rows.map((row) => row.userId));
}

export async function insertResident(db: DbOrTx, values: typeof r.$inferInsert) {
  const [row] = await db.insert(r).values(values).returning({ id: r.id });
  return row!;
}

/** Applies a patch only if the stored version is the expected one; undefined when it moved on. */
export async function updateResidentIfVersion(
  db: DbOrTx,
  departmentId: string,
  id: string,
  expectedVersion: number,
  patch: Partial<typeof r.$inferInsert>,
) {
  const [row] = await db
    .update(r)
    .set({ ...patch, version: sql`${r.version} + 1`, updatedAt: new Date() })
    .where(and(eq(r.departmentId, departmentId), eq(r.id, id), eq(r.version, expectedVersion)))
    .returning({ id: r.id, version: r.version });
  return row;
}

/** Replaces the resident's memberships with `wanted` (community id → source), keeping unchanged rows. */
export async function replaceMemberships(
  db: DbOrTx,
  departmentId: string,
  residentId: string,
  wanted: Map<string, string>,
) {
  const current = await db
    .select({ communityId: rc.communityId, source: rc.source })
    .from(rc)
    .where(and(eq(rc.departmentId, departmentId), eq(rc.residentId, residentId)));
  const gone = current.filter((m) => !wanted.has(m.communityId)).map((m) => m.communityId);
  if (gone.length) {
    await db
      .delete(rc)
      .where(
        and(
          eq(rc.departmentId, departmentId),
          eq(rc.residentId, residentId),
          inArray(rc.communityId, gone),
        ),
      );
  }
  const byId = new Map(current.map((m) => [m.communityId, m.source]));
  for (const [communityId, source] of wanted) {
    const had = byId.get(communityId);
    if (had === undefined) {
      await db.insert(rc).values({ departmentId, residentId, communityId, source });
    } else if (had !== source) {
      await db
        .update(rc)
        .set({ source })
        .where(
          and(
            eq(rc.departmentId, departmentId),
            eq(rc.residentId, residentId),
            eq(rc.communityId, communityId),
          ),
        );
    }
  }
}

export async function replaceCaseworkers(
  db: DbOrTx,
  departmentId: string,
  residentId: string,
  userIds: string[],
) {
  await db.delete(cw).where(and(eq(cw.departmentId, departmentId), eq(cw.residentId, residentId)));
  if (userIds.length) {
    await db.insert(cw).values(userIds.map((userId) => ({ departmentId, residentId, userId })));
  }
}

export async function insertConsentEvent(db: DbOrTx, values: typeof rcons.$inferInsert) {
  const [row] = await db.insert(rcons).values(values).returning();
  return row!;
}

/**
 * Adds or removes one purpose in the current consent set, in the same statement
 * (no read-modify-write race with another request on the same resident).
 */
export async function setConsent(
  db: DbOrTx,
  departmentId: string,
  id: string,
  purpose: string,
  granted: boolean,
) {
  const [row] = await db
    .update(r)
    .set({
      consents: granted
        ? sql`(select array(select distinct p from unnest(array_append(${r.consents}, ${purpose}::text)) p order by p))`
        : sql`array_remove(${r.consents}, ${purpose}::text)`,
      updatedAt: new Date(),
    })
    .where(and(eq(r.departmentId, departmentId), eq(r.id, id)))
    .returning({ consents: r.consents });
  return row?.consents ?? [];
}

/** Audit events about these residents (their changes, reveals, reads and merges), newest first. */
export async function auditOf(
  db: DbOrTx,
  departmentId: string,
  residentIds: string[],
  limit: number,
) {
  const a = schema.auditEvents;
  return db
    .select({
      at: a.createdAt,
      action: a.action,
      actorName: schema.user.name,
      fields: a.fields,
      purpose: a.purpose,
    })
    .from(a)
    .leftJoin(schema.user, eq(schema.user.id, a.actorUserId))
    .where(
      and(
        eq(a.departmentId, departmentId),
        eq(a.entityType, "resident"),
        inArray(a.entityId, residentIds),
      ),
    )
    .orderBy(desc(a.createdAt), desc(a.id))
    .limit(limit);
}
