import { describe, expect, it } from "vitest";
import type { MergeSide } from "@kaveret/contracts";
import { defaultChoices, hasValue, likelihood, sameValue, unitedLists } from "./merge-choices.ts";

const side = (patch: Partial<MergeSide>): MergeSide => ({
  id: "00000000-0000-4000-8000-000000000001",
  version: 1,
  firstName: "חנה",
  lastName: "רוזן",
  otherNames: "",
  phone: null,
  email: null,
  birthYear: null,
  gender: null,
  address: { streetId: null, streetName: null, houseNumber: null, apartment: null, note: "" },
  homeCommunity: null,
  location: null,
  household: null,
  householdRole: null,
  hasHealthNotes: false,
  hasIdNumber: false,
  notes: "",
  languages: [],
  communityRoles: [],
  skills: [],
  flags: [],
  communities: [],
  caseworkers: [],
  consents: [],
  consentEventCount: 0,
  hasAccount: false,
  createdAt: "2026-01-01T00:00:00Z",
  updatedAt: "2026-01-01T00:00:00Z",
  ...patch,
});

describe("merge choices", () => {
  it("keeps the kept record's values, and takes the other's where the kept one is empty", () => {
    const kept = side({ phone: "+972501111111" });
    const other = side({ phone: "+972502222222", email: "a@b.org", hasIdNumber: true });
    const c = defaultChoices(kept, other);
    expect(c.phone).toBe("survivor");
    expect(c.email).toBe("merged");
    expect(c.idNumber).toBe("merged");
    expect(c.firstName).toBe("survivor");
    expect(c.address).toBe("survivor");
  });

  it("sees an address with only a note as a value, and knows ID numbers only through the server", () => {
    const withNote = side({
      address: { streetId: null, streetName: null, houseNumber: null, apartment: null, note: "x" },
    });
    expect(hasValue(withNote, "address")).toBe(true);
    const a = side({ hasIdNumber: true });
    const b = side({ hasIdNumber: true });
    expect(sameValue(a, b, "idNumber", true)).toBe(true);
    expect(sameValue(a, b, "idNumber", false)).toBe(false);
    expect(sameValue(side({}), side({}), "healthNotes", null)).toBe(true);
  });

  it("unites lists without repeating", () => {
    const u = unitedLists(
      side({ languages: ["he"], skills: ["Cooking"], consentEventCount: 2 }),
      side({ languages: ["ru", "he"], skills: ["cooking", "Sewing"], consentEventCount: 3 }),
    );
    expect(u.languages).toEqual(["he", "ru"]);
    expect(u.skills).toEqual(["Cooking", "Sewing"]);
    expect(u.consentEvents).toBe(5);
  });

  it("puts the score in words", () => {
    expect(likelihood(0.95)).toBe("high");
    expect(likelihood(0.7)).toBe("medium");
    expect(likelihood(0.3)).toBe("low");
  });
});
