import {
  COMMUNITY_ROLES,
  CONSENT_PURPOSES,
  RESIDENT_LANGUAGES,
  VULNERABILITY_FLAGS,
} from "@kaveret/contracts";
import type { QueryValue } from "../../api/client.ts";
import { compact, effectiveSort, splitList, type ResidentsSearch } from "./residents-search.ts";

export const PAGE_SIZE = 25;

function known<T extends string>(values: readonly string[], allowed: readonly T[]): T[] {
  return values.filter((v): v is T => (allowed as readonly string[]).includes(v));
}

function knownOne<T extends string>(v: string | undefined, allowed: readonly T[]): T | undefined {
  return v !== undefined && (allowed as readonly string[]).includes(v) ? (v as T) : undefined;
}

/** The filters of a search with only the values the contract knows (a stale link never 400s). */
export function cleanSearch(s: ResidentsSearch): ResidentsSearch {
  const flags = known(splitList(s.flags), VULNERABILITY_FLAGS);
  const roles = known(splitList(s.roles), COMMUNITY_ROLES);
  const out: ResidentsSearch = {
    ...s,
    flags: flags.length > 0 ? flags.join(",") : undefined,
    roles: roles.length > 0 ? roles.join(",") : undefined,
    language: knownOne(s.language, RESIDENT_LANGUAGES),
    consent: knownOne(s.consent, CONSENT_PURPOSES),
  };
  return compact(out);
}

/** Query of GET /api/residents (and of the export link) for a search. */
export function listParams(s: ResidentsSearch, pageSize = PAGE_SIZE): Record<string, QueryValue> {
  const c = cleanSearch(s);
  return {
    q: c.q,
    communityId: c.communityId,
    flags: c.flags,
    roles: c.roles,
    language: c.language,
    consent: c.consent,
    streetId: c.streetId,
    householdId: c.householdId,
    hasLocation: c.hasLocation,
    sort: effectiveSort(c),
    page: c.page ?? 1,
    pageSize,
  };
}

/** The export address for the current filters (every page, no paging). */
export function exportHref(s: ResidentsSearch, format: "csv" | "xlsx"): string {
  const params = listParams(s);
  const sp = new URLSearchParams({ format });
  for (const [k, v] of Object.entries(params)) {
    if (k === "page" || k === "pageSize") continue;
    if (v === undefined || v === null || v === "") continue;
    sp.set(k, String(v));
  }
  return `/api/residents/export?${sp.toString()}`;
}
