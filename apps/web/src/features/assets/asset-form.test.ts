import { describe, expect, it } from "vitest";
import { createAssetBodySchema } from "@kaveret/contracts";
import {
  addRow,
  copyToWorkWeek,
  emptyValues,
  formFieldOf,
  normalizeTime,
  toCreateBody,
  toUpdateBody,
  type HoursRow,
} from "./asset-form.ts";
import { parseAssetsSearch } from "./assets-search.ts";
import { displayName, displayPhone, otherNames } from "./asset-labels.ts";

const row = (day: HoursRow["day"], opens: string, closes: string): HoursRow => ({
  key: `${day}${opens}`,
  day,
  opens,
  closes,
  note: "",
});

describe("asset form", () => {
  it("builds a body the contract accepts, with midnight as 24:00 and empties as null", () => {
    const body = toCreateBody({
      ...emptyValues(),
      name: "מקלט ציבורי 3",
      type: "shelter",
      altNames: { he: "", ar: "ملجأ عام 3", en: " " },
      phone: " ",
      capacity: 80,
      openingHours: [row("su", "18:00", "00:00")],
    });
    const parsed = createAssetBodySchema.parse(body);
    expect(parsed.altNames).toEqual({ ar: "ملجأ عام 3" });
    expect(parsed.phone).toBeNull();
    expect(parsed.capacity).toBe(80);
    expect(parsed.openingHours).toEqual([{ day: "su", opens: "18:00", closes: "24:00", note: "" }]);
  });

  it("sends a new organization instead of an id, and needs a type", () => {
    const values = {
      ...emptyValues(),
      name: "גן שקד",
      organizationMode: "new" as const,
      organizationId: "00000000-0000-4000-8000-000000000000",
      newOrganizationName: "רשת גני שקד",
    };
    const body = toCreateBody(values);
    expect(body.organizationId).toBeNull();
    expect(body.newOrganization).toEqual({ name: "רשת גני שקד", kind: "community" });
    const result = createAssetBodySchema.safeParse(body);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join("."))).toEqual(["type"]);
    expect(toUpdateBody({ ...values, type: "kindergarten" }, 3)).toMatchObject({ version: 3 });
  });

  it("reads times as people type them", () => {
    expect(
      ["8", "830", "8:30", "08.30", "2400", "0", "25", "8:75", "abc"].map(normalizeTime),
    ).toEqual(["08:00", "08:30", "08:30", "08:30", "24:00", "00:00", "25", "8:75", "abc"]);
  });

  it("maps error paths to the fields that show them", () => {
    expect(formFieldOf("openingHours.2.closes")).toBe("openingHours.2.closes");
    expect(formFieldOf("openingHours")).toBe("openingHours");
    expect(formFieldOf("location.lat")).toBe("location");
    expect(formFieldOf("serviceIds.1")).toBe("serviceIds");
    expect(formFieldOf("newOrganization.name")).toBe("newOrganizationName");
  });

  it("adds a row for the next day and copies a day to Sunday–Thursday", () => {
    const first = addRow([]);
    expect(first).toMatchObject([{ day: "su", opens: "08:00", closes: "16:00" }]);
    expect(addRow(first).map((r) => r.day)).toEqual(["su", "mo"]);
    const copied = copyToWorkWeek([
      row("su", "08:00", "12:00"),
      row("su", "16:00", "19:00"),
      row("mo", "09:00", "10:00"),
      row("fr", "08:00", "12:00"),
    ]);
    expect(copied.map((r) => `${r.day} ${r.opens}`)).toEqual([
      "su 08:00",
      "su 16:00",
      "mo 08:00",
      "mo 16:00",
      "tu 08:00",
      "tu 16:00",
      "we 08:00",
      "we 16:00",
      "th 08:00",
      "th 16:00",
      "fr 08:00",
    ]);
    expect(new Set(copied.map((r) => r.key)).size).toBe(copied.length);
  });

  it("keeps only known types and a well-formed community in the list's URL", () => {
    expect(
      parseAssetsSearch({
        type: "mosque,castle,school,mosque",
        communityId: "x'; drop",
        page: "2",
      }),
    ).toEqual({
      q: undefined,
      type: "school,mosque",
      communityId: undefined,
      archived: undefined,
      page: 2,
    });
  });
});

describe("asset labels", () => {
  it("shows the name in the reader's language and lists the others", () => {
    const a = { name: "מסגד אל-נור", altNames: { ar: "مسجد النور", en: "Al-Nur Mosque" } };
    expect(displayName(a, "ar")).toBe("مسجد النور");
    expect(displayName(a, "he")).toBe("מסגד אל-נור");
    expect(otherNames(a, "ar")).toEqual(["מסגד אל-נור", "Al-Nur Mosque"]);
  });

  it("writes phone numbers the Israeli way", () => {
    expect(displayPhone("+97246123456")).toBe("04-6123456");
    expect(displayPhone("+972501234567")).toBe("050-1234567");
    expect(displayPhone("+97277123456")).toBe("077-123456");
    expect(displayPhone("1800222333")).toBe("1-800-222-333");
    expect(displayPhone("*2626")).toBe("*2626");
    expect(displayPhone("+4420123456")).toBe("+4420123456");
  });
});
