import { describe, expect, it } from "vitest";
import { firstNamesAgree, nameKey, scorePair, type Signals } from "./duplicates.score.ts";

const person = (firstName: string, lastName: string, birthYear: number | null = null) => ({
  firstName,
  lastName,
  birthYear,
});
const signals = (patch: Partial<Signals>): Signals => ({
  sameIdNumber: false,
  samePhone: false,
  sameBuilding: false,
  sameHome: false,
  textSimilarity: 0,
  skeletonSimilarity: 0,
  a: person("משה", "כהן"),
  b: person("משה", "כהן"),
  ...patch,
});

describe("duplicate scoring", () => {
  it("keys first names across spellings and scripts", () => {
    expect(nameKey("משה")).toBe(nameKey("מושה"));
    expect(nameKey("Moshe")).toBe(nameKey("משה"));
    expect(nameKey("أحمد")).toBe(nameKey("אחמד"));
    expect(nameKey("דוד")).not.toBe(nameKey("חנה"));
    expect(nameKey("ח'אלד")).not.toBe(nameKey("ח'דיג'ה"));
    expect(firstNamesAgree(person("משה", "כהן"), person("כהן", "משה"))).toBe(true);
    expect(firstNamesAgree(person("רפאל", "נחום"), person("יפה", "נחום"))).toBe(false);
  });

  it("trusts an ID number, and a phone only when the first names agree", () => {
    expect(
      scorePair(signals({ sameIdNumber: true, textSimilarity: 0.2 })).score,
    ).toBeGreaterThanOrEqual(0.9);
    const same = scorePair(signals({ samePhone: true, textSimilarity: 0.9 }));
    const relative = scorePair(
      signals({
        samePhone: true,
        textSimilarity: 0.4,
        a: person("רפאל", "נחום"),
        b: person("יפה", "נחום"),
      }),
    );
    expect(same.reasons).toEqual(["phone", "name"]);
    expect(same.score).toBeGreaterThan(0.8);
    expect(relative.reasons).toEqual(["phone"]);
    expect(relative.score).toBeLessThan(0.3);
  });

  it("needs one home and agreeing first names for a name at an address", () => {
    const home = { sameBuilding: true, sameHome: true, textSimilarity: 0.56 };
    expect(scorePair(signals({ ...home, b: person("משה", "כהו") })).reasons).toEqual([
      "name_address",
    ]);
    expect(
      scorePair(signals({ ...home, a: person("דוד", "אוחיון"), b: person("חנה", "אוחיון") }))
        .reasons,
    ).toEqual([]);
    // Two flats of one building.
    expect(scorePair(signals({ ...home, sameHome: false })).reasons).toEqual([]);
  });

  it("lets skeletons match across scripts only when the first names agree", () => {
    const home = {
      sameBuilding: true,
      sameHome: true,
      textSimilarity: 0.24,
      skeletonSimilarity: 1,
    };
    expect(
      scorePair(signals({ ...home, a: person("أحمد", "مصاروة"), b: person("אחמד", "מסארווה") }))
        .reasons,
    ).toEqual(["name_address"]);
    const elsewhere = { textSimilarity: 0.56, skeletonSimilarity: 1 };
    expect(
      scorePair(signals({ ...elsewhere, a: person("חנה", "אוחיון"), b: person("דוד", "אוחיון") }))
        .reasons,
    ).toEqual([]);
  });

  it("cuts down a parent and a child of one name, but not an ID number", () => {
    const home = { sameBuilding: true, sameHome: true, textSimilarity: 1 };
    const twins = scorePair(
      signals({ ...home, a: person("משה", "כץ", 1950), b: person("משה", "כץ", 1951) }),
    );
    const namesakes = scorePair(
      signals({ ...home, a: person("משה", "כץ", 1950), b: person("משה", "כץ", 1984) }),
    );
    expect(twins.score).toBeGreaterThan(0.8);
    expect(namesakes.score).toBeLessThan(0.4);
    const id = scorePair(
      signals({ sameIdNumber: true, a: person("משה", "כץ", 1950), b: person("משה", "כץ", 1984) }),
    );
    expect(id.score).toBeGreaterThanOrEqual(0.9);
  });
});
