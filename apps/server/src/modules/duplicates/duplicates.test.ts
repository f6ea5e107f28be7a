import { randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withIsraeliIdCheckDigit } from "@kaveret/contracts";
import { residentStoredFields } from "@kaveret/db";
import {
  client,
  demoEmail,
  schema,
  signIn,
  startTestServer,
  type TestServer,
} from "../../test/harness.ts";

/*
 * Residents are written straight into the tables (their stored form made by
 * residentStoredFields, as every writer does), so these tests depend on nothing
 * but the schema; reads go through the real HTTP app.
 */

type Client = ReturnType<typeof client>;
type Candidate = {
  resident: { id: string; firstName: string; flags: string[]; access: string };
  reasons: string[];
  score: number;
};
type PairPage = {
  items: { a: { id: string }; b: { id: string }; reasons: string[]; score: number }[];
  total: number;
  page: number;
  pageSize: number;
};

let t: TestServer;
let manager: Client;
let managerAlon: Client;
let worker: Client;
let einHadar: string;
let sdotAlon: string;
const hood: Record<string, string> = {};
let street: string;
let alonStreet: string;
let workerUserId: string;

const ID_1 = withIsraeliIdCheckDigit("03456789");
const ID_2 = withIsraeliIdCheckDigit("05550123");

type NewResident = {
  departmentId?: string;
  firstName: string;
  lastName: string;
  otherNames?: string;
  phone?: string | null;
  email?: string | null;
  birthYear?: number | null;
  streetId?: string | null;
  houseNumber?: string | null;
  apartment?: string | null;
  communities?: string[];
  languages?: string[];
  communityRoles?: string[];
  skills?: string[];
  flags?: string[];
  healthNotes?: string | null;
  idNumber?: string | null;
  notes?: string;
  consents?: { purpose: string; granted: boolean; at: string }[];
  caseworkers?: string[];
};

async function addResident(r: NewResident): Promise<string> {
  const db = t.database.db;
  const departmentId = r.departmentId ?? einHadar;
  const id = randomUUID();
  const events = r.consents ?? [];
  const latest = new Map<string, boolean>();
  for (const e of [...events].sort((x, y) => x.at.localeCompare(y.at)))
    latest.set(e.purpose, e.granted);
  await db.insert(schema.residents).values({
    departmentId,
    id,
    firstName: r.firstName,
    lastName: r.lastName,
    otherNames: r.otherNames ?? "",
    phone: r.phone ?? null,
    email: r.email ?? null,
    birthYear: r.birthYear ?? null,
    streetId: r.streetId ?? null,
    houseNumber: r.houseNumber ?? null,
    apartment: r.apartment ?? null,
    homeCommunityId: r.communities?.[0] ?? null,
    languages: r.languages ?? [],
    communityRoles: r.communityRoles ?? [],
    skills: r.skills ?? [],
    notes: r.notes ?? "",
    consents: [...latest].filter(([, g]) => g).map(([p]) => p),
    ...residentStoredFields(t.app.deps.cipher, departmentId, {
      firstName: r.firstName,
      lastName: r.lastName,
      otherNames: r.otherNames ?? "",
      flags: r.flags ?? [],
      healthNotes: r.healthNotes ?? null,
      idNumber: r.idNumber ?? null,
    }),
  });
  for (const communityId of r.communities ?? []) {
    await db
      .insert(schema.residentCommunities)
      .values({ departmentId, residentId: id, communityId });
  }
  for (const userId of r.caseworkers ?? []) {
    await db.insert(schema.residentCaseworkers).values({ departmentId, residentId: id, userId });
  }
  for (const e of events) {
    await db.insert(schema.residentConsents).values({
      departmentId,
      residentId: id,
      purpose: e.purpose,
      granted: e.granted,
      method: "in_person",
      recordedAt: new Date(e.at),
    });
  }
  return id;
}

const rowOf = async (id: string) =>
  (await t.database.db.select().from(schema.residents).where(eq(schema.residents.id, id)))[0]!;

const check = async (c: Client, body: Record<string, unknown>) => {
  const res = await c.post("/api/residents/check-duplicates", body);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: Candidate[] }).items;
};

const idsOf = (items: Candidate[]) => items.map((i) => i.resident.id);

