import { sendStatusLinksJob } from "./emergency.jobs.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { hashPassword } from "better-auth/crypto";
import { and, eq, like, sql } from "drizzle-orm";
import type {
  Call,
  CallPage,
  Emergency,
  EmergencyBoard,
  EmergencyModeResponse,
  EmergencySummary,
  HelpRequest,
} from "@kaveret/contracts";
import { client, schema, signIn, startTestServer, type TestServer } from "../../test/harness.ts";
import { buildWorld, POINTS, type Api, type World } from "../residents/residents.fixtures.ts";

let t: TestServer;
let w: World;
const Y = new Date().getUTCFullYear();
const scope = () => `department:${w.departmentId}`;

type Resident = { id: string };
const R: Record<string, Resident> = {};
let streetOne: string;
let streetTwo: string;
let volunteer2: { id: string; api: Api };

async function street(name: string) {
  const [row] = await t.database.db
    .insert(schema.streets)
    .values({ departmentId: w.departmentId, townId: w.townId, name })
    .returning();
  return row!.id;
}

async function resident(body: Record<string, unknown>): Promise<Resident> {
  const res = await w.api.manager.post("/api/residents", body);
  if (res.statusCode !== 201) throw new Error(`resident: ${res.statusCode} ${res.body}`);
  return res.json() as Resident;
}

const consent = [{ purpose: "emergency_contact", granted: true, method: "phone" }];

/** A second volunteer of the department (to show one volunteer cannot act on another's claim). */
async function addVolunteer(): Promise<{ id: string; api: Api }> {
  const id = crypto.randomUUID();
  const email = `volunteer2-${id.slice(0, 8)}@emergency.test`;
  const db = t.database.db;
  await db.insert(schema.user).values({ id, name: "מתנדב שני", email });
  await db.insert(schema.account).values({
    id: crypto.randomUUID(),
    accountId: id,
    providerId: "credential",
    userId: id,
    password: await hashPassword("emergency-test-password"),
  });
  await db
    .insert(schema.roleAssignments)
    .values({ userId: id, role: "volunteer", departmentId: w.departmentId });
  const cookie = await signIn(t.app, email, "emergency-test-password");
  return { id, api: client(t.app, cookie, scope()) };
}

async function outboxTo(phoneFragment: string) {
  return t.database.db
    .select()
    .from(schema.devOutbox)
    .where(like(schema.devOutbox.to, `%${phoneFragment}`));
}

async function outboxCount() {
  const [row] = await t.database.db
    .select({ n: sql<number>`count(*)::int` })
    .from(schema.devOutbox);
  return Number(row!.n);
}

