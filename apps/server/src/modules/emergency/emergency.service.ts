import { randomUUID } from "node:crypto";
import {
  CALL_RULES,
  HELP_CATEGORIES,
  type AssignCallsBody,
  type Call,
  type CallOutcomeBody,
  type CreateHelpRequestBody,
  type CreateVolunteerOfferBody,
  type Emergency,
  type EmergencyBoard,
  type EmergencyModeResponse,
  type EmergencyStreamEvent,
  type EmergencySummary,
  type HelpCategory,
  type ShiftLogCode,
  type HelpRequest,
  type ListCallsQuery,
  type ResidentEmergencyHistory,
  type ReviewBody,
  type RiskReason,
} from "@kaveret/contracts";
import { flagToken, schema, type DbOrTx, type FieldCipher } from "@kaveret/db";
import { sql } from "drizzle-orm";
import type { RequestContext } from "../../lib/context.ts";
import { departmentOf } from "../../lib/context.ts";
import { AppError, notFound, versionConflict } from "../../lib/errors.ts";
import {
  authorize,
  callAccess,
  callVisibility,
  can,
  helpRequestAccess,
  residentAccess,
} from "../../policy/policy.ts";
import { hasRole } from "../../policy/actor.ts";
import { auditFor, recordAudit, recordRead } from "../audit/audit.service.ts";
import * as residentsRepo from "../residents/residents.repository.ts";
import { ancestorChain } from "../communities/communities.repository.ts";
import { setAssetOccupancy } from "../assets/assets.service.ts";
import { readTogether } from "../../lib/sql.ts";
import { csvLine } from "../imports/table-writer.ts";
import * as repo from "./emergency.repository.ts";
import {
  addressLine,
  helpReference,
  presentAttempt,
  presentCall,
  presentEmergency,
  presentHelp,
  presentLog,
  presentOffer,
  presentReview,
  presentShelter,
} from "./emergency.presenter.ts";
import { publishEmergencyEvent } from "./emergency.live.ts";
import { queueStatusLinks } from "./emergency.jobs.ts";
import { hashToken, newStatusLinkRows } from "./status-links.ts";
import type { EventBus } from "../../events/bus.ts";
import { compareRisk, RISK_FLAGS, riskOf, type Rankable } from "./risk.ts";
import { splitCalls, type SplitCaller } from "./split.ts";
import { distanceMeters, matchOffers, offerCovers } from "./matching.ts";

/*
 * Emergency mode (SPEC §2, journey 5): the rules. Declaring and closing span other
 * features and live in src/commands/ (emergency-activate.ts, emergency-close.ts); they
 * call the pieces exported here.
 */

type Tx = DbOrTx;
const STAFF_CALLER_ROLES = ["manager", "community_worker", "social_worker"];
const MAP_POINTS = 2000;

/* ------------------------------------------------------------------ */
/* Helpers.                                                             */
/* ------------------------------------------------------------------ */

export function announce(
  events: EventBus,
  departmentId: string,
  type: EmergencyStreamEvent["type"],
  emergencyId: string,
  id: string | null = null,
  communityId: string | null = null,
) {
  publishEmergencyEvent(events, departmentId, {
    type,
    emergencyId,
    id,
    communityId,
    at: new Date().toISOString(),
  });
}

/** The emergency, or 404 (any department role that may read the mode may name it). */
export async function loadEmergency(ctx: RequestContext, id: string) {
  const departmentId = departmentOf(ctx);
  const row = await repo.findEmergency(ctx.db, departmentId, id);
  if (!row) throw new AppError("emergency.not_found", 404, "No such emergency");
  return { departmentId, row };
}

export function assertActive(row: repo.EmergencyRow) {
  if (row.status !== "active") {
    throw new AppError("emergency.not_active", 409, "This emergency is closed");
  }
}

export async function presentEmergencyRow(db: DbOrTx, row: repo.EmergencyRow): Promise<Emergency> {
  const [communities, users, counts] = await readTogether(db, [
    () => repo.communityNames(db, row.departmentId, row.communityIds),
    () => repo.userNames(db, [row.declaredBy, row.closedBy]),
    () => repo.counts(db, row.departmentId, row.id),
  ] as const);
  return presentEmergency(row, communities, users, counts);
}

export async function systemLog(
  tx: Tx,
  departmentId: string,
  emergencyId: string,
  entry: { code: ShiftLogCode; params: Record<string, string | number>; text: string },
  kind: "note" | "decision" | "handover" | "incident" = "note",
) {
  await repo.insertLog(tx, {
    departmentId,
    emergencyId,
    kind,
    text: entry.text,
    code: entry.code,
    params: entry.params,
    system: true,
  });
}

const decryptOr = (cipher: FieldCipher, value: string | null) =>
  value ? cipher.decrypt(value) : "";

/* ------------------------------------------------------------------ */
/* The current mode, the list, one emergency.                           */
/* ------------------------------------------------------------------ */

/** What every screen's banner shows: routine, emergency or drill (no personal data). */
export async function getMode(ctx: RequestContext): Promise<EmergencyModeResponse> {
  authorize(ctx.actor, { type: "emergency.mode" });
  const departmentId = departmentOf(ctx);
  const row = await repo.findActive(ctx.db, departmentId);
  const a = ctx.actor;
  const permissions = {
    declare: can(a, { type: "emergency.declare", departmentId }),
    manage: can(a, { type: "emergency.manage", departmentId }),
    board: can(a, { type: "emergency.board", departmentId }),
    call: can(a, { type: "emergency.call", departmentId }),
    offerHelp: can(a, { type: "emergency.volunteer", departmentId }),
  };
  if (!row) return { mode: "routine", emergency: null, permissions };
  const names = await repo.communityNames(ctx.db, departmentId, row.communityIds);
  return {
    mode: row.drill ? "drill" : "emergency",
    emergency: {
      id: row.id,
      type: row.type as Emergency["type"],
      level: row.level as Emergency["level"],
      title: row.title,
      drill: row.drill,
      startedAt: row.startedAt.toISOString(),
      communities: row.communityIds.map((id) => ({ id, name: names.get(id) ?? "" })),
    },
    permissions,
  };
}

export async function listEmergencies(ctx: RequestContext) {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "emergency.board", departmentId });
  const rows = await repo.listEmergencies(ctx.db, departmentId);
  return { items: await Promise.all(rows.map((row) => presentEmergencyRow(ctx.db, row))) };
}

export async function getEmergency(ctx: RequestContext, id: string) {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "emergency.board", departmentId });
  const { row } = await loadEmergency(ctx, id);
  return presentEmergencyRow(ctx.db, row);
}

/** Level, title, note, scope of an open emergency (the manager). */
export async function updateEmergency(
  ctx: RequestContext,
  id: string,
  body: {
    version: number;
    level?: 1 | 2 | 3 | 4;
    title?: string;
    note?: string;
    communityIds?: string[];
  },
) {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "emergency.manage", departmentId });
  const { row } = await loadEmergency(ctx, id);
  assertActive(row);
  if (row.version !== body.version) throw versionConflict({ version: row.version });
  const communityIds = body.communityIds ? [...new Set(body.communityIds)] : undefined;
  if (communityIds) await assertCommunities(ctx.db, departmentId, communityIds);
  const updated = await ctx.db.transaction(async (tx) => {
    const next = await repo.updateEmergencyIfVersion(tx, departmentId, id, body.version, {
      ...(body.level !== undefined ? { level: body.level } : {}),
      ...(body.title !== undefined ? { title: body.title } : {}),
      ...(body.note !== undefined ? { note: body.note } : {}),
      ...(communityIds ? { communityIds } : {}),
    });
    if (!next) throw versionConflict({ version: row.version + 1 });
    if (communityIds && !row.drill) {
      await repo.setCommunityMode(tx, departmentId, row.communityIds, "routine");
      await repo.setCommunityMode(tx, departmentId, communityIds, "emergency");
    }
    if (body.level !== undefined && body.level !== row.level) {
      await systemLog(
        tx,
        departmentId,
        id,
        {
          code: "level_changed",
          params: { from: row.level, to: body.level },
          text: `level ${row.level} → ${body.level}`,
        },
        "decision",
      );
    }
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: "emergency.update",
        entityType: "emergency",
        entityId: id,
        fields: Object.keys(body).filter((k) => k !== "version"),
      }),
    );
    return next;
  });
  announce(ctx.events, departmentId, "updated", id);
  return presentEmergencyRow(ctx.db, updated);
}

export async function assertCommunities(db: DbOrTx, departmentId: string, ids: string[]) {
  const found = await repo.liveCommunities(db, departmentId, ids);
  const known = new Set(found.map((c) => c.id));
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length) {
    throw new AppError(
      "emergency.community_not_found",
      400,
      "Some communities do not exist in the department",
      { path: ["communityIds"], missing },
    );
  }
}

