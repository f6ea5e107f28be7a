import {
  MAP_MAX_POINTS,
  MAP_POINTS_MIN_ZOOM,
  localNames,
  type Bbox,
  type MapConfig,
  type MapLayers,
  type MapLayersQuery,
  type MapResidents,
  type MapResidentsQuery,
  type PublicMap,
} from "@kaveret/contracts";
import type { DbOrTx } from "@kaveret/db";
import type { RequestContext } from "../../lib/context.ts";
import { departmentOf } from "../../lib/context.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import {
  authorize,
  can,
  mapCommunityVisibility,
  residentAccess,
  residentVisibility,
  type ResidentVisibility,
} from "../../policy/policy.ts";
import { ancestorChain } from "../communities/communities.repository.ts";
import { foldWhenPending } from "../residents/resident-tallies.ts";
import { residentScope } from "../residents/residents.scope.ts";
import {
  presentAssetFeature,
  presentBoundaryFeature,
  presentStreetFeature,
} from "./map.presenter.ts";
import * as repo from "./map.repository.ts";

/** The base map: a tile URL when the installation configured one, else our own GeoJSON only. */
export async function mapConfig(ctx: RequestContext): Promise<MapConfig> {
  authorize(ctx.actor, { type: "map.read" });
  return {
    tileUrl: ctx.config.MAP_TILE_URL ?? null,
    attribution: ctx.config.MAP_TILE_ATTRIBUTION ?? null,
  };
}

/** Boundaries, assets and streets the reader may see (optionally one community's subtree). */
export async function mapLayers(ctx: RequestContext, query: MapLayersQuery): Promise<MapLayers> {
  authorize(ctx.actor, { type: "map.read" });
  const departmentId = departmentOf(ctx);
  const visibility = mapCommunityVisibility(ctx.actor);
  const wanted = new Set(query.layers?.length ? query.layers : ["boundaries", "assets", "streets"]);
  if (
    query.communityId &&
    !(await repo.isVisibleCommunity(ctx.db, visibility, departmentId, query.communityId))
  ) {
    throw notFound("community");
  }
  const mayReadAssets = can(ctx.actor, { type: "asset.read", departmentId });
  const [boundaryRows, assetRows, streetRows] = await Promise.all([
    wanted.has("boundaries")
      ? repo.boundaries(ctx.db, visibility, departmentId, query.communityId)
      : [],
    wanted.has("assets") && mayReadAssets
      ? repo.assetPoints(ctx.db, departmentId, query.communityId)
      : [],
    wanted.has("streets") ? repo.streetLines(ctx.db, departmentId, query.communityId) : [],
  ]);
  const boundaries = boundaryRows.flatMap((b) => presentBoundaryFeature(b) ?? []);
  const assets = assetRows.flatMap((a) => presentAssetFeature(a) ?? []);
  const streets = streetRows.flatMap((s) => presentStreetFeature(s) ?? []);
  const own = query.communityId
    ? boundaries.filter((b) => b.properties.id === query.communityId)
    : boundaries;
  let bounds =
    extent(own.map((b) => b.geometry.coordinates)) ??
    extent(assets.map((a) => a.geometry.coordinates));
  if (!bounds && query.communityId) {
    // A community without a shape (a functional one): frame the members the reader may see.
    bounds = await repo.residentsExtent(
      ctx.db,
      residentScope(residentVisibility(ctx.actor)),
      await repo.subtreeIdList(ctx.db, departmentId, query.communityId),
    );
  }
  return {
    boundaries: { type: "FeatureCollection", features: boundaries },
    assets: { type: "FeatureCollection", features: assets },
    streets: { type: "FeatureCollection", features: streets },
    bounds,
  };
}

/**
 * The public report page's base map (no account; the caller checked the department takes
 * reports): tile settings, town and neighbourhood shapes, streets. No assets, no people.
 */
export async function publicMap(
  db: DbOrTx,
  config: RequestContext["config"],
  departmentId: string,
): Promise<PublicMap> {
  const [boundaryRows, streetRows] = await Promise.all([
    repo.publicBoundaries(db, departmentId),
    repo.streetLines(db, departmentId, undefined),
  ]);
  const boundaries = boundaryRows.flatMap((b) => {
    const feature = presentBoundaryFeature(b);
    // The public page names a place in its reader's language (else Hebrew).
    return feature
      ? [{ ...feature, properties: { ...feature.properties, names: localNames(b.altNames) } }]
      : [];
  });
  const streets = streetRows.flatMap((s) => presentStreetFeature(s) ?? []);
  return {
    tileUrl: config.MAP_TILE_URL ?? null,
    attribution: config.MAP_TILE_ATTRIBUTION ?? null,
    boundaries: { type: "FeatureCollection", features: boundaries },
    streets: { type: "FeatureCollection", features: streets },
    bounds:
      extent(boundaries.map((b) => b.geometry.coordinates)) ??
      extent(streets.map((s) => s.geometry.coordinates)),
  };
}

