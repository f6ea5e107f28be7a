/** Search-param parsing without pulling zod into the first bundle. */

export function str(v: unknown, max = 200): string | undefined {
  if (typeof v === "number") return String(v);
  return typeof v === "string" && v.length > 0 ? v.slice(0, max) : undefined;
}

export function oneOf<T extends string>(v: unknown, allowed: readonly T[]): T | undefined {
  return typeof v === "string" && (allowed as readonly string[]).includes(v) ? (v as T) : undefined;
}

export function pageNum(v: unknown): number | undefined {
  const n = typeof v === "number" ? v : typeof v === "string" ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : undefined;
}

export interface CommunitiesSearch {
  q?: string;
  kind?: "geographic" | "functional";
  level?: "town" | "neighbourhood" | "street_cluster" | "building";
  archived?: "active" | "archived" | "all";
  page?: number;
}

export function parseCommunitiesSearch(s: Record<string, unknown>): CommunitiesSearch {
  return {
    q: str(s.q, 100),
    kind: oneOf(s.kind, ["geographic", "functional"] as const),
    level: oneOf(s.level, ["town", "neighbourhood", "street_cluster", "building"] as const),
    archived: oneOf(s.archived, ["active", "archived", "all"] as const),
    page: pageNum(s.page),
  };
}

export interface NewCommunitySearch {
  parentId?: string;
}

export function parseNewCommunitySearch(s: Record<string, unknown>): NewCommunitySearch {
  return { parentId: str(s.parentId, 80) };
}