/* ------------------------------------------------------------------ */
/* Call list: generation (risk.ts) and status links.                     */
/* ------------------------------------------------------------------ */

export type LinkToSend = { residentId: string; phone: string; languages: string[] };

/**
 * Adds the residents in scope the risk rule puts on the list (and not there yet), ranked
 * with the whole list: the new calls are written with their final rank (a set-based insert,
 * 5,000 rows a statement) and only calls already on the list whose rank moved are updated —
 * none when the list is first drawn. Flags are read through their blind-index tokens (never
 * decrypted here). Runs inside the caller's transaction (declaring does it in the same one).
 * Returns who should get their status-page link by message (made by the job that sends it).
 */
export async function generateCallsInTx(
  tx: Tx,
  cipher: FieldCipher,
  emergency: repo.EmergencyRow,
): Promise<{ added: number; total: number; toSend: LinkToSend[] }> {
  const departmentId = emergency.departmentId;
  const year = new Date().getUTCFullYear();
  const flagOf = new Map<string, string>(
    RISK_FLAGS.map((f) => [flagToken(cipher, departmentId, f), f]),
  );
  const found = await repo.candidates(
    tx,
    departmentId,
    emergency.id,
    emergency.communityIds,
    [...flagOf.keys()],
    year - 75,
  );
  const existing = await repo.rankRows(tx, departmentId, emergency.id);
  // Residents who have a link already (a broadcast's {statusLink}) are not sent another.
  const linked = await repo.linkedResidents(tx, departmentId, emergency.id);
  type Added = repo.NewCall & Rankable;
  const added: Added[] = [];
  const toSend: LinkToSend[] = [];
  for (const c of found) {
    const flags = c.flagTokens.flatMap((t) => flagOf.get(t) ?? []);
    const risk = riskOf({ flags, birthYear: c.birthYear, year });
    if (risk.reasons.length === 0) continue;
    const consented = c.consents.includes("emergency_contact");
    added.push({
      id: randomUUID(),
      residentId: c.id,
      rank: 0,
      score: risk.score,
      riskScore: risk.score,
      riskEnc: cipher.encryptJson(risk.reasons),
      birthYear: c.birthYear,
      lastName: c.lastName,
      firstName: c.firstName,
      consented,
      streetId: c.streetId,
      houseNumber: c.houseNumber,
      languages: c.languages,
      homeCommunityId: c.homeCommunityId,
    });
    if (consented && c.phone && !linked.has(c.id))
      toSend.push({ residentId: c.id, phone: c.phone, languages: c.languages });
  }
  // Rank the whole list: new residents fall in where their risk puts them.
  const ordered: ({ kind: "new"; row: Added } | { kind: "old"; row: repo.RankRow })[] = [
    ...added.map((row) => ({ kind: "new" as const, row })),
    ...existing.map((row) => ({ kind: "old" as const, row })),
  ].sort((a, b) => compareRisk(a.row, b.row));
  const moved: { id: string; rank: number }[] = [];
  ordered.forEach((x, i) => {
    if (x.kind === "new") x.row.rank = i + 1;
    else if (x.row.rank !== i + 1) moved.push({ id: x.row.id, rank: i + 1 });
  });
  await repo.setRanks(tx, departmentId, moved);
  await repo.insertCalls(tx, emergency, added);
  return { added: added.length, total: ordered.length, toSend };
}

/**
 * The status-page links of residents of one emergency (a broadcast's send batch, or one
 * resident): existing ones read, missing ones made in one insert — three queries at most.
 * The same resident keeps the same link.
 */
export async function ensureStatusLinks(
  db: DbOrTx,
  cipher: FieldCipher,
  publicUrl: string,
  o: { departmentId: string; emergencyId: string; residentIds: string[] },
): Promise<Map<string, string>> {
  const ids = [...new Set(o.residentIds)];
  const out = new Map<string, string>();
  if (ids.length === 0) return out;
  const read = async () => {
    for (const row of await repo.linksOf(db, o.departmentId, o.emergencyId, ids)) {
      out.set(row.residentId, `${publicUrl}/ok/${cipher.decrypt(row.tokenEnc)}`);
    }
  };
  await read();
  const missing = ids.filter((id) => !out.has(id));
  if (missing.length > 0) {
    await repo.insertLinks(db, o.departmentId, newStatusLinkRows(cipher, o.emergencyId, missing));
    // Another sender may have made some first: whichever was stored is the link.
    await read();
  }
  return out;
}

/** One resident's link for this emergency (made on first use; the same link afterwards). */
export async function ensureStatusLink(
  db: DbOrTx,
  cipher: FieldCipher,
  publicUrl: string,
  o: { departmentId: string; emergencyId: string; residentId: string },
): Promise<string> {
  const links = await ensureStatusLinks(db, cipher, publicUrl, {
    departmentId: o.departmentId,
    emergencyId: o.emergencyId,
    residentIds: [o.residentId],
  });
  return links.get(o.residentId)!;
}

/** POST …/calls/generate: adds residents who now qualify (new flags, wider scope). */
export async function generateCalls(ctx: RequestContext, id: string) {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "emergency.manage", departmentId });
  const { row } = await loadEmergency(ctx, id);
  assertActive(row);
  const result = await ctx.db.transaction(async (tx) => {
    const r = await generateCallsInTx(tx, ctx.cipher, row);
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: "emergency.calls_generate",
        entityType: "emergency",
        entityId: id,
        fields: ["flags", "consents"],
        details: { added: r.added },
      }),
    );
    const queued = await queueStatusLinks(
      tx,
      ctx.jobs,
      row,
      r.toSend.map((x) => x.residentId),
    );
    if (r.added) {
      await systemLog(tx, departmentId, id, {
        code: "calls_added",
        params: { added: r.added, total: r.total },
        text: `call list: +${r.added} (${r.total})`,
      });
    }
    return { ...r, queued };
  });
  announce(ctx.events, departmentId, "calls_generated", id);
  return { added: result.added, total: result.total, linksSent: result.queued };
}

/* ------------------------------------------------------------------ */
/* Call list: split among callers (split.ts).                           */
/* ------------------------------------------------------------------ */

export async function assignCallers(ctx: RequestContext, id: string, body: AssignCallsBody) {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "emergency.manage", departmentId });
  const { row } = await loadEmergency(ctx, id);
  assertActive(row);
  const ids = [...new Set(body.callers.map((c) => c.userId))];
  const roles = await repo.departmentRoles(ctx.db, departmentId, ids);
  const callers: SplitCaller[] = [];
  for (const input of body.callers) {
    const held = roles.get(input.userId)?.roles ?? [];
    const staff = held.some((r) => STAFF_CALLER_ROLES.includes(r));
    if (!staff && !held.includes("volunteer")) {
      throw new AppError(
        "emergency.caller_not_allowed",
        400,
        "A caller must be a worker or volunteer of the department",
        { userId: input.userId },
      );
    }
    if (callers.some((c) => c.userId === input.userId)) continue;
    callers.push({
      userId: input.userId,
      languages: input.languages,
      staff,
      ...(input.maxCalls !== undefined ? { maxCalls: input.maxCalls } : {}),
    });
  }
  const open = await repo.callsToSplit(ctx.db, departmentId, id, body.reassignAll);
  if (!body.reassignAll) {
    const loads = await repo.openLoads(ctx.db, departmentId, id, ids);
    for (const c of callers) c.load = loads.get(c.userId) ?? 0;
  }
  const result = splitCalls(open, callers);
  const byCaller = new Map<string | null, string[]>();
  for (const call of open) {
    const who = result.assignments.get(call.id) ?? (body.reassignAll ? null : call.assigneeId);
    if (who === call.assigneeId) continue;
    byCaller.set(who, [...(byCaller.get(who) ?? []), call.id]);
  }
  await ctx.db.transaction(async (tx) => {
    for (const [who, callIds] of byCaller) await repo.assignCalls(tx, departmentId, who, callIds);
    await systemLog(tx, departmentId, id, {
      code: "calls_split",
      params: {
        callers: callers.length,
        assigned: result.assignments.size,
        left: result.unassigned.length,
      },
      text: `calls split among ${callers.length} callers: ${result.assignments.size} assigned, ${result.unassigned.length} left`,
    });
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: "emergency.calls_assign",
        entityType: "emergency",
        entityId: id,
        details: { callers: callers.length, assigned: result.assignments.size },
      }),
    );
  });
  announce(ctx.events, departmentId, "calls_assigned", id);
  return {
    assigned: result.assignments.size,
    unassigned: result.unassigned.length,
    perCaller: callers.map((c) => {
      const p = result.perCaller.get(c.userId)!;
      return {
        userId: c.userId,
        name: roles.get(c.userId)?.name ?? "",
        calls: p.calls,
        streets: p.streets.size,
        buildings: p.buildings.size,
      };
    }),
  };
}

