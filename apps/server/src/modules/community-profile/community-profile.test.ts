import { eq } from "drizzle-orm";
import { flagToken } from "@kaveret/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../policy/actor.ts";
import type { RequestContext } from "../../lib/context.ts";
import {
  client,
  demoEmail,
  schema,
  signIn,
  signInManager,
  startTestServer,
  type TestServer,
} from "../../test/harness.ts";
import { upsertCommunityFigures } from "./community-profile.service.ts";
import { CountsCache } from "./counts-cache.ts";

let t: TestServer;
let manager: ReturnType<typeof client>;
let worker: ReturnType<typeof client>;
let social: ReturnType<typeof client>;
let activist: ReturnType<typeof client>;
let departmentId: string;
let townId: string;
let hood: { id: string; version: number };
let building: string;
let zeitimId: string;
let gefenId: string;

type Overview = {
  countsReady: boolean;
  community: { id: string; name: string; notes: string; keyContacts: unknown[] };
  figures: { indicator: string; period: string; value: number; source: string }[];
  counts: {
    residents: number;
    households: number;
    listedToActivists: number;
    withLocation: number;
    flags: Record<string, number> | null;
    assetsByType: Record<string, number>;
  };
  subCommunities: { id: string; name: string; residents: number; childCount: number }[];
  assets: { id: string; name: string; type: string; address: string }[];
  people: { access: string; id: string; firstName: string; flags?: string[] }[];
  activity: { action: string; entityType: string; actorName: string | null }[];
  can: { edit: boolean; archive: boolean; writeFigures: boolean; readResidents: boolean };
};

const errorCode = (res: { json: () => unknown }) =>
  (res.json() as { error: { code: string } }).error.code;

async function addResident(
  communityId: string,
  values: Partial<typeof schema.residents.$inferInsert> = {},
) {
  const [row] = await t.database.db
    .insert(schema.residents)
    .values({ departmentId, firstName: "Dana", lastName: "Profile", ...values })
    .returning({ id: schema.residents.id });
  await t.database.db
    .insert(schema.residentCommunities)
    .values({ departmentId, residentId: row!.id, communityId });
  return row!.id;
}

beforeAll(async () => {
  t = await startTestServer();
  manager = await signInManager(t.app);
  worker = client(t.app, await signIn(t.app, demoEmail("worker")));
  social = client(t.app, await signIn(t.app, demoEmail("social")));
  activist = client(t.app, await signIn(t.app, demoEmail("activist")));
  const towns = (await manager.get("/api/communities?level=town")).json() as {
    items: { id: string }[];
  };
  townId = towns.items[0]!.id;
  const hoods = (await manager.get(`/api/communities?parentId=${townId}&pageSize=50`)).json() as {
    items: { id: string; name: string }[];
  };
  zeitimId = hoods.items.find((h) => h.name === "רמת הזיתים")!.id;
  gefenId = hoods.items.find((h) => h.name === "שכונת הגפן")!.id;
  const created = await manager.post("/api/communities", {
    kind: "geographic",
    level: "neighbourhood",
    parentId: townId,
    name: "שכונת פרופיל",
    keyContacts: [{ name: "רחל כהן", role: "מנהלת בית הספר", phone: "04-6000000" }],
  });
  expect(created.statusCode).toBe(201);
  hood = created.json() as { id: string; version: number };
  const b = await manager.post("/api/communities", {
    kind: "geographic",
    level: "building",
    parentId: hood.id,
    name: "בניין פרופיל",
  });
  building = (b.json() as { id: string }).id;
  const [dept] = await t.database.db
    .select({ id: schema.communities.departmentId })
    .from(schema.communities)
    .where(eq(schema.communities.id, hood.id));
  departmentId = dept!.id;

  const cipher = t.app.deps.cipher;
  const lonely = [flagToken(cipher, departmentId, "lives_alone")];
  const household = (
    await t.database.db
      .insert(schema.households)
      .values({ departmentId, label: "משפחת פרופיל" })
      .returning({ id: schema.households.id })
  )[0]!.id;
  // 10 live residents in the neighbourhood itself, 5 in the building, 1 archived.
  for (let i = 0; i < 10; i++) {
    await addResident(hood.id, {
      firstName: `R${String(i).padStart(2, "0")}`,
      consents: i < 3 ? ["listed_to_activists"] : [],
      flagTokens: i < 4 ? lonely : [],
      householdId: i < 2 ? household : null,
      lat: i < 6 ? 32.71 : null,
      lon: i < 6 ? 35.21 : null,
    });
  }
  for (let i = 0; i < 5; i++) await addResident(building, { firstName: `B${i}` });
  await addResident(hood.id, { firstName: "Gone", archivedAt: new Date() });

  await t.database.db.insert(schema.locations).values([
    { departmentId, name: "גן פרופיל", assetType: "kindergarten", communityId: building },
    { departmentId, name: "מקלט פרופיל", assetType: "shelter", communityId: hood.id },
    { departmentId, name: "מקלט פרופיל 2", assetType: "shelter", communityId: hood.id },
  ]);
});
afterAll(async () => t.close());

