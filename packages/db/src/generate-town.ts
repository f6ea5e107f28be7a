import type { DbOrTx } from "./client.ts";
import type { Rng } from "./demo-random.ts";
import type { Box, LonLat } from "./generate-residents.ts";
import type { GeneratedAssets } from "./demo-assets.ts";
import { insertUnnest } from "./generate-writer.ts";

/**
 * Town building blocks shared by the demo seed and the scale generator: street
 * lines on a simple grid inside a neighbourhood, bulk writes of streets and
 * assets, and statistical figures consistent with a population.
 */

export const boxRing = (b: Box): LonLat[] => [
  [b.west, b.south],
  [b.east, b.south],
  [b.east, b.north],
  [b.west, b.north],
  [b.west, b.south],
];

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * `count` street lines inside the box: about half running east–west, the rest
 * north–south, each with a gentle bend in the middle (a grid that looks drawn).
 */
export function gridStreetLines(rng: Rng, box: Box, count: number): LonLat[][] {
  const across = Math.ceil(count / 2);
  const along = count - across;
  const w = box.east - box.west;
  const h = box.north - box.south;
  const mx = w * 0.06;
  const my = h * 0.06;
  const lines: LonLat[][] = [];
  for (let i = 0; i < across; i++) {
    const lat = box.south + (h * (i + 1)) / (across + 1);
    const bend = (rng.next() - 0.5) * h * 0.08;
    lines.push([
      [round6(box.west + mx), round6(lat)],
      [round6(box.west + w / 2), round6(lat + bend)],
      [round6(box.east - mx), round6(lat + bend / 2)],
    ]);
  }
  for (let i = 0; i < along; i++) {
    const lon = box.west + (w * (i + 1)) / (along + 1);
    const bend = (rng.next() - 0.5) * w * 0.08;
    lines.push([
      [round6(lon), round6(box.south + my)],
      [round6(lon + bend), round6(box.south + h / 2)],
      [round6(lon + bend / 2), round6(box.north - my)],
    ]);
  }
  return lines;
}

/** House numbers along a line: about one address per 12 m on each side. */
export function housesAlong(line: LonLat[]): number {
  let deg = 0;
  for (let i = 1; i < line.length; i++)
    deg += Math.hypot(line[i]![0] - line[i - 1]![0], line[i]![1] - line[i - 1]![1]);
  return Math.max(10, Math.min(160, Math.round((deg * 100_000) / 12)));
}

export type StreetInput = {
  id: string;
  townId: string;
  name: string;
  altNames: Record<string, string>;
  line: LonLat[];
};

export async function insertStreets(
  db: DbOrTx,
  departmentId: string,
  streets: StreetInput[],
): Promise<void> {
  await insertUnnest(
    db,
    "streets",
    departmentId,
    [
      ["id", "uuid"],
      ["town_id", "uuid"],
      ["name", "text"],
      ["alt_names", "jsonb"],
      ["geometry", "jsonb"],
    ],
    streets.map((s) => [
      s.id,
      s.townId,
      s.name,
      s.altNames,
      { type: "LineString", coordinates: s.line },
    ]),
  );
}

