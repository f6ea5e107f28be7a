import { flagToken, type Db, type DbOrTx, type FieldCipher } from "@kaveret/db";
import {
  BROADCAST_LIMITS,
  STATUS_LINK_PLACEHOLDER,
  type BroadcastChannel,
  type BroadcastLanguage,
  type BroadcastMessages,
} from "@kaveret/contracts";
import type { EventBus } from "../../events/bus.ts";
import { inTransaction, type JobQueue } from "../../jobs/queue.ts";
import { TransportError, type MessageTransport } from "../../messaging/transport.ts";
import { PushPool, type PushMessage } from "../../push/push-pool.ts";
import { VapidCache, type VapidKeys } from "../../push/vapid.ts";
import * as repo from "./broadcasts.repository.ts";
import * as areaRepo from "./area-alerts.repository.ts";
import { reachesAreaSubscribers } from "./area-alerts.service.ts";
import { publishProgress } from "./broadcasts.live.ts";
import {
  chooseChannels,
  fallbackLanguage,
  fillStatusLink,
  messageLanguages,
  ReceiptTokens,
  type StatusLinkFn,
} from "./broadcasts.texts.ts";

/**
 * The broadcast fan-out on the job queue (pg-boss):
 *
 *   confirm ──(job in the same transaction)──► broadcast-fanout: the audience in pages of
 *   2,000 residents (resident id order); per page, one transaction writes the deliveries and
 *   the send jobs for them (≤ 500 per job, one channel each) — a retried fan-out resumes
 *   after the last resident written, and sending starts with the first page.
 *   broadcast-send: one batch over one channel. Web push: encrypted and POSTed in worker
 *   threads with the VAPID header signed once per push-service origin; 404/410 delete the
 *   subscription. SMS and e-mail through the message transport; in-app as stored
 *   notifications. Outcomes and counters in one statement, then a progress event. A send
 *   refused for a passing reason (push service busy or down, SMS/e-mail provider unreachable)
 *   leaves the delivery queued: the batch runs again after 20 s, then 60 s; after the third
 *   try it is a failure. Delivery is at least once: a batch cut off by a crash is sent again
 *   (the device shows a repeated push once — same tag — an SMS may come twice).
 *
 * Quiet hours: confirm sets deferredUntil (not for urgent emergency broadcasts); push and
 * SMS jobs then start after it, e-mail and in-app go at once.
 */

export const FANOUT_QUEUE = "broadcast-fanout";
export const SEND_QUEUE = "broadcast-send";
const PAGE = 2000;
/** The first page is small, so the first messages leave while the rest is written. */
const FIRST_PAGE = 250;

export type FanoutJob = { departmentId: string; broadcastId: string };
export type SendJob = {
  departmentId: string;
  broadcastId: string;
  channel: BroadcastChannel;
  fromId: number;
  toId: number;
};

export type BroadcastRuntimeDeps = {
  db: Db;
  events: EventBus;
  jobs: JobQueue;
  transport: MessageTransport;
  cipher: FieldCipher;
  vapid: VapidKeys;
  authSecret: string;
  /** The server's public address, for providers' delivery callbacks. */
  publicUrl: string;
  /** Seconds before refused-for-now sends are tried again (3× that the time after). */
  retrySeconds?: number | undefined;
  /** Fills {statusLink} per recipient; none: the placeholder is removed. */
  statusLink?: StatusLinkFn | undefined;
  /** Worker threads for push (default: one per core, at most 4). */
  pushWorkers?: number | undefined;
  /** Start the push workers now (production), not with the first broadcast. */
  prewarmPush?: boolean | undefined;
  onError?: (err: unknown, where: string) => void;
};

export type BroadcastRuntime = {
  vapid: VapidCache;
  publicKey: string;
  tokens: ReceiptTokens;
  receipts: ReceiptBuffer;
  jobs: JobQueue;
  /** Replaces the function filling {statusLink} per recipient on this instance (null: back to the one it started with). */
  setStatusLink(fn: StatusLinkFn | null): void;
  /** Enqueues the fan-out inside the caller's transaction (it runs only if that commits). */
  enqueueFanout(tx: DbOrTx, job: FanoutJob): Promise<void>;
  close(): Promise<void>;
};

