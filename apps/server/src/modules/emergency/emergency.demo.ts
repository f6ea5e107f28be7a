import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type {
  CreateBroadcastBody,
  EmergencySummary,
  HelpCategory,
  Role,
  Scope,
} from "@kaveret/contracts";
import { createRng, demoPeople, schema, type Db, type FieldCipher, type Rng } from "@kaveret/db";
import type { Config } from "../../config/env.ts";
import type { RequestContext } from "../../lib/context.ts";
import type { Actor } from "../../policy/actor.ts";
import { ActorCache } from "../../auth/actor-cache.ts";
import { scopeIdOf } from "../../auth/actor.service.ts";
import type { EventBus, Unsubscribe } from "../../events/bus.ts";
import type { JobQueue } from "../../jobs/queue.ts";
import type { MessageTransport } from "../../messaging/transport.ts";
import { declareEmergency } from "../../commands/emergency-activate.ts";
import { closeEmergency } from "../../commands/emergency-close.ts";
import { confirmBroadcast, createBroadcast, dryRun } from "../broadcasts/broadcasts.service.ts";
import { fanOut, type BroadcastRuntime } from "../broadcasts/broadcasts.jobs.ts";
import * as broadcastsRepo from "../broadcasts/broadcasts.repository.ts";
import * as repo from "./emergency.repository.ts";
import {
  addLog,
  answerStatus,
  assignCallers,
  buildSummary,
  createHelpRequest,
  ensureStatusLink,
  findStatusLink,
  moveHelp,
  recordOutcome,
  saveReview,
  updateEmergency,
  upsertOffer,
} from "./emergency.service.ts";

/*
 * The demo department's emergency history (journey 5, after the fact): a winter storm two
 * months ago over two neighbourhoods, closed — its call list worked by a community worker
 * and a volunteer (reached and OK, needs help, not reached three times and escalated), a
 * few residents answering on their status page, help requests taken and completed (one
 * still open at the close, so it became a routine need), volunteer offers, shift-log
 * entries, a broadcast with delivery receipts and the after-action review — and a drill
 * three weeks ago. Written through the same services and commands as the API (so every
 * figure agrees with the records), as the demo staff; then each step's timestamps are moved
 * to the storm's timeline. Nothing leaves the server: status-page SMS are not queued, the
 * broadcast's deliveries are written by the real fan-out and their outcomes recorded, never
 * sent. Deterministic: the same choices on every run (ids and the seeding day aside).
 */

const DEPARTMENT = "המחלקה לשירותים חברתיים עין הדר";
/** רמת הזיתים and אל-נור: the hills the storm hit. */
const STORM_NEIGHBOURHOODS = ["רמת הזיתים", "אל-נור"];
/** The drill was in שכונת הגפן. */
const DRILL_NEIGHBOURHOOD = "שכונת הגפן";
const MINUTE = 60_000;

export type DemoEmergencies = { storm: string; drill: string } | null;

/** Seeds the closed storm and the closed drill into the demo department (when it exists). */
export async function seedDemoEmergencies(
  db: Db,
  cipher: FieldCipher,
  config: Config,
  options: { now?: Date } = {},
): Promise<DemoEmergencies> {
  const [dept] = await db
    .select({ id: schema.departments.id, name: schema.departments.name })
    .from(schema.departments)
    .where(eq(schema.departments.name, DEPARTMENT))
    .limit(1);
  if (!dept) return null;
  const communities = await db
    .select({ id: schema.communities.id, name: schema.communities.name })
    .from(schema.communities)
    .where(eq(schema.communities.departmentId, dept.id));
  const idOf = (name: string) => {
    const c = communities.find((x) => x.name === name);
    if (!c) throw new Error(`demo emergency: no community ${name}`);
    return c.id;
  };
  const now = options.now ?? new Date();
  // Fixed times relative to the day of seeding: 06:30 (Israel, UTC+2 in winter) 61 days ago.
  const day = (daysAgo: number, hour: number, minute = 0) =>
    new Date(
      Date.UTC(
        now.getUTCFullYear(),
        now.getUTCMonth(),
        now.getUTCDate() - daysAgo,
        hour - 2,
        minute,
      ),
    );
  const seeder = await demoSeeder(db, cipher, config, dept.id);
  const storm = await seedStorm(seeder, {
    communityIds: STORM_NEIGHBOURHOODS.map(idOf),
    start: day(61, 6, 30),
  });
  const drill = await seedDrill(seeder, {
    communityIds: [idOf(DRILL_NEIGHBOURHOOD)],
    start: day(21, 10, 0),
  });
  return { storm, drill };
}

