import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  Broadcast,
  Emergency,
  EmergencyModeResponse,
  EmergencySummary,
  ResidentEmergencyHistory,
  Review,
} from "@kaveret/contracts";
import { schema, signInManager, startTestServer, type TestServer } from "../../test/harness.ts";
import { and, eq } from "drizzle-orm";

/*
 * The demo department's emergency history (seeded on an empty database, as `npm start`
 * does): a closed winter storm with its call list worked, help requests, offers, a broadcast
 * and the review; a closed drill; and nothing open, so no screen shows the emergency banner.
 */

let t: TestServer;
let manager: Awaited<ReturnType<typeof signInManager>>;
let storm: Emergency;
let drill: Emergency;
let summary: EmergencySummary;
const DAY = 86_400_000;

beforeAll(async () => {
  t = await startTestServer({ SEED_DEMO_EMERGENCIES: "true" });
  manager = await signInManager(t.app);
  const list = (await manager.get("/api/emergency/events")).json() as { items: Emergency[] };
  storm = list.items.find((e) => !e.drill)!;
  drill = list.items.find((e) => e.drill)!;
  summary = (await manager.get(`/api/emergency/events/${storm.id}/summary`)).json();
}, 180_000);

afterAll(async () => {
  await t?.close();
});

describe("demo seed: emergency history", () => {
  it("leaves the department in routine: one closed storm, one closed drill, nothing open", async () => {
    const mode = (await manager.get("/api/emergency/mode")).json() as EmergencyModeResponse;
    expect(mode.mode).toBe("routine");
    expect(mode.emergency).toBeNull();
    const list = (await manager.get("/api/emergency/events")).json() as { items: Emergency[] };
    expect(list.items).toHaveLength(2);
    expect(list.items.every((e) => e.status === "closed")).toBe(true);
    const inEmergency = await t.database.db
      .select({ id: schema.communities.id })
      .from(schema.communities)
      .where(eq(schema.communities.mode, "emergency"));
    expect(inEmergency).toHaveLength(0);

    // Two months ago, over two neighbourhoods, 30 hours long; the drill three weeks ago.
    expect(storm.type).toBe("storm");
    expect(storm.communities.map((c) => c.name).sort()).toEqual(["אל-נור", "רמת הזיתים"]);
    const ago = (iso: string) => (Date.now() - new Date(iso).getTime()) / DAY;
    expect(ago(storm.startedAt)).toBeGreaterThan(59);
    expect(ago(storm.startedAt)).toBeLessThan(63);
    expect(ago(drill.startedAt)).toBeGreaterThan(19);
    expect(ago(drill.startedAt)).toBeLessThan(23);
    expect(summary.durationMinutes).toBe(30 * 60);
  });

  it("keeps a summary whose figures add up: every call answered, escalated or needing help", () => {
    const c = summary.counts;
    expect(c.calls).toBeGreaterThan(5);
    expect(c.pending + c.retry).toBe(0);
    expect(c.reachedOk).toBeGreaterThan(0);
    expect(c.reachedNeedsHelp).toBeGreaterThan(0);
    expect(c.escalated).toBeGreaterThanOrEqual(1);
    expect(c.reachedOk + c.reachedNeedsHelp + c.escalated).toBe(c.calls);
    expect(c.selfReported).toBeGreaterThan(0);
    expect(c.helpCompleted).toBeGreaterThan(0);
    expect(c.helpOpen + c.helpClaimed).toBe(1);
    // The request still open at the close became a routine need, in the queue.
    expect(summary.needsCreated).toHaveLength(1);
    expect(summary.byCommunity).toHaveLength(2);
    expect(summary.byCommunity.reduce((n, b) => n + b.calls, 0)).toBe(c.calls);
    expect(summary.volunteers).toBe(2);
    expect(summary.logEntries).toBeGreaterThanOrEqual(6);
  });

  it("turned the open request into a need, dated at the close", async () => {
    const need = await manager.get(`/api/needs/${summary.needsCreated[0]!.id}`);
    expect(need.statusCode).toBe(200);
    const created = new Date((need.json() as { createdAt: string }).createdAt).getTime();
    expect(Math.abs(created - new Date(storm.closedAt!).getTime())).toBeLessThan(60_000);
  });

  it("has the after-action review and a broadcast with its receipts", async () => {
    const { review } = (await manager.get(`/api/emergency/events/${storm.id}/review`)).json() as {
      review: Review | null;
    };
    expect(review?.whatWorked).not.toBe("");
    expect(review?.actions.length).toBeGreaterThan(0);
    // Written three days after the storm began.
    const after = new Date(review!.createdAt).getTime() - new Date(storm.startedAt).getTime();
    expect(Math.round(after / DAY)).toBe(3);
    const broadcasts = (await manager.get("/api/broadcasts?pageSize=50")).json() as {
      items: { id: string; emergencyId: string | null }[];
    };
    const sent = broadcasts.items.filter((b) => b.emergencyId === storm.id);
    expect(sent).toHaveLength(1);
    const b = (await manager.get(`/api/broadcasts/${sent[0]!.id}`)).json() as Broadcast;
    expect(b.status).toBe("done");
    expect(b.progress.delivered).toBeGreaterThan(0);
    expect(b.progress.sent + b.progress.delivered + b.progress.failed).toBe(b.progress.total);
  });

  it("dates every record of the storm within it (the review after)", async () => {
    const start = new Date(storm.startedAt).getTime();
    const end = new Date(storm.closedAt!).getTime();
    const attempts = await t.database.db
      .select({ at: schema.emergencyCallAttempts.at })
      .from(schema.emergencyCallAttempts)
      .where(eq(schema.emergencyCallAttempts.emergencyId, storm.id));
    const log = await t.database.db
      .select({ at: schema.emergencyLog.at })
      .from(schema.emergencyLog)
      .where(eq(schema.emergencyLog.emergencyId, storm.id));
    const help = await t.database.db
      .select({ at: schema.emergencyHelpRequests.createdAt })
      .from(schema.emergencyHelpRequests)
      .where(eq(schema.emergencyHelpRequests.emergencyId, storm.id));
    const times = [...attempts, ...log, ...help].map((r) => r.at.getTime());
    expect(times.length).toBeGreaterThan(10);
    for (const at of times) {
      expect(at).toBeGreaterThanOrEqual(start);
      expect(at).toBeLessThanOrEqual(end + 1000);
    }
  });

  it("shows in each resident's history: their calls, answers and requests", async () => {
    const [asked] = await t.database.db
      .select({ residentId: schema.emergencyHelpRequests.residentId })
      .from(schema.emergencyHelpRequests)
      .where(
        and(
          eq(schema.emergencyHelpRequests.emergencyId, storm.id),
          eq(schema.emergencyHelpRequests.source, "self"),
        ),
      );
    const history = (
      await manager.get(`/api/emergency/residents/${asked!.residentId}/history`)
    ).json() as ResidentEmergencyHistory;
    const item = history.items.find((i) => i.emergency.id === storm.id);
    expect(item?.selfReports.map((r) => r.answer)).toContain("help");
    expect(item?.helpRequests[0]?.status).toBe("completed");
    expect(item?.call?.outcome).toBe("reached_needs_help");
  });

  it("the drill made no needs and sent nothing", async () => {
    const d = (
      await manager.get(`/api/emergency/events/${drill.id}/summary`)
    ).json() as EmergencySummary;
    expect(d.needsCreated).toHaveLength(0);
    expect(d.counts.reachedOk).toBeGreaterThan(0);
    const links = await t.database.db
      .select({ id: schema.emergencyStatusLinks.residentId })
      .from(schema.emergencyStatusLinks)
      .where(eq(schema.emergencyStatusLinks.emergencyId, drill.id));
    expect(links).toHaveLength(0);
  });
});
