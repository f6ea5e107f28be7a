import { and, inArray, isNotNull, lt, sql } from "drizzle-orm";
import { FORM_PHOTO_LIMITS } from "@kaveret/contracts";
import { schema, type Db } from "@kaveret/db";
import type { JobQueue } from "../../jobs/queue.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { deleteOrphans } from "../forms/form-photos.repository.ts";

/**
 * Retention: personal data is kept as long as the work needs it, then removed by a daily
 * job (SPEC §4 "retention and deletion"). What goes, and after how long (days, from
 * configuration):
 *
 * | what                                                   | after                      |
 * |--------------------------------------------------------|----------------------------|
 * | a need reporter's contact, once the need is finished    | `needContactDays` (365)    |
 * | per-recipient delivery rows of a finished broadcast     | `deliveryDays` (180)       |
 * |   (the broadcast keeps its totals)                      |                            |
 * | answers kept so a device's replayed command changes     | `syncCommandDays` (90)     |
 * |   nothing (a device offline longer re-sends as new)     |                            |
 * | SMS/WhatsApp intake conversations (30-minute state)     | 1 day                      |
 * | a survey photo uploaded for an answer that never came   | FORM_PHOTO_LIMITS          |
 * |   (a photo in an answer goes when its answer goes: the  |   .orphanDays (7)          |
 * |   foreign key from form_photos cascades)                |                            |
 * | the local transport's outbox (development and demo)     | 30 days                    |
 *
 * Records themselves (residents, needs, calls, answers) stay: deleting a person is a
 * decision a manager takes, not a timer. Each run writes one audit row per table with
 * counts only.
 */
export type RetentionPolicy = {
  needContactDays: number;
  deliveryDays: number;
  syncCommandDays: number;
};

export type RetentionResult = {
  needContacts: number;
  deliveries: number;
  syncCommands: number;
  conversations: number;
  devOutbox: number;
  orphanPhotos: number;
};

const DAY = 24 * 3600 * 1000;
const FINISHED_NEED = ["resolved", "closed", "referred"];

export async function runRetention(
  db: Db,
  policy: RetentionPolicy,
  now = new Date(),
): Promise<RetentionResult> {
  const before = (days: number) => new Date(now.getTime() - days * DAY);
  const n = schema.needs;
  const needContacts = (
    await db
      .update(n)
      .set({ contactEnc: null })
      .where(
        and(
          isNotNull(n.contactEnc),
          inArray(n.status, FINISHED_NEED),
          lt(n.resolvedAt, before(policy.needContactDays)),
        ),
      )
      .returning({ id: n.id })
  ).length;

  const b = schema.broadcasts;
  const d = schema.broadcastDeliveries;
  const deliveries = (
    await db
      .delete(d)
      .where(
        sql`(${d.departmentId}, ${d.broadcastId}) in (select ${b.departmentId}, ${b.id} from ${b} where ${b.status} in ('done', 'cancelled') and ${b.finishedAt} < ${before(policy.deliveryDays)})`,
      )
      .returning({ id: d.id })
  ).length;

  const c = schema.syncCommands;
  const syncCommands = (
    await db
      .delete(c)
      .where(lt(c.appliedAt, before(policy.syncCommandDays)))
      .returning({ id: c.id })
  ).length;

  const conv = schema.channelConversations;
  const conversations = (
    await db
      .delete(conv)
      .where(lt(conv.updatedAt, before(1)))
      .returning({ updatedAt: conv.updatedAt })
  ).length;

  const o = schema.devOutbox;
  const devOutbox = (
    await db
      .delete(o)
      .where(lt(o.createdAt, before(30)))
      .returning({ id: o.id })
  ).length;

  const orphanPhotos = await deleteOrphans(db, before(FORM_PHOTO_LIMITS.orphanDays));

  const result = { needContacts, deliveries, syncCommands, conversations, devOutbox, orphanPhotos };
  if (Object.values(result).some((x) => x > 0)) {
    await recordAudit(db, {
      departmentId: null,
      actorUserId: null,
      actorRole: "system",
      requestId: null,
      action: "retention.purge",
      entityType: "retention",
      details: { ...result, policy },
    });
  }
  return result;
}

export const RETENTION_QUEUE = "retention";

/** Runs the purge every night at 03:15 (Jerusalem), on whichever instance takes the job. */
export async function scheduleRetention(
  jobs: JobQueue,
  db: Db,
  policy: RetentionPolicy,
  onError: (err: unknown, where: string) => void,
): Promise<void> {
  await jobs.createQueue(RETENTION_QUEUE, { retryLimit: 2, retryDelay: 600 });
  await jobs.schedule(RETENTION_QUEUE, "15 3 * * *", {}, { tz: "Asia/Jerusalem" });
  await jobs.work(RETENTION_QUEUE, { pollingIntervalSeconds: 60 }, async () => {
    await runRetention(db, policy).catch((err: unknown) => {
      onError(err, "retention");
      throw err;
    });
  });
}
