import { z } from "zod";
import { departmentAltNamesSchema } from "./names.ts";

/** Real figures for the home page of the active scope; k-anonymised for ministry and district. */
export const homeSchema = z.object({
  scopeKind: z.enum(["department", "district", "ministry"]),
  figures: z.array(
    z.object({
      key: z.enum([
        "communities",
        "neighbourhoods",
        "my_communities",
        "staff",
        "pending_invitations",
        "departments",
        "audit_events_week",
      ]),
      /** Null when suppressed (fewer than k people behind it). */
      value: z.number().int().nullable(),
    }),
  ),
  recentCommunities: z.array(
    z.object({ id: z.uuid(), name: z.string(), level: z.string().nullable() }),
  ),
});
export type Home = z.infer<typeof homeSchema>;

export const healthSchema = z.object({ status: z.literal("ok") });

/** The settings a department manager controls. */
export const departmentSettingsSchema = z.object({
  departmentId: z.uuid(),
  /** The Hebrew name. */
  name: z.string(),
  /** Names in the other languages residents read (missing: the Hebrew name is shown). */
  altNames: departmentAltNamesSchema,
  requireTwoFactorForManagers: z.boolean(),
});
export type DepartmentSettingsView = z.infer<typeof departmentSettingsSchema>;

export const updateDepartmentSettingsBodySchema = z
  .object({ requireTwoFactorForManagers: z.boolean() })
  .strict();