/* ------------------------------------------------------------------ */
/* The demo staff acting through the services.                          */
/* ------------------------------------------------------------------ */

type Seeder = {
  db: Db;
  cipher: FieldCipher;
  departmentId: string;
  manager: RequestContext;
  worker: RequestContext;
  volunteer: RequestContext;
  rng: Rng;
};

const emailOf = (key: (typeof demoPeople)[number]["key"]) =>
  demoPeople.find((p) => p.key === key)!.email;

/** Nothing leaves a seed: no event listeners yet, no jobs, no messages. */
const quietEvents: EventBus = {
  publish: async () => undefined,
  subscribe: () => Object.assign(() => undefined, { ready: Promise.resolve() }) as Unsubscribe,
  close: async () => undefined,
};
const noJobs = { send: async () => null, insert: async () => [] } as unknown as JobQueue;
const noMessages: MessageTransport = {
  name: "demo-seed",
  send: async () => {
    throw new Error("the demo seed sends no messages");
  },
};

async function demoSeeder(
  db: Db,
  cipher: FieldCipher,
  config: Config,
  departmentId: string,
): Promise<Seeder> {
  const contextOf = async (email: string): Promise<RequestContext> => {
    const rows = await db
      .select({
        userId: schema.user.id,
        name: schema.user.name,
        locale: schema.user.locale,
        role: schema.roleAssignments.role,
        departmentName: schema.departments.name,
        districtId: schema.localAuthorities.districtId,
      })
      .from(schema.user)
      .innerJoin(schema.roleAssignments, eq(schema.roleAssignments.userId, schema.user.id))
      .innerJoin(schema.departments, eq(schema.departments.id, schema.roleAssignments.departmentId))
      .innerJoin(
        schema.localAuthorities,
        eq(schema.localAuthorities.id, schema.departments.localAuthorityId),
      )
      .where(
        and(
          eq(schema.user.email, email),
          eq(schema.roleAssignments.departmentId, departmentId),
          eq(schema.roleAssignments.active, true),
        ),
      );
    const first = rows[0];
    if (!first) throw new Error(`demo emergency: ${email} has no role in the demo department`);
    const assigned = await db
      .select({ id: schema.communityAssignments.communityId })
      .from(schema.communityAssignments)
      .where(
        and(
          eq(schema.communityAssignments.departmentId, departmentId),
          eq(schema.communityAssignments.userId, first.userId),
        ),
      );
    const roles = rows.map((r) => r.role as Role);
    const scope: Scope = {
      id: scopeIdOf("department", departmentId),
      kind: "department",
      departmentId,
      districtId: first.districtId,
      name: first.departmentName,
      roles,
    };
    const actor: Actor = {
      userId: first.userId,
      name: first.name,
      email,
      kind: "staff",
      locale: first.locale,
      twoFactorEnabled: false,
      scopes: [scope],
      scope,
      roles,
      departmentId,
      districtId: first.districtId,
      communityIds: roles.includes("manager") ? [] : assigned.map((a) => a.id),
      twoFactorRequired: false,
    };
    return {
      db,
      actor,
      requestId: "demo-seed",
      config,
      transport: noMessages,
      actorCache: new ActorCache(0),
      cipher,
      events: quietEvents,
      jobs: noJobs,
    };
  };
  return {
    db,
    cipher,
    departmentId,
    manager: await contextOf(emailOf("manager")),
    worker: await contextOf(emailOf("worker")),
    volunteer: await contextOf(emailOf("volunteer")),
    rng: createRng("ein-hadar-emergencies"),
  };
}

/* ------------------------------------------------------------------ */
/* The storm's timeline: each step's rows moved to when it happened.    */
/* ------------------------------------------------------------------ */

