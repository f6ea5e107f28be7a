import {
  MAP_MAX_POINTS,
  MAP_POINTS_MIN_ZOOM,
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
import { authorize, can, mapCommunityVisibility, residentVisibility } from "../../policy/policy.ts";
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
  const boundaries = boundaryRows.flatMap((b) => presentBoundaryFeature(b) ?? []);
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
 * Residents the reader may see in a box: grid clusters computed in SQL, or, from
 * zoom 15 on and when few enough, single points (id and position only). Activists
 * see consenting members of their communities only: the scope decides.
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
  const area: repo.ResidentArea = {
    scope: residentScope(residentVisibility(ctx.actor)),
    bbox: q.bbox,
    communityIds: q.communityId
      ? await repo.subtreeIdList(ctx.db, departmentId, q.communityId)
      : undefined,
  };
  const cell = cellSizeFor(q.zoom);
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
