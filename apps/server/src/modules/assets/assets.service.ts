import {
  BYDAY,
  type AssetOccupancyBody,
  type CreateAssetBody,
  type CreateOrganizationBody,
  type CreateServiceBody,
  type ListAssetsQuery,
  type ListOrganizationsQuery,
  type ListServicesQuery,
  type OpeningHoursRow,
  type UpdateAssetBody,
  type UpdateOrganizationBody,
  type UpdateServiceBody,
} from "@kaveret/contracts";
import type { DbOrTx } from "@kaveret/db";
import type { RequestContext } from "../../lib/context.ts";
import { departmentOf } from "../../lib/context.ts";
import { AppError, notFound, versionConflict } from "../../lib/errors.ts";
import { authorize, can, needsCommunityChain } from "../../policy/policy.ts";
import type { Actor } from "../../policy/actor.ts";
import { auditFor, recordAudit, type AuditEntry } from "../audit/audit.service.ts";
import {
  presentAsset,
  presentAssetListItem,
  presentOrganization,
  presentService,
} from "./assets.presenter.ts";
import * as repo from "./assets.repository.ts";
import * as communities from "../communities/communities.repository.ts";

/* ------------------------------------------------------------------ */
/* Shared helpers.                                                      */
/* ------------------------------------------------------------------ */

/** Reading the directory: any staff role of the department. */
function authorizeRead(ctx: RequestContext): string {
  const departmentId = ctx.actor.departmentId ?? "";
  authorize(ctx.actor, { type: "asset.read", departmentId });
  return departmentOf(ctx);
}

/**
 * The audit entry of a directory change. `communityId` is the community the change
 * concerns (the asset's), kept for the community's "recent activity".
 */
function assetAudit(
  ctx: RequestContext,
  entry: Omit<AuditEntry, "departmentId" | "actorUserId" | "actorRole" | "requestId">,
  communityId: string | null = null,
): AuditEntry {
  return auditFor(ctx, { ...entry, communityId });
}

/** Policy chains for these communities: just the id unless the actor's reach is their communities. */
async function chainsFor(
  db: DbOrTx,
  actor: Actor,
  departmentId: string,
  communityIds: (string | null)[],
): Promise<Map<string, string[]>> {
  const ids = [...new Set(communityIds.filter((c): c is string => c !== null))];
  if (!needsCommunityChain(actor)) return new Map(ids.map((id) => [id, [id]]));
  return communities.ancestorChains(db, departmentId, ids);
}

function chainOf(chains: Map<string, string[]>, communityId: string | null): string[] {
  if (!communityId) return [];
  return chains.get(communityId) ?? [communityId];
}

async function authorizeWriteAt(
  db: DbOrTx,
  actor: Actor,
  departmentId: string,
  communityId: string | null,
) {
  const chains = await chainsFor(db, actor, departmentId, [communityId]);
  authorize(actor, {
    type: "asset.write",
    target: { departmentId, chain: chainOf(chains, communityId) },
  });
}

const schedulesFrom = (rows: OpeningHoursRow[]) =>
  rows.map((r) => ({
    byDay: BYDAY[r.day],
    opensAt: r.opens,
    closesAt: r.closes,
    description: r.note,
  }));

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

const badRef = (
  code:
    | "asset.organization_not_found"
    | "asset.community_not_found"
    | "asset.street_not_found"
    | "asset.service_not_found"
    | "asset.location_not_found",
  path: (string | number)[],
  message: string,
) => new AppError(code, 400, message, { path });

async function checkCommunity(db: DbOrTx, departmentId: string, communityId: string | null) {
  if (!communityId) return;
  const found = await repo.findCommunityRef(db, departmentId, communityId);
  if (!found || found.archivedAt) {
    throw badRef("asset.community_not_found", ["communityId"], "No such active community");
  }
}

async function checkStreet(db: DbOrTx, departmentId: string, streetId: string | null) {
  if (!streetId) return;
  if (!(await repo.findStreetRef(db, departmentId, streetId))) {
    throw badRef("asset.street_not_found", ["streetId"], "No such street in this department");
  }
}