/** One call to another caller (or back to the pool). */
export async function reassignCall(
  ctx: RequestContext,
  callId: string,
  assigneeId: string | null,
): Promise<Call> {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "emergency.manage", departmentId });
  const loaded = await loadCall(ctx, callId);
  assertActive(loaded.emergency);
  const c = loaded.row.call;
  if (assigneeId) {
    const held = (await repo.departmentRoles(ctx.db, departmentId, [assigneeId])).get(
      assigneeId,
    )?.roles;
    const staff = held?.some((r) => STAFF_CALLER_ROLES.includes(r)) ?? false;
    if (!staff && !(held?.includes("volunteer") && c.consented)) {
      throw new AppError(
        "emergency.caller_not_allowed",
        400,
        "Give this call to a worker, or to a volunteer when the resident consented to emergency contact",
        { userId: assigneeId },
      );
    }
  }
  await ctx.db.transaction(async (tx) => {
    const ok = await repo.updateCallIfVersion(tx, departmentId, callId, c.version, { assigneeId });
    if (!ok) throw versionConflict({ version: c.version + 1 });
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: "emergency.call_assign",
        entityType: "emergency_call",
        entityId: callId,
        fields: ["assignee"],
      }),
    );
  });
  announce(ctx.events, departmentId, "call_updated", c.emergencyId, callId, c.homeCommunityId);
  return getCall(ctx, callId);
}

/* ------------------------------------------------------------------ */
/* Call list: reading and working.                                       */
/* ------------------------------------------------------------------ */

async function loadCall(ctx: RequestContext, callId: string) {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "emergency.call", departmentId });
  const row = await repo.findCall(ctx.db, departmentId, callId);
  if (!row) throw new AppError("emergency.call_not_found", 404, "No such call");
  const emergency = (await repo.findEmergency(ctx.db, departmentId, row.call.emergencyId))!;
  const access = callAccess(ctx.actor, {
    departmentId,
    communityChains: [row.communityIds],
    assigneeId: row.call.assigneeId,
    escalatedTo: row.call.escalatedTo,
    status: row.call.status,
    emergencyActive: emergency.status === "active",
  });
  // Out of reach looks the same as missing (no hint a call exists).
  if (!access) throw new AppError("emergency.call_not_found", 404, "No such call");
  return { departmentId, row, emergency, access };
}

async function presentCalls(
  ctx: RequestContext,
  rows: repo.CallListRow[],
  accessOf: (row: repo.CallListRow) => "full" | "assignment",
  purpose: string,
): Promise<Call[]> {
  const departmentId = departmentOf(ctx);
  const attempts = await repo.attemptsFor(
    ctx.db,
    departmentId,
    rows.map((r) => r.call.id),
  );
  const users = await repo.userNames(ctx.db, [
    ...rows.flatMap((r) => [r.call.assigneeId, r.call.escalatedTo]),
    ...attempts.map((a) => a.byUserId),
  ]);
  const byCall = new Map<string, repo.AttemptRow[]>();
  for (const a of attempts) byCall.set(a.callId, [...(byCall.get(a.callId) ?? []), a]);
  const out = rows.map((row) => {
    const access = accessOf(row);
    const history = (byCall.get(row.call.id) ?? []).map((a) =>
      presentAttempt(
        a,
        users,
        // A volunteer reads the notes they wrote, not what staff noted about the person.
        access === "full" || a.byUserId === ctx.actor.userId
          ? decryptOr(ctx.cipher, a.noteEnc)
          : "",
      ),
    );
    const reasons =
      access === "full" && row.call.riskEnc
        ? ctx.cipher.decryptJson<RiskReason[]>(row.call.riskEnc)
        : null;
    return presentCall(row, access, { reasons, attempts: history, users });
  });
  const full = rows.filter((r) => accessOf(r) === "full").map((r) => r.call.residentId);
  const assignment = rows.filter((r) => accessOf(r) !== "full").map((r) => r.call.residentId);
  await recordRead(ctx, {
    entityType: "resident",
    entityIds: full,
    fields: ["phone", "address", "flags"],
    purpose,
  });
  await recordRead(ctx, {
    entityType: "resident",
    entityIds: assignment,
    fields: ["phone", "address"],
    purpose,
  });
  return out;
}

/** The call list as the reader may see it: all, their communities', or their own (volunteers: open ones). */
export async function listCalls(ctx: RequestContext, emergencyId: string, q: ListCallsQuery) {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "emergency.call", departmentId });
  const { row: emergency } = await loadEmergency(ctx, emergencyId);
  const v = callVisibility(ctx.actor);
  const scope = repo.callScope(v, emergency.status === "active");
  const assignee =
    q.assignee === "me"
      ? ({ kind: "user", id: ctx.actor.userId } as const)
      : q.assignee === "none"
        ? ({ kind: "none" } as const)
        : q.assignee
          ? ({ kind: "user", id: q.assignee } as const)
          : undefined;
  const { rows, total } = await repo.listCalls(
    ctx.db,
    scope,
    {
      emergencyId,
      ...(assignee ? { assignee } : {}),
      ...(q.status ? { statuses: q.status } : {}),
      ...(q.due === "true" ? { due: true } : {}),
      ...(q.communityId ? { communityId: q.communityId } : {}),
    },
    { offset: (q.page - 1) * q.pageSize, limit: q.pageSize },
  );
  const items = await presentCalls(
    ctx,
    rows,
    (row) =>
      callAccess(ctx.actor, {
        departmentId,
        communityChains: [row.communityIds],
        assigneeId: row.call.assigneeId,
        escalatedTo: row.call.escalatedTo,
        status: row.call.status,
        emergencyActive: emergency.status === "active",
      }) ?? "assignment",
    "emergency_call_list",
  );
  return { items, total, page: q.page, pageSize: q.pageSize };
}

export async function getCall(ctx: RequestContext, callId: string): Promise<Call> {
  const { row, access } = await loadCall(ctx, callId);
  const [call] = await presentCalls(ctx, [row], () => access, "emergency_call");
  return call!;
}

/** Where a call goes after an outcome (the retry and escalation rule; pure). */
export function nextCallState(
  call: { status: string; attempts: number },
  outcome: CallOutcomeBody["outcome"],
  at: Date,
): {
  status: "pending" | "retry" | "escalated" | "done";
  outcome: string | null;
  attempts: number;
  nextAttemptAt: Date | null;
  escalate: boolean;
} {
  if (outcome === "reached_ok" || outcome === "reached_needs_help") {
    return {
      status: "done",
      outcome,
      attempts: call.attempts,
      nextAttemptAt: null,
      escalate: false,
    };
  }
  // Not reached: a call already answered stays answered (the miss is only logged).
  if (call.status === "done") {
    return {
      status: "done",
      outcome: null,
      attempts: call.attempts,
      nextAttemptAt: null,
      escalate: false,
    };
  }
  const attempts = call.attempts + 1;
  if (attempts >= CALL_RULES.maxAttempts) {
    return {
      status: "escalated",
      outcome,
      attempts,
      nextAttemptAt: null,
      escalate: call.status !== "escalated",
    };
  }
  const minutes =
    CALL_RULES.retryAfterMinutes[attempts - 1] ??
    CALL_RULES.retryAfterMinutes[CALL_RULES.retryAfterMinutes.length - 1]!;
  return {
    status: "retry",
    outcome,
    attempts,
    nextAttemptAt: new Date(at.getTime() + minutes * 60_000),
    escalate: false,
  };
}

type HelpInsert = {
  departmentId: string;
  emergency: repo.EmergencyRow;
  category: HelpCategory;
  urgency: "normal" | "high" | "critical";
  description: string;
  source: "call" | "self" | "staff";
  residentId: string | null;
  callId: string | null;
  lat: number | null;
  lon: number | null;
  addressText: string;
  communityId: string | null;
  languages: string[];
  skills: string[];
  createdBy: string | null;
};

async function insertHelpRequest(tx: Tx, cipher: FieldCipher, h: HelpInsert) {
  const number = await repo.nextHelpNumber(tx, h.departmentId);
  return repo.insertHelp(tx, {
    departmentId: h.departmentId,
    number,
    emergencyId: h.emergency.id,
    drill: h.emergency.drill,
    category: h.category,
    urgency: h.urgency,
    status: "open",
    source: h.source,
    descriptionEnc: h.description ? cipher.encrypt(h.description) : null,
    residentId: h.residentId,
    callId: h.callId,
    lat: h.lat,
    lon: h.lon,
    addressText: h.addressText,
    communityId: h.communityId,
    languages: h.languages,
    skills: h.skills,
    createdBy: h.createdBy,
  });
}

/**
 * Records one call attempt: reached OK, reached and needs help (a help request at once),
 * or not reached (retry later; escalated after CALL_RULES.maxAttempts misses). Exactly once
 * per attempt id (the device makes it when working offline).
 */
