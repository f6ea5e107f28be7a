import { beforeAll, describe, expect, it } from "vitest";
import {
  evaluateModel,
  holdoutEvaluation,
  MODEL_FORMAT,
  parseModel,
  stratifiedSplit,
  suggestCategory,
  trainClassifier,
  type NeedClassifierModel,
  type TrainingExample,
} from "./classifier.ts";
import { demoNeedTexts } from "./demo-corpus.ts";

const fixedNow = () => new Date("2026-11-25T10:00:00.000Z");

/** n copies of a few phrasings per category: a tiny department's labelled needs. */
function tiny(perCategory: Record<string, string[]>): TrainingExample[] {
  return Object.entries(perCategory).flatMap(([category, texts]) =>
    texts.map((text) => ({ text, category })),
  );
}

const SMALL = tiny({
  cleanliness: [
    "הפחים ברחוב הגפן לא פונו כבר שבוע",
    "הזבל לא נאסף והסירחון נוראי",
    "יש חולדות ליד הפחים",
    "פסולת בניין במגרש הריק",
    "الزبالة ما انلمت من أسبوع",
    "في جرذان جنب الحاويات",
  ],
  public_space: [
    "הפנס ברחוב לא עובד כבר חודש",
    "הנדנדות בגן השעשועים שבורות",
    "אין הצללה בגינה הציבורית",
    "בור גדול במדרכה ליד המתנס",
    "عمود الضو بالحديقة معطل",
    "المراجيح بالملعب مكسرة",
  ],
  food: [
    "אין לנו אוכל בבית והילדים רעבים",
    "אפשר לקבל סל מזון לחג",
    "השכנה לא אכלה כבר יומיים המקרר ריק",
    "צריכה תלושי מזון עד סוף החודש",
    "ما في أكل بالبيت والأولاد جوعانين",
    "بدنا سلة غذائية للعيد",
  ],
  neighbours: [
    "השכנים מלמעלה עושים רעש כל לילה",
    "סכסוך עם השכנים על החנייה",
    "הכלב של השכנים נובח כל הלילה",
    "צריכים גישור בין השכנים",
    "الجيران اللي فوقنا بيعملوا إزعاج",
    "مشكلة مع الجيران عالموقف",
  ],
});

describe("training", () => {
  it("makes a plain, versioned JSON object with counts per category and language", () => {
    const model = trainClassifier(SMALL, { now: fixedNow });
    expect(model.format).toBe(MODEL_FORMAT);
    expect(model.version).toBe(1);
    expect(model.trainedAt).toBe("2026-11-25T10:00:00.000Z");
    expect(model.examples).toBe(24);
    expect(model.perLanguage).toEqual({ he: 16, ar: 8 });
    expect(model.categories.food).toMatchObject({ examples: 6, perLanguage: { he: 4, ar: 2 } });
    expect(model.features["w:זבל"]?.cleanliness).toBeGreaterThan(0);
    // Plain data: survives JSON unchanged.
    expect(JSON.parse(JSON.stringify(model))).toEqual(model);
  });

  it("is deterministic", () => {
    expect(JSON.stringify(trainClassifier(SMALL, { now: fixedNow }))).toBe(
      JSON.stringify(trainClassifier(SMALL, { now: fixedNow })),
    );
  });

  it("fits the temperature on held-out data, never below the floor", () => {
    const corpus = demoNeedTexts({ count: 600, seed: 4 });
    expect(trainClassifier(corpus).temperature).toBeGreaterThanOrEqual(2);
    expect(trainClassifier(corpus, { minTemperature: 5 }).temperature).toBeGreaterThanOrEqual(5);
    expect(trainClassifier(corpus, { calibrate: false, minTemperature: 1 }).temperature).toBe(1);
    // A higher temperature spreads the same ranking over more hedged confidences.
    const text = "הפנס ברחוב לא עובד";
    const sharp = suggestCategory(
      trainClassifier(corpus, { calibrate: false, minTemperature: 1 }),
      text,
    );
    const soft = suggestCategory(
      trainClassifier(corpus, { calibrate: false, minTemperature: 4 }),
      text,
    );
    expect(soft.suggestions[0]!.category).toBe(sharp.suggestions[0]!.category);
    expect(soft.suggestions[0]!.confidence).toBeLessThan(sharp.suggestions[0]!.confidence);
  });

  it("uses the language given with an example over the detected one", () => {
    const model = trainClassifier(
      [...SMALL, { text: "ana bidi akl", category: "food", language: "ar" }],
      { now: fixedNow },
    );
    expect(model.perLanguage.ar).toBe(9);
    expect(model.perLanguage.en).toBeUndefined();
  });
});

