import type { Role, StaffUser } from "@kaveret/contracts";
import type { DepartmentUserRow } from "./users.repository.ts";
import type { InvitationRow } from "./invitations.repository.ts";

export function presentStaffUser(row: DepartmentUserRow): StaffUser {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    active: row.active,
    roles: row.roles as Role[],
    communityIds: row.communityIds,
    twoFactorEnabled: row.twoFactorEnabled === true,
    createdAt: row.createdAt.toISOString(),
  };
}

export function invitationStatus(row: InvitationRow, now = new Date()) {
  if (row.acceptedAt) return "accepted" as const;
  if (row.revokedAt) return "revoked" as const;
  if (row.expiresAt <= now) return "expired" as const;
  return "pending" as const;
}

export function presentInvitation(row: InvitationRow) {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    communityIds: row.communityIds,
    status: invitationStatus(row),
    expiresAt: row.expiresAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
  };
}