export async function recordOutcome(
  ctx: RequestContext,
  callId: string,
  body: Omit<CallOutcomeBody, "attemptId"> & { attemptId?: string | undefined },
): Promise<Call> {
  const attemptId = body.attemptId ?? crypto.randomUUID();
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "emergency.call", departmentId });
  const before = await repo.findAttempt(ctx.db, departmentId, attemptId);
  if (before) {
    if (before.callId !== callId || before.byUserId !== ctx.actor.userId) {
      throw new AppError("conflict", 409, "This attempt id was used for another call");
    }
    // A replay: the same answer as the first time, nothing recorded twice.
    return presentWorked(ctx, callId, "assignment");
  }
  const { row, emergency, access } = await loadCall(ctx, callId);
  assertActive(emergency);
  const c = row.call;
  const now = new Date();
  const at = body.at ? new Date(Math.min(new Date(body.at).getTime(), now.getTime())) : now;
  const next = nextCallState(c, body.outcome, at);
  let escalatedTo: string | null = c.escalatedTo;
  if (next.escalate) {
    escalatedTo =
      (await repo.communityWorkerFor(ctx.db, departmentId, row.communityIds, c.assigneeId)) ??
      emergency.declaredBy;
  }
  const created = await ctx.db.transaction(async (tx) => {
    await repo.insertAttempt(tx, {
      departmentId,
      id: attemptId,
      emergencyId: c.emergencyId,
      callId,
      outcome: body.outcome,
      source: "call",
      noteEnc: body.note ? ctx.cipher.encrypt(body.note) : null,
      byUserId: ctx.actor.userId,
      at,
    });
    let help: repo.HelpRow | null = null;
    if (body.outcome === "reached_needs_help" && body.help) {
      help = await insertHelpRequest(tx, ctx.cipher, {
        departmentId,
        emergency,
        category: body.help.category,
        urgency: body.help.urgency,
        description: body.help.description,
        source: "call",
        residentId: c.residentId,
        callId,
        lat: row.lat,
        lon: row.lon,
        addressText: addressLine({
          streetName: row.streetName,
          houseNumber: row.houseNumber,
          apartment: row.apartment,
          note: row.addressNote,
        }),
        communityId: c.homeCommunityId,
        languages: row.residentLanguages,
        skills: [],
        createdBy: ctx.actor.userId,
      });
    }
    const patch: Partial<typeof schema.emergencyCalls.$inferInsert> = {
      status: next.status,
      attempts: next.attempts,
      nextAttemptAt: next.nextAttemptAt,
    };
    if (next.outcome) {
      patch.outcome = next.outcome;
      patch.lastSource = "call";
    }
    if (help) patch.helpRequestId = help.id;
    if (next.escalate) {
      patch.escalatedTo = escalatedTo;
      patch.escalatedAt = now;
    }
    const ok = await repo.updateCallIfVersion(tx, departmentId, callId, c.version, patch);
    if (!ok) throw versionConflict({ version: c.version + 1 });
    if (next.escalate) {
      await systemLog(
        tx,
        departmentId,
        c.emergencyId,
        {
          code: "escalated",
          params: { rank: c.rank, attempts: next.attempts },
          text: `call #${c.rank} not reached ${next.attempts} times: escalated`,
        },
        "incident",
      );
    }
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: "emergency.call_outcome",
        entityType: "emergency_call",
        entityId: callId,
        communityId: c.homeCommunityId,
        fields: body.note ? ["outcome", "note"] : ["outcome"],
        details: { outcome: body.outcome, status: next.status },
      }),
    );
    return help;
  });
  announce(ctx.events, departmentId, "call_updated", c.emergencyId, callId, c.homeCommunityId);
  if (created)
    announce(
      ctx.events,
      departmentId,
      "help_created",
      c.emergencyId,
      created.id,
      created.communityId,
    );
  return presentWorked(ctx, callId, access);
}

/**
 * The call as its caller just left it. A volunteer's call that is done or escalated is no
 * longer theirs to open, but the answer to their own outcome shows it once more, at the
 * level they worked it at.
 */
async function presentWorked(
  ctx: RequestContext,
  callId: string,
  workedAs: "full" | "assignment",
): Promise<Call> {
  const departmentId = departmentOf(ctx);
  const row = (await repo.findCall(ctx.db, departmentId, callId))!;
  const now =
    callAccess(ctx.actor, {
      departmentId,
      communityChains: [row.communityIds],
      assigneeId: row.call.assigneeId,
      escalatedTo: row.call.escalatedTo,
      status: row.call.status,
      emergencyActive: true,
    }) ?? workedAs;
  const [call] = await presentCalls(ctx, [row], () => now, "emergency_call");
  return call!;
}

/** The resident's status-page link, for a caller to read out or send by hand (staff). */
export async function callStatusLink(ctx: RequestContext, callId: string) {
  const { row, emergency, access, departmentId } = await loadCall(ctx, callId);
  if (access !== "full") throw new AppError("forbidden", 403, "You may not do this");
  assertActive(emergency);
  const url = await ensureStatusLink(ctx.db, ctx.cipher, ctx.config.publicUrl, {
    departmentId,
    emergencyId: emergency.id,
    residentId: row.call.residentId,
  });
  await recordAudit(
    ctx.db,
    auditFor(ctx, {
      action: "emergency.status_link",
      entityType: "resident",
      entityId: row.call.residentId,
    }),
  );
  return { url };
}

/* ------------------------------------------------------------------ */
/* Residents' own status (status-page.ts renders; this records).         */
/* ------------------------------------------------------------------ */

export type StatusPageState = NonNullable<Awaited<ReturnType<typeof findStatusLink>>>;

export async function findStatusLink(db: DbOrTx, token: string) {
  if (!/^[A-Za-z0-9_-]{16,100}$/.test(token)) return undefined;
  return repo.findLinkByHash(db, hashToken(token));
}

/**
 * A resident's own answer: recorded, and the call list updated at once ("I'm OK" closes
 * their call; "I need help" closes it as needs help and opens a help request).
 */
export async function answerStatus(
  deps: { db: DbOrTx; cipher: FieldCipher; requestId: string; events: EventBus },
  state: StatusPageState,
  body: {
    answer: "ok" | "help";
    category?: HelpCategory | undefined;
    note?: string | undefined;
    lang: string;
  },
) {
  const { link, emergency } = state;
  const departmentId = link.departmentId;
  assertActive(emergency);
  const result = await (deps.db as RequestContext["db"]).transaction(async (tx) => {
    await repo.insertSelfReport(tx, {
      departmentId,
      emergencyId: emergency.id,
      residentId: link.residentId,
      answer: body.answer,
      category: body.answer === "help" ? (body.category ?? "other") : null,
      noteEnc: body.note ? deps.cipher.encrypt(body.note) : null,
      language: body.lang,
    });
    const call = await repo.findCallOf(tx, departmentId, emergency.id, link.residentId);
    let help: repo.HelpRow | null = null;
    if (body.answer === "help") {
      const category = body.category ?? "other";
      // A second tap of the same button does not open a second request.
      const open = await repo.openHelpOfResident(tx, departmentId, emergency.id, link.residentId);
      if (!open.some((h) => h.category === category && h.source === "self")) {
        help = await insertHelpRequest(tx, deps.cipher, {
          departmentId,
          emergency,
          category,
          urgency: "high",
          description: body.note ?? "",
          source: "self",
          residentId: link.residentId,
          callId: call?.id ?? null,
          lat: state.lat,
          lon: state.lon,
          addressText: addressLine({
            streetName: state.streetName,
            houseNumber: state.houseNumber,
          }),
          communityId: state.homeCommunityId,
          languages: state.languages,
          skills: [],
          createdBy: null,
        });
      }
    }
    if (call) {
      const outcome = body.answer === "ok" ? "reached_ok" : "reached_needs_help";
      await repo.insertAttempt(tx, {
        departmentId,
        id: crypto.randomUUID(),
        emergencyId: emergency.id,
        callId: call.id,
        outcome,
        source: "self",
        noteEnc: body.note ? deps.cipher.encrypt(body.note) : null,
        byUserId: null,
      });
      const ok = await repo.updateCallIfVersion(tx, departmentId, call.id, call.version, {
        status: "done",
        outcome,
        lastSource: "self",
        nextAttemptAt: null,
        ...(help ? { helpRequestId: help.id } : {}),
      });
      if (!ok) throw versionConflict({ version: call.version + 1 });
    }
    await recordAudit(tx, {
      departmentId,
      actorUserId: null,
      actorRole: "resident",
      requestId: deps.requestId,
      action: "emergency.self_report",
      entityType: "resident",
      entityId: link.residentId,
      fields: body.note ? ["answer", "note"] : ["answer"],
      details: { answer: body.answer, emergencyId: emergency.id },
    });
    return { call, help };
  });
  announce(
    deps.events,
    departmentId,
    "self_report",
    emergency.id,
    result.call?.id ?? null,
    state.homeCommunityId,
  );
  if (result.call) {
    announce(
      deps.events,
      departmentId,
      "call_updated",
      emergency.id,
      result.call.id,
      result.call.homeCommunityId,
    );
  }
  if (result.help) {
    announce(
      deps.events,
      departmentId,
      "help_created",
      emergency.id,
      result.help.id,
      result.help.communityId,
    );
  }
}

