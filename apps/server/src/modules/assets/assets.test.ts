import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Asset, AssetPage, Organization, Service } from "@kaveret/contracts";
import {
  client,
  cookieFrom,
  demoEmail,
  signIn,
  signInManager,
  startTestServer,
  type TestServer,
} from "../../test/harness.ts";

type Client = ReturnType<typeof client>;
let t: TestServer;
let manager: Client;
let worker: Client;
let activist: Client;
let volunteer: Client;
let otherDepartment: Client;
/** Neighbourhood ids by name (the worker is assigned נווה שלום and רמת הזיתים). */
const hood: Record<string, string> = {};
let townId: string;

beforeAll(async () => {
  t = await startTestServer();
  manager = await signInManager(t.app);
  worker = client(t.app, await signIn(t.app, demoEmail("worker")));
  activist = client(t.app, await signIn(t.app, demoEmail("activist")));
  volunteer = client(t.app, await signIn(t.app, demoEmail("volunteer")));
  // The demo manager also leads a second, small department.
  const res = await t.app.inject({
    method: "POST",
    url: "/api/auth/sign-in/email",
    payload: { email: demoEmail("manager"), password: "test-password-long-enough" },
  });
  const cookie = cookieFrom(res);
  const me = (await client(t.app, cookie).get("/api/me")).json() as {
    scopes: { id: string; name: string }[];
  };
  const second = me.scopes.find((s) => !s.name.includes("עין הדר") && s.id);
  otherDepartment = client(t.app, cookie, second!.id);
  const communities = (await manager.get("/api/communities?pageSize=50")).json() as {
    items: { id: string; name: string; level: string | null }[];
  };
  for (const c of communities.items) hood[c.name] = c.id;
  townId = communities.items.find((c) => c.level === "town")!.id;
});
afterAll(async () => t.close());

const week = [
  { day: "su", opens: "08:00", closes: "14:00" },
  { day: "mo", opens: "08:00", closes: "14:00" },
  { day: "tu", opens: "16:00", closes: "19:30", note: "חוגים" },
];

async function createAsset(c: Client, body: Record<string, unknown>) {
  const res = await c.post("/api/assets", body);
  return { res, asset: res.json() as Asset };
}

async function auditOf(entityId: string) {
  const res = await manager.get(`/api/audit?entityId=${entityId}`);
  return (res.json() as { items: { action: string; fields: string[] }[] }).items;
}

