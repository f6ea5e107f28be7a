import {
  DEPARTMENT_NAME_LOCALES,
  type DepartmentAltNames,
  type DepartmentSettingsView,
  type UpdateDepartmentNamesBody,
} from "@kaveret/contracts";
import type { RequestContext } from "../../lib/context.ts";
import { notFound } from "../../lib/errors.ts";
import { authorize } from "../../policy/policy.ts";
import { auditFor, recordAudit } from "../audit/audit.service.ts";
import * as repo from "./departments.repository.ts";

/** The stored names of the languages a department names itself in (nothing else). */
function altNamesOf(stored: Record<string, string>): DepartmentAltNames {
  const out: DepartmentAltNames = {};
  for (const l of DEPARTMENT_NAME_LOCALES) {
    if (typeof stored[l] === "string" && stored[l] !== "") out[l] = stored[l];
  }
  return out;
}

function present(
  row: NonNullable<Awaited<ReturnType<typeof repo.findDepartment>>>,
): DepartmentSettingsView {
  return {
    departmentId: row.id,
    name: row.name,
    altNames: altNamesOf(row.altNames),
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

/**
 * A manager names the department in other languages (the names residents' pages show):
 * the languages given are set, "" clears one; audited with the names before and after.
 */
export async function updateNames(ctx: RequestContext, body: UpdateDepartmentNamesBody) {
  const departmentId = ctx.actor.departmentId ?? "";
  authorize(ctx.actor, { type: "department.manage", departmentId });
  return ctx.db.transaction(async (tx) => {
    const row = await repo.findDepartment(tx, departmentId);
    if (!row) throw notFound("department");
    const before = altNamesOf(row.altNames);
    // Given: set ("" clears); not given: as it was.
    const next: DepartmentAltNames = Object.fromEntries(
      DEPARTMENT_NAME_LOCALES.flatMap((l) => {
        const value = body.altNames[l] ?? before[l] ?? "";
        return value === "" ? [] : [[l, value]];
      }),
    );
    const changed = DEPARTMENT_NAME_LOCALES.filter((l) => (before[l] ?? "") !== (next[l] ?? ""));
    if (changed.length === 0) return present(row);
    // Keys of other languages (none today) stay; a cleared name is no key at all.
    const others = Object.entries(row.altNames).filter(
      ([k]) => !(DEPARTMENT_NAME_LOCALES as readonly string[]).includes(k),
    );
    const saved = await repo.updateDepartmentAltNames(tx, departmentId, {
      ...Object.fromEntries(others),
      ...next,
    });
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: "department.names_update",
        entityType: "department",
        entityId: departmentId,
        fields: changed.map((l) => `altNames.${l}`),
        details: {
          before: Object.fromEntries(changed.map((l) => [l, before[l] ?? ""])),
          after: Object.fromEntries(changed.map((l) => [l, next[l] ?? ""])),
        },
      }),
    );
    return present(saved!);
  });
}
