import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ResidentListItem } from "@kaveret/contracts";
import { startTestServer, type TestServer } from "../../test/harness.ts";
import { buildWorld, contextFor, POINTS, type Api, type World } from "./residents.fixtures.ts";
import { iterateResidents } from "./residents.service.ts";
import { listResidents as listRows } from "./residents.repository.ts";
import { residentScope } from "./residents.scope.ts";
import { residentVisibility } from "../../policy/policy.ts";

/** Finding people: names across scripts, typos, partial words, phone and e-mail; filters; sorting; exports. */

let t: TestServer;
let w: World;
type Item = { id: string; access: string; firstName: string; lastName: string };
type Page = { items: Item[]; total: number; page: number; pageSize: number };

const people: Record<string, { id: string }> = {};
let streetId: string;

async function create(api: Api, key: string, body: Record<string, unknown>) {
  const res = await api.post("/api/residents", body);
  if (res.statusCode !== 201) throw new Error(`create ${key}: ${res.statusCode} ${res.body}`);
  people[key] = res.json() as { id: string };
}

const search = async (query: string, api: Api = w.api.manager) => {
  const res = await api.get(`/api/residents?pageSize=100&${query}`);
  if (res.statusCode !== 200) throw new Error(`${query}: ${res.statusCode} ${res.body}`);
  return res.json() as Page;
};
const keysOf = (page: Page) =>
  page.items.map((i) => Object.entries(people).find(([, p]) => p.id === i.id)?.[0] ?? i.id).sort();
const q = (text: string) => `q=${encodeURIComponent(text)}`;

beforeAll(async () => {
  t = await startTestServer();
  w = await buildWorld(t);
  const m = w.api.manager;
  const street = await m.post("/api/streets", {
    townId: w.townId,
    name: "הרצל",
    altNames: { ar: "هرتسل", en: "Herzl" },
  });
  streetId = (street.json() as { id: string }).id;
  await create(m, "ahmadHe", {
    firstName: "אחמד",
    lastName: "מסארווה",
    location: POINTS.building,
    streetId,
    houseNumber: "12",
    languages: ["ar", "he"],
    flags: ["lives_alone", "age_75_plus"],
    communityRoles: ["leader"],
    consents: [{ purpose: "emergency_contact", granted: true, method: "phone" }],
  });
  await create(m, "ahmadAr", {
    firstName: "أحمد",
    lastName: "مصاروة",
    location: POINTS.b,
    languages: ["ar"],
    flags: ["lives_alone"],
    communityRoles: ["volunteer"],
  });
  await create(m, "cohen", {
    firstName: "יוסי",
    lastName: "כהן",
    otherNames: "Yossi Cohen",
    phone: "052-765 4321",
    email: "yossi.cohen@example.org",
    location: POINTS.a,
    streetId,
    languages: ["he", "en"],
    flags: ["age_75_plus"],
    communityRoles: ["activist"],
  });
  await create(m, "petrov", {
    firstName: "Elena",
    lastName: "Petrova",
    otherNames: "Елена Петрова",
    languages: ["ru"],
    communityIds: [w.functionalId],
  });
  await create(m, "haddad", {
    firstName: "Mohammed",
    lastName: "Haddad",
    location: POINTS.b,
    languages: ["ar", "en"],
  });
  // Start-up seeds the demo department (thousands of rows): slow on a busy machine.
}, 300_000);
afterAll(async () => t.close());