async function checkServices(db: DbOrTx, departmentId: string, ids: string[]) {
  const found = await repo.findServicesByIds(db, departmentId, ids);
  const active = new Set(found.filter((s) => !s.archivedAt).map((s) => s.id));
  const missing = ids.findIndex((id) => !active.has(id));
  if (missing >= 0) {
    throw badRef("asset.service_not_found", ["serviceIds", missing], "No such active service");
  }
}

/**
 * The organization for a new or edited entry: an existing active one, or one created
 * on the fly (audited in the same transaction).
 */
async function resolveOrganization(
  ctx: RequestContext,
  tx: DbOrTx,
  departmentId: string,
  organizationId: string | null | undefined,
  newOrganization: { name: string; kind: string } | undefined,
): Promise<string | null | undefined> {
  if (newOrganization) {
    authorize(ctx.actor, { type: "asset.write", target: { departmentId, chain: [] } });
    const created = await repo.insertOrganization(tx, {
      departmentId,
      name: newOrganization.name,
      kind: newOrganization.kind,
    });
    await recordAudit(
      tx,
      assetAudit(ctx, {
        action: "organization.create",
        entityType: "organization",
        entityId: created.id,
        fields: ["name", "kind"],
      }),
    );
    return created.id;
  }
  if (organizationId) {
    const found = await repo.findOrganization(tx, departmentId, organizationId);
    if (!found || found.organization.archivedAt) {
      throw badRef("asset.organization_not_found", ["organizationId"], "No such organization");
    }
  }
  return organizationId;
}

/* ------------------------------------------------------------------ */
/* Assets.                                                              */
/* ------------------------------------------------------------------ */

async function assetDetail(ctx: RequestContext, db: DbOrTx, departmentId: string, id: string) {
  const row = await repo.findAsset(db, departmentId, id);
  if (!row) throw notFound("asset");
  const [schedules, services, chains] = await Promise.all([
    repo.schedulesOf(db, departmentId, [{ locationId: id }]),
    repo.servicesAtLocations(db, departmentId, [id]),
    chainsFor(db, ctx.actor, departmentId, [row.location.communityId]),
  ]);
  const canEdit = can(ctx.actor, {
    type: "asset.write",
    target: { departmentId, chain: chainOf(chains, row.location.communityId) },
  });
  return {
    row,
    chain: chainOf(chains, row.location.communityId),
    present: () => presentAsset(row, { openingHours: schedules, canEdit, services }),
  };
}

export async function listAssets(ctx: RequestContext, query: ListAssetsQuery) {
  const departmentId = authorizeRead(ctx);
  const { items, total } = await repo.listAssets(ctx.db, departmentId, query);
  const ids = items.map((r) => r.location.id);
  const [schedules, chains] = await Promise.all([
    repo.schedulesOf(
      ctx.db,
      departmentId,
      ids.map((locationId) => ({ locationId })),
    ),
    chainsFor(
      ctx.db,
      ctx.actor,
      departmentId,
      items.map((r) => r.location.communityId),
    ),
  ]);
  return {
    items: items.map((row) =>
      presentAssetListItem(row, {
        openingHours: schedules.filter((s) => s.locationId === row.location.id),
        canEdit: can(ctx.actor, {
          type: "asset.write",
          target: { departmentId, chain: chainOf(chains, row.location.communityId) },
        }),
      }),
    ),
    total,
    page: query.page,
    pageSize: query.pageSize,
  };
}

export async function getAsset(ctx: RequestContext, id: string) {
  const departmentId = authorizeRead(ctx);
  return (await assetDetail(ctx, ctx.db, departmentId, id)).present();
}