/* ------------------------------------------------------------------ */
/* Help requests.                                                        */
/* ------------------------------------------------------------------ */

async function residentForHelp(ctx: RequestContext, departmentId: string, residentId: string) {
  const found = await residentsRepo.findResident(ctx.db, departmentId, residentId);
  if (!found || found.resident.mergedIntoId || found.resident.archivedAt)
    throw notFound("resident");
  const caseworkers = await residentsRepo.caseworkers(ctx.db, departmentId, residentId);
  const access = residentAccess(ctx.actor, {
    departmentId,
    communityChains: [found.resident.communityIds],
    caseworkerIds: caseworkers.map((c) => c.id),
    consents: found.resident.consents,
  });
  // A caller may also open a request for a resident whose call they hold.
  if (access !== "full") {
    const active = await repo.findActive(ctx.db, departmentId);
    const call = active
      ? await repo.findCallOf(ctx.db, departmentId, active.id, residentId)
      : undefined;
    if (!call || (call.assigneeId !== ctx.actor.userId && call.escalatedTo !== ctx.actor.userId)) {
      throw notFound("resident");
    }
  }
  return found;
}

export async function createHelpRequest(
  ctx: RequestContext,
  emergencyId: string,
  body: CreateHelpRequestBody,
): Promise<HelpRequest> {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "emergency.help", departmentId });
  const { row: emergency } = await loadEmergency(ctx, emergencyId);
  assertActive(emergency);
  const resident = body.residentId
    ? await residentForHelp(ctx, departmentId, body.residentId)
    : undefined;
  const r = resident?.resident;
  const communityId = body.communityId ?? r?.homeCommunityId ?? null;
  if (body.communityId) await assertCommunities(ctx.db, departmentId, [body.communityId]);
  const created = await ctx.db.transaction(async (tx) => {
    const call = r ? await repo.findCallOf(tx, departmentId, emergencyId, r.id) : undefined;
    const help = await insertHelpRequest(tx, ctx.cipher, {
      departmentId,
      emergency,
      category: body.category,
      urgency: body.urgency,
      description: body.description,
      source: "staff",
      residentId: r?.id ?? null,
      callId: call?.id ?? null,
      lat: body.location?.lat ?? r?.lat ?? null,
      lon: body.location?.lon ?? r?.lon ?? null,
      addressText:
        body.addressText ||
        (resident
          ? addressLine({
              streetName: resident.streetName,
              houseNumber: r!.houseNumber,
              apartment: r!.apartment,
              note: r!.addressNote,
            })
          : ""),
      communityId,
      languages: body.languages.length ? body.languages : (r?.languages ?? []),
      skills: body.skills,
      createdBy: ctx.actor.userId,
    });
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: "emergency.help_create",
        entityType: "emergency_help",
        entityId: help.id,
        communityId,
        fields: body.description ? ["category", "description"] : ["category"],
      }),
    );
    return help;
  });
  announce(ctx.events, departmentId, "help_created", emergencyId, created.id, communityId);
  return getHelpRequest(ctx, created.id);
}

function staffHelpReach(ctx: RequestContext, departmentId: string) {
  if (hasRole(ctx.actor, "manager")) return null;
  return repo.helpReach(departmentId, {
    communityRoots: hasRole(ctx.actor, "community_worker") ? ctx.actor.communityIds : [],
    userId: ctx.actor.userId,
    createdToo: hasRole(ctx.actor, "social_worker"),
  });
}

async function presentHelpRows(
  ctx: RequestContext,
  rows: { row: repo.HelpRow; access: "full" | "outline"; distance: number | null }[],
): Promise<HelpRequest[]> {
  const departmentId = departmentOf(ctx);
  const fullRows = rows.filter((x) => x.access === "full").map((x) => x.row);
  const residentIds = [
    ...new Set(fullRows.map((r) => r.residentId).filter((x): x is string => !!x)),
  ];
  const residents = residentIds.length
    ? await ctx.db
        .select({
          id: schema.residents.id,
          firstName: schema.residents.firstName,
          lastName: schema.residents.lastName,
          phone: schema.residents.phone,
        })
        .from(schema.residents)
        .where(
          sql`${schema.residents.departmentId} = ${departmentId} and ${schema.residents.id} in (${sql.join(
            residentIds.map((id) => sql`${id}::uuid`),
            sql`, `,
          )})`,
        )
    : [];
  const byId = new Map(residents.map((r) => [r.id, r]));
  const [communities, users, needs] = await Promise.all([
    repo.communityNames(
      ctx.db,
      departmentId,
      rows.map((x) => x.row.communityId).filter((x): x is string => !!x),
    ),
    repo.userNames(
      ctx.db,
      rows.map((x) => x.row.claimedBy),
    ),
    repo.needNumbers(
      ctx.db,
      departmentId,
      rows.map((x) => x.row.needId).filter((x): x is string => !!x),
    ),
  ]);
  if (residentIds.length) {
    await recordRead(ctx, {
      entityType: "resident",
      entityIds: residentIds,
      fields: ["phone", "address"],
      purpose: "emergency_help",
    });
  }
  return rows.map(({ row, access, distance }) => {
    const res = row.residentId ? byId.get(row.residentId) : undefined;
    return presentHelp(row, access, {
      description: access === "full" ? decryptOr(ctx.cipher, row.descriptionEnc) : null,
      communities,
      users,
      residentName: res ? `${res.firstName} ${res.lastName}` : null,
      residentPhone: res?.phone ?? null,
      needNumber: row.needId ? (needs.get(row.needId) ?? null) : null,
      distanceMeters: distance,
    });
  });
}

/**
 * Help requests: staff see those in their reach in full; a volunteer sees those they
 * claimed in full and the open ones their offer covers in outline.
 */
export async function listHelpRequests(
  ctx: RequestContext,
  emergencyId: string,
  q: {
    status?: string[] | undefined;
    category?: HelpCategory | undefined;
    mine?: "true" | "false" | undefined;
    page: number;
    pageSize: number;
  },
) {
  const departmentId = departmentOf(ctx);
  const staff = can(ctx.actor, { type: "emergency.help", departmentId });
  if (!staff) authorize(ctx.actor, { type: "emergency.volunteer", departmentId });
  const { row: emergency } = await loadEmergency(ctx, emergencyId);
  let picked: { row: repo.HelpRow; access: "full" | "outline"; distance: number | null }[];
  if (staff) {
    const rows = await repo.listHelp(ctx.db, {
      departmentId,
      emergencyId,
      ...(q.status ? { statuses: q.status } : {}),
      ...(q.category ? { category: q.category } : {}),
      reach:
        q.mine === "true"
          ? sql`${schema.emergencyHelpRequests.claimedBy} = ${ctx.actor.userId}`
          : staffHelpReach(ctx, departmentId),
    });
    picked = rows.map((row) => ({ row, access: "full" as const, distance: null }));
  } else {
    const [offer] = await repo.listOffers(ctx.db, departmentId, emergencyId, ctx.actor.userId);
    const rows = await repo.listHelp(ctx.db, {
      departmentId,
      emergencyId,
      ...(q.status ? { statuses: q.status } : {}),
      ...(q.category ? { category: q.category } : {}),
      reach: null,
    });
    picked = [];
    for (const row of rows) {
      if (row.claimedBy === ctx.actor.userId) {
        picked.push({ row, access: "full", distance: null });
        continue;
      }
      if (q.mine === "true" || emergency.status !== "active") continue;
      if (row.status !== "open" || !offer?.active) continue;
      const covers = offerCovers(
        { ...offer, activeClaims: 0 },
        { ...row, languages: row.languages, skills: row.skills },
      );
      if (covers === false) continue;
      picked.push({
        row,
        access: "outline",
        distance: covers === null ? null : Math.round(covers),
      });
    }
  }
  const total = picked.length;
  const page = picked.slice((q.page - 1) * q.pageSize, q.page * q.pageSize);
  return { items: await presentHelpRows(ctx, page), total, page: q.page, pageSize: q.pageSize };
}

async function loadHelp(ctx: RequestContext, id: string) {
  const departmentId = departmentOf(ctx);
  if (!can(ctx.actor, { type: "emergency.help", departmentId })) {
    authorize(ctx.actor, { type: "emergency.volunteer", departmentId });
  }
  const row = await repo.findHelp(ctx.db, departmentId, id);
  if (!row) throw new AppError("emergency.help_request_not_found", 404, "No such help request");
  const chain = row.communityId
    ? [row.communityId, ...(await ancestorsOf(ctx.db, departmentId, row.communityId))]
    : [];
  const access = helpRequestAccess(ctx.actor, {
    departmentId,
    chain,
    claimedBy: row.claimedBy,
    createdBy: row.createdBy,
  });
  if (!access) throw new AppError("emergency.help_request_not_found", 404, "No such help request");
  const emergency = (await repo.findEmergency(ctx.db, departmentId, row.emergencyId))!;
  return { departmentId, row, access, emergency };
}