/** Columns that say when something happened, per table the steps write, and its rows of one emergency. */
const WHEN: {
  table: string;
  columns: string[];
  of: (emergencyId: string) => ReturnType<typeof sql>;
}[] = [
  {
    table: "emergencies",
    columns: ["started_at", "closed_at", "created_at", "updated_at"],
    of: (e) => sql`t.id = ${e}`,
  },
  ...(
    [
      ["emergency_calls", ["next_attempt_at", "escalated_at", "created_at", "updated_at"]],
      ["emergency_call_attempts", ["at", "created_at"]],
      ["emergency_status_links", ["sent_at", "created_at"]],
      ["emergency_self_reports", ["at"]],
      ["emergency_help_requests", ["claimed_at", "completed_at", "created_at", "updated_at"]],
      ["emergency_volunteer_offers", ["created_at", "updated_at"]],
      ["emergency_log", ["at"]],
      ["emergency_reviews", ["created_at", "updated_at"]],
      ["broadcasts", ["deferred_until", "confirmed_at", "finished_at", "created_at", "updated_at"]],
    ] as const
  ).map(([table, columns]) => ({
    table,
    columns: [...columns],
    of: (e: string) => sql`t.emergency_id = ${e}`,
  })),
  {
    table: "broadcast_deliveries",
    columns: ["sent_at", "delivered_at"],
    of: (e) => sql`t.broadcast_id in (select id from broadcasts b
      where b.department_id = t.department_id and b.emergency_id = ${e})`,
  },
  // The needs its open help requests became at the close (a need's id is the request's).
  {
    table: "needs",
    columns: ["resolved_at", "created_at", "updated_at"],
    of: (e) => sql`t.id in (select id from emergency_help_requests h
      where h.department_id = t.department_id and h.emergency_id = ${e})`,
  },
  {
    table: "need_events",
    columns: ["at"],
    of: (e) => sql`t.need_id in (select id from emergency_help_requests h
      where h.department_id = t.department_id and h.emergency_id = ${e})`,
  },
];

/**
 * Steps run now, one after another; `at(when)` starts the next one. At the end, every
 * timestamp of the emergency's records written during a step (by the services or the
 * database's now()) moves by the same amount, to that step's time: order and durations
 * inside a step are kept.
 */
class Timeline {
  private readonly marks: { real: number; scenario: number }[] = [];

  at(when: Date) {
    this.marks.push({ real: Date.now(), scenario: when.getTime() });
  }

  async apply(db: Db, departmentId: string, emergencyId: string) {
    const end = Date.now() + 1000;
    // A millisecond's margin before the first step, for a row written at its first instant.
    const windows = this.marks.map((m, i) => ({
      lo: i === 0 ? m.real - 1 : m.real,
      hi: this.marks[i + 1]?.real ?? end,
      shift: m.scenario - m.real,
    }));
    if (windows.length === 0) return;
    const values = sql.join(
      windows.map(
        (w) =>
          sql`(to_timestamp(${w.lo / 1000}::float8), to_timestamp(${w.hi / 1000}::float8), make_interval(secs => ${w.shift / 1000}::float8))`,
      ),
      sql`, `,
    );
    // One statement per table: each column moves by the shift of the step it falls in.
    for (const { table, columns, of } of WHEN) {
      const set = sql.join(
        columns.map(
          (c) =>
            sql`${sql.raw(c)} = t.${sql.raw(c)} + coalesce((select w.shift from w
              where t.${sql.raw(c)} >= w.lo and t.${sql.raw(c)} < w.hi), interval '0')`,
        ),
        sql`, `,
      );
      await db.execute(sql`
        with w(lo, hi, shift) as (values ${values})
        update ${sql.raw(table)} t set ${set}
        where t.department_id = ${departmentId} and ${of(emergencyId)}`);
    }
  }
}

/* ------------------------------------------------------------------ */
/* The storm.                                                            */
/* ------------------------------------------------------------------ */

type WorkCall = { id: string; assigneeId: string | null; consented: boolean; residentId: string };