describe("search across scripts", () => {
  it("finds Hebrew and Arabic spellings from a Latin name", async () => {
    expect(keysOf(await search(q("Ahmad")))).toEqual(["ahmadAr", "ahmadHe"]);
  });

  it("tolerates a typo", async () => {
    expect(keysOf(await search(q("Masrwa")))).toEqual(["ahmadAr", "ahmadHe"]);
    expect(keysOf(await search(q("מסרווה")))).toContain("ahmadHe");
    expect(keysOf(await search(q("Hadad")))).toEqual(["haddad"]);
    // A wrong consonant: no letters or skeleton match, so trigram similarity decides.
    expect(keysOf(await search(q("Haddaf")))).toEqual(["haddad"]);
    expect(keysOf(await search(q("Petrovq")))).toEqual(["petrov"]);
    expect(keysOf(await search(q("מסארווט")))).toEqual(["ahmadHe"]);
  });

  it("matches part of a name", async () => {
    // The Hebrew record by its letters; the Arabic one by the same consonants.
    expect(keysOf(await search(q("מסאר")))).toEqual(["ahmadAr", "ahmadHe"]);
    expect(keysOf(await search(q("Masar")))).toEqual(["ahmadAr", "ahmadHe"]);
    expect(keysOf(await search(q("Petr")))).toEqual(["petrov"]);
    expect(keysOf(await search(q("כה")))).toEqual(["cohen"]);
  });

  it("finds the Hebrew spelling from Arabic, with the same script first", async () => {
    const page = await search(q("أحمد"));
    expect(keysOf(page)).toEqual(["ahmadAr", "ahmadHe"]);
    expect(page.items[0]!.id).toBe(people.ahmadAr!.id);
    const he = await search(q("אחמד מסארווה"));
    expect(he.items[0]!.id).toBe(people.ahmadHe!.id);
  });

  it("matches Cyrillic other names and whole names in any order", async () => {
    expect(keysOf(await search(q("Петрова")))).toEqual(["petrov"]);
    expect(keysOf(await search(q("cohen yossi")))).toEqual(["cohen"]);
  });

  it("finds by phone in any spelling and by e-mail", async () => {
    expect(keysOf(await search(q("0527654321")))).toEqual(["cohen"]);
    expect(keysOf(await search(q("+972-52-765-4321")))).toEqual(["cohen"]);
    expect(keysOf(await search(q("Yossi.Cohen@example.org")))).toEqual(["cohen"]);
    expect(keysOf(await search(q("0500000000")))).toEqual([]);
  });

  it("does not match unrelated names", async () => {
    expect(keysOf(await search(q("Mohammed")))).toEqual(["haddad"]);
    expect(keysOf(await search(q("זזזזז")))).toEqual([]);
  });
});

