import { and, eq, sql } from "drizzle-orm";
import { flagToken, schema } from "@kaveret/db";
import {
  BROADCAST_CHANNELS,
  type Broadcast,
  type BroadcastChannel,
  type BroadcastDryRun,
  type BroadcastDryRunBody,
  type BroadcastLanguage,
  type BroadcastMessages,
  type BroadcastSettings,
  type CreateBroadcastBody,
  type PushSubscriptionBody,
  type UpdateBroadcastBody,
} from "@kaveret/contracts";
import { departmentOf, type RequestContext } from "../../lib/context.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import { authorize, can, type BroadcastTarget } from "../../policy/policy.ts";
import { hasRole } from "../../policy/actor.ts";
import { auditFor, recordAudit } from "../audit/audit.service.ts";
import * as communities from "../communities/communities.repository.ts";
import { subtreeIds } from "../residents/residents.scope.ts";
import { rowsOf } from "../../lib/sql.ts";
import * as repo from "./broadcasts.repository.ts";
import * as areaRepo from "./area-alerts.repository.ts";
import { reachesAreaSubscribers } from "./area-alerts.service.ts";
import type { BroadcastRuntime } from "./broadcasts.jobs.ts";
import {
  presentBroadcast,
  presentDelivery,
  presentListItem,
  presentNotification,
} from "./broadcasts.presenter.ts";
import {
  fallbackLanguage,
  fillStatusLink,
  messageLanguages,
  quietUntil,
  smsParts,
} from "./broadcasts.texts.ts";

/* ------------------------------------------------------------------ */
/* Targets and validation.                                              */
/* ------------------------------------------------------------------ */

async function targetOf(
  ctx: RequestContext,
  departmentId: string,
  communityIds: string[],
  createdBy: string | null,
): Promise<BroadcastTarget> {
  const chains = await communities.ancestorChains(ctx.db, departmentId, communityIds);
  const missing = communityIds.filter((id) => !chains.has(id));
  if (missing.length) {
    throw new AppError("broadcast.community_not_allowed", 400, "No such community", {
      path: ["audience", "communityIds"],
      ids: missing,
    });
  }
  return {
    departmentId,
    communityChains: communityIds.map((id) => chains.get(id)!),
    createdBy,
  };
}

function assertAllowed(ctx: RequestContext, target: BroadcastTarget) {
  if (!can(ctx.actor, { type: "broadcast.write", target })) {
    throw new AppError(
      hasRole(ctx.actor, "community_worker") ? "broadcast.community_not_allowed" : "forbidden",
      403,
      "You may broadcast only to your own communities",
      { path: ["audience", "communityIds"] },
    );
  }
}

/** The emergency a broadcast belongs to, in the department, or a 400 naming the field. */
async function emergencyOf(ctx: RequestContext, departmentId: string, id: string | null) {
  if (!id) return null;
  const [row] = await ctx.db
    .select({
      id: schema.emergencies.id,
      drill: schema.emergencies.drill,
      status: schema.emergencies.status,
    })
    .from(schema.emergencies)
    .where(and(eq(schema.emergencies.departmentId, departmentId), eq(schema.emergencies.id, id)));
  if (!row) {
    throw new AppError(
      "broadcast.emergency_not_found",
      400,
      "No such emergency in the department",
      {
        path: ["emergencyId"],
      },
    );
  }
  return row;
}

function assertUrgent(body: { urgent?: boolean; emergencyId?: string | null }) {
  if (body.urgent && !body.emergencyId) {
    throw new AppError(
      "broadcast.urgent_needs_emergency",
      400,
      "Only a broadcast of an emergency event may be urgent",
      { path: ["urgent"] },
    );
  }
}

async function load(ctx: RequestContext, id: string) {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "broadcast.list" });
  const row = await repo.findBroadcast(ctx.db, departmentId, id);
  if (!row) throw notFound("broadcast");
  const target = await targetOf(ctx, departmentId, row.communityIds, row.createdBy);
  if (!can(ctx.actor, { type: "broadcast.read", target })) throw notFound("broadcast");
  return { row, target, departmentId };
}