/** Creates an asset with its opening hours and services, in one audited transaction. */
export async function createAsset(ctx: RequestContext, body: CreateAssetBody) {
  const departmentId = departmentOf(ctx);
  return ctx.db.transaction(async (tx) => {
    await authorizeWriteAt(tx, ctx.actor, departmentId, body.communityId);
    await checkCommunity(tx, departmentId, body.communityId);
    await checkStreet(tx, departmentId, body.streetId);
    await checkServices(tx, departmentId, body.serviceIds);
    const organizationId = await resolveOrganization(
      ctx,
      tx,
      departmentId,
      body.organizationId,
      body.newOrganization,
    );
    const row = await repo.insertAsset(tx, {
      departmentId,
      organizationId: organizationId ?? null,
      name: body.name,
      altNames: body.altNames,
      assetType: body.type,
      description: body.description,
      streetId: body.streetId,
      houseNumber: body.houseNumber,
      address: body.address,
      communityId: body.communityId,
      lat: body.location?.lat ?? null,
      lon: body.location?.lon ?? null,
      capacity: body.capacity,
      occupancy: body.occupancy,
      accessibility: body.accessibility,
      phone: body.phone,
      email: body.email,
      website: body.website,
      languages: body.languages,
      createdBy: ctx.actor.userId,
    });
    await repo.replaceSchedules(
      tx,
      departmentId,
      { locationId: row.id },
      schedulesFrom(body.openingHours),
    );
    await repo.addLinks(
      tx,
      departmentId,
      body.serviceIds.map((serviceId) => ({ serviceId, locationId: row.id })),
    );
    await recordAudit(
      tx,
      assetAudit(
        ctx,
        {
          action: "asset.create",
          entityType: "asset",
          entityId: row.id,
          fields: Object.keys(body).filter((k) => k !== "newOrganization"),
        },
        body.communityId,
      ),
    );
    return (await assetDetail(ctx, tx, departmentId, row.id)).present();
  });
}

export async function updateAsset(ctx: RequestContext, id: string, body: UpdateAssetBody) {
  const departmentId = departmentOf(ctx);
  return ctx.db.transaction(async (tx) => {
    authorizeRead(ctx);
    const current = await assetDetail(ctx, tx, departmentId, id);
    const l = current.row.location;
    authorize(ctx.actor, {
      type: "asset.write",
      target: { departmentId, chain: current.chain },
    });
    if (l.archivedAt) throw new AppError("asset.archived", 409, "Restore the asset before editing");
    if (l.version !== body.version) throw versionConflict(current.present());

    const { version, openingHours, serviceIds, newOrganization, location, type, ...rest } = body;
    if (rest.communityId !== undefined && rest.communityId !== l.communityId) {
      // Moving an asset is creating it in the new community, as far as permission goes.
      await authorizeWriteAt(tx, ctx.actor, departmentId, rest.communityId);
      await checkCommunity(tx, departmentId, rest.communityId);
    }
    if (rest.streetId !== undefined && rest.streetId !== l.streetId) {
      await checkStreet(tx, departmentId, rest.streetId);
    }
    if (serviceIds) await checkServices(tx, departmentId, serviceIds);
    const organizationId = await resolveOrganization(
      ctx,
      tx,
      departmentId,
      rest.organizationId === l.organizationId ? undefined : rest.organizationId,
      newOrganization,
    );

    const patch: Partial<repo.LocationRow> = {};
    const changed: string[] = [];
    const set = <K extends keyof repo.LocationRow>(
      field: string,
      key: K,
      value: repo.LocationRow[K] | undefined,
    ) => {
      if (value === undefined || sameJson(value, l[key])) return;
      patch[key] = value;
      changed.push(field);
    };
    set("name", "name", rest.name);
    set("altNames", "altNames", rest.altNames);
    set("type", "assetType", type);
    set("description", "description", rest.description);
    set("organizationId", "organizationId", newOrganization ? organizationId : rest.organizationId);
    set("streetId", "streetId", rest.streetId);
    set("houseNumber", "houseNumber", rest.houseNumber);
    set("address", "address", rest.address);
    set("communityId", "communityId", rest.communityId);
    if (location !== undefined) {
      const lat = location?.lat ?? null;
      const lon = location?.lon ?? null;
      if (lat !== l.lat || lon !== l.lon) {
        patch.lat = lat;
        patch.lon = lon;
        changed.push("location");
      }
    }
    set("capacity", "capacity", rest.capacity);
    set("occupancy", "occupancy", rest.occupancy);
    set("accessibility", "accessibility", rest.accessibility);
    set("phone", "phone", rest.phone);
    set("email", "email", rest.email);
    set("website", "website", rest.website);
    set("languages", "languages", rest.languages);

    if (openingHours) {
      const before = current.present().openingHours;
      const after = openingHours.map((r) => ({
        day: r.day,
        opens: r.opens,
        closes: r.closes,
        note: r.note,
      }));
      const key = (rows: typeof after) =>
        rows.map((r) => `${r.day} ${r.opens} ${r.closes} ${r.note}`).sort();
      if (!sameJson(key(before), key(after))) {
        await repo.replaceSchedules(
          tx,
          departmentId,
          { locationId: id },
          schedulesFrom(openingHours),
        );
        changed.push("openingHours");
      }
    }
    if (serviceIds) {
      const linked = await repo.linkedIds(tx, departmentId, { locationId: id });
      const add = serviceIds.filter((s) => !linked.includes(s));
      const remove = linked.filter((s) => !serviceIds.includes(s));
      if (add.length || remove.length) {
        await repo.addLinks(
          tx,
          departmentId,
          add.map((serviceId) => ({ serviceId, locationId: id })),
        );
        await repo.removeLinks(
          tx,
          departmentId,
          remove.map((serviceId) => ({ serviceId, locationId: id })),
        );
        changed.push("serviceIds");
      }
    }
    // Hours and services live in their own tables; the asset's version still moves with them.
    const updated = await repo.updateAssetIfVersion(tx, departmentId, id, version, patch);
    if (!updated) {
      throw versionConflict((await assetDetail(ctx, tx, departmentId, id)).present());
    }
    await recordAudit(
      tx,
      assetAudit(
        ctx,
        { action: "asset.update", entityType: "asset", entityId: id, fields: changed },
        updated.communityId,
      ),
    );
    return (await assetDetail(ctx, tx, departmentId, id)).present();
  });
}

