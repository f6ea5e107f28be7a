import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  client,
  demoEmail,
  signIn,
  startTestServer,
  type TestServer,
  signInManager,
} from "../../test/harness.ts";

let t: TestServer;
let manager: ReturnType<typeof client>;
let worker: ReturnType<typeof client>;
let townId: string;

type Page = {
  items: { id: string; name: string; level: string | null; version: number }[];
  total: number;
};

beforeAll(async () => {
  t = await startTestServer();
  // The demo manager leads two departments; this works in Ein Hadar.
  manager = await signInManager(t.app);
  worker = client(t.app, await signIn(t.app, demoEmail("worker")));
  const towns = (await manager.get("/api/communities?level=town")).json() as Page;
  townId = towns.items[0]!.id;
});
afterAll(async () => t.close());

describe("communities", () => {
  it("lists with search and pagination", async () => {
    const all = (await manager.get("/api/communities?pageSize=5")).json() as Page;
    expect(all.total).toBe(12);
    expect(all.items).toHaveLength(5);
    const page3 = (await manager.get("/api/communities?pageSize=5&page=3")).json() as Page;
    expect(page3.items).toHaveLength(2);
    const found = (
      await manager.get(`/api/communities?q=${encodeURIComponent("זיתים")}`)
    ).json() as Page;
    expect(found.items.map((c) => c.name)).toEqual(["רמת הזיתים"]);
    const byArabic = (
      await manager.get(`/api/communities?q=${encodeURIComponent("النور")}`)
    ).json() as Page;
    expect(byArabic.items.map((c) => c.name)).toEqual(["אל-נור"]);
  });

  it("creates a neighbourhood and a building under it, and audits both", async () => {
    const res = await manager.post("/api/communities", {
      kind: "geographic",
      level: "neighbourhood",
      parentId: townId,
      name: "גני הדר",
    });
    expect(res.statusCode).toBe(201);
    const hood = res.json() as { id: string; parentName: string; version: number };
    expect(hood.parentName).toBe("עין הדר");
    const building = await manager.post("/api/communities", {
      kind: "geographic",
      level: "building",
      parentId: hood.id,
      name: "הדקל 4",
    });
    expect(building.statusCode).toBe(201);
    const again = (await manager.get(`/api/communities/${hood.id}`)).json() as {
      childCount: number;
    };
    expect(again.childCount).toBe(1);
    const audit = (await manager.get(`/api/audit?entityId=${hood.id}`)).json() as {
      items: { action: string }[];
    };
    expect(audit.items.map((a) => a.action)).toEqual(["community.create"]);
  });

  it("refuses a place inside a smaller place, and cycles", async () => {
    const hood = (
      await manager.post("/api/communities", {
        kind: "geographic",
        level: "neighbourhood",
        parentId: townId,
        name: "שכונה לבדיקה",
      })
    ).json() as { id: string; version: number };
    const bad = await manager.post("/api/communities", {
      kind: "geographic",
      level: "town",
      parentId: hood.id,
      name: "עיר בתוך שכונה",
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe("community.invalid_parent");
    const town = (await manager.get(`/api/communities/${townId}`)).json() as { version: number };
    const cycle = await manager.patch(`/api/communities/${townId}`, {
      version: town.version,
      parentId: hood.id,
    });
    expect(cycle.statusCode).toBe(400);
    expect(cycle.json().error.code).toBe("community.cycle");
  });

  it("detects a stale edit instead of overwriting", async () => {
    const c = (
      await manager.post("/api/communities", { kind: "functional", name: "מתנדבי השכונה" })
    ).json() as { id: string; version: number };
    const first = await manager.patch(`/api/communities/${c.id}`, {
      version: c.version,
      description: "ראשון",
    });
    expect(first.statusCode).toBe(200);
    expect(first.json().version).toBe(c.version + 1);
    const stale = await manager.patch(`/api/communities/${c.id}`, {
      version: c.version,
      description: "שני",
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe("version_conflict");
    expect(stale.json().error.details.current.description).toBe("ראשון");
  });

  it("archives only leaves, restores, and hides archived from the default list", async () => {
    const parent = (
      await manager.post("/api/communities", {
        kind: "geographic",
        level: "neighbourhood",
        parentId: townId,
        name: "שכונה לארכיון",
      })
    ).json() as { id: string; version: number };
    const child = (
      await manager.post("/api/communities", {
        kind: "geographic",
        level: "building",
        parentId: parent.id,
        name: "בניין לארכיון",
      })
    ).json() as { id: string; version: number };
    const blocked = await manager.post(`/api/communities/${parent.id}/archive`, {
      version: parent.version,
    });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().error.code).toBe("community.has_active_children");
    expect(
      (await manager.post(`/api/communities/${child.id}/archive`, { version: child.version }))
        .statusCode,
    ).toBe(200);
    const archived = await manager.post(`/api/communities/${parent.id}/archive`, {
      version: parent.version,
    });
    expect(archived.statusCode).toBe(200);
    expect(archived.json().archived).toBe(true);
    const active = (
      await manager.get(`/api/communities?q=${encodeURIComponent("לארכיון")}`)
    ).json() as Page;
    expect(active.total).toBe(0);
    const all = (
      await manager.get(`/api/communities?archived=all&q=${encodeURIComponent("לארכיון")}`)
    ).json() as Page;
    expect(all.total).toBe(2);
    const restoreChildFirst = await manager.post(`/api/communities/${child.id}/restore`, {
      version: child.version + 1,
    });
    expect(restoreChildFirst.json().error.code).toBe("community.archived");
    const restored = await manager.post(`/api/communities/${parent.id}/restore`, {
      version: archived.json().version,
    });
    expect(restored.json().archived).toBe(false);
  });

  it("scopes a community worker to assigned neighbourhoods and what lies below", async () => {
    const list = (await worker.get("/api/communities?pageSize=100")).json() as Page;
    const names = list.items.map((c) => c.name).sort();
    expect(names).toEqual(["ישעיהו 12", "מתחם רחובות הנביאים", "נווה שלום", "רמת הזיתים"].sort());
    expect((await worker.get(`/api/communities/${townId}`)).statusCode).toBe(403);
    const topLevel = await worker.post("/api/communities", {
      kind: "functional",
      name: "קבוצה חדשה",
    });
    expect(topLevel.statusCode).toBe(403);
    const shalom = list.items.find((c) => c.name === "נווה שלום")!;
    const under = await worker.post("/api/communities", {
      kind: "geographic",
      level: "street_cluster",
      parentId: shalom.id,
      name: "מתחם חדש",
    });
    expect(under.statusCode).toBe(201);
  });

  it("answers validation errors with field paths and never a 500", async () => {
    const res = await manager.post("/api/communities", { kind: "geographic", name: "x" });
    expect(res.statusCode).toBe(400);
    const body = res.json() as {
      error: { code: string; details: { issues: { path: string[] }[] } };
    };
    expect(body.error.code).toBe("validation_failed");
    const paths = body.error.details.issues.map((i) => i.path.join("."));
    expect(paths).toContain("body.name");
    expect((await manager.get("/api/communities/not-a-uuid")).statusCode).toBe(400);
    expect(
      (await manager.get("/api/communities/00000000-0000-4000-8000-000000000000")).statusCode,
    ).toBe(404);
  });
});