describe("suggestions", () => {
  let model: NeedClassifierModel;
  beforeAll(() => {
    model = trainClassifier(SMALL, { now: fixedNow });
  });

  it("suggests the right category, best first, with confidences that sum to at most 1", () => {
    const result = suggestCategory(model, "הזבל ליד הבניין לא נאסף והפחים מלאים", { top: 4 });
    expect(result.enoughData).toBe(true);
    expect(result.reason).toBeNull();
    expect(result.language).toBe("he");
    expect(result.suggestions[0]!.category).toBe("cleanliness");
    expect(result.suggestions).toHaveLength(4);
    const confidences = result.suggestions.map((s) => s.confidence);
    expect([...confidences].sort((a, b) => b - a)).toEqual(confidences);
    expect(confidences.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1.0001);
    expect(suggestCategory(model, "הזבל לא נאסף", { top: 1 }).suggestions).toHaveLength(1);
  });

  it("names the words that drove it, as they were written", () => {
    const result = suggestCategory(model, "הַזֶּבֶל לא נאסף כבר שבוע, הסירחון!!");
    expect(result.suggestions[0]!.category).toBe("cleanliness");
    const words = result.drivers.map((d) => d.word);
    expect(words).toContain("הַזֶּבֶל");
    expect(words).toContain("הסירחון");
    expect(result.drivers.every((d) => d.category === "cleanliness" && d.weight > 0)).toBe(true);
    const weights = result.drivers.map((d) => d.weight);
    expect([...weights].sort((a, b) => b - a)).toEqual(weights);
  });

  it("works across spellings: Arabic with other alef and ta marbuta forms, Hebrew with prefixes", () => {
    expect(suggestCategory(model, "ما فى اكل بالبيت").suggestions[0]!.category).toBe("food");
    const result = suggestCategory(model, "ולשכנים שלנו יש כלב שנובח");
    expect(result.suggestions[0]!.category).toBe("neighbours");
    expect(result.drivers.map((d) => d.word)).toContain("ולשכנים");
  });

  it("still suggests when the only telling word is mistyped", () => {
    const result = suggestCategory(model, "הזבלל");
    expect(result.suggestions[0]?.category).toBe("cleanliness");
    expect(result.drivers.map((d) => d.word)).toEqual(["הזבלל"]);
  });

  it("declines when no word of the text is known", () => {
    const result = suggestCategory(model, "xyzzy plugh 12345");
    expect(result).toMatchObject({
      suggestions: [],
      drivers: [],
      enoughData: true,
      reason: "no_known_words",
    });
  });
});

describe("enough data", () => {
  it("refuses with fewer than 20 examples in all", () => {
    const few = SMALL.filter((_, i) => i % 2 === 0); // 12
    const model = trainClassifier(few);
    const result = suggestCategory(model, "הזבל לא נאסף");
    expect(result).toMatchObject({
      suggestions: [],
      enoughData: false,
      reason: "too_few_examples",
    });
    // The threshold is the model's own setting.
    const lenient = trainClassifier(few, { minExamples: 10 });
    expect(suggestCategory(lenient, "הזבל לא נאסף").enoughData).toBe(true);
  });

  it("refuses when the category it would suggest has fewer than 3 examples", () => {
    const data = [
      ...SMALL,
      { text: "צריך חניית נכה ליד הבניין", category: "accessibility" },
      { text: "אין רמפה לכיסא גלגלים בכניסה", category: "accessibility" },
    ];
    const model = trainClassifier(data);
    const rare = suggestCategory(model, "אין רמפה לכיסא גלגלים וחניית נכה");
    expect(rare).toMatchObject({
      suggestions: [],
      enoughData: false,
      reason: "category_too_few_examples",
    });
    // Other texts are still suggested, and never with the rare category.
    const other = suggestCategory(model, "הפחים לא פונו", { top: 12 });
    expect(other.enoughData).toBe(true);
    expect(other.suggestions.map((s) => s.category)).not.toContain("accessibility");
  });

  it("refuses when fewer than two categories have enough examples", () => {
    const model = trainClassifier(
      [
        ...SMALL.filter((e) => e.category === "food"),
        ...SMALL.filter((e) => e.category === "food"),
      ].concat(
        SMALL.filter((e) => e.category === "food"),
        SMALL.filter((e) => e.category === "food"),
      ),
    );
    expect(suggestCategory(model, "אין אוכל").reason).toBe("too_few_categories");
  });
});

