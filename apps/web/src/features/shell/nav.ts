import type { Role } from "@kaveret/contracts";

export type NavKey =
  | "home"
  | "emergency"
  | "communities"
  | "residents"
  | "needs"
  | "broadcasts"
  | "forms"
  | "field"
  | "assets"
  | "map"
  | "imports"
  | "team"
  | "audit"
  | "outbox";

export interface NavItem {
  key: NavKey;
  to:
    | "/"
    | "/emergency"
    | "/communities"
    | "/residents"
    | "/needs"
    | "/broadcasts"
    | "/forms"
    | "/field"
    | "/assets"
    | "/map"
    | "/imports"
    | "/team"
    | "/audit"
    | "/dev/outbox";
}

const ITEMS: Record<NavKey, NavItem> = {
  home: { key: "home", to: "/" },
  emergency: { key: "emergency", to: "/emergency" },
  communities: { key: "communities", to: "/communities" },
  residents: { key: "residents", to: "/residents" },
  needs: { key: "needs", to: "/needs" },
  broadcasts: { key: "broadcasts", to: "/broadcasts" },
  forms: { key: "forms", to: "/forms" },
  field: { key: "field", to: "/field" },
  assets: { key: "assets", to: "/assets" },
  map: { key: "map", to: "/map" },
  imports: { key: "imports", to: "/imports" },
  team: { key: "team", to: "/team" },
  audit: { key: "audit", to: "/audit" },
  outbox: { key: "outbox", to: "/dev/outbox" },
};

const BY_ROLE: Partial<Record<Role, NavKey[]>> = {
  manager: [
    "home",
    "emergency",
    "communities",
    "residents",
    "needs",
    "broadcasts",
    "forms",
    "field",
    "assets",
    "map",
    "imports",
    "team",
    "audit",
  ],
  community_worker: [
    "home",
    "emergency",
    "communities",
    "residents",
    "needs",
    "broadcasts",
    "forms",
    "field",
    "assets",
    "map",
    "imports",
  ],
  social_worker: ["home", "emergency", "residents", "needs", "forms", "field", "assets", "map"],
  activist: ["home", "residents", "assets", "map"],
  volunteer: ["home", "emergency", "assets", "map"],
  partner: ["home", "assets"],
  trainer: ["home", "assets"],
};

/** Navigation for the roles held in the active scope (union over roles, fixed order). */
export function navFor(roles: readonly Role[], options: { outbox?: boolean } = {}): NavItem[] {
  const keys = new Set<NavKey>(["home"]);
  for (const r of roles) for (const k of BY_ROLE[r] ?? []) keys.add(k);
  if (options.outbox) keys.add("outbox");
  const order: NavKey[] = [
    "home",
    "emergency",
    "communities",
    "residents",
    "needs",
    "broadcasts",
    "forms",
    "field",
    "assets",
    "map",
    "imports",
    "team",
    "audit",
    "outbox",
  ];
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