beforeAll(async () => {
  t = await startTestServer();
  const cookie = await signIn(t.app, demoEmail("manager"));
  const me = (await client(t.app, cookie).get("/api/me")).json() as {
    scopes: { id: string; name: string; departmentId: string | null }[];
  };
  const eh = me.scopes.find((s) => s.name.includes("עין הדר"))!;
  const sa = me.scopes.find((s) => s.name.includes("שדות אלון"))!;
  einHadar = eh.departmentId!;
  sdotAlon = sa.departmentId!;
  manager = client(t.app, cookie, eh.id);
  managerAlon = client(t.app, cookie, sa.id);
  worker = client(t.app, await signIn(t.app, demoEmail("worker")));

  const db = t.database.db;
  const c = schema.communities;
  const all = await db
    .select()
    .from(c)
    .where(inArray(c.departmentId, [einHadar, sdotAlon]));
  for (const row of all) {
    if (row.name === "שכונת הגפן") hood.gefen = row.id;
    if (row.name === "נווה שלום") hood.shalom = row.id;
    if (row.name === "רמת הזיתים") hood.zeitim = row.id;
  }
  const town = all.find((row) => row.departmentId === einHadar && row.level === "town")!;
  const alonTown = all.find((row) => row.departmentId === sdotAlon && row.level === "town")!;
  street = randomUUID();
  alonStreet = randomUUID();
  await db.insert(schema.streets).values([
    { departmentId: einHadar, id: street, townId: town.id, name: "רחוב בדיקת כפילויות" },
    { departmentId: sdotAlon, id: alonStreet, townId: alonTown.id, name: "רחוב השדות" },
  ]);
  const [w] = await db
    .select({ id: schema.user.id })
    .from(schema.user)
    .where(eq(schema.user.email, demoEmail("worker")));
  workerUserId = w!.id;
});
afterAll(async () => t.close());