/** Waits until `check` holds (the links go out from the job queue); fails after a deadline. */
async function eventually<T>(check: () => Promise<T | null | undefined | false>, what: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const tokenFrom = (body: string) => /\/ok\/([A-Za-z0-9_-]+)/.exec(body)![1]!;

beforeAll(async () => {
  t = await startTestServer();
  w = await buildWorld(t);
  streetOne = await street("הזית");
  streetTwo = await street("הרימון");
  // In neighbourhood A (scope): five on the list, one not (young, no flags).
  R.aloneOld = await resident({
    firstName: "אסתר",
    lastName: "כהן",
    phone: "050-1110001",
    birthYear: Y - 91,
    flags: ["lives_alone", "age_75_plus"],
    languages: ["he"],
    location: POINTS.building,
    streetId: streetOne,
    houseNumber: "5",
    consents: consent,
  });
  R.disabledRu = await resident({
    firstName: "Ivan",
    lastName: "Petrov",
    phone: "050-1110002",
    birthYear: Y - 46,
    flags: ["disability"],
    languages: ["ru"],
    location: POINTS.building,
    streetId: streetOne,
    houseNumber: "5",
    consents: consent,
  });
  R.noPhoneNoConsent = await resident({
    firstName: "משה",
    lastName: "לוי",
    phone: "050-1110003",
    birthYear: Y - 56,
    flags: ["no_smartphone"],
    languages: ["he"],
    location: POINTS.a,
    streetId: streetTwo,
    houseNumber: "3",
  });
  R.oldByAge = await resident({
    firstName: "רחל",
    lastName: "אברהם",
    phone: "050-1110006",
    birthYear: Y - 86,
    languages: ["he"],
    location: POINTS.a,
    streetId: streetOne,
    houseNumber: "7",
    consents: consent,
  });
  R.amharic = await resident({
    firstName: "Alemu",
    lastName: "Bekele",
    phone: "050-1110007",
    birthYear: Y - 60,
    flags: ["needs_interpreter"],
    languages: ["am"],
    location: POINTS.a,
    streetId: streetTwo,
    houseNumber: "3",
    consents: consent,
  });
  R.youngNoFlags = await resident({
    firstName: "דנה",
    lastName: "צעירה",
    phone: "050-1110005",
    birthYear: Y - 30,
    location: POINTS.a,
    consents: consent,
  });
  // In B: out of scope.
  R.outOfScope = await resident({
    firstName: "סלים",
    lastName: "חורי",
    phone: "050-1110004",
    birthYear: Y - 80,
    flags: ["lives_alone", "disability"],
    location: POINTS.b,
    consents: consent,
  });
  volunteer2 = await addVolunteer();
});
afterAll(async () => {
  await t?.close();
});

let emergency: Emergency & { callsAdded: number; linksSent: number };
const callOf = (page: CallPage, r: Resident) => page.items.find((c) => c.resident.id === r.id)!;
let list: CallPage;

async function managerCalls(query = "") {
  const res = await w.api.manager.get(
    `/api/emergency/events/${emergency.id}/calls?pageSize=100${query}`,
  );
  expect(res.statusCode).toBe(200);
  return res.json() as CallPage;
}

describe("emergency: declaring, scope and the risk order", () => {
  it("routine before: every role of the department reads the mode; outside roles are refused", async () => {
    const mode = (await w.api.volunteer.get("/api/emergency/mode")).json() as EmergencyModeResponse;
    expect(mode.mode).toBe("routine");
    expect(mode.permissions).toMatchObject({ declare: false, call: true, offerHelp: true });
    expect((await w.api.activist.get("/api/emergency/mode")).statusCode).toBe(200);
    expect((await w.api.district.get("/api/emergency/mode")).statusCode).toBe(403);
  });

  it("only a manager declares", async () => {
    const body = { type: "rocket_fire", level: 3, title: "ירי רקטות", communityIds: [w.aId] };
    expect((await w.api.worker.post("/api/emergency/events", body)).statusCode).toBe(403);
    expect((await w.api.volunteer.post("/api/emergency/events", body)).statusCode).toBe(403);
    const bad = await w.api.manager.post("/api/emergency/events", {
      ...body,
      communityIds: [crypto.randomUUID()],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe("emergency.community_not_found");
  });

  it("declares in one step: mode, communities, a call list of the residents in scope in risk order", async () => {
    const res = await w.api.manager.post("/api/emergency/events", {
      type: "rocket_fire",
      level: 3,
      title: "ירי רקטות — צפון",
      communityIds: [w.aId],
    });
    expect(res.statusCode).toBe(201);
    emergency = res.json();
    expect(emergency.drill).toBe(false);
    expect(emergency.callsAdded).toBe(5);
    // Links go to those who consented and have a phone (not the one without consent),
    // from the job queue once the declaration committed.
    expect(emergency.linksSent).toBe(4);
    await eventually(async () => {
      const rows = await t.database.db
        .select({ sentAt: schema.emergencyStatusLinks.sentAt })
        .from(schema.emergencyStatusLinks)
        .where(eq(schema.emergencyStatusLinks.emergencyId, emergency.id));
      return rows.filter((r) => r.sentAt !== null).length === 4;
    }, "four status links sent");
    expect(await outboxTo("501110003")).toHaveLength(0);
    const amharic = await outboxTo("501110007");
    expect(amharic).toHaveLength(1);
    expect(amharic[0]!.body).toContain("ደህና"); // in the resident's language
    expect(amharic[0]!.body).toMatch(/\/ok\/[A-Za-z0-9_-]{20,}/);
    // A job run again (a retry after a crash) sends no link twice.
    const links = await t.database.db
      .select({ residentId: schema.emergencyStatusLinks.residentId })
      .from(schema.emergencyStatusLinks)
      .where(eq(schema.emergencyStatusLinks.emergencyId, emergency.id));
    const before = await outboxCount();
    const again = await sendStatusLinksJob(
      {
        db: t.database.db,
        cipher: t.app.deps.cipher,
        transport: t.app.deps.transport,
        publicUrl: t.config.publicUrl,
      },
      {
        departmentId: w.departmentId,
        emergencyId: emergency.id,
        residentIds: links.map((l) => l.residentId),
      },
    );
    expect(again).toBe(0);
    expect(await outboxCount()).toBe(before);

    const mode = (await w.api.activist.get("/api/emergency/mode")).json() as EmergencyModeResponse;
    expect(mode.mode).toBe("emergency");
    expect(mode.emergency?.id).toBe(emergency.id);
    expect(mode.emergency?.communities.map((c) => c.id)).toEqual([w.aId]);
    // A and what lies inside it switch to emergency; B stays in routine.
    const modes = await t.database.db
      .select({ id: schema.communities.id, mode: schema.communities.mode })
      .from(schema.communities)
      .where(eq(schema.communities.departmentId, w.departmentId));
    const modeOf = (id: string) => modes.find((m) => m.id === id)!.mode;
    expect(modeOf(w.aId)).toBe("emergency");
    expect(modeOf(w.buildingId)).toBe("emergency");
    expect(modeOf(w.bId)).toBe("routine");

    list = await managerCalls();
    expect(list.items.map((c) => c.resident.id)).toEqual([
      R.aloneOld!.id, // lives alone + 85+ + together: 80
      R.oldByAge!.id, // 85+ by birth year: 30
      R.disabledRu!.id, // disability: 20
      R.noPhoneNoConsent!.id, // no smartphone: 15
      R.amharic!.id, // needs an interpreter: 10
    ]);
    expect(list.items.map((c) => c.rank)).toEqual([1, 2, 3, 4, 5]);
    const first = list.items[0]!;
    expect(first.riskScore).toBe(80);
    expect(first.riskReasons).toEqual(["lives_alone", "age_85_plus"]);
    expect(first.status).toBe("pending");
    expect(callOf(list, R.noPhoneNoConsent!).consented).toBe(false);
    // Reading the list with risk reasons is audited as a read of flags (names, not values).
    const audit = await t.database.db
      .select()
      .from(schema.auditEvents)
      .where(
        and(
          eq(schema.auditEvents.action, "resident.read"),
          eq(schema.auditEvents.purpose, "emergency_call_list"),
        ),
      );
    expect(audit.at(-1)!.fields).toContain("flags");
    // The risk reasons are stored encrypted.
    const [raw] = await t.database.db
      .select({ riskEnc: schema.emergencyCalls.riskEnc })
      .from(schema.emergencyCalls)
      .where(eq(schema.emergencyCalls.id, first.id));
    expect(raw!.riskEnc).toMatch(/^enc:v1:/);
  });

  it("one open emergency at a time", async () => {
    const res = await w.api.manager.post("/api/emergency/events", {
      type: "fire",
      level: 1,
      title: "שריפה",
      communityIds: [w.bId],
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe("emergency.already_active");
  });

  it("refuses activists, other departments and the district", async () => {
    const url = `/api/emergency/events/${emergency.id}`;
    expect((await w.api.activist.get(`${url}/calls`)).statusCode).toBe(403);
    expect((await w.api.activist.get(`${url}/board`)).statusCode).toBe(403);
    expect((await w.api.district.get(`${url}/calls`)).statusCode).toBe(403);
    // Another department's manager (even naming this department's scope) finds nothing.
    const other = await w.api.otherManager.get(`${url}/calls`);
    expect(other.statusCode).toBe(404);
    const otherMode = (await w.api.otherManager.get("/api/emergency/mode")).json();
    expect(otherMode.mode).toBe("routine");
    // A community worker sees the calls of their communities (A is theirs).
    const worker = (await w.api.worker.get(`${url}/calls?pageSize=100`)).json() as CallPage;
    expect(worker.total).toBe(5);
  });

  it("generating again adds only who newly qualifies, and re-ranks", async () => {
    const late = await resident({
      firstName: "יעקב",
      lastName: "מאוחר",
      birthYear: Y - 95,
      flags: ["lives_alone", "mobility_limited"],
      location: POINTS.a,
    });
    const res = await w.api.manager.post(`/api/emergency/events/${emergency.id}/calls/generate`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ added: 1, total: 6, linksSent: 0 });
    const after = await managerCalls();
    // 30 + 30 + 20 + 20 = 100: first now.
    expect(after.items[0]!.resident.id).toBe(late.id);
    expect(after.items[1]!.resident.id).toBe(R.aloneOld!.id);
    // Taken off again for the rest of the story (reassign to nobody keeps it simple).
    R.late = late;
  });
});

describe("emergency: changing an open emergency", () => {
  it("the manager raises the level (by version); the log keeps the decision", async () => {
    const url = `/api/emergency/events/${emergency.id}`;
    const current = (await w.api.manager.get(url)).json() as Emergency;
    expect((await w.api.worker.patch(url, { version: current.version, level: 4 })).statusCode).toBe(
      403,
    );
    const res = await w.api.manager.patch(url, { version: current.version, level: 4 });
    expect(res.statusCode).toBe(200);
    expect(res.json().level).toBe(4);
    const stale = await w.api.manager.patch(url, { version: current.version, level: 2 });
    expect(stale.statusCode).toBe(409);
    const log = (await w.api.manager.get(`${url}/log`)).json();
    // A system entry: a code and its values for the reader's language, English for exports.
    expect(log.items).toContainEqual(
      expect.objectContaining({
        kind: "decision",
        system: true,
        code: "level_changed",
        params: { from: current.level, to: 4 },
        text: `level ${current.level} → 4`,
      }),
    );
  });
});

describe("emergency: split among callers and the volunteer's view", () => {
  it("splits by building, street and language; volunteers only get residents who consented", async () => {
    const res = await w.api.manager.post(`/api/emergency/events/${emergency.id}/calls/assign`, {
      callers: [
        { userId: w.users.worker, languages: ["he", "ar"] },
        { userId: w.users.volunteer, languages: ["he", "ru"] },
      ],
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    list = await managerCalls();
    const who = (r: Resident) => callOf(list, r).assignee?.id ?? null;
    // Building HaZayit 5 stays together with the one caller who speaks Russian too.
    expect(who(R.aloneOld!)).toBe(w.users.volunteer);
    expect(who(R.disabledRu!)).toBe(w.users.volunteer);
    // No consent to emergency contact: staff only.
    expect(who(R.noPhoneNoConsent!)).toBe(w.users.worker);
    // Nobody speaks Amharic: left unassigned and reported.
    expect(who(R.amharic!)).toBeNull();
    expect(body.unassigned).toBe(1);
    expect(body.assigned).toBe(5);
    const perVolunteer = body.perCaller.find(
      (p: { userId: string }) => p.userId === w.users.volunteer,
    );
    expect(perVolunteer.buildings).toBeGreaterThanOrEqual(1);
    // A caller who is not of the department is refused.
    const bad = await w.api.manager.post(`/api/emergency/events/${emergency.id}/calls/assign`, {
      callers: [{ userId: "nobody-at-all", languages: ["he"] }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe("emergency.caller_not_allowed");
    // The late resident (no address, no consent) went to the worker.
    expect(who(R.late!)).toBe(w.users.worker);
    // Give Amharic to the worker by hand for the rest of the story.
    const moved = await w.api.manager.post(
      `/api/emergency/calls/${callOf(list, R.amharic!).id}/assign`,
      {
        assigneeId: w.users.worker,
      },
    );
    expect(moved.statusCode).toBe(200);
  });

  it("a volunteer sees only their own open assignments, without risk reasons", async () => {
    const mine = (
      await w.api.volunteer.get(`/api/emergency/events/${emergency.id}/calls?pageSize=100`)
    ).json() as CallPage;
    const ids = mine.items.map((c) => c.resident.id).sort();
    const expected = list.items
      .filter((c) => c.assignee?.id === w.users.volunteer)
      .map((c) => c.resident.id)
      .sort();
    expect(ids).toEqual(expected);
    expect(ids.length).toBeGreaterThan(0);
    expect(mine.items.every((c) => c.riskReasons === null)).toBe(true);
    expect(mine.items[0]!.resident.phone).toMatch(/^\+972/);
    // Someone else's call: as if it did not exist.
    const other = await w.api.volunteer.get(
      `/api/emergency/calls/${callOf(list, R.noPhoneNoConsent!).id}`,
    );
    expect(other.statusCode).toBe(404);
    // Another volunteer sees nothing.
    const none = (await volunteer2.api.get(`/api/emergency/events/${emergency.id}/calls`)).json();
    expect(none.total).toBe(0);
  });
});

describe("emergency: outcomes, retries, escalation", () => {
  it("not reached: retried after 30, then 60 minutes, escalated to the community worker after the third miss", async () => {
    const call = callOf(list, R.oldByAge!);
    expect(call.assignee?.id).toBe(w.users.volunteer);
    const at = new Date(Date.now() - 5 * 60_000);
    const first = await w.api.volunteer.post(`/api/emergency/calls/${call.id}/outcome`, {
      outcome: "not_reached",
      at: at.toISOString(),
    });
    expect(first.statusCode).toBe(200);
    const c1 = first.json() as Call;
    expect(c1.status).toBe("retry");
    expect(c1.attempts).toBe(1);
    expect(new Date(c1.nextAttemptAt!).getTime() - at.getTime()).toBe(30 * 60_000);
    // Not due yet: out of the "due" list, still in the volunteer's list.
    const due = (
      await w.api.volunteer.get(`/api/emergency/events/${emergency.id}/calls?due=true`)
    ).json() as CallPage;
    expect(due.items.map((c) => c.id)).not.toContain(call.id);

    const c2 = (
      await w.api.volunteer.post(`/api/emergency/calls/${call.id}/outcome`, {
        outcome: "not_reached",
        at: at.toISOString(),
      })
    ).json() as Call;
    expect(c2.status).toBe("retry");
    expect(new Date(c2.nextAttemptAt!).getTime() - at.getTime()).toBe(60 * 60_000);

    const c3 = (
      await w.api.volunteer.post(`/api/emergency/calls/${call.id}/outcome`, {
        outcome: "not_reached",
        note: "אין מענה, הטלפון כבוי",
      })
    ).json() as Call;
    expect(c3.status).toBe("escalated");
    expect(c3.attempts).toBe(3);
    expect(c3.escalatedTo?.id).toBe(w.users.worker);
    expect(c3.history).toHaveLength(3);
    // The volunteer no longer holds it; the worker has it among their due calls.
    expect((await w.api.volunteer.get(`/api/emergency/calls/${call.id}`)).statusCode).toBe(404);
    const workerDue = (
      await w.api.worker.get(`/api/emergency/events/${emergency.id}/calls?due=true&assignee=me`)
    ).json() as CallPage;
    expect(workerDue.items.map((c) => c.id)).toContain(call.id);
    const log = (await w.api.manager.get(`/api/emergency/events/${emergency.id}/log`)).json();
    expect(
      log.items.some(
        (e: { system: boolean; kind: string; code: string | null }) =>
          e.system && e.kind === "incident" && e.code === "escalated",
      ),
    ).toBe(true);
    // The note is stored encrypted.
    const rows = await t.database.db
      .select({ noteEnc: schema.emergencyCallAttempts.noteEnc })
      .from(schema.emergencyCallAttempts)
      .where(eq(schema.emergencyCallAttempts.callId, call.id));
    expect(rows.some((r) => r.noteEnc?.startsWith("enc:v1:"))).toBe(true);
    expect(rows.some((r) => r.noteEnc?.includes("כבוי"))).toBe(false);
  });

  it("reached and needs help: the call is done and a help request is opened at once", async () => {
    const call = callOf(list, R.aloneOld!);
    const missing = await w.api.volunteer.post(`/api/emergency/calls/${call.id}/outcome`, {
      outcome: "reached_needs_help",
    });
    expect(missing.statusCode).toBe(400);
    const res = await w.api.volunteer.post(`/api/emergency/calls/${call.id}/outcome`, {
      outcome: "reached_needs_help",
      help: { category: "food", urgency: "high", description: "אין אוכל בבית ליומיים" },
    });
    expect(res.statusCode).toBe(200);
    const done = res.json() as Call;
    expect(done.status).toBe("done");
    expect(done.outcome).toBe("reached_needs_help");
    expect(done.helpRequestId).not.toBeNull();
    const help = (
      await w.api.manager.get(`/api/emergency/help-requests/${done.helpRequestId}`)
    ).json() as HelpRequest;
    expect(help).toMatchObject({
      category: "food",
      urgency: "high",
      status: "open",
      source: "call",
      description: "אין אוכל בבית ליומיים",
    });
    expect(help.resident?.id).toBe(R.aloneOld!.id);
    // Done: gone from the volunteer's open assignments.
    expect((await w.api.volunteer.get(`/api/emergency/calls/${call.id}`)).statusCode).toBe(404);
  });

  it("offline: a call outcome pushed through sync is applied once; pull gives the caller only their own calls", async () => {
    const call = callOf(list, R.disabledRu!);
    const pulled = (await w.api.volunteer.get("/api/sync/pull?cursor=0")).json();
    const upserts = pulled.changes
      .filter((c: { kind: string; op: string }) => c.kind === "emergency_call" && c.op === "upsert")
      .map((c: { id: string }) => c.id);
    expect(upserts).toEqual([call.id]);
    const record = pulled.changes.find(
      (c: { id: string; op: string }) => c.id === call.id && c.op === "upsert",
    ).record;
    expect(record.riskReasons).toBeNull();
    // Needs and forms are not a volunteer's to pull.
    expect(pulled.changes.some((c: { kind: string }) => c.kind === "need")).toBe(false);

    const command = {
      id: crypto.randomUUID(),
      name: "emergency.call_outcome",
      args: {
        callId: call.id,
        attemptId: crypto.randomUUID(),
        outcome: "reached_ok",
        note: "הכל טוב",
      },
    };
    const push = () =>
      w.api.volunteer.post("/api/sync/push", {
        deviceId: "phone-volunteer-1",
        commands: [command],
      });
    const first = (await push()).json();
    expect(first.results[0].status).toBe("ok");
    const again = (await push()).json();
    expect(again.results).toEqual(first.results);
    const attempts = await t.database.db
      .select()
      .from(schema.emergencyCallAttempts)
      .where(eq(schema.emergencyCallAttempts.callId, call.id));
    expect(attempts).toHaveLength(1);
    // Done, so it leaves the phone on the next pull.
    const next = (await w.api.volunteer.get(`/api/sync/pull?cursor=${pulled.cursor}`)).json();
    expect(next.changes).toContainEqual({ kind: "emergency_call", id: call.id, op: "remove" });
  });
});

describe("emergency: the residents' status page", () => {
  let token: string;

  it("is plain HTML without JavaScript, under 50 KB, in five languages", async () => {
    const [sms] = await outboxTo("501110007");
    token = tokenFrom(sms!.body);
    const page = await t.app.inject({ method: "GET", url: `/ok/${token}` });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toContain("text/html");
    expect(page.headers["cache-control"]).toBe("no-store");
    expect(page.headers["referrer-policy"]).toBe("no-referrer");
    expect(Buffer.byteLength(page.body)).toBeLessThanOrEqual(50 * 1024);
    expect(page.body).not.toMatch(/<script/i);
    expect(page.body).toMatch(/<form method="post"/);
    // The resident's own language first (Amharic), left to right.
    expect(page.body).toContain('<html lang="am" dir="ltr">');
    const expected: Record<string, [string, string]> = {
      he: ["rtl", "אני צריך/ה עזרה"],
      ar: ["rtl", "أحتاج إلى مساعدة"],
      ru: ["ltr", "Мне нужна помощь"],
      am: ["ltr", "እርዳታ እፈልጋለሁ"],
      en: ["ltr", "I need help"],
    };
    for (const [lang, [dir, text]] of Object.entries(expected)) {
      const res = await t.app.inject({ method: "GET", url: `/ok/${token}?lang=${lang}` });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain(`<html lang="${lang}" dir="${dir}">`);
      expect(res.body).toContain(text);
      expect(Buffer.byteLength(res.body)).toBeLessThanOrEqual(50 * 1024);
    }
  });

  it("names the department in the page's language, isolated, else in Hebrew", async () => {
    const hebrew = (await w.api.manager.get("/api/department/settings")).json().name as string;
    const set = await w.api.manager.patch("/api/department/names", {
      altNames: { ar: "قسم الخدمات الاجتماعية", ru: "Отдел социальных служб" },
    });
    expect(set.statusCode, set.body).toBe(200);
    const page = async (lang: string) =>
      (await t.app.inject({ method: "GET", url: `/ok/${token}?lang=${lang}` })).body;
    expect(await page("ar")).toContain("<bdi>قسم الخدمات الاجتماعية</bdi> يطمئنّ");
    expect(await page("ru")).toContain("<bdi>Отдел социальных служб</bdi> узнаёт");
    // No name in Amharic or English: the Hebrew name, isolated inside the sentence.
    expect(await page("am")).toContain(`<bdi>${hebrew}</bdi> በአስቸኳይ`);
    expect(await page("en")).toContain(`<bdi>${hebrew}</bdi> is checking`);
    expect(await page("he")).toContain(`<bdi>${hebrew}</bdi> בודקת`);
    await w.api.manager.patch("/api/department/names", { altNames: { ar: "", ru: "" } });
  });

  it("answers 404 for a token that is not a link", async () => {
    const res = await t.app.inject({ method: "GET", url: `/ok/${"x".repeat(32)}` });
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toMatch(/<script/i);
    const post = await t.app.inject({
      method: "POST",
      url: `/ok/${"y".repeat(32)}`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "answer=ok",
    });
    expect(post.statusCode).toBe(404);
  });

  it("an answer updates the call list at once; 'I need help' opens one help request", async () => {
    const post = (payload: string) =>
      t.app.inject({
        method: "POST",
        url: `/ok/${token}`,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        payload,
      });
    const res = await post(
      "answer=help&category=medicine&note=%D7%AA%D7%A8%D7%95%D7%A4%D7%95%D7%AA&lang=am",
    );
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/ok/${token}?lang=am&answered=help`);
    const thanks = await t.app.inject({ method: "GET", url: res.headers.location as string });
    expect(thanks.body).toContain("መዝግበናል");
    const call = (await managerCalls()).items.find((c) => c.resident.id === R.amharic!.id)!;
    expect(call.status).toBe("done");
    expect(call.outcome).toBe("reached_needs_help");
    expect(call.lastSource).toBe("self");
    const help = (
      await w.api.manager.get(`/api/emergency/help-requests/${call.helpRequestId}`)
    ).json() as HelpRequest;
    expect(help).toMatchObject({ category: "medicine", source: "self", status: "open" });
    // Pressing again does not open a second request.
    await post("answer=help&category=medicine&lang=am");
    const requests = (
      await w.api.manager.get(
        `/api/emergency/events/${emergency.id}/help-requests?category=medicine`,
      )
    ).json();
    expect(requests.total).toBe(1);
    // Bad input is refused without saving anything.
    const bad = await post("answer=maybe");
    expect(bad.statusCode).toBe(400);
  });
});

describe("emergency: help requests and volunteer offers", () => {
  let food: HelpRequest;
  let medicine: HelpRequest;

  it("matches offers by category, distance, language and skills", async () => {
    const url = `/api/emergency/events/${emergency.id}/offers`;
    const offer = await w.api.volunteer.post(url, {
      categories: ["food", "transport"],
      languages: ["he", "ru"],
      skills: ["רכב"],
      location: POINTS.a,
      radiusKm: 5,
    });
    expect(offer.statusCode).toBe(200);
    expect(
      (
        await volunteer2.api.post(url, {
          categories: ["food", "medicine"],
          languages: ["ar"],
          location: POINTS.b,
          radiusKm: 10,
        })
      ).statusCode,
    ).toBe(200);
    // Out of range: a volunteer 1 km around B does not reach A's building.
    expect(
      (
        await w.api.worker.post(url, {
          categories: ["food"],
          languages: ["he"],
          location: POINTS.outside,
          radiusKm: 1,
        })
      ).statusCode,
    ).toBe(200);
    // Activists do not offer through the emergency module.
    expect(
      (await w.api.activist.post(url, { categories: ["food"], languages: ["he"] })).statusCode,
    ).toBe(403);

    const requests = (
      await w.api.manager.get(`/api/emergency/events/${emergency.id}/help-requests`)
    ).json();
    food = requests.items.find((h: HelpRequest) => h.category === "food");
    medicine = requests.items.find((h: HelpRequest) => h.category === "medicine");
    const matches = (
      await w.api.manager.get(`/api/emergency/help-requests/${food.id}/matches`)
    ).json();
    const order = matches.items.map(
      (m: { offer: { volunteer: { id: string } } }) => m.offer.volunteer.id,
    );
    expect(order).toEqual([w.users.volunteer, volunteer2.id]);
    expect(matches.items[0].languageMatch).toBe(true);
    expect(matches.items[1].languageMatch).toBe(false);
    expect(matches.items[0].score).toBeGreaterThan(matches.items[1].score);
    expect(matches.items[0].distanceMeters).toBeGreaterThan(0);
  });

  it("a volunteer sees matching open requests in outline only, and nothing their offer does not cover", async () => {
    const seen = (
      await w.api.volunteer.get(`/api/emergency/events/${emergency.id}/help-requests`)
    ).json();
    const ids = seen.items.map((h: HelpRequest) => h.id);
    expect(ids).toContain(food.id);
    expect(ids).not.toContain(medicine.id);
    const outline = seen.items.find((h: HelpRequest) => h.id === food.id) as HelpRequest;
    expect(outline.resident).toBeNull();
    expect(outline.contact).toBeNull();
    expect(outline.description).toBeNull();
    expect(outline.location).toBeNull();
    expect(outline.distanceMeters).toBeGreaterThan(0);
    expect(
      (await w.api.volunteer.get(`/api/emergency/help-requests/${medicine.id}`)).statusCode,
    ).toBe(404);
  });

  it("claim, release, complete — each by who may", async () => {
    const claim = await w.api.volunteer.post(`/api/emergency/help-requests/${food.id}/claim`, {
      version: food.version,
    });
    expect(claim.statusCode).toBe(200);
    const claimed = claim.json() as HelpRequest;
    expect(claimed.status).toBe("claimed");
    expect(claimed.claimedBy?.id).toBe(w.users.volunteer);
    // Now theirs: the person and the way to reach them.
    expect(claimed.resident?.id).toBe(R.aloneOld!.id);
    expect(claimed.contact?.phone).toMatch(/^\+972/);
    const twice = await volunteer2.api.post(`/api/emergency/help-requests/${food.id}/claim`, {
      version: claimed.version,
    });
    expect([404, 409]).toContain(twice.statusCode);
    const notMine = await volunteer2.api.post(`/api/emergency/help-requests/${food.id}/release`, {
      version: claimed.version,
    });
    expect(notMine.statusCode).toBe(404);
    const released = await w.api.volunteer.post(`/api/emergency/help-requests/${food.id}/release`, {
      version: claimed.version,
      reason: "לא אספיק היום",
    });
    expect(released.statusCode).toBe(200);
    expect(released.json().status).toBe("open");
    const stale = await w.api.volunteer.post(`/api/emergency/help-requests/${food.id}/claim`, {
      version: claimed.version,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe("version_conflict");
    const again = (
      await w.api.volunteer.post(`/api/emergency/help-requests/${food.id}/claim`, {
        version: released.json().version,
      })
    ).json() as HelpRequest;
    const complete = await w.api.volunteer.post(
      `/api/emergency/help-requests/${food.id}/complete`,
      {
        version: again.version,
        note: "הובאו מצרכים",
      },
    );
    expect(complete.statusCode).toBe(200);
    expect(complete.json().status).toBe("completed");
    const reopen = await w.api.volunteer.post(`/api/emergency/help-requests/${food.id}/release`, {
      version: complete.json().version,
    });
    expect(reopen.statusCode).toBe(409);
    expect(reopen.json().error.code).toBe("emergency.invalid_transition");
  });

  it("staff give a request to a volunteer; another volunteer may not release it", async () => {
    const given = await w.api.manager.post(`/api/emergency/help-requests/${medicine.id}/claim`, {
      version: medicine.version,
      userId: volunteer2.id,
    });
    expect(given.statusCode).toBe(200);
    expect(given.json().claimedBy.id).toBe(volunteer2.id);
    medicine = given.json();
    const other = await w.api.volunteer.post(
      `/api/emergency/help-requests/${medicine.id}/release`,
      {
        version: medicine.version,
      },
    );
    expect(other.statusCode).toBe(404);
    // The volunteer who holds it sees it in full.
    const mine = (await volunteer2.api.get(`/api/emergency/help-requests/${medicine.id}`)).json();
    expect(mine.resident.id).toBe(R.amharic!.id);
  });
});

describe("emergency: shelters, the board, live updates, the shift log", () => {
  let shelterId: string;

  it("lists shelters in scope and updates their occupancy, pushed live to the board", async () => {
    const [shelter] = await t.database.db
      .insert(schema.locations)
      .values({
        departmentId: w.departmentId,
        name: "מקלט ציבורי 3",
        assetType: "shelter",
        communityId: w.aId,
        lat: POINTS.a.lat,
        lon: POINTS.a.lon,
        capacity: 40,
        occupancy: 0,
      })
      .returning();
    await t.database.db.insert(schema.locations).values({
      departmentId: w.departmentId,
      name: "מקלט בשכונה ב",
      assetType: "shelter",
      communityId: w.bId,
      capacity: 10,
    });
    shelterId = shelter!.id;
    const shelters = (
      await w.api.volunteer.get(`/api/emergency/events/${emergency.id}/shelters`)
    ).json();
    expect(shelters.items.map((s: { name: string }) => s.name)).toEqual(["מקלט ציבורי 3"]);

    await t.app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = t.app.server.address() as AddressInfo;
    let received = "";
    const req = httpRequest({
      host: "127.0.0.1",
      port,
      path: `/api/emergency/events/${emergency.id}/stream?scope=${encodeURIComponent(scope())}`,
      headers: { cookie: w.cookies.manager! },
    });
    const opened = new Promise<void>((resolve, reject) => {
      req.on("response", (res) => {
        expect(res.headers["content-type"]).toContain("text/event-stream");
        res.on("data", (chunk: Buffer) => (received += chunk.toString()));
        resolve();
      });
      req.on("error", reject);
    });
    req.end();
    await opened;
    const arrived = new Promise<void>((resolve) => {
      const check = () => (received.includes(shelterId) ? resolve() : setImmediate(check));
      check();
    });
    const put = await w.api.worker.put(
      `/api/emergency/events/${emergency.id}/shelters/${shelterId}/occupancy`,
      { occupancy: 12, version: shelter!.version },
    );
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ occupancy: 12, capacity: 40 });
    // Wait for the event itself (no fixed sleep).
    await arrived;
    req.destroy();
    expect(received).toContain("event: emergency");
    expect(received).toContain('"type":"shelter_updated"');
    expect(received).toContain(shelterId);
    // A volunteer may not change occupancy (the asset directory's rule).
    const refused = await w.api.volunteer.put(
      `/api/emergency/events/${emergency.id}/shelters/${shelterId}/occupancy`,
      { occupancy: 13, version: put.json().version },
    );
    expect(refused.statusCode).toBe(403);
  });

  it("the board sums up calls, requests, shelters and map points", async () => {
    const res = await w.api.manager.get(`/api/emergency/events/${emergency.id}/board`);
    expect(res.statusCode).toBe(200);
    const board = res.json() as EmergencyBoard;
    expect(board.counts).toMatchObject({
      calls: 6,
      reachedOk: 1,
      reachedNeedsHelp: 2,
      notReached: 1,
      escalated: 1,
      selfReported: 1,
      helpCompleted: 1,
      helpClaimed: 1,
    });
    const a = board.byCommunity.find((b) => b.community.id === w.aId)!;
    expect(a.calls).toBe(6);
    expect(board.helpOpenByCategory.find((h) => h.category === "medicine")!.claimed).toBe(1);
    expect(board.shelters[0]).toMatchObject({ occupancy: 12, capacity: 40 });
    expect(board.points.some((p) => p.kind === "shelter" && p.label === "12/40")).toBe(true);
    expect(board.points.filter((p) => p.kind === "call").length).toBeGreaterThanOrEqual(5);
    expect(board.callers.map((c) => c.user.id)).toContain(w.users.volunteer);
    expect(
      (await w.api.volunteer.get(`/api/emergency/events/${emergency.id}/board`)).statusCode,
    ).toBe(403);
  });

  it("keeps a shift log (append only, staff)", async () => {
    const url = `/api/emergency/events/${emergency.id}/log`;
    const add = await w.api.worker.post(url, { kind: "handover", text: "מסירת משמרת לצוות לילה" });
    expect(add.statusCode).toBe(201);
    const log = (await w.api.manager.get(url)).json();
    expect(log.items[0].text).toBe("מסירת משמרת לצוות לילה");
    expect(log.items[0].author.id).toBe(w.users.worker);
    expect(log.items.some((e: { system: boolean }) => e.system)).toBe(true);
    expect((await w.api.activist.post(url, { text: "x" })).statusCode).toBe(403);
    expect((await w.api.volunteer.get(url)).statusCode).toBe(403);
  });
});

describe("emergency: back to routine", () => {
  let summary: EmergencySummary;

  it("closing turns open requests into needs, returns the communities to routine, keeps everything", async () => {
    const before = (
      await w.api.manager.get(`/api/emergency/events/${emergency.id}`)
    ).json() as Emergency;
    const res = await w.api.manager.post(`/api/emergency/events/${emergency.id}/close`, {
      version: before.version,
      note: "חזרה לשגרה",
    });
    expect(res.statusCode).toBe(200);
    summary = res.json();
    expect(summary.emergency.status).toBe("closed");
    // The claimed medicine request became a routine need; the completed food one did not.
    expect(summary.needsCreated).toHaveLength(1);
    const need = (await w.api.manager.get(`/api/needs/${summary.needsCreated[0]!.id}`)).json();
    expect(need.resident.id).toBe(R.amharic!.id);
    expect(need.category).toBe("health");
    expect(need.status).toBe("new");
    const mode = (await w.api.worker.get("/api/emergency/mode")).json();
    expect(mode.mode).toBe("routine");
    const [a] = await t.database.db
      .select({ mode: schema.communities.mode })
      .from(schema.communities)
      .where(
        and(eq(schema.communities.departmentId, w.departmentId), eq(schema.communities.id, w.aId)),
      );
    expect(a!.mode).toBe("routine");
    // Everything stays: the manager still reads every call and outcome.
    const calls = await managerCalls();
    expect(calls.total).toBe(6);
    expect(callOf(calls, R.aloneOld!).outcome).toBe("reached_needs_help");
    // A volunteer's phone drops the calls; they see none now.
    expect(
      (await w.api.volunteer.get(`/api/emergency/events/${emergency.id}/calls`)).json().total,
    ).toBe(0);
    const help = (
      await w.api.manager.get(`/api/emergency/help-requests/${summary.needsCreated[0]!.id}`)
    ).json();
    expect(help.need.reference).toBe(need.reference);
  });

  it("a closed emergency takes no more answers; its status links say it ended", async () => {
    const [sms] = await outboxTo("501110001");
    const res = await t.app.inject({ method: "GET", url: `/ok/${tokenFrom(sms!.body)}` });
    expect(res.statusCode).toBe(410);
    const call = (await managerCalls()).items[0]!;
    const late = await w.api.manager.post(`/api/emergency/calls/${call.id}/outcome`, {
      outcome: "reached_ok",
    });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe("emergency.not_active");
  });

  it("gives a summary as JSON, a printable page and CSV", async () => {
    const json = (
      await w.api.manager.get(`/api/emergency/events/${emergency.id}/summary`)
    ).json() as EmergencySummary;
    expect(json.counts.calls).toBe(6);
    expect(json.helpByCategory.find((h) => h.category === "medicine")!.becameNeeds).toBe(1);
    const page = await w.api.manager.get(`/api/emergency/events/${emergency.id}/summary.html`);
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toContain("text/html");
    expect(page.body).toContain("סיכום אירוע חירום");
    // Categories in the page's language, not their codes.
    expect(page.body).toContain("<td>תרופות</td>");
    expect(page.body).not.toContain("<td>medicine</td>");
    expect(page.body).toContain(summary.needsCreated[0]!.reference);
    const csv = await w.api.manager.get(`/api/emergency/events/${emergency.id}/summary.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-disposition"]).toContain("attachment");
    const lines = csv.body.trim().split(/\r\n/);
    expect(lines[0]).toContain("rank");
    expect(lines).toHaveLength(7);
    expect(
      (await w.api.worker.get(`/api/emergency/events/${emergency.id}/summary.csv`)).statusCode,
    ).toBe(403);
  });

  it("keeps each resident's emergency contacts in their history (residents policy)", async () => {
    const url = `/api/emergency/residents/${R.amharic!.id}/history`;
    const res = await w.api.worker.get(url);
    expect(res.statusCode).toBe(200);
    const [item] = res.json().items;
    expect(item.emergency.id).toBe(emergency.id);
    expect(item.call.outcome).toBe("reached_needs_help");
    expect(item.selfReports.map((r: { answer: string }) => r.answer)).toEqual(["help", "help"]);
    expect(item.helpRequests[0].need.reference).toMatch(/^#\d+$/);
    // Activists (contact-level at most) and a social worker outside their caseload: refused.
    expect((await w.api.activist.get(url)).statusCode).toBe(403);
    expect((await w.api.social.get(url)).statusCode).toBe(403);
  });

  it("records an after-action review (one per emergency, updated by version)", async () => {
    const url = `/api/emergency/events/${emergency.id}/review`;
    expect((await w.api.manager.get(url)).json()).toEqual({ review: null });
    const first = await w.api.manager.put(url, {
      whatWorked: "רשימת החיוג הייתה מוכנה תוך דקות",
      whatDidNot: "אין מתנדבים דוברי אמהרית",
      actions: [{ text: "לגייס מתנדבים דוברי אמהרית", owner: "רכזת מתנדבים", due: "2027-01-01" }],
    });
    expect(first.statusCode).toBe(200);
    const again = await w.api.manager.put(url, { lessons: "x" });
    expect(again.statusCode).toBe(409);
    const updated = await w.api.manager.put(url, {
      ...first.json().review,
      emergencyId: undefined,
      author: undefined,
      createdAt: undefined,
      updatedAt: undefined,
      lessons: "לתרגל פעמיים בשנה",
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json().review.lessons).toBe("לתרגל פעמיים בשנה");
    expect((await w.api.worker.put(url, { lessons: "y" })).statusCode).toBe(403);
  });
});

describe("emergency: a drill", () => {
  let drill: Emergency;

  it("runs the same flows, sends nothing to residents, marks everything as a drill", async () => {
    const sentBefore = await outboxCount();
    // Every screen learns of the change live (an activist too: the mode only).
    const { port } = t.app.server.address() as AddressInfo;
    let received = "";
    const req = httpRequest({
      host: "127.0.0.1",
      port,
      path: `/api/emergency/stream?scope=${encodeURIComponent(scope())}`,
      headers: { cookie: w.cookies.activist! },
    });
    await new Promise<void>((resolve, reject) => {
      req.on("response", (r) => {
        r.on("data", (chunk: Buffer) => (received += chunk.toString()));
        resolve();
      });
      req.on("error", reject);
      req.end();
    });
    const res = await w.api.manager.post("/api/emergency/events", {
      type: "earthquake",
      level: 2,
      title: "תרגיל רעידת אדמה",
      communityIds: [w.townId],
      drill: true,
    });
    expect(res.statusCode).toBe(201);
    drill = res.json();
    expect(drill.drill).toBe(true);
    await new Promise<void>((resolve) => {
      const check = () => (received.includes(drill.id) ? resolve() : setImmediate(check));
      check();
    });
    expect(received).toContain('"type":"declared"');
    expect(res.json().linksSent).toBe(0);
    // Town-wide: B's resident is in this time.
    expect(res.json().callsAdded).toBe(7);
    expect(await outboxCount()).toBe(sentBefore);
    const mode = (await w.api.volunteer.get("/api/emergency/mode")).json() as EmergencyModeResponse;
    expect(mode.mode).toBe("drill");
    // Communities stay in routine during a drill.
    const [town] = await t.database.db
      .select({ mode: schema.communities.mode })
      .from(schema.communities)
      .where(
        and(
          eq(schema.communities.departmentId, w.departmentId),
          eq(schema.communities.id, w.townId),
        ),
      );
    expect(town!.mode).toBe("routine");

    const calls = (
      await w.api.manager.get(`/api/emergency/events/${drill.id}/calls?pageSize=100`)
    ).json() as CallPage;
    expect(calls.items.every((c) => c.drill)).toBe(true);
    const target = calls.items.find((c) => c.resident.id === R.outOfScope!.id)!;
    // The status page works (a link to read out), and says it is a drill.
    const link = (await w.api.manager.post(`/api/emergency/calls/${target.id}/status-link`)).json();
    const page = await t.app.inject({ method: "GET", url: new URL(link.url).pathname });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('class="drill"');
    const answered = await t.app.inject({
      method: "POST",
      url: new URL(link.url).pathname,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "answer=help&category=evacuation",
    });
    expect(answered.statusCode).toBe(303);
    const requests = (
      await w.api.manager.get(`/api/emergency/events/${drill.id}/help-requests`)
    ).json();
    expect(requests.items).toHaveLength(1);
    expect(requests.items[0].drill).toBe(true);
    expect(await outboxCount()).toBe(sentBefore);

    const needsBefore = await t.database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(schema.needs)
      .where(eq(schema.needs.departmentId, w.departmentId));
    const current = (
      await w.api.manager.get(`/api/emergency/events/${drill.id}`)
    ).json() as Emergency;
    const closed = await w.api.manager.post(`/api/emergency/events/${drill.id}/close`, {
      version: current.version,
    });
    expect(closed.statusCode).toBe(200);
    expect(closed.json().needsCreated).toEqual([]);
    const needsAfter = await t.database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(schema.needs)
      .where(eq(schema.needs.departmentId, w.departmentId));
    expect(needsAfter[0]!.n).toBe(needsBefore[0]!.n);
    expect(await outboxCount()).toBe(sentBefore);
    // The activist's stream got the mode changes, not the work inside the drill.
    await new Promise<void>((resolve) => {
      const check = () => (received.includes('"type":"closed"') ? resolve() : setImmediate(check));
      check();
    });
    req.destroy();
    expect(received).not.toContain("help_created");
  });
});