const filterOf = (
  ctx: RequestContext,
  departmentId: string,
  a: { communityIds: string[]; languages: string[]; flags: string[]; consents: string[] },
): repo.AudienceFilter => ({
  departmentId,
  communityIds: a.communityIds,
  languages: a.languages,
  flagTokens: a.flags.map((f) => flagToken(ctx.cipher, departmentId, f)),
  consents: a.consents,
});

/* ------------------------------------------------------------------ */
/* Compose.                                                             */
/* ------------------------------------------------------------------ */

export async function listBroadcasts(
  ctx: RequestContext,
  q: { status?: string | undefined; page: number; pageSize: number },
) {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "broadcast.list" });
  const reach = hasRole(ctx.actor, "manager")
    ? null
    : { userId: ctx.actor.userId, communityIds: await reachOf(ctx, departmentId) };
  const { items, total } = await repo.listBroadcasts(ctx.db, departmentId, q, reach);
  return {
    items: items.map((x) => presentListItem(x.row, x.createdByName)),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

/** Every community inside a community worker's assigned ones (their reach). */
async function reachOf(ctx: RequestContext, departmentId: string): Promise<string[]> {
  if (ctx.actor.communityIds.length === 0) return [];
  const rows = rowsOf<{ id: string }>(
    await ctx.db.execute(subtreeIds(departmentId, ctx.actor.communityIds)),
  );
  return rows.map((r) => r.id);
}

export async function getBroadcast(ctx: RequestContext, id: string): Promise<Broadcast> {
  const { row, target } = await load(ctx, id);
  return present(ctx, row, target);
}

async function present(
  ctx: RequestContext,
  row: repo.BroadcastRow,
  target: BroadcastTarget,
): Promise<Broadcast> {
  const [names, counts] = await Promise.all([
    repo.userNames(ctx.db, [row.createdBy, row.confirmedBy]),
    repo.statusCounts(ctx.db, row.departmentId, row.id),
  ]);
  const write = can(ctx.actor, { type: "broadcast.write", target });
  return presentBroadcast(row, names, counts, {
    edit: write && row.status === "draft",
    confirm: write && row.status === "draft",
    cancel:
      write && (row.status === "draft" || row.status === "confirmed" || row.status === "sending"),
  });
}

export async function createBroadcast(ctx: RequestContext, body: CreateBroadcastBody) {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "broadcast.list" });
  assertUrgent(body);
  await emergencyOf(ctx, departmentId, body.emergencyId ?? null);
  const communityIds = [...new Set(body.audience.communityIds)];
  const target = await targetOf(ctx, departmentId, communityIds, ctx.actor.userId);
  assertAllowed(ctx, target);
  const id = crypto.randomUUID();
  await ctx.db.transaction(async (tx) => {
    await tx.insert(schema.broadcasts).values({
      departmentId,
      id,
      title: body.title,
      audience: { ...body.audience, communityIds },
      communityIds,
      channels: [...new Set(body.channels)],
      channelMode: body.channelMode,
      messages: body.messages,
      emergencyId: body.emergencyId,
      urgent: body.urgent,
      createdBy: ctx.actor.userId,
    });
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: "broadcast.create",
        entityType: "broadcast",
        entityId: id,
        details: { channels: body.channels, emergencyId: body.emergencyId, urgent: body.urgent },
      }),
    );
  });
  return getBroadcast(ctx, id);
}

