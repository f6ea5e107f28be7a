import { describe, expect, it } from "vitest";
import { openingHoursSchema } from "@kaveret/contracts";
import {
  foldWord,
  parseNumber,
  parseYear,
  restorePhone,
  suggestMapping,
  WordIndex,
} from "./mapping.ts";
import { formatOpeningHours, parseOpeningHours } from "./opening-hours.ts";
import { FLAG_WORDS, LANGUAGE_WORDS } from "./vocabulary.ts";

describe("suggested mapping", () => {
  it("matches Hebrew, Arabic and English column names", () => {
    expect(
      suggestMapping("residents", [
        "שם פרטי",
        "שם משפחה",
        'ת"ז',
        "טלפון נייד",
        "רחוב",
        "מס' בית",
        "שפות",
        "הערות",
        "עמודה לא ידועה",
      ]),
    ).toEqual({
      firstName: "שם פרטי",
      lastName: "שם משפחה",
      idNumber: 'ת"ז',
      phone: "טלפון נייד",
      street: "רחוב",
      houseNumber: "מס' בית",
      languages: "שפות",
      notes: "הערות",
    });
    expect(suggestMapping("residents", ["الاسم الشخصي", "اسم العائلة", "رقم الهوية"])).toEqual({
      firstName: "الاسم الشخصي",
      lastName: "اسم العائلة",
      idNumber: "رقم الهوية",
    });
    expect(
      suggestMapping("residents", ["First Name", "Last name", "E-mail", "ID", "Phone"]),
    ).toEqual({
      firstName: "First Name",
      lastName: "Last name",
      email: "E-mail",
      idNumber: "ID",
      phone: "Phone",
    });
    expect(suggestMapping("residents", ["ת.ז.", "מספר זהות (2)"]).idNumber).toBe("ת.ז.");
  });

  it("maps statistical-area columns to indicators", () => {
    expect(
      suggestMapping("community_figures", ["סמל אזור סטטיסטי", "שנה", "אוכלוסייה", "בני 65+"]),
    ).toEqual({
      statAreaCode: "סמל אזור סטטיסטי",
      period: "שנה",
      population: "אוכלוסייה",
      age_65_plus: "בני 65+",
    });
  });
});

describe("words and values", () => {
  it("folds punctuation, niqqud and finals", () => {
    expect(foldWord('ת"ז')).toBe(foldWord("ת.ז."));
    expect(foldWord("שָׁלוֹם")).toBe("שלומ");
    expect(foldWord("أحمد")).toBe(foldWord("احمد"));
  });

  it("reads vocabulary words in three languages and the codes", () => {
    const flags = new WordIndex(FLAG_WORDS);
    expect(flags.list("גר לבד, ניצולת שואה; lives_alone")).toEqual({
      codes: ["lives_alone", "holocaust_survivor"],
      unknown: false,
    });
    expect(flags.list("يعيش وحده | Chronic illness").codes).toEqual([
      "lives_alone",
      "chronic_illness",
    ]);
    expect(flags.list("משהו אחר").unknown).toBe(true);
    expect(new WordIndex(LANGUAGE_WORDS).list("עברית, العربية, Russian").codes).toEqual([
      "he",
      "ar",
      "ru",
    ]);
  });

  it("reads numbers, years and mangled phones", () => {
    expect(parseNumber("1,234")).toBe(1234);
    expect(parseNumber("12,5")).toBe(12.5);
    expect(parseNumber("40%")).toBe(40);
    expect(parseNumber("1 234")).toBe(1234);
    expect(parseNumber("abc")).toBeNull();
    expect(parseNumber("")).toBeNull();
    expect(parseYear("1950")).toBe(1950);
    expect(parseYear("1950-03-01")).toBe(1950);
    expect(parseYear("1.3.1950")).toBe(1950);
    expect(parseYear("fifty")).toBeNull();
    expect(restorePhone("501234567")).toBe("0501234567");
    expect(restorePhone("050-1234567")).toBe("050-1234567");
  });
});

describe("opening hours", () => {
  it("reads Hebrew, Arabic and English texts", () => {
    const week = parseOpeningHours("א-ה 08:00-16:00, ו 08:00-12:00");
    expect(week).toHaveLength(6);
    expect(week![0]).toEqual({ day: "su", opens: "08:00", closes: "16:00", note: "" });
    expect(week![5]).toEqual({ day: "fr", opens: "08:00", closes: "12:00", note: "" });
    expect(parseOpeningHours("א'-ה' 8-16")?.map((r) => r.day)).toEqual([
      "su",
      "mo",
      "tu",
      "we",
      "th",
    ]);
    expect(parseOpeningHours("ראשון עד חמישי 08:00–16:00")).toHaveLength(5);
    expect(parseOpeningHours("Sun-Thu 9:30-17:00; Fri 9-13")?.[5]).toEqual({
      day: "fr",
      opens: "09:00",
      closes: "13:00",
      note: "",
    });
    expect(parseOpeningHours("الأحد-الخميس 08:00-16:00")).toHaveLength(5);
    expect(parseOpeningHours("ב,ד 10:00-12:00 16:00-19:00")).toHaveLength(4);
  });

  it("refuses what it cannot read", () => {
    expect(parseOpeningHours("בתיאום מראש")).toBeNull();
    expect(parseOpeningHours("08:00-16:00")).toBeNull();
    expect(parseOpeningHours("א-ה 25:00-26:00")).toBeNull();
    expect(parseOpeningHours("")).toEqual([]);
  });

  it("writes a text that reads back the same", () => {
    const rows = parseOpeningHours("א-ה 08:00-16:00, ו 08:00-12:00")!;
    expect(openingHoursSchema.safeParse(rows).success).toBe(true);
    for (const locale of ["he", "ar", "en"] as const) {
      const text = formatOpeningHours(rows, locale);
      expect(parseOpeningHours(text)).toEqual(rows);
    }
    expect(formatOpeningHours(rows, "he")).toBe("א-ה 08:00-16:00; ו 08:00-12:00");
    expect(formatOpeningHours(rows, "en")).toBe("Sun-Thu 08:00-16:00; Fri 08:00-12:00");
  });
});