describe("filters", () => {
  it("flags: all of the given ones", async () => {
    expect(keysOf(await search("flags=lives_alone"))).toEqual(["ahmadAr", "ahmadHe"]);
    expect(keysOf(await search("flags=lives_alone,age_75_plus"))).toEqual(["ahmadHe"]);
    expect(keysOf(await search("flags=disability"))).toEqual([]);
  });

  it("roles: any of the given ones", async () => {
    expect(keysOf(await search("roles=leader,volunteer"))).toEqual(["ahmadAr", "ahmadHe"]);
    expect(keysOf(await search("roles=activist"))).toEqual(["cohen"]);
  });

  it("language, consent, street, location", async () => {
    expect(keysOf(await search("language=ru"))).toEqual(["petrov"]);
    expect(keysOf(await search("language=en"))).toEqual(["cohen", "haddad"]);
    expect(keysOf(await search("consent=emergency_contact"))).toEqual(["ahmadHe"]);
    expect(keysOf(await search(`streetId=${streetId}`))).toEqual(["ahmadHe", "cohen"]);
    expect(keysOf(await search("hasLocation=no"))).toEqual(["petrov"]);
    expect(keysOf(await search("hasLocation=yes"))).toHaveLength(4);
  });

  it("community: the community and everything inside it", async () => {
    expect(keysOf(await search(`communityId=${w.aId}`))).toEqual(["ahmadHe", "cohen"]);
    expect(keysOf(await search(`communityId=${w.buildingId}`))).toEqual(["ahmadHe"]);
    expect(keysOf(await search(`communityId=${w.townId}`))).toEqual([
      "ahmadAr",
      "ahmadHe",
      "cohen",
      "haddad",
    ]);
    expect(keysOf(await search(`communityId=${w.functionalId}`))).toEqual(["petrov"]);
  });

  it("community: follows a community moved under another parent, and a membership removed", async () => {
    const m = w.api.manager;
    const move = async (parentId: string) => {
      const current = (await m.get(`/api/communities/${w.buildingId}`)).json() as {
        version: number;
      };
      const res = await m.patch(`/api/communities/${w.buildingId}`, {
        version: current.version,
        parentId,
      });
      expect(res.statusCode).toBe(200);
    };
    await move(w.bId);
    expect(keysOf(await search(`communityId=${w.bId}`))).toContain("ahmadHe");
    expect(keysOf(await search(`communityId=${w.aId}`))).not.toContain("ahmadHe");
    await move(w.aId);
    expect(keysOf(await search(`communityId=${w.aId}`))).toContain("ahmadHe");
    expect(keysOf(await search(`communityId=${w.bId}`))).not.toContain("ahmadHe");
    // Leaving a functional community (memberships replaced) leaves its list at once.
    const petrov = (await m.get(`/api/residents/${people.petrov!.id}`)).json() as {
      version: number;
    };
    const res = await m.patch(`/api/residents/${people.petrov!.id}`, {
      version: petrov.version,
      communityIds: [],
    });
    expect(res.statusCode).toBe(200);
    expect(keysOf(await search(`communityId=${w.functionalId}`))).toEqual([]);
    const again = (await m.get(`/api/residents/${people.petrov!.id}`)).json() as {
      version: number;
    };
    await m.patch(`/api/residents/${people.petrov!.id}`, {
      version: again.version,
      communityIds: [w.functionalId],
    });
    expect(keysOf(await search(`communityId=${w.functionalId}`))).toEqual(["petrov"]);
  });

  it("filters combine with search and with each other", async () => {
    expect(keysOf(await search(`${q("Ahmad")}&flags=age_75_plus`))).toEqual(["ahmadHe"]);
    expect(keysOf(await search(`language=ar&communityId=${w.bId}`))).toEqual(["ahmadAr", "haddad"]);
  });

  it("refuses unknown filter values with 400", async () => {
    for (const bad of [
      "flags=rich",
      "roles=king",
      "language=xx",
      "sort=age",
      "pageSize=1000",
      "communityId=nope",
    ]) {
      const res = await w.api.manager.get(`/api/residents?${bad}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().error.code).toBe("validation_failed");
    }
  });
});

describe("sorting and pages", () => {
  it("sorts by name and pages with a total", async () => {
    const all = await search("sort=name");
    expect(all.items.map((i) => i.lastName)).toEqual([
      "Haddad",
      "Petrova",
      "כהן",
      "מסארווה",
      "مصاروة",
    ]);
    const page2 = (
      await w.api.manager.get("/api/residents?sort=name&pageSize=2&page=2")
    ).json() as Page;
    expect(page2).toMatchObject({ total: 5, page: 2, pageSize: 2 });
    expect(page2.items.map((i) => i.lastName)).toEqual(["כהן", "מסארווה"]);
  });

  it("counts up to a cap and says when there are more", async () => {
    const page = await search("sort=name");
    expect(page.total).toBe(5);
    expect(page).not.toHaveProperty("totalCapped");
    const ctx = await contextFor(t, w.cookies.manager!, `department:${w.departmentId}`);
    const scope = residentScope(residentVisibility(ctx.actor));
    const filter = { departmentId: w.departmentId };
    const capped = await listRows(ctx.db, scope, filter, "name", { limit: 2, offset: 0 }, 3);
    expect(capped).toMatchObject({ total: 3, capped: true });
    expect(capped.items).toHaveLength(2);
    const exact = await listRows(ctx.db, scope, filter, "name", { limit: 2, offset: 0 }, 5);
    expect(exact).toMatchObject({ total: 5, capped: false });
  });

  it("pages a filtered list with its total in every sort, and past the end", async () => {
    // Filters read through the attributes index: the page's ids and the total in one pass.
    const ctx = await contextFor(t, w.cookies.manager!, `department:${w.departmentId}`);
    const scope = residentScope(residentVisibility(ctx.actor));
    const filter = { departmentId: w.departmentId, language: "ar" };
    const all = await search("language=ar&sort=name");
    expect(all.total).toBe(3);
    const names = all.items.map((i) => i.lastName);
    for (const sort of ["name", "created", "updated"] as const) {
      const whole = await listRows(ctx.db, scope, filter, sort, { limit: 10, offset: 0 }, 1000);
      const first = await listRows(ctx.db, scope, filter, sort, { limit: 2, offset: 0 }, 1000);
      const second = await listRows(ctx.db, scope, filter, sort, { limit: 2, offset: 2 }, 1000);
      const past = await listRows(ctx.db, scope, filter, sort, { limit: 2, offset: 4 }, 1000);
      expect([first.total, second.total, past.total, whole.total]).toEqual([3, 3, 3, 3]);
      expect([...first.items, ...second.items].map((i) => i.id)).toEqual(
        whole.items.map((i) => i.id),
      );
      expect(past.items).toEqual([]);
      const capped = await listRows(ctx.db, scope, filter, sort, { limit: 2, offset: 0 }, 2);
      expect(capped).toMatchObject({ total: 2, capped: true });
    }
    const byName = await listRows(ctx.db, scope, filter, "name", { limit: 10, offset: 0 }, 1000);
    expect(byName.items.map((i) => i.lastName)).toEqual(names);
    // Nothing matches: no rows, total 0.
    const none = await listRows(
      ctx.db,
      scope,
      { ...filter, consent: "shared_with_partner" },
      "name",
      { limit: 2, offset: 0 },
      1000,
    );
    expect(none).toMatchObject({ items: [], total: 0, capped: false });
  });

  it("sorts by newest creation and by last update", async () => {
    const created = await search("sort=created");
    expect(created.items[0]!.id).toBe(people.haddad!.id);
    const r = (await w.api.manager.get(`/api/residents/${people.cohen!.id}`)).json() as {
      version: number;
    };
    await w.api.manager.patch(`/api/residents/${people.cohen!.id}`, {
      version: r.version,
      notes: "עודכן",
    });
    const updated = await search("sort=updated");
    expect(updated.items[0]!.id).toBe(people.cohen!.id);
  });
});

describe("exports (iterateResidents)", () => {
  it("walks every visible row once, in batches, with the list's scope and filters, and audits once", async () => {
    const ctx = await contextFor(t, w.cookies.manager!, `department:${w.departmentId}`);
    const seen: ResidentListItem[] = [];
    let batches = 0;
    for await (const batch of iterateResidents(ctx, {}, { batchSize: 2 })) {
      batches++;
      seen.push(...batch);
    }
    expect(batches).toBe(3);
    expect(seen.map((i) => i.id).sort()).toEqual(
      Object.values(people)
        .map((p) => p.id)
        .sort(),
    );
    expect(seen.every((i) => i.access === "full" && Array.isArray(i.flags))).toBe(true);

    const filtered: string[] = [];
    for await (const batch of iterateResidents(
      ctx,
      { flags: ["lives_alone"], sort: "created" },
      { batchSize: 1 },
    ))
      filtered.push(...batch.map((i) => i.id));
    expect(filtered).toEqual([people.ahmadAr!.id, people.ahmadHe!.id]);

    const worker = await contextFor(t, w.cookies.worker!, `department:${w.departmentId}`);
    const workerSeen: string[] = [];
    for await (const batch of iterateResidents(worker, { sort: "updated" }, { batchSize: 1 }))
      workerSeen.push(...batch.map((i) => i.id));
    expect(workerSeen.sort()).toEqual([people.ahmadHe!.id, people.cohen!.id].sort());

    const audits = await t.database.query<{
      fields: string[];
      details: { count: number };
      purpose: string;
    }>(
      "select fields, details, purpose from audit_events where actor_user_id = $1 and purpose = 'export' order by id",
      [w.users.worker],
    );
    expect(audits).toHaveLength(1);
    expect(audits[0]!.details.count).toBe(2);
    expect(audits[0]!.fields).toContain("flags");
  });

  it("refuses roles that may not list residents", async () => {
    const ctx = await contextFor(t, w.cookies.volunteer!, `department:${w.departmentId}`);
    await expect(async () => {
      for await (const _ of iterateResidents(ctx, {})) void _;
    }).rejects.toMatchObject({ code: "forbidden" });
  });
});
