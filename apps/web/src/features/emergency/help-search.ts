import type { HelpCategory, HelpRequestStatus } from "@kaveret/contracts";
import { str } from "../../app/search.ts";

/*
 * The help-requests list's URL search params. Parsed in the router (first bundle), so no
 * zod and no contract values here: the vocabularies are repeated and a test keeps them
 * equal to the contract's.
 */
export const HELP_CATEGORY_CODES = [
  "food",
  "medicine",
  "evacuation",
  "emotional_support",
  "transport",
  "shelter",
  "other",
] as const satisfies readonly HelpCategory[];
export const HELP_STATUS_CODES = [
  "open",
  "claimed",
  "completed",
  "cancelled",
] as const satisfies readonly HelpRequestStatus[];

/** The help-requests list's filters, kept in the address. */
export interface HelpSearch {
  /** A status, or "active" (open and claimed: the default), or "all". */
  status?: string;
  category?: HelpCategory;
  mine?: boolean;
  page?: number;
}

const STATUS_CHOICES = new Set<string>(["active", "all", ...HELP_STATUS_CODES]);

export function parseHelpSearch(s: Record<string, unknown>): HelpSearch {
  const status = str(s.status, 20);
  const category = str(s.category, 40);
  const page = Number(s.page);
  return {
    status: status && STATUS_CHOICES.has(status) && status !== "active" ? status : undefined,
    category: (HELP_CATEGORY_CODES as readonly string[]).includes(category ?? "")
      ? (category as HelpCategory)
      : undefined,
    mine: s.mine === true || s.mine === "true" ? true : undefined,
    page: Number.isInteger(page) && page > 1 && page < 100_000 ? page : undefined,
  };
}

/** The list's query to the server for these filters. */
export function helpListParams(search: HelpSearch, pageSize: number) {
  const status =
    search.status === "all"
      ? undefined
      : search.status && search.status !== "active"
        ? search.status
        : "open,claimed";
  return {
    status,
    category: search.category,
    mine: search.mine ? ("true" as const) : undefined,
    page: search.page ?? 1,
    pageSize,
  };
}
