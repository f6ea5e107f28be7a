import { z } from "zod";

/** The ten roles of SPEC §1. */
export const ROLES = [
  "ministry",
  "district",
  "manager",
  "community_worker",
  "social_worker",
  "trainer",
  "activist",
  "volunteer",
  "resident",
  "partner",
] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/** Roles held within one department (all but ministry and district). */
export const DEPARTMENT_ROLES = ROLES.filter(
  (r): r is Exclude<Role, "ministry" | "district"> => r !== "ministry" && r !== "district",
);
export const departmentRoleSchema = z
  .enum(DEPARTMENT_ROLES as [string, ...string[]])
  .pipe(roleSchema);

/** Roles a department manager may assign by invitation. */
export const INVITABLE_ROLES = [
  "manager",
  "community_worker",
  "social_worker",
  "trainer",
  "activist",
  "volunteer",
  "partner",
] as const satisfies readonly Role[];
export const invitableRoleSchema = z.enum(INVITABLE_ROLES);

/** Roles that must enrol TOTP when the department setting says so. */
export const TWO_FACTOR_ROLES = [
  "manager",
  "district",
  "ministry",
] as const satisfies readonly Role[];

/** A scope a user works in: one department, one district, or the whole ministry. */
export const scopeSchema = z.object({
  id: z.string(),
  kind: z.enum(["department", "district", "ministry"]),
  departmentId: z.uuid().nullable(),
  districtId: z.uuid().nullable(),
  name: z.string(),
  roles: z.array(roleSchema),
});
export type Scope = z.infer<typeof scopeSchema>;
