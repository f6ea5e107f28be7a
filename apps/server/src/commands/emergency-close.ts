import type { CreateNeedBody, EmergencySummary, NeedUrgency } from "@kaveret/contracts";
import type { RequestContext } from "../lib/context.ts";
import { departmentOf } from "../lib/context.ts";
import { versionConflict } from "../lib/errors.ts";
import { authorize } from "../policy/policy.ts";
import { auditFor, recordAudit } from "../modules/audit/audit.service.ts";
import * as repo from "../modules/emergency/emergency.repository.ts";
import {
  announce,
  assertActive,
  buildSummary,
  loadEmergency,
  systemLog,
} from "../modules/emergency/emergency.service.ts";
import { createNeed } from "../modules/needs/needs.service.ts";
import * as needsRepo from "../modules/needs/needs.repository.ts";
import { schema } from "@kaveret/db";
import { and, eq } from "drizzle-orm";

/** Help categories as routine need categories (null: the triage decides). */
const NEED_CATEGORY: Record<string, string | null> = {
  food: "food",
  medicine: "health",
  evacuation: "housing",
  emotional_support: "loneliness",
  transport: "accessibility",
  shelter: "housing",
  other: null,
};

/**
 * Back to routine (journey 5): every open help request becomes a routine need (through
 * needs.service createNeed, with the request's id as the need's id, so a retry after a
 * failure makes no second one); then, in one transaction, the emergency is closed, its
 * communities return to routine, the summary is kept and devices are told to drop their
 * calls. Nothing is deleted: calls, attempts, self reports and requests stay in each
 * resident's history. A drill makes no needs (its requests were never real).
 */
export async function closeEmergency(
  ctx: RequestContext,
  id: string,
  body: { version: number; note: string },
): Promise<EmergencySummary> {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "emergency.manage", departmentId });
  const { row } = await loadEmergency(ctx, id);
  assertActive(row);
  if (row.version !== body.version) throw versionConflict({ version: row.version });

  if (!row.drill) {
    for (const help of await repo.helpToConvert(ctx.db, departmentId, id)) {
      const exists = await needsRepo.findNeed(ctx.db, departmentId, help.id);
      if (!exists) {
        const category = NEED_CATEGORY[help.category] ?? null;
        const known = category
          ? (await needsRepo.activeCategoryCodes(ctx.db, departmentId)).includes(category)
          : false;
        const description = help.descriptionEnc ? ctx.cipher.decrypt(help.descriptionEnc) : "";
        const body: CreateNeedBody = {
          id: help.id,
          channel: "phone",
          category: known ? category : null,
          urgency: (help.urgency === "normal" ? "normal" : help.urgency) as NeedUrgency,
          description:
            `[${row.title}] ${help.category}${description ? `: ${description}` : ""}`.slice(
              0,
              2000,
            ),
          location:
            help.lat !== null && help.lon !== null ? { lat: help.lat, lon: help.lon } : null,
          addressText: help.addressText.slice(0, 200),
          communityId: help.communityId,
          residentId: help.residentId,
          assigneeId: null,
          language: "he",
          contactName: "",
          contactPhone: null,
          contactConsent: false,
        };
        await createNeed(ctx, body);
      }
      await repo.updateHelpIfVersion(ctx.db, departmentId, help.id, help.version, {
        needId: help.id,
      });
    }
  }

  const closed = await ctx.db.transaction(async (tx) => {
    const now = new Date();
    const updated = await repo.updateEmergencyIfVersion(tx, departmentId, id, row.version, {
      status: "closed",
      closedAt: now,
      closedBy: ctx.actor.userId,
      closeNote: body.note,
    });
    if (!updated) throw versionConflict({ version: row.version + 1 });
    if (!row.drill) await repo.setCommunityMode(tx, departmentId, row.communityIds, "routine");
    await repo.touchCallsForSync(tx, departmentId, id);
    await systemLog(
      tx,
      departmentId,
      id,
      {
        code: "closed",
        params: { note: body.note },
        text: `closed${body.note ? `: ${body.note}` : ""}`,
      },
      "decision",
    );
    const summary = await buildSummary(tx, updated);
    const [final] = await tx
      .update(schema.emergencies)
      .set({ summary: summary as unknown as Record<string, unknown> })
      .where(and(eq(schema.emergencies.departmentId, departmentId), eq(schema.emergencies.id, id)))
      .returning();
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: "emergency.close",
        entityType: "emergency",
        entityId: id,
        details: { drill: row.drill, needsCreated: summary.needsCreated.length },
      }),
    );
    return final!;
  });
  announce(ctx.events, departmentId, "closed", id);
  return buildSummary(ctx.db, closed);
}