describe("assets: create, read, list", () => {
  it("creates an asset with a new organization, hours and contact, and audits both", async () => {
    const { res, asset } = await createAsset(manager, {
      name: "מתנ״ס הגפן",
      altNames: { ar: "مركز الكرمة الجماهيري", en: "HaGefen Community Center" },
      type: "community_center",
      newOrganization: { name: "החברה למתנ״סים", kind: "community" },
      address: "רחוב הגפן 5",
      communityId: hood["שכונת הגפן"],
      location: { lat: 32.705, lon: 35.205 },
      capacity: 200,
      phone: "04-6123456",
      email: "gefen@example.org",
      website: "www.gefen.example.org",
      languages: ["he", "ru"],
      accessibility: "כניסה נגישה מהחניה",
      openingHours: week,
    });
    expect(res.statusCode).toBe(201);
    expect(asset.type).toBe("community_center");
    expect(asset.organization?.name).toBe("החברה למתנ״סים");
    expect(asset.community).toEqual({ id: hood["שכונת הגפן"], name: "שכונת הגפן" });
    expect(asset.phone).toBe("+97246123456");
    expect(asset.website).toBe("https://www.gefen.example.org");
    expect(asset.location).toEqual({ lat: 32.705, lon: 35.205 });
    expect(asset.openingHours).toEqual([
      { day: "su", opens: "08:00", closes: "14:00", note: "" },
      { day: "mo", opens: "08:00", closes: "14:00", note: "" },
      { day: "tu", opens: "16:00", closes: "19:30", note: "חוגים" },
    ]);
    expect(asset.canEdit).toBe(true);
    expect(asset.version).toBe(1);
    expect((await auditOf(asset.id)).map((a) => a.action)).toEqual(["asset.create"]);
    expect((await auditOf(asset.organization!.id)).map((a) => a.action)).toEqual([
      "organization.create",
    ]);
    const read = (await manager.get(`/api/assets/${asset.id}`)).json() as Asset;
    expect(read).toEqual(asset);
  });

  it("lists with search (name, other names, address), type and community filters, pages", async () => {
    const mosque = await createAsset(manager, {
      name: "מסגד אל-נור",
      altNames: { ar: "مسجد النور" },
      type: "mosque",
      communityId: hood["אל-נור"],
    });
    const shelter = await createAsset(manager, {
      name: "מקלט ציבורי 12",
      type: "shelter",
      address: "שדרות הזיתים 12",
      communityId: hood["רמת הזיתים"],
      capacity: 80,
      occupancy: 0,
    });
    const office = await createAsset(manager, { name: "לשכת הרווחה", type: "welfare_office" });
    const ids = (p: AssetPage) => p.items.map((a) => a.id);

    const q = async (query: string) =>
      (await manager.get(`/api/assets?${query}`)).json() as AssetPage;
    const byArabic = await q(`q=${encodeURIComponent("مسجد النور")}`);
    expect(ids(byArabic)).toContain(mosque.asset.id);
    expect(ids(byArabic)).not.toContain(shelter.asset.id);
    const byAddress = await q(`q=${encodeURIComponent("שדרות הזיתים 12")}&pageSize=100`);
    expect(ids(byAddress)).toContain(shelter.asset.id);
    expect(ids(byAddress)).not.toContain(mosque.asset.id);
    const byType = await q("type=shelter,mosque&pageSize=100");
    expect(new Set(byType.items.map((a) => a.type))).toEqual(new Set(["mosque", "shelter"]));
    // A community's subtree: the town holds every neighbourhood's assets, not department-wide ones.
    const officeInTown = await q(`communityId=${townId}&q=${encodeURIComponent("לשכת הרווחה")}`);
    expect(ids(officeInTown)).not.toContain(office.asset.id);
    const mosqueInTown = await q(`communityId=${townId}&q=${encodeURIComponent("מסגד אל-נור")}`);
    expect(ids(mosqueInTown)).toContain(mosque.asset.id);
    const inNur = await q(`communityId=${hood["אל-נור"]}&pageSize=100`);
    expect(ids(inNur)).toContain(mosque.asset.id);
    expect(ids(inNur)).not.toContain(shelter.asset.id);
    expect(inNur.items.every((a) => a.community?.id === hood["אל-נור"])).toBe(true);
    const page1 = await q("pageSize=2&page=1");
    const page2 = await q("pageSize=2&page=2");
    expect(page1.items).toHaveLength(2);
    expect(page1.total).toBeGreaterThanOrEqual(4);
    expect(page2.items.map((a) => a.id)).not.toContain(page1.items[0]!.id);
    expect((await manager.get("/api/assets?type=castle")).statusCode).toBe(400);
  });

  it("refuses bad opening hours with the path of the wrong field", async () => {
    const res = await manager.post("/api/assets", {
      name: "גן שקד",
      type: "kindergarten",
      openingHours: [
        { day: "su", opens: "14:00", closes: "08:00" },
        { day: "xx", opens: "08:00", closes: "09:00" },
        { day: "mo", opens: "8", closes: "12:00" },
      ],
    });
    expect(res.statusCode).toBe(400);
    const body = res.json() as {
      error: { code: string; details: { issues: { path: string[] }[] } };
    };
    expect(body.error.code).toBe("validation_failed");
    const paths = body.error.details.issues.map((i) => i.path.join("."));
    expect(paths).toContain("body.openingHours.0.closes");
    expect(paths).toContain("body.openingHours.1.day");
    expect(paths).toContain("body.openingHours.2.opens");
    const overlap = await manager.post("/api/assets", {
      name: "גן שקד",
      type: "kindergarten",
      openingHours: [
        { day: "su", opens: "08:00", closes: "13:00" },
        { day: "su", opens: "12:00", closes: "16:00" },
      ],
    });
    expect(overlap.statusCode).toBe(400);
    expect(JSON.stringify(overlap.json())).toContain("openingHours");
  });

  it("saves nothing when a reference is wrong", async () => {
    const orgsBefore = (await manager.get("/api/assets/organizations?pageSize=100")).json() as {
      total: number;
    };
    const assetsBefore = (await manager.get("/api/assets?archived=all")).json() as AssetPage;
    const badService = await manager.post("/api/assets", {
      name: "בית כנסת אוהל משה",
      type: "synagogue",
      newOrganization: { name: "עמותת אוהל משה" },
      serviceIds: ["00000000-0000-4000-8000-000000000000"],
    });
    expect(badService.statusCode).toBe(400);
    expect(badService.json()).toMatchObject({
      error: { code: "asset.service_not_found", details: { path: ["serviceIds", 0] } },
    });
    const badStreet = await manager.post("/api/assets", {
      name: "בית כנסת אוהל משה",
      type: "synagogue",
      streetId: "00000000-0000-4000-8000-000000000000",
    });
    expect(badStreet.json()).toMatchObject({ error: { code: "asset.street_not_found" } });
    const badCommunity = await manager.post("/api/assets", {
      name: "בית כנסת אוהל משה",
      type: "synagogue",
      communityId: "00000000-0000-4000-8000-000000000000",
    });
    expect(badCommunity.json()).toMatchObject({ error: { code: "asset.community_not_found" } });
    const orgsAfter = (await manager.get("/api/assets/organizations?pageSize=100")).json() as {
      total: number;
    };
    const assetsAfter = (await manager.get("/api/assets?archived=all")).json() as AssetPage;
    expect(orgsAfter.total).toBe(orgsBefore.total);
    expect(assetsAfter.total).toBe(assetsBefore.total);
  });
});

