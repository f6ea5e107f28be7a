/**
 * The residents list's URL search params. Parsed in the router (first bundle), so this
 * file holds no zod and no contract values: it checks the shape here; the page keeps
 * only values the contract knows (residents-query.ts) before asking the server.
 */

export const RESIDENT_SORTS = ["relevance", "name", "updated", "created"] as const;
export type ResidentSort = (typeof RESIDENT_SORTS)[number];

export interface ResidentsSearch {
  q?: string;
  communityId?: string;
  /** Comma list of vulnerability flags (all must hold). */
  flags?: string;
  /** Comma list of community roles (any may hold). */
  roles?: string;
  language?: string;
  consent?: string;
  streetId?: string;
  householdId?: string;
  hasLocation?: "yes" | "no";
  sort?: ResidentSort;
  page?: number;
}

/** The keys a saved filter keeps (everything but the page). */
export const FILTER_KEYS = [
  "q",
  "communityId",
  "flags",
  "roles",
  "language",
  "consent",
  "streetId",
  "householdId",
  "hasLocation",
  "sort",
] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TOKEN = /^[a-z][a-z0-9_]{0,39}$/;

function text(v: unknown, max: number): string | undefined {
  if (typeof v !== "string") return undefined;
  const s = v.trim().slice(0, max);
  return s.length > 0 ? s : undefined;
}

function uuid(v: unknown): string | undefined {
  return typeof v === "string" && UUID.test(v) ? v.toLowerCase() : undefined;
}

function token(v: unknown): string | undefined {
  return typeof v === "string" && TOKEN.test(v) ? v : undefined;
}

/** "a,b,,a" (or ["a","b"]) → ["a","b"]: known-looking tokens, no repeats, at most 20. */
export function splitList(v: unknown): string[] {
  const raw = Array.isArray(v) ? v : typeof v === "string" ? v.split(",") : [];
  const out: string[] = [];
  for (const item of raw) {
    const t = token(typeof item === "string" ? item.trim() : item);
    if (t && !out.includes(t)) out.push(t);
    if (out.length >= 20) break;
  }
  return out;
}

/** ["a","b"] → "a,b"; an empty list → undefined (left out of the URL). */
export function joinList(list: readonly string[]): string | undefined {
  const clean = splitList([...list]);
  return clean.length > 0 ? clean.join(",") : undefined;
}

function page(v: unknown): number | undefined {
  const n = typeof v === "number" ? v : typeof v === "string" ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 2 && n <= 100_000 ? n : undefined;
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[]): T | undefined {
  return typeof v === "string" && (allowed as readonly string[]).includes(v) ? (v as T) : undefined;
}

/** validateSearch of /residents: anything malformed is dropped, never an error page. */
export function parseResidentsSearch(s: Record<string, unknown>): ResidentsSearch {
  const out: ResidentsSearch = {
    q: text(s.q, 100),
    communityId: uuid(s.communityId),
    flags: joinList(splitList(s.flags)),
    roles: joinList(splitList(s.roles)),
    language: token(s.language),
    consent: token(s.consent),
    streetId: uuid(s.streetId),
    householdId: uuid(s.householdId),
    hasLocation: oneOf(s.hasLocation, ["yes", "no"] as const),
    sort: oneOf(s.sort, RESIDENT_SORTS),
    page: page(s.page),
  };
  // Leave absent keys out altogether, so links and saved filters compare cleanly.
  return compact(out);
}

/** The same search without its undefined keys. */
export function compact(s: ResidentsSearch): ResidentsSearch {
  return Object.fromEntries(
    Object.entries(s).filter(([, v]) => v !== undefined),
  ) as ResidentsSearch;
}

/** The sort the list uses: the chosen one, else relevance while searching, else by name. */
export function effectiveSort(s: ResidentsSearch): ResidentSort {
  return s.sort ?? (s.q ? "relevance" : "name");
}

/** The filters as plain strings (what a saved filter stores and the export link carries). */
export function filterQuery(s: ResidentsSearch): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of FILTER_KEYS) {
    const v = s[k];
    if (v !== undefined && v !== "") out[k] = String(v);
  }
  return out;
}

/** How many filters beyond the search words are set (for the "Filters (3)" button). */
export function activeFilterCount(s: ResidentsSearch): number {
  let n = 0;
  for (const k of FILTER_KEYS) {
    if (k === "q" || k === "sort") continue;
    if (k === "flags" || k === "roles") n += splitList(s[k]).length;
    else if (s[k] !== undefined) n += 1;
  }
  return n;
}

/** Whether anything narrows the list (words or filters): decides which empty state shows. */
export function isFiltered(s: ResidentsSearch): boolean {
  return Boolean(s.q) || activeFilterCount(s) > 0;
}

/** Whether two searches ask for the same residents (page aside): marks the applied saved filter. */
export function sameFilters(a: ResidentsSearch, b: ResidentsSearch): boolean {
  const qa = filterQuery(a);
  const qb = filterQuery(b);
  const keys = new Set([...Object.keys(qa), ...Object.keys(qb)]);
  for (const k of keys) {
    if (k === "flags" || k === "roles") {
      const la = splitList(qa[k]).sort().join(",");
      const lb = splitList(qb[k]).sort().join(",");
      if (la !== lb) return false;
    } else if (qa[k] !== qb[k]) return false;
  }
  return true;
}
