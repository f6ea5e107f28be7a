import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Bbox } from "@kaveret/contracts";
import { residentScope } from "../residents/residents.scope.ts";
import { cellRange, residentClusters, subtreeIdList } from "./map.repository.ts";
import { cellSizeFor } from "./map.service.ts";
import {
  client,
  demoEmail,
  schema,
  signIn,
  signInManager,
  startTestServer,
  type TestServer,
} from "../../test/harness.ts";

/**
 * The map shows only what its reader may see: boundaries of their communities,
 * and residents through the residents scope (activists: consenting members only;
 * another department: nothing). Test rows sit far from the demo town (lon 34.0,
 * lat 30.0), so demo data never counts here.
 */

let t: TestServer;
let manager: ReturnType<typeof client>;
let worker: ReturnType<typeof client>;
let activist: ReturnType<typeof client>;
let otherManager: ReturnType<typeof client>;
let departmentId: string;
let otherDepartmentId: string;
let hoodA: string;
let hoodB: string;
let buildingA: string;
const AREA = "33.99,29.99,34.03,30.03";

type Layers = {
  boundaries: { features: { properties: { id: string; name: string; level: string } }[] };
  assets: { features: { properties: { id: string; type: string } }[] };
  streets: { features: { properties: { id: string } }[] };
  bounds: number[] | null;
};
type Residents = {
  mode: "clusters" | "points";
  total: number;
  cellSize: number | null;
  clusters: { lat: number; lon: number; count: number }[];
  points: { id: string; lat: number; lon: number }[];
};

const square = (w: number, s: number, size: number) => ({
  type: "Polygon" as const,
  coordinates: [
    [
      [w, s],
      [w + size, s],
      [w + size, s + size],
      [w, s + size],
      [w, s],
    ],
  ],
});

async function addResidents(
  dept: string,
  communityId: string | null,
  n: number,
  at: { lon: number; lat: number },
  extra: Partial<typeof schema.residents.$inferInsert> = {},
) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const [row] = await t.database.db
      .insert(schema.residents)
      .values({
        departmentId: dept,
        firstName: `Test${i}`,
        lastName: "Mapper",
        lat: at.lat + (i % 5) * 0.0005,
        lon: at.lon + Math.floor(i / 5) * 0.0005,
        homeCommunityId: communityId,
        ...extra,
      })
      .returning({ id: schema.residents.id });
    ids.push(row!.id);
    if (communityId) {
      await t.database.db
        .insert(schema.residentCommunities)
        .values({ departmentId: dept, residentId: row!.id, communityId, source: "address" });
    }
  }
  return ids;
}