async function ancestorsOf(db: DbOrTx, departmentId: string, communityId: string) {
  return (await ancestorChain(db, departmentId, communityId)).filter((id) => id !== communityId);
}

/** A volunteer sees an open request in outline only when their offer covers it. */
async function volunteerCovers(ctx: RequestContext, row: repo.HelpRow) {
  const [offer] = await repo.listOffers(
    ctx.db,
    row.departmentId,
    row.emergencyId,
    ctx.actor.userId,
  );
  if (!offer?.active) return false;
  return offerCovers({ ...offer, activeClaims: 0 }, row);
}

export async function getHelpRequest(ctx: RequestContext, id: string): Promise<HelpRequest> {
  const { row, access } = await loadHelp(ctx, id);
  let distance: number | null = null;
  if (access === "outline") {
    const covers = row.status === "open" ? await volunteerCovers(ctx, row) : false;
    if (covers === false) {
      throw new AppError("emergency.help_request_not_found", 404, "No such help request");
    }
    distance = covers === null ? null : Math.round(covers);
  }
  const [out] = await presentHelpRows(ctx, [{ row, access, distance }]);
  return out!;
}

/** Volunteer offers ranked for one request (matching.ts). */
export async function helpMatches(ctx: RequestContext, id: string) {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "emergency.help", departmentId });
  const { row, access } = await loadHelp(ctx, id);
  if (access !== "full") throw new AppError("forbidden", 403, "You may not do this");
  const [offers, claims] = await Promise.all([
    repo.listOffers(ctx.db, departmentId, row.emergencyId),
    repo.activeClaims(ctx.db, departmentId, row.emergencyId),
  ]);
  const users = await repo.userNames(
    ctx.db,
    offers.map((o) => o.userId),
  );
  const matches = matchOffers(
    row,
    offers.map((o) => ({ ...o, activeClaims: claims.get(o.userId) ?? 0 })),
  );
  return {
    items: matches.map((m) => ({
      offer: presentOffer(m.offer, users, m.offer.activeClaims),
      score: m.score,
      distanceMeters: m.distanceMeters,
      languageMatch: m.languageMatch,
      skillsMatched: m.skillsMatched,
    })),
  };
}

type HelpMove = "claim" | "release" | "complete" | "cancel";
const HELP_FROM: Record<HelpMove, string[]> = {
  claim: ["open"],
  release: ["claimed"],
  complete: ["claimed", "open"],
  cancel: ["open", "claimed"],
};

/** claim → claimed; release → open; complete → completed; cancel → cancelled. */
export async function moveHelp(
  ctx: RequestContext,
  id: string,
  move: HelpMove,
  body: { version: number; userId?: string | undefined; note?: string; reason?: string },
): Promise<HelpRequest> {
  const { departmentId, row, access, emergency } = await loadHelp(ctx, id);
  assertActive(emergency);
  const staffFull =
    access === "full" && hasRole(ctx.actor, "manager", "community_worker", "social_worker");
  const isClaimer = row.claimedBy !== null && row.claimedBy === ctx.actor.userId;
  // Outline readers see open requests only: anything else is not theirs to see or move.
  if (access === "outline" && move !== "claim") {
    throw new AppError("emergency.help_request_not_found", 404, "No such help request");
  }
  let claimer: string | null = row.claimedBy;
  if (move === "claim") {
    const target = body.userId ?? ctx.actor.userId;
    if (target !== ctx.actor.userId) {
      if (!staffFull || !hasRole(ctx.actor, "manager", "community_worker")) {
        throw new AppError("forbidden", 403, "Only staff give a request to someone else");
      }
      const held = (await repo.departmentRoles(ctx.db, departmentId, [target])).get(target)?.roles;
      if (!held?.some((r) => ["volunteer", ...STAFF_CALLER_ROLES].includes(r))) {
        throw new AppError(
          "emergency.volunteer_not_found",
          400,
          "No such volunteer in the department",
          {
            userId: target,
          },
        );
      }
    } else if (
      access === "outline" &&
      (row.status !== "open" || (await volunteerCovers(ctx, row)) === false)
    ) {
      // A volunteer takes only what their offer covers.
      throw new AppError("emergency.help_request_not_found", 404, "No such help request");
    }
    claimer = target;
  } else if (move === "cancel") {
    if (!staffFull) throw new AppError("forbidden", 403, "Only staff cancel a help request");
  } else if (!isClaimer && !staffFull) {
    throw new AppError(
      "emergency.not_claimer",
      403,
      "Only whoever took the request (or staff) may do this",
    );
  }
  if (!HELP_FROM[move].includes(row.status)) {
    throw new AppError(
      "emergency.invalid_transition",
      409,
      `A help request that is ${row.status} cannot be ${move}ed`,
      { from: row.status, move },
    );
  }
  if (row.version !== body.version) throw versionConflict({ version: row.version });
  const now = new Date();
  const patch: Partial<typeof schema.emergencyHelpRequests.$inferInsert> =
    move === "claim"
      ? { status: "claimed", claimedBy: claimer, claimedAt: now }
      : move === "release"
        ? { status: "open", claimedBy: null, claimedAt: null }
        : move === "complete"
          ? { status: "completed", completedAt: now, completionNote: body.note ?? "" }
          : { status: "cancelled", completionNote: body.reason ?? "" };
  await ctx.db.transaction(async (tx) => {
    const ok = await repo.updateHelpIfVersion(tx, departmentId, id, body.version, patch);
    if (!ok) throw versionConflict({ version: row.version + 1 });
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: `emergency.help_${move}`,
        entityType: "emergency_help",
        entityId: id,
        communityId: row.communityId,
        fields: ["status"],
        details: { from: row.status, to: patch.status, ...(move === "claim" ? { claimer } : {}) },
      }),
    );
  });
  announce(ctx.events, departmentId, "help_updated", row.emergencyId, id, row.communityId);
  // Who released or was given it may no longer see it: answer what the reader may see.
  const after = await repo.findHelp(ctx.db, departmentId, id);
  const chain = after!.communityId
    ? [after!.communityId, ...(await ancestorsOf(ctx.db, departmentId, after!.communityId))]
    : [];
  const accessAfter =
    helpRequestAccess(ctx.actor, {
      departmentId,
      chain,
      claimedBy: after!.claimedBy,
      createdBy: after!.createdBy,
    }) ?? "outline";
  const [out] = await presentHelpRows(ctx, [{ row: after!, access: accessAfter, distance: null }]);
  return out!;
}

/* ------------------------------------------------------------------ */
/* Volunteer offers.                                                     */
/* ------------------------------------------------------------------ */

export async function upsertOffer(
  ctx: RequestContext,
  emergencyId: string,
  body: CreateVolunteerOfferBody,
) {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "emergency.volunteer", departmentId });
  const { row: emergency } = await loadEmergency(ctx, emergencyId);
  assertActive(emergency);
  const userId = body.userId ?? ctx.actor.userId;
  if (userId !== ctx.actor.userId) {
    if (!hasRole(ctx.actor, "manager", "community_worker")) {
      throw new AppError("forbidden", 403, "Only staff record an offer for someone else");
    }
    const held = (await repo.departmentRoles(ctx.db, departmentId, [userId])).get(userId)?.roles;
    if (!held?.includes("volunteer")) {
      throw new AppError(
        "emergency.volunteer_not_found",
        400,
        "No such volunteer in the department",
        {
          userId,
        },
      );
    }
  }
  const row = await ctx.db.transaction(async (tx) => {
    const offer = await repo.upsertOffer(tx, {
      departmentId,
      emergencyId,
      userId,
      categories: [...new Set(body.categories)],
      languages: [...new Set(body.languages)],
      skills: body.skills,
      lat: body.location?.lat ?? null,
      lon: body.location?.lon ?? null,
      radiusKm: body.radiusKm,
      hasVehicle: body.hasVehicle,
      note: body.note,
      createdBy: ctx.actor.userId,
    });
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: "emergency.offer",
        entityType: "emergency_offer",
        entityId: offer.id,
        fields: ["categories", "languages", "skills", "location"],
      }),
    );
    return offer;
  });
  announce(ctx.events, departmentId, "offer_updated", emergencyId, row.id);
  const [users, claims] = await Promise.all([
    repo.userNames(ctx.db, [row.userId]),
    repo.activeClaims(ctx.db, departmentId, emergencyId),
  ]);
  return presentOffer(row, users, claims.get(row.userId) ?? 0);
}

