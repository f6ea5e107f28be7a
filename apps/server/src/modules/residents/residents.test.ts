import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../test/harness.ts";
import { buildWorld, POINTS, validId, type Api, type World } from "./residents.fixtures.ts";

/**
 * Residents registry through the real HTTP app: who sees what (SPEC §1), consent,
 * encryption at rest, audit of reads, validation and all-or-nothing writes.
 */

let t: TestServer;
let w: World;

type Detail = {
  access: "full" | "contact";
  id: string;
  version: number;
  firstName: string;
  lastName: string;
  flags?: string[];
  homeCommunity?: { id: string; name: string } | null;
  communities?: { id: string; source: string }[];
  consents?: string[];
  consentStates?: {
    purpose: string;
    granted: boolean;
    method: string | null;
    recordedByName: string | null;
  }[];
  caseworkers?: { id: string; name: string }[];
  household?: { id: string; label: string; members: { id: string; name: string }[] } | null;
  hasHealthNotes?: boolean;
  hasIdNumber?: boolean;
  archivedAt?: string | null;
};
type Page = { items: Detail[]; total: number; page: number; pageSize: number };

async function create(api: Api, body: Record<string, unknown>) {
  const res = await api.post("/api/residents", body);
  if (res.statusCode !== 201) throw new Error(`create failed: ${res.statusCode} ${res.body}`);
  return res.json() as Detail;
}

const ids = (page: Page) => page.items.map((i) => i.id).sort();
const list = async (api: Api, query = "") =>
  (await api.get(`/api/residents?pageSize=100${query}`)).json() as Page;

let inA: Detail; // home in neighbourhood A (from the point), consents to be listed to activists
let inBuilding: Detail; // home in the building (inside A), sensitive fields
let inB: Detail; // home in B
let caseload: Detail; // home in B, in the social worker's caseload
let functional: Detail; // only in the functional community

const HEALTH = "סוכרת ולחץ דם";
const ID_NUMBER = validId("31415926");

beforeAll(async () => {
  t = await startTestServer();
  w = await buildWorld(t);
  const m = w.api.manager;
  inA = await create(m, {
    firstName: "רחל",
    lastName: "כהן",
    phone: "050-111 2233",
    email: "Rachel@Example.org",
    location: POINTS.a,
    consents: [{ purpose: "listed_to_activists", granted: true, method: "in_person" }],
  });
  inBuilding = await create(m, {
    firstName: "אחמד",
    lastName: "מסארווה",
    location: POINTS.building,
    flags: ["lives_alone", "age_75_plus"],
    healthNotes: HEALTH,
    idNumber: ID_NUMBER,
    notes: "מעדיף שיחה בערב",
  });
  inB = await create(m, { firstName: "יוסף", lastName: "לוי", location: POINTS.b });
  caseload = await create(m, {
    firstName: "מרים",
    lastName: "אברהם",
    location: POINTS.b,
    caseworkerIds: [w.users.social],
  });
  functional = await create(m, {
    firstName: "דוד",
    lastName: "פרץ",
    communityIds: [w.functionalId],
    consents: [{ purpose: "listed_to_activists", granted: true, method: "phone" }],
  });
  // Start-up seeds the demo department (thousands of rows): slow on a busy machine.
}, 300_000);
afterAll(async () => t.close());