describe("community profile fields", () => {
  it("saves notes, key contacts (phone normalized) and the statistical-area code", async () => {
    const res = await manager.patch(`/api/communities/${hood.id}`, {
      version: hood.version,
      notes: "ועד השכונה נפגש בימי שני",
      keyContacts: [
        { name: "רחל כהן", role: "מנהלת בית הספר", phone: "050-123-4567" },
        { name: "Imam Khaled", role: "imam", email: "khaled@example.org" },
      ],
      statAreaCode: "9870099",
    });
    expect(res.statusCode).toBe(200);
    const body = res.json() as {
      version: number;
      notes: string;
      statAreaCode: string;
      keyContacts: { name: string; phone?: string; email?: string }[];
    };
    hood.version = body.version;
    expect(body.notes).toBe("ועד השכונה נפגש בימי שני");
    expect(body.statAreaCode).toBe("9870099");
    expect(body.keyContacts).toEqual([
      { name: "רחל כהן", role: "מנהלת בית הספר", phone: "+972501234567" },
      { name: "Imam Khaled", role: "imam", email: "khaled@example.org" },
    ]);
  });

  it("refuses a key contact without a role, a bad phone or e-mail, and a bad area code", async () => {
    const bad = [
      { keyContacts: [{ name: "רחל כהן", role: "" }] },
      { keyContacts: [{ name: "רחל כהן", role: "מנהלת", phone: "12" }] },
      { keyContacts: [{ name: "רחל כהן", role: "מנהלת", email: "not-an-email" }] },
      { keyContacts: [{ name: "רחל כהן", role: "מנהלת", extra: 1 }] },
      { statAreaCode: "98-70" },
    ];
    for (const patch of bad) {
      const res = await manager.patch(`/api/communities/${hood.id}`, {
        version: hood.version,
        ...patch,
      });
      expect(res.statusCode, JSON.stringify(patch)).toBe(400);
      expect(errorCode(res)).toBe("validation_failed");
    }
    const current = (await manager.get(`/api/communities/${hood.id}`)).json() as {
      keyContacts: unknown[];
      statAreaCode: string;
    };
    expect(current.keyContacts).toHaveLength(2);
    expect(current.statAreaCode).toBe("9870099");
  });
});

