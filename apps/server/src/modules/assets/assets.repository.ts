import { and, asc, count, desc, eq, ilike, inArray, isNotNull, isNull, or, sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import { schema, type DbOrTx } from "@kaveret/db";
import type {
  ListAssetsQuery,
  ListOrganizationsQuery,
  ListServicesQuery,
} from "@kaveret/contracts";
import { containsPattern } from "../../lib/sql.ts";

const loc = schema.locations;
const org = schema.organizations;
const svc = schema.services;
const sal = schema.serviceAtLocations;
const sch = schema.schedules;
const str = schema.streets;
const com = schema.communities;

export type LocationRow = typeof loc.$inferSelect;
export type OrganizationRow = typeof org.$inferSelect;
export type ServiceRow = typeof svc.$inferSelect;
export type ScheduleRow = typeof sch.$inferSelect;
export type ServiceAtLocationRow = typeof sal.$inferSelect;

/* ------------------------------------------------------------------ */
/* Communities and streets (what an asset points at).                   */
/* ------------------------------------------------------------------ */

export async function findCommunityRef(db: DbOrTx, departmentId: string, id: string) {
  const [row] = await db
    .select({ id: com.id, name: com.name, archivedAt: com.archivedAt })
    .from(com)
    .where(and(eq(com.departmentId, departmentId), eq(com.id, id)))
    .limit(1);
  return row;
}

export async function findStreetRef(db: DbOrTx, departmentId: string, id: string) {
  const [row] = await db
    .select({ id: str.id, name: str.name })
    .from(str)
    .where(and(eq(str.departmentId, departmentId), eq(str.id, id)))
    .limit(1);
  return row;
}

/** SQL condition: `column` is the community or one inside it. */
function inCommunitySubtree(
  column: SQL | typeof loc.communityId,
  departmentId: string,
  rootId: string,
) {
  return sql`${column} in (
    with recursive sub(id) as (
      select id from communities where department_id = ${departmentId} and id = ${rootId}::uuid
      union
      select child.id from communities child join sub on child.parent_id = sub.id
      where child.department_id = ${departmentId}
    ) select id from sub
  )`;
}

/* ------------------------------------------------------------------ */
/* Assets (locations).                                                  */
/* ------------------------------------------------------------------ */

const assetColumns = {
  location: loc,
  organizationName: org.name,
  streetName: str.name,
  communityName: com.name,
  serviceCount: sql<number>`(
    select count(*)::int from service_at_locations x
    join services s on s.department_id = x.department_id and s.id = x.service_id
    where x.department_id = "locations"."department_id" and x.location_id = "locations"."id"
      and s.archived_at is null
  )`.as("service_count"),
};

export type AssetJoinedRow = {
  location: LocationRow;
  organizationName: string | null;
  streetName: string | null;
  communityName: string | null;
  serviceCount: number;
};

function selectAssets(db: DbOrTx) {
  return db
    .select(assetColumns)
    .from(loc)
    .leftJoin(org, and(eq(org.departmentId, loc.departmentId), eq(org.id, loc.organizationId)))
    .leftJoin(str, and(eq(str.departmentId, loc.departmentId), eq(str.id, loc.streetId)))
    .leftJoin(com, and(eq(com.departmentId, loc.departmentId), eq(com.id, loc.communityId)));
}

export async function findAsset(
  db: DbOrTx,
  departmentId: string,
  id: string,
): Promise<AssetJoinedRow | undefined> {
  const [row] = await selectAssets(db)
    .where(and(eq(loc.departmentId, departmentId), eq(loc.id, id)))
    .limit(1);
  return row;
}

export async function listAssets(db: DbOrTx, departmentId: string, q: ListAssetsQuery) {
  const where: (SQL | undefined)[] = [eq(loc.departmentId, departmentId)];
  if (q.archived === "active") where.push(isNull(loc.archivedAt));
  if (q.archived === "archived") where.push(isNotNull(loc.archivedAt));
  if (q.type && q.type.length > 0) where.push(inArray(loc.assetType, q.type));
  if (q.communityId) where.push(inCommunitySubtree(loc.communityId, departmentId, q.communityId));
  if (q.organizationId) where.push(eq(loc.organizationId, q.organizationId));
  if (q.serviceId) {
    where.push(
      sql`exists (select 1 from ${sal} where ${sal.departmentId} = ${loc.departmentId}
        and ${sal.locationId} = ${loc.id} and ${sal.serviceId} = ${q.serviceId}::uuid)`,
    );
  }
  if (q.q) {
    const pattern = containsPattern(q.q);
    where.push(
      or(
        ilike(loc.name, pattern),
        ilike(sql`${loc.altNames}::text`, pattern),
        ilike(loc.address, pattern),
        ilike(str.name, pattern),
        ilike(org.name, pattern),
      ),
    );
  }
  const condition = and(...where);
  const order =
    q.sort === "updated"
      ? [desc(loc.updatedAt), asc(loc.id)]
      : q.sort === "type"
        ? [asc(loc.assetType), asc(loc.name), asc(loc.id)]
        : [asc(loc.name), asc(loc.id)];
  const [items, [total]] = await Promise.all([
    selectAssets(db)
      .where(condition)
      .orderBy(...order)
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db
      .select({ n: count() })
      .from(loc)
      .leftJoin(org, and(eq(org.departmentId, loc.departmentId), eq(org.id, loc.organizationId)))
      .leftJoin(str, and(eq(str.departmentId, loc.departmentId), eq(str.id, loc.streetId)))
      .where(condition),
  ]);
  return { items, total: total?.n ?? 0 };
}

export async function insertAsset(db: DbOrTx, values: typeof loc.$inferInsert) {
  const [row] = await db.insert(loc).values(values).returning();
  return row!;
}

/** Applies a patch only if the stored version is the expected one; undefined when it moved on. */
export async function updateAssetIfVersion(
  db: DbOrTx,
  departmentId: string,
  id: string,
  expectedVersion: number,
  patch: Partial<typeof loc.$inferInsert>,
): Promise<LocationRow | undefined> {
  const [row] = await db
    .update(loc)
    .set({ ...patch, version: sql`${loc.version} + 1`, updatedAt: new Date() })
    .where(
      and(eq(loc.departmentId, departmentId), eq(loc.id, id), eq(loc.version, expectedVersion)),
    )
    .returning();
  return row;
}

/** Assets by id (existence and community, for links from a service). */
export async function findAssetsByIds(db: DbOrTx, departmentId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select({
      id: loc.id,
      name: loc.name,
      assetType: loc.assetType,
      communityId: loc.communityId,
      archivedAt: loc.archivedAt,
    })
    .from(loc)
    .where(and(eq(loc.departmentId, departmentId), inArray(loc.id, ids)));
}

/* ------------------------------------------------------------------ */
/* Schedules (opening hours) and service-at-location links.             */
/* ------------------------------------------------------------------ */

export type ScheduleOwner = { locationId: string } | { serviceId: string };

function ownerCondition(departmentId: string, owner: ScheduleOwner) {
  return and(
    eq(sch.departmentId, departmentId),
    "locationId" in owner
      ? and(eq(sch.locationId, owner.locationId), isNull(sch.serviceId))
      : and(eq(sch.serviceId, owner.serviceId), isNull(sch.locationId)),
  );
}

export async function schedulesOf(db: DbOrTx, departmentId: string, owners: ScheduleOwner[]) {
  const locationIds = owners.flatMap((o) => ("locationId" in o ? [o.locationId] : []));
  const serviceIds = owners.flatMap((o) => ("serviceId" in o ? [o.serviceId] : []));
  if (locationIds.length === 0 && serviceIds.length === 0) return [];
  return db
    .select()
    .from(sch)
    .where(
      and(
        eq(sch.departmentId, departmentId),
        or(
          locationIds.length ? inArray(sch.locationId, locationIds) : undefined,
          serviceIds.length ? inArray(sch.serviceId, serviceIds) : undefined,
        ),
      ),
    )
    .orderBy(asc(sch.opensAt), asc(sch.id));
}

/** Replaces the weekly rows of a location or service. */
export async function replaceSchedules(
  db: DbOrTx,
  departmentId: string,
  owner: ScheduleOwner,
  rows: { byDay: string; opensAt: string; closesAt: string; description: string }[],
) {
  await db.delete(sch).where(ownerCondition(departmentId, owner));
  if (rows.length === 0) return;
  await db.insert(sch).values(
    rows.map((r) => ({
      departmentId,
      ...("locationId" in owner ? { locationId: owner.locationId } : {}),
      ...("serviceId" in owner ? { serviceId: owner.serviceId } : {}),
      ...r,
    })),
  );
}

/** Services offered at these locations (non-archived services only). */
export async function servicesAtLocations(db: DbOrTx, departmentId: string, locationIds: string[]) {
  if (locationIds.length === 0) return [];
  return db
    .select({
      locationId: sal.locationId,
      id: svc.id,
      name: svc.name,
      category: svc.category,
      status: svc.status,
    })
    .from(sal)
    .innerJoin(svc, and(eq(svc.departmentId, sal.departmentId), eq(svc.id, sal.serviceId)))
    .where(
      and(
        eq(sal.departmentId, departmentId),
        inArray(sal.locationId, locationIds),
        isNull(svc.archivedAt),
      ),
    )
    .orderBy(asc(svc.name));
}

/** Locations where these services are offered (non-archived locations only). */
export async function locationsOfServices(db: DbOrTx, departmentId: string, serviceIds: string[]) {
  if (serviceIds.length === 0) return [];
  return db
    .select({ serviceId: sal.serviceId, id: loc.id, name: loc.name, assetType: loc.assetType })
    .from(sal)
    .innerJoin(loc, and(eq(loc.departmentId, sal.departmentId), eq(loc.id, sal.locationId)))
    .where(
      and(
        eq(sal.departmentId, departmentId),
        inArray(sal.serviceId, serviceIds),
        isNull(loc.archivedAt),
      ),
    )
    .orderBy(asc(loc.name));
}

/** The ids linked to a location (all services) or to a service (all locations). */
export async function linkedIds(
  db: DbOrTx,
  departmentId: string,
  side: { locationId: string } | { serviceId: string },
): Promise<string[]> {
  if ("locationId" in side) {
    const rows = await db
      .select({ id: sal.serviceId })
      .from(sal)
      .where(and(eq(sal.departmentId, departmentId), eq(sal.locationId, side.locationId)));
    return rows.map((r) => r.id);
  }
  const rows = await db
    .select({ id: sal.locationId })
    .from(sal)
    .where(and(eq(sal.departmentId, departmentId), eq(sal.serviceId, side.serviceId)));
  return rows.map((r) => r.id);
}

export async function addLinks(
  db: DbOrTx,
  departmentId: string,
  pairs: { serviceId: string; locationId: string }[],
) {
  if (pairs.length === 0) return;
  await db
    .insert(sal)
    .values(pairs.map((p) => ({ departmentId, ...p })))
    .onConflictDoNothing();
}

export async function removeLinks(
  db: DbOrTx,
  departmentId: string,
  pairs: { serviceId: string; locationId: string }[],
) {
  for (const p of pairs) {
    await db
      .delete(sal)
      .where(
        and(
          eq(sal.departmentId, departmentId),
          eq(sal.serviceId, p.serviceId),
          eq(sal.locationId, p.locationId),
        ),
      );
  }
}

/* ------------------------------------------------------------------ */
/* Organizations.                                                       */
/* ------------------------------------------------------------------ */

// Raw table names: drizzle leaves columns unqualified when a query has a single table,
// which would make the inner and outer tables indistinguishable here.
const orgUsage = {
  assetCount: sql<number>`(
    select count(*)::int from locations l where l.department_id = "organizations"."department_id"
      and l.organization_id = "organizations"."id" and l.archived_at is null
  )`.as("asset_count"),
  serviceCount: sql<number>`(
    select count(*)::int from services s where s.department_id = "organizations"."department_id"
      and s.organization_id = "organizations"."id" and s.archived_at is null
  )`.as("service_count"),
};

export type OrganizationWithUsage = {
  organization: OrganizationRow;
  assetCount: number;
  serviceCount: number;
};

export async function findOrganization(
  db: DbOrTx,
  departmentId: string,
  id: string,
): Promise<OrganizationWithUsage | undefined> {
  const [row] = await db
    .select({ organization: org, ...orgUsage })
    .from(org)
    .where(and(eq(org.departmentId, departmentId), eq(org.id, id)))
    .limit(1);
  return row;
}

export async function listOrganizations(
  db: DbOrTx,
  departmentId: string,
  q: ListOrganizationsQuery,
) {
  const where: (SQL | undefined)[] = [eq(org.departmentId, departmentId)];
  if (q.archived === "active") where.push(isNull(org.archivedAt));
  if (q.archived === "archived") where.push(isNotNull(org.archivedAt));
  if (q.kind) where.push(eq(org.kind, q.kind));
  if (q.q) {
    const pattern = containsPattern(q.q);
    where.push(or(ilike(org.name, pattern), ilike(sql`${org.altNames}::text`, pattern)));
  }
  const condition = and(...where);
  const [items, [total]] = await Promise.all([
    db
      .select({ organization: org, ...orgUsage })
      .from(org)
      .where(condition)
      .orderBy(asc(org.name), asc(org.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(org).where(condition),
  ]);
  return { items, total: total?.n ?? 0 };
}

export async function insertOrganization(db: DbOrTx, values: typeof org.$inferInsert) {
  const [row] = await db.insert(org).values(values).returning();
  return row!;
}

export async function updateOrganizationIfVersion(
  db: DbOrTx,
  departmentId: string,
  id: string,
  expectedVersion: number,
  patch: Partial<typeof org.$inferInsert>,
): Promise<OrganizationRow | undefined> {
  const [row] = await db
    .update(org)
    .set({ ...patch, version: sql`${org.version} + 1`, updatedAt: new Date() })
    .where(
      and(eq(org.departmentId, departmentId), eq(org.id, id), eq(org.version, expectedVersion)),
    )
    .returning();
  return row;
}

/* ------------------------------------------------------------------ */
/* Services.                                                            */
/* ------------------------------------------------------------------ */

export type ServiceJoinedRow = { service: ServiceRow; organizationName: string | null };

function selectServices(db: DbOrTx) {
  return db
    .select({ service: svc, organizationName: org.name })
    .from(svc)
    .leftJoin(org, and(eq(org.departmentId, svc.departmentId), eq(org.id, svc.organizationId)));
}

export async function findService(
  db: DbOrTx,
  departmentId: string,
  id: string,
): Promise<ServiceJoinedRow | undefined> {
  const [row] = await selectServices(db)
    .where(and(eq(svc.departmentId, departmentId), eq(svc.id, id)))
    .limit(1);
  return row;
}

export async function findServicesByIds(db: DbOrTx, departmentId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select({ id: svc.id, archivedAt: svc.archivedAt })
    .from(svc)
    .where(and(eq(svc.departmentId, departmentId), inArray(svc.id, ids)));
}

export async function listServices(db: DbOrTx, departmentId: string, q: ListServicesQuery) {
  const where: (SQL | undefined)[] = [eq(svc.departmentId, departmentId)];
  if (q.archived === "active") where.push(isNull(svc.archivedAt));
  if (q.archived === "archived") where.push(isNotNull(svc.archivedAt));
  if (q.category) where.push(eq(svc.category, q.category));
  if (q.organizationId) where.push(eq(svc.organizationId, q.organizationId));
  if (q.locationId) {
    where.push(
      sql`exists (select 1 from ${sal} where ${sal.departmentId} = ${svc.departmentId}
        and ${sal.serviceId} = ${svc.id} and ${sal.locationId} = ${q.locationId}::uuid)`,
    );
  }
  if (q.q) {
    const pattern = containsPattern(q.q);
    where.push(
      or(
        ilike(svc.name, pattern),
        ilike(sql`${svc.altNames}::text`, pattern),
        ilike(svc.description, pattern),
      ),
    );
  }
  const condition = and(...where);
  const [items, [total]] = await Promise.all([
    selectServices(db)
      .where(condition)
      .orderBy(asc(svc.name), asc(svc.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(svc).where(condition),
  ]);
  return { items, total: total?.n ?? 0 };
}

export async function insertService(db: DbOrTx, values: typeof svc.$inferInsert) {
  const [row] = await db.insert(svc).values(values).returning();
  return row!;
}

export async function updateServiceIfVersion(
  db: DbOrTx,
  departmentId: string,
  id: string,
  expectedVersion: number,
  patch: Partial<typeof svc.$inferInsert>,
): Promise<ServiceRow | undefined> {
  const [row] = await db
    .update(svc)
    .set({ ...patch, version: sql`${svc.version} + 1`, updatedAt: new Date() })
    .where(
      and(eq(svc.departmentId, departmentId), eq(svc.id, id), eq(svc.version, expectedVersion)),
    )
    .returning();
  return row;
}

/* ------------------------------------------------------------------ */
/* The whole directory, for the HSDS export (active rows only).         */
/* ------------------------------------------------------------------ */

export async function loadDirectory(db: DbOrTx, departmentId: string) {
  const [organizations, locations, services, schedules, links, place] = await Promise.all([
    db
      .select()
      .from(org)
      .where(and(eq(org.departmentId, departmentId), isNull(org.archivedAt)))
      .orderBy(asc(org.name), asc(org.id)),
    selectAssets(db)
      .where(and(eq(loc.departmentId, departmentId), isNull(loc.archivedAt)))
      .orderBy(asc(loc.name), asc(loc.id)),
    db
      .select()
      .from(svc)
      .where(and(eq(svc.departmentId, departmentId), isNull(svc.archivedAt)))
      .orderBy(asc(svc.name), asc(svc.id)),
    db
      .select()
      .from(sch)
      .where(eq(sch.departmentId, departmentId))
      .orderBy(asc(sch.opensAt), asc(sch.id)),
    db
      .select()
      .from(sal)
      .where(eq(sal.departmentId, departmentId))
      .orderBy(asc(sal.createdAt), asc(sal.id)),
    db
      .select({
        department: schema.departments.name,
        city: schema.localAuthorities.name,
        district: schema.districts.name,
      })
      .from(schema.departments)
      .innerJoin(
        schema.localAuthorities,
        eq(schema.localAuthorities.id, schema.departments.localAuthorityId),
      )
      .innerJoin(schema.districts, eq(schema.districts.id, schema.localAuthorities.districtId))
      .where(eq(schema.departments.id, departmentId))
      .limit(1),
  ]);
  return { organizations, locations, services, schedules, links, place: place[0] ?? null };
}
export type Directory = Awaited<ReturnType<typeof loadDirectory>>;