describe("checking for duplicates before saving", () => {
  it("finds the same phone, however it is typed", async () => {
    const id = await addResident({
      firstName: "רינה",
      lastName: "אלמוג",
      phone: "+972521110001",
      communities: [hood.gefen!],
    });
    const items = await check(manager, {
      firstName: "אבי",
      lastName: "שקד",
      phone: "052-111 0001",
    });
    const hit = items.find((i) => i.resident.id === id);
    expect(hit?.reasons).toEqual(["phone"]);
    expect(hit?.resident.access).toBe("full");
    // Different first names: probably a relative's phone, so a weak sign.
    expect(hit!.score).toBeGreaterThan(0);
    expect(hit!.score).toBeLessThan(0.3);
  });

  it("finds the same ID number through its blind index; the number is never stored in the clear", async () => {
    const id = await addResident({ firstName: "יעל", lastName: "ברק", idNumber: ID_1 });
    const row = await rowOf(id);
    expect(row.idNumberEnc).not.toContain(ID_1);
    expect(row.idNumberHash).not.toContain(ID_1);
    expect(row.idNumberHash).toBeTruthy();
    // Written with a dash and without its leading zero: the same canonical number.
    const typed = `${ID_1.slice(1, 5)}-${ID_1.slice(5)}`;
    const items = await check(manager, { firstName: "יעלי", lastName: "ברקוביץ", idNumber: typed });
    const hit = items.find((i) => i.resident.id === id);
    expect(hit?.reasons).toEqual(["id_number"]);
    expect(hit!.score).toBeGreaterThanOrEqual(0.9);
    expect(items[0]!.resident.id).toBe(id);
  });

  it("finds a similar Hebrew name at the same address (a typo), not a family member", async () => {
    const moshe = await addResident({
      firstName: "משה",
      lastName: "כהן",
      streetId: street,
      houseNumber: "12",
      birthYear: 1950,
    });
    const sara = await addResident({
      firstName: "שרה",
      lastName: "כהן",
      streetId: street,
      houseNumber: "12",
    });
    const typo = await check(manager, {
      firstName: "משה",
      lastName: "כהו",
      streetId: street,
      houseNumber: "12",
    });
    expect(idsOf(typo)).toContain(moshe);
    expect(idsOf(typo)).not.toContain(sara);
    expect(typo.find((i) => i.resident.id === moshe)!.reasons).toEqual(["name_address"]);

    // Another house on the street: the typo alone is not close enough.
    const elsewhere = await check(manager, {
      firstName: "משה",
      lastName: "כהו",
      streetId: street,
      houseNumber: "14",
    });
    expect(idsOf(elsewhere)).not.toContain(moshe);

    // The very same name alone is a weaker hint.
    const sameName = await check(manager, { firstName: "משה", lastName: "כהן" });
    const hit = sameName.find((i) => i.resident.id === moshe);
    expect(hit?.reasons).toEqual(["name"]);
    const atAddress = await check(manager, {
      firstName: "משה",
      lastName: "כהן",
      streetId: street,
      houseNumber: "12",
    });
    expect(atAddress.find((i) => i.resident.id === moshe)!.score).toBeGreaterThan(hit!.score);

    // When editing, the record itself is left out.
    const editing = await check(manager, {
      firstName: "משה",
      lastName: "כהן",
      streetId: street,
      houseNumber: "12",
      excludeId: moshe,
    });
    expect(idsOf(editing)).not.toContain(moshe);
  });

  it("tells a family at one address from one person entered twice (across scripts and flats)", async () => {
    // A family: one phone, one address, one surname, different first names; a namesake son.
    const dad = await addResident({
      firstName: "דוד",
      lastName: "אוחיון",
      phone: "+972521110010",
      streetId: street,
      houseNumber: "20",
      birthYear: 1970,
    });
    const mum = await addResident({
      firstName: "חנה",
      lastName: "אוחיון",
      phone: "+972521110010",
      streetId: street,
      houseNumber: "20",
      birthYear: 1972,
    });
    const son = await addResident({
      firstName: "דוד",
      lastName: "אוחיון",
      streetId: street,
      houseNumber: "20",
      birthYear: 2001,
    });
    const forMum = await check(manager, {
      firstName: "חנה",
      lastName: "אוחיון",
      phone: "0521110010",
      streetId: street,
      houseNumber: "20",
      excludeId: mum,
    });
    const fromDad = forMum.find((i) => i.resident.id === dad);
    expect(fromDad?.reasons).toEqual(["phone"]);
    expect(fromDad!.score).toBeLessThan(0.3);
    expect(idsOf(forMum)).not.toContain(son);
    // Father and son of one name, 31 years apart: named alike, scored low.
    const sons = (await manager.get(`/api/residents/${dad}/duplicates`)).json() as {
      items: Candidate[];
    };
    const namesake = sons.items.find((i) => i.resident.id === son);
    expect(namesake?.reasons).toEqual(["name_address"]);
    expect(namesake!.score).toBeLessThan(0.4);

    // Arabic and Hebrew spellings of one name at one address.
    const ahmad = await addResident({
      firstName: "أحمد",
      lastName: "مصاروة",
      streetId: street,
      houseNumber: "22",
    });
    const inHebrew = await check(manager, {
      firstName: "אחמד",
      lastName: "מסארווה",
      streetId: street,
      houseNumber: "22",
    });
    expect(inHebrew.find((i) => i.resident.id === ahmad)?.reasons).toEqual(["name_address"]);

    // Two flats of one building are two homes; a record without a flat may be either.
    const flat5 = await addResident({
      firstName: "יוסף",
      lastName: "לוי",
      streetId: street,
      houseNumber: "24",
      apartment: "5",
    });
    const flat2 = await addResident({
      firstName: "יוסף",
      lastName: "לוי",
      streetId: street,
      houseNumber: "24",
      apartment: "2",
    });
    const noFlat = await addResident({
      firstName: "יוסף",
      lastName: "לוי",
      streetId: street,
      houseNumber: "24",
    });
    const of5 = (await manager.get(`/api/residents/${flat5}/duplicates`)).json() as {
      items: Candidate[];
    };
    expect(of5.items.find((i) => i.resident.id === noFlat)?.reasons).toEqual(["name_address"]);
    expect(of5.items.find((i) => i.resident.id === flat2)?.reasons ?? []).not.toContain(
      "name_address",
    );
  });

  it("keys first names in the database so spellings meet and a family does not", async () => {
    const key = async (firstName: string, lastName: string) =>
      (await rowOf(await addResident({ firstName, lastName }))).nameKey;
    expect(await key("משה", "כהן")).toBe(await key("מושה", "כהן"));
    expect(await key("משה", "כהן")).toBe(await key("Moshe", "Cohen"));
    expect(await key("أحمد", "مصاروة")).toBe(await key("אחמד", "מסארווה"));
    expect(await key("חנה", "אוחיון")).not.toBe(await key("דוד", "אוחיון"));
  });

  it("never looks in another department", async () => {
    const there = await addResident({
      departmentId: sdotAlon,
      firstName: "גל",
      lastName: "נחום",
      phone: "+972521110002",
      idNumber: ID_2,
    });
    const items = await check(manager, {
      firstName: "גל",
      lastName: "נחום",
      phone: "0521110002",
      idNumber: ID_2,
    });
    expect(idsOf(items)).not.toContain(there);
    // The same person checked in their own department is found.
    const own = await check(managerAlon, {
      firstName: "גל",
      lastName: "נחום",
      phone: "0521110002",
      idNumber: ID_2,
    });
    expect(own.find((i) => i.resident.id === there)?.reasons).toEqual([
      "id_number",
      "phone",
      "name",
    ]);
    expect(own[0]!.score).toBeGreaterThan(0.95);
  });

  it("shows a community worker only residents of their communities", async () => {
    const inside = await addResident({
      firstName: "תמר",
      lastName: "גולן",
      phone: "+972521110003",
      communities: [hood.shalom!],
    });
    const outside = await addResident({
      firstName: "תמר",
      lastName: "גולן",
      phone: "+972521110003",
      communities: [hood.gefen!],
    });
    const forWorker = await check(worker, {
      firstName: "תמר",
      lastName: "גולן",
      phone: "0521110003",
    });
    expect(idsOf(forWorker)).toContain(inside);
    expect(idsOf(forWorker)).not.toContain(outside);
    const forManager = await check(manager, {
      firstName: "תמר",
      lastName: "גולן",
      phone: "0521110003",
    });
    expect(idsOf(forManager)).toEqual(expect.arrayContaining([inside, outside]));
    // An activist sees no one in full: no candidates, nothing revealed.
    const activist = client(t.app, await signIn(t.app, demoEmail("activist")));
    const res = await activist.post("/api/residents/check-duplicates", {
      firstName: "תמר",
      lastName: "גולן",
      phone: "0521110003",
    });
    expect(res.statusCode).toBe(200);
    expect((res.json() as { items: unknown[] }).items).toEqual([]);
  });

  it("refuses bad input with a code, and audits what it showed", async () => {
    const bad = await manager.post("/api/residents/check-duplicates", {
      firstName: "א",
      lastName: "ב",
      idNumber: "123456789",
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe("validation_failed");
    const audit = await t.database.db
      .select()
      .from(schema.auditEvents)
      .where(
        and(
          eq(schema.auditEvents.action, "resident.read"),
          eq(schema.auditEvents.purpose, "duplicate_check"),
        ),
      );
    expect(audit.length).toBeGreaterThan(0);
    expect(audit[0]!.fields).toContain("flags");
    expect(JSON.stringify(audit)).not.toContain("+97252111");
  });
});

describe("duplicates of an existing record", () => {
  it("lists candidates of a record, and keeps a worker to their communities", async () => {
    const a = await addResident({
      firstName: "אורי",
      lastName: "זהבי",
      phone: "+972521110004",
      communities: [hood.shalom!],
    });
    const b = await addResident({
      firstName: "אורי",
      lastName: "זהבי",
      phone: "+972521110004",
      communities: [hood.zeitim!],
    });
    const c = await addResident({
      firstName: "אורי",
      lastName: "זהבי",
      phone: "+972521110004",
      communities: [hood.gefen!],
    });
    const res = await manager.get(`/api/residents/${a}/duplicates`);
    expect(res.statusCode).toBe(200);
    const items = (res.json() as { items: Candidate[] }).items;
    expect(idsOf(items).sort()).toEqual([b, c].sort());
    expect(items[0]!.reasons).toEqual(["phone", "name"]);

    const mine = (await worker.get(`/api/residents/${a}/duplicates`)).json() as {
      items: Candidate[];
    };
    expect(idsOf(mine.items)).toEqual([b]);
    expect((await worker.get(`/api/residents/${c}/duplicates`)).statusCode).toBe(403);
    expect((await manager.get(`/api/residents/${randomUUID()}/duplicates`)).statusCode).toBe(404);
  });
});

describe("the department's queue", () => {
  it("lists likely pairs best first, with pagination, and leaves out families and merged records", async () => {
    const d = sdotAlon;
    const idA = await addResident({
      departmentId: d,
      firstName: "נועם",
      lastName: "פרץ",
      idNumber: ID_1,
    });
    const idB = await addResident({
      departmentId: d,
      firstName: "נעם",
      lastName: "פרץ",
      idNumber: ID_1,
    });
    const phoneA = await addResident({
      departmentId: d,
      firstName: "ליאת",
      lastName: "מזרחי",
      phone: "+972521110005",
    });
    const phoneB = await addResident({
      departmentId: d,
      firstName: "ליאת",
      lastName: "מזרחי",
      phone: "+972521110005",
    });
    const home1 = await addResident({
      departmentId: d,
      firstName: "אברהם",
      lastName: "לוינסון",
      streetId: alonStreet,
      houseNumber: "3",
    });
    const home2 = await addResident({
      departmentId: d,
      firstName: "אברהם",
      lastName: "לווינסון",
      streetId: alonStreet,
      houseNumber: "3",
    });
    // A family at one address and a shared phone with different names: not pairs (or weak ones).
    await addResident({
      departmentId: d,
      firstName: "דינה",
      lastName: "לוינסון",
      streetId: alonStreet,
      houseNumber: "3",
    });
    // Relatives sharing a phone and an address, and a father and son of one name.
    const relatives = [
      await addResident({
        departmentId: d,
        firstName: "רפאל",
        lastName: "נחום",
        phone: "+972521110006",
        streetId: alonStreet,
        houseNumber: "7",
      }),
      await addResident({
        departmentId: d,
        firstName: "יפה",
        lastName: "נחום",
        phone: "+972521110006",
        streetId: alonStreet,
        houseNumber: "7",
      }),
      await addResident({
        departmentId: d,
        firstName: "משה",
        lastName: "כץ",
        birthYear: 1950,
        streetId: alonStreet,
        houseNumber: "9",
      }),
      await addResident({
        departmentId: d,
        firstName: "משה",
        lastName: "כץ",
        birthYear: 1984,
        streetId: alonStreet,
        houseNumber: "9",
      }),
    ];
    const gone = await addResident({
      departmentId: d,
      firstName: "נועם",
      lastName: "פרץ",
      idNumber: ID_1,
    });
    await t.database.db
      .update(schema.residents)
      .set({ mergedIntoId: idA })
      .where(eq(schema.residents.id, gone));

    const res = await managerAlon.get("/api/residents/duplicates?pageSize=50");
    expect(res.statusCode).toBe(200);
    const page = res.json() as PairPage;
    const pairs = page.items.map((p) => [p.a.id, p.b.id].sort().join());
    expect(pairs).toContain([idA, idB].sort().join());
    expect(pairs).toContain([phoneA, phoneB].sort().join());
    expect(pairs).toContain([home1, home2].sort().join());
    expect(page.items.some((p) => p.a.id === gone || p.b.id === gone)).toBe(false);
    const listed = new Set(page.items.flatMap((p) => [p.a.id, p.b.id]));
    expect(relatives.filter((id) => listed.has(id))).toEqual([]);
    expect(page.total).toBe(3);
    expect(page.items.every((p) => p.reasons.length > 0)).toBe(true);
    // Dina Levinson shares the address but not the name.
    expect(page.items.filter((p) => p.reasons.includes("name_address"))).toHaveLength(1);
    const scores = page.items.map((p) => p.score);
    expect([...scores].sort((x, y) => y - x)).toEqual(scores);
    const byId = page.items.find((p) => [p.a.id, p.b.id].includes(idA))!;
    expect(byId.reasons).toContain("id_number");
    expect(byId.score).toBeGreaterThanOrEqual(0.9);
    expect(page.total).toBe(page.items.length);

    const p2 = (
      await managerAlon.get("/api/residents/duplicates?pageSize=1&page=2")
    ).json() as PairPage;
    expect(p2.items).toHaveLength(1);
    expect(p2.total).toBe(page.total);
    expect([p2.items[0]!.a.id, p2.items[0]!.b.id].sort().join()).toBe(pairs[1]);
    const past = (
      await managerAlon.get("/api/residents/duplicates?pageSize=50&page=9")
    ).json() as PairPage;
    expect(past.items).toEqual([]);
    expect(past.total).toBe(page.total);
  });

  it("shows a community worker only pairs inside their communities", async () => {
    const a = await addResident({
      firstName: "סיון",
      lastName: "דהן",
      idNumber: ID_2,
      communities: [hood.zeitim!],
    });
    const b = await addResident({
      firstName: "סיון",
      lastName: "דהן",
      idNumber: ID_2,
      communities: [hood.shalom!],
    });
    const c = await addResident({
      firstName: "סיון",
      lastName: "דהן",
      idNumber: ID_2,
      communities: [hood.gefen!],
    });
    const page = (await worker.get("/api/residents/duplicates?pageSize=100")).json() as PairPage;
    const ids = new Set(page.items.flatMap((p) => [p.a.id, p.b.id]));
    expect(ids.has(a) && ids.has(b)).toBe(true);
    expect(ids.has(c)).toBe(false);
    const all = (await manager.get("/api/residents/duplicates?pageSize=100")).json() as PairPage;
    expect(all.items.some((p) => p.a.id === c || p.b.id === c)).toBe(true);
  });
});

describe("not the same person", () => {
  it("takes a pair out of the queue and the record's checks, audited; undo brings it back", async () => {
    const a = await addResident({
      firstName: "נועה",
      lastName: "ברק",
      phone: "+972521117001",
      communities: [hood.shalom!],
    });
    const b = await addResident({
      firstName: "נועה",
      lastName: "ברק",
      phone: "+972521117001",
      communities: [hood.shalom!],
    });
    const queued = async () =>
      ((await manager.get("/api/residents/duplicates?pageSize=100")).json() as PairPage).items.some(
        (p) => [p.a.id, p.b.id].sort().join() === [a, b].sort().join(),
      );
    const candidatesOfA = async () =>
      idsOf(
        ((await manager.get(`/api/residents/${a}/duplicates`)).json() as { items: Candidate[] })
          .items,
      );
    expect(await queued()).toBe(true);
    expect(await candidatesOfA()).toContain(b);

    // Said from either side: the pair is one pair.
    const res = await manager.post(`/api/residents/${b}/not-duplicate/${a}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ id: b, otherId: a, dismissed: true });
    expect(await queued()).toBe(false);
    expect(await candidatesOfA()).not.toContain(b);
    // Saying it twice changes nothing and is not audited twice.
    expect((await manager.post(`/api/residents/${a}/not-duplicate/${b}`)).statusCode).toBe(200);
    const audits = await t.database.db
      .select()
      .from(schema.auditEvents)
      .where(
        and(
          eq(schema.auditEvents.action, "resident.duplicate_dismiss"),
          inArray(schema.auditEvents.entityId, [a, b]),
        ),
      );
    expect(audits).toHaveLength(1);

    const undo = await manager.delete(`/api/residents/${a}/not-duplicate/${b}`);
    expect(undo.statusCode, undo.body).toBe(200);
    expect(undo.json()).toMatchObject({ dismissed: false });
    expect(await queued()).toBe(true);
    expect(await candidatesOfA()).toContain(b);
  });

  it("refuses a record with itself, unknown records, other departments and roles that may not merge", async () => {
    const a = await addResident({ firstName: "דן", lastName: "שגב", communities: [hood.gefen!] });
    const b = await addResident({ firstName: "דן", lastName: "שגב", communities: [hood.gefen!] });
    const self = await manager.post(`/api/residents/${a}/not-duplicate/${a}`);
    expect(self.statusCode).toBe(400);
    expect(self.json().error.code).toBe("resident.merge_same");
    const unknown = await manager.post(`/api/residents/${a}/not-duplicate/${randomUUID()}`);
    expect(unknown.statusCode).toBe(404);
    const elsewhere = await managerAlon.post(`/api/residents/${a}/not-duplicate/${b}`);
    expect(elsewhere.statusCode).toBe(404);
    // The worker's communities do not include Gefen: the records are out of reach.
    const worker403 = await worker.post(`/api/residents/${a}/not-duplicate/${b}`);
    expect([403, 404]).toContain(worker403.statusCode);
    const bad = await manager.post(`/api/residents/not-a-uuid/not-duplicate/${b}`);
    expect(bad.statusCode).toBe(400);
    const rows = await t.database.db.select().from(schema.residentDuplicateDismissals);
    expect(rows.some((r) => r.aId === a || r.bId === a)).toBe(false);
  });
});

describe("merging", () => {
  async function pair() {
    const survivor = await addResident({
      firstName: "חנה",
      lastName: "רוזן",
      phone: "+972521119001",
      birthYear: 1948,
      languages: ["he"],
      communityRoles: ["volunteer"],
      skills: ["בישול"],
      flags: ["lives_alone"],
      communities: [hood.shalom!],
      consents: [
        { purpose: "listed_to_activists", granted: true, at: "2026-01-01T10:00:00Z" },
        { purpose: "listed_to_activists", granted: false, at: "2026-03-01T10:00:00Z" },
      ],
    });
    const other = await addResident({
      firstName: "חנה",
      lastName: "רוזן-לוי",
      phone: "+972521119002",
      email: "hana@example.org",
      idNumber: ID_1,
      healthNotes: "סוכרת",
      languages: ["ru", "he"],
      communityRoles: ["leader"],
      skills: ["Bishul", "תפירה"],
      flags: ["age_75_plus"],
      communities: [hood.zeitim!],
      caseworkers: [workerUserId],
      consents: [
        { purpose: "listed_to_activists", granted: true, at: "2026-02-01T10:00:00Z" },
        { purpose: "emergency_contact", granted: true, at: "2026-02-01T10:00:00Z" },
      ],
    });
    return { survivor, other };
  }

  it("previews both records without sensitive values", async () => {
    const { survivor, other } = await pair();
    const res = await manager.get(`/api/residents/${survivor}/merge/${other}`);
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json();
    expect(p.survivor.id).toBe(survivor);
    expect(p.other.hasIdNumber).toBe(true);
    expect(p.other.hasHealthNotes).toBe(true);
    expect(JSON.stringify(p)).not.toContain("סוכרת");
    expect(JSON.stringify(p)).not.toContain(ID_1);
    expect(p.other.consentEventCount).toBe(2);
    expect(p.other.communities.map((c: { id: string }) => c.id)).toEqual([hood.zeitim]);
    expect(p.idNumbersMatch).toBeNull();
    // "חנה רוזן" and "חנה רוזן-לוי": close enough to name them as a hint.
    expect(p.reasons).toEqual(["name"]);
    expect(p.score).toBeGreaterThan(0.5);
  });

  it("merges in one transaction: fields chosen, lists united, consents moved, both kept encrypted, audited", async () => {
    const { survivor, other } = await pair();
    const before = await rowOf(survivor);
    const res = await manager.post(`/api/residents/${survivor}/merge`, {
      otherId: other,
      version: 1,
      otherVersion: 1,
      choices: { phone: "merged", lastName: "merged" },
    });
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json() as { id: string; version: number; mergedId: string; mergeId: string };
    expect(result).toMatchObject({ id: survivor, version: 2, mergedId: other });

    const s = await rowOf(survivor);
    const o = await rowOf(other);
    const cipher = t.app.deps.cipher;
    // Chosen values, and empty ones filled from the other record.
    expect(s.phone).toBe("+972521119002");
    expect(s.lastName).toBe("רוזן-לוי");
    expect(s.firstName).toBe("חנה");
    expect(s.searchText).not.toBe(before.searchText);
    expect(s.birthYear).toBe(1948);
    expect(s.email).toBe("hana@example.org");
    expect(cipher.decrypt(s.idNumberEnc!)).toBe(ID_1);
    expect(s.idNumberHash).toBe(o.idNumberHash);
    expect(cipher.decrypt(s.healthNotesEnc!)).toBe("סוכרת");
    // Lists united.
    expect(s.languages.sort()).toEqual(["he", "ru"]);
    expect(s.communityRoles.sort()).toEqual(["leader", "volunteer"]);
    expect(s.skills).toEqual(["בישול", "Bishul", "תפירה"]);
    expect(cipher.decryptJson<string[]>(s.flagsEnc!)).toEqual(["age_75_plus", "lives_alone"]);
    expect(s.flagTokens).toHaveLength(2);
    // Consent history moved; the latest event per purpose decides.
    const events = await t.database.db
      .select()
      .from(schema.residentConsents)
      .where(inArray(schema.residentConsents.residentId, [survivor, other]));
    expect(events).toHaveLength(4);
    expect(events.every((e) => e.residentId === survivor)).toBe(true);
    expect(s.consents.sort()).toEqual(["emergency_contact"]);
    // Memberships and caseworkers added.
    const communities = await t.database.db
      .select()
      .from(schema.residentCommunities)
      .where(eq(schema.residentCommunities.residentId, survivor));
    expect(communities.map((c) => c.communityId).sort()).toEqual(
      [hood.shalom!, hood.zeitim!].sort(),
    );
    const cws = await t.database.db
      .select()
      .from(schema.residentCaseworkers)
      .where(eq(schema.residentCaseworkers.residentId, survivor));
    expect(cws.map((c) => c.userId)).toEqual([workerUserId]);
    // Versions bumped, the other record merged.
    expect(s.version).toBe(2);
    expect(o.version).toBe(2);
    expect(o.mergedIntoId).toBe(survivor);

    // Both records as they were, encrypted.
    const [m] = await t.database.db
      .select()
      .from(schema.residentMerges)
      .where(eq(schema.residentMerges.id, result.mergeId));
    expect(m!.snapshotEnc).not.toContain("רוזן");
    const snap = cipher.decryptJson<{
      survivor: { record: { id: string; phone: string; version: number } };
      merged: { record: { id: string; lastName: string }; consentEventIds: string[] };
    }>(m!.snapshotEnc);
    expect(snap.survivor.record).toMatchObject({
      id: survivor,
      phone: "+972521119001",
      version: 1,
    });
    expect(snap.merged.record).toMatchObject({ id: other, lastName: "רוזן-לוי" });
    expect(snap.merged.consentEventIds).toHaveLength(2);
    expect(m!.choices).toMatchObject({
      phone: "merged",
      lastName: "merged",
      firstName: "survivor",
      email: "merged",
    });

    // Audited: field names only.
    const [audit] = await t.database.db
      .select()
      .from(schema.auditEvents)
      .where(
        and(
          eq(schema.auditEvents.action, "resident.merge"),
          eq(schema.auditEvents.entityId, survivor),
        ),
      );
    expect(audit!.details).toMatchObject({ mergedId: other });
    expect(audit!.fields).toEqual(
      expect.arrayContaining(["phone", "lastName", "idNumber", "flags", "consents"]),
    );
    expect(JSON.stringify(audit)).not.toContain("972521119002");
    expect(JSON.stringify(audit)).not.toContain("סוכרת");

    // The merge shows in the survivor's list of merges.
    const merges = (await manager.get(`/api/residents/${survivor}/merges`)).json() as {
      items: {
        mergedId: string;
        mergedName: string;
        mergedByName: string;
        fieldsFromMerged: string[];
      }[];
    };
    expect(merges.items).toHaveLength(1);
    expect(merges.items[0]).toMatchObject({ mergedId: other, mergedName: "חנה רוזן-לוי" });
    expect(merges.items[0]!.fieldsFromMerged).toEqual(
      expect.arrayContaining(["lastName", "phone", "email", "idNumber", "healthNotes"]),
    );

    // The merged record is gone from duplicates and lists; its id still resolves.
    const dups = (await manager.get(`/api/residents/${survivor}/duplicates`)).json() as {
      items: Candidate[];
    };
    expect(idsOf(dups.items)).not.toContain(other);
    const again = await manager.get(`/api/residents/${other}/duplicates`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({
      code: "resident.merged",
      details: { mergedIntoId: survivor },
    });
  });

  it("hides the merged record from the residents list and detail", async () => {
    const { survivor, other } = await pair();
    const merged = await manager.post(`/api/residents/${survivor}/merge`, {
      otherId: other,
      version: 1,
      otherVersion: 1,
    });
    expect(merged.statusCode).toBe(200);
    const list = await manager.get(
      `/api/residents?q=${encodeURIComponent("חנה רוזן")}&pageSize=100`,
    );
    expect(list.statusCode, list.body).toBe(200);
    const ids = (list.json() as { items: { id: string }[] }).items.map((i) => i.id);
    expect(ids).toContain(survivor);
    expect(ids).not.toContain(other);
    const detail = await manager.get(`/api/residents/${other}`);
    expect(detail.statusCode).toBe(409);
    expect(detail.json().error.code).toBe("resident.merged");
    const survivorDetail = (await manager.get(`/api/residents/${survivor}`)).json() as {
      mergedFromCount: number;
      version: number;
    };
    expect(survivorDetail.mergedFromCount).toBe(1);
    expect(survivorDetail.version).toBe(2);
  });

  it("refuses a stale version (409) and changes nothing", async () => {
    const { survivor, other } = await pair();
    const snapshot = async () => ({
      s: await rowOf(survivor),
      o: await rowOf(other),
      consents: await t.database.db
        .select()
        .from(schema.residentConsents)
        .where(inArray(schema.residentConsents.residentId, [survivor, other])),
      communities: await t.database.db
        .select()
        .from(schema.residentCommunities)
        .where(inArray(schema.residentCommunities.residentId, [survivor, other])),
      merges: await t.database.db
        .select()
        .from(schema.residentMerges)
        .where(inArray(schema.residentMerges.mergedId, [survivor, other])),
      audit: await t.database.db
        .select()
        .from(schema.auditEvents)
        .where(
          and(
            eq(schema.auditEvents.action, "resident.merge"),
            inArray(schema.auditEvents.entityId, [survivor, other]),
          ),
        ),
    });
    const before = await snapshot();
    const stale = await manager.post(`/api/residents/${survivor}/merge`, {
      otherId: other,
      version: 1,
      otherVersion: 7,
      choices: { phone: "merged" },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe("version_conflict");
    const staleSurvivor = await manager.post(`/api/residents/${survivor}/merge`, {
      otherId: other,
      version: 3,
      otherVersion: 1,
    });
    expect(staleSurvivor.statusCode).toBe(409);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses merging twice, a record with itself, and a record outside the worker's communities", async () => {
    const { survivor, other } = await pair();
    const third = await addResident({
      firstName: "חנה",
      lastName: "רוזן",
      communities: [hood.gefen!],
    });
    const self = await manager.post(`/api/residents/${survivor}/merge`, {
      otherId: survivor,
      version: 1,
      otherVersion: 1,
    });
    expect(self.statusCode).toBe(400);
    expect(self.json().error.code).toBe("resident.merge_same");

    // The worker sees Neve Shalom and Ramat HaZeitim, not HaGefen.
    const outside = await worker.post(`/api/residents/${survivor}/merge`, {
      otherId: third,
      version: 1,
      otherVersion: 1,
    });
    expect(outside.statusCode).toBe(403);
    expect((await worker.get(`/api/residents/${survivor}/merge/${third}`)).statusCode).toBe(403);
    expect((await rowOf(third)).mergedIntoId).toBeNull();

    const first = await worker.post(`/api/residents/${survivor}/merge`, {
      otherId: other,
      version: 1,
      otherVersion: 1,
    });
    expect(first.statusCode, first.body).toBe(200);
    const twice = await worker.post(`/api/residents/${survivor}/merge`, {
      otherId: other,
      version: 2,
      otherVersion: 2,
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe("resident.merged");
    const reverse = await manager.post(`/api/residents/${other}/merge`, {
      otherId: survivor,
      version: 2,
      otherVersion: 2,
    });
    expect(reverse.statusCode).toBe(409);
    expect(reverse.json().error.code).toBe("resident.merged");
    expect(
      (
        await t.database.db
          .select()
          .from(schema.residentMerges)
          .where(eq(schema.residentMerges.mergedId, other))
      ).length,
    ).toBe(1);
  });
});
