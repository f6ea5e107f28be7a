import { createHash, randomBytes } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import { schema } from "@kaveret/db";
import type { CreateInvitationBody } from "@kaveret/contracts";
import type { RequestContext } from "../../lib/context.ts";
import type { Db } from "@kaveret/db";
import { AppError, notFound } from "../../lib/errors.ts";
import { authorize } from "../../policy/policy.ts";
import { auditFor, recordAudit, recordRead } from "../audit/audit.service.ts";
import { renderMessage } from "../../messaging/templates.ts";
import type { MessageTransport } from "../../messaging/transport.ts";
import * as users from "./users.repository.ts";
import * as invitations from "./invitations.repository.ts";
import { invitationStatus, presentInvitation, presentStaffUser } from "./users.presenter.ts";

const INVITATION_DAYS = 7;
export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

function managedDepartment(ctx: RequestContext, type: "user.manage" | "invitation.manage") {
  const departmentId = ctx.actor.departmentId ?? "";
  authorize(ctx.actor, { type, departmentId });
  return departmentId;
}

export async function listUsers(
  ctx: RequestContext,
  filter: Omit<users.UserListFilter, "departmentId">,
) {
  const departmentId = managedDepartment(ctx, "user.manage");
  const { items, total } = await users.listDepartmentUsers(ctx.db, { ...filter, departmentId });
  // Staff e-mail addresses are personal data: their reads are audited.
  await recordRead(ctx, {
    entityType: "user",
    entityIds: items.map((u) => u.id),
    fields: ["email"],
    purpose: "team management",
  });
  return {
    items: items.map(presentStaffUser),
    total,
    page: filter.page,
    pageSize: filter.pageSize,
  };
}

async function guardLastManager(ctx: RequestContext, departmentId: string, userId: string) {
  if ((await users.countOtherActiveManagers(ctx.db, departmentId, userId)) === 0) {
    throw new AppError(
      "user.last_manager",
      409,
      "The department must keep at least one active manager",
    );
  }
}

export async function updateUserRoles(
  ctx: RequestContext,
  userId: string,
  body: { roles: string[]; communityIds: string[] },
) {
  const departmentId = managedDepartment(ctx, "user.manage");
  const target = await users.findDepartmentUser(ctx.db, departmentId, userId);
  if (!target) throw notFound("user");
  if (target.roles.includes("manager") && !body.roles.includes("manager")) {
    await guardLastManager(ctx, departmentId, userId);
  }
  const known = await users.existingCommunityIds(ctx.db, departmentId, body.communityIds);
  const unknown = body.communityIds.filter((id) => !known.includes(id));
  if (unknown.length) {
    throw new AppError("validation_failed", 400, "Unknown communities", {
      issues: [
        {
          path: ["communityIds"],
          code: "unknown_community",
          message: `unknown: ${unknown.join(", ")}`,
        },
      ],
    });
  }
  await ctx.db.transaction(async (tx) => {
    await users.replaceRoles(tx, departmentId, userId, [...new Set(body.roles)], ctx.actor.userId);
    if (!target.active) await users.setDepartmentActive(tx, departmentId, userId, false);
    await users.replaceCommunityAssignments(tx, departmentId, userId, [...new Set(known)]);
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: "user.roles_update",
        entityType: "user",
        entityId: userId,
        fields: ["roles", "communityIds"],
        details: { before: target.roles, after: body.roles, communities: known.length },
      }),
    );
  });
  ctx.actorCache.invalidateUser(userId);
  return presentStaffUser((await users.findDepartmentUser(ctx.db, departmentId, userId))!);
}

export async function setUserActive(ctx: RequestContext, userId: string, active: boolean) {
  const departmentId = managedDepartment(ctx, "user.manage");
  const target = await users.findDepartmentUser(ctx.db, departmentId, userId);
  if (!target) throw notFound("user");
  if (!active && userId === ctx.actor.userId)
    throw new AppError("forbidden", 403, "You cannot deactivate yourself");
  if (!active && target.roles.includes("manager"))
    await guardLastManager(ctx, departmentId, userId);
  await ctx.db.transaction(async (tx) => {
    await users.setDepartmentActive(tx, departmentId, userId, active);
    // Signed out everywhere once they hold no active role anywhere.
    if (!active && !(await users.hasAnyActiveRole(tx, userId)))
      await users.deleteSessions(tx, userId);
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: active ? "user.reactivate" : "user.deactivate",
        entityType: "user",
        entityId: userId,
      }),
    );
  });
  ctx.actorCache.invalidateUser(userId);
  return presentStaffUser((await users.findDepartmentUser(ctx.db, departmentId, userId))!);
}

export async function listInvitations(ctx: RequestContext) {
  const departmentId = managedDepartment(ctx, "invitation.manage");
  const rows = await invitations.listOpenInvitations(ctx.db, departmentId);
  return { items: rows.map(presentInvitation) };
}

/**
 * Invites a person by e-mail. Someone who already has a Kaveret staff account
 * (in another department) gets the role at once and a message saying so.
 */
