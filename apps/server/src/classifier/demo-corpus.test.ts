import { describe, expect, it } from "vitest";
import { DEMO_NEED_CATEGORIES, demoNeedTexts, demoTemplateCounts } from "./demo-corpus.ts";
import { detectLanguage } from "./normalize.ts";
import { suggestUrgency } from "./urgency.ts";

describe("demo need texts", () => {
  const texts = demoNeedTexts({ count: 3000, seed: 42 });

  it("is deterministic for a seed, and differs between seeds", () => {
    expect(demoNeedTexts({ count: 300, seed: 42 })).toEqual(
      demoNeedTexts({ count: 300, seed: 42 }),
    );
    expect(demoNeedTexts({ count: 300, seed: 43 })).not.toEqual(
      demoNeedTexts({ count: 300, seed: 42 }),
    );
  });

  it("keeps the town's language mix: Hebrew and Arabic the majority", () => {
    const count = (l: string) => texts.filter((t) => t.language === l).length;
    expect(texts).toHaveLength(3000);
    expect(count("he")).toBe(1350);
    expect(count("ar")).toBe(900);
    expect(count("ru")).toBe(300);
    expect(count("en")).toBe(300);
    expect(count("am")).toBe(150);
  });

  it("keeps the mix over the languages asked for", () => {
    const some = demoNeedTexts({ count: 100, seed: 1, languages: ["he", "ar"] });
    expect(some.filter((t) => t.language === "he")).toHaveLength(60);
    expect(some.filter((t) => t.language === "ar")).toHaveLength(40);
  });

  it("writes each text in its language's script, with every template filled in", () => {
    for (const t of texts) {
      expect(detectLanguage(t.text), t.text).toBe(t.language);
      expect(t.text, t.template).not.toMatch(/[{}[\]|]|\s{2}|^\s|\s$/);
      expect(t.text.length).toBeGreaterThan(10);
      expect(t.template.startsWith(`${t.language}.${t.category}.`)).toBe(true);
    }
  });

  it("covers all 12 categories in every language, with several templates each", () => {
    const counts = demoTemplateCounts();
    for (const language of ["he", "ar", "ru", "en", "am"] as const) {
      for (const category of DEMO_NEED_CATEGORIES) {
        expect(counts[language][category], `${language} ${category}`).toBeGreaterThanOrEqual(4);
        expect(texts.some((t) => t.language === language && t.category === category)).toBe(true);
      }
    }
  });

  it("is varied: almost no text repeats", () => {
    expect(new Set(texts.map((t) => t.text)).size).toBeGreaterThan(texts.length * 0.97);
  });

  it("labels urgency as a worker would, and the urgency keywords agree on the critical ones", () => {
    const critical = texts.filter((t) => t.urgency === "critical");
    expect(critical.length).toBeGreaterThan(0);
    // A typo can hit a keyword (as it does in real reports): most, not all, are found.
    const found = critical.filter((t) => suggestUrgency(t.text).urgency === "critical");
    expect(found.length).toBeGreaterThanOrEqual(critical.length * 0.85);
    const levels = new Set(texts.map((t) => t.urgency));
    expect(levels).toEqual(new Set(["low", "normal", "high", "critical"]));
    expect(texts.filter((t) => t.urgency === "normal").length).toBeGreaterThan(texts.length / 2);
  });
});
