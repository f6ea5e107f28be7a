import type { DepartmentSettingsView } from "@kaveret/contracts";
import type { RequestContext } from "../../lib/context.ts";
import { notFound } from "../../lib/errors.ts";
import { authorize } from "../../policy/policy.ts";
import { auditFor, recordAudit } from "../audit/audit.service.ts";
import * as repo from "./departments.repository.ts";

function present(
  row: NonNullable<Awaited<ReturnType<typeof repo.findDepartment>>>,
): DepartmentSettingsView {
  return {
    departmentId: row.id,
    name: row.name,
    requireTwoFactorForManagers: row.settings.requireTwoFactorForManagers === true,
  };
}

export async function getSettings(ctx: RequestContext) {
  const departmentId = ctx.actor.departmentId ?? "";
  authorize(ctx.actor, { type: "department.manage", departmentId });
  const row = await repo.findDepartment(ctx.db, departmentId);
  if (!row) throw notFound("department");
  return present(row);
}

/** A manager changes the department's security settings; audited with before and after. */
export async function updateSettings(
  ctx: RequestContext,
  body: { requireTwoFactorForManagers: boolean },
) {
  const departmentId = ctx.actor.departmentId ?? "";
  authorize(ctx.actor, { type: "department.manage", departmentId });
  const updated = await ctx.db.transaction(async (tx) => {
    const row = await repo.findDepartment(tx, departmentId);
    if (!row) throw notFound("department");
    const next = { ...row.settings, requireTwoFactorForManagers: body.requireTwoFactorForManagers };
    const saved = await repo.updateDepartmentSettings(tx, departmentId, next);
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: "department.settings_update",
        entityType: "department",
        entityId: departmentId,
        fields: ["requireTwoFactorForManagers"],
        details: {
          before: row.settings.requireTwoFactorForManagers === true,
          after: body.requireTwoFactorForManagers,
        },
      }),
    );
    return saved!;
  });
  // Whether TOTP is required changes for every manager of the department.
  ctx.actorCache.clear();
  return present(updated);
}
