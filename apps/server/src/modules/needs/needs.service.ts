import {
  NEED_LIMITS,
  NEED_TRANSITIONS,
  OPEN_NEED_STATUSES,
  type CreateNeedBody,
  type Need,
  type NeedListQuery,
  type NeedStatus,
  type PublicNeedBody,
  type UpdateNeedBody,
} from "@kaveret/contracts";
import { localNames, normalizeForSearch, type ErrorCode } from "@kaveret/contracts";
import { schema, type Db, type DbOrTx, type FieldCipher } from "@kaveret/db";
import { eq, sql, type SQL } from "drizzle-orm";
import type { RequestContext } from "../../lib/context.ts";
import { departmentOf } from "../../lib/context.ts";
import { AppError, notFound, versionConflict } from "../../lib/errors.ts";
import {
  authorize,
  can,
  needVisibility,
  residentVisibility,
  type NeedTarget,
} from "../../policy/policy.ts";
import { hasRole } from "../../policy/actor.ts";
import { auditFor, recordAudit, recordRead } from "../audit/audit.service.ts";
import { smallestContaining } from "../residents/residents.geo.ts";
import { residentScope } from "../residents/residents.scope.ts";
import * as repo from "./needs.repository.ts";
import {
  historyIds,
  presentAttachment,
  presentEvent,
  presentNeed,
  presentNeedListItem,
  referenceOf,
} from "./needs.presenter.ts";
import { publishNeedChange } from "./needs.live.ts";
import type { EventBus } from "../../events/bus.ts";
import { spamScore } from "./needs.spam.ts";
import { suggestFor } from "./needs.suggest.ts";
import { ImageError, sanitizeImage } from "./image-sanitize.ts";
import * as communities from "../communities/communities.repository.ts";

type Contact = { name: string; phone: string | null; email: string | null };

const OPEN = new Set<string>(OPEN_NEED_STATUSES);

/* ------------------------------------------------------------------ */
/* Helpers.                                                             */
/* ------------------------------------------------------------------ */

async function targetOf(
  db: DbOrTx,
  departmentId: string,
  need: { communityId: string | null; assigneeId: string | null },
): Promise<NeedTarget> {
  return {
    departmentId,
    chain: need.communityId
      ? await communities.ancestorChain(db, departmentId, need.communityId)
      : [],
    assigneeId: need.assigneeId,
  };
}

/** The need, or 404 when it does not exist or the reader may not see it (no hint either way). */
async function loadVisible(ctx: RequestContext, id: string) {
  authorize(ctx.actor, { type: "need.list" });
  const departmentId = departmentOf(ctx);
  const row = await repo.findNeed(ctx.db, departmentId, id);
  if (!row) throw notFound("need");
  const target = await targetOf(ctx.db, departmentId, row);
  if (!can(ctx.actor, { type: "need.read", target })) throw notFound("need");
  return { row, target, departmentId };
}

/** Boundaries change rarely and every report asks for them: kept 30 s per department. */
const BOUNDARY_CACHE_MS = 30_000;
const boundaryCache = new Map<
  string,
  { at: number; areas: Awaited<ReturnType<typeof communities.geographicBoundaries>> }
>();

async function communityForPoint(
  db: DbOrTx,
  departmentId: string,
  point: { lat: number; lon: number } | null,
): Promise<string | null> {
  if (!point) return null;
  let hit = boundaryCache.get(departmentId);
  if (!hit || Date.now() - hit.at > BOUNDARY_CACHE_MS) {
    hit = { at: Date.now(), areas: await communities.geographicBoundaries(db, departmentId) };
    boundaryCache.set(departmentId, hit);
  }
  return smallestContaining(hit.areas, point)?.id ?? null;
}

function decryptContact(cipher: FieldCipher, stored: string | null): Contact | null {
  if (!stored) return null;
  try {
    return cipher.decryptJson<Contact>(stored);
  } catch {
    return null;
  }
}

function searchTextOf(description: string): string {
  return normalizeForSearch(description).slice(0, 2000);
}

const categoryKnown = async (db: DbOrTx, departmentId: string, code: string | null) =>
  code === null || (await repo.activeCategoryCodes(db, departmentId)).includes(code);

async function assertCategory(db: DbOrTx, departmentId: string, code: string | null) {
  if (!(await categoryKnown(db, departmentId, code))) {
    throw new AppError("need.category_unknown", 400, "No such active category in the department", {
      path: ["category"],
    });
  }
}

async function assertAssignee(db: DbOrTx, departmentId: string, assigneeId: string | null) {
  if (assigneeId === null) return;
  const staff = await repo.assignableStaff(db, departmentId);
  if (!staff.some((s) => s.id === assigneeId)) {
    throw new AppError(
      "need.assignee_not_allowed",
      400,
      "The assignee must be a manager, community worker or social worker of the department",
      { path: ["assigneeId"] },
    );
  }
}

async function assertCommunity(db: DbOrTx, departmentId: string, communityId: string | null) {
  if (communityId && !(await repo.liveCommunity(db, departmentId, communityId))) {
    throw new AppError("need.community_not_found", 400, "No such community in the department", {
      path: ["communityId"],
    });
  }
}