async function openCalls(s: Seeder, emergencyId: string): Promise<WorkCall[]> {
  return s.db
    .select({
      id: schema.emergencyCalls.id,
      assigneeId: schema.emergencyCalls.assigneeId,
      consented: schema.emergencyCalls.consented,
      residentId: schema.emergencyCalls.residentId,
    })
    .from(schema.emergencyCalls)
    .where(
      and(
        eq(schema.emergencyCalls.departmentId, s.departmentId),
        eq(schema.emergencyCalls.emergencyId, emergencyId),
        inArray(schema.emergencyCalls.status, ["pending", "retry"]),
      ),
    )
    .orderBy(asc(schema.emergencyCalls.rank));
}

/** The caller who holds the call (the manager for one nobody holds). */
const callerOf = (s: Seeder, call: WorkCall) =>
  call.assigneeId === s.volunteer.actor.userId
    ? s.volunteer
    : call.assigneeId === s.worker.actor.userId
      ? s.worker
      : s.manager;

/**
 * "Reached, all is well" for many calls at once, by whoever holds each: the attempt rows and
 * call changes recordOutcome writes for that outcome (done, outcome, source, version),
 * set-based — a whole neighbourhood's answers would otherwise be hundreds of requests.
 */
async function reachedOk(s: Seeder, emergencyId: string, calls: WorkCall[]) {
  if (calls.length === 0) return;
  await s.db.transaction(async (tx) => {
    await tx.insert(schema.emergencyCallAttempts).values(
      calls.map((c) => ({
        departmentId: s.departmentId,
        id: crypto.randomUUID(),
        emergencyId,
        callId: c.id,
        outcome: "reached_ok",
        source: "call",
        byUserId: callerOf(s, c).actor.userId,
      })),
    );
    await tx
      .update(schema.emergencyCalls)
      .set({
        status: "done",
        outcome: "reached_ok",
        lastSource: "call",
        nextAttemptAt: null,
        version: sql`${schema.emergencyCalls.version} + 1`,
        updatedAt: new Date(),
      })
      .where(
        and(
          eq(schema.emergencyCalls.departmentId, s.departmentId),
          inArray(
            schema.emergencyCalls.id,
            calls.map((c) => c.id),
          ),
        ),
      );
  });
}

async function version(s: Seeder, emergencyId: string) {
  return (await repo.findEmergency(s.db, s.departmentId, emergencyId))!.version;
}

const HELP_FROM_CALLS: { category: HelpCategory; urgency: "normal" | "high"; text: string }[] = [
  {
    category: "medicine",
    urgency: "high",
    text: "התרופות לסוכרת נגמרות מחר, אין איך להגיע לבית המרקחת",
  },
  { category: "food", urgency: "normal", text: "גרה לבד, לא יצאה מהבית יומיים, המקרר כמעט ריק" },
  { category: "transport", urgency: "normal", text: "צריך הסעה לדיאליזה ביום רביעי" },
];

