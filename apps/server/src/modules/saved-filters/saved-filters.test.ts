import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client, startTestServer, type TestServer } from "../../test/harness.ts";
import { buildWorld, type World } from "../residents/residents.fixtures.ts";

let t: TestServer;
let w: World;
type Filter = { id: string; entity: string; name: string; query: Record<string, string> };

beforeAll(async () => {
  t = await startTestServer();
  w = await buildWorld(t);
  // Start-up seeds the demo department (thousands of rows): slow on a busy machine.
}, 300_000);
afterAll(async () => t.close());

describe("saved filters", () => {
  it("saves, lists (own only) and deletes (own only)", async () => {
    const res = await w.api.worker.post("/api/saved-filters", {
      entity: "residents",
      name: "ותיקים לבד בשכונה א",
      query: { flags: "lives_alone,age_75_plus", communityId: w.aId, page: "3" },
    });
    expect(res.statusCode).toBe(201);
    const saved = res.json() as Filter;
    // Paging is not part of a filter.
    expect(saved.query).toEqual({ flags: "lives_alone,age_75_plus", communityId: w.aId });
    await w.api.manager.post("/api/saved-filters", {
      entity: "residents",
      name: "של המנהלת",
      query: { language: "ar" },
    });
    const mine = (await w.api.worker.get("/api/saved-filters?entity=residents")).json() as {
      items: Filter[];
    };
    expect(mine.items.map((f) => f.name)).toEqual(["ותיקים לבד בשכונה א"]);
    expect(
      ((await w.api.worker.get("/api/saved-filters?entity=assets")).json() as { items: Filter[] })
        .items,
    ).toEqual([]);

    const scope = `department:${w.departmentId}`;
    expect(
      (await client(t.app, w.cookies.manager!, scope).delete(`/api/saved-filters/${saved.id}`))
        .statusCode,
    ).toBe(404);
    expect(
      (await client(t.app, w.cookies.worker!, scope).delete(`/api/saved-filters/${saved.id}`))
        .statusCode,
    ).toBe(204);
    expect(
      (await client(t.app, w.cookies.worker!, scope).delete(`/api/saved-filters/${saved.id}`))
        .statusCode,
    ).toBe(404);
    expect(
      ((await w.api.worker.get("/api/saved-filters")).json() as { items: Filter[] }).items,
    ).toEqual([]);
  });

  it("keeps only what the list accepts, and only for those who may read the list", async () => {
    const unknownKey = await w.api.manager.post("/api/saved-filters", {
      entity: "residents",
      name: "רע",
      query: { salary: "high" },
    });
    expect(unknownKey.statusCode).toBe(400);
    const badValue = await w.api.manager.post("/api/saved-filters", {
      entity: "residents",
      name: "רע",
      query: { flags: "rich" },
    });
    expect(badValue.statusCode).toBe(400);
    expect(badValue.json().error.details.issues[0].path).toEqual(["body", "query", "flags", 0]);
    const volunteer = await w.api.volunteer.post("/api/saved-filters", {
      entity: "residents",
      name: "x",
      query: {},
    });
    expect(volunteer.statusCode).toBe(403);
  });
});
