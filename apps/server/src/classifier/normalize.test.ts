import { describe, expect, it } from "vitest";
import {
  charNgrams,
  detectLanguage,
  foldText,
  normalizeText,
  stemWord,
  tokenize,
} from "./normalize.ts";

/** The stem the classifier sees for a single word. */
const stem = (word: string) => {
  const tokens = tokenize(word);
  expect(tokens).toHaveLength(1);
  return tokens[0]!.stem;
};

describe("Hebrew", () => {
  it("meets the same word with and without niqqud and cantillation", () => {
    expect(stem("שָׁלוֹם")).toBe(stem("שלום"));
    expect(stem("בְּרֵאשִׁ֖ית")).toBe(stem("בראשית"));
    expect(foldText("מַיִם")).toBe("מימ");
  });

  it("folds final letters to regular ones", () => {
    expect(foldText("ךםןףץ")).toBe("כמנפצ");
    expect(stem("שכן")).toBe(stem("שכנה"));
  });

  it("strips one-letter prefixes, also several, and the same word meets with or without them", () => {
    expect(stem("הבית")).toBe(stem("בית"));
    expect(stem("ולחם")).toBe(stem("לחם"));
    expect(stem("השכנים")).toBe(stem("שכנים"));
    expect(stem("לשכנה")).toBe(stem("שכנים"));
    expect(stem("במקלט")).toBe(stem("מקלט"));
    expect(stem("וכשהילדים")).toBe(stem("ילדים"));
    expect(stem("במשפחה")).toBe(stem("משפחות"));
  });

  it("keeps at least three letters when stripping a prefix", () => {
    // מים (water): stripping מ would leave two letters.
    expect(stem("מים")).toBe("מימ");
    expect(stem("לבד")).toBe("לבד");
    expect(stem("בית")).toBe("בית");
  });

  it("keeps acronyms with gershayim and geresh as one word", () => {
    expect(tokenize('הפנייה לעו"ס')).toHaveLength(2);
    expect(stem('מתנ"ס')).toBe(stem("מתנ״ס"));
    expect(stem("ג'ובניק")).toBe("גובניק");
  });
});

describe("Arabic", () => {
  it("strips harakat and tatweel", () => {
    expect(stem("مَدْرَسَة")).toBe(stem("مدرسة"));
    expect(stem("مـــدرسة")).toBe(stem("مدرسة"));
  });

  it("unifies alef forms, ى → ي and ة → ه", () => {
    expect(foldText("أإآٱ")).toBe("اااا");
    expect(stem("مستشفى")).toBe(stem("مستشفي"));
    expect(foldText("مدرسة")).toBe("مدرسه");
    expect(stem("أطفال")).toBe(stem("اطفال"));
  });

  it("strips the article and its combinations", () => {
    expect(stem("الأطفال")).toBe(stem("أطفال"));
    expect(stem("للأطفال")).toBe(stem("أطفال"));
    expect(stem("بالبيت")).toBe(stem("بيت"));
    expect(stem("والبيت")).toBe(stem("بيت"));
  });

  it("strips light suffixes only when three letters stay", () => {
    expect(stem("بيتي")).toBe(stem("بيت"));
    expect(stem("المدرسة")).toBe(stem("مدرسة"));
    // أمي (my mother): stripping ي would leave two letters.
    expect(stem("أمي")).toBe("امي");
  });
});

describe("other languages", () => {
  it("Russian: lower case, ё → е, case endings", () => {
    expect(stem("Лифт")).toBe(stem("лифта"));
    expect(stem("лифтом")).toBe("лифт");
    expect(stem("соседей")).toBe(stem("соседи"));
    expect(foldText("ещё")).toBe("еще");
    expect(foldText("мой")).toBe("мой");
  });

  it("English: lower case, plurals and -ing/-ed", () => {
    expect(stem("Lights")).toBe(stem("light"));
    expect(stem("leaking")).toBe(stem("leaked"));
    expect(stem("cafés")).toBe(stem("cafe"));
  });

  it("Amharic: homophone letters meet, a preposition prefix goes", () => {
    expect(stem("ሐኪም")).toBe(stem("ሀኪም"));
    expect(foldText("ሠራ")).toBe("ሰራ");
    expect(stem("በቤት")).toBe(stem("ቤት"));
  });
});

describe("tokens", () => {
  it("keeps the original form of each word, with its offset", () => {
    const tokens = tokenize("שָׁלוֹם, הַשְּׁכֵנִים!");
    expect(tokens.map((t) => t.original)).toEqual(["שָׁלוֹם", "הַשְּׁכֵנִים"]);
    expect(tokens[1]!.index).toBe("שָׁלוֹם, ".length);
  });

  it("splits on digits, punctuation and emoji, and marks stop words", () => {
    const tokens = tokenize("אין לי אוכל 3 ימים!!🙏");
    expect(tokens.map((t) => t.folded)).toEqual(["אינ", "לי", "אוכל", "ימימ"]);
    expect(tokens.filter((t) => t.stop).map((t) => t.folded)).toEqual(["לי"]);
    expect(normalizeText("the lift is broken")).toBe("lift broken");
  });

  it("gives each word the language of its script in a mixed text", () => {
    expect(tokenize("המעלית לא עובדת lift сломан").map((t) => t.language)).toEqual([
      "he",
      "he",
      "he",
      "en",
      "ru",
    ]);
  });

  it("stems by the language it is given", () => {
    expect(stemWord("houses", "en")).toBe("house");
    expect(stemWord("houses", "ru")).toBe("houses");
  });

  it("makes character n-grams with word boundaries", () => {
    expect(charNgrams("שכנ")).toEqual(["<שכ", "שכנ", "כנ>"]);
    expect(charNgrams("a")).toEqual(["<a>"]);
  });
});

describe("language detection", () => {
  it("detects the five languages by script", () => {
    expect(detectLanguage("אין לנו אוכל בבית")).toBe("he");
    expect(detectLanguage("ما في أكل بالبيت")).toBe("ar");
    expect(detectLanguage("Дома нет еды")).toBe("ru");
    expect(detectLanguage("ቤት ውስጥ ምግብ የለንም")).toBe("am");
    expect(detectLanguage("No food at home")).toBe("en");
  });

  it("goes by the majority script, and is null without letters", () => {
    expect(detectLanguage("המעלית בבניין לא עובדת, elevator")).toBe("he");
    expect(detectLanguage("050-1234567 !!")).toBeNull();
  });
});