describe("community figures", () => {
  it("sets, replaces and removes figures per indicator and period", async () => {
    const put = await manager.put(`/api/communities/${hood.id}/figures`, {
      figures: [
        { indicator: "population", period: "2023", value: 5100, source: "למ״ס" },
        { indicator: "population", period: "2024", value: 5200, source: "למ״ס" },
        { indicator: "age_75_plus", period: "2024", value: 410 },
        { indicator: "socioeconomic_cluster", period: "2021", value: 4 },
        { indicator: "custom.youth_at_risk", period: "2024-Q2", value: 37.5 },
      ],
    });
    expect(put.statusCode).toBe(200);
    const list = put.json() as { items: { indicator: string; period: string; value: number }[] };
    expect(list.items).toHaveLength(5);
    // Replace one value, remove another.
    const again = await manager.put(`/api/communities/${hood.id}/figures`, {
      figures: [
        { indicator: "age_75_plus", period: "2024", value: 420, source: "manual" },
        { indicator: "custom.youth_at_risk", period: "2024-Q2", value: null },
      ],
    });
    expect(again.statusCode).toBe(200);
    const got = (await manager.get(`/api/communities/${hood.id}/figures`)).json() as {
      items: { indicator: string; period: string; value: number; updatedByName: string }[];
    };
    expect(got.items.map((f) => `${f.indicator}:${f.period}:${f.value}`)).toEqual([
      "age_75_plus:2024:420",
      "population:2024:5200",
      "population:2023:5100",
      "socioeconomic_cluster:2021:4",
    ]);
    expect(got.items[0]!.updatedByName).toBeTruthy();
  });

  it("refuses unknown indicators and values that do not fit, saving nothing", async () => {
    const cases: [unknown, number, string][] = [
      [{ indicator: "secret_sauce", period: "2024", value: 1 }, 400, "figures.invalid_indicator"],
      [{ indicator: "population", period: "2024", value: -5 }, 400, "figures.invalid_value"],
      [{ indicator: "population", period: "2024", value: 10.5 }, 400, "figures.invalid_value"],
      [
        { indicator: "socioeconomic_cluster", period: "2024", value: 11 },
        400,
        "figures.invalid_value",
      ],
      [{ indicator: "population", period: "last year", value: 5 }, 400, "validation_failed"],
      [{ indicator: "population", period: "2024", value: "many" }, 400, "validation_failed"],
    ];
    for (const [figure, status, code] of cases) {
      const res = await manager.put(`/api/communities/${hood.id}/figures`, {
        figures: [{ indicator: "households", period: "2024", value: 1900 }, figure],
      });
      expect(res.statusCode, JSON.stringify(figure)).toBe(status);
      expect(errorCode(res)).toBe(code);
    }
    const dup = await manager.put(`/api/communities/${hood.id}/figures`, {
      figures: [
        { indicator: "households", period: "2024", value: 1 },
        { indicator: "households", period: "2024", value: 2 },
      ],
    });
    expect(dup.statusCode).toBe(400);
    const got = (await manager.get(`/api/communities/${hood.id}/figures`)).json() as {
      items: { indicator: string }[];
    };
    expect(got.items.some((f) => f.indicator === "households")).toBe(false);
  });

  it("lets a community worker write figures only inside their communities", async () => {
    const mine = await worker.put(`/api/communities/${zeitimId}/figures`, {
      figures: [{ indicator: "population", period: "2024", value: 6100 }],
    });
    expect(mine.statusCode).toBe(200);
    const outside = await worker.put(`/api/communities/${gefenId}/figures`, {
      figures: [{ indicator: "population", period: "2024", value: 1 }],
    });
    expect(outside.statusCode).toBe(403);
    expect((await worker.get(`/api/communities/${gefenId}/figures`)).statusCode).toBe(403);
    // A social worker may read the community but not write its figures.
    const socialWrite = await social.put(`/api/communities/${zeitimId}/figures`, {
      figures: [{ indicator: "population", period: "2024", value: 1 }],
    });
    expect(socialWrite.statusCode).toBe(403);
  });

  it("imports rows through the service the import wizard calls", async () => {
    const [managerUser] = await t.database.db
      .select({ id: schema.user.id })
      .from(schema.user)
      .where(eq(schema.user.email, demoEmail("manager")));
    const actor: Actor = {
      userId: managerUser!.id,
      name: "מיכל לוי",
      email: demoEmail("manager"),
      kind: "staff",
      locale: "he",
      twoFactorEnabled: false,
      scopes: [],
      scope: {
        id: `department:${departmentId}`,
        kind: "department",
        departmentId,
        districtId: null,
        name: "",
        roles: ["manager"],
      },
      roles: ["manager"],
      departmentId,
      districtId: null,
      communityIds: [],
      twoFactorRequired: false,
    };
    const ctx = {
      db: t.database.db,
      actor,
      requestId: "test",
      config: t.config,
      cipher: t.app.deps.cipher,
    } as unknown as RequestContext;
    const result = await t.database.db.transaction((tx) =>
      upsertCommunityFigures(tx, ctx, [
        {
          communityId: building,
          indicator: "population",
          period: "2022",
          value: 80,
          source: "cbs",
        },
        {
          communityId: building,
          indicator: "households",
          period: "2022",
          value: 31,
          source: "cbs",
        },
      ]),
    );
    expect(result).toEqual({ written: 2, communities: 1 });
    await expect(
      t.database.db.transaction((tx) =>
        upsertCommunityFigures(tx, ctx, [
          {
            communityId: building,
            indicator: "population",
            period: "2021",
            value: 70,
            source: "cbs",
          },
          {
            communityId: building,
            indicator: "population",
            period: "2020",
            value: -1,
            source: "cbs",
          },
        ]),
      ),
    ).rejects.toMatchObject({ code: "figures.invalid_value", details: { row: 1 } });
    const figures = (await manager.get(`/api/communities/${building}/figures`)).json() as {
      items: { period: string }[];
    };
    expect(figures.items.map((f) => f.period)).toEqual(["2022", "2022"]);
  });
});