/** Starts the queues' workers on this instance. */
export async function startBroadcasts(deps: BroadcastRuntimeDeps): Promise<BroadcastRuntime> {
  const vapid = new VapidCache(deps.vapid);
  const tokens = new ReceiptTokens(deps.authSecret);
  let pool: PushPool | null = null;
  const push = () => (pool ??= new PushPool(deps.pushWorkers));
  // Starting worker threads takes a moment: in production they wait ready, elsewhere (tests,
  // development) they start when a fan-out begins, before its first send batch.
  if (deps.prewarmPush) push();
  const receipts = new ReceiptBuffer(deps.db, deps.events, deps.onError);
  const ctx: SendContext = { ...deps, vapidCache: vapid, tokens, push };

  const { jobs } = deps;
  // Logged (no personal data: the error's message only), then rethrown so pg-boss retries.
  const report = (where: string) => (err: unknown) => {
    deps.onError?.(err, `broadcast ${where}`);
    throw err;
  };
  await jobs.createQueue(FANOUT_QUEUE, { retryLimit: 5, retryDelay: 5, notify: true });
  await jobs.createQueue(SEND_QUEUE, { retryLimit: 3, retryDelay: 10, notify: true });
  // NOTIFY wakes a worker at once; the short backstop polls pick up what a wake-up missed
  // (several jobs committed together wake one fetch). A full batch fetches again at once.
  await jobs.work<FanoutJob>(
    FANOUT_QUEUE,
    { localConcurrency: 1, pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 2 },
    async (batch) => {
      for (const job of batch) await fanOut(ctx, job.data).catch(report("fanout"));
    },
  );
  // Both jobs of a fetched pair run at once. A batch is idempotent (only queued deliveries
  // are sent), so a retried pair is safe.
  await jobs.work<SendJob>(
    SEND_QUEUE,
    {
      localConcurrency: 3,
      batchSize: 2,
      burstWhenBatchFull: true,
      pollingIntervalSeconds: 1,
      notifyPollingIntervalSeconds: 1,
    },
    async (batch) => {
      await Promise.all(batch.map((job) => sendBatch(ctx, job.data).catch(report("send"))));
    },
  );

  return {
    vapid,
    publicKey: deps.vapid.publicKey,
    tokens,
    receipts,
    jobs,
    setStatusLink(fn) {
      ctx.statusLink = fn ?? deps.statusLink;
    },
    async enqueueFanout(tx, job) {
      await jobs.send(FANOUT_QUEUE, job, {
        singletonKey: job.broadcastId,
        db: inTransaction(tx),
      });
    },
    async close() {
      await jobs.offWork(FANOUT_QUEUE).catch(() => undefined);
      await jobs.offWork(SEND_QUEUE).catch(() => undefined);
      await receipts.close();
      await pool?.close();
    },
  };
}

type SendContext = BroadcastRuntimeDeps & {
  vapidCache: VapidCache;
  tokens: ReceiptTokens;
  push: () => PushPool;
};

