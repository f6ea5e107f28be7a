import type { DeclareEmergencyBody, Emergency } from "@kaveret/contracts";
import type { RequestContext } from "../lib/context.ts";
import { departmentOf } from "../lib/context.ts";
import { AppError } from "../lib/errors.ts";
import { authorize } from "../policy/policy.ts";
import { auditFor, recordAudit } from "../modules/audit/audit.service.ts";
import * as repo from "../modules/emergency/emergency.repository.ts";
import { queueStatusLinks } from "../modules/emergency/emergency.jobs.ts";
import {
  announce,
  assertCommunities,
  generateCallsInTx,
  presentEmergencyRow,
  systemLog,
} from "../modules/emergency/emergency.service.ts";

/**
 * Declaring an emergency, in one step (journey 5): the event, its communities switched to
 * emergency mode, the call list generated from routine data and ranked — one transaction;
 * then the status-page links go out by message (never in a drill).
 */
export async function declareEmergency(
  ctx: RequestContext,
  body: DeclareEmergencyBody,
): Promise<Emergency & { callsAdded: number; linksSent: number }> {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "emergency.declare", departmentId });
  const communityIds = [...new Set(body.communityIds)];
  await assertCommunities(ctx.db, departmentId, communityIds);
  if (await repo.findActive(ctx.db, departmentId)) {
    throw new AppError(
      "emergency.already_active",
      409,
      "An emergency (or drill) is already open in the department: close it first",
    );
  }
  let result: Awaited<ReturnType<typeof generateCallsInTx>>;
  let row: repo.EmergencyRow;
  let linksQueued: number;
  try {
    ({ row, result, linksQueued } = await ctx.db.transaction(async (tx) => {
      const row = await repo.insertEmergency(tx, {
        departmentId,
        type: body.type,
        level: body.level,
        title: body.title,
        drill: body.drill,
        note: body.note,
        communityIds,
        declaredBy: ctx.actor.userId,
      });
      // A drill leaves the communities in routine: nothing real changes for anyone.
      if (!body.drill) await repo.setCommunityMode(tx, departmentId, communityIds, "emergency");
      const result = body.generateCalls
        ? await generateCallsInTx(tx, ctx.cipher, row)
        : { added: 0, total: 0, toSend: [] };
      await systemLog(
        tx,
        departmentId,
        row.id,
        {
          code: body.drill ? "drill_declared" : "declared",
          params: { title: body.title, level: body.level, calls: result.added },
          text: `${body.drill ? "drill" : "emergency"} declared: ${body.title} (level ${body.level}); ${result.added} to call`,
        },
        "decision",
      );
      // The status-page links go out from the job queue once this commits (never in a drill).
      const linksQueued = await queueStatusLinks(
        tx,
        ctx.jobs,
        row,
        result.toSend.map((r) => r.residentId),
      );
      await recordAudit(
        tx,
        auditFor(ctx, {
          action: "emergency.declare",
          entityType: "emergency",
          entityId: row.id,
          fields: body.generateCalls ? ["flags", "consents"] : [],
          details: {
            type: body.type,
            level: body.level,
            drill: body.drill,
            communities: communityIds.length,
            calls: result.added,
          },
        }),
      );
      return { row, result, linksQueued };
    }));
  } catch (err) {
    // Two managers at once: the unique index lets one through.
    if (
      (err as { code?: string }).code === "23505" ||
      /emergencies_one_active_idx/.test(String(err))
    ) {
      throw new AppError("emergency.already_active", 409, "An emergency is already open");
    }
    throw err;
  }
  announce(ctx.events, departmentId, "declared", row.id);
  return {
    ...(await presentEmergencyRow(ctx.db, row)),
    callsAdded: result.added,
    linksSent: linksQueued,
  };
}