async function seedStorm(s: Seeder, o: { communityIds: string[]; start: Date }): Promise<string> {
  const time = new Timeline();
  const t = (minutes: number) => new Date(o.start.getTime() + minutes * MINUTE);
  const { manager, worker, volunteer, rng } = s;

  time.at(t(0));
  const declared = await declareEmergency(manager, {
    type: "storm",
    level: 3,
    title: "סערת חורף — רמת הזיתים ואל-נור",
    communityIds: o.communityIds,
    drill: false,
    note: "רוחות עד 100 קמ״ש, הפסקות חשמל, עצים שקרסו על כבישי הגישה",
    generateCalls: true,
  });
  const id = declared.id;

  time.at(t(25));
  await assignCallers(manager, id, {
    callers: [
      { userId: worker.actor.userId, languages: ["he", "ar"] },
      { userId: volunteer.actor.userId, languages: ["he", "ru"] },
    ],
    reassignAll: false,
  });
  await addLog(manager, id, {
    kind: "decision",
    text: "השיחות חולקו בין סמאח ואלנה; מוקד העירייה מעדכן על חסימות כבישים",
  });

  // A few residents answer on their own page before anyone calls.
  time.at(t(50));
  const calls = await openCalls(s, id);
  const selfAnswers = calls.filter((c) => c.consented).slice(-3);
  for (const [i, c] of selfAnswers.entries()) {
    const url = await ensureStatusLink(s.db, s.cipher, manager.config.publicUrl, {
      departmentId: s.departmentId,
      emergencyId: id,
      residentId: c.residentId,
    });
    const state = await findStatusLink(s.db, url.slice(url.lastIndexOf("/") + 1));
    if (!state) continue;
    const help = i === 0;
    await answerStatus(
      { db: s.db, cipher: s.cipher, requestId: "demo-seed", events: quietEvents },
      state,
      help
        ? { answer: "help", category: "other", note: "העץ בחצר נפל על הגדר, אין חשמל", lang: "he" }
        : { answer: "ok", lang: i === 1 ? "ar" : "he" },
    );
  }

  // The first round of calls: most answer and are fine, some need help, some do not answer.
  time.at(t(70));
  const answeredSelf = new Set(selfAnswers.map((c) => c.residentId));
  const round1 = (await openCalls(s, id)).filter((c) => !answeredSelf.has(c.residentId));
  let helpIndex = 0;
  const missed: WorkCall[] = [];
  const fine: WorkCall[] = [];
  for (const c of round1) {
    const roll = rng.next();
    if (roll < 0.12 && helpIndex < HELP_FROM_CALLS.length) {
      const h = HELP_FROM_CALLS[helpIndex++]!;
      await recordOutcome(callerOf(s, c), c.id, {
        outcome: "reached_needs_help",
        note: "",
        help: { category: h.category, urgency: h.urgency, description: h.text },
      });
    } else if (roll < 0.85) {
      fine.push(c);
    } else if (missed.length < 3) {
      await recordOutcome(callerOf(s, c), c.id, { outcome: "not_reached", note: "" });
      missed.push(c);
    } else {
      fine.push(c);
    }
  }
  // The first answer through the service, the many like it set-based (the same rows).
  const [firstFine, ...restFine] = fine;
  if (firstFine) {
    await recordOutcome(callerOf(s, firstFine), firstFine.id, {
      outcome: "reached_ok",
      note: "בסדר, הבן שלה לידה",
    });
  }
  await reachedOk(s, id, restFine);

  time.at(t(140));
  await upsertOffer(volunteer, id, {
    categories: ["food", "transport", "emotional_support"],
    languages: ["he", "ru"],
    skills: ["נהיגה"],
    location: null,
    radiusKm: 5,
    hasVehicle: true,
    note: "זמינה עד 20:00",
  });
  await upsertOffer(worker, id, {
    categories: ["medicine", "other"],
    languages: ["he", "ar"],
    skills: ["עזרה ראשונה"],
    location: null,
    radiusKm: 3,
    hasVehicle: false,
    note: "",
  });

  // The hotline takes one request by phone.
  time.at(t(160));
  const hotline = await createHelpRequest(manager, id, {
    category: "evacuation",
    urgency: "high",
    description: "משפחה עם תינוק, גג דולף, מבקשים מקום ללילה",
    residentId: null,
    location: null,
    addressText: "רחוב הזית 14",
    communityId: o.communityIds[0]!,
    languages: ["he"],
    skills: [],
  });

  // A message to everyone in the two neighbourhoods who agreed to emergency contact.
  time.at(t(180));
  await seedBroadcast(s, id, o.communityIds);

  // Second round: those not reached are called again; one still does not answer.
  time.at(t(190));
  for (const [i, c] of missed.entries()) {
    await recordOutcome(callerOf(s, c), c.id, {
      outcome: i === 0 ? "not_reached" : "reached_ok",
      note: i === 0 ? "אין מענה, הטלפון כבוי" : "",
    });
  }

  // Help on its way — all but the hotline's request, still open at the close: the volunteer
  // takes two and completes them; the worker on shift completes the others.
  time.at(t(210));
  const open = await repo.listHelp(s.db, {
    departmentId: s.departmentId,
    emergencyId: id,
    statuses: ["open"],
    reach: null,
  });
  const toComplete = open.filter((h) => h.id !== hotline.id).map((h) => h.id);
  const taken = toComplete.slice(0, 2);
  for (const hid of taken) {
    const h = (await repo.findHelp(s.db, s.departmentId, hid))!;
    await moveHelp(manager, hid, "claim", { version: h.version, userId: volunteer.actor.userId });
  }

  time.at(t(300));
  await addLog(worker, id, {
    kind: "incident",
    text: "קו חשמל נפל ברחוב הגפן; חברת החשמל בדרך, התושבים התבקשו לא לצאת",
  });
  for (const hid of toComplete) {
    const h = (await repo.findHelp(s.db, s.departmentId, hid))!;
    await moveHelp(taken.includes(hid) ? volunteer : manager, hid, "complete", {
      version: h.version,
      note: hid === taken[0] ? "נמסר, התושבת הודתה" : "",
    });
  }

  // Third round: the third miss goes to a community worker of the resident's neighbourhood.
  time.at(t(400));
  const lastTry = missed[0];
  if (lastTry) {
    await recordOutcome(callerOf(s, lastTry), lastTry.id, { outcome: "not_reached", note: "" });
  }

  time.at(t(12 * 60));
  await addLog(manager, id, {
    kind: "handover",
    text: "העברת משמרת: שיחה אחת הועברה לעובדת הקהילתית, בקשת הפינוי עדיין פתוחה",
  });

  time.at(t(20 * 60));
  await updateEmergency(manager, id, { version: await version(s, id), level: 2 });

  // The storm passed: back to routine (the open request becomes a need in the queue).
  time.at(t(30 * 60));
  await closeEmergency(manager, id, {
    version: await version(s, id),
    note: "הרוחות נחלשו, החשמל חזר לכל הבתים",
  });

  time.at(t(3 * 24 * 60));
  await saveReview(manager, id, {
    whatWorked:
      "החלוקה לפי בניינים ושפות קיצרה את סבב השיחות הראשון לשעה וחצי; דף הסטטוס חסך שיחות לתושבים שענו בעצמם",
    whatDidNot: "לחלק מהתושבים במאגר אין טלפון מעודכן; ההודעה לתושבים יצאה רק אחרי שלוש שעות",
    lessons: "לעדכן טלפונים והסכמות לפני החורף; לנסח מראש הודעות חירום בכל השפות",
    actions: [
      { text: "לעדכן טלפונים של תושבים בני 75+ ברמת הזיתים", owner: "סמאח חורי", due: null },
      {
        text: "להכין נוסחי הודעות חירום בעברית, ערבית, רוסית ואמהרית",
        owner: "מיכל לוי",
        due: null,
      },
    ],
  });

  await time.apply(s.db, s.departmentId, id);
  await keepSummary(s, id);
  return id;
}

