/**
 * The needs queue's URL search params. Parsed in the router (first bundle), so this
 * file holds no zod and no contract values: the vocabularies are repeated here and a
 * test keeps them equal to the contract's.
 */

export const QUEUE_STATUSES = [
  "new",
  "triaged",
  "in_progress",
  "resolved",
  "referred",
  "closed",
] as const;
export type QueueStatus = (typeof QUEUE_STATUSES)[number];
export const QUEUE_URGENCIES = ["low", "normal", "high", "critical"] as const;
export type QueueUrgency = (typeof QUEUE_URGENCIES)[number];
export const QUEUE_CHANNELS = [
  "web",
  "widget",
  "phone",
  "face_to_face",
  "sms",
  "whatsapp",
  "survey",
  "partner_api",
] as const;
export type QueueChannel = (typeof QUEUE_CHANNELS)[number];
export const QUEUE_SORTS = ["urgency", "newest", "oldest", "updated"] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

/** The status chip row: open (default), each status, or all of them. */
export type StatusView = "open" | "all" | "custom";

export interface NeedsSearch {
  q?: string;
  /** Comma list of statuses, or "all"; absent = the open ones (new, triaged, in progress). */
  status?: string;
  /** Comma list of urgencies. */
  urgency?: string;
  /** Comma list of category codes ("none": not categorized yet). */
  category?: string;
  /** Comma list of channels. */
  channel?: string;
  communityId?: string;
  /** A user id, "me" or "none" (unassigned). */
  assignee?: string;
  residentId?: string;
  /** The reports held as suspected spam. */
  spam?: true;
  sort?: QueueSort;
  page?: number;
}

/** The keys that narrow the list (everything but sort and page). */
export const FILTER_KEYS = [
  "q",
  "status",
  "urgency",
  "category",
  "channel",
  "communityId",
  "assignee",
  "residentId",
  "spam",
] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CODE = /^[a-z][a-z0-9_]{0,39}$/;
const USER_ID = /^[\w-]{1,64}$/;

function text(v: unknown, max: number): string | undefined {
  if (typeof v !== "string") return undefined;
  const s = v.trim().slice(0, max);
  return s.length > 0 ? s : undefined;
}

function uuid(v: unknown): string | undefined {
  return typeof v === "string" && UUID.test(v) ? v.toLowerCase() : undefined;
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[]): T | undefined {
  return typeof v === "string" && (allowed as readonly string[]).includes(v) ? (v as T) : undefined;
}

/** "a,b,,a" (or ["a","b"]) → the items that pass `keep`, no repeats, at most 20. */
export function splitList(v: unknown, keep: (item: string) => boolean = (s) => CODE.test(s)) {
  const raw = Array.isArray(v) ? v : typeof v === "string" ? v.split(",") : [];
  const out: string[] = [];
  for (const item of raw) {
    if (typeof item !== "string") continue;
    const s = item.trim();
    if (keep(s) && !out.includes(s)) out.push(s);
    if (out.length >= 20) break;
  }
  return out;
}

/** A list back into a URL value; an empty list leaves the key out. */
export function joinList(list: readonly string[]): string | undefined {
  return list.length > 0 ? list.join(",") : undefined;
}

function listOf<T extends string>(v: unknown, allowed: readonly T[]): T[] {
  return splitList(v, (s) => (allowed as readonly string[]).includes(s)) as T[];
}

function page(v: unknown): number | undefined {
  const n = typeof v === "number" ? v : typeof v === "string" ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 2 && n <= 100_000 ? n : undefined;
}

function assignee(v: unknown): string | undefined {
  if (v === "me" || v === "none") return v;
  return typeof v === "string" && USER_ID.test(v) ? v : undefined;
}

function statusParam(v: unknown): string | undefined {
  if (v === "all") return "all";
  return joinList(listOf(v, QUEUE_STATUSES));
}

/** validateSearch of /needs: anything malformed is dropped, never an error page. */
export function parseNeedsSearch(s: Record<string, unknown>): NeedsSearch {
  const out: NeedsSearch = {
    q: text(s.q, 100),
    status: statusParam(s.status),
    urgency: joinList(listOf(s.urgency, QUEUE_URGENCIES)),
    category: joinList(splitList(s.category)),
    channel: joinList(listOf(s.channel, QUEUE_CHANNELS)),
    communityId: uuid(s.communityId),
    assignee: assignee(s.assignee),
    residentId: uuid(s.residentId),
    spam: s.spam === true || s.spam === "true" ? true : undefined,
    sort: oneOf(s.sort, QUEUE_SORTS),
    page: page(s.page),
  };
  return compact(out);
}

/** The same search without its undefined keys (clean links, comparable searches). */
export function compact(s: NeedsSearch): NeedsSearch {
  return Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) as NeedsSearch;
}

/** Which status chip is on: the default open queue, every status, or a chosen set. */
export function statusView(s: NeedsSearch): StatusView {
  if (s.status === undefined) return "open";
  if (s.status === "all") return "all";
  return "custom";
}

/** The statuses chosen one by one (empty for the open and all views). */
export function chosenStatuses(s: NeedsSearch): QueueStatus[] {
  return statusView(s) === "custom" ? listOf(s.status, QUEUE_STATUSES) : [];
}

/**
 * Toggles one status chip. Choosing a status leaves the open view; taking the last one
 * off returns to it.
 */
export function toggleStatus(s: NeedsSearch, status: QueueStatus): string | undefined {
  const current = chosenStatuses(s);
  const next = current.includes(status)
    ? current.filter((x) => x !== status)
    : QUEUE_STATUSES.filter((x) => x === status || current.includes(x));
  return joinList(next);
}

/** Adds or removes one value of a comma-list filter. */
export function toggleInList(list: string | undefined, value: string): string | undefined {
  const items = splitList(list);
  return joinList(items.includes(value) ? items.filter((x) => x !== value) : [...items, value]);
}

/** How many filters beyond the words and the status view are set (for "Filters (3)"). */
export function activeFilterCount(s: NeedsSearch): number {
  let n = 0;
  n += splitList(s.urgency).length;
  n += splitList(s.category).length;
  n += splitList(s.channel).length;
  if (s.communityId) n += 1;
  if (s.assignee) n += 1;
  if (s.residentId) n += 1;
  return n;
}

/** Whether anything narrows the default queue: decides which empty state shows. */
export function isFiltered(s: NeedsSearch): boolean {
  return Boolean(s.q) || s.status !== undefined || s.spam === true || activeFilterCount(s) > 0;
}
