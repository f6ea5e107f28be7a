import { describe, expect, it } from "vitest";
import { listResidentsQuerySchema } from "@kaveret/contracts";
import { cleanSearch, exportHref, listParams } from "./residents-query.ts";
import {
  activeFilterCount,
  effectiveSort,
  filterQuery,
  isFiltered,
  joinList,
  parseResidentsSearch,
  sameFilters,
  splitList,
} from "./residents-search.ts";

const COMMUNITY = "0b7f3c2e-5d1a-4c1e-9a55-2f1f7d9e8a10";

describe("residents search params", () => {
  it("keeps well-formed filters and drops the rest without failing", () => {
    const s = parseResidentsSearch({
      q: "  כהן ",
      communityId: COMMUNITY.toUpperCase(),
      flags: "lives_alone,age_75_plus,lives_alone,Bad Flag,",
      roles: ["volunteer", 3],
      language: "ar",
      consent: "emergency_contact",
      streetId: "not-a-uuid",
      hasLocation: "maybe",
      sort: "updated",
      page: "3",
    });
    expect(s).toEqual({
      q: "כהן",
      communityId: COMMUNITY,
      flags: "lives_alone,age_75_plus",
      roles: "volunteer",
      language: "ar",
      consent: "emergency_contact",
      sort: "updated",
      page: 3,
    });
    // Absent keys are left out altogether (clean links, comparable saved filters).
    expect(Object.keys(parseResidentsSearch({}))).toEqual([]);
  });

  it("treats page 1, page 0 and junk pages as the first page", () => {
    expect(parseResidentsSearch({ page: 1 }).page).toBeUndefined();
    expect(parseResidentsSearch({ page: "0" }).page).toBeUndefined();
    expect(parseResidentsSearch({ page: "2.5" }).page).toBeUndefined();
    expect(parseResidentsSearch({ page: 2 }).page).toBe(2);
  });

  it("splits and joins comma lists", () => {
    expect(splitList("a,b,,a, c")).toEqual(["a", "b", "c"]);
    expect(splitList(undefined)).toEqual([]);
    expect(joinList([])).toBeUndefined();
    expect(joinList(["x", "y"])).toBe("x,y");
    expect(splitList(Array.from({ length: 30 }, (_, i) => `f${i}`).join(","))).toHaveLength(20);
  });

  it("sorts by relevance while searching, else by name, unless chosen", () => {
    expect(effectiveSort({})).toBe("name");
    expect(effectiveSort({ q: "sara" })).toBe("relevance");
    expect(effectiveSort({ q: "sara", sort: "created" })).toBe("created");
  });

  it("counts filters and tells a filtered list from an empty registry", () => {
    expect(isFiltered({})).toBe(false);
    expect(isFiltered({ sort: "updated", page: 2 })).toBe(false);
    expect(isFiltered({ q: "x" })).toBe(true);
    expect(activeFilterCount({ q: "x", flags: "a,b", consent: "emergency_contact" })).toBe(3);
  });

  it("stores filters (not the page) and recognises the same filters in any order", () => {
    const s = parseResidentsSearch({ flags: "b,a", q: "x", page: 4 });
    expect(filterQuery(s)).toEqual({ q: "x", flags: "b,a" });
    expect(sameFilters(s, parseResidentsSearch({ q: "x", flags: "a,b" }))).toBe(true);
    expect(sameFilters(s, parseResidentsSearch({ q: "x" }))).toBe(false);
    // A saved filter round-trips through the parser unchanged.
    expect(parseResidentsSearch(filterQuery(s))).toEqual({ q: "x", flags: "b,a" });
  });
});

describe("residents list query", () => {
  it("drops values the contract does not know, so a stale link never fails", () => {
    const s = cleanSearch({ flags: "lives_alone,old_flag", roles: "mayor", language: "xx" });
    expect(s).toEqual({ flags: "lives_alone" });
  });

  it("asks the server with a query its schema accepts", () => {
    const params = listParams(
      parseResidentsSearch({
        q: "מוחמד",
        flags: "lives_alone,age_75_plus",
        roles: "volunteer",
        hasLocation: "no",
        page: 2,
        communityId: COMMUNITY,
      }),
    );
    const asStrings = Object.fromEntries(
      Object.entries(params)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, String(v)]),
    );
    const parsed = listResidentsQuerySchema.parse(asStrings);
    expect(parsed).toMatchObject({
      q: "מוחמד",
      flags: ["lives_alone", "age_75_plus"],
      roles: ["volunteer"],
      hasLocation: "no",
      sort: "relevance",
      page: 2,
      pageSize: 25,
      communityId: COMMUNITY,
    });
  });

  it("exports every page of the same filters", () => {
    const href = exportHref(
      parseResidentsSearch({ consent: "emergency_contact", page: 3 }),
      "xlsx",
    );
    const url = new URL(href, "http://x");
    expect(url.pathname).toBe("/api/residents/export");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      format: "xlsx",
      consent: "emergency_contact",
      sort: "name",
    });
  });
});