beforeAll(async () => {
  t = await startTestServer();
  manager = await signInManager(t.app);
  worker = client(t.app, await signIn(t.app, demoEmail("worker")));
  const activistCookie = await signIn(t.app, demoEmail("activist"));
  activist = client(t.app, activistCookie);
  const departments = await t.database.db
    .select({ id: schema.departments.id, name: schema.departments.name })
    .from(schema.departments);
  departmentId = departments.find((d) => d.name.includes("עין הדר"))!.id;
  otherDepartmentId = departments.find((d) => d.id !== departmentId)!.id;
  otherManager = client(
    t.app,
    await signIn(t.app, demoEmail("manager")),
    `department:${otherDepartmentId}`,
  );

  const towns = (await manager.get("/api/communities?level=town")).json() as {
    items: { id: string }[];
  };
  const townId = towns.items[0]!.id;
  const make = async (body: object) => {
    const res = await manager.post("/api/communities", body);
    expect(res.statusCode).toBe(201);
    return (res.json() as { id: string }).id;
  };
  hoodA = await make({
    kind: "geographic",
    level: "neighbourhood",
    parentId: townId,
    name: "שכונת מפה א",
    boundary: square(34.0, 30.0, 0.01),
  });
  hoodB = await make({
    kind: "geographic",
    level: "neighbourhood",
    parentId: townId,
    name: "שכונת מפה ב",
    boundary: square(34.015, 30.0, 0.01),
  });
  buildingA = await make({
    kind: "geographic",
    level: "building",
    parentId: hoodA,
    name: "בניין מפה",
    boundary: square(34.001, 30.001, 0.001),
  });

  // A: 20 residents (8 consenting to be listed to activists), 1 archived; B: 15.
  await addResidents(departmentId, hoodA, 12, { lon: 34.002, lat: 30.002 });
  await addResidents(
    departmentId,
    buildingA,
    8,
    { lon: 34.0012, lat: 30.0012 },
    { consents: ["listed_to_activists"] },
  );
  await addResidents(
    departmentId,
    hoodA,
    1,
    { lon: 34.003, lat: 30.003 },
    {
      archivedAt: new Date(),
    },
  );
  await addResidents(departmentId, hoodB, 15, { lon: 34.017, lat: 30.002 });
  // Another department's residents at the same place: never shown here.
  await addResidents(otherDepartmentId, null, 7, { lon: 34.002, lat: 30.002 });

  await t.database.db.insert(schema.locations).values([
    {
      departmentId,
      name: "מקלט מפה",
      assetType: "shelter",
      communityId: hoodA,
      lat: 30.004,
      lon: 34.004,
    },
    {
      departmentId,
      name: "מתנ״ס מפה",
      assetType: "community_center",
      communityId: hoodB,
      lat: 30.004,
      lon: 34.018,
    },
  ]);

  // The activist leads in neighbourhood A.
  const [activistUser] = await t.database.db
    .select({ id: schema.user.id })
    .from(schema.user)
    .where(eq(schema.user.email, demoEmail("activist")));
  await t.database.db
    .insert(schema.communityAssignments)
    .values({ departmentId, userId: activistUser!.id, communityId: hoodA });
  activist = client(t.app, activistCookie, `department:${departmentId}`);
});
afterAll(async () => t.close());

describe("map config", () => {
  it("answers the base-map settings (none configured: plain background)", async () => {
    const res = await manager.get("/api/map/config");
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ tileUrl: null, attribution: null });
  });

  it("answers a configured tile server, and lets the browser fetch from it (CSP)", async () => {
    const tiled = await startTestServer({
      MAP_TILE_URL: "https://tiles.example.org/{z}/{x}/{y}.png",
      MAP_TILE_ATTRIBUTION: "© Municipality GIS",
    });
    try {
      const c = await signInManager(tiled.app);
      const res = await c.get("/api/map/config");
      expect(res.json()).toEqual({
        tileUrl: "https://tiles.example.org/{z}/{x}/{y}.png",
        attribution: "© Municipality GIS",
      });
      const csp = String(res.headers["content-security-policy"]);
      expect(csp).toMatch(/connect-src 'self' https:\/\/tiles\.example\.org/);
      expect(csp).toMatch(/img-src [^;]*https:\/\/tiles\.example\.org/);
    } finally {
      await tiled.close();
    }
  });

  it("needs a signed-in reader with map access", async () => {
    const anonymous = await t.app.inject({ method: "GET", url: "/api/map/config" });
    expect(anonymous.statusCode).toBe(401);
    const partner = client(t.app, await signIn(t.app, demoEmail("partner")));
    expect((await partner.get("/api/map/config")).statusCode).toBe(403);
  });
});