describe("community overview", () => {
  it("gives the manager the whole page: figures, counts, sub-communities, assets, people, activity", async () => {
    const res = await manager.get(`/api/communities/${hood.id}/overview`);
    expect(res.statusCode).toBe(200);
    const o = res.json() as Overview;
    expect(o.community.id).toBe(hood.id);
    expect(o.countsReady).toBe(true);
    expect(o.community.keyContacts).toHaveLength(2);
    // The latest period of each indicator.
    expect(o.figures.find((f) => f.indicator === "population")).toMatchObject({
      period: "2024",
      value: 5200,
      source: "למ״ס",
    });
    expect(o.counts).toMatchObject({
      residents: 15,
      households: 1,
      listedToActivists: 3,
      withLocation: 6,
      assetsByType: { kindergarten: 1, shelter: 2 },
    });
    expect(o.counts.flags).toMatchObject({ lives_alone: 4, disability: 0 });
    expect(o.subCommunities).toEqual([
      expect.objectContaining({ id: building, residents: 5, childCount: 0 }),
    ]);
    expect(o.assets).toHaveLength(3);
    expect(o.people).toHaveLength(10);
    expect(o.people.every((p) => p.access === "full")).toBe(true);
    expect(o.people.map((p) => p.firstName)).not.toContain("Gone");
    expect(o.can).toEqual({ edit: true, archive: true, writeFigures: true, readResidents: true });
    const actions = o.activity.map((a) => a.action);
    expect(actions).toContain("community.figures_update");
    expect(actions).toContain("community.update");
    expect(actions).toContain("community.create");
    expect(actions.every((a) => !a.endsWith(".read"))).toBe(true);
    expect(o.activity[0]!.actorName).toBe("מיכל לוי");
    // The people shown were read: audited by field names, never values.
    const audit = (await manager.get(`/api/audit?action=resident.read`)).json() as {
      items: { action: string; purpose: string | null; fields: string[] }[];
    };
    const read = audit.items.find((a) => a.purpose === "community page");
    expect(read).toBeDefined();
    expect(read!.fields).toContain("firstName");
  });

  it("counts a sub-community on its own", async () => {
    const o = (await manager.get(`/api/communities/${building}/overview`)).json() as Overview;
    expect(o.counts.residents).toBe(5);
    expect(o.subCommunities).toEqual([]);
    expect(o.assets.map((a) => a.type)).toEqual(["kindergarten"]);
    expect(o.figures.map((f) => f.indicator).sort()).toEqual(["households", "population"]);
  });

  it("shows a social worker only their caseload, without flag counts", async () => {
    const [socialUser] = await t.database.db
      .select({ id: schema.user.id })
      .from(schema.user)
      .where(eq(schema.user.email, demoEmail("social")));
    const mine = await addResident(hood.id, { firstName: "Caseload" });
    await t.database.db
      .insert(schema.residentCaseworkers)
      .values({ departmentId, residentId: mine, userId: socialUser!.id });
    const o = (await social.get(`/api/communities/${hood.id}/overview`)).json() as Overview;
    expect(o.counts.residents).toBe(1);
    expect(o.counts.flags).toBeNull();
    expect(o.people.map((p) => p.id)).toEqual([mine]);
    expect(o.can).toEqual({
      edit: false,
      archive: false,
      writeFigures: false,
      readResidents: true,
    });
  });

  it("refuses communities outside the reader's reach", async () => {
    expect((await worker.get(`/api/communities/${hood.id}/overview`)).statusCode).toBe(403);
    expect((await activist.get(`/api/communities/${hood.id}/overview`)).statusCode).toBe(403);
    const mine = await worker.get(`/api/communities/${zeitimId}/overview`);
    expect(mine.statusCode).toBe(200);
    const o = mine.json() as Overview;
    expect(o.counts.flags).not.toBeNull();
    expect(o.can.writeFigures).toBe(true);
    // Archiving an assigned community itself is the manager's call.
    expect(o.can.archive).toBe(false);
    expect(o.figures.find((f) => f.indicator === "population")?.value).toBe(6100);
    expect((await manager.get(`/api/communities/${crypto.randomUUID()}/overview`)).statusCode).toBe(
      404,
    );
  });
});

describe("counts cache", () => {
  it("serves fresh values, then stale ones while one recount runs, and forgets by prefix", async () => {
    let now = 0;
    let calls = 0;
    const cache = new CountsCache<number>({
      freshMs: 100,
      staleMs: 1000,
      maxEntries: 10,
      now: () => now,
    });
    const recount = async () => ++calls;
    expect(await cache.get("d1:a", recount)).toBe(1);
    expect(await cache.get("d1:a", recount)).toBe(1);
    now = 500;
    expect(await cache.get("d1:a", recount)).toBe(1); // stale, refreshing
    await Promise.resolve();
    expect(await cache.get("d1:a", recount)).toBe(2);
    now = 5000;
    expect(await cache.get("d1:a", recount)).toBe(3); // too old: waits
    cache.forget("d1:");
    expect(await cache.get("d1:a", recount)).toBe(4);
  });
});