describe("on the demo corpus", () => {
  // Large enough that Amharic (5%) has ~20 labelled needs per category, as the bench uses.
  const corpus = demoNeedTexts({ count: 6000, seed: 11 });

  it("is right more than 80% of the time on held-out texts, in every language", () => {
    const evaluation = holdoutEvaluation(corpus, { seed: 3 });
    expect(evaluation.accuracy).toBeGreaterThan(0.8);
    for (const language of ["he", "ar", "ru", "en", "am"] as const) {
      expect(evaluation.perLanguage[language]?.examples).toBeGreaterThan(0);
      expect(evaluation.perLanguage[language]!.accuracy).toBeGreaterThan(0.8);
      expect(evaluation.perLanguage[language]!.macroF1).toBeGreaterThan(0.75);
    }
    expect(Object.keys(evaluation.perCategory)).toHaveLength(12);
    // Calibrated on held-out data: stated confidence and accuracy agree within 10 points.
    expect(evaluation.calibrationError).toBeLessThan(0.1);
  });

  it("does better than chance on phrasings it has never seen (whole templates held out)", () => {
    const templates = [...new Set(corpus.map((t) => t.template))].sort();
    const heldOut = new Set(templates.filter((_, i) => i % 5 === 0));
    const train = corpus.filter((t) => !heldOut.has(t.template));
    const test = corpus.filter((t) => heldOut.has(t.template));
    const evaluation = evaluateModel(trainClassifier(train), test);
    expect(test.length).toBeGreaterThan(100);
    expect(evaluation.accuracy).toBeGreaterThan(0.3); // chance is 1 in 12
  });

  it("splits by language and category, keeping each group's share", () => {
    const { train, test } = stratifiedSplit(corpus, { testShare: 0.2, seed: 5 });
    expect(train.length + test.length).toBe(corpus.length);
    expect(new Set([...train, ...test]).size).toBe(corpus.length);
    const share = (l: string) =>
      test.filter((t) => t.language === l).length / corpus.filter((t) => t.language === l).length;
    for (const l of ["he", "ar", "am"]) expect(share(l)).toBeCloseTo(0.2, 1);
    expect(stratifiedSplit(corpus, { testShare: 0.2, seed: 5 }).test).toEqual(test);
  });
});

describe("storage", () => {
  it("round-trips through JSON and gives the same suggestions", () => {
    const corpus = demoNeedTexts({ count: 600, seed: 2 });
    const model = trainClassifier(corpus);
    const stored = parseModel(JSON.parse(JSON.stringify(model)) as unknown);
    expect(stored).not.toBeNull();
    for (const text of ["הפנס ברחוב לא עובד", "Дома нет еды", "ما في أكل"])
      expect(suggestCategory(stored!, text)).toEqual(suggestCategory(model, text));
  });

  it("refuses what it cannot use: another format, version or normalization, or garbage", () => {
    const model = trainClassifier(SMALL);
    expect(parseModel(model)).toBe(model);
    expect(parseModel(null)).toBeNull();
    expect(parseModel("model")).toBeNull();
    expect(parseModel({ ...model, version: 2 })).toBeNull();
    expect(parseModel({ ...model, format: "other" })).toBeNull();
    expect(
      parseModel({ ...model, options: { ...model.options, normalizationVersion: 0 } }),
    ).toBeNull();
    expect(parseModel({ ...model, temperature: 0 })).toBeNull();
    expect(parseModel({ ...model, categories: { food: { examples: "3" } } })).toBeNull();
  });
});