describe("map layers", () => {
  it("shows the manager every boundary, asset and the community's extent", async () => {
    const res = await manager.get(`/api/map/layers?communityId=${hoodA}`);
    expect(res.statusCode).toBe(200);
    const body = res.json() as Layers;
    expect(body.boundaries.features.map((f) => f.properties.id).sort()).toEqual(
      [hoodA, buildingA].sort(),
    );
    expect(body.assets.features.map((f) => f.properties.type)).toEqual(["shelter"]);
    expect(body.bounds).toEqual([34.0, 30.0, 34.01, 30.01]);
    const all = (await manager.get("/api/map/layers")).json() as Layers;
    const ids = all.boundaries.features.map((f) => f.properties.id);
    expect(ids).toEqual(expect.arrayContaining([hoodA, hoodB, buildingA]));
    expect(all.assets.features.length).toBeGreaterThanOrEqual(2);
  });

  it("shows a community worker only the communities assigned to them", async () => {
    const all = (await worker.get("/api/map/layers")).json() as Layers;
    const ids = all.boundaries.features.map((f) => f.properties.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids).not.toContain(hoodA);
    expect(ids).not.toContain(hoodB);
    expect(ids.every((id) => id !== undefined)).toBe(true);
    expect((await worker.get(`/api/map/layers?communityId=${hoodA}`)).statusCode).toBe(404);
  });

  it("shows an activist the shapes of their own community only", async () => {
    const body = (await activist.get("/api/map/layers?layers=boundaries")).json() as Layers;
    const ids = body.boundaries.features.map((f) => f.properties.id);
    expect(ids).toEqual(expect.arrayContaining([hoodA, buildingA]));
    expect(ids).not.toContain(hoodB);
    // No town: only what lies inside the communities the activist is assigned to.
    expect(body.boundaries.features.some((f) => f.properties.level === "town")).toBe(false);
    expect(body.assets.features).toEqual([]);
  });

  it("frames a community without a boundary around the members the reader may see", async () => {
    const res = await manager.post("/api/communities", { kind: "functional", name: "מפה תפקודית" });
    const functional = (res.json() as { id: string }).id;
    // Far from the test area, so the cluster counts below stay as they are.
    await addResidents(departmentId, functional, 3, { lon: 33.5, lat: 29.5 });
    const body = (await manager.get(`/api/map/layers?communityId=${functional}`)).json() as Layers;
    expect(body.boundaries.features).toEqual([]);
    const [w, south, e, n] = body.bounds!;
    expect([w, south, e]).toEqual([33.5, 29.5, 33.5]);
    expect(n).toBeCloseTo(29.501, 6);
  });

  it("refuses an unknown layer name", async () => {
    const res = await manager.get("/api/map/layers?layers=boundaries,secrets");
    expect(res.statusCode).toBe(400);
  });
});

