import { describe, expect, it } from "vitest";
import {
  checkDuplicatesBodySchema,
  createResidentBodySchema,
  updateResidentBodySchema,
  withIsraeliIdCheckDigit,
  type Resident,
} from "@kaveret/contracts";
import {
  duplicateCheckOf,
  emptyValues,
  formFieldOf,
  toCreateBody,
  toUpdateBody,
  valuesFromResident,
} from "./resident-form.ts";

const HOME = "11111111-1111-4111-8111-111111111111";
const TOWN = "22222222-2222-4222-8222-222222222222";
const FUNCTIONAL = "33333333-3333-4333-8333-333333333333";
const HOUSEHOLD = "44444444-4444-4444-8444-444444444444";
const STREET = "55555555-5555-4555-8555-555555555555";
const ID = "66666666-6666-4666-8666-666666666666";

function resident(): Resident {
  return {
    access: "full",
    id: ID,
    firstName: "סלמה",
    lastName: "חורי",
    otherNames: "Salma Khoury",
    phone: "+972501234567",
    email: null,
    birthYear: 1948,
    address: {
      streetId: STREET,
      streetName: "הגפן",
      houseNumber: "12",
      apartment: "3",
      note: "",
    },
    homeCommunity: { id: HOME, name: "שכונת הגפן" },
    languages: ["ar", "he"],
    communityRoles: ["volunteer"],
    consents: ["emergency_contact"],
    flags: ["lives_alone"],
    householdId: HOUSEHOLD,
    hasLocation: true,
    version: 4,
    updatedAt: "2026-01-01T00:00:00.000Z",
    gender: "female",
    location: { lat: 32.1, lon: 34.9 },
    communities: [
      {
        id: HOME,
        name: "שכונת הגפן",
        kind: "geographic",
        level: "neighbourhood",
        source: "address",
      },
      { id: TOWN, name: "עין הדר", kind: "geographic", level: "town", source: "manual" },
      { id: FUNCTIONAL, name: "ותיקים", kind: "functional", level: null, source: "manual" },
    ],
    household: { id: HOUSEHOLD, label: "משפחת חורי", members: [] },
    householdRole: "head",
    skills: ["בישול"],
    consentStates: [],
    caseworkers: [],
    notes: "",
    hasHealthNotes: true,
    hasIdNumber: true,
    hasAccount: false,
    mergedFromCount: 0,
    createdAt: "2025-01-01T00:00:00.000Z",
  };
}

describe("resident form mapping", () => {
  it("an empty form fails only on the names", () => {
    const parsed = createResidentBodySchema.safeParse(toCreateBody(emptyValues()));
    expect(parsed.success).toBe(false);
    const paths = parsed.error?.issues.map((i) => i.path.join("."));
    expect(paths?.sort()).toEqual(["firstName", "lastName"]);
  });

  it("a filled new record passes the contract, with only granted consents sent", () => {
    const v = emptyValues();
    v.firstName = " Tigist ";
    v.lastName = "Malasa";
    v.phone = "050-123 4567";
    v.birthYear = 1950;
    v.location = { lat: 32.08, lon: 34.78 };
    v.householdMode = "new";
    v.newHouseholdLabel = "Malasa family";
    v.householdRole = "head";
    v.idNumber = withIsraeliIdCheckDigit("12345678");
    v.consents.emergency_contact = { granted: true, method: "phone" };
    const body = createResidentBodySchema.parse(toCreateBody(v));
    expect(body.firstName).toBe("Tigist");
    expect(body.phone).toBe("+972501234567");
    expect(body.newHouseholdLabel).toBe("Malasa family");
    expect(body.householdId).toBeNull();
    expect(body.consents).toEqual([
      { purpose: "emergency_contact", granted: true, method: "phone", note: "" },
    ]);
  });

  it("an ID number with a wrong check digit is refused before sending", () => {
    const v = emptyValues();
    v.firstName = "a";
    v.lastName = "b";
    v.idNumber = "123456789";
    const parsed = createResidentBodySchema.safeParse(toCreateBody(v));
    expect(parsed.error?.issues.map((i) => i.path.join("."))).toEqual(["idNumber"]);
  });

  it("reads a record back: the home membership comes with the address, the rest were chosen", () => {
    const v = valuesFromResident(resident());
    expect(v.homeCommunityId).toBe(HOME);
    expect(v.communityIds).toEqual([TOWN, FUNCTIONAL]);
    expect(v.householdMode).toBe("existing");
    expect(v.householdId).toBe(HOUSEHOLD);
    expect(v.location).toEqual({ lat: 32.1, lon: 34.9 });
  });

  it("an edit leaves the hidden sensitive fields alone unless they were changed", () => {
    const v = valuesFromResident(resident());
    const body = updateResidentBodySchema.parse(toUpdateBody(v, 4));
    expect(body.version).toBe(4);
    expect("healthNotes" in body).toBe(false);
    expect("idNumber" in body).toBe(false);
    // The home community is left to the server (kept, or found again when the point moves).
    expect("homeCommunityId" in body).toBe(false);
    const moved = updateResidentBodySchema.parse(
      toUpdateBody({ ...v, homeCommunityId: null, homeCommunityTouched: true }, 4),
    );
    expect(moved.homeCommunityId).toBeNull();
    const cleared = updateResidentBodySchema.parse(
      toUpdateBody({ ...v, idNumber: "", idNumberTouched: true }, 4),
    );
    expect(cleared.idNumber).toBeNull();
  });

  it("leaving a household sends no household", () => {
    const v = { ...valuesFromResident(resident()), householdMode: "none" as const };
    const body = updateResidentBodySchema.parse(toUpdateBody(v, 4));
    expect(body.householdId).toBeNull();
    expect(body.householdRole).toBeNull();
  });

  it("maps error paths to form fields", () => {
    expect(formFieldOf("location.lat")).toBe("location");
    expect(formFieldOf("skills.3")).toBe("skills");
    expect(formFieldOf("consents.0.method")).toBe("consents");
    expect(formFieldOf("")).toBe("_form");
  });
});

describe("duplicate check body", () => {
  it("waits for both names", () => {
    expect(
      duplicateCheckOf({
        firstName: "x",
        lastName: " ",
        phone: "",
        idNumber: "",
        streetId: null,
        houseNumber: "",
      }),
    ).toBeNull();
  });

  it("leaves out a phone or ID that is not valid yet, so the check never fails", () => {
    const body = duplicateCheckOf({
      firstName: "Ahmad",
      lastName: "Masarwa",
      phone: "050-12",
      idNumber: "123",
      streetId: STREET,
      houseNumber: " 7 ",
      excludeId: ID,
    });
    expect(body).toEqual({
      firstName: "Ahmad",
      lastName: "Masarwa",
      phone: null,
      idNumber: null,
      streetId: STREET,
      houseNumber: "7",
      excludeId: ID,
    });
    expect(checkDuplicatesBodySchema.safeParse(body).success).toBe(true);
  });

  it("sends a valid phone normalised", () => {
    const body = duplicateCheckOf({
      firstName: "a",
      lastName: "b",
      phone: "052 555 1234",
      idNumber: withIsraeliIdCheckDigit("3141592"),
      streetId: null,
      houseNumber: "",
    });
    expect(body?.phone).toBe("+972525551234");
    expect(checkDuplicatesBodySchema.parse(body).idNumber).toBeTruthy();
  });
});