/** Live occupancy of a shelter or distribution point (emergency mode relies on it). */
export async function setAssetOccupancy(ctx: RequestContext, id: string, body: AssetOccupancyBody) {
  const departmentId = departmentOf(ctx);
  return ctx.db.transaction(async (tx) => {
    authorizeRead(ctx);
    const current = await assetDetail(ctx, tx, departmentId, id);
    const l = current.row.location;
    authorize(ctx.actor, { type: "asset.write", target: { departmentId, chain: current.chain } });
    if (l.archivedAt) throw new AppError("asset.archived", 409, "The asset is archived");
    if (l.version !== body.version) throw versionConflict(current.present());
    const updated = await repo.updateAssetIfVersion(tx, departmentId, id, body.version, {
      occupancy: body.occupancy,
    });
    if (!updated) throw versionConflict((await assetDetail(ctx, tx, departmentId, id)).present());
    await recordAudit(
      tx,
      assetAudit(
        ctx,
        {
          action: "asset.occupancy",
          entityType: "asset",
          entityId: id,
          fields: ["occupancy"],
          // Counts of people in a public place, not personal data.
          details: { occupancy: body.occupancy, capacity: l.capacity },
        },
        l.communityId,
      ),
    );
    return (await assetDetail(ctx, tx, departmentId, id)).present();
  });
}