describe("map residents", () => {
  const get = (c: ReturnType<typeof client>, query: string) =>
    c.get(`/api/map/residents?${query}`).then((r) => {
      expect(r.statusCode).toBe(200);
      return r.json() as Residents;
    });

  it("clusters the residents the manager may see, and the counts add up", async () => {
    const body = await get(manager, `bbox=${AREA}&zoom=11`);
    expect(body.mode).toBe("clusters");
    expect(body.total).toBe(35);
    expect(body.clusters.reduce((s, c) => s + c.count, 0)).toBe(35);
    expect(body.cellSize).toBeGreaterThan(0);
    expect(body.points).toEqual([]);
    const a = await get(manager, `bbox=${AREA}&zoom=11&communityId=${hoodA}`);
    expect(a.total).toBe(20);
    const b = await get(manager, `bbox=${AREA}&zoom=11&communityId=${hoodB}`);
    expect(b.total).toBe(15);
  });

  it("gives single points (id and position only) when zoomed in and few", async () => {
    const body = await get(manager, `bbox=${AREA}&zoom=16&communityId=${hoodA}`);
    expect(body.mode).toBe("points");
    expect(body.points).toHaveLength(20);
    expect(Object.keys(body.points[0]!).sort()).toEqual(["id", "lat", "lon"]);
  });

  it("shows an activist only consenting members of their communities", async () => {
    const clusters = await get(activist, `bbox=${AREA}&zoom=11`);
    expect(clusters.total).toBe(8);
    const points = await get(activist, `bbox=${AREA}&zoom=17`);
    expect(points.mode).toBe("points");
    expect(points.points).toHaveLength(8);
    const inB = await get(activist, `bbox=${AREA}&zoom=11&communityId=${hoodB}`);
    expect(inB.total).toBe(0);
  });

  it("shows nothing outside the reader's communities or department", async () => {
    expect((await get(worker, `bbox=${AREA}&zoom=11`)).total).toBe(0);
    expect((await get(otherManager, `bbox=${AREA}&zoom=11`)).total).toBe(7);
    const other = await get(otherManager, `bbox=${AREA}&zoom=16`);
    expect(other.points.every((p) => p.lon < 34.01)).toBe(true);
    // A community of another department is not found.
    expect(
      (await otherManager.get(`/api/map/residents?bbox=${AREA}&zoom=11&communityId=${hoodA}`))
        .statusCode,
    ).toBe(404);
  });

  it("gives a community worker or an activist the tallies of no community outside their reach", async () => {
    // hoodA is not the worker's: counted through their scope, nothing.
    expect((await get(worker, `bbox=${AREA}&zoom=11&communityId=${hoodA}`)).total).toBe(0);
    // The activist's own community: still its consenting members only, not the tallied 20.
    expect((await get(activist, `bbox=${AREA}&zoom=11&communityId=${hoodA}`)).total).toBe(8);
  });

  it("sums a full reader's clusters from the tallies exactly as counting the residents would", async () => {
    const bbox = AREA.split(",").map(Number) as Bbox;
    const everyone = residentScope({
      kind: "scoped",
      departmentId,
      full: { all: true, communityRoots: [], caseloadOf: null },
      contact: null,
    });
    const shape = (list: { lat: number; lon: number; count: number }[]) =>
      list
        .map((c) => ({ lat: c.lat.toFixed(9), lon: c.lon.toFixed(9), count: c.count }))
        .sort((x, y) => x.lat.localeCompare(y.lat) || x.lon.localeCompare(y.lon));
    const compare = async (communityId: string | undefined) => {
      for (const zoom of [6, 11, 13, 14]) {
        const body = await get(
          manager,
          `bbox=${AREA}&zoom=${zoom}${communityId ? `&communityId=${communityId}` : ""}`,
        );
        const counted = await residentClusters(
          t.database.db,
          {
            scope: everyone,
            bbox,
            cells: cellRange(bbox),
            communityIds: communityId
              ? await subtreeIdList(t.database.db, departmentId, communityId)
              : undefined,
          },
          cellSizeFor(zoom),
        );
        expect(counted.length).toBeGreaterThan(0);
        expect(shape(body.clusters)).toEqual(shape(counted));
      }
    };
    for (const communityId of [undefined, hoodA, hoodB, buildingA]) await compare(communityId);

    // Writes show at once: two of B move into A's building (their cells and memberships
    // change), one is archived.
    const inB = await t.database.db
      .select({ id: schema.residents.id })
      .from(schema.residents)
      .where(eq(schema.residents.homeCommunityId, hoodB))
      .limit(3);
    for (const { id } of inB.slice(0, 2)) {
      await t.database.db
        .update(schema.residents)
        .set({ lat: 30.0015, lon: 34.0015, homeCommunityId: buildingA })
        .where(eq(schema.residents.id, id));
      await t.database.db
        .update(schema.residentCommunities)
        .set({ communityId: buildingA })
        .where(eq(schema.residentCommunities.residentId, id));
    }
    await t.database.db
      .update(schema.residents)
      .set({ archivedAt: new Date() })
      .where(eq(schema.residents.id, inB[2]!.id));
    expect((await get(manager, `bbox=${AREA}&zoom=11&communityId=${hoodB}`)).total).toBe(12);
    expect((await get(manager, `bbox=${AREA}&zoom=11&communityId=${buildingA}`)).total).toBe(10);
    expect((await get(manager, `bbox=${AREA}&zoom=11`)).total).toBe(34);
    for (const communityId of [undefined, hoodA, hoodB]) await compare(communityId);
  });

  it("refuses a malformed box", async () => {
    const swapped = await manager.get("/api/map/residents?bbox=34.03,30,33.99,30.03&zoom=11");
    expect(swapped.statusCode).toBe(400);
    expect((swapped.json() as { error: { code: string } }).error.code).toBe("map.invalid_bbox");
    const garbage = await manager.get("/api/map/residents?bbox=a,b,c&zoom=11");
    expect(garbage.statusCode).toBe(400);
    const noZoom = await manager.get(`/api/map/residents?bbox=${AREA}`);
    expect(noZoom.statusCode).toBe(400);
  });
});
