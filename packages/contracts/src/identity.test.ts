import { describe, expect, it } from "vitest";
import {
  buildSearchText,
  isValidIsraeliId,
  normalizeForSearch,
  skeletonText,
  withIsraeliIdCheckDigit,
} from "./identity.ts";

describe("Israeli ID numbers", () => {
  it("accepts valid check digits and refuses others", () => {
    expect(isValidIsraeliId("123456782")).toBe(true);
    expect(isValidIsraeliId("000000018")).toBe(true);
    expect(isValidIsraeliId("18")).toBe(false);
    expect(isValidIsraeliId("123456789")).toBe(false);
    expect(isValidIsraeliId("000000000")).toBe(false);
    expect(isValidIsraeliId("12345678a")).toBe(false);
    expect(isValidIsraeliId(withIsraeliIdCheckDigit("31415926"))).toBe(true);
  });
});

describe("name search keys", () => {
  it("folds niqqud, final letters and Arabic letter variants", () => {
    expect(normalizeForSearch("מִיכַל לֵוִין")).toBe("מיכל לוינ");
    expect(normalizeForSearch("أحمد إبراهيم")).toBe("احمد ابراهيم");
    expect(normalizeForSearch("Émile O'Neil")).toBe("emile o neil");
  });

  it("gives the same consonant skeleton to a name in Hebrew, Arabic and Latin letters", () => {
    const he = skeletonText("אחמד מסארווה");
    expect(skeletonText("أحمد مصاروة")).toBe(he);
    expect(skeletonText("Ahmad Masarwa")).toBe(he);
    expect(skeletonText("Елена Петрова")).toBe(skeletonText("Elena Petrova"));
    expect(buildSearchText(["Tigist", "Melese"])).toContain("~ tgst mls");
  });
});