async function assertResident(db: DbOrTx, departmentId: string, residentId: string | null) {
  if (!residentId) return;
  const [row] = await db
    .select({ id: schema.residents.id })
    .from(schema.residents)
    .where(
      sql`${schema.residents.departmentId} = ${departmentId} and ${schema.residents.id} = ${residentId}
        and ${schema.residents.mergedIntoId} is null and ${schema.residents.archivedAt} is null`,
    )
    .limit(1);
  if (!row) {
    throw new AppError("need.resident_not_found", 400, "No such resident in the department", {
      path: ["residentId"],
    });
  }
}

function announce(
  events: EventBus,
  type: "created" | "updated" | "merged",
  departmentId: string,
  need: {
    id: string;
    number: number;
    urgency: string;
    communityId: string | null;
    assigneeId: string | null;
  },
) {
  publishNeedChange(events, {
    type,
    departmentId,
    id: need.id,
    reference: referenceOf(need.number),
    urgency: need.urgency as "low" | "normal" | "high" | "critical",
    communityId: need.communityId,
    assigneeId: need.assigneeId,
    at: new Date().toISOString(),
  });
}

/* ------------------------------------------------------------------ */
/* Lists.                                                               */
/* ------------------------------------------------------------------ */

export async function listNeeds(ctx: RequestContext, q: NeedListQuery) {
  authorize(ctx.actor, { type: "need.list" });
  const departmentId = departmentOf(ctx);
  const scope = repo.needScope(needVisibility(ctx.actor));
  const text = q.q?.trim() ?? "";
  const reference = /^#?\d{1,9}$/.test(text) ? Number(text.replace("#", "")) : undefined;
  const categories = q.category?.filter((c) => c !== "none");
  const filter: repo.NeedFilter = {
    departmentId,
    ...(reference !== undefined
      ? { number: reference }
      : text
        ? { text: normalizeForSearch(text) }
        : {}),
    statuses: q.status?.length
      ? q.status
      : q.open === "false"
        ? undefined
        : q.open === "true" || !q.spam
          ? [...OPEN_NEED_STATUSES]
          : undefined,
    categories,
    uncategorized: q.category?.includes("none") ?? false,
    urgencies: q.urgency,
    channels: q.channel,
    communityId: q.communityId,
    assignee:
      q.assignee === undefined
        ? undefined
        : q.assignee === "none"
          ? { kind: "none" }
          : { kind: "user", id: q.assignee === "me" ? ctx.actor.userId : q.assignee },
    residentId: q.residentId,
    spam: q.spam === "true",
  };
  const [{ items, total }, counts] = await Promise.all([
    repo.listNeeds(ctx.db, scope, filter, q.sort, {
      limit: q.pageSize,
      offset: (q.page - 1) * q.pageSize,
    }),
    repo.queueCounts(ctx.db, scope),
  ]);
  return {
    items: items.map(presentNeedListItem),
    total,
    page: q.page,
    pageSize: q.pageSize,
    counts,
  };
}

export const MAX_NEED_POINTS = 2000;

export async function needPoints(ctx: RequestContext, q: { communityId?: string; bbox?: string }) {
  authorize(ctx.actor, { type: "need.list" });
  const departmentId = departmentOf(ctx);
  const scope = repo.needScope(needVisibility(ctx.actor));
  const bbox = q.bbox?.split(",").map(Number) as [number, number, number, number] | undefined;
  const rows = await repo.needPoints(
    ctx.db,
    scope,
    departmentId,
    { communityId: q.communityId, bbox },
    MAX_NEED_POINTS + 1,
  );
  return {
    items: rows.slice(0, MAX_NEED_POINTS).map((r) => ({
      id: r.id,
      reference: referenceOf(r.number),
      lat: Number(r.lat),
      lon: Number(r.lon),
      urgency: r.urgency as "low" | "normal" | "high" | "critical",
      status: r.status as NeedStatus,
      category: r.category,
    })),
    truncated: rows.length > MAX_NEED_POINTS,
  };
}

export async function assignees(ctx: RequestContext) {
  authorize(ctx.actor, { type: "need.list" });
  return { items: await repo.assignableStaff(ctx.db, departmentOf(ctx)) };
}

/* ------------------------------------------------------------------ */
/* One need.                                                            */
/* ------------------------------------------------------------------ */

