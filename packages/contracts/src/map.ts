import { z } from "zod";
import { boundarySchema, communityKindSchema, communityLevelSchema } from "./communities.ts";
import { localNamesSchema } from "./names.ts";

/* ------------------------------------------------------------------ */
/* The map: base-map configuration, vector layers (our own GeoJSON),    */
/* and residents as server-side clusters.                               */
/* ------------------------------------------------------------------ */

export const MAP_ERROR_CODES = ["map.invalid_bbox"] as const;

/** GET /api/map/config: the base map. With no tile URL the web app draws our GeoJSON on a plain background. */
export const mapConfigSchema = z.object({
  /** Raster tile URL template with {z}/{x}/{y}, or null. */
  tileUrl: z.string().nullable(),
  attribution: z.string().nullable(),
});
export type MapConfig = z.infer<typeof mapConfigSchema>;

export const MAP_LAYERS = ["boundaries", "assets", "streets"] as const;
export const mapLayerSchema = z.enum(MAP_LAYERS);
export type MapLayer = z.infer<typeof mapLayerSchema>;

const lon = z.number().min(-180).max(180);
const lat = z.number().min(-90).max(90);
export const lonLatSchema = z.tuple([lon, lat]);
/** [west, south, east, north] */
export const bboxSchema = z.tuple([lon, lat, lon, lat]);
export type Bbox = z.infer<typeof bboxSchema>;

export const mapLayersQuerySchema = z.object({
  /** Only this community, its sub-communities, and what lies in them. */
  communityId: z.uuid().optional(),
  /** Comma-separated subset of boundaries,assets,streets (default: all). */
  layers: z
    .string()
    .max(100)
    .transform((v) => v.split(",").filter(Boolean))
    .pipe(z.array(mapLayerSchema).max(MAP_LAYERS.length))
    .optional(),
});
export type MapLayersQuery = z.infer<typeof mapLayersQuerySchema>;

export const boundaryFeatureSchema = z.object({
  type: z.literal("Feature"),
  geometry: boundarySchema,
  properties: z.object({
    id: z.uuid(),
    name: z.string(),
    kind: communityKindSchema,
    level: communityLevelSchema.nullable(),
    parentId: z.uuid().nullable(),
  }),
});
export type BoundaryFeature = z.infer<typeof boundaryFeatureSchema>;

export const assetFeatureSchema = z.object({
  type: z.literal("Feature"),
  geometry: z.object({ type: z.literal("Point"), coordinates: lonLatSchema }),
  properties: z.object({
    id: z.uuid(),
    name: z.string(),
    /** Asset type (contracts ASSET_TYPES). */
    type: z.string(),
    communityId: z.uuid().nullable(),
  }),
});
export type AssetFeature = z.infer<typeof assetFeatureSchema>;

export const streetFeatureSchema = z.object({
  type: z.literal("Feature"),
  geometry: z.discriminatedUnion("type", [
    z.object({ type: z.literal("LineString"), coordinates: z.array(lonLatSchema) }),
    z.object({
      type: z.literal("MultiLineString"),
      coordinates: z.array(z.array(lonLatSchema)),
    }),
  ]),
  properties: z.object({ id: z.uuid(), name: z.string() }),
});
export type StreetFeature = z.infer<typeof streetFeatureSchema>;

const collectionOf = <T extends z.ZodType>(feature: T) =>
  z.object({ type: z.literal("FeatureCollection"), features: z.array(feature) });

export const mapLayersSchema = z.object({
  boundaries: collectionOf(boundaryFeatureSchema),
  assets: collectionOf(assetFeatureSchema),
  streets: collectionOf(streetFeatureSchema),
  /** Extent of what was returned (boundaries, else assets), to fit the view; null when empty. */
  bounds: bboxSchema.nullable(),
});
export type MapLayers = z.infer<typeof mapLayersSchema>;

/**
 * The base map of the public report page (no account): the tile server when one is set,
 * and the town's shape, neighbourhoods and streets — public geography, nothing else — so
 * a resident can place a point with no tile server at all.
 */
/** A public map's town or neighbourhood: also its names in other languages (missing: `name`). */
export const publicBoundaryFeatureSchema = boundaryFeatureSchema.extend({
  properties: boundaryFeatureSchema.shape.properties.extend({ names: localNamesSchema }),
});

export const publicMapSchema = mapConfigSchema.extend({
  boundaries: collectionOf(publicBoundaryFeatureSchema),
  streets: collectionOf(streetFeatureSchema),
  /** Extent of the boundaries (else the streets), to frame the town; null when neither. */
  bounds: bboxSchema.nullable(),
});
export type PublicMap = z.infer<typeof publicMapSchema>;

/** Residents: at most this many single points; above it, or at low zoom, grid clusters. */
export const MAP_MAX_POINTS = 1000;
/** From this zoom on, residents come as single points when few enough are in view. */
export const MAP_POINTS_MIN_ZOOM = 15;

export const mapResidentsQuerySchema = z.object({
  /** west,south,east,north in degrees (WGS84). */
  bbox: z
    .string()
    .max(120)
    .transform((v) => v.split(",").map((n) => Number(n)))
    .pipe(bboxSchema),
  zoom: z.coerce.number().min(0).max(24),
  communityId: z.uuid().optional(),
});
export type MapResidentsQuery = z.infer<typeof mapResidentsQuerySchema>;

export const residentClusterSchema = z.object({
  /** Mean position of the residents in the cell. */
  lat,
  lon,
  count: z.number().int().min(1),
});
export type ResidentCluster = z.infer<typeof residentClusterSchema>;

/** A single resident on the map: position and id only (names come from the residents API). */
export const residentPointSchema = z.object({ id: z.uuid(), lat, lon });
export type ResidentPoint = z.infer<typeof residentPointSchema>;

export const mapResidentsSchema = z.object({
  mode: z.enum(["clusters", "points"]),
  /** Residents the reader may see in the box (with a location). */
  total: z.number().int(),
  /** Grid cell size in degrees (clusters mode). */
  cellSize: z.number().nullable(),
  clusters: z.array(residentClusterSchema),
  points: z.array(residentPointSchema),
});
export type MapResidents = z.infer<typeof mapResidentsSchema>;