export async function setAssetArchived(
  ctx: RequestContext,
  id: string,
  version: number,
  archived: boolean,
) {
  const departmentId = departmentOf(ctx);
  return ctx.db.transaction(async (tx) => {
    authorizeRead(ctx);
    const current = await assetDetail(ctx, tx, departmentId, id);
    const l = current.row.location;
    authorize(ctx.actor, { type: "asset.write", target: { departmentId, chain: current.chain } });
    if (l.version !== version) throw versionConflict(current.present());
    if ((l.archivedAt !== null) === archived) return current.present();
    const updated = await repo.updateAssetIfVersion(tx, departmentId, id, version, {
      archivedAt: archived ? new Date() : null,
    });
    if (!updated) throw versionConflict((await assetDetail(ctx, tx, departmentId, id)).present());
    await recordAudit(
      tx,
      assetAudit(
        ctx,
        {
          action: archived ? "asset.archive" : "asset.restore",
          entityType: "asset",
          entityId: id,
          fields: ["archived"],
        },
        l.communityId,
      ),
    );
    return (await assetDetail(ctx, tx, departmentId, id)).present();
  });
}

/* ------------------------------------------------------------------ */
/* Organizations (department-wide directory entries).                   */
/* ------------------------------------------------------------------ */

async function loadOrganization(db: DbOrTx, departmentId: string, id: string) {
  const found = await repo.findOrganization(db, departmentId, id);
  if (!found) throw notFound("organization");
  return found;
}

export async function listOrganizations(ctx: RequestContext, query: ListOrganizationsQuery) {
  const departmentId = authorizeRead(ctx);
  const { items, total } = await repo.listOrganizations(ctx.db, departmentId, query);
  return {
    items: items.map(presentOrganization),
    total,
    page: query.page,
    pageSize: query.pageSize,
  };
}

export async function getOrganization(ctx: RequestContext, id: string) {
  const departmentId = authorizeRead(ctx);
  return presentOrganization(await loadOrganization(ctx.db, departmentId, id));
}

export async function createOrganization(ctx: RequestContext, body: CreateOrganizationBody) {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "asset.write", target: { departmentId, chain: [] } });
  return ctx.db.transaction(async (tx) => {
    const row = await repo.insertOrganization(tx, { departmentId, ...body });
    await recordAudit(
      tx,
      assetAudit(ctx, {
        action: "organization.create",
        entityType: "organization",
        entityId: row.id,
        fields: Object.keys(body),
      }),
    );
    return presentOrganization(await loadOrganization(tx, departmentId, row.id));
  });
}

export async function updateOrganization(
  ctx: RequestContext,
  id: string,
  body: UpdateOrganizationBody,
) {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "asset.write", target: { departmentId, chain: [] } });
  return ctx.db.transaction(async (tx) => {
    const found = await loadOrganization(tx, departmentId, id);
    const current = found.organization;
    if (current.archivedAt) {
      throw new AppError("asset.archived", 409, "Restore the organization before editing");
    }
    if (current.version !== body.version) throw versionConflict(presentOrganization(found));
    const { version, ...patch } = body;
    const changed = Object.entries(patch)
      .filter(
        ([key, value]) =>
          value !== undefined && !sameJson(value, current[key as keyof typeof current]),
      )
      .map(([key]) => key);
    const updated = await repo.updateOrganizationIfVersion(tx, departmentId, id, version, patch);
    if (!updated) {
      throw versionConflict(presentOrganization(await loadOrganization(tx, departmentId, id)));
    }
    await recordAudit(
      tx,
      assetAudit(ctx, {
        action: "organization.update",
        entityType: "organization",
        entityId: id,
        fields: changed,
      }),
    );
    return presentOrganization(await loadOrganization(tx, departmentId, id));
  });
}

export async function setOrganizationArchived(
  ctx: RequestContext,
  id: string,
  version: number,
  archived: boolean,
) {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "asset.write", target: { departmentId, chain: [] } });
  return ctx.db.transaction(async (tx) => {
    const found = await loadOrganization(tx, departmentId, id);
    if (found.organization.version !== version) throw versionConflict(presentOrganization(found));
    if ((found.organization.archivedAt !== null) === archived) return presentOrganization(found);
    if (archived && (found.assetCount > 0 || found.serviceCount > 0)) {
      throw new AppError(
        "asset.organization_in_use",
        409,
        "Move or archive the organization's assets and services first",
        { assets: found.assetCount, services: found.serviceCount },
      );
    }
    const updated = await repo.updateOrganizationIfVersion(tx, departmentId, id, version, {
      archivedAt: archived ? new Date() : null,
    });
    if (!updated) {
      throw versionConflict(presentOrganization(await loadOrganization(tx, departmentId, id)));
    }
    await recordAudit(
      tx,
      assetAudit(ctx, {
        action: archived ? "organization.archive" : "organization.restore",
        entityType: "organization",
        entityId: id,
        fields: ["archived"],
      }),
    );
    return presentOrganization(await loadOrganization(tx, departmentId, id));
  });
}

