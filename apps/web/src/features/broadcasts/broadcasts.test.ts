import { describe, expect, it } from "vitest";
import { dirOf, processedPercent } from "./broadcast-labels.ts";
import { parseBroadcastsSearch, parseNewBroadcastSearch } from "./broadcasts-search.ts";
import { bodyOf, draftOf, linkEmergency } from "./broadcast-compose.page.tsx";
import { applicationServerKey } from "../../lib/push-key.ts";

describe("broadcasts in the web app", () => {
  it("reads only known statuses and sane pages from the address", () => {
    expect(parseBroadcastsSearch({ status: "sending", page: "3" })).toEqual({
      status: "sending",
      page: 3,
    });
    expect(parseBroadcastsSearch({ status: "bogus", page: "-1" })).toEqual({});
  });

  it("shows progress as the share processed, and Hebrew and Arabic right to left", () => {
    expect(processedPercent({ total: 0, queued: 0 })).toBe(0);
    expect(processedPercent({ total: 200, queued: 50 })).toBe(75);
    expect(dirOf("ar")).toBe("rtl");
    expect(dirOf("am")).toBe("ltr");
  });

  it("turns the VAPID key into the bytes PushManager takes", () => {
    const bytes = Uint8Array.from({ length: 65 }, (_, i) => (i * 37) % 256);
    const b64url = btoa(String.fromCharCode(...bytes))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "");
    expect([...applicationServerKey(b64url)]).toEqual([...bytes]);
  });

  it("ties a draft to the open emergency: its communities, the emergency consent, urgent only with it", () => {
    const e = {
      id: "00000000-0000-4000-8000-00000000e001",
      type: "rocket_fire" as const,
      level: 3 as const,
      title: "ירי רקטות",
      drill: false,
      startedAt: "2026-11-25T10:00:00.000Z",
      communities: [{ id: "00000000-0000-4000-8000-00000000c001", name: "נווה שלום" }],
    };
    const linked = linkEmergency(draftOf(), e, true);
    expect(linked.communityIds).toEqual(["00000000-0000-4000-8000-00000000c001"]);
    expect(linked.consents).toEqual(["emergency_contact"]);
    expect(linked.title).toBe("ירי רקטות");
    expect(bodyOf(linked)).toMatchObject({ emergencyId: e.id, urgent: true });
    // A chosen audience stays as the writer set it.
    const chosen = { ...draftOf(), communityIds: ["00000000-0000-4000-8000-00000000c002"] };
    expect(linkEmergency(chosen, e, false).communityIds).toEqual([
      "00000000-0000-4000-8000-00000000c002",
    ]);
    // Urgent never goes without an emergency.
    expect(bodyOf({ ...linked, emergencyId: null })).toMatchObject({
      emergencyId: null,
      urgent: false,
    });
    expect(parseNewBroadcastSearch({ emergency: "1" })).toEqual({ emergency: true });
    expect(parseNewBroadcastSearch({ emergency: "yes" })).toEqual({});
  });
});