export async function listOffers(ctx: RequestContext, emergencyId: string) {
  const departmentId = departmentOf(ctx);
  const staff = can(ctx.actor, { type: "emergency.help", departmentId });
  if (!staff) authorize(ctx.actor, { type: "emergency.volunteer", departmentId });
  await loadEmergency(ctx, emergencyId);
  const rows = await repo.listOffers(
    ctx.db,
    departmentId,
    emergencyId,
    staff ? undefined : ctx.actor.userId,
  );
  const [users, claims] = await Promise.all([
    repo.userNames(
      ctx.db,
      rows.map((r) => r.userId),
    ),
    repo.activeClaims(ctx.db, departmentId, emergencyId),
  ]);
  return { items: rows.map((r) => presentOffer(r, users, claims.get(r.userId) ?? 0)) };
}

export async function withdrawOffer(ctx: RequestContext, offerId: string) {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "emergency.volunteer", departmentId });
  const offer = await repo.findOffer(ctx.db, departmentId, offerId);
  if (
    !offer ||
    (offer.userId !== ctx.actor.userId && !hasRole(ctx.actor, "manager", "community_worker"))
  ) {
    throw new AppError("emergency.offer_not_found", 404, "No such offer");
  }
  const row = await ctx.db.transaction(async (tx) => {
    const updated = await repo.setOfferActive(tx, departmentId, offerId, false);
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: "emergency.offer_withdraw",
        entityType: "emergency_offer",
        entityId: offerId,
      }),
    );
    return updated;
  });
  announce(ctx.events, departmentId, "offer_updated", offer.emergencyId, offerId);
  const users = await repo.userNames(ctx.db, [row.userId]);
  return presentOffer(row, users, 0);
}

/* ------------------------------------------------------------------ */
/* Shelters and distribution points.                                    */
/* ------------------------------------------------------------------ */

export async function listShelters(ctx: RequestContext, emergencyId: string) {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "asset.read", departmentId });
  authorize(ctx.actor, { type: "emergency.mode" });
  const { row } = await loadEmergency(ctx, emergencyId);
  const rows = await repo.shelters(ctx.db, departmentId, row.communityIds);
  return { items: rows.map(presentShelter) };
}

/** Live occupancy, through the asset directory's own rule (who may edit the asset). */
export async function setShelterOccupancy(
  ctx: RequestContext,
  emergencyId: string,
  assetId: string,
  body: { occupancy: number; version: number },
) {
  const departmentId = departmentOf(ctx);
  const { row } = await loadEmergency(ctx, emergencyId);
  assertActive(row);
  const shelters = await repo.shelters(ctx.db, departmentId, row.communityIds);
  if (!shelters.some((s) => s.id === assetId)) {
    throw new AppError("emergency.shelter_not_found", 404, "No such shelter or distribution point");
  }
  await setAssetOccupancy(ctx, assetId, body);
  const after = (await repo.shelters(ctx.db, departmentId, row.communityIds)).find(
    (s) => s.id === assetId,
  )!;
  announce(ctx.events, departmentId, "shelter_updated", emergencyId, assetId, after.communityId);
  return presentShelter(after);
}

/* ------------------------------------------------------------------ */
/* Situation board.                                                     */
/* ------------------------------------------------------------------ */

export async function board(ctx: RequestContext, emergencyId: string): Promise<EmergencyBoard> {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "emergency.board", departmentId });
  const { row } = await loadEmergency(ctx, emergencyId);
  const scope = repo.callScope(callVisibility(ctx.actor), row.status === "active");
  const [emergency, byCommunity, help, shelters, loads, callPts, helpRows] = await Promise.all([
    presentEmergencyRow(ctx.db, row),
    repo.countsByCommunity(ctx.db, departmentId, emergencyId, row.communityIds),
    repo.helpByCategory(ctx.db, departmentId, emergencyId),
    repo.shelters(ctx.db, departmentId, row.communityIds),
    repo.callerLoads(ctx.db, departmentId, emergencyId),
    repo.callPoints(ctx.db, scope, emergencyId, MAP_POINTS + 1),
    repo.listHelp(ctx.db, {
      departmentId,
      emergencyId,
      statuses: ["open", "claimed"],
      reach: staffHelpReach(ctx, departmentId),
    }),
  ]);
  const names = await repo.communityNames(ctx.db, departmentId, row.communityIds);
  const users = await repo.userNames(
    ctx.db,
    loads.map((l) => l.assignee_id),
  );
  const points: EmergencyBoard["points"] = [];
  for (const p of callPts.slice(0, MAP_POINTS)) {
    points.push({
      kind: "call",
      id: p.id,
      lat: p.lat!,
      lon: p.lon!,
      status: p.status === "done" || p.status === "retry" ? (p.outcome ?? p.status) : p.status,
      label: null,
    });
  }
  for (const h of helpRows) {
    if (h.lat === null || h.lon === null) continue;
    points.push({
      kind: "help",
      id: h.id,
      lat: h.lat,
      lon: h.lon,
      status: h.category,
      label: h.urgency,
    });
  }
  for (const s of shelters) {
    if (s.lat === null || s.lon === null) continue;
    points.push({
      kind: "shelter",
      id: s.id,
      lat: s.lat,
      lon: s.lon,
      status: s.type,
      label: s.capacity !== null ? `${s.occupancy ?? 0}/${s.capacity}` : null,
    });
  }
  return {
    emergency,
    counts: emergency.counts,
    byCommunity: byCommunity.map((b) => ({
      community: { id: b.community_id, name: names.get(b.community_id) ?? "" },
      calls: b.calls,
      reachedOk: b.reached_ok,
      reachedNeedsHelp: b.reached_needs_help,
      notReached: b.not_reached,
      pending: b.pending,
    })),
    helpOpenByCategory: HELP_CATEGORIES.map((category) => {
      const h = help.find((x) => x.category === category);
      return { category, open: h?.open ?? 0, claimed: h?.claimed ?? 0 };
    }),
    shelters: shelters.map(presentShelter),
    callers: loads.map((l) => ({
      user: { id: l.assignee_id, name: users.get(l.assignee_id) ?? "" },
      assigned: l.assigned,
      done: l.done,
      due: l.due,
    })),
    points,
    pointsTruncated: callPts.length > MAP_POINTS,
    generatedAt: new Date().toISOString(),
  };
}

/* ------------------------------------------------------------------ */
/* Shift log.                                                           */
/* ------------------------------------------------------------------ */

export async function listLog(ctx: RequestContext, emergencyId: string) {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "emergency.board", departmentId });
  await loadEmergency(ctx, emergencyId);
  const rows = await repo.listLog(ctx.db, departmentId, emergencyId);
  const users = await repo.userNames(
    ctx.db,
    rows.map((r) => r.authorId),
  );
  return { items: rows.map((r) => presentLog(r, users)) };
}

export async function addLog(
  ctx: RequestContext,
  emergencyId: string,
  body: { kind: "note" | "decision" | "handover" | "incident"; text: string },
) {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "emergency.board", departmentId });
  const { row: emergency } = await loadEmergency(ctx, emergencyId);
  assertActive(emergency);
  const row = await ctx.db.transaction(async (tx) => {
    const entry = await repo.insertLog(tx, {
      departmentId,
      emergencyId,
      kind: body.kind,
      text: body.text,
      authorId: ctx.actor.userId,
    });
    await recordAudit(
      tx,
      auditFor(ctx, { action: "emergency.log", entityType: "emergency", entityId: emergencyId }),
    );
    return entry;
  });
  announce(ctx.events, departmentId, "log_entry", emergencyId, row.id);
  const users = await repo.userNames(ctx.db, [row.authorId]);
  return presentLog(row, users);
}

/* ------------------------------------------------------------------ */
/* Summary, review, a resident's history.                               */
/* ------------------------------------------------------------------ */

export async function buildSummary(db: DbOrTx, row: repo.EmergencyRow): Promise<EmergencySummary> {
  const departmentId = row.departmentId;
  // Closing builds it inside its transaction: one after another there.
  const [emergency, byCommunity, help, shelters, needs, logEntries, volunteers, names] =
    await readTogether(db, [
      () => presentEmergencyRow(db, row),
      () => repo.countsByCommunity(db, departmentId, row.id, row.communityIds),
      () => repo.helpByCategory(db, departmentId, row.id),
      () => repo.shelters(db, departmentId, row.communityIds),
      () => repo.needsMadeFrom(db, departmentId, row.id),
      () => repo.logCount(db, departmentId, row.id),
      () => repo.volunteerCount(db, departmentId, row.id),
      () => repo.communityNames(db, departmentId, row.communityIds),
    ] as const);
  const end = row.closedAt ?? new Date();
  return {
    emergency,
    durationMinutes: Math.max(0, Math.round((end.getTime() - row.startedAt.getTime()) / 60_000)),
    counts: emergency.counts,
    byCommunity: byCommunity.map((b) => ({
      community: { id: b.community_id, name: names.get(b.community_id) ?? "" },
      calls: b.calls,
      reachedOk: b.reached_ok,
      reachedNeedsHelp: b.reached_needs_help,
      notReached: b.not_reached,
      pending: b.pending,
    })),
    helpByCategory: help.map((h) => ({
      category: h.category as HelpCategory,
      total: h.total,
      completed: h.completed,
      becameNeeds: h.became_needs,
    })),
    needsCreated: needs.map((n) => ({ id: n.id, reference: `#${n.number}` })),
    shelters: shelters.map(presentShelter),
    logEntries,
    volunteers,
  };
}