export async function updateBroadcast(ctx: RequestContext, id: string, body: UpdateBroadcastBody) {
  const { row, departmentId } = await load(ctx, id);
  if (row.status !== "draft") {
    throw new AppError("broadcast.not_draft", 409, "Only a draft can be changed");
  }
  const next = {
    emergencyId: body.emergencyId === undefined ? row.emergencyId : body.emergencyId,
    urgent: body.urgent ?? row.urgent,
  };
  assertUrgent(next);
  await emergencyOf(ctx, departmentId, next.emergencyId ?? null);
  const audience = body.audience
    ? { ...body.audience, communityIds: [...new Set(body.audience.communityIds)] }
    : row.audience;
  const target = await targetOf(ctx, departmentId, audience.communityIds, row.createdBy);
  assertAllowed(ctx, target);
  await ctx.db.transaction(async (tx) => {
    const changed = await tx
      .update(schema.broadcasts)
      .set({
        ...(body.title !== undefined ? { title: body.title } : {}),
        ...(body.channels ? { channels: [...new Set(body.channels)] } : {}),
        ...(body.channelMode ? { channelMode: body.channelMode } : {}),
        ...(body.messages ? { messages: body.messages } : {}),
        audience,
        communityIds: audience.communityIds,
        ...next,
        version: sql`${schema.broadcasts.version} + 1`,
        updatedAt: new Date(),
      })
      .where(
        and(
          eq(schema.broadcasts.departmentId, departmentId),
          eq(schema.broadcasts.id, id),
          eq(schema.broadcasts.status, "draft"),
        ),
      )
      .returning({ id: schema.broadcasts.id });
    if (changed.length === 0) {
      throw new AppError("broadcast.not_draft", 409, "Only a draft can be changed");
    }
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: "broadcast.update",
        entityType: "broadcast",
        entityId: id,
        fields: Object.keys(body),
      }),
    );
  });
  return getBroadcast(ctx, id);
}

/* ------------------------------------------------------------------ */
/* Dry run and preview.                                                 */
/* ------------------------------------------------------------------ */

const EXAMPLE_LINK = "https://…/s/…";

/** Who it would reach, over which channel, in which language, and how each text reads. */
export async function dryRun(
  ctx: RequestContext,
  body: BroadcastDryRunBody,
): Promise<BroadcastDryRun> {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "broadcast.list" });
  const communityIds = [...new Set(body.audience.communityIds)];
  const target = await targetOf(ctx, departmentId, communityIds, ctx.actor.userId);
  assertAllowed(ctx, target);
  return computeDryRun(ctx, departmentId, {
    ...body,
    audience: { ...body.audience, communityIds },
  });
}

async function computeDryRun(
  ctx: RequestContext,
  departmentId: string,
  body: BroadcastDryRunBody,
): Promise<BroadcastDryRun> {
  const messages = body.messages;
  const written = messageLanguages(messages);
  const langs = written.length ? written : (["he", "ar", "en", "ru", "am"] as BroadcastLanguage[]);
  const fallback = fallbackLanguage(messages);
  const channels = [...new Set(body.channels)];
  const rows = await repo.dryRunCounts(
    ctx.db,
    filterOf(ctx, departmentId, body.audience),
    channels,
    body.channelMode,
    langs,
    fallback,
  );
  const byChannel = Object.fromEntries(BROADCAST_CHANNELS.map((c) => [c, 0])) as Record<
    BroadcastChannel,
    number
  >;
  const byLanguage: Partial<Record<BroadcastLanguage, number>> = {};
  let residents = 0;
  let reachable = 0;
  const firstLanguages = new Set<string>();
  for (const r of rows) {
    residents += r.residents;
    reachable += r.reachable;
    for (const c of channels) byChannel[c] += Number(r[c] ?? 0);
    byLanguage[r.lang as BroadcastLanguage] =
      (byLanguage[r.lang as BroadcastLanguage] ?? 0) + r.reachable;
    for (const l of r.first_languages ?? []) firstLanguages.add(l);
  }
  // Only once something is written: before that, byLanguage shows whom to write for.
  const missingLanguages = written.length
    ? (["he", "ar", "en", "ru", "am"] as BroadcastLanguage[]).filter(
        (l) => firstLanguages.has(l) && !written.includes(l),
      )
    : [];
  // Phones subscribed to the area without an account, counted apart (an emergency's push only).
  const areaSubscribers = {
    total: 0,
    byLanguage: {} as Partial<Record<BroadcastLanguage, number>>,
  };
  const realEmergency = await areaRepo.isRealEmergency(
    ctx.db,
    departmentId,
    body.emergencyId ?? null,
  );
  if (reachesAreaSubscribers({ realEmergency, channels, flags: body.audience.flags })) {
    const area = await areaRepo.areaCounts(ctx.db, {
      departmentId,
      communityIds: body.audience.communityIds,
      languages: body.audience.languages,
    });
    for (const a of area) {
      // The language they get: their own when written, else the fallback (as the fan-out).
      const lang = (langs as string[]).includes(a.language)
        ? (a.language as BroadcastLanguage)
        : fallback;
      areaSubscribers.total += a.n;
      areaSubscribers.byLanguage[lang] = (areaSubscribers.byLanguage[lang] ?? 0) + a.n;
    }
  }
  const settings = await repo.quietHours(ctx.db, departmentId);
  return {
    areaSubscribers,
    residents,
    reachable,
    byChannel,
    byLanguage,
    missingLanguages,
    previews: written.map((language) => {
      const m = messages[language]!;
      const bodyText = fillStatusLink(m.body, EXAMPLE_LINK);
      return {
        language,
        title: fillStatusLink(m.title, EXAMPLE_LINK),
        body: bodyText,
        smsParts: smsParts(bodyText),
        recipients: byLanguage[language] ?? 0,
      };
    }),
    quietHoursNow: quietUntil(settings, new Date()) !== null,
  };
}

