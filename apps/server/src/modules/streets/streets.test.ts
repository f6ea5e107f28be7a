import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../test/harness.ts";
import { buildWorld, type World } from "../residents/residents.fixtures.ts";

let t: TestServer;
let w: World;
type StreetList = {
  items: {
    id: string;
    name: string;
    townId: string;
    altNames: Record<string, string>;
    hasGeometry: boolean;
  }[];
  total: number;
};

beforeAll(async () => {
  t = await startTestServer();
  w = await buildWorld(t);
  // Start-up seeds the demo department (thousands of rows): slow on a busy machine.
}, 300_000);
afterAll(async () => t.close());

describe("streets", () => {
  it("adds streets to a town and finds them by any of their names", async () => {
    const herzl = await w.api.manager.post("/api/streets", {
      townId: w.townId,
      name: "הרצל",
      altNames: { ar: "هرتسل", en: "Herzl" },
    });
    expect(herzl.statusCode).toBe(201);
    expect(herzl.json()).toMatchObject({
      name: "הרצל",
      townId: w.townId,
      altNames: { ar: "هرتسل", en: "Herzl" },
      hasGeometry: false,
    });
    const worker = await w.api.worker.post("/api/streets", { townId: w.townId, name: "הגפן" });
    expect(worker.statusCode).toBe(201);

    const all = (await w.api.volunteer.get(`/api/streets?townId=${w.townId}`)).json() as StreetList;
    expect(all.items.map((s) => s.name)).toEqual(["הגפן", "הרצל"]);
    expect(all.total).toBe(2);
    for (const text of ["הרצ", "herz", "هرت"]) {
      const found = (
        await w.api.manager.get(`/api/streets?q=${encodeURIComponent(text)}`)
      ).json() as StreetList;
      expect(
        found.items.map((s) => s.name),
        text,
      ).toEqual(["הרצל"]);
    }
    // A language key is not a name.
    const en = (await w.api.manager.get("/api/streets?q=en")).json() as StreetList;
    expect(en.items).toEqual([]);
    const limited = (await w.api.manager.get("/api/streets?limit=1")).json() as StreetList;
    expect(limited).toMatchObject({ total: 2 });
    expect(limited.items).toHaveLength(1);
  });

  it("refuses a duplicate name in a town (409), an unknown town (400) and roles that may not manage streets", async () => {
    const dup = await w.api.manager.post("/api/streets", { townId: w.townId, name: "הרצל" });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe("conflict");
    const notTown = await w.api.manager.post("/api/streets", { townId: w.aId, name: "רחוב" });
    expect(notTown.statusCode).toBe(400);
    expect(notTown.json().error.details.issues[0].path).toEqual(["body", "townId"]);
    for (const api of [w.api.social, w.api.activist, w.api.volunteer]) {
      expect((await api.post("/api/streets", { townId: w.townId, name: "אחר" })).statusCode).toBe(
        403,
      );
    }
    expect((await w.api.otherManager.get("/api/streets")).json()).toEqual({ items: [], total: 0 });
    expect((await w.api.district.get("/api/streets")).statusCode).toBe(403);
    const bad = await w.api.manager.post("/api/streets", { townId: w.townId, name: "x" });
    expect(bad.statusCode).toBe(400);
    const [audit] = await t.database.query<{ n: number }>(
      "select count(*)::int as n from audit_events where action = 'street.create' and department_id = $1",
      [w.departmentId],
    );
    expect(audit!.n).toBe(2);
  });
});