/** A broadcast of the emergency, through compose, confirm and the real fan-out; outcomes and receipts recorded, nothing sent. */
async function seedBroadcast(s: Seeder, emergencyId: string, communityIds: string[]) {
  const compose: CreateBroadcastBody = {
    title: "סערת חורף — עדכון לתושבים",
    audience: { communityIds, languages: [], flags: [], consents: ["emergency_contact"] },
    channels: ["sms"],
    channelMode: "first",
    messages: {
      he: {
        title: "",
        body: "סערה באזורכם: הישארו בבית והתרחקו מחלונות. ספרו לנו אם אתם בסדר: {statusLink}",
      },
      ar: {
        title: "",
        body: "عاصفة في منطقتكم: ابقوا في البيت وابتعدوا عن النوافذ. أخبرونا إن كنتم بخير: {statusLink}",
      },
      ru: {
        title: "",
        body: "Буря в вашем районе: оставайтесь дома, держитесь подальше от окон. Сообщите, всё ли в порядке: {statusLink}",
      },
    },
    emergencyId,
    urgent: true,
  };
  // A small demo town may have nobody to reach there: no broadcast then.
  const reach = await dryRun(s.manager, {
    audience: compose.audience,
    channels: compose.channels,
    channelMode: compose.channelMode,
    messages: compose.messages,
  });
  if (reach.reachable === 0) return;
  const draft = await createBroadcast(s.manager, compose);
  const runtime = { enqueueFanout: async () => undefined } as unknown as BroadcastRuntime;
  await confirmBroadcast(s.manager, runtime, draft.id);
  await fanOut(
    {
      db: s.db,
      cipher: s.cipher,
      events: quietEvents,
      jobs: noJobs,
      push: () => {
        throw new Error("the demo broadcast has no push channel");
      },
    } as unknown as Parameters<typeof fanOut>[0],
    { departmentId: s.departmentId, broadcastId: draft.id },
  );
  const deliveries = await s.db
    .select({ id: schema.broadcastDeliveries.id })
    .from(schema.broadcastDeliveries)
    .where(
      and(
        eq(schema.broadcastDeliveries.departmentId, s.departmentId),
        eq(schema.broadcastDeliveries.broadcastId, draft.id),
      ),
    )
    .orderBy(asc(schema.broadcastDeliveries.id));
  // Most handed to the provider, a few numbers no longer in service; most sent ones confirmed delivered.
  const outcomes: broadcastsRepo.Outcome[] = deliveries.map((d) => ({
    id: d.id,
    status: s.rng.chance(0.06) ? "failed" : "sent",
    error: null,
  }));
  for (const x of outcomes) if (x.status === "failed") x.error = "provider_rejected";
  await broadcastsRepo.recordOutcomes(s.db, s.departmentId, draft.id, outcomes);
  await broadcastsRepo.applyReceipts(
    s.db,
    outcomes
      .filter((x) => x.status === "sent" && s.rng.chance(0.9))
      .map((x) => ({
        department_id: s.departmentId,
        broadcast_id: draft.id,
        id: x.id,
        status: "delivered" as const,
      })),
  );
  await broadcastsRepo.finishIfDone(s.db, s.departmentId, draft.id);
}