export async function dryRunOf(ctx: RequestContext, id: string) {
  const { row, departmentId } = await load(ctx, id);
  return computeDryRun(ctx, departmentId, {
    audience: row.audience as BroadcastDryRunBody["audience"],
    channels: row.channels as BroadcastChannel[],
    channelMode: row.channelMode as "all" | "first",
    messages: row.messages as BroadcastMessages,
    emergencyId: row.emergencyId,
  });
}

/* ------------------------------------------------------------------ */
/* Confirm, cancel, progress, receipts.                                 */
/* ------------------------------------------------------------------ */

/**
 * Confirms a draft: status, the quiet-hours decision and the fan-out job are written in
 * one transaction with the audit rows (a bypass of quiet hours has its own audit row).
 */
export async function confirmBroadcast(ctx: RequestContext, rt: BroadcastRuntime, id: string) {
  const { row, target, departmentId } = await load(ctx, id);
  assertAllowed(ctx, target);
  if (row.status !== "draft") {
    throw new AppError("broadcast.not_draft", 409, "This broadcast was already confirmed");
  }
  const messages = row.messages as BroadcastMessages;
  if (messageLanguages(messages).length === 0) {
    throw new AppError("broadcast.no_message", 400, "Write the message in at least one language", {
      path: ["messages"],
    });
  }
  const counts = await computeDryRun(ctx, departmentId, {
    audience: row.audience as BroadcastDryRunBody["audience"],
    channels: row.channels as BroadcastChannel[],
    channelMode: row.channelMode as "all" | "first",
    messages,
    emergencyId: row.emergencyId,
  });
  if (counts.reachable === 0 && counts.areaSubscribers.total === 0) {
    throw new AppError("broadcast.empty_audience", 400, "Nobody in the audience can be reached");
  }
  const emergency = await emergencyOf(ctx, departmentId, row.emergencyId);
  // A drill runs the same flows without messaging real residents: the dry run shows who
  // would have been reached.
  if (emergency?.drill) {
    throw new AppError(
      "broadcast.drill",
      409,
      "In a drill nothing is sent to residents; the dry run shows who would be reached",
    );
  }
  const now = new Date();
  const quietEnd = quietUntil(await repo.quietHours(ctx.db, departmentId), now);
  // Quiet hours give way only to an urgent broadcast of an emergency still open.
  const bypass = quietEnd !== null && row.urgent && emergency?.status === "active";
  const deferredUntil = quietEnd && !bypass ? quietEnd : null;
  await ctx.db.transaction(async (tx) => {
    const changed = await tx
      .update(schema.broadcasts)
      .set({
        status: "confirmed",
        confirmedBy: ctx.actor.userId,
        confirmedAt: now,
        deferredUntil,
        quietHoursBypassed: bypass,
        version: sql`${schema.broadcasts.version} + 1`,
        updatedAt: now,
      })
      .where(
        and(
          eq(schema.broadcasts.departmentId, departmentId),
          eq(schema.broadcasts.id, id),
          eq(schema.broadcasts.status, "draft"),
        ),
      )
      .returning({ id: schema.broadcasts.id });
    if (changed.length === 0) {
      throw new AppError("broadcast.not_draft", 409, "This broadcast was already confirmed");
    }
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: "broadcast.confirm",
        entityType: "broadcast",
        entityId: id,
        details: {
          channels: row.channels,
          reachable: counts.reachable,
          byChannel: counts.byChannel,
          areaSubscribers: counts.areaSubscribers.total,
          emergencyId: row.emergencyId,
          urgent: row.urgent,
          deferredUntil: deferredUntil?.toISOString() ?? null,
        },
      }),
    );
    if (bypass) {
      await recordAudit(
        tx,
        auditFor(ctx, {
          action: "broadcast.quiet_hours_bypass",
          entityType: "broadcast",
          entityId: id,
          details: { emergencyId: row.emergencyId, quietHoursEnd: quietEnd.toISOString() },
        }),
      );
    }
    await rt.enqueueFanout(tx, { departmentId, broadcastId: id });
  });
  return getBroadcast(ctx, id);
}