/* ------------------------------------------------------------------ */
/* Services (offered at assets through service_at_location).            */
/* ------------------------------------------------------------------ */

async function serviceDetail(db: DbOrTx, departmentId: string, id: string) {
  const row = await repo.findService(db, departmentId, id);
  if (!row) throw notFound("service");
  const [openingHours, locations] = await Promise.all([
    repo.schedulesOf(db, departmentId, [{ serviceId: id }]),
    repo.locationsOfServices(db, departmentId, [id]),
  ]);
  return { row, present: () => presentService(row, { openingHours, locations }) };
}

/**
 * Linking a service to an asset (or unlinking it) changes what the asset offers: the
 * actor must be allowed to edit each asset concerned.
 */
async function authorizeLocationLinks(
  ctx: RequestContext,
  tx: DbOrTx,
  departmentId: string,
  ids: string[],
  path: string,
  all: string[],
) {
  if (ids.length === 0) return;
  const found = await repo.findAssetsByIds(tx, departmentId, ids);
  const byId = new Map(found.map((a) => [a.id, a]));
  const missing = ids.find((id) => !byId.get(id));
  if (missing) {
    throw badRef("asset.location_not_found", [path, all.indexOf(missing)], "No such asset");
  }
  const chains = await chainsFor(
    tx,
    ctx.actor,
    departmentId,
    found.map((a) => a.communityId),
  );
  for (const a of found) {
    authorize(ctx.actor, {
      type: "asset.write",
      target: { departmentId, chain: chainOf(chains, a.communityId) },
    });
  }
}

export async function listServices(ctx: RequestContext, query: ListServicesQuery) {
  const departmentId = authorizeRead(ctx);
  const { items, total } = await repo.listServices(ctx.db, departmentId, query);
  const ids = items.map((r) => r.service.id);
  const [schedules, locations] = await Promise.all([
    repo.schedulesOf(
      ctx.db,
      departmentId,
      ids.map((serviceId) => ({ serviceId })),
    ),
    repo.locationsOfServices(ctx.db, departmentId, ids),
  ]);
  return {
    items: items.map((row) =>
      presentService(row, {
        openingHours: schedules.filter((s) => s.serviceId === row.service.id),
        locations: locations.filter((l) => l.serviceId === row.service.id),
      }),
    ),
    total,
    page: query.page,
    pageSize: query.pageSize,
  };
}

export async function getService(ctx: RequestContext, id: string) {
  const departmentId = authorizeRead(ctx);
  return (await serviceDetail(ctx.db, departmentId, id)).present();
}

export async function createService(ctx: RequestContext, body: CreateServiceBody) {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "asset.write", target: { departmentId, chain: [] } });
  return ctx.db.transaction(async (tx) => {
    await authorizeLocationLinks(
      ctx,
      tx,
      departmentId,
      body.locationIds,
      "locationIds",
      body.locationIds,
    );
    const organizationId = await resolveOrganization(
      ctx,
      tx,
      departmentId,
      body.organizationId,
      body.newOrganization,
    );
    const row = await repo.insertService(tx, {
      departmentId,
      organizationId: organizationId ?? null,
      name: body.name,
      altNames: body.altNames,
      description: body.description,
      category: body.category,
      status: body.status,
      phone: body.phone,
      email: body.email,
      url: body.url,
      languages: body.languages,
      eligibility: body.eligibility,
      fees: body.fees,
    });
    await repo.replaceSchedules(
      tx,
      departmentId,
      { serviceId: row.id },
      schedulesFrom(body.openingHours),
    );
    await repo.addLinks(
      tx,
      departmentId,
      body.locationIds.map((locationId) => ({ serviceId: row.id, locationId })),
    );
    await recordAudit(
      tx,
      assetAudit(ctx, {
        action: "service.create",
        entityType: "service",
        entityId: row.id,
        fields: Object.keys(body).filter((k) => k !== "newOrganization"),
      }),
    );
    return (await serviceDetail(tx, departmentId, row.id)).present();
  });
}