export async function getNeed(ctx: RequestContext, id: string): Promise<Need> {
  const { row, target, departmentId } = await loadVisible(ctx, id);
  const contact = decryptContact(ctx.cipher, row.contactEnc);
  const scope = repo.needScope(needVisibility(ctx.actor));
  const [events, attachments, similar, mergedIntoNumber] = await Promise.all([
    repo.eventsOf(ctx.db, departmentId, id),
    repo.attachmentsOf(ctx.db, departmentId, id),
    row.mergedIntoId ? Promise.resolve([]) : repo.similarNeeds(ctx.db, scope, row),
    row.mergedIntoId ? repo.needNumber(ctx.db, departmentId, row.mergedIntoId) : null,
  ]);
  // The history keeps ids: name them as this reader may see them (a resident only within
  // their reach, otherwise the page says "a resident").
  // The same for the linked resident, in the same query.
  const ids = historyIds(events);
  if (row.residentId) ids.residents.push(row.residentId);
  const names = await repo.historyNames(
    ctx.db,
    departmentId,
    residentScope(residentVisibility(ctx.actor)).visible,
    ids,
  );
  const residentName = row.residentId ? (names.residents.get(row.residentId) ?? null) : null;
  const personal: string[] = [];
  if (contact) personal.push("contact");
  if (names.residents.size > 0) personal.push("resident");
  if (personal.length) {
    await recordRead(ctx, { entityType: "need", entityIds: [id], fields: personal });
  }
  const editable = can(ctx.actor, { type: "need.update", target }) && !row.mergedIntoId;
  return presentNeed(row, {
    residentName,
    contact,
    mergedIntoNumber,
    attachments: attachments.map(presentAttachment),
    events: events.map((e) => presentEvent(e, names)),
    similar: similar.map((s) => ({
      id: s.id,
      reference: referenceOf(s.number),
      description: s.description,
      status: s.status as NeedStatus,
      score: s.score,
      distanceMeters: s.distance === null ? null : Math.round(s.distance),
    })),
    permissions: {
      edit: editable,
      assign: editable && hasRole(ctx.actor, "manager", "community_worker"),
      merge: editable && hasRole(ctx.actor, "manager", "community_worker"),
    },
  });
}

/** A need a person made from a survey answer ("create a need from this answer"). */
type SurveyNeedBody = Omit<CreateNeedBody, "channel"> & { channel: "survey"; responseId: string };

/** Staff entry of a need heard by phone or face to face. Idempotent on a device-made id. */
export async function createNeed(
  ctx: RequestContext,
  body: CreateNeedBody | SurveyNeedBody,
): Promise<Need> {
  const made = await writeNeed(ctx, body);
  return made.existing ?? getNeed(ctx, made.id);
}

/**
 * The same for a device's `need.create` command (sync push), whose answer is only the
 * need's id and version: a new need is not read back (nor its history, photos and similar
 * needs looked up for a page nobody shows). A replay of an existing one answers as
 * `createNeed` does.
 */
export async function createNeedFromDevice(
  ctx: RequestContext,
  body: CreateNeedBody,
  also?: SQL,
): Promise<{ id: string; version: number; wroteAlso: boolean }> {
  const made = await writeNeed(ctx, body, also);
  return made.existing
    ? { id: made.id, version: made.version, wroteAlso: false }
    : { id: made.id, version: made.version, wroteAlso: also !== undefined };
}

/** `also`: a further write of the statement that writes a new need (see createNeedRecord). */
async function writeNeed(
  ctx: RequestContext,
  body: CreateNeedBody | SurveyNeedBody,
  also?: SQL,
): Promise<{ id: string; version: number; existing: Need | null }> {
  const departmentId = departmentOf(ctx);
  if (body.id) {
    const existing = await repo.findNeed(ctx.db, departmentId, body.id);
    if (existing) {
      if (existing.createdBy !== ctx.actor.userId) {
        throw new AppError("conflict", 409, "A need with this id already exists");
      }
      const need = await getNeed(ctx, body.id);
      return { id: need.id, version: need.version, existing: need };
    }
  }
  const communityId =
    body.communityId ?? (await communityForPoint(ctx.db, departmentId, body.location));
  // A social worker who would not see the need otherwise takes it on.
  let assigneeId = body.assigneeId;
  const target = await targetOf(ctx.db, departmentId, { communityId, assigneeId });
  authorize(ctx.actor, { type: "need.create", target });
  if (!assigneeId && !can(ctx.actor, { type: "need.read", target })) {
    assigneeId = ctx.actor.userId;
  }
  await Promise.all([
    assertCategory(ctx.db, departmentId, body.category),
    assertCommunity(ctx.db, departmentId, communityId),
    assertResident(ctx.db, departmentId, body.residentId),
    assertAssignee(ctx.db, departmentId, assigneeId),
  ]);
  const suggestion = await suggestFor(ctx.db, ctx.config, departmentId, body.description);
  const id = body.id ?? crypto.randomUUID();
  const contact =
    body.contactConsent && (body.contactName || body.contactPhone)
      ? ctx.cipher.encryptJson({
          name: body.contactName,
          phone: body.contactPhone,
          email: null,
        } satisfies Contact)
      : null;
  // The number, the need, its history, its audit row and the live event: one statement.
  const written = await repo.createNeedRecord(ctx.db, {
    need: {
      departmentId,
      id,
      channel: body.channel,
      category: body.category,
      urgency: body.urgency,
      description: body.description,
      searchText: searchTextOf(body.description),
      language: body.language,
      lat: body.location?.lat ?? null,
      lon: body.location?.lon ?? null,
      addressText: body.addressText,
      communityId,
      residentId: body.residentId,
      assigneeId,
      contactEnc: contact,
      suggestion,
      responseId: "responseId" in body ? body.responseId : null,
      createdBy: ctx.actor.userId,
    },
    events: [
      { kind: "created", actorId: ctx.actor.userId, toValue: body.channel },
      ...(assigneeId ? [{ kind: "assigned", actorId: ctx.actor.userId, toValue: assigneeId }] : []),
    ],
    photos: [],
    audit: auditFor(ctx, {
      action: "need.create",
      entityType: "need",
      entityId: id,
      communityId,
      fields: contact ? ["contact"] : [],
      details: { channel: body.channel },
    }),
    announce: { at: new Date().toISOString() },
    ...(also ? { also } : {}),
  });
  if (!written) throw new Error("need not written"); // no guard on staff entry: unreachable
  return { id, version: written.version, existing: null };
}

