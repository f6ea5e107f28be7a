import { hashPassword } from "better-auth/crypto";
import { withIsraeliIdCheckDigit } from "@kaveret/contracts";
import { client, schema, signIn, type TestServer } from "../../test/harness.ts";
import { loadActor } from "../../auth/actor.service.ts";
import { readSessionToken } from "../../auth/session-token.ts";
import type { RequestContext } from "../../lib/context.ts";

/**
 * A small department of its own for residents tests (so counts are exact whatever
 * the demo data holds): a town split into two neighbourhoods with a building inside
 * the first, a functional community, one person per role, and a second department.
 */

const PASSWORD = "residents-test-password";

type Ring = [number, number][];
const box = (w: number, s: number, e: number, n: number): Ring => [
  [w, s],
  [e, s],
  [e, n],
  [w, n],
  [w, s],
];

/** Points inside each place (lat/lon). */
export const POINTS = {
  /** In the building (and so in neighbourhood A and the town). */
  building: { lat: 32.805, lon: 35.105 },
  /** In neighbourhood A, outside the building. */
  a: { lat: 32.815, lon: 35.115 },
  /** In neighbourhood B. */
  b: { lat: 32.815, lon: 35.135 },
  /** Outside the town. */
  outside: { lat: 31.5, lon: 34.8 },
};

export type Api = ReturnType<typeof client>;

export type World = {
  departmentId: string;
  otherDepartmentId: string;
  townId: string;
  aId: string;
  bId: string;
  buildingId: string;
  functionalId: string;
  users: Record<"manager" | "worker" | "social" | "activist" | "volunteer", string>;
  api: Record<
    "manager" | "worker" | "social" | "activist" | "volunteer" | "district" | "otherManager",
    Api
  >;
  cookies: Record<string, string>;
};

let counter = 0;

export async function buildWorld(t: TestServer): Promise<World> {
  const db = t.database.db;
  const n = ++counter;
  const tag = `${Date.now().toString(36)}${n}`;
  const passwordHash = await hashPassword(PASSWORD);
  const [la] = await db.select().from(schema.localAuthorities).limit(1);
  const [district] = await db.select().from(schema.districts).limit(1);
  const [dept] = await db
    .insert(schema.departments)
    .values({ localAuthorityId: la!.id, name: `residents test ${tag}` })
    .returning();
  const [other] = await db
    .insert(schema.departments)
    .values({ localAuthorityId: la!.id, name: `residents other ${tag}` })
    .returning();
  const departmentId = dept!.id;
  const community = async (values: Partial<typeof schema.communities.$inferInsert>) => {
    const [row] = await db
      .insert(schema.communities)
      .values({ departmentId, kind: "geographic", name: "x", ...values })
      .returning();
    return row!.id;
  };
  const townId = await community({
    level: "town",
    name: "עיר בדיקה",
    boundary: { type: "Polygon", coordinates: [box(35.1, 32.8, 35.14, 32.82)] },
  });
  const aId = await community({
    level: "neighbourhood",
    parentId: townId,
    name: "שכונה א",
    boundary: { type: "Polygon", coordinates: [box(35.1, 32.8, 35.12, 32.82)] },
  });
  const bId = await community({
    level: "neighbourhood",
    parentId: townId,
    name: "שכונה ב",
    boundary: { type: "Polygon", coordinates: [box(35.12, 32.8, 35.14, 32.82)] },
  });
  const buildingId = await community({
    level: "building",
    parentId: aId,
    name: "בניין 1",
    boundary: { type: "Polygon", coordinates: [box(35.104, 32.804, 35.106, 32.806)] },
  });
  const functionalId = await community({ kind: "functional", name: "ותיקים" });

  const cookies: Record<string, string> = {};
  const person = async (
    key: string,
    roles: { role: string; departmentId?: string; districtId?: string }[],
    assigned: string[] = [],
  ) => {
    const userId = crypto.randomUUID();
    const email = `${key}-${tag}@residents.test`.toLowerCase();
    await db.insert(schema.user).values({ id: userId, name: `${key} ${tag}`, email });
    await db.insert(schema.account).values({
      id: crypto.randomUUID(),
      accountId: userId,
      providerId: "credential",
      userId,
      password: passwordHash,
    });
    for (const r of roles) await db.insert(schema.roleAssignments).values({ userId, ...r });
    for (const communityId of assigned) {
      await db.insert(schema.communityAssignments).values({ departmentId, userId, communityId });
    }
    cookies[key] = await signIn(t.app, email, PASSWORD);
    return userId;
  };
  const inDept = (role: string) => [{ role, departmentId }];
  const users = {
    manager: await person("manager", inDept("manager")),
    worker: await person("worker", inDept("community_worker"), [aId]),
    social: await person("social", inDept("social_worker")),
    activist: await person("activist", inDept("activist"), [aId]),
    volunteer: await person("volunteer", inDept("volunteer")),
  };
  await person("district", [{ role: "district", districtId: district!.id }]);
  await person("otherManager", [{ role: "manager", departmentId: other!.id }]);
  const scope = `department:${departmentId}`;
  const api = {
    manager: client(t.app, cookies.manager!, scope),
    worker: client(t.app, cookies.worker!, scope),
    social: client(t.app, cookies.social!, scope),
    activist: client(t.app, cookies.activist!, scope),
    volunteer: client(t.app, cookies.volunteer!, scope),
    district: client(t.app, cookies.district!),
    // Even naming this department's scope does not reach it.
    otherManager: client(t.app, cookies.otherManager!, scope),
  };
  return {
    departmentId,
    otherDepartmentId: other!.id,
    townId,
    aId,
    bId,
    buildingId,
    functionalId,
    users,
    api,
    cookies,
  };
}

/** A valid Israeli ID number (check digit) from 8 digits. */
export const validId = (eight: string) => withIsraeliIdCheckDigit(eight);

/** A request context for calling services directly (as other modules do), for a signed-in user. */
export async function contextFor(
  t: TestServer,
  cookie: string,
  scope?: string,
): Promise<RequestContext> {
  const token = readSessionToken(cookie, t.config.authSecret);
  const actor = await loadActor(t.database.db, token!, scope);
  if (!actor) throw new Error("no actor for this cookie");
  const deps = t.app.deps;
  return {
    db: t.database.db,
    actor,
    requestId: "test",
    config: deps.config,
    transport: deps.transport,
    actorCache: deps.actorCache,
    cipher: deps.cipher,
    events: deps.events,
    jobs: deps.jobs,
  };
}
