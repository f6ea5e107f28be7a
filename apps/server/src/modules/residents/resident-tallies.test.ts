import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImportJob } from "@kaveret/contracts";
import { checkResidentTallies, flagToken, recountResidentTallies } from "@kaveret/db";
import { startTestServer, type TestServer } from "../../test/harness.ts";
import {
  countResidents,
  countResidentsByGroup,
} from "../community-profile/community-profile.repository.ts";
import { buildWorld, POINTS, type Api, type World } from "./residents.fixtures.ts";
import { residentScope } from "./residents.scope.ts";

/**
 * The community page's figures for full readers come from the tallies the triggers keep
 * (resident_counts). After the writes the app makes — creates, edits, consent changes,
 * archive and restore, a merge, an import — they must equal a count made from the
 * residents, and a full recount must change nothing.
 */

let t: TestServer;
let w: World;

type Overview = {
  countsReady: boolean;
  counts: {
    residents: number;
    households: number;
    listedToActivists: number;
    withLocation: number;
    flags: Record<string, number> | null;
  };
  subCommunities: { id: string; residents: number }[];
};

async function create(api: Api, body: Record<string, unknown>) {
  const res = await api.post("/api/residents", body);
  if (res.statusCode !== 201) throw new Error(`create failed: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; version: number; householdId: string | null };
}

const FLAGS = ["lives_alone", "age_75_plus", "disability", "chronic_illness"] as const;

/** What the page would show if it counted the residents now (the path partial readers take). */
async function counted(communityId: string) {
  const scope = residentScope({
    kind: "scoped",
    departmentId: w.departmentId,
    full: { all: true, communityRoots: [], caseloadOf: null },
    contact: null,
  });
  const tree = await t.database.query<{ id: string }>(
    `with recursive sub(id) as (select $2::uuid union select c.id from communities c join sub on c.parent_id = sub.id
       where c.department_id = $1) select id from sub`,
    [w.departmentId, communityId],
  );
  const children = await t.database.query<{ id: string }>(
    `select id from communities where department_id = $1 and parent_id = $2 and archived_at is null`,
    [w.departmentId, communityId],
  );
  const cipher = t.app.deps.cipher;
  const counts = await countResidents(
    t.database.db,
    scope,
    tree.map((x) => x.id),
    FLAGS.map((f) => flagToken(cipher, w.departmentId, f)),
  );
  const members: { communityId: string; group: string }[] = [];
  for (const child of children) {
    const sub = await t.database.query<{ id: string }>(
      `with recursive sub(id) as (select $2::uuid union select c.id from communities c join sub on c.parent_id = sub.id
         where c.department_id = $1) select id from sub`,
      [w.departmentId, child.id],
    );
    for (const s of sub) members.push({ communityId: s.id, group: child.id });
  }
  const byChild = await countResidentsByGroup(t.database.db, scope, w.departmentId, members);
  return {
    counts: {
      residents: counts.residents,
      households: counts.households,
      listedToActivists: counts.listedToActivists,
      withLocation: counts.withLocation,
      flags: Object.fromEntries(FLAGS.map((f, i) => [f, counts.flagCounts[i]])),
    },
    byChild: Object.fromEntries(children.map((c) => [c.id, byChild.get(c.id) ?? 0])),
  };
}

async function shown(communityId: string) {
  const res = await w.api.manager.get(`/api/communities/${communityId}/overview`);
  expect(res.statusCode).toBe(200);
  const o = res.json() as Overview;
  expect(o.countsReady).toBe(true);
  return {
    counts: {
      residents: o.counts.residents,
      households: o.counts.households,
      listedToActivists: o.counts.listedToActivists,
      withLocation: o.counts.withLocation,
      flags: Object.fromEntries(FLAGS.map((f) => [f, o.counts.flags?.[f] ?? 0])),
    },
    byChild: Object.fromEntries(o.subCommunities.map((c) => [c.id, c.residents])),
  };
}

const same = async () => {
  for (const id of [w.townId, w.aId, w.bId, w.buildingId, w.functionalId]) {
    expect(await shown(id), id).toEqual(await counted(id));
  }
  expect(await checkResidentTallies(t.database, w.departmentId)).toEqual([]);
};

beforeAll(async () => {
  t = await startTestServer();
  w = await buildWorld(t);
}, 300_000);
afterAll(async () => t.close());

describe("community figures from the tallies", () => {
  it("equal a count of the residents after creates, edits, consents, archive, a merge and an import", async () => {
    const m = w.api.manager;
    const home = await create(m, {
      firstName: "רחל",
      lastName: "כהן",
      location: POINTS.a,
      flags: ["lives_alone"],
      newHouseholdLabel: "כהן",
      consents: [{ purpose: "listed_to_activists", granted: true, method: "in_person" }],
    });
    const partner = await create(m, {
      firstName: "משה",
      lastName: "כהן",
      location: POINTS.a,
      householdId: home.householdId,
      flags: ["age_75_plus", "disability"],
    });
    const inBuilding = await create(m, {
      firstName: "אחמד",
      lastName: "מסארווה",
      location: POINTS.building,
      flags: ["lives_alone", "age_75_plus"],
    });
    const inB = await create(m, { firstName: "יוסף", lastName: "לוי", location: POINTS.b });
    await create(m, { firstName: "דוד", lastName: "פרץ", communityIds: [w.functionalId] });
    // The same person twice, in two neighbourhoods: merged below.
    const twin = await create(m, {
      firstName: "יוסף",
      lastName: "לוי",
      location: POINTS.building,
      flags: ["chronic_illness"],
      consents: [{ purpose: "listed_to_activists", granted: true, method: "phone" }],
    });
    await same();

    // Edits of every counted field: moved to another neighbourhood, flags, household left.
    const moved = await m.patch(`/api/residents/${partner.id}`, {
      version: partner.version,
      location: POINTS.b,
      flags: ["disability"],
      householdId: null,
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const joined = await m.patch(`/api/residents/${inBuilding.id}`, {
      version: inBuilding.version,
      householdId: home.householdId,
    });
    expect(joined.statusCode, joined.body).toBe(200);
    // Consent withdrawn and given.
    expect(
      (
        await m.post(`/api/residents/${home.id}/consents`, {
          purpose: "listed_to_activists",
          granted: false,
          method: "phone",
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await m.post(`/api/residents/${inB.id}/consents`, {
          purpose: "listed_to_activists",
          granted: true,
          method: "phone",
        })
      ).statusCode,
    ).toBe(201);
    await same();

    // Archived (gone from the figures), then one of them restored.
    const before = (await m.get(`/api/residents/${inB.id}`)).json() as { version: number };
    const archived = await m.post(`/api/residents/${inB.id}/archive`, { version: before.version });
    expect(archived.statusCode, archived.body).toBe(200);
    await same();
    const restored = await m.post(`/api/residents/${inB.id}/restore`, {
      version: (archived.json() as { version: number }).version,
    });
    expect(restored.statusCode, restored.body).toBe(200);

    // A merge: the twin's memberships and consents go to the survivor, the twin stops counting.
    const current = (await m.get(`/api/residents/${inB.id}`)).json() as { version: number };
    const merged = await m.post(`/api/residents/${inB.id}/merge`, {
      otherId: twin.id,
      version: current.version,
      otherVersion: twin.version,
      choices: {},
    });
    expect(merged.statusCode, merged.body).toBe(200);
    await same();

    // An import of residents in both neighbourhoods, with flags, consents and households.
    const csv = [
      ["שם פרטי", "שם משפחה", "שכונה", "סימוני פגיעות", "הסכמות", "משק בית"],
      ["דנה", "ייבוא", "שכונה א", "גר לבד", "גלוי לפעילים", "A"],
      ["יוסי", "ייבוא", "שכונה א", "", "", "A"],
      ["רינה", "ייבוא", "שכונה ב", "גר לבד", "", "B"],
      ["גיל", "ייבוא", "שכונה ב", "", "גלוי לפעילים", ""],
    ]
      .map((r) => r.join(","))
      .join("\n");
    const upload = await t.app.inject({
      method: "POST",
      url: `/api/imports?entity=residents&fileName=people.csv`,
      headers: {
        cookie: w.cookies.manager!,
        "x-kaveret-scope": `department:${w.departmentId}`,
        "content-type": "text/csv",
      },
      payload: Buffer.from(csv, "utf8"),
    });
    expect(upload.statusCode, upload.body).toBe(201);
    const job = upload.json() as ImportJob;
    await m.post(`/api/imports/${job.id}/validate`, {
      mapping: { ...job.suggestedMapping, homeCommunity: "שכונה" },
      options: { townId: w.townId, consentMethod: "written_form" },
    });
    const wait = async () => {
      for (let i = 0; i < 600; i++) {
        const j = (await m.get(`/api/imports/${job.id}`)).json() as ImportJob;
        if (j.status !== "validating" && j.status !== "importing") return j;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error("the import did not finish");
    };
    const validated = await wait();
    expect(validated.validRows, JSON.stringify(validated.errors)).toBe(4);
    expect((await m.post(`/api/imports/${job.id}/commit`, {})).statusCode).toBe(202);
    expect((await wait()).result.created).toBe(4);
    await same();

    // The town's figures as a person would check them: in B Moshe (moved), Yosef (restored)
    // and two imported; in A Rachel, Ahmad (the building), two imported — and Yosef again,
    // who took his twin's membership of the building in the merge, but counts once in the
    // town. David is in the functional community only.
    const town = await shown(w.townId);
    expect(town.counts.residents).toBe(8);
    expect(town.byChild[w.aId]).toBe(5);
    expect(town.byChild[w.bId]).toBe(4);
    // Rachel's household (Ahmad joined it, Moshe left it) and the imported A and B.
    expect(town.counts.households).toBe(3);

    // A full recount rebuilds the same figures.
    await recountResidentTallies(t.database, w.departmentId);
    expect(await shown(w.townId)).toEqual(town);
    await same();
  });
});
