import { createHash } from "node:crypto";
import { and, asc, eq, gt, inArray, sql, type SQL } from "drizzle-orm";
import { formDefinitionSchema } from "@kaveret/forms";
import type { SyncCommand, SyncCommandResult } from "@kaveret/contracts";
import { schema } from "@kaveret/db";
import type { RequestContext } from "../../lib/context.ts";
import { departmentOf } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";
import { authorize, can, needVisibility } from "../../policy/policy.ts";
import { hasRole } from "../../policy/actor.ts";
import * as needsRepo from "../needs/needs.repository.ts";
import { presentNeedListItem } from "../needs/needs.presenter.ts";
import { createNeedFromDevice, getNeed, updateNeed } from "../needs/needs.service.ts";
import { formScope } from "../forms/forms.repository.ts";
import { createResponseFromDevice } from "../forms/forms.service.ts";
import { fieldAssignments } from "../forms/form-assignments.service.ts";
import { auditFor, recordAudit } from "../audit/audit.service.ts";
import { callsForSync, recordOutcome } from "../emergency/emergency.service.ts";

/*
 * The sync protocol's server half (shared/engineering/SYNC.md). Every command goes
 * through the same services and policy as the online API. Commands are idempotent by
 * construction (device-made ids for what they create, the command id for a comment, a
 * field-by-field merge for an edit), and the first answer to each is stored, so a
 * replay — after a lost answer, a killed tab or a restarted server — answers the same
 * and changes nothing.
 */

const hashOf = (c: SyncCommand) =>
  createHash("sha256")
    .update(JSON.stringify([c.name, c.args]))
    .digest("base64url");

function rejected(id: string, err: unknown): SyncCommandResult {
  if (err instanceof AppError) {
    return { id, status: "rejected", code: err.code, message: err.message };
  }
  throw err;
}

type NeedFields = {
  status?: string;
  reason?: string;
  category?: string | null;
  urgency?: string;
  description?: string;
  addressText?: string;
};

/** An offline edit made on `baseVersion`: applied, merged with other edits, or a conflict. */
async function applyNeedUpdate(
  ctx: RequestContext,
  id: string,
  args: { needId: string; baseVersion: number; base: NeedFields; changes: NeedFields },
): Promise<SyncCommandResult> {
  const current = await getNeed(ctx, args.needId);
  const now: Record<string, unknown> = {
    status: current.status,
    category: current.category,
    urgency: current.urgency,
    description: current.description,
    addressText: current.addressText,
  };
  const apply: Record<string, unknown> = {};
  const conflicts: NonNullable<SyncCommandResult["conflicts"]> = [];
  for (const [field, mine] of Object.entries(args.changes)) {
    if (field === "reason") continue;
    const theirs = now[field];
    if (theirs === mine) continue; // already so (this command, replayed; or the same edit)
    const base = (args.base as Record<string, unknown>)[field];
    if (current.version === args.baseVersion || theirs === base) apply[field] = mine;
    else conflicts.push({ field, base, mine, theirs });
  }
  if (conflicts.length) {
    return {
      id,
      status: "conflict",
      recordId: args.needId,
      conflicts,
      currentVersion: current.version,
    };
  }
  if (Object.keys(apply).length === 0) {
    return { id, status: "ok", recordId: args.needId, version: current.version };
  }
  const updated = await updateNeed(ctx, args.needId, {
    version: current.version,
    ...apply,
    ...(apply.status !== undefined && args.changes.reason ? { reason: args.changes.reason } : {}),
  } as Parameters<typeof updateNeed>[2]);
  return { id, status: "ok", recordId: args.needId, version: updated.version };
}

async function applyComment(
  ctx: RequestContext,
  id: string,
  args: { needId: string; text: string },
): Promise<SyncCommandResult> {
  const departmentId = departmentOf(ctx);
  const need = await getNeed(ctx, args.needId);
  if (!need.permissions.edit)
    throw new AppError("forbidden", 403, "You may not comment on this need");
  await ctx.db.transaction(async (tx) => {
    // The command id is the comment's id: a replay finds it and adds nothing.
    await tx
      .insert(schema.needEvents)
      .values({
        departmentId,
        id,
        needId: args.needId,
        kind: "comment",
        actorId: ctx.actor.userId,
        text: args.text,
      })
      .onConflictDoNothing();
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: "need.comment",
        entityType: "need",
        entityId: args.needId,
        details: { via: "sync" },
      }),
    );
  });
  return { id, status: "ok", recordId: args.needId, version: need.version };
}

