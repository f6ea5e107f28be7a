import type { FieldAssignment, FormAssignment } from "@kaveret/contracts";
import type { RequestContext } from "../../lib/context.ts";
import { departmentOf } from "../../lib/context.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import { authorize } from "../../policy/policy.ts";
import { hasRole } from "../../policy/actor.ts";
import { auditFor, recordAudit } from "../audit/audit.service.ts";
import { ancestorChain } from "../communities/communities.repository.ts";
import * as repo from "./form-assignments.repository.ts";
import { findForm } from "./forms.repository.ts";

/*
 * Door to door (SPEC §2, distribution and collection): the manager gives a form's streets
 * and buildings to surveyors; each surveyor's device pulls their assignments with the
 * sync (so the list works offline) and answers taken on one name it, so each assignment
 * counts its answers.
 */

function present(row: repo.AssignmentRow): FormAssignment {
  return {
    id: row.id,
    formId: row.formId,
    surveyor: { id: row.userId, name: row.userName },
    target: {
      kind: row.targetKind as FormAssignment["target"]["kind"],
      id: row.targetId,
      name: row.targetName ?? "",
      level: row.targetLevel,
    },
    note: row.note,
    answers: Number(row.answers),
    createdAt: row.createdAt.toISOString(),
  };
}

async function managedForm(ctx: RequestContext, formId: string) {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "form.assign", departmentId });
  const form = await findForm(ctx.db, departmentId, formId);
  if (!form) throw notFound("form");
  return { departmentId, form };
}

/**
 * Surveyors who would have the form on their device: managers and social workers see the
 * department's forms; a community worker those of no community or of their communities.
 */
async function surveyorsOf(
  ctx: RequestContext,
  departmentId: string,
  formCommunity: string | null,
) {
  const people = await repo.surveyors(ctx.db, departmentId);
  if (!formCommunity) return people;
  const chain = await ancestorChain(ctx.db, departmentId, formCommunity);
  const workers = people.filter(
    (p) => !p.roles.includes("manager") && !p.roles.includes("social_worker"),
  );
  const assigned = await repo.assignedCommunities(
    ctx.db,
    departmentId,
    workers.map((p) => p.id),
  );
  return people.filter(
    (p) =>
      p.roles.includes("manager") ||
      p.roles.includes("social_worker") ||
      (assigned.get(p.id) ?? []).some((c) => chain.includes(c)),
  );
}

export async function listAssignments(ctx: RequestContext, formId: string) {
  const { departmentId } = await managedForm(ctx, formId);
  const rows = await repo.listForForm(ctx.db, departmentId, formId);
  return { items: rows.map(present) };
}

export async function assignmentOptions(ctx: RequestContext, formId: string) {
  const { departmentId, form } = await managedForm(ctx, formId);
  const [people, targets] = await Promise.all([
    surveyorsOf(ctx, departmentId, form.communityId),
    repo.targets(ctx.db, departmentId),
  ]);
  return {
    surveyors: people
      .map((p) => ({ id: p.id, name: p.name }))
      .sort((x, y) => x.name.localeCompare(y.name, "he")),
    targets,
  };
}

export async function createAssignment(
  ctx: RequestContext,
  formId: string,
  body: { surveyorId: string; targetKind: "community" | "street"; targetId: string; note: string },
) {
  const { departmentId, form } = await managedForm(ctx, formId);
  if (form.status === "closed") {
    throw new AppError("form.not_open", 409, "A closed form takes no new assignments");
  }
  const people = await surveyorsOf(ctx, departmentId, form.communityId);
  if (!people.some((p) => p.id === body.surveyorId)) {
    throw new AppError(
      "assignment.surveyor_invalid",
      400,
      "The surveyor does not do field work in this department or would not see this form",
    );
  }
  const [target] = (await repo.targets(ctx.db, departmentId, [body.targetId])).filter(
    (t) => t.kind === body.targetKind,
  );
  if (!target) {
    throw new AppError(
      "assignment.target_invalid",
      400,
      "The target is not a street, a street cluster or a building of this department",
    );
  }
  const id = await ctx.db.transaction(async (tx) => {
    const inserted = await repo.insertAssignment(tx, {
      departmentId,
      formId,
      userId: body.surveyorId,
      targetKind: body.targetKind,
      targetId: body.targetId,
      note: body.note,
      createdBy: ctx.actor.userId,
    });
    if (!inserted) {
      throw new AppError(
        "assignment.duplicate",
        409,
        "This surveyor already has this target of the form",
      );
    }
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: "form.assignment.create",
        entityType: "form",
        entityId: formId,
        details: { assignmentId: inserted, targetKind: body.targetKind },
      }),
    );
    return inserted;
  });
  const row = await repo.findAssignment(ctx.db, departmentId, id);
  if (!row) throw notFound("assignment");
  return present(row);
}

export async function deleteAssignment(ctx: RequestContext, formId: string, id: string) {
  const { departmentId } = await managedForm(ctx, formId);
  await ctx.db.transaction(async (tx) => {
    if (!(await repo.deleteAssignment(tx, departmentId, formId, id))) throw notFound("assignment");
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: "form.assignment.delete",
        entityType: "form",
        entityId: formId,
        details: { assignmentId: id },
      }),
    );
  });
}

/** The answer names an assignment: it must be one of this form (else 400, nothing saved). */
export async function assertAssignmentOf(
  ctx: RequestContext,
  departmentId: string,
  formId: string,
  assignmentId: string | undefined,
) {
  if (!assignmentId) return;
  const row = await repo.findAssignment(ctx.db, departmentId, assignmentId);
  if (!row || row.formId !== formId) {
    throw new AppError("assignment.not_found", 400, "No such assignment of this form");
  }
}

/** The reader's own assignments on open forms they may fill (for their device). */
export async function fieldAssignments(ctx: RequestContext): Promise<FieldAssignment[]> {
  const departmentId = departmentOf(ctx);
  const roots = hasRole(ctx.actor, "manager", "social_worker") ? null : ctx.actor.communityIds;
  const rows = await repo.listForSurveyor(ctx.db, departmentId, ctx.actor.userId, roots);
  return rows.map((r) => {
    const { formId, ...rest } = present(r);
    return {
      id: rest.id,
      formId,
      formTitle: r.formTitle,
      target: rest.target,
      note: rest.note,
      answers: rest.answers,
      createdAt: rest.createdAt,
    };
  });
}
