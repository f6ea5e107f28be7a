import type { Role } from "@kaveret/contracts";

/** Who works the needs queue (the server decides per need anyway). */
export function canWorkNeeds(roles: readonly Role[]): boolean {
  return roles.some((r) => r === "manager" || r === "community_worker" || r === "social_worker");
}

/** Categories, the classifier and the public intake are the manager's. */
export function canManageNeeds(roles: readonly Role[]): boolean {
  return roles.includes("manager");
}
