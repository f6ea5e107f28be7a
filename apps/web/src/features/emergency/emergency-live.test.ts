import { describe, expect, it } from "vitest";
import {
  HELP_CATEGORIES,
  HELP_REQUEST_STATUSES,
  emergencyStreamEventSchema,
} from "@kaveret/contracts";
import { emergencyKeys } from "./emergency.api.ts";
import {
  STREAM_EVENT_TYPES,
  parseEmergencyEvent,
  reconnectDelay,
  staleKeys,
  streamUrl,
  touchesCalls,
} from "./emergency-live.ts";
import {
  HELP_CATEGORY_CODES,
  HELP_STATUS_CODES,
  helpListParams,
  parseHelpSearch,
} from "./help-search.ts";
import { classOf, countByClass } from "./board-points.ts";
import { emergencyLinks } from "./emergency-labels.ts";

const E = "5a3f6c1e-8a53-4c1e-9a61-0d2b6f1c2a10";
const ID = "0f0a3c55-1b7e-4a8e-b1c2-3d4e5f6a7b8c";

describe("the live line", () => {
  it("knows the contract's event types (the shell keeps zod out of its bundle)", () => {
    expect([...STREAM_EVENT_TYPES].sort()).toEqual(
      [...emergencyStreamEventSchema.shape.type.options].sort(),
    );
  });

  it("reads events and ignores anything else", () => {
    const event = { type: "call_updated", emergencyId: E, id: ID, communityId: null, at: "now" };
    expect(parseEmergencyEvent(JSON.stringify(event))).toEqual(event);
    expect(parseEmergencyEvent(JSON.stringify({ ...event, type: "hacked" }))).toBeNull();
    expect(parseEmergencyEvent(JSON.stringify({ ...event, emergencyId: "1" }))).toBeNull();
    expect(parseEmergencyEvent("")).toBeNull();
    expect(parseEmergencyEvent("{not json")).toBeNull();
    expect(
      parseEmergencyEvent(JSON.stringify({ type: "closed", emergencyId: E, at: "x" })),
    ).toEqual({ type: "closed", emergencyId: E, id: null, communityId: null, at: "x" });
  });

  it("refreshes what an event touches; mode changes reach every screen's banner", () => {
    const ev = (type: (typeof STREAM_EVENT_TYPES)[number]) => ({
      type,
      emergencyId: E,
      id: ID,
      communityId: null,
      at: "",
    });
    expect(staleKeys(ev("declared"))).toEqual(
      expect.arrayContaining([emergencyKeys.mode, emergencyKeys.list, emergencyKeys.event(E)]),
    );
    expect(staleKeys(ev("help_updated"))).toEqual([
      emergencyKeys.event(E),
      emergencyKeys.helpOne(ID),
    ]);
    expect(staleKeys(ev("log_entry"))).toEqual([emergencyKeys.event(E)]);
    expect(staleKeys(ev("shelter_updated"))).not.toContainEqual(emergencyKeys.mode);
    // A caller's device pulls when its calls may have changed, not for shelters or the log.
    expect(touchesCalls(ev("calls_assigned"))).toBe(true);
    expect(touchesCalls(ev("closed"))).toBe(true);
    expect(touchesCalls(ev("shelter_updated"))).toBe(false);
    expect(touchesCalls(ev("log_entry"))).toBe(false);
  });

  it("carries the scope (EventSource sends no headers) and backs off when it drops", () => {
    expect(streamUrl("department:abc")).toBe("/api/emergency/stream?scope=department%3Aabc");
    expect(streamUrl(null)).toBe("/api/emergency/stream");
    expect(reconnectDelay(0, () => 0.5)).toBe(1000);
    expect(reconnectDelay(3, () => 0.5)).toBe(8000);
    expect(reconnectDelay(20, () => 1)).toBe(36000);
  });
});

describe("help requests in the address", () => {
  it("knows the contract's vocabularies", () => {
    expect(HELP_CATEGORY_CODES).toEqual(HELP_CATEGORIES);
    expect(HELP_STATUS_CODES).toEqual(HELP_REQUEST_STATUSES);
  });

  it("keeps only filters it knows; open and claimed by default", () => {
    expect(
      parseHelpSearch({ status: "claimed", category: "food", mine: "true", page: "2" }),
    ).toEqual({ status: "claimed", category: "food", mine: true, page: 2 });
    expect(parseHelpSearch({ status: "gone", category: "pizza", mine: "no", page: "-1" })).toEqual(
      {},
    );
    expect(helpListParams({}, 25)).toMatchObject({ status: "open,claimed", page: 1 });
    expect(helpListParams({ status: "all", mine: true }, 25)).toMatchObject({
      status: undefined,
      mine: "true",
    });
  });
});

describe("the board's map points and the shell's links", () => {
  it("colours calls by state and counts each kind for the legend", () => {
    const p = (kind: "call" | "help" | "shelter", status: string) => ({
      kind,
      id: ID,
      lat: 32,
      lon: 35,
      status,
      label: null,
    });
    expect(classOf(p("call", "retry"))).toBe("not_reached");
    expect(classOf(p("call", "reached_needs_help"))).toBe("reached_needs_help");
    expect(classOf(p("call", "weird"))).toBe("pending");
    expect(classOf(p("help", "food"))).toBe("help");
    const counts = countByClass([
      p("call", "retry"),
      p("call", "not_reached"),
      p("shelter", "shelter"),
    ]);
    expect(Object.fromEntries(counts)).toEqual({ not_reached: 2, shelter: 1 });
  });

  it("offers each role what it may open while an emergency is on", () => {
    const perms = (
      p: Partial<Record<"declare" | "manage" | "board" | "call" | "offerHelp", boolean>>,
    ) => ({
      declare: false,
      manage: false,
      board: false,
      call: false,
      offerHelp: false,
      ...p,
    });
    const emergency = {
      id: E,
      type: "fire" as const,
      level: 2 as const,
      title: "x",
      drill: false,
      startedAt: "",
      communities: [],
    };
    const volunteer = emergencyLinks({
      mode: "emergency",
      emergency,
      permissions: perms({ call: true, offerHelp: true }),
    });
    expect(volunteer).toEqual({ board: false, calls: true, help: true, offer: true });
    const routine = emergencyLinks({
      mode: "routine",
      emergency: null,
      permissions: perms({ board: true, call: true }),
    });
    expect(routine).toEqual({ board: true, calls: false, help: false, offer: false });
    expect(emergencyLinks(null)).toEqual({ board: false, calls: false, help: false, offer: false });
  });
});