type Change = { kind: string; from: string | null; to: string | null; text?: string | null };

/** Applies a triage edit (status, category, urgency, assignee, community, resident, place, text). */
async function applyUpdate(
  ctx: RequestContext,
  id: string,
  body: UpdateNeedBody,
): Promise<{ departmentId: string; changes: Change[] }> {
  const { row, target, departmentId } = await loadVisible(ctx, id);
  authorize(ctx.actor, { type: "need.update", target });
  if (row.mergedIntoId) throw new AppError("need.merged", 409, "This need was merged into another");
  if (row.version !== body.version) throw versionConflict({ version: row.version });
  const values: Partial<typeof schema.needs.$inferInsert> = {};
  const changes: Change[] = [];
  if (body.status !== undefined && body.status !== row.status) {
    const allowed = NEED_TRANSITIONS[row.status as NeedStatus] ?? [];
    if (!allowed.includes(body.status)) {
      throw new AppError(
        "need.invalid_transition",
        409,
        `A need that is ${row.status} cannot become ${body.status}`,
        { from: row.status, to: body.status, allowed },
      );
    }
    if ((body.status === "closed" || body.status === "referred") && !body.reason?.trim()) {
      throw new AppError("need.reason_required", 400, "Say why (closing or referring)", {
        path: ["reason"],
      });
    }
    values.status = body.status;
    values.resolvedAt = OPEN.has(body.status) ? null : new Date();
    changes.push({ kind: "status", from: row.status, to: body.status, text: body.reason ?? null });
  }
  if (body.category !== undefined && body.category !== row.category) {
    await assertCategory(ctx.db, departmentId, body.category);
    values.category = body.category;
    changes.push({ kind: "category", from: row.category, to: body.category });
  }
  if (body.urgency !== undefined && body.urgency !== row.urgency) {
    values.urgency = body.urgency;
    changes.push({ kind: "urgency", from: row.urgency, to: body.urgency });
  }
  if (body.assigneeId !== undefined && body.assigneeId !== row.assigneeId) {
    if (!hasRole(ctx.actor, "manager", "community_worker")) {
      throw new AppError("forbidden", 403, "Only managers and community workers assign needs");
    }
    await assertAssignee(ctx.db, departmentId, body.assigneeId);
    values.assigneeId = body.assigneeId;
    changes.push({ kind: "assigned", from: row.assigneeId, to: body.assigneeId });
  }
  let communityId = row.communityId;
  if (body.location !== undefined) {
    values.lat = body.location?.lat ?? null;
    values.lon = body.location?.lon ?? null;
    if (body.communityId === undefined && body.location) {
      const found = await communityForPoint(ctx.db, departmentId, body.location);
      if (found && found !== row.communityId) communityId = found;
    }
    changes.push({ kind: "edited", from: null, to: "location" });
  }
  if (body.communityId !== undefined) communityId = body.communityId;
  if (communityId !== row.communityId) {
    await assertCommunity(ctx.db, departmentId, communityId);
    // Moving a need must keep it within what the editor may reach.
    authorize(ctx.actor, {
      type: "need.update",
      target: await targetOf(ctx.db, departmentId, {
        communityId,
        assigneeId: values.assigneeId === undefined ? row.assigneeId : values.assigneeId,
      }),
    });
    values.communityId = communityId;
    changes.push({ kind: "community", from: row.communityId, to: communityId });
  }
  if (body.residentId !== undefined && body.residentId !== row.residentId) {
    await assertResident(ctx.db, departmentId, body.residentId);
    values.residentId = body.residentId;
    changes.push({ kind: "resident", from: row.residentId, to: body.residentId });
  }
  if (body.addressText !== undefined && body.addressText !== row.addressText) {
    values.addressText = body.addressText;
    if (body.location === undefined) changes.push({ kind: "edited", from: null, to: "address" });
  }
  if (body.description !== undefined && body.description !== row.description) {
    values.description = body.description;
    values.searchText = searchTextOf(body.description);
    changes.push({ kind: "edited", from: null, to: "description" });
  }
  if (body.spam !== undefined && body.spam !== row.spamScore >= repo.SPAM_THRESHOLD) {
    values.spamScore = body.spam ? 100 : 0;
    changes.push({ kind: "edited", from: null, to: body.spam ? "spam" : "not_spam" });
  }
  if (changes.length === 0) return { departmentId, changes };
  await ctx.db.transaction(async (tx) => {
    const ok = await repo.updateNeedIfVersion(tx, departmentId, id, body.version, values);
    if (!ok) throw versionConflict({ version: row.version + 1 });
    await repo.insertEvents(
      tx,
      changes.map((c) => ({
        departmentId,
        needId: id,
        kind: c.kind,
        actorId: ctx.actor.userId,
        fromValue: c.from,
        toValue: c.to,
        text: c.text ?? null,
      })),
    );
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: "need.update",
        entityType: "need",
        entityId: id,
        communityId: values.communityId ?? row.communityId,
        fields: [...new Set(changes.map((c) => c.kind))],
      }),
    );
  });
  announce(ctx.events, "updated", departmentId, {
    id,
    number: row.number,
    urgency: values.urgency ?? row.urgency,
    communityId: values.communityId ?? row.communityId,
    assigneeId: values.assigneeId === undefined ? row.assigneeId : values.assigneeId,
  });
  return { departmentId, changes };
}