/** Writes the deliveries page by page, each page with its send jobs in one transaction. */
export async function fanOut(ctx: SendContext, job: FanoutJob): Promise<void> {
  const { db } = ctx;
  const b = await repo.findBroadcast(db, job.departmentId, job.broadcastId);
  if (!b || b.status !== "confirmed") return;
  if (b.channels.includes("web_push")) ctx.push();
  const messages = b.messages as BroadcastMessages;
  const langs = messageLanguages(messages);
  const fallback = fallbackLanguage(messages);
  const filter: repo.AudienceFilter = {
    departmentId: b.departmentId,
    communityIds: b.audience.communityIds,
    languages: b.audience.languages,
    flagTokens: b.audience.flags.map((f) => flagToken(ctx.cipher, b.departmentId, f)),
    consents: b.audience.consents,
  };
  const channels = b.channels as BroadcastChannel[];
  const mode = b.channelMode as "all" | "first";
  const deferred = new Set<BroadcastChannel>(b.deferredUntil ? ["web_push", "sms"] : []);
  /** Writes a page of deliveries and their send jobs in one transaction. */
  const writePage = async (rows: repo.NewDelivery[]) => {
    const counters = await db.transaction(async (tx) => {
      const inserted = await repo.insertDeliveries(tx, b.departmentId, b.id, rows);
      const sendJobs = batchesOf(inserted).map((x) => ({
        data: { departmentId: b.departmentId, broadcastId: b.id, ...x } satisfies SendJob,
        ...(deferred.has(x.channel) && b.deferredUntil ? { startAfter: b.deferredUntil } : {}),
      }));
      if (sendJobs.length) {
        await ctx.jobs.insert(SEND_QUEUE, sendJobs, { db: inTransaction(tx) });
      }
      return repo.countersOf(tx, b.departmentId, b.id);
    });
    if (counters) publishProgress(ctx.events, counters);
  };
  let after = await repo.lastFannedOut(db, b.departmentId, b.id);
  for (let n = 0; ; n++) {
    const size = n === 0 ? FIRST_PAGE : PAGE;
    const page = await repo.audiencePage(db, filter, langs, fallback, after, size);
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    const rows: repo.NewDelivery[] = [];
    for (const rec of page) {
      const chosen = chooseChannels(channels, mode, {
        push: rec.subs.length,
        phone: rec.has_phone,
        email: rec.has_email,
        user: rec.has_user,
      });
      for (const channel of chosen) {
        if (channel === "web_push") {
          for (const sub of rec.subs) {
            rows.push({
              resident_id: rec.id,
              subscription_id: sub.id,
              channel,
              // The device's own language when the broadcast has it.
              language: (langs as string[]).includes(sub.language) ? sub.language : rec.language,
            });
          }
        } else {
          rows.push({
            resident_id: rec.id,
            subscription_id: null,
            channel,
            language: rec.language,
          });
        }
      }
    }
    await writePage(rows);
    if (page.length < size) break;
  }
  // Phones subscribed to the area without an account: an emergency's push only, never with
  // flags (no record to match), their community within the audience's, their language.
  const realEmergency = await areaRepo.isRealEmergency(db, b.departmentId, b.emergencyId);
  if (reachesAreaSubscribers({ realEmergency, channels, flags: b.audience.flags })) {
    const area: areaRepo.AreaFilter = {
      departmentId: b.departmentId,
      communityIds: b.audience.communityIds,
      languages: b.audience.languages,
    };
    let afterSub = await areaRepo.lastAreaFannedOut(db, b.departmentId, b.id);
    for (;;) {
      const page = await areaRepo.areaPage(db, area, afterSub, PAGE);
      if (page.length === 0) break;
      afterSub = page[page.length - 1]!.id;
      await writePage(
        page.map((sub) => ({
          resident_id: null,
          subscription_id: sub.id,
          channel: "web_push" as const,
          language: (langs as string[]).includes(sub.language) ? sub.language : fallback,
        })),
      );
      if (page.length < PAGE) break;
    }
  }
  const sending = await repo.markSending(db, b.departmentId, b.id);
  const done = await repo.finishIfDone(db, b.departmentId, b.id);
  const last = done ?? sending;
  if (last) publishProgress(ctx.events, last);
}

/** Contiguous runs of ≤ 500 ids per channel (a send job's range). */
export function batchesOf(
  inserted: { id: number; channel: BroadcastChannel }[],
): { channel: BroadcastChannel; fromId: number; toId: number }[] {
  const byChannel = new Map<BroadcastChannel, number[]>();
  for (const x of inserted) {
    const list = byChannel.get(x.channel) ?? [];
    list.push(x.id);
    byChannel.set(x.channel, list);
  }
  const out: { channel: BroadcastChannel; fromId: number; toId: number }[] = [];
  for (const [channel, ids] of byChannel) {
    ids.sort((a, b) => a - b);
    for (let i = 0; i < ids.length; i += BROADCAST_LIMITS.batch) {
      const part = ids.slice(i, i + BROADCAST_LIMITS.batch);
      out.push({ channel, fromId: part[0]!, toId: part[part.length - 1]! });
    }
  }
  // Push first: it is the fastest channel and the one emergencies rely on.
  return out.sort((a, b) => Number(b.channel === "web_push") - Number(a.channel === "web_push"));
}