/** Grid cell in degrees for a zoom level: about 60 screen pixels. */
export function cellSizeFor(zoom: number): number {
  return (360 / (256 * 2 ** Math.floor(zoom))) * 60;
}

/**
 * Residents the reader may see in a box: grid clusters, or, from zoom 15 on and when few
 * enough, single points (id and position only). Below zoom 15 the clusters cover the
 * zoom-16 cells the box touches and, for a reader who sees every resident there (a
 * manager; a community worker on their own community), are summed from the tallies the
 * triggers keep; otherwise they are counted through the reader's scope (activists see
 * consenting members of their communities only).
 */
export async function mapResidents(
  ctx: RequestContext,
  q: MapResidentsQuery,
): Promise<MapResidents> {
  authorize(ctx.actor, { type: "map.read" });
  const departmentId = departmentOf(ctx);
  const [w, s, e, n] = q.bbox;
  if (w > e || s > n) {
    throw new AppError("map.invalid_bbox", 400, "bbox is west,south,east,north", {
      path: ["bbox"],
    });
  }
  if (q.communityId && !(await repo.communityExists(ctx.db, departmentId, q.communityId))) {
    throw notFound("community");
  }
  const visibility = residentVisibility(ctx.actor);
  const cell = cellSizeFor(q.zoom);
  // Below the points zoom, clusters only: of the tallied cells the box touches.
  const cells = q.zoom < MAP_POINTS_MIN_ZOOM ? repo.cellRange(q.bbox) : undefined;
  if (cells) {
    const key = await talliedKey(ctx, departmentId, visibility, q.communityId);
    if (key) {
      const factor = 2 ** (repo.TALLY_ZOOM - Math.floor(q.zoom));
      const found = await repo.talliedClusters(ctx.db, departmentId, key, cells, factor);
      foldWhenPending(ctx, departmentId, found.pending);
      return {
        mode: "clusters",
        total: found.clusters.reduce((sum, x) => sum + x.count, 0),
        cellSize: cell,
        clusters: found.clusters,
        points: [],
      };
    }
  }
  const area: repo.ResidentArea = {
    scope: residentScope(visibility),
    bbox: q.bbox,
    ...(cells ? { cells } : {}),
    communityIds: q.communityId
      ? await repo.subtreeIdList(ctx.db, departmentId, q.communityId)
      : undefined,
  };
  const clusters = await repo.residentClusters(ctx.db, area, cell);
  const total = clusters.reduce((sum, x) => sum + x.count, 0);
  if (q.zoom >= MAP_POINTS_MIN_ZOOM && total <= MAP_MAX_POINTS) {
    const points = await repo.residentPoints(ctx.db, area, MAP_MAX_POINTS);
    return { mode: "points", total, cellSize: null, clusters: [], points };
  }
  return {
    mode: "clusters",
    total,
    cellSize: cell,
    clusters: clusters.map((x) => ({ lat: x.lat, lon: x.lon, count: x.count })),
    points: [],
  };
}

/**
 * Whose tallied cells answer a reader who sees every live resident in view: the whole
 * department's (the department id) for a manager, or the community's when they have full
 * access to all its members; null when they see only some (counted through their scope).
 */
async function talliedKey(
  ctx: RequestContext,
  departmentId: string,
  visibility: ResidentVisibility,
  communityId: string | undefined,
): Promise<string | null> {
  if (visibility.kind !== "scoped") return null;
  if (visibility.full.all) return communityId ?? departmentId;
  if (!communityId) return null;
  const chain = await ancestorChain(ctx.db, departmentId, communityId);
  const access = residentAccess(ctx.actor, {
    departmentId,
    communityChains: [chain],
    caseworkerIds: [],
    consents: [],
  });
  return access === "full" ? communityId : null;
}

/** [west, south, east, north] around all positions in the (nested) coordinate arrays. */
export function extent(coordinateSets: unknown[]): Bbox | null {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  const walk = (c: unknown): void => {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === "number" && typeof c[1] === "number") {
      w = Math.min(w, c[0]);
      e = Math.max(e, c[0]);
      s = Math.min(s, c[1]);
      n = Math.max(n, c[1]);
      return;
    }
    for (const x of c) walk(x);
  };
  for (const set of coordinateSets) walk(set);
  return Number.isFinite(w) ? [w, s, e, n] : null;
}