export async function updateNeed(ctx: RequestContext, id: string, body: UpdateNeedBody) {
  await applyUpdate(ctx, id, body);
  return getNeed(ctx, id);
}

/** The same change on many needs; each applied on its own, failures reported per need. */
export async function bulkUpdate(
  ctx: RequestContext,
  body: {
    ids: string[];
    status?: NeedStatus;
    reason?: string;
    assigneeId?: string | null;
    urgency?: "low" | "normal" | "high" | "critical";
    category?: string;
  },
) {
  authorize(ctx.actor, { type: "need.list" });
  const departmentId = departmentOf(ctx);
  const updated: string[] = [];
  const failed: { id: string; code: string; message: string }[] = [];
  for (const id of [...new Set(body.ids)]) {
    try {
      const row = await repo.findNeed(ctx.db, departmentId, id);
      if (!row) throw notFound("need");
      await applyUpdate(ctx, id, {
        version: row.version,
        ...(body.status !== undefined ? { status: body.status, reason: body.reason } : {}),
        ...(body.assigneeId !== undefined ? { assigneeId: body.assigneeId } : {}),
        ...(body.urgency !== undefined ? { urgency: body.urgency } : {}),
        ...(body.category !== undefined ? { category: body.category } : {}),
      });
      updated.push(id);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      failed.push({ id, code: err.code, message: err.message });
    }
  }
  return { updated, failed };
}

export async function addComment(ctx: RequestContext, id: string, text: string) {
  const { row, target, departmentId } = await loadVisible(ctx, id);
  authorize(ctx.actor, { type: "need.update", target });
  if (row.mergedIntoId) throw new AppError("need.merged", 409, "This need was merged into another");
  await ctx.db.transaction(async (tx) => {
    await repo.insertEvents(tx, [
      { departmentId, needId: id, kind: "comment", actorId: ctx.actor.userId, text },
    ]);
    await tx
      .update(schema.needs)
      .set({ updatedAt: sql`now()` })
      .where(sql`${schema.needs.departmentId} = ${departmentId} and ${schema.needs.id} = ${id}`);
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: "need.comment",
        entityType: "need",
        entityId: id,
        communityId: row.communityId,
      }),
    );
  });
  announce(ctx.events, "updated", departmentId, row);
  return getNeed(ctx, id);
}

/* ------------------------------------------------------------------ */
/* Photos.                                                              */
/* ------------------------------------------------------------------ */

/** The error codes a refused photo is reported with (a need's, or a form answer's). */
export type PhotoErrorCodes = { tooLarge: ErrorCode; type: ErrorCode };
const NEED_PHOTO_ERRORS: PhotoErrorCodes = {
  tooLarge: "need.attachment_too_large",
  type: "need.attachment_type",
};

/** Checks, strips metadata and encrypts a photo; throws a 4xx AppError for anything wrong. */
export function preparePhoto(
  cipher: FieldCipher,
  data: Buffer,
  codes: PhotoErrorCodes = NEED_PHOTO_ERRORS,
) {
  if (data.length > NEED_LIMITS.attachmentBytes) {
    throw new AppError(codes.tooLarge, 413, "A photo may be at most 5 MB", {
      maxBytes: NEED_LIMITS.attachmentBytes,
    });
  }
  try {
    const image = sanitizeImage(data);
    return {
      contentType: image.contentType,
      bytes: image.data.length,
      width: image.width,
      height: image.height,
      dataEnc: cipher.encrypt(image.data.toString("base64")),
    };
  } catch (err) {
    if (err instanceof ImageError) {
      throw new AppError(codes.type, 415, "Photos must be JPEG, PNG or WebP images", {
        reason: err.reason,
      });
    }
    throw err;
  }
}

