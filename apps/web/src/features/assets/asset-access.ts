import type { Role } from "@kaveret/contracts";

// What the screens offer; the server decides per asset (each asset carries `canEdit`).

/** Who may add assets, organizations and services (community workers: their communities). */
export function canWriteAssets(roles: readonly Role[]): boolean {
  return roles.includes("manager") || roles.includes("community_worker");
}

/** Who is offered the HSDS directory downloads. */
export function canExportAssets(roles: readonly Role[]): boolean {
  return roles.includes("manager");
}
