import type { Role } from "@kaveret/contracts";

/** Who builds and publishes forms (the server decides per form: permissions.edit). */
export function canEditForms(roles: readonly Role[]): boolean {
  return roles.includes("manager") || roles.includes("community_worker");
}