export async function addAttachment(ctx: RequestContext, id: string, data: Buffer) {
  const { row, target, departmentId } = await loadVisible(ctx, id);
  authorize(ctx.actor, { type: "need.update", target });
  if (row.mergedIntoId) throw new AppError("need.merged", 409, "This need was merged into another");
  if (Number(row.attachmentCount) >= NEED_LIMITS.attachmentsPerNeed) {
    throw new AppError("need.attachments_full", 409, "A need holds at most 5 photos");
  }
  const photo = preparePhoto(ctx.cipher, data);
  const attachmentId = crypto.randomUUID();
  await ctx.db.transaction(async (tx) => {
    await repo.insertAttachment(tx, {
      departmentId,
      id: attachmentId,
      needId: id,
      ...photo,
      createdBy: ctx.actor.userId,
    });
    await repo.insertEvents(tx, [
      {
        departmentId,
        needId: id,
        kind: "attachment",
        actorId: ctx.actor.userId,
        toValue: attachmentId,
      },
    ]);
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: "need.attachment",
        entityType: "need",
        entityId: id,
        communityId: row.communityId,
      }),
    );
  });
  announce(ctx.events, "updated", departmentId, row);
  return getNeed(ctx, id);
}

export async function getAttachment(ctx: RequestContext, id: string, attachmentId: string) {
  const { departmentId } = await loadVisible(ctx, id);
  const a = await repo.attachmentData(ctx.db, departmentId, id, attachmentId);
  if (!a) throw notFound("attachment");
  await recordRead(ctx, { entityType: "need", entityIds: [id], fields: ["attachment"] });
  return { contentType: a.contentType, data: Buffer.from(ctx.cipher.decrypt(a.dataEnc), "base64") };
}

/* ------------------------------------------------------------------ */
/* Merge.                                                               */
/* ------------------------------------------------------------------ */

/** Folds a duplicate into the survivor: photos move, both histories say so, the duplicate closes. */
export async function mergeNeeds(
  ctx: RequestContext,
  body: { survivorId: string; duplicateId: string },
) {
  if (body.survivorId === body.duplicateId) {
    throw new AppError("need.merge_same", 400, "A need cannot be merged into itself");
  }
  if (!hasRole(ctx.actor, "manager", "community_worker")) {
    throw new AppError("forbidden", 403, "Only managers and community workers merge needs");
  }
  const survivor = await loadVisible(ctx, body.survivorId);
  const duplicate = await loadVisible(ctx, body.duplicateId);
  authorize(ctx.actor, { type: "need.update", target: survivor.target });
  authorize(ctx.actor, { type: "need.update", target: duplicate.target });
  if (survivor.row.mergedIntoId || duplicate.row.mergedIntoId) {
    throw new AppError("need.merged", 409, "One of these needs was already merged");
  }
  const departmentId = survivor.departmentId;
  const moved = Number(duplicate.row.attachmentCount);
  if (Number(survivor.row.attachmentCount) + moved > NEED_LIMITS.attachmentsPerNeed * 2) {
    throw new AppError("need.attachments_full", 409, "Too many photos to merge");
  }
  await ctx.db.transaction(async (tx) => {
    const ok = await repo.updateNeedIfVersion(
      tx,
      departmentId,
      body.duplicateId,
      duplicate.row.version,
      {
        mergedIntoId: body.survivorId,
        status: "closed",
        resolvedAt: new Date(),
      },
    );
    if (!ok) throw versionConflict({ version: duplicate.row.version + 1 });
    const bumped = await repo.updateNeedIfVersion(
      tx,
      departmentId,
      body.survivorId,
      survivor.row.version,
      {
        // Keep the most urgent of the two, and what the survivor lacks.
        urgency:
          urgencyRank(duplicate.row.urgency) < urgencyRank(survivor.row.urgency)
            ? duplicate.row.urgency
            : survivor.row.urgency,
        category: survivor.row.category ?? duplicate.row.category,
        residentId: survivor.row.residentId ?? duplicate.row.residentId,
        lat: survivor.row.lat ?? duplicate.row.lat,
        lon: survivor.row.lat !== null ? survivor.row.lon : duplicate.row.lon,
        contactEnc: survivor.row.contactEnc ?? duplicate.row.contactEnc,
      },
    );
    if (!bumped) throw versionConflict({ version: survivor.row.version + 1 });
    await repo.moveChildren(tx, departmentId, body.duplicateId, body.survivorId);
    await repo.insertEvents(tx, [
      {
        departmentId,
        needId: body.duplicateId,
        kind: "merged",
        actorId: ctx.actor.userId,
        toValue: referenceOf(survivor.row.number),
      },
      {
        departmentId,
        needId: body.survivorId,
        kind: "merged_from",
        actorId: ctx.actor.userId,
        fromValue: referenceOf(duplicate.row.number),
        text: duplicate.row.description,
      },
    ]);
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: "need.merge",
        entityType: "need",
        entityId: body.survivorId,
        communityId: survivor.row.communityId,
        details: { duplicateId: body.duplicateId },
      }),
    );
  });
  announce(ctx.events, "merged", departmentId, duplicate.row);
  announce(ctx.events, "updated", departmentId, survivor.row);
  return getNeed(ctx, body.survivorId);
}

const urgencyRank = (u: string) =>
  u === "critical" ? 0 : u === "high" ? 1 : u === "normal" ? 2 : 3;

/* ------------------------------------------------------------------ */
/* Public intake (no account): the report page and the widget.          */
/* ------------------------------------------------------------------ */

export type PublicIntakeDeps = {
  db: Db;
  cipher: FieldCipher;
  config: RequestContext["config"];
  events: EventBus;
};