export async function createInvitation(ctx: RequestContext, body: CreateInvitationBody) {
  const departmentId = managedDepartment(ctx, "invitation.manage");
  const known = await users.existingCommunityIds(ctx.db, departmentId, body.communityIds);
  if (known.length !== new Set(body.communityIds).size) {
    throw new AppError("validation_failed", 400, "Unknown communities", {
      issues: [{ path: ["communityIds"], code: "unknown_community", message: "unknown community" }],
    });
  }
  const existing = await users.findUserByEmail(ctx.db, body.email);
  if (existing && existing.kind !== "staff") {
    throw new AppError("invitation.email_taken", 409, "This e-mail belongs to a resident account");
  }
  if (existing && (await users.findDepartmentUser(ctx.db, departmentId, existing.id))) {
    throw new AppError(
      "invitation.email_taken",
      409,
      "This person is already in the department team",
    );
  }
  const token = randomBytes(32).toString("base64url");
  const department = ctx.actor.scope?.name ?? "";
  const row = await ctx.db.transaction(async (tx) => {
    const inv = await invitations.insertInvitation(tx, {
      departmentId,
      email: body.email,
      name: body.name,
      role: body.role,
      communityIds: known,
      tokenHash: hashToken(token),
      invitedBy: ctx.actor.userId,
      expiresAt: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
      acceptedAt: existing ? new Date() : null,
    });
    if (existing) {
      await tx.insert(schema.roleAssignments).values({
        userId: existing.id,
        role: body.role,
        departmentId,
        createdBy: ctx.actor.userId,
      });
      await users.replaceCommunityAssignments(tx, departmentId, existing.id, known);
    }
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: "invitation.create",
        entityType: "invitation",
        entityId: inv.id,
        fields: ["email", "role", "communityIds"],
        details: { role: body.role, existingAccount: Boolean(existing) },
      }),
    );
    return inv;
  });
  if (existing) ctx.actorCache.invalidateUser(existing.id);
  try {
    await sendInvitation(ctx.transport, {
      to: body.email,
      name: body.name,
      inviter: ctx.actor.name,
      department,
      link: existing ? `${ctx.config.publicUrl}/` : `${ctx.config.publicUrl}/invite/${token}`,
      locale: ctx.actor.locale,
    });
  } catch {
    // Nobody can use an invitation that never arrived: withdraw it (a new person's) so the
    // manager simply tries again. A role given to an existing account stays; only the notice failed.
    if (!existing) {
      await ctx.db.transaction(async (tx) => {
        await invitations.markInvitation(tx, departmentId, row.id, { revokedAt: new Date() });
        await recordAudit(
          tx,
          auditFor(ctx, {
            action: "invitation.not_sent",
            entityType: "invitation",
            entityId: row.id,
          }),
        );
      });
      throw new AppError(
        "invitation.not_sent",
        502,
        "The invitation e-mail could not be sent; the invitation was withdrawn",
      );
    }
  }
  return presentInvitation(row);
}

async function sendInvitation(
  transport: MessageTransport,
  m: {
    to: string;
    name: string;
    inviter: string;
    department: string;
    link: string;
    locale: string;
  },
) {
  const text = renderMessage("invitation", m.locale, {
    name: m.name,
    inviter: m.inviter,
    department: m.department,
    link: m.link,
  });
  await transport.send({ channel: "email", to: m.to, ...text });
}

export async function revokeInvitation(ctx: RequestContext, id: string) {
  const departmentId = managedDepartment(ctx, "invitation.manage");
  const row = await invitations.findInvitation(ctx.db, departmentId, id);
  if (!row) throw notFound("invitation");
  if (invitationStatus(row) !== "pending")
    throw new AppError("invitation.invalid", 409, "Only a pending invitation can be revoked");
  await ctx.db.transaction(async (tx) => {
    await invitations.markInvitation(tx, departmentId, id, { revokedAt: new Date() });
    await recordAudit(
      tx,
      auditFor(ctx, { action: "invitation.revoke", entityType: "invitation", entityId: id }),
    );
  });
  return presentInvitation({ ...row, revokedAt: new Date() });
}

async function openInvitation(db: Db, token: string) {
  const found = await invitations.findInvitationByTokenHash(db, hashToken(token));
  if (!found) throw new AppError("invitation.invalid", 404, "This invitation link is not valid");
  const status = invitationStatus(found.invitation);
  if (status === "expired")
    throw new AppError("invitation.expired", 410, "This invitation has expired; ask for a new one");
  if (status !== "pending")
    throw new AppError("invitation.invalid", 404, "This invitation link is not valid");
  return found;
}

/** Public: what the invitee sees before accepting. */
export async function previewInvitation(db: Db, token: string) {
  const { invitation, departmentName } = await openInvitation(db, token);
  return {
    email: invitation.email,
    name: invitation.name,
    role: invitation.role as never,
    departmentName,
  };
}

/** Public: creates the staff account with the chosen password and its role, in one transaction. */
export async function acceptInvitation(
  db: Db,
  body: { token: string; name: string; password: string },
  requestId: string,
) {
  const { invitation } = await openInvitation(db, body.token);
  if (await users.findUserByEmail(db, invitation.email)) {
    throw new AppError(
      "invitation.email_taken",
      409,
      "An account with this e-mail already exists; sign in",
    );
  }
  const passwordHash = await hashPassword(body.password);
  const userId = crypto.randomUUID();
  await db.transaction(async (tx) => {
    await tx.insert(schema.user).values({
      id: userId,
      name: body.name,
      email: invitation.email,
      emailVerified: true,
      kind: "staff",
    });
    await tx.insert(schema.account).values({
      id: crypto.randomUUID(),
      accountId: userId,
      providerId: "credential",
      userId,
      password: passwordHash,
    });
    await tx.insert(schema.roleAssignments).values({
      userId,
      role: invitation.role,
      departmentId: invitation.departmentId,
      createdBy: invitation.invitedBy,
    });
    await users.replaceCommunityAssignments(
      tx,
      invitation.departmentId,
      userId,
      invitation.communityIds,
    );
    await invitations.markInvitation(tx, invitation.departmentId, invitation.id, {
      acceptedAt: new Date(),
    });
    await recordAudit(tx, {
      departmentId: invitation.departmentId,
      actorUserId: userId,
      actorRole: invitation.role,
      requestId,
      action: "invitation.accept",
      entityType: "invitation",
      entityId: invitation.id,
    });
  });
  return { email: invitation.email };
}