const textOf = (
  messages: BroadcastMessages,
  language: BroadcastLanguage,
): { title: string; body: string } => {
  const m = messages[language] ?? messages[fallbackLanguage(messages)];
  return { title: m?.title ?? "", body: m?.body ?? "" };
};

/** Sends one batch over one channel and records what happened. */
export async function sendBatch(ctx: SendContext, job: SendJob): Promise<void> {
  const { db } = ctx;
  const b = await repo.findBroadcast(db, job.departmentId, job.broadcastId);
  if (!b || b.status === "cancelled" || b.status === "draft") return;
  const messages = b.messages as BroadcastMessages;
  const wantsLink = Object.values(messages).some(
    (m) => m && `${m.title ?? ""} ${m.body}`.includes(STATUS_LINK_PLACEHOLDER),
  );
  // The batch's links, fetched once before its messages are rendered.
  let links = new Map<number, string | null>();
  const prepareLinks = async (
    targets: { id: number; resident_id: string | null; language: BroadcastLanguage }[],
  ) => {
    if (!wantsLink || !ctx.statusLink || targets.length === 0) return;
    const urls = await ctx.statusLink(
      targets.map((t) => ({
        departmentId: b.departmentId,
        broadcastId: b.id,
        emergencyId: b.emergencyId,
        deliveryId: t.id,
        residentId: t.resident_id,
        channel: job.channel,
        language: t.language,
      })),
    );
    links = new Map(targets.map((t, i) => [t.id, urls[i] ?? null]));
  };
  const render = (id: number, language: BroadcastLanguage) => {
    const t = textOf(messages, language);
    const url = links.get(id) ?? null;
    return { title: fillStatusLink(t.title, url), body: fillStatusLink(t.body, url), url };
  };
  const outcomes: repo.Outcome[] = [];

  if (job.channel === "web_push") {
    const targets = await repo.queuedPush(db, b.departmentId, b.id, job.fromId, job.toId);
    // Area subscribers (no resident) have no status page: {statusLink} is removed for them.
    await prepareLinks(targets.filter((t) => t.endpoint && t.p256dh && t.auth && t.resident_id));
    const sendable: { target: repo.PushTarget; message: PushMessage }[] = [];
    for (const t of targets) {
      if (!t.endpoint || !t.p256dh || !t.auth) {
        outcomes.push({ id: t.id, status: "skipped", error: "unsubscribed" });
        continue;
      }
      const text = render(t.id, t.language);
      const payload = JSON.stringify({
        title: text.title,
        body: text.body,
        // An area subscriber's tap opens the alerts page (they have no status page).
        url: text.url ?? (t.resident_id ? null : `/alerts/${b.departmentId}`),
        tag: b.id,
        urgent: b.urgent,
        ack: ctx.tokens.sign({ departmentId: b.departmentId, broadcastId: b.id, deliveryId: t.id }),
      });
      sendable.push({
        target: t,
        message: {
          endpoint: t.endpoint,
          p256dh: t.p256dh,
          auth: t.auth,
          payload,
          authorization: ctx.vapidCache.headerFor(t.endpoint),
          ttl: b.urgent ? 6 * 3600 : 24 * 3600,
          urgency: b.urgent ? "high" : "normal",
        },
      });
    }
    const results = await ctx.push().send(sendable.map((s) => s.message));
    const gone: string[] = [];
    const alive: string[] = [];
    sendable.forEach(({ target }, i) => {
      const r = results[i] ?? { status: 0, error: "stopped" };
      if (r.status >= 200 && r.status < 300) {
        outcomes.push({ id: target.id, status: "sent", error: null });
        alive.push(target.subscription_id!);
      } else if (r.status === 404 || r.status === 410) {
        outcomes.push({ id: target.id, status: "failed", error: "gone" });
        gone.push(target.subscription_id!);
      } else {
        outcomes.push({
          id: target.id,
          // Busy (429), a server error or no answer: tried again later; anything else is final.
          status: pushRetryable(r) ? "retry" : "failed",
          error: r.status ? `http_${r.status}` : (r.error ?? "network"),
        });
      }
    });
    await repo.deleteSubscriptions(db, b.departmentId, gone);
    await repo.touchSubscriptions(db, b.departmentId, alive);
  } else if (job.channel === "in_app") {
    const targets = await repo.queuedAddressed(
      db,
      b.departmentId,
      b.id,
      job.channel,
      job.fromId,
      job.toId,
    );
    await prepareLinks(targets);
    const rows: Parameters<typeof repo.insertNotifications>[3] = [];
    for (const t of targets) {
      if (!t.user_id) {
        outcomes.push({ id: t.id, status: "skipped", error: "no_address" });
        continue;
      }
      const text = render(t.id, t.language);
      rows.push({
        user_id: t.user_id,
        resident_id: t.resident_id,
        title: text.title || b.title,
        body: text.body,
      });
      outcomes.push({ id: t.id, status: "delivered", error: null });
    }
    await repo.insertNotifications(db, b.departmentId, b.id, rows);
  } else {
    const channel = job.channel;
    const targets = await repo.queuedAddressed(
      db,
      b.departmentId,
      b.id,
      channel,
      job.fromId,
      job.toId,
    );
    await prepareLinks(targets);
    const queue = [...targets];
    const workers = Array.from({ length: 8 }, async () => {
      for (let t = queue.shift(); t; t = queue.shift()) {
        const to = channel === "sms" ? t.phone : t.email;
        if (!to) {
          outcomes.push({ id: t.id, status: "skipped", error: "no_address" });
          continue;
        }
        const text = render(t.id, t.language);
        const token = ctx.tokens.sign({
          departmentId: b.departmentId,
          broadcastId: b.id,
          deliveryId: t.id,
        });
        try {
          await ctx.transport.send({
            channel,
            to,
            subject: text.title || b.title,
            body: text.body,
            // The SMS provider reports delivery there (the token names this delivery only).
            ...(channel === "sms"
              ? { statusCallback: `${ctx.publicUrl}/api/broadcasts/receipts/sms?token=${token}` }
              : {}),
          });
          outcomes.push({ id: t.id, status: "sent", error: null });
        } catch (err) {
          // A provider that was busy or unreachable is tried again later; a refusal is final.
          const retry = !(err instanceof TransportError) || err.retryable;
          outcomes.push({ id: t.id, status: retry ? "retry" : "failed", error: "transport" });
        }
      }
    });
    await Promise.all(workers);
  }

  const recorded = await repo.recordOutcomes(db, b.departmentId, b.id, outcomes);
  if (recorded && recorded.retrying > 0) {
    // The same range again later: only its deliveries still queued are sent.
    await ctx.jobs.send(SEND_QUEUE, job, {
      startAfter: retryDelaySeconds(recorded.attempt, ctx.retrySeconds),
    });
  }
  const done = await repo.finishIfDone(db, b.departmentId, b.id);
  const last = done ?? recorded;
  if (last) publishProgress(ctx.events, last);
}

