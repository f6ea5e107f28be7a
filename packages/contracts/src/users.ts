import { z } from "zod";
import { pageOf, paginationQuerySchema, localeSchema } from "./common.ts";
import { invitableRoleSchema, roleSchema, scopeSchema } from "./roles.ts";

export const meSchema = z.object({
  user: z.object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    kind: z.enum(["staff", "resident"]),
    locale: localeSchema,
    twoFactorEnabled: z.boolean(),
  }),
  scopes: z.array(scopeSchema),
  /** The scope this request ran in (from the X-Kaveret-Scope header, else the first). */
  activeScopeId: z.string().nullable(),
  /** True when a role in the active scope requires TOTP and none is enrolled. */
  twoFactorRequired: z.boolean(),
});
export type Me = z.infer<typeof meSchema>;

export const updateMeBodySchema = z
  .object({ locale: localeSchema.optional(), name: z.string().trim().min(2).max(120).optional() })
  .strict();

export const staffUserSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  active: z.boolean(),
  roles: z.array(roleSchema),
  communityIds: z.array(z.uuid()),
  twoFactorEnabled: z.boolean(),
  createdAt: z.string(),
});
export type StaffUser = z.infer<typeof staffUserSchema>;

export const listUsersQuerySchema = paginationQuerySchema.extend({
  q: z.string().trim().max(100).optional(),
  role: roleSchema.optional(),
  status: z.enum(["active", "inactive", "all"]).default("active"),
});
export const userPageSchema = pageOf(staffUserSchema);

export const updateUserRolesBodySchema = z
  .object({
    roles: z.array(invitableRoleSchema).min(1).max(7),
    communityIds: z.array(z.uuid()).max(500).default([]),
  })
  .strict();

export const createInvitationBodySchema = z
  .object({
    email: z
      .email()
      .max(254)
      .transform((e) => e.toLowerCase()),
    name: z.string().trim().min(2).max(120),
    role: invitableRoleSchema,
    communityIds: z.array(z.uuid()).max(500).default([]),
  })
  .strict();
export type CreateInvitationBody = z.infer<typeof createInvitationBodySchema>;

export const invitationSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  communityIds: z.array(z.uuid()),
  status: z.enum(["pending", "accepted", "expired", "revoked"]),
  expiresAt: z.string(),
  createdAt: z.string(),
});
export const invitationListSchema = z.object({ items: z.array(invitationSchema) });

/** What the person opening an invitation link sees (no other invitee data). */
export const invitationPreviewSchema = z.object({
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  departmentName: z.string(),
});

export const acceptInvitationBodySchema = z
  .object({
    token: z.string().min(20).max(200),
    name: z.string().trim().min(2).max(120),
    /** Long passphrases welcome; no composition rules, no forced rotation (NIST 800-63B). */
    password: z.string().min(10).max(256),
  })
  .strict();