export async function summary(ctx: RequestContext, id: string) {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "emergency.board", departmentId });
  const { row } = await loadEmergency(ctx, id);
  return buildSummary(ctx.db, row);
}

/** The call list with outcomes, one row per call (the manager; an audited export). */
export async function summaryCsv(ctx: RequestContext, id: string): Promise<string> {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "emergency.manage", departmentId });
  const { row } = await loadEmergency(ctx, id);
  const rows = await repo.exportRows(ctx.db, departmentId, id);
  const users = await repo.userNames(
    ctx.db,
    rows.flatMap((r) => [r.call.assigneeId, r.call.escalatedTo]),
  );
  const helpRows = await repo.listHelp(ctx.db, { departmentId, emergencyId: id, reach: null });
  const helpById = new Map(helpRows.map((h) => [h.id, h]));
  let out = `\ufeff${csvLine([
    "rank",
    "resident_id",
    "name",
    "phone",
    "address",
    "community",
    "risk_score",
    "status",
    "outcome",
    "source",
    "misses",
    "caller",
    "escalated_to",
    "help_request",
    "drill",
  ])}`;
  for (const r of rows) {
    const h = r.call.helpRequestId ? helpById.get(r.call.helpRequestId) : undefined;
    out += csvLine([
      r.call.rank,
      r.call.residentId,
      `${r.firstName} ${r.lastName}`,
      r.phone,
      addressLine({ streetName: r.streetName, houseNumber: r.houseNumber, apartment: r.apartment }),
      r.homeCommunityName,
      r.call.riskScore,
      r.call.status,
      r.call.outcome,
      r.call.lastSource,
      r.call.attempts,
      r.call.assigneeId ? (users.get(r.call.assigneeId) ?? "") : "",
      r.call.escalatedTo ? (users.get(r.call.escalatedTo) ?? "") : "",
      h ? helpReference(h.number) : "",
      row.drill ? "drill" : "",
    ]);
  }
  await recordAudit(
    ctx.db,
    auditFor(ctx, {
      action: "emergency.export",
      entityType: "emergency",
      entityId: id,
      fields: ["name", "phone", "address"],
      details: { rows: rows.length },
    }),
  );
  return out;
}

export async function getReview(ctx: RequestContext, id: string) {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "emergency.board", departmentId });
  await loadEmergency(ctx, id);
  const row = await repo.findReview(ctx.db, departmentId, id);
  if (!row) return { review: null };
  const users = await repo.userNames(ctx.db, [row.authorId]);
  return { review: presentReview(row, users) };
}

/** The after-action review (a structured record; the manager writes, the board reads). */
export async function saveReview(ctx: RequestContext, id: string, body: ReviewBody) {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "emergency.manage", departmentId });
  await loadEmergency(ctx, id);
  const values = {
    whatWorked: body.whatWorked,
    whatDidNot: body.whatDidNot,
    lessons: body.lessons,
    actions: body.actions,
    authorId: ctx.actor.userId,
  };
  const row = await ctx.db.transaction(async (tx) => {
    const existing = await repo.findReview(tx, departmentId, id);
    let saved: repo.ReviewRow | undefined;
    if (!existing) {
      if (body.version !== undefined) throw versionConflict({ version: null });
      saved = await repo.insertReview(tx, { departmentId, emergencyId: id, ...values });
      if (!saved)
        throw new AppError("emergency.review_exists", 409, "A review was written meanwhile");
    } else {
      if (body.version === undefined) {
        throw new AppError(
          "emergency.review_exists",
          409,
          "This emergency has a review: send its version",
          {
            version: existing.version,
          },
        );
      }
      saved = await repo.updateReviewIfVersion(tx, departmentId, id, body.version, values);
      if (!saved) throw versionConflict({ version: existing.version });
    }
    await recordAudit(
      tx,
      auditFor(ctx, { action: "emergency.review", entityType: "emergency", entityId: id }),
    );
    return saved;
  });
  const users = await repo.userNames(ctx.db, [row.authorId]);
  return { review: presentReview(row, users) };
}

/**
 * A resident's emergency contacts and outcomes, for their record: whoever may see the
 * resident in full (residents policy) reads it; the read is audited.
 */
export async function residentHistory(
  ctx: RequestContext,
  residentId: string,
): Promise<ResidentEmergencyHistory> {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "resident.list" });
  const found = await residentsRepo.findResident(ctx.db, departmentId, residentId);
  if (!found) throw notFound("resident");
  const caseworkers = await residentsRepo.caseworkers(ctx.db, departmentId, residentId);
  const access = residentAccess(ctx.actor, {
    departmentId,
    communityChains: [found.resident.communityIds],
    caseworkerIds: caseworkers.map((c) => c.id),
    consents: found.resident.consents,
  });
  if (access !== "full")
    throw new AppError("forbidden", 403, "This resident is outside your reach");
  const h = await repo.residentHistory(ctx.db, departmentId, residentId);
  const attempts = await repo.attemptsFor(
    ctx.db,
    departmentId,
    h.callRows.map((c) => c.id),
  );
  const [users, needs] = await Promise.all([
    repo.userNames(
      ctx.db,
      attempts.map((a) => a.byUserId),
    ),
    repo.needNumbers(
      ctx.db,
      departmentId,
      h.helpRows.map((x) => x.needId).filter((x): x is string => !!x),
    ),
  ]);
  await recordRead(ctx, {
    entityType: "resident",
    entityIds: [residentId],
    fields: ["emergency_contacts"],
    purpose: "resident_emergency_history",
  });
  return {
    items: h.emergencies.map((e) => {
      const call = h.callRows.find((c) => c.emergencyId === e.id);
      return {
        emergency: {
          id: e.id,
          title: e.title,
          type: e.type as Emergency["type"],
          drill: e.drill,
          startedAt: e.startedAt.toISOString(),
          closedAt: e.closedAt ? e.closedAt.toISOString() : null,
        },
        call: call
          ? {
              id: call.id,
              status: call.status as Call["status"],
              outcome: (call.outcome as Call["outcome"]) ?? null,
              attempts: attempts
                .filter((a) => a.callId === call.id)
                .map((a) => presentAttempt(a, users, decryptOr(ctx.cipher, a.noteEnc))),
            }
          : null,
        selfReports: h.reportRows
          .filter((r) => r.emergencyId === e.id)
          .map((r) => ({
            id: r.id,
            answer: r.answer as "ok" | "help",
            category: (r.category as HelpCategory | null) ?? null,
            at: r.at.toISOString(),
          })),
        helpRequests: h.helpRows
          .filter((x) => x.emergencyId === e.id)
          .map((x) => ({
            id: x.id,
            reference: helpReference(x.number),
            category: x.category as HelpCategory,
            status: x.status as HelpRequest["status"],
            need:
              x.needId && needs.has(x.needId)
                ? { id: x.needId, reference: `#${needs.get(x.needId)}` }
                : null,
            createdAt: x.createdAt.toISOString(),
          })),
      };
    }),
  };
}

/** For sync pull: the caller's calls among these ids, each as they may see it. */
export async function callsForSync(ctx: RequestContext, ids: string[]) {
  const departmentId = departmentOf(ctx);
  if (!can(ctx.actor, { type: "emergency.call", departmentId })) return new Map<string, Call>();
  const rows = await repo.heldCallsForSync(ctx.db, departmentId, ids);
  // A device holds only the caller's own assignments (SYNC.md promise 4).
  const held = rows.filter(
    (r) =>
      (r.call.assigneeId === ctx.actor.userId || r.call.escalatedTo === ctx.actor.userId) &&
      callAccess(ctx.actor, {
        departmentId,
        communityChains: [r.communityIds],
        assigneeId: r.call.assigneeId,
        escalatedTo: r.call.escalatedTo,
        status: r.call.status,
        emergencyActive: true,
      }) !== null,
  );
  const presented = await presentCalls(
    ctx,
    held,
    (r) =>
      callAccess(ctx.actor, {
        departmentId,
        communityChains: [r.communityIds],
        assigneeId: r.call.assigneeId,
        escalatedTo: r.call.escalatedTo,
        status: r.call.status,
        emergencyActive: true,
      }) ?? "assignment",
    "emergency_call_sync",
  );
  return new Map(presented.map((c) => [c.id, c]));
}

export { distanceMeters };