/**
 * The stored answer of a command, as a write the command's own statement can make (a new
 * need or answer is written with it: applied and recorded at once, or neither). `result`
 * is an expression of `from` (or a constant).
 */
type Recorder = (result: SQL, from?: SQL) => SQL;

async function applyOne(
  ctx: RequestContext,
  c: SyncCommand,
  record: Recorder,
): Promise<{ result: SyncCommandResult; recorded: boolean }> {
  const unrecorded = (result: SyncCommandResult) => ({ result, recorded: false });
  try {
    switch (c.name) {
      case "need.create": {
        const need = await createNeedFromDevice(
          ctx,
          c.args,
          record(
            sql`json_build_object('id', ${c.id}::text, 'status', 'ok', 'recordId', ins.id, 'version', ins.version)::jsonb`,
            sql`ins`,
          ),
        );
        return {
          result: { id: c.id, status: "ok", recordId: need.id, version: need.version },
          recorded: need.wroteAlso,
        };
      }
      case "need.comment":
        return unrecorded(await applyComment(ctx, c.id, c.args));
      case "need.update":
        return unrecorded(await applyNeedUpdate(ctx, c.id, c.args));
      case "form.response": {
        const { formId, ...body } = c.args;
        const result: SyncCommandResult = { id: c.id, status: "ok", recordId: body.id, version: 1 };
        const r = await createResponseFromDevice(
          ctx,
          formId,
          body,
          record(sql`${JSON.stringify(result)}::jsonb`),
        );
        return { result: { ...result, recordId: r.id }, recorded: r.wroteAlso };
      }
      case "emergency.call_outcome": {
        // The attempt id is made on the device: an attempt is inserted once, never conflicts.
        const { callId, ...outcome } = c.args;
        const call = await recordOutcome(ctx, callId, outcome);
        return unrecorded({ id: c.id, status: "ok", recordId: call.id, version: call.version });
      }
    }
  } catch (err) {
    return unrecorded(rejected(c.id, err));
  }
}

/** Applies a device's commands in order, each once; answers one result per command. */
export async function push(
  ctx: RequestContext,
  body: { deviceId: string; commands: SyncCommand[] },
) {
  const departmentId = departmentOf(ctx);
  const ids = body.commands.map((c) => c.id);
  const seen = new Map(
    (
      await ctx.db
        .select()
        .from(schema.syncCommands)
        .where(
          and(
            eq(schema.syncCommands.departmentId, departmentId),
            inArray(schema.syncCommands.id, ids),
          ),
        )
    ).map((r) => [r.id, r]),
  );
  const results: SyncCommandResult[] = [];
  for (const c of body.commands) {
    const hash = hashOf(c);
    const before = seen.get(c.id);
    if (before) {
      results.push(
        before.payloadHash === hash && before.userId === ctx.actor.userId
          ? (before.result as SyncCommandResult)
          : {
              id: c.id,
              status: "rejected",
              code: "conflict",
              message: "This command id was used for another command",
            },
      );
      continue;
    }
    const record: Recorder = (result, from) =>
      sql`insert into sync_commands (department_id, id, user_id, device_id, name, payload_hash, result)
        select ${departmentId}::uuid, ${c.id}::uuid, ${ctx.actor.userId}::text,
          ${body.deviceId}::text, ${c.name}::text, ${hash}::text, ${result}
        ${from ? sql`from ${from}` : sql``}
        on conflict do nothing`;
    const { result, recorded } = await applyOne(ctx, c, record);
    const entry = {
      departmentId,
      id: c.id,
      userId: ctx.actor.userId,
      deviceId: body.deviceId,
      name: c.name,
      payloadHash: hash,
      result,
    };
    if (!recorded) await ctx.db.insert(schema.syncCommands).values(entry).onConflictDoNothing();
    seen.set(c.id, { ...entry, appliedAt: new Date() });
    results.push(result);
  }
  return { results };
}

