import { pageNum } from "../../app/search.ts";

/** The duplicates queue's URL search params (parsed in the router: no zod here). */
export interface DuplicatesSearch {
  page?: number;
}

export function parseDuplicatesSearch(s: Record<string, unknown>): DuplicatesSearch {
  return { page: pageNum(s.page) };
}