export async function publicDepartment(db: DbOrTx, departmentId: string) {
  const dept = await repo.departmentRow(db, departmentId);
  if (!dept) throw notFound("department");
  if (dept.settings.publicIntake === false) {
    throw new AppError("need.intake_closed", 403, "This department does not take reports online");
  }
  return dept;
}

export async function publicCategories(db: DbOrTx, departmentId: string) {
  const dept = await publicDepartment(db, departmentId);
  const rows = await repo.categories(db, departmentId);
  return {
    department: { id: dept.id, name: dept.name, names: localNames(dept.altNames) },
    categories: rows
      .filter((r) => r.active)
      .map((r) => ({ code: r.code, labels: labelsOf(r.labels) })),
    embedOrigins: dept.settings.widgetOrigins ?? [],
  };
}

export const labelsOf = (l: Record<string, string>) => ({
  he: l.he ?? "",
  ar: l.ar ?? "",
  en: l.en ?? "",
  ru: l.ru ?? "",
  am: l.am ?? "",
});

/**
 * A report from a resident with no account (public page, widget, or an SMS/WhatsApp
 * conversation): validated, spam-scored, photos stripped of metadata, all written in one
 * transaction — a bad photo or a failure leaves nothing behind.
 */
export async function createPublicNeed(
  deps: PublicIntakeDeps,
  departmentId: string,
  body: PublicNeedBody,
  photos: Buffer[],
  channel: "web" | "widget" | "sms" | "whatsapp",
) {
  // The refusals, in the order they are checked: unknown or closed department, the
  // honeypot, too many photos, an unknown category. A report that passes the checks made
  // here is written by one statement that checks the department and category itself;
  // the database is asked which refusal applies only when something is wrong.
  const refusal = async () => {
    await publicDepartment(deps.db, departmentId);
    if (body.website.trim() !== "") {
      throw new AppError("need.spam", 400, "The report looks automated and was not accepted");
    }
    if (photos.length > 3) {
      throw new AppError("need.attachments_full", 400, "At most 3 photos per report");
    }
    if (body.category !== null && !(await categoryKnown(deps.db, departmentId, body.category))) {
      throw new AppError("need.category_unknown", 400, "No such category", {
        path: ["category"],
      });
    }
  };
  if (body.website.trim() !== "" || photos.length > 3) {
    await refusal();
    throw new Error("unreachable: the report was refused above");
  }
  let prepared: repo.NewNeedPhoto[];
  try {
    prepared = photos.map((p) => preparePhoto(deps.cipher, p));
  } catch (err) {
    await refusal(); // a closed department says so before a bad photo does
    throw err;
  }
  const searchText = searchTextOf(body.description);
  // The spam verdict both ways: whether the same text came lately is checked in the statement.
  const now = Date.now();
  const verdict = (repeated: boolean) =>
    spamScore({ description: body.description, startedAt: body.startedAt, now, repeated });
  const communityId = await communityForPoint(deps.db, departmentId, body.location);
  const suggestion = await suggestFor(deps.db, deps.config, departmentId, body.description);
  const contact =
    body.contactConsent && (body.contactName || body.contactPhone || body.contactEmail)
      ? deps.cipher.encryptJson({
          name: body.contactName,
          phone: body.contactPhone,
          email: body.contactEmail,
        } satisfies Contact)
      : null;
  const id = crypto.randomUUID();
  const record: repo.CreateNeedRecord = {
    need: {
      departmentId,
      id,
      channel,
      category: body.category,
      // A person sets urgency; the suggestion only shows it.
      urgency: "normal",
      description: body.description,
      searchText,
      language: body.language,
      lat: body.location?.lat ?? null,
      lon: body.location?.lon ?? null,
      addressText: body.addressText,
      communityId,
      residentId: null,
      assigneeId: null,
      contactEnc: contact,
      suggestion,
      responseId: null,
      createdBy: null,
    },
    events: [{ kind: "created", actorId: null, toValue: channel }],
    photos: prepared,
    audit: {
      departmentId,
      actorUserId: null,
      actorRole: "public",
      requestId: null,
      action: "need.report",
      entityType: "need",
      entityId: id,
      communityId,
      fields: contact ? ["contact"] : [],
      details: { channel, photos: prepared.length },
    },
    publicReport: { fresh: verdict(false), repeated: verdict(true) },
    announce: { at: new Date().toISOString() },
  };
  let written = await repo.createNeedRecord(deps.db, record);
  if (!written) {
    // Closed, unknown, or a category not (yet) there: say which. When the checks pass now
    // (a department's default categories are made on first use), write it once more.
    await refusal();
    written = await repo.createNeedRecord(deps.db, record);
    if (!written) await refusal();
    if (!written)
      throw new AppError("conflict", 409, "The report could not be taken; send it again");
  }
  return {
    id,
    reference: referenceOf(written.number),
    receivedAt: written.createdAt.toISOString(),
  };
}

/* ------------------------------------------------------------------ */
/* Categories and intake settings (manager).                            */
/* ------------------------------------------------------------------ */