/** The summary kept at the close, made again on the moved timeline (its times and duration). */
async function keepSummary(s: Seeder, id: string) {
  const row = (await repo.findEmergency(s.db, s.departmentId, id))!;
  const summary: EmergencySummary = await buildSummary(s.db, row);
  await s.db
    .update(schema.emergencies)
    .set({ summary: summary as unknown as Record<string, unknown> })
    .where(and(eq(schema.emergencies.departmentId, s.departmentId), eq(schema.emergencies.id, id)));
}

/* ------------------------------------------------------------------ */
/* The drill.                                                            */
/* ------------------------------------------------------------------ */

async function seedDrill(s: Seeder, o: { communityIds: string[]; start: Date }): Promise<string> {
  const time = new Timeline();
  const t = (minutes: number) => new Date(o.start.getTime() + minutes * MINUTE);
  const { manager, worker, volunteer } = s;
  time.at(t(0));
  const declared = await declareEmergency(manager, {
    type: "earthquake",
    level: 2,
    title: "תרגיל רעידת אדמה — שכונת הגפן",
    communityIds: o.communityIds,
    drill: true,
    note: "תרגיל מחלקתי: סבב שיחות לתושבים בסיכון תוך שעה",
    generateCalls: true,
  });
  const id = declared.id;
  time.at(t(10));
  await assignCallers(manager, id, {
    callers: [
      { userId: worker.actor.userId, languages: ["he", "ar"] },
      { userId: volunteer.actor.userId, languages: ["he", "ru"] },
    ],
    reassignAll: false,
  });
  time.at(t(30));
  // A drill's calls are made for practice: most of them, two not reached.
  const calls = await openCalls(s, id);
  const practised = calls.slice(0, Math.ceil(calls.length * 0.8));
  for (const c of practised.slice(0, 2)) {
    await recordOutcome(callerOf(s, c), c.id, { outcome: "not_reached", note: "" });
  }
  await reachedOk(s, id, practised.slice(2));
  time.at(t(75));
  await addLog(manager, id, {
    kind: "note",
    text: "סבב התרגול הסתיים; זמן ממוצע לשיחה כשלוש דקות",
  });
  time.at(t(90));
  await closeEmergency(manager, id, { version: await version(s, id), note: "סוף התרגיל" });
  await time.apply(s.db, s.departmentId, id);
  await keepSummary(s, id);
  return id;
}