export async function updateService(ctx: RequestContext, id: string, body: UpdateServiceBody) {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "asset.write", target: { departmentId, chain: [] } });
  return ctx.db.transaction(async (tx) => {
    const current = await serviceDetail(tx, departmentId, id);
    const s = current.row.service;
    if (s.archivedAt) throw new AppError("asset.archived", 409, "Restore the service first");
    if (s.version !== body.version) throw versionConflict(current.present());
    const { version, openingHours, locationIds, ...patch } = body;
    if (patch.organizationId && patch.organizationId !== s.organizationId) {
      await resolveOrganization(ctx, tx, departmentId, patch.organizationId, undefined);
    }
    const changed = Object.entries(patch)
      .filter(([key, value]) => value !== undefined && !sameJson(value, s[key as keyof typeof s]))
      .map(([key]) => key);
    if (openingHours) {
      await repo.replaceSchedules(tx, departmentId, { serviceId: id }, schedulesFrom(openingHours));
      changed.push("openingHours");
    }
    if (locationIds) {
      const linked = await repo.linkedIds(tx, departmentId, { serviceId: id });
      const add = locationIds.filter((l) => !linked.includes(l));
      const remove = linked.filter((l) => !locationIds.includes(l));
      await authorizeLocationLinks(ctx, tx, departmentId, add, "locationIds", locationIds);
      await authorizeLocationLinks(ctx, tx, departmentId, remove, "locationIds", locationIds);
      if (add.length || remove.length) {
        await repo.addLinks(
          tx,
          departmentId,
          add.map((locationId) => ({ serviceId: id, locationId })),
        );
        await repo.removeLinks(
          tx,
          departmentId,
          remove.map((locationId) => ({ serviceId: id, locationId })),
        );
        changed.push("locationIds");
      }
    }
    const updated = await repo.updateServiceIfVersion(tx, departmentId, id, version, patch);
    if (!updated) throw versionConflict((await serviceDetail(tx, departmentId, id)).present());
    await recordAudit(
      tx,
      assetAudit(ctx, {
        action: "service.update",
        entityType: "service",
        entityId: id,
        fields: changed,
      }),
    );
    return (await serviceDetail(tx, departmentId, id)).present();
  });
}

export async function setServiceArchived(
  ctx: RequestContext,
  id: string,
  version: number,
  archived: boolean,
) {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "asset.write", target: { departmentId, chain: [] } });
  return ctx.db.transaction(async (tx) => {
    const current = await serviceDetail(tx, departmentId, id);
    const s = current.row.service;
    if (s.version !== version) throw versionConflict(current.present());
    if ((s.archivedAt !== null) === archived) return current.present();
    const updated = await repo.updateServiceIfVersion(tx, departmentId, id, version, {
      archivedAt: archived ? new Date() : null,
    });
    if (!updated) throw versionConflict((await serviceDetail(tx, departmentId, id)).present());
    await recordAudit(
      tx,
      assetAudit(ctx, {
        action: archived ? "service.archive" : "service.restore",
        entityType: "service",
        entityId: id,
        fields: ["archived"],
      }),
    );
    return (await serviceDetail(tx, departmentId, id)).present();
  });
}

/* ------------------------------------------------------------------ */
/* HSDS export.                                                         */
/* ------------------------------------------------------------------ */

/** The department's active directory, for the HSDS export (what any reader may already see). */
export async function loadDirectoryForExport(ctx: RequestContext) {
  const departmentId = authorizeRead(ctx);
  return { departmentId, directory: await repo.loadDirectory(ctx.db, departmentId) };
}