/** Stops a broadcast: nothing more is sent; what is still queued is marked skipped. */
export async function cancelBroadcast(ctx: RequestContext, id: string) {
  const { row, target, departmentId } = await load(ctx, id);
  assertAllowed(ctx, target);
  if (row.status === "done" || row.status === "cancelled") {
    throw new AppError("broadcast.not_cancellable", 409, "This broadcast has finished");
  }
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(schema.broadcasts)
      .set({ status: "cancelled", finishedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(schema.broadcasts.departmentId, departmentId), eq(schema.broadcasts.id, id)));
    await tx.execute(sql`
      with upd as (
        update broadcast_deliveries set status = 'skipped', error = 'cancelled'
        where department_id = ${departmentId} and broadcast_id = ${id} and status = 'queued'
        returning 1
      ) update broadcasts set failed = failed + (select count(*) from upd)
        where department_id = ${departmentId} and id = ${id}`);
    await recordAudit(
      tx,
      auditFor(ctx, { action: "broadcast.cancel", entityType: "broadcast", entityId: id }),
    );
  });
  return getBroadcast(ctx, id);
}

export async function progressOf(ctx: RequestContext, id: string) {
  return (await getBroadcast(ctx, id)).progress;
}

export async function deliveriesOf(
  ctx: RequestContext,
  id: string,
  q: { status?: string | undefined; channel?: string | undefined; page: number; pageSize: number },
) {
  const { departmentId } = await load(ctx, id);
  const { items, total } = await repo.deliveryPage(ctx.db, departmentId, id, q);
  return { items: items.map(presentDelivery), total, page: q.page, pageSize: q.pageSize };
}

/**
 * Receipts from devices and provider adapters: each token is checked (HMAC) and buffered;
 * the buffer writes them together. Unknown or forged tokens are counted as rejected.
 */
export function ingestReceipts(
  rt: BroadcastRuntime,
  receipts: { token: string; status: "delivered" | "failed" }[],
) {
  const accepted: repo.Receipt[] = [];
  for (const r of receipts) {
    const ref = rt.tokens.verify(r.token);
    if (!ref) continue;
    accepted.push({
      department_id: ref.departmentId,
      broadcast_id: ref.broadcastId,
      id: ref.deliveryId,
      status: r.status,
    });
  }
  rt.receipts.add(accepted);
  return { accepted: accepted.length, rejected: receipts.length - accepted.length };
}

