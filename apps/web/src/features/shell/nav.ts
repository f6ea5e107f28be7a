import type { Role } from "@kaveret/contracts";

export type NavKey = "home" | "communities" | "team" | "audit" | "outbox";

export interface NavItem {
  key: NavKey;
  to: "/" | "/communities" | "/team" | "/audit" | "/dev/outbox";
}

const ITEMS: Record<NavKey, NavItem> = {
  home: { key: "home", to: "/" },
  communities: { key: "communities", to: "/communities" },
  team: { key: "team", to: "/team" },
  audit: { key: "audit", to: "/audit" },
  outbox: { key: "outbox", to: "/dev/outbox" },
};

const BY_ROLE: Partial<Record<Role, NavKey[]>> = {
  manager: ["home", "communities", "team", "audit"],
  community_worker: ["home", "communities"],
};

/** Navigation for the roles held in the active scope (union over roles, fixed order). */
export function navFor(roles: readonly Role[], options: { outbox?: boolean } = {}): NavItem[] {
  const keys = new Set<NavKey>(["home"]);
  for (const r of roles) for (const k of BY_ROLE[r] ?? []) keys.add(k);
  if (options.outbox) keys.add("outbox");
  const order: NavKey[] = ["home", "communities", "team", "audit", "outbox"];
  return order.filter((k) => keys.has(k)).map((k) => ITEMS[k]);
}

export function isManager(roles: readonly Role[]): boolean {
  return roles.includes("manager");
}

/** Who may create and edit communities (the server decides per community anyway). */
export function canEditCommunities(roles: readonly Role[]): boolean {
  return roles.includes("manager") || roles.includes("community_worker");
}

export function canSeeCommunities(roles: readonly Role[]): boolean {
  return canEditCommunities(roles);
}
