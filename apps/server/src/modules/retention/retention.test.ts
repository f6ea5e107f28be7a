import { randomUUID } from "node:crypto";
import { and, eq, inArray, isNotNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { schema, startTestServer, type TestServer } from "../../test/harness.ts";
import { runRetention } from "./retention.ts";

let t: TestServer;
let departmentId: string;
const POLICY = { needContactDays: 365, deliveryDays: 180, syncCommandDays: 90 };
const NOW = new Date("2026-11-25T03:15:00Z");
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 24 * 3600 * 1000);

beforeAll(async () => {
  t = await startTestServer();
  const [dept] = await t.database.db.select({ id: schema.departments.id }).from(schema.departments);
  departmentId = dept!.id;
});
afterAll(async () => {
  await t?.close();
});

describe("retention", () => {
  it("removes what has outlived its use and keeps the rest, audited with counts only", async () => {
    const db = t.database.db;
    // Two finished needs with a reporter contact: one finished 400 days ago, one last week;
    // and one still open from long ago (its reporter may still be called back).
    const needs = await db
      .select({ id: schema.needs.id })
      .from(schema.needs)
      .where(eq(schema.needs.departmentId, departmentId))
      .limit(3);
    expect(needs).toHaveLength(3);
    const [oldDone, recentDone, oldOpen] = needs.map((n) => n.id) as [string, string, string];
    const set = async (id: string, status: string, resolvedAt: Date | null) =>
      db
        .update(schema.needs)
        .set({
          status,
          resolvedAt,
          contactEnc: t.app.deps.cipher.encrypt('{"phone":"0501234567"}'),
        })
        .where(and(eq(schema.needs.departmentId, departmentId), eq(schema.needs.id, id)));
    await set(oldDone, "closed", daysAgo(400));
    await set(recentDone, "resolved", daysAgo(7));
    await set(oldOpen, "in_progress", null);

    const oldCommand = randomUUID();
    const newCommand = randomUUID();
    await db.insert(schema.syncCommands).values([
      {
        departmentId,
        id: oldCommand,
        userId: "u",
        deviceId: "d",
        name: "need.create",
        payloadHash: "h",
        result: { status: "ok" },
        appliedAt: daysAgo(100),
      },
      {
        departmentId,
        id: newCommand,
        userId: "u",
        deviceId: "d",
        name: "need.create",
        payloadHash: "h",
        result: { status: "ok" },
        appliedAt: daysAgo(10),
      },
    ]);
    await db.insert(schema.devOutbox).values([
      { channel: "sms", to: "+972500000001", body: "old", createdAt: daysAgo(40) },
      { channel: "sms", to: "+972500000002", body: "new", createdAt: daysAgo(1) },
    ]);
    await db.insert(schema.channelConversations).values({
      departmentId,
      channel: "sms",
      addressHash: "stale",
      stateEnc: t.app.deps.cipher.encrypt("{}"),
      updatedAt: daysAgo(2),
    });

    const result = await runRetention(db, POLICY, NOW);
    expect(result.needContacts).toBeGreaterThanOrEqual(1);
    expect(result.syncCommands).toBeGreaterThanOrEqual(1);
    expect(result.devOutbox).toBeGreaterThanOrEqual(1);
    expect(result.conversations).toBeGreaterThanOrEqual(1);

    const contacts = await db
      .select({ id: schema.needs.id })
      .from(schema.needs)
      .where(
        and(
          inArray(schema.needs.id, [oldDone, recentDone, oldOpen]),
          isNotNull(schema.needs.contactEnc),
        ),
      );
    expect(contacts.map((c) => c.id).sort()).toEqual([recentDone, oldOpen].sort());
    const commands = await db
      .select({ id: schema.syncCommands.id })
      .from(schema.syncCommands)
      .where(inArray(schema.syncCommands.id, [oldCommand, newCommand]));
    expect(commands.map((c) => c.id)).toEqual([newCommand]);
    const outbox = await db
      .select({ body: schema.devOutbox.body })
      .from(schema.devOutbox)
      .where(inArray(schema.devOutbox.to, ["+972500000001", "+972500000002"]));
    expect(outbox.map((o) => o.body)).toEqual(["new"]);

    const [audit] = await db
      .select()
      .from(schema.auditEvents)
      .where(eq(schema.auditEvents.action, "retention.purge"));
    expect(audit?.details).toMatchObject({ needContacts: result.needContacts });
    expect(JSON.stringify(audit)).not.toContain("0501234567");

    // A second run finds nothing more.
    expect(await runRetention(db, POLICY, NOW)).toEqual({
      needContacts: 0,
      deliveries: 0,
      syncCommands: 0,
      conversations: 0,
      devOutbox: 0,
      orphanPhotos: 0,
    });
  });

  it("a survey photo never outlives its answer; one no answer took goes after 7 days", async () => {
    const db = t.database.db;
    const formId = randomUUID();
    await db.insert(schema.forms).values({
      departmentId,
      id: formId,
      title: "photos",
      status: "open",
      definition: {},
    });
    const responseId = randomUUID();
    await db.insert(schema.formResponses).values({
      departmentId,
      id: responseId,
      formId,
      formVersion: 1,
      channel: "paper",
      answers: {},
    });
    const photo = (id: string, createdAt: Date, answer: string | null) => ({
      departmentId,
      id,
      formId,
      responseId: answer,
      contentType: "image/jpeg",
      bytes: 3,
      dataEnc: t.app.deps.cipher.encrypt("AAAA"),
      sha256: id,
      source: "staff",
      createdAt,
    });
    const [oldOrphan, newOrphan, oldAnswered] = [randomUUID(), randomUUID(), randomUUID()];
    await db
      .insert(schema.formPhotos)
      .values([
        photo(oldOrphan, daysAgo(8), null),
        photo(newOrphan, daysAgo(6), null),
        photo(oldAnswered, daysAgo(400), responseId),
      ]);
    const ids = async () =>
      (
        await db
          .select({ id: schema.formPhotos.id })
          .from(schema.formPhotos)
          .where(inArray(schema.formPhotos.id, [oldOrphan, newOrphan, oldAnswered]))
      )
        .map((r) => r.id)
        .sort();

    const result = await runRetention(db, POLICY, NOW);
    expect(result.orphanPhotos).toBe(1);
    expect(await ids()).toEqual([newOrphan, oldAnswered].sort());

    // Whatever deletes an answer takes its photos with it.
    await db
      .delete(schema.formResponses)
      .where(
        and(
          eq(schema.formResponses.departmentId, departmentId),
          eq(schema.formResponses.id, responseId),
        ),
      );
    expect(await ids()).toEqual([newOrphan]);
  });

  it("is scheduled nightly on the job queue", async () => {
    const schedules = await t.app.deps.jobs.getSchedules();
    expect(schedules.map((s) => s.name)).toContain("retention");
  });
});