/**
 * Changes after `cursor` the reader may see now: each record once (its latest state),
 * records out of reach as removals. Pages of `limit` log entries.
 */
export async function pull(ctx: RequestContext, q: { cursor: number; limit: number }) {
  const departmentId = departmentOf(ctx);
  // Volunteers sync their emergency calls only; staff also needs and forms.
  const fieldStaff = can(ctx.actor, { type: "need.list" });
  if (!fieldStaff) authorize(ctx.actor, { type: "emergency.call", departmentId });
  const log = await ctx.db
    .select({
      seq: schema.changeLog.seq,
      kind: schema.changeLog.kind,
      recordId: schema.changeLog.recordId,
    })
    .from(schema.changeLog)
    .where(and(eq(schema.changeLog.departmentId, departmentId), gt(schema.changeLog.seq, q.cursor)))
    .orderBy(asc(schema.changeLog.seq))
    .limit(q.limit + 1);
  const page = log.slice(0, q.limit);
  const hasMore = log.length > q.limit;
  const cursor = page.length ? page[page.length - 1]!.seq : q.cursor;
  const ids = (kind: string) => [
    ...new Set(page.filter((l) => l.kind === kind).map((l) => l.recordId)),
  ];
  const needIds = fieldStaff ? ids("need") : [];
  const formIds = fieldStaff ? ids("form") : [];
  const callIds = ids("emergency_call");
  const calls = await callsForSync(ctx, callIds);

  const needs = needIds.length
    ? await ctx.db
        .select({ ...needsRepo.listColumns, addressText: schema.needs.addressText })
        .from(schema.needs)
        .where(
          and(needsRepo.needScope(needVisibility(ctx.actor)), inArray(schema.needs.id, needIds)),
        )
    : [];
  const roots = hasRole(ctx.actor, "manager", "social_worker") ? null : ctx.actor.communityIds;
  const forms = formIds.length
    ? await ctx.db
        .select({
          id: schema.forms.id,
          title: schema.forms.title,
          status: schema.forms.status,
          anonymous: schema.forms.anonymous,
          definition: schema.forms.definition,
          version: schema.forms.version,
        })
        .from(schema.forms)
        .where(
          and(
            formScope(departmentId, roots),
            inArray(schema.forms.id, formIds),
            sql`${schema.forms.status} = 'open'`,
          ),
        )
    : [];
  const needById = new Map(needs.map((n) => [n.id, n]));
  const formById = new Map(forms.map((f) => [f.id, f]));
  const changes = [
    ...needIds.map((id) => {
      const n = needById.get(id);
      if (!n) return { kind: "need" as const, id, op: "remove" as const };
      const row = n as unknown as needsRepo.NeedListRow & { addressText: string };
      return {
        kind: "need" as const,
        id,
        op: "upsert" as const,
        version: row.version,
        record: {
          ...presentNeedListItem(row),
          addressText: row.addressText,
          location: row.lat !== null && row.lon !== null ? { lat: row.lat, lon: row.lon } : null,
        },
      };
    }),
    ...formIds.map((id) => {
      const f = formById.get(id);
      if (!f || !formDefinitionSchema.safeParse(f.definition).success) {
        return { kind: "form" as const, id, op: "remove" as const };
      }
      return { kind: "form" as const, id, op: "upsert" as const, version: f.version, record: f };
    }),
    // A call the device may no longer hold (reassigned, answered by a volunteer, emergency
    // closed) is a removal: the resident's details leave the phone.
    ...callIds.map((id) => {
      const call = calls.get(id);
      if (!call) return { kind: "emergency_call" as const, id, op: "remove" as const };
      return {
        kind: "emergency_call" as const,
        id,
        op: "upsert" as const,
        version: call.version,
        record: call as unknown as Record<string, unknown>,
      };
    }),
  ];
  // The reader's door-to-door assignments, whole, once the device has every change.
  return hasMore
    ? { changes, cursor, hasMore }
    : { changes, cursor, hasMore, assignments: await fieldAssignments(ctx) };
}