export async function listCategories(ctx: RequestContext) {
  const departmentId = departmentOf(ctx);
  if (!can(ctx.actor, { type: "need.list" })) {
    authorize(ctx.actor, { type: "need.manage", departmentId });
  }
  const rows = await repo.categories(ctx.db, departmentId);
  return {
    items: rows.map((r) => ({
      code: r.code,
      labels: labelsOf(r.labels),
      active: r.active,
      builtIn: r.builtIn,
      sortOrder: r.sortOrder,
      openCount: Number(r.openCount),
    })),
  };
}

export async function createCategory(
  ctx: RequestContext,
  body: { code: string; labels: Record<string, string>; sortOrder?: number },
) {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "need.manage", departmentId });
  await ctx.db.transaction(async (tx) => {
    const created = await repo.insertCategory(tx, {
      departmentId,
      code: body.code,
      labels: body.labels,
      sortOrder: body.sortOrder ?? 500,
    });
    if (!created) {
      throw new AppError("need.category_exists", 409, "A category with this code exists", {
        path: ["code"],
      });
    }
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: "need_category.create",
        entityType: "need_category",
        entityId: null,
        details: { code: body.code },
      }),
    );
  });
  return listCategories(ctx);
}

export async function updateCategory(
  ctx: RequestContext,
  code: string,
  body: { labels?: Record<string, string>; active?: boolean; sortOrder?: number },
) {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "need.manage", departmentId });
  await ctx.db.transaction(async (tx) => {
    const ok = await repo.updateCategory(tx, departmentId, code, body);
    if (!ok) throw notFound("category");
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: "need_category.update",
        entityType: "need_category",
        details: { code, fields: Object.keys(body) },
      }),
    );
  });
  return listCategories(ctx);
}

type IntakeSettings = {
  publicIntake?: boolean;
  widgetOrigins?: string[];
  smsNumber?: string;
  whatsappPhoneNumberId?: string;
};

function intakeSettingsOf(ctx: RequestContext, departmentId: string, settings: IntakeSettings) {
  const base = ctx.config.publicUrl.replace(/\/$/, "");
  return {
    publicIntake: settings.publicIntake !== false,
    widgetOrigins: settings.widgetOrigins ?? [],
    publicUrl: `${base}/report/${departmentId}`,
    widgetSnippet: `<script src="${base}/widget/needs.js" data-department="${departmentId}" data-lang="he" async></script>`,
    smsNumber: settings.smsNumber ?? null,
    whatsappPhoneNumberId: settings.whatsappPhoneNumberId ?? null,
    smsWebhookUrl: `${base}/api/channels/sms`,
    whatsappWebhookUrl: `${base}/api/channels/whatsapp`,
  };
}

export async function getIntakeSettings(ctx: RequestContext) {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "need.manage", departmentId });
  const dept = await repo.departmentRow(ctx.db, departmentId);
  if (!dept) throw notFound("department");
  return intakeSettingsOf(ctx, departmentId, dept.settings);
}

export async function updateIntakeSettings(
  ctx: RequestContext,
  body: {
    publicIntake?: boolean;
    widgetOrigins?: string[];
    smsNumber?: string | null;
    whatsappPhoneNumberId?: string | null;
  },
) {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "need.manage", departmentId });
  const settings = await ctx.db.transaction(async (tx) => {
    const dept = await repo.departmentRow(tx, departmentId);
    if (!dept) throw notFound("department");
    const next = {
      ...dept.settings,
      ...(body.publicIntake !== undefined ? { publicIntake: body.publicIntake } : {}),
      ...(body.widgetOrigins !== undefined
        ? { widgetOrigins: [...new Set(body.widgetOrigins.map((o) => o.toLowerCase()))] }
        : {}),
      ...(body.smsNumber !== undefined ? { smsNumber: body.smsNumber ?? undefined } : {}),
      ...(body.whatsappPhoneNumberId !== undefined
        ? { whatsappPhoneNumberId: body.whatsappPhoneNumberId ?? undefined }
        : {}),
    };
    // One department per number: messages to it must reach exactly one queue.
    for (const key of ["smsNumber", "whatsappPhoneNumberId"] as const) {
      const value = next[key];
      if (!value) continue;
      const [taken] = await tx
        .select({ id: schema.departments.id })
        .from(schema.departments)
        .where(
          sql`${schema.departments.settings}->>${key} = ${value} and ${schema.departments.id} <> ${departmentId}`,
        )
        .limit(1);
      if (taken) {
        throw new AppError("conflict", 409, "Another department already uses this number", {
          path: [key],
        });
      }
    }
    await tx
      .update(schema.departments)
      .set({ settings: next })
      .where(eq(schema.departments.id, departmentId));
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: "need_intake.update",
        entityType: "department",
        entityId: departmentId,
        fields: Object.keys(body),
      }),
    );
    return next;
  });
  return intakeSettingsOf(ctx, departmentId, settings);
}

/** The sites a department lets embed its report widget (for the frame-ancestors header). */
export async function widgetOrigins(db: DbOrTx, departmentId: string): Promise<string[]> {
  const dept = await repo.departmentRow(db, departmentId);
  return dept?.settings.widgetOrigins ?? [];
}
