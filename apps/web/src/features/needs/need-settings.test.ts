import { describe, expect, it } from "vitest";
import {
  createNeedBodySchema,
  needCategoryCodeSchema,
  updateNeedIntakeSettingsBodySchema,
} from "@kaveret/contracts";
import { emptyNeedForm, formFieldOf, needsConsent, newNeedId, toCreateBody } from "./need-form.ts";
import {
  cleanOrigins,
  codeFromLabel,
  inOrder,
  moveCategory,
  nextSortOrder,
} from "./need-settings.ts";

describe("category order", () => {
  const items = [
    { code: "b", sortOrder: 20 },
    { code: "a", sortOrder: 10 },
    { code: "c", sortOrder: 30 },
  ];
  it("swaps the orders of neighbours and saves only what changes", () => {
    expect(moveCategory(items, "c", -1)).toEqual([
      { code: "c", sortOrder: 20 },
      { code: "b", sortOrder: 30 },
    ]);
    expect(moveCategory(items, "a", -1)).toEqual([]);
    expect(moveCategory(items, "c", 1)).toEqual([]);
  });
  it("renumbers when orders tie, so a move always moves", () => {
    const tied = [
      { code: "x", sortOrder: 0 },
      { code: "y", sortOrder: 0 },
      { code: "z", sortOrder: 0 },
    ];
    const changes = moveCategory(tied, "z", -1);
    const after = inOrder(
      tied.map((c) => ({
        ...c,
        sortOrder: changes.find((ch) => ch.code === c.code)?.sortOrder ?? c.sortOrder,
      })),
    );
    expect(after.map((c) => c.code)).toEqual(["x", "z", "y"]);
  });
  it("puts a new category last", () => {
    expect(nextSortOrder(items)).toBe(40);
    expect(nextSortOrder([])).toBe(10);
  });
  it("suggests a valid code from an English name", () => {
    expect(codeFromLabel("Digital skills")).toBe("digital_skills");
    expect(codeFromLabel("  Café & culture! ")).toBe("cafe_culture");
    expect(needCategoryCodeSchema.safeParse(codeFromLabel("Digital skills")).success).toBe(true);
    expect(codeFromLabel("123 go")).toBe("go");
  });
});

describe("widget origins", () => {
  it("cleans typed origins into ones the server accepts", () => {
    const clean = cleanOrigins([
      " https://WWW.City.gov.il/ ",
      "",
      "https://www.city.gov.il",
      "http://localhost:8080",
    ]);
    expect(clean).toEqual(["https://www.city.gov.il", "http://localhost:8080"]);
    expect(updateNeedIntakeSettingsBodySchema.safeParse({ widgetOrigins: clean }).success).toBe(
      true,
    );
  });
  it("leaves a wrong origin as typed, for the schema to point at", () => {
    const clean = cleanOrigins(["https://city.gov.il/report-page"]);
    expect(updateNeedIntakeSettingsBodySchema.safeParse({ widgetOrigins: clean }).success).toBe(
      false,
    );
  });
});

describe("staff entry form", () => {
  const id = "1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9";
  it("makes a body the contract accepts, with blanks as nulls", () => {
    const v = { ...emptyNeedForm(id, "ar"), description: "  المصعد معطّل منذ أسبوع  " };
    const parsed = createNeedBodySchema.parse(toCreateBody(v));
    expect(parsed).toMatchObject({
      id,
      channel: "phone",
      description: "المصعد معطّل منذ أسبوع",
      category: null,
      communityId: null,
      residentId: null,
      assigneeId: null,
      contactPhone: null,
      language: "ar",
      urgency: "normal",
    });
  });
  it("makes v4 ids the contract accepts, without needing HTTPS", () => {
    const ids = new Set(Array.from({ length: 50 }, () => newNeedId()));
    expect(ids.size).toBe(50);
    for (const v of ids) expect(createNeedBodySchema.shape.id.safeParse(v).success, v).toBe(true);
    expect(newNeedId((b) => b.fill(0))).toBe("00000000-0000-4000-8000-000000000000");
  });

  it("keeps the same id on every save of one form (exactly once)", () => {
    const v = emptyNeedForm(id, "he");
    expect(toCreateBody({ ...v, description: "a b" }).id).toBe(
      toCreateBody({ ...v, description: "c d" }).id,
    );
  });
  it("normalises the contact phone through the contract", () => {
    const v = {
      ...emptyNeedForm(id, "he"),
      description: "xx",
      contactPhone: "050-123 4567",
      contactConsent: true,
    };
    expect(createNeedBodySchema.parse(toCreateBody(v)).contactPhone).toBe("+972501234567");
    const bad = { ...v, contactPhone: "12" };
    expect(createNeedBodySchema.safeParse(toCreateBody(bad)).success).toBe(false);
  });
  it("asks for consent when contact details were given", () => {
    expect(needsConsent({ contactName: "", contactPhone: "", contactConsent: false })).toBe(false);
    expect(needsConsent({ contactName: "Dana", contactPhone: "", contactConsent: false })).toBe(
      true,
    );
    expect(
      needsConsent({ contactName: "", contactPhone: "0501234567", contactConsent: true }),
    ).toBe(false);
  });
  it("maps field paths to the form's fields", () => {
    expect(formFieldOf("body.location.lat")).toBe("location");
    expect(formFieldOf("residentId")).toBe("resident");
    expect(formFieldOf("description")).toBe("description");
  });
});
