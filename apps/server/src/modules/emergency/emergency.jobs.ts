import { and, eq, inArray } from "drizzle-orm";
import { schema, type Db, type DbOrTx, type FieldCipher } from "@kaveret/db";
import { inTransaction, type JobQueue } from "../../jobs/queue.ts";
import type { MessageTransport } from "../../messaging/transport.ts";
import * as repo from "./emergency.repository.ts";
import { departmentNameIn, statusLocaleFor, statusMessage } from "./status-page.ts";
import { newStatusLinkRows } from "./status-links.ts";

/**
 * The residents' status-page links go out by SMS from the job queue, not inside the
 * manager's "declare" request: a town-wide list is thousands of messages. The job is
 * queued in the declaring transaction (it exists only if the emergency does); it names
 * residents only by id — phones are read from their records when it runs, links made then —
 * and sends each link once (a retried job skips links already sent). Never in a drill, and not
 * after the emergency closed.
 */
export const STATUS_LINKS_QUEUE = "emergency-status-links";
const CHUNK = 200;

export type StatusLinksJob = { departmentId: string; emergencyId: string; residentIds: string[] };

export type EmergencyJobDeps = {
  db: Db;
  jobs: JobQueue;
  cipher: FieldCipher;
  transport: MessageTransport;
  /** The address residents open (PUBLIC_URL). */
  publicUrl: string;
  onError?: (err: unknown, where: string) => void;
};

export async function startEmergencyJobs(deps: EmergencyJobDeps): Promise<void> {
  await deps.jobs.createQueue(STATUS_LINKS_QUEUE, { retryLimit: 3, retryDelay: 10, notify: true });
  await deps.jobs.work<StatusLinksJob>(
    STATUS_LINKS_QUEUE,
    { localConcurrency: 1, pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 2 },
    async (batch) => {
      for (const job of batch) {
        await sendStatusLinksJob(deps, job.data).catch((err: unknown) => {
          deps.onError?.(err, "emergency status links");
          throw err;
        });
      }
    },
  );
}

/** Queues the links of these residents inside the caller's transaction; answers how many. */
export async function queueStatusLinks(
  tx: DbOrTx,
  jobs: JobQueue,
  emergency: { departmentId: string; id: string; drill: boolean },
  residentIds: string[],
): Promise<number> {
  if (emergency.drill || residentIds.length === 0) return 0;
  // One statement for every chunk (a town is dozens of jobs; one send each took seconds).
  const chunks: { data: StatusLinksJob }[] = [];
  for (let i = 0; i < residentIds.length; i += CHUNK) {
    chunks.push({
      data: {
        departmentId: emergency.departmentId,
        emergencyId: emergency.id,
        residentIds: residentIds.slice(i, i + CHUNK),
      },
    });
  }
  await jobs.insert(STATUS_LINKS_QUEUE, chunks, { db: inTransaction(tx) });
  return residentIds.length;
}

/**
 * Sends the links of one chunk not sent yet; answers how many went out. The links are made
 * here, for those who may get one (not in the declaring transaction: a town-wide list is
 * thousands of tokens to make and encrypt); a resident who has one keeps it.
 */
export async function sendStatusLinksJob(
  deps: Pick<EmergencyJobDeps, "db" | "cipher" | "transport" | "publicUrl">,
  job: StatusLinksJob,
): Promise<number> {
  const { db, cipher, transport } = deps;
  const emergency = await repo.findEmergency(db, job.departmentId, job.emergencyId);
  if (!emergency || emergency.drill || emergency.status !== "active") return 0;
  const people = await db
    .select({
      id: schema.residents.id,
      phone: schema.residents.phone,
      languages: schema.residents.languages,
      consents: schema.residents.consents,
    })
    .from(schema.residents)
    .where(
      and(
        eq(schema.residents.departmentId, job.departmentId),
        inArray(schema.residents.id, job.residentIds),
      ),
    );
  // Consent may have been withdrawn since the list was made: it takes effect at once.
  const reachable = people.filter((p) => p.phone && p.consents.includes("emergency_contact"));
  if (reachable.length === 0) return 0;
  const ids = reachable.map((p) => p.id);
  const known = new Set(
    (await repo.linksOf(db, job.departmentId, job.emergencyId, ids)).map((l) => l.residentId),
  );
  await repo.insertLinks(
    db,
    job.departmentId,
    newStatusLinkRows(
      cipher,
      job.emergencyId,
      ids.filter((id) => !known.has(id)),
    ),
  );
  const links = (await repo.linksOf(db, job.departmentId, job.emergencyId, ids)).filter(
    (l) => l.sentAt === null,
  );
  if (links.length === 0) return 0;
  const [dept] = await db
    .select({ name: schema.departments.name, altNames: schema.departments.altNames })
    .from(schema.departments)
    .where(eq(schema.departments.id, job.departmentId));
  const byId = new Map(reachable.map((p) => [p.id, p]));
  const { publicUrl } = deps;
  let sent = 0;
  for (const link of links) {
    const person = byId.get(link.residentId);
    if (!person?.phone) continue;
    const url = `${publicUrl}/ok/${cipher.decrypt(link.tokenEnc)}`;
    const locale = statusLocaleFor(person.languages);
    try {
      await transport.send({
        channel: "sms",
        to: person.phone,
        body: statusMessage(locale, {
          department: dept ? departmentNameIn(locale, dept) : "",
          link: url,
        }),
      });
    } catch {
      // A failed message is not fatal: the resident is still on the call list.
      continue;
    }
    // One at a time: a job retried after a crash does not send the same link twice.
    await repo.markLinksSent(db, job.departmentId, job.emergencyId, [link.residentId]);
    sent += 1;
  }
  return sent;
}