/** Writes organizations, locations, services, their links and schedules. */
export async function insertAssets(
  db: DbOrTx,
  departmentId: string,
  assets: GeneratedAssets,
): Promise<void> {
  await insertUnnest(
    db,
    "organizations",
    departmentId,
    [
      ["id", "uuid"],
      ["name", "text"],
      ["alt_names", "jsonb"],
      ["kind", "text"],
      ["description", "text"],
      ["phone", "text"],
      ["email", "text"],
      ["website", "text"],
    ],
    assets.organizations.map((o) => [
      o.id,
      o.name,
      o.altNames,
      o.kind,
      o.description,
      o.phone,
      o.email,
      o.website,
    ]),
  );
  await insertUnnest(
    db,
    "locations",
    departmentId,
    [
      ["id", "uuid"],
      ["organization_id", "uuid"],
      ["name", "text"],
      ["alt_names", "jsonb"],
      ["asset_type", "text"],
      ["description", "text"],
      ["street_id", "uuid"],
      ["house_number", "text"],
      ["address", "text"],
      ["community_id", "uuid"],
      ["lat", "float8"],
      ["lon", "float8"],
      ["capacity", "int"],
      ["accessibility", "text"],
      ["phone", "text"],
      ["email", "text"],
      ["languages", "text[]"],
    ],
    assets.locations.map((l) => [
      l.id,
      l.organizationId,
      l.name,
      l.altNames,
      l.assetType,
      l.description,
      l.streetId,
      l.houseNumber,
      l.address,
      l.communityId,
      l.lat,
      l.lon,
      l.capacity,
      l.accessibility,
      l.phone,
      l.email,
      l.languages,
    ]),
  );
  await insertUnnest(
    db,
    "services",
    departmentId,
    [
      ["id", "uuid"],
      ["organization_id", "uuid"],
      ["name", "text"],
      ["alt_names", "jsonb"],
      ["description", "text"],
      ["category", "text"],
      ["phone", "text"],
      ["languages", "text[]"],
      ["eligibility", "text"],
      ["fees", "text"],
    ],
    assets.services.map((s) => [
      s.id,
      s.organizationId,
      s.name,
      s.altNames,
      s.description,
      s.category,
      s.phone,
      s.languages,
      s.eligibility,
      s.fees,
    ]),
  );
  await insertUnnest(
    db,
    "service_at_locations",
    departmentId,
    [
      ["id", "uuid"],
      ["service_id", "uuid"],
      ["location_id", "uuid"],
    ],
    assets.serviceAtLocations.map((x) => [x.id, x.serviceId, x.locationId]),
  );
  await insertUnnest(
    db,
    "schedules",
    departmentId,
    [
      ["id", "uuid"],
      ["location_id", "uuid"],
      ["service_id", "uuid"],
      ["by_day", "text"],
      ["opens_at", "text"],
      ["closes_at", "text"],
      ["description", "text"],
    ],
    assets.schedules.map((x) => [
      x.id,
      x.locationId,
      x.serviceId,
      x.byDay,
      x.opensAt,
      x.closesAt,
      x.description,
    ]),
  );
}

/** The shape of a neighbourhood's population (shares, household size, CBS cluster). */
export type PopulationProfile = {
  /** Share aged 0–17. */
  children: number;
  /** Share aged 65 and over. */
  over65: number;
  /** Share of the 65+ who are 75+. */
  over75Share: number;
  householdSize: number;
  /** Share of immigrants. */
  immigrants: number;
  /** CBS socio-economic cluster, 1–10. */
  cluster: number;
};

/** Figures of a community consistent with its population: the age groups add up, 75+ ≤ 65+. */
export function figuresFor(population: number, p: PopulationProfile): Record<string, number> {
  const age0to17 = Math.round(population * p.children);
  const age65plus = Math.round(population * p.over65);
  const households = Math.round(population / p.householdSize);
  return {
    population,
    households,
    age_0_17: age0to17,
    age_18_64: population - age0to17 - age65plus,
    age_65_plus: age65plus,
    age_75_plus: Math.round(age65plus * p.over75Share),
    immigrants: Math.round(population * p.immigrants),
    single_parent_households: Math.round(households * (0.05 + (10 - p.cluster) * 0.007)),
    people_with_disabilities: Math.round(population * (0.07 + p.over65 * 0.12)),
    income_support_recipients: Math.round(households * (0.01 + (10 - p.cluster) * 0.006)),
    socioeconomic_cluster: p.cluster,
    welfare_households_percent: Math.round((8 + (10 - p.cluster) * 2.2) * 10) / 10,
  };
}

/** Sums the counts of several communities' figures (cluster and percent as population-weighted means). */
export function sumFigures(parts: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  const population = parts.reduce((s, p) => s + (p.population ?? 0), 0);
  for (const part of parts) {
    for (const [k, v] of Object.entries(part)) {
      if (k === "socioeconomic_cluster" || k === "welfare_households_percent") {
        out[k] = (out[k] ?? 0) + (v * (part.population ?? 0)) / (population || 1);
      } else out[k] = (out[k] ?? 0) + v;
    }
  }
  if (out.socioeconomic_cluster !== undefined)
    out.socioeconomic_cluster = Math.round(out.socioeconomic_cluster);
  if (out.welfare_households_percent !== undefined)
    out.welfare_households_percent = Math.round(out.welfare_households_percent * 10) / 10;
  return out;
}

export async function insertFigures(
  db: DbOrTx,
  departmentId: string,
  rows: { communityId: string; figures: Record<string, number> }[],
  period: string,
  source: string,
): Promise<void> {
  await insertUnnest(
    db,
    "community_figures",
    departmentId,
    [
      ["community_id", "uuid"],
      ["indicator", "text"],
      ["period", "text"],
      ["value", "float8"],
      ["source", "text"],
    ],
    rows.flatMap((r) =>
      Object.entries(r.figures).map(([indicator, value]) => [
        r.communityId,
        indicator,
        period,
        value,
        source,
      ]),
    ),
  );
}