/* ------------------------------------------------------------------ */
/* Settings: quiet hours.                                               */
/* ------------------------------------------------------------------ */

export async function getSettings(ctx: RequestContext): Promise<BroadcastSettings> {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "broadcast.list" });
  return { quietHours: await repo.quietHours(ctx.db, departmentId) };
}

export async function updateSettings(ctx: RequestContext, body: BroadcastSettings) {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "broadcast.settings", departmentId });
  const q = body.quietHours;
  await ctx.db.transaction(async (tx) => {
    await tx
      .insert(schema.broadcastSettings)
      .values({
        departmentId,
        quietHoursEnabled: q.enabled,
        quietStart: q.start,
        quietEnd: q.end,
        updatedBy: ctx.actor.userId,
      })
      .onConflictDoUpdate({
        target: schema.broadcastSettings.departmentId,
        set: {
          quietHoursEnabled: q.enabled,
          quietStart: q.start,
          quietEnd: q.end,
          updatedBy: ctx.actor.userId,
          updatedAt: new Date(),
        },
      });
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: "broadcast.settings",
        entityType: "department",
        entityId: departmentId,
        details: { quietHours: q },
      }),
    );
  });
  return getSettings(ctx);
}

/* ------------------------------------------------------------------ */
/* Push subscriptions and in-app notifications of the signed-in user.   */
/* ------------------------------------------------------------------ */

/** Stores this browser's subscription for the user (and their resident record, if any). */
export async function subscribe(ctx: RequestContext, body: PushSubscriptionBody) {
  const departmentId = departmentOf(ctx);
  const [resident] = await ctx.db
    .select({ id: schema.residents.id })
    .from(schema.residents)
    .where(
      sql`${schema.residents.departmentId} = ${departmentId} and ${schema.residents.userId} = ${ctx.actor.userId}
        and ${schema.residents.mergedIntoId} is null and ${schema.residents.archivedAt} is null`,
    )
    .limit(1);
  const residentId = resident?.id ?? null;
  const values = {
    departmentId,
    residentId,
    userId: ctx.actor.userId,
    endpoint: body.endpoint,
    p256dh: body.keys.p256dh,
    auth: body.keys.auth,
    language: body.language,
    kind: "account",
    communityId: null,
  };
  const [row] = await ctx.db
    .insert(schema.pushSubscriptions)
    .values(values)
    .onConflictDoUpdate({
      target: [schema.pushSubscriptions.departmentId, schema.pushSubscriptions.endpoint],
      set: { ...values, createdAt: new Date() },
    })
    .returning({ id: schema.pushSubscriptions.id });
  return { id: row!.id, resident: residentId !== null };
}

export async function unsubscribe(ctx: RequestContext, endpoint: string) {
  const departmentId = departmentOf(ctx);
  await ctx.db
    .delete(schema.pushSubscriptions)
    .where(
      and(
        eq(schema.pushSubscriptions.departmentId, departmentId),
        eq(schema.pushSubscriptions.endpoint, endpoint),
        eq(schema.pushSubscriptions.userId, ctx.actor.userId),
      ),
    );
}

export async function myNotifications(ctx: RequestContext) {
  const departmentId = departmentOf(ctx);
  const n = schema.notifications;
  const rows = await ctx.db
    .select()
    .from(n)
    .where(and(eq(n.departmentId, departmentId), eq(n.userId, ctx.actor.userId)))
    .orderBy(sql`${n.createdAt} desc`)
    .limit(50);
  return { items: rows.map(presentNotification) };
}

export async function markRead(ctx: RequestContext, id: string) {
  const departmentId = departmentOf(ctx);
  const n = schema.notifications;
  const changed = await ctx.db
    .update(n)
    .set({ readAt: new Date() })
    .where(and(eq(n.departmentId, departmentId), eq(n.id, id), eq(n.userId, ctx.actor.userId)))
    .returning({ id: n.id });
  if (changed.length === 0) throw notFound("notification");
}