describe("creating a resident", () => {
  it("finds the home community from the point (the smallest place containing it)", () => {
    expect(inBuilding.homeCommunity?.id).toBe(w.buildingId);
    expect(inA.homeCommunity?.id).toBe(w.aId);
    expect(inB.homeCommunity?.id).toBe(w.bId);
    expect(inBuilding.communities).toEqual([
      expect.objectContaining({ id: w.buildingId, source: "address" }),
    ]);
    expect(functional.homeCommunity).toBeNull();
    expect(functional.communities).toEqual([
      expect.objectContaining({ id: w.functionalId, source: "manual" }),
    ]);
  });

  it("keeps the consent set and its history, and normalises phone and e-mail", async () => {
    expect(inA.consents).toEqual(["listed_to_activists"]);
    const detail = (await w.api.manager.get(`/api/residents/${inA.id}`)).json() as Detail & {
      phone: string;
      email: string;
    };
    expect(detail.phone).toBe("+972501112233");
    expect(detail.email).toBe("rachel@example.org");
    const state = detail.consentStates!.find((s) => s.purpose === "listed_to_activists")!;
    expect(state).toMatchObject({ granted: true, method: "in_person" });
    expect(state.recordedByName).toMatch(/^manager /);
    const history = (await w.api.manager.get(`/api/residents/${inA.id}/consents`)).json() as {
      items: { purpose: string; granted: boolean; recordedByName: string }[];
    };
    expect(history.items).toHaveLength(1);
  });

  it("stores sensitive fields encrypted: the raw row holds no flag name, health note or ID number", async () => {
    const [row] = await t.database.query<Record<string, unknown>>(
      "select * from residents where id = $1",
      [inBuilding.id],
    );
    const raw = JSON.stringify(row);
    for (const secret of ["lives_alone", "age_75_plus", HEALTH, "סוכרת", ID_NUMBER]) {
      expect(raw).not.toContain(secret);
    }
    expect(String(row!.flags_enc)).toMatch(/^enc:v1:/);
    expect(String(row!.health_notes_enc)).toMatch(/^enc:v1:/);
    expect(String(row!.id_number_enc)).toMatch(/^enc:v1:/);
    const tokens = row!.flag_tokens as string[];
    expect(tokens).toHaveLength(2);
    for (const token of tokens) expect(["lives_alone", "age_75_plus"]).not.toContain(token);
    expect(row!.id_number_hash).not.toBe(ID_NUMBER);
    // The detail says there is something, without the values.
    expect(inBuilding).toMatchObject({ hasHealthNotes: true, hasIdNumber: true });
    expect(JSON.stringify(inBuilding)).not.toContain(HEALTH);
    expect(JSON.stringify(inBuilding)).not.toContain(ID_NUMBER);
    expect(inBuilding.flags).toEqual(["age_75_plus", "lives_alone"]);
  });

  it("audits the creation with field names, never values", async () => {
    const rows = await t.database.query<{
      fields: string[];
      details: unknown;
      community_id: string;
    }>(
      "select fields, details, community_id from audit_events where entity_id = $1 and action = 'resident.create'",
      [inBuilding.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.fields).toEqual(expect.arrayContaining(["flags", "healthNotes", "idNumber"]));
    expect(rows[0]!.community_id).toBe(w.buildingId);
    const raw = JSON.stringify(rows);
    expect(raw).not.toContain(HEALTH);
    expect(raw).not.toContain(ID_NUMBER);
    expect(raw).not.toContain("lives_alone");
  });

  it("refuses an ID number with a wrong check digit and a bad phone, naming the field", async () => {
    const badId = `${ID_NUMBER.slice(0, 8)}${(Number(ID_NUMBER[8]) + 1) % 10}`;
    const res = await w.api.manager.post("/api/residents", {
      firstName: "א",
      lastName: "ב",
      idNumber: badId,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe("validation_failed");
    expect(res.json().error.details.issues[0].path).toEqual(["body", "idNumber"]);
    const phone = await w.api.manager.post("/api/residents", {
      firstName: "א",
      lastName: "ב",
      phone: "12ab",
    });
    expect(phone.statusCode).toBe(400);
    expect(phone.json().error.details.issues[0].path).toEqual(["body", "phone"]);
  });

  it("saves nothing when a reference is wrong (no resident, no consent, no household)", async () => {
    const count = async () =>
      (
        await t.database.query<{ r: number; c: number; h: number }>(
          `select (select count(*)::int from residents where department_id = $1) as r,
                  (select count(*)::int from resident_consents where department_id = $1) as c,
                  (select count(*)::int from households where department_id = $1) as h`,
          [w.departmentId],
        )
      )[0]!;
    const before = await count();
    const badCommunity = await w.api.manager.post("/api/residents", {
      firstName: "חצי",
      lastName: "שמור",
      newHouseholdLabel: "משפחת שמור",
      communityIds: [w.functionalId, crypto.randomUUID()],
      consents: [{ purpose: "emergency_contact", granted: true, method: "phone" }],
    });
    expect(badCommunity.statusCode).toBe(400);
    expect(badCommunity.json().error).toMatchObject({
      code: "resident.community_not_found",
      details: { path: ["communityIds", 1] },
    });
    const badStreet = await w.api.manager.post("/api/residents", {
      firstName: "חצי",
      lastName: "שמור",
      streetId: crypto.randomUUID(),
      consents: [{ purpose: "emergency_contact", granted: true, method: "phone" }],
    });
    expect(badStreet.json().error.code).toBe("resident.street_not_found");
    const badHousehold = await w.api.manager.post("/api/residents", {
      firstName: "חצי",
      lastName: "שמור",
      householdId: crypto.randomUUID(),
    });
    expect(badHousehold.json().error.code).toBe("resident.household_not_found");
    const badCaseworker = await w.api.manager.post("/api/residents", {
      firstName: "חצי",
      lastName: "שמור",
      caseworkerIds: [w.users.volunteer],
    });
    expect(badCaseworker.statusCode).toBe(400);
    expect(badCaseworker.json().error.details.issues[0].path).toEqual(["body", "caseworkerIds", 0]);
    expect(await count()).toEqual(before);
  });
});

describe("who sees whom", () => {
  it("a manager sees every live resident of the department", async () => {
    const page = await list(w.api.manager);
    expect(ids(page)).toEqual([inA.id, inBuilding.id, inB.id, caseload.id, functional.id].sort());
    expect(page.items.every((i) => i.access === "full")).toBe(true);
  });

  it("a community worker sees the residents of their communities' subtrees only", async () => {
    const page = await list(w.api.worker);
    expect(ids(page)).toEqual([inA.id, inBuilding.id].sort());
    expect((await w.api.worker.get(`/api/residents/${inBuilding.id}`)).statusCode).toBe(200);
    expect((await w.api.worker.get(`/api/residents/${inB.id}`)).statusCode).toBe(403);
    // Filtering by a community outside their reach does not widen it.
    expect(ids(await list(w.api.worker, `&communityId=${w.bId}`))).toEqual([]);
  });

  it("a community worker cannot place a resident in someone else's community", async () => {
    const res = await w.api.worker.post("/api/residents", {
      firstName: "מחוץ",
      lastName: "לתחום",
      communityIds: [w.bId],
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe("resident.community_out_of_scope");
    const inside = await w.api.worker.post("/api/residents", {
      firstName: "בתוך",
      lastName: "התחום",
      location: POINTS.building,
    });
    expect(inside.statusCode).toBe(201);
    const outside = await w.api.worker.post("/api/residents", {
      firstName: "גר",
      lastName: "בשכונה ב",
      location: POINTS.b,
    });
    expect(outside.statusCode).toBe(403);
    const rows = await t.database.query<{ n: number }>(
      "select count(*)::int as n from residents where first_name in ('מחוץ', 'גר')",
    );
    expect(rows[0]!.n).toBe(0);
    // Clean up the one that was made, for exact counts elsewhere.
    const made = inside.json() as Detail;
    await w.api.manager.post(`/api/residents/${made.id}/archive`, { version: made.version });
  });

  it("a social worker sees their caseload only", async () => {
    const page = await list(w.api.social);
    expect(ids(page)).toEqual([caseload.id]);
    expect((await w.api.social.get(`/api/residents/${caseload.id}`)).statusCode).toBe(200);
    expect((await w.api.social.get(`/api/residents/${inB.id}`)).statusCode).toBe(403);
  });

  it("an activist sees name and contact of consenting members of their communities — and not after withdrawal", async () => {
    const page = await list(w.api.activist);
    expect(ids(page)).toEqual([inA.id]);
    expect(Object.keys(page.items[0]!).sort()).toEqual(
      ["access", "email", "firstName", "id", "lastName", "phone"].sort(),
    );
    expect(page.items[0]!.access).toBe("contact");
    const one = await w.api.activist.get(`/api/residents/${inA.id}`);
    expect(one.statusCode).toBe(200);
    expect(Object.keys(one.json()).sort()).toEqual(
      ["access", "email", "firstName", "id", "lastName", "phone"].sort(),
    );
    // Not the non-consenting resident of the same neighbourhood, nor reveal, history or consents.
    expect((await w.api.activist.get(`/api/residents/${inBuilding.id}`)).statusCode).toBe(403);
    expect(
      (
        await w.api.activist.post(`/api/residents/${inA.id}/reveal`, {
          fields: ["healthNotes"],
          purpose: "curious",
        })
      ).statusCode,
    ).toBe(403);
    expect((await w.api.activist.get(`/api/residents/${inA.id}/history`)).statusCode).toBe(403);
    expect((await w.api.activist.get(`/api/residents/${inA.id}/consents`)).statusCode).toBe(403);
    // Filters on what an activist may not see never match: they cannot be used to learn
    // flags, languages, addresses or memberships of the people they see.
    const detail = (await w.api.manager.get(`/api/residents/${inBuilding.id}`)).json() as Detail;
    await w.api.manager.patch(`/api/residents/${inBuilding.id}`, {
      version: detail.version,
      languages: ["ar"],
      communityIds: [w.functionalId],
    });
    await w.api.manager.post(`/api/residents/${inBuilding.id}/consents`, {
      purpose: "listed_to_activists",
      granted: true,
      method: "in_person",
    });
    expect(ids(await list(w.api.activist))).toEqual([inA.id, inBuilding.id].sort());
    for (const filter of [
      "flags=lives_alone",
      "language=ar",
      `communityId=${w.functionalId}`,
      `communityId=${w.buildingId}`,
      "hasLocation=yes",
      "consent=listed_to_activists",
    ]) {
      expect(ids(await list(w.api.activist, `&${filter}`)), filter).toEqual([]);
    }
    // The manager's same filters do match (the filters work; the activist is kept out).
    expect(ids(await list(w.api.manager, "&flags=lives_alone"))).toContain(inBuilding.id);
    expect(ids(await list(w.api.manager, `&communityId=${w.functionalId}`))).toContain(
      inBuilding.id,
    );
    // Searching by name is what they may do.
    expect(ids(await list(w.api.activist, `&q=${encodeURIComponent("מסארווה")}`))).toEqual([
      inBuilding.id,
    ]);
    await w.api.manager.post(`/api/residents/${inBuilding.id}/consents`, {
      purpose: "listed_to_activists",
      granted: false,
      method: "in_person",
    });

    const withdrawn = await w.api.manager.post(`/api/residents/${inA.id}/consents`, {
      purpose: "listed_to_activists",
      granted: false,
      method: "phone",
      note: "ביקשה להסיר",
    });
    expect(withdrawn.statusCode).toBe(201);
    expect(withdrawn.json()).toMatchObject({ purpose: "listed_to_activists", granted: false });
    expect(ids(await list(w.api.activist))).toEqual([]);
    expect((await w.api.activist.get(`/api/residents/${inA.id}`)).statusCode).toBe(403);

    const history = (await w.api.manager.get(`/api/residents/${inA.id}/consents`)).json() as {
      items: { granted: boolean; method: string; note: string; recordedByName: string }[];
    };
    expect(history.items.map((i) => i.granted)).toEqual([false, true]);
    expect(history.items[0]).toMatchObject({ method: "phone", note: "ביקשה להסיר" });

    // Granting again brings them back at once.
    await w.api.manager.post(`/api/residents/${inA.id}/consents`, {
      purpose: "listed_to_activists",
      granted: true,
      method: "written_form",
    });
    expect(ids(await list(w.api.activist))).toEqual([inA.id]);
  });

  it("volunteers, district and other departments see nothing", async () => {
    expect((await w.api.volunteer.get("/api/residents")).statusCode).toBe(403);
    expect((await w.api.volunteer.get(`/api/residents/${inA.id}`)).statusCode).toBe(403);
    expect((await w.api.district.get("/api/residents")).statusCode).toBe(403);
    const other = await w.api.otherManager.get("/api/residents?pageSize=100");
    expect(other.statusCode).toBe(200);
    expect((other.json() as Page).items.map((i) => i.id)).not.toContain(inA.id);
    expect((await w.api.otherManager.get(`/api/residents/${inA.id}`)).statusCode).toBe(404);
    const patch = await w.api.otherManager.patch(`/api/residents/${inA.id}`, {
      version: 1,
      firstName: "נחטף",
    });
    expect(patch.statusCode).toBe(404);
    const consent = await w.api.otherManager.post(`/api/residents/${inA.id}/consents`, {
      purpose: "shared_with_partner",
      granted: true,
      method: "phone",
    });
    expect(consent.statusCode).toBe(404);
  });
});

describe("reading sensitive fields", () => {
  it("audits each detail read with field names and no values", async () => {
    const before = await t.database.query<{ n: number }>(
      "select count(*)::int as n from audit_events where entity_id = $1 and action = 'resident.read'",
      [inBuilding.id],
    );
    await w.api.worker.get(`/api/residents/${inBuilding.id}`);
    const rows = await t.database.query<{
      fields: string[];
      details: unknown;
      actor_user_id: string;
    }>(
      "select fields, details, actor_user_id from audit_events where entity_id = $1 and action = 'resident.read' order by id",
      [inBuilding.id],
    );
    expect(rows.length).toBe(before[0]!.n + 1);
    const last = rows[rows.length - 1]!;
    expect(last.actor_user_id).toBe(w.users.worker);
    expect(last.fields).toEqual(expect.arrayContaining(["flags", "firstName", "notes"]));
    expect(JSON.stringify(last)).not.toContain("lives_alone");
    expect(JSON.stringify(last)).not.toContain("אחמד");
  });

  it("audits list reads too (ids and field names)", async () => {
    await w.api.worker.get("/api/residents?pageSize=100");
    const [row] = await t.database.query<{ fields: string[]; details: { ids: string[] } }>(
      "select fields, details from audit_events where actor_user_id = $1 and action = 'resident.read' and entity_id is null order by id desc limit 1",
      [w.users.worker],
    );
    expect(row!.fields).toContain("flags");
    expect(row!.details.ids.sort()).toEqual([inA.id, inBuilding.id].sort());
  });

  it("reveals health notes and ID number to full access with a purpose, audited", async () => {
    const none = await w.api.manager.post(`/api/residents/${inBuilding.id}/reveal`, {
      fields: ["healthNotes"],
    });
    expect(none.statusCode).toBe(400);
    const blank = await w.api.manager.post(`/api/residents/${inBuilding.id}/reveal`, {
      fields: ["healthNotes"],
      purpose: "   ",
    });
    expect(blank.statusCode).toBe(400);
    const res = await w.api.worker.post(`/api/residents/${inBuilding.id}/reveal`, {
      fields: ["healthNotes", "idNumber"],
      purpose: "בקשה לסיוע רפואי",
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ healthNotes: HEALTH, idNumber: ID_NUMBER });
    const [audit] = await t.database.query<{ fields: string[]; purpose: string; details: unknown }>(
      "select fields, purpose, details from audit_events where entity_id = $1 and action = 'resident.reveal' order by id desc limit 1",
      [inBuilding.id],
    );
    expect(audit).toMatchObject({
      fields: ["healthNotes", "idNumber"],
      purpose: "בקשה לסיוע רפואי",
    });
    expect(JSON.stringify(audit)).not.toContain(HEALTH);
    // Out of reach: a social worker whose caseload this is not.
    const social = await w.api.social.post(`/api/residents/${inBuilding.id}/reveal`, {
      fields: ["idNumber"],
      purpose: "בדיקה",
    });
    expect(social.statusCode).toBe(403);
  });

  it("shows the record's history: creation, changes, reads and reveals, with who and why", async () => {
    const res = await w.api.manager.get(`/api/residents/${inBuilding.id}/history`);
    expect(res.statusCode).toBe(200);
    const items = (
      res.json() as { items: { action: string; actorName: string; purpose: string | null }[] }
    ).items;
    const actions = items.map((i) => i.action);
    expect(actions).toContain("resident.create");
    expect(actions).toContain("resident.read");
    expect(items.find((i) => i.action === "resident.reveal")?.purpose).toBe("בקשה לסיוע רפואי");
    expect(items.find((i) => i.action === "resident.create")?.actorName).toMatch(/^manager /);
  });
});

describe("editing", () => {
  it("updates with the version, re-keys search, reports changed fields only, and refuses a stale version", async () => {
    const current = (await w.api.manager.get(`/api/residents/${inB.id}`)).json() as Detail;
    const res = await w.api.manager.patch(`/api/residents/${inB.id}`, {
      version: current.version,
      lastName: "לוינסון",
      flags: ["disability"],
      languages: ["he", "ru"],
    });
    expect(res.statusCode).toBe(200);
    const updated = res.json() as Detail & { languages: string[] };
    expect(updated.version).toBe(current.version + 1);
    expect(updated.flags).toEqual(["disability"]);
    expect(updated.languages).toEqual(["he", "ru"]);
    const found = await list(w.api.manager, `&q=${encodeURIComponent("לוינסון")}`);
    expect(ids(found)).toEqual([inB.id]);
    const [audit] = await t.database.query<{ fields: string[] }>(
      "select fields from audit_events where entity_id = $1 and action = 'resident.update' order by id desc limit 1",
      [inB.id],
    );
    expect(audit!.fields).toEqual(["flags", "languages", "lastName"]);

    const stale = await w.api.manager.patch(`/api/residents/${inB.id}`, {
      version: current.version,
      firstName: "ישן",
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe("version_conflict");

    // The same values again: nothing changes, no new version.
    const same = await w.api.manager.patch(`/api/residents/${inB.id}`, {
      version: updated.version,
      lastName: "לוינסון",
      flags: ["disability"],
    });
    expect((same.json() as Detail).version).toBe(updated.version);
  });

  it("moves the home with the point, and a worker may not move a resident out of their reach", async () => {
    const current = (await w.api.manager.get(`/api/residents/${inBuilding.id}`)).json() as Detail;
    const moved = await w.api.worker.patch(`/api/residents/${inBuilding.id}`, {
      version: current.version,
      location: POINTS.a,
    });
    expect(moved.statusCode).toBe(200);
    expect((moved.json() as Detail).homeCommunity?.id).toBe(w.aId);
    const away = await w.api.worker.patch(`/api/residents/${inBuilding.id}`, {
      version: (moved.json() as Detail).version,
      location: POINTS.b,
    });
    expect(away.statusCode).toBe(403);
    const back = await w.api.worker.patch(`/api/residents/${inBuilding.id}`, {
      version: (moved.json() as Detail).version,
      location: POINTS.building,
    });
    expect((back.json() as Detail).homeCommunity?.id).toBe(w.buildingId);
  });

  it("archives (gone from lists, cannot be edited) and restores", async () => {
    const current = (await w.api.manager.get(`/api/residents/${functional.id}`)).json() as Detail;
    const archived = await w.api.manager.post(`/api/residents/${functional.id}/archive`, {
      version: current.version,
    });
    expect(archived.statusCode).toBe(200);
    const a = archived.json() as Detail;
    expect(a.archivedAt).toBeTruthy();
    expect(ids(await list(w.api.manager))).not.toContain(functional.id);
    const edit = await w.api.manager.patch(`/api/residents/${functional.id}`, {
      version: a.version,
      firstName: "x",
    });
    expect(edit.json().error.code).toBe("resident.archived");
    const stale = await w.api.manager.post(`/api/residents/${functional.id}/restore`, {
      version: current.version,
    });
    expect(stale.statusCode).toBe(409);
    const restored = await w.api.manager.post(`/api/residents/${functional.id}/restore`, {
      version: a.version,
    });
    expect((restored.json() as Detail).archivedAt).toBeNull();
    expect(ids(await list(w.api.manager))).toContain(functional.id);
  });

  it("answers a merged record with 409 resident.merged and the survivor's id", async () => {
    const dup = await create(w.api.manager, {
      firstName: "כפול",
      lastName: "כפול",
      location: POINTS.a,
    });
    await t.database.query(
      "update residents set merged_into_id = $1 where department_id = $2 and id = $3",
      [inA.id, w.departmentId, dup.id],
    );
    const res = await w.api.manager.get(`/api/residents/${dup.id}`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({
      code: "resident.merged",
      details: { mergedIntoId: inA.id },
    });
    expect(ids(await list(w.api.manager))).not.toContain(dup.id);
    // Someone who cannot see the survivor just gets 404.
    expect((await w.api.social.get(`/api/residents/${dup.id}`)).statusCode).toBe(404);
  });
});

describe("households", () => {
  it("creates a household with the first member, adds a second, renames with the version", async () => {
    const first = await create(w.api.manager, {
      firstName: "שרה",
      lastName: "מזרחי",
      location: POINTS.a,
      newHouseholdLabel: "משפחת מזרחי",
      householdRole: "head",
    });
    expect(first.household).toMatchObject({ label: "משפחת מזרחי", members: [] });
    const householdId = first.household!.id;
    const second = await create(w.api.manager, {
      firstName: "נועם",
      lastName: "מזרחי",
      location: POINTS.a,
      householdId,
      householdRole: "child",
    });
    expect(second.household!.members).toEqual([{ id: first.id, name: "שרה מזרחי", role: "head" }]);
    const got = await w.api.worker.get(`/api/households/${householdId}`);
    expect(got.statusCode).toBe(200);
    const h = got.json() as { version: number; members: { id: string; access: string }[] };
    expect(h.members.map((m) => m.id).sort()).toEqual([first.id, second.id].sort());
    expect(h.members.every((m) => m.access === "full")).toBe(true);
    expect((await w.api.social.get(`/api/households/${householdId}`)).statusCode).toBe(403);
    const renamed = await w.api.worker.patch(`/api/households/${householdId}`, {
      version: h.version,
      label: "בית מזרחי",
    });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ label: "בית מזרחי", version: h.version + 1 });
    const stale = await w.api.worker.patch(`/api/households/${householdId}`, {
      version: h.version,
      label: "שוב",
    });
    expect(stale.statusCode).toBe(409);
    const filtered = await list(w.api.manager, `&householdId=${householdId}`);
    expect(ids(filtered)).toEqual([first.id, second.id].sort());
    for (const r of [first, second]) {
      const cur = (await w.api.manager.get(`/api/residents/${r.id}`)).json() as Detail;
      await w.api.manager.post(`/api/residents/${r.id}/archive`, { version: cur.version });
    }
  });
});