describe("assets: edit, versions, archive, occupancy", () => {
  it("edits with the version, replaces hours, refuses a stale version", async () => {
    const { asset } = await createAsset(manager, {
      name: "ספריית העיר",
      type: "library",
      openingHours: week,
    });
    const res = await manager.patch(`/api/assets/${asset.id}`, {
      version: asset.version,
      name: "הספרייה העירונית",
      openingHours: [{ day: "we", opens: "09:00", closes: "24:00" }],
      capacity: 40,
    });
    expect(res.statusCode).toBe(200);
    const edited = res.json() as Asset;
    expect(edited.name).toBe("הספרייה העירונית");
    expect(edited.openingHours).toEqual([{ day: "we", opens: "09:00", closes: "24:00", note: "" }]);
    expect(edited.version).toBe(asset.version + 1);
    const stale = await manager.patch(`/api/assets/${asset.id}`, {
      version: asset.version,
      name: "שם אחר",
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({
      error: { code: "version_conflict", details: { current: { name: "הספרייה העירונית" } } },
    });
    const audit = await auditOf(asset.id);
    expect(audit.map((a) => a.action)).toEqual(["asset.update", "asset.create"]);
    expect(audit[0]!.fields.sort()).toEqual(["capacity", "name", "openingHours"]);
  });

  it("a failed edit changes nothing (hours stay, version stays)", async () => {
    const { asset } = await createAsset(manager, {
      name: "מועדון נוער הרכבת",
      type: "youth_club",
      openingHours: week,
    });
    const res = await manager.patch(`/api/assets/${asset.id}`, {
      version: asset.version,
      openingHours: [{ day: "fr", opens: "10:00", closes: "12:00" }],
      serviceIds: ["00000000-0000-4000-8000-000000000000"],
    });
    expect(res.statusCode).toBe(400);
    const after = (await manager.get(`/api/assets/${asset.id}`)).json() as Asset;
    expect(after.openingHours).toEqual(asset.openingHours);
    expect(after.version).toBe(asset.version);
  });

  it("archives and restores with the version; an archived asset is not edited", async () => {
    const { asset } = await createAsset(manager, { name: "גינה ציבורית", type: "park" });
    const archived = await manager.post(`/api/assets/${asset.id}/archive`, {
      version: asset.version,
    });
    expect(archived.statusCode).toBe(200);
    const a = archived.json() as Asset;
    expect(a.archived).toBe(true);
    const active = (
      await manager.get(`/api/assets?q=${encodeURIComponent("גינה ציבורית")}&pageSize=100`)
    ).json() as AssetPage;
    expect(active.items.map((i) => i.id)).not.toContain(asset.id);
    const onlyArchived = (
      await manager.get("/api/assets?archived=archived&pageSize=100")
    ).json() as AssetPage;
    expect(onlyArchived.items.map((i) => i.id)).toContain(asset.id);
    const edit = await manager.patch(`/api/assets/${asset.id}`, {
      version: a.version,
      name: "x y",
    });
    expect(edit.json()).toMatchObject({ error: { code: "asset.archived" } });
    expect(
      (await manager.post(`/api/assets/${asset.id}/restore`, { version: asset.version }))
        .statusCode,
    ).toBe(409);
    const restored = await manager.post(`/api/assets/${asset.id}/restore`, { version: a.version });
    expect((restored.json() as Asset).archived).toBe(false);
    expect((await auditOf(asset.id)).map((x) => x.action)).toEqual([
      "asset.restore",
      "asset.archive",
      "asset.create",
    ]);
  });

  it("updates the occupancy of a shelter with its version", async () => {
    const { asset } = await createAsset(manager, {
      name: "מקלט הגפן",
      type: "shelter",
      capacity: 60,
      communityId: hood["שכונת הגפן"],
    });
    const res = await manager.post(`/api/assets/${asset.id}/occupancy`, {
      occupancy: 45,
      version: asset.version,
    });
    expect(res.statusCode).toBe(200);
    expect((res.json() as Asset).occupancy).toBe(45);
    const stale = await manager.post(`/api/assets/${asset.id}/occupancy`, {
      occupancy: 50,
      version: asset.version,
    });
    expect(stale.statusCode).toBe(409);
    expect(
      (await manager.post(`/api/assets/${asset.id}/occupancy`, { occupancy: -1, version: 2 }))
        .statusCode,
    ).toBe(400);
    expect(
      (await activist.post(`/api/assets/${asset.id}/occupancy`, { occupancy: 1, version: 2 }))
        .statusCode,
    ).toBe(403);
    expect((await auditOf(asset.id)).map((x) => x.action)).toEqual([
      "asset.occupancy",
      "asset.create",
    ]);
  });
});

describe("assets: who may do what", () => {
  it("a community worker edits assets of their communities and department-wide ones only", async () => {
    const own = await createAsset(worker, {
      name: "מועדון קשישים נווה שלום (בדיקת הרשאות)",
      type: "elderly_club",
      communityId: hood["נווה שלום"],
    });
    expect(own.res.statusCode).toBe(201);
    expect(own.asset.canEdit).toBe(true);
    const elsewhere = await createAsset(worker, {
      name: "מועדון קשישים הגפן",
      type: "elderly_club",
      communityId: hood["שכונת הגפן"],
    });
    expect(elsewhere.res.statusCode).toBe(403);

    const managers = await createAsset(manager, {
      name: "בית ספר הגפן (בדיקת הרשאות)",
      type: "school",
      communityId: hood["שכונת הגפן"],
    });
    const deptWide = await createAsset(manager, {
      name: "נקודת חלוקה מרכזית (בדיקת הרשאות)",
      type: "distribution_point",
    });
    const readByWorker = (await worker.get(`/api/assets/${managers.asset.id}`)).json() as Asset;
    expect(readByWorker.canEdit).toBe(false);
    expect(
      (await worker.patch(`/api/assets/${managers.asset.id}`, { version: 1, name: "שם חדש" }))
        .statusCode,
    ).toBe(403);
    expect(
      (await worker.post(`/api/assets/${managers.asset.id}/archive`, { version: 1 })).statusCode,
    ).toBe(403);
    // Moving their own asset out of their communities is refused too.
    expect(
      (
        await worker.patch(`/api/assets/${own.asset.id}`, {
          version: 1,
          communityId: hood["שכונת הגפן"],
        })
      ).statusCode,
    ).toBe(403);
    const deptEdit = await worker.patch(`/api/assets/${deptWide.asset.id}`, {
      version: 1,
      capacity: 500,
    });
    expect(deptEdit.statusCode).toBe(200);
    const list = (
      await worker.get(`/api/assets?q=${encodeURIComponent("בדיקת הרשאות")}&pageSize=100`)
    ).json() as AssetPage;
    const flags = Object.fromEntries(list.items.map((a) => [a.id, a.canEdit]));
    expect(flags[own.asset.id]).toBe(true);
    expect(flags[managers.asset.id]).toBe(false);
    expect(flags[deptWide.asset.id]).toBe(true);
  });

  it("activists and volunteers read the directory but change nothing", async () => {
    const { asset } = await createAsset(manager, { name: "מרפאת כללית", type: "clinic" });
    for (const reader of [activist, volunteer]) {
      const list = (await reader.get("/api/assets?pageSize=100")).json() as AssetPage;
      expect(list.total).toBeGreaterThan(0);
      const found = (
        await reader.get(`/api/assets?q=${encodeURIComponent("מרפאת כללית")}`)
      ).json() as AssetPage;
      expect(found.items.map((a) => a.id)).toContain(asset.id);
      expect(list.items.every((a) => !a.canEdit)).toBe(true);
      expect((await reader.get(`/api/assets/${asset.id}`)).statusCode).toBe(200);
      expect(
        (await reader.post("/api/assets", { name: "משהו חדש", type: "other" })).statusCode,
      ).toBe(403);
      expect(
        (await reader.patch(`/api/assets/${asset.id}`, { version: 1, name: "שם" })).statusCode,
      ).toBe(403);
      expect(
        (await reader.post("/api/assets/organizations", { name: "ארגון חדש" })).statusCode,
      ).toBe(403);
    }
  });

  it("another department sees none of it", async () => {
    const { asset } = await createAsset(manager, { name: "בית הכנסת הגדול", type: "synagogue" });
    const list = (
      await otherDepartment.get(`/api/assets?q=${encodeURIComponent("בית הכנסת הגדול")}`)
    ).json() as AssetPage;
    expect(list.items.map((a) => a.id)).not.toContain(asset.id);
    expect((await otherDepartment.get(`/api/assets/${asset.id}`)).statusCode).toBe(404);
    expect(
      (await otherDepartment.patch(`/api/assets/${asset.id}`, { version: 1, name: "שם" }))
        .statusCode,
    ).toBe(404);
    const exported = (await otherDepartment.get("/api/assets/hsds.zip")).rawPayload;
    expect(exported.includes(asset.id)).toBe(false);
  });
});

describe("organizations and services", () => {
  it("offers a service at assets, lists by it, and keeps organizations in use", async () => {
    const org = (
      await manager.post("/api/assets/organizations", {
        name: "עמותת לב זהב",
        kind: "ngo",
        phone: "*2626",
      })
    ).json() as Organization;
    expect(org.phone).toBe("*2626");
    const place = await createAsset(manager, {
      name: "מרכז חלוקת מזון",
      type: "distribution_point",
      organizationId: org.id,
      communityId: hood["שכונת הגפן"],
    });
    const res = await manager.post("/api/assets/services", {
      name: "חלוקת סלי מזון",
      category: "food",
      organizationId: org.id,
      eligibility: "משפחות בהכנסה נמוכה",
      locationIds: [place.asset.id],
      openingHours: [{ day: "th", opens: "10:00", closes: "13:00" }],
    });
    expect(res.statusCode).toBe(201);
    const service = res.json() as Service;
    expect(service.locations.map((l) => l.id)).toEqual([place.asset.id]);
    const asset = (await manager.get(`/api/assets/${place.asset.id}`)).json() as Asset;
    expect(asset.services.map((s) => s.name)).toEqual(["חלוקת סלי מזון"]);
    const byService = (
      await manager.get(`/api/assets?serviceId=${service.id}`)
    ).json() as AssetPage;
    expect(byService.items.map((a) => a.id)).toEqual([place.asset.id]);
    expect(byService.items[0]!.serviceCount).toBe(1);

    // The worker may not offer a service at an asset outside their communities.
    const denied = await worker.post("/api/assets/services", {
      name: "שירות אחר",
      locationIds: [place.asset.id],
    });
    expect(denied.statusCode).toBe(403);

    const orgNow = (
      await manager.get(`/api/assets/organizations/${org.id}`)
    ).json() as Organization;
    expect(orgNow).toMatchObject({ assetCount: 1, serviceCount: 1 });
    const archive = await manager.post(`/api/assets/organizations/${org.id}/archive`, {
      version: orgNow.version,
    });
    expect(archive.statusCode).toBe(409);
    expect(archive.json()).toMatchObject({ error: { code: "asset.organization_in_use" } });

    // Unlinking from the asset's side.
    const unlinked = await manager.patch(`/api/assets/${place.asset.id}`, {
      version: asset.version,
      serviceIds: [],
    });
    expect((unlinked.json() as Asset).services).toEqual([]);
  });
});
