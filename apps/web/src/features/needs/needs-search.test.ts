import { describe, expect, it } from "vitest";
import {
  NEED_CHANNELS,
  NEED_STATUSES,
  NEED_URGENCIES,
  needListQuerySchema,
} from "@kaveret/contracts";
import { listParams } from "./needs-query.ts";
import {
  QUEUE_CHANNELS,
  QUEUE_SORTS,
  QUEUE_STATUSES,
  QUEUE_URGENCIES,
  activeFilterCount,
  chosenStatuses,
  isFiltered,
  parseNeedsSearch,
  statusView,
  toggleInList,
  toggleStatus,
} from "./needs-search.ts";

const COMMUNITY = "0b7f3c2e-5d1a-4c1e-9a55-2f1f7d9e8a10";

/** The query as the browser sends it: every value a string. */
function asSent(params: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(params)
      .filter(([, v]) => v !== undefined && v !== null && v !== "")
      .map(([k, v]) => [k, String(v)]),
  );
}

describe("needs queue search params", () => {
  it("repeats the contract's vocabularies exactly (the router bundle cannot import them)", () => {
    expect(QUEUE_STATUSES).toEqual(NEED_STATUSES);
    expect(QUEUE_URGENCIES).toEqual(NEED_URGENCIES);
    expect(QUEUE_CHANNELS).toEqual(NEED_CHANNELS);
    expect([...QUEUE_SORTS].sort()).toEqual(
      [...needListQuerySchema.shape.sort.unwrap().options].sort(),
    );
  });

  it("keeps well-formed filters and drops the rest without failing", () => {
    const s = parseNeedsSearch({
      q: "  מקרר ריק ",
      status: "new,bogus,triaged,new",
      urgency: "critical,HIGH,high",
      category: "food,Bad Code,digital_skills",
      channel: "web,fax",
      communityId: COMMUNITY.toUpperCase(),
      assignee: "me",
      residentId: "nope",
      spam: "true",
      sort: "newest",
      page: "3",
    });
    expect(s).toEqual({
      q: "מקרר ריק",
      status: "new,triaged",
      urgency: "critical,high",
      category: "food,digital_skills",
      channel: "web",
      communityId: COMMUNITY,
      assignee: "me",
      spam: true,
      sort: "newest",
      page: 3,
    });
    expect(Object.keys(parseNeedsSearch({}))).toEqual([]);
    expect(parseNeedsSearch({ assignee: "user 1; drop" }).assignee).toBeUndefined();
    expect(parseNeedsSearch({ assignee: "u_8fQ2-x" }).assignee).toBe("u_8fQ2-x");
    expect(parseNeedsSearch({ page: 1 }).page).toBeUndefined();
    expect(parseNeedsSearch({ spam: "yes" }).spam).toBeUndefined();
  });

  it("opens on the open queue; a chosen status leaves it and the last one taken off returns", () => {
    expect(statusView({})).toBe("open");
    expect(statusView({ status: "all" })).toBe("all");
    expect(statusView({ status: "new" })).toBe("custom");
    expect(toggleStatus({}, "resolved")).toBe("resolved");
    // Chips keep the workflow's order whatever the clicking order.
    expect(toggleStatus({ status: "resolved" }, "new")).toBe("new,resolved");
    expect(toggleStatus({ status: "new" }, "new")).toBeUndefined();
    expect(toggleStatus({ status: "all" }, "closed")).toBe("closed");
    expect(chosenStatuses({ status: "all" })).toEqual([]);
    expect(toggleInList("low", "high")).toBe("low,high");
    expect(toggleInList("low,high", "low")).toBe("high");
    expect(toggleInList("low", "low")).toBeUndefined();
  });

  it("counts filters and tells a narrowed list from the default queue", () => {
    expect(isFiltered({})).toBe(false);
    expect(isFiltered({ sort: "oldest", page: 2 })).toBe(false);
    expect(isFiltered({ status: "all" })).toBe(true);
    expect(isFiltered({ spam: true })).toBe(true);
    expect(activeFilterCount({ urgency: "high,critical", assignee: "none", q: "x" })).toBe(3);
  });
});

describe("needs list query", () => {
  it("asks for the open queue by default, most urgent first, in a form the server accepts", () => {
    const params = listParams(parseNeedsSearch({}));
    const parsed = needListQuerySchema.parse(asSent(params));
    expect(parsed).toMatchObject({ open: "true", sort: "urgency", page: 1, pageSize: 25 });
    expect(parsed.status).toBeUndefined();
  });

  it("sends chosen statuses instead of the open flag, and nothing for all statuses", () => {
    const chosen = needListQuerySchema.parse(
      asSent(listParams(parseNeedsSearch({ status: "resolved,closed", page: 2 }))),
    );
    expect(chosen).toMatchObject({ status: ["resolved", "closed"], page: 2 });
    expect(chosen.open).toBeUndefined();
    const all = needListQuerySchema.parse(asSent(listParams(parseNeedsSearch({ status: "all" }))));
    expect(all.open).toBe("false");
    expect(all.status).toBeUndefined();
  });

  it("lists held reports in the spam view whatever their status", () => {
    const q = needListQuerySchema.parse(asSent(listParams(parseNeedsSearch({ spam: "true" }))));
    expect(q.spam).toBe("true");
    expect(q.open).toBeUndefined();
  });

  it("carries every filter through", () => {
    const q = needListQuerySchema.parse(
      asSent(
        listParams(
          parseNeedsSearch({
            q: "ramp",
            urgency: "high,critical",
            category: "accessibility,none",
            channel: "widget,phone",
            communityId: COMMUNITY,
            assignee: "none",
            sort: "oldest",
          }),
        ),
      ),
    );
    expect(q).toMatchObject({
      q: "ramp",
      urgency: ["high", "critical"],
      category: ["accessibility", "none"],
      channel: ["widget", "phone"],
      communityId: COMMUNITY,
      assignee: "none",
      sort: "oldest",
    });
  });
});