/** A push service's answer worth trying again: busy, its own error, or none at all. */
export function pushRetryable(r: { status: number; error: string | null }): boolean {
  if (r.status === 0) return r.error !== "bad_keys";
  return r.status === 429 || r.status >= 500;
}

/** Seconds before another try of a batch whose deliveries were tried `attempt` times (20, 60). */
export function retryDelaySeconds(attempt: number, base = 20): number {
  return base * 3 ** Math.max(0, attempt - 1);
}

/**
 * Receipts arrive one per device: they are buffered and written together (one statement per
 * ~50 ms), so an emergency's acknowledgements do not cost a transaction each.
 */
export class ReceiptBuffer {
  private pending: repo.Receipt[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly events: EventBus,
    private readonly onError?: (err: unknown, where: string) => void,
  ) {}

  add(receipts: repo.Receipt[]): void {
    this.pending.push(...receipts);
    if (this.pending.length >= 2000) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), 50);
  }

  /** Writes what is buffered (and waits for a write in progress). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    this.flushing = this.flushing.then(async () => {
      if (batch.length === 0) return;
      try {
        const changed = await repo.applyReceipts(this.db, batch);
        for (const c of changed) publishProgress(this.events, c);
      } catch (err) {
        this.onError?.(err, "receipts");
      }
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    await this.flush();
  }
}
