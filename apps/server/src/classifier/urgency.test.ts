import { describe, expect, it } from "vitest";
import { suggestUrgency } from "./urgency.ts";

const level = (text: string) => suggestUrgency(text).urgency;

describe("urgency keywords", () => {
  it("finds urgent words in each language", () => {
    expect(level("דחוף!! אין לנו אוכל בבית")).toBe("high");
    expect(level("ما في أكل بالبيت والأولاد جوعانين")).toBe("high");
    expect(level("عاجل، لا يوجد طعام")).toBe("high");
    expect(level("URGENT: no food at home")).toBe("high");
    expect(level("Срочно! Дома нет еды")).toBe("high");
    expect(level("ቤት ውስጥ ምግብ የለንም፣ አስቸኳይ ነው")).toBe("high");
  });

  it("marks danger to life as critical, whatever else the text says", () => {
    expect(level("אמא שלי נפלה בלילה ולא מצליחה לקום, דחוף")).toBe("critical");
    expect(level("הַשְּׁכֵנָה נָפְלָה וְלֹא קָמָה")).toBe("critical");
    expect(level("جارتي وقعت وما بتقدر تقوم")).toBe("critical");
    expect(level("My neighbour fell and can't get up")).toBe("critical");
    expect(level("Соседка упала и не может встать")).toBe("critical");
    expect(level("እናቴ ወድቃ መነሳት አልቻለችም")).toBe("critical");
    expect(level("יש ריח של גז בחדר המדרגות")).toBe("critical");
  });

  it("says nothing when there is no keyword (which is not the same as 'not urgent')", () => {
    expect(suggestUrgency("הפנס ברחוב הגפן לא עובד כבר שבוע")).toEqual({
      urgency: null,
      drivers: [],
    });
    expect(level("The swings in the playground are broken")).toBeNull();
  });

  it("ignores a negated keyword", () => {
    expect(level("זה לא דחוף, מתי שנוח לכם")).toBeNull();
    expect(level("not urgent at all")).toBeNull();
    expect(level("мне не срочно")).toBeNull();
    expect(level("مش مستعجل")).toBeNull();
    expect(level("አስቸኳይ አይደለም")).toBeNull();
    // …but only that one.
    expect(level("לא דחוף אבל אין לנו אוכל")).toBe("high");
  });

  it("matches across prefixes, niqqud and a few words in between", () => {
    expect(level("אין לנו בכלל אוכל")).toBe("high");
    expect(level("בדחיפות בבקשה")).toBe("high");
    expect(level("השכן נפל במדרגות")).toBe("high");
    expect(level("The man next door fell on the stairs and can't get up")).toBe("critical");
    // One letter left out or doubled in a long word, but not one changed.
    expect(level("אמא שלי נפלה ולא מצלחה לקום")).toBe("critical");
    expect(level("срочнно!!")).toBe("high");
    expect(level("it's turned into shouting")).toBeNull();
    expect(level("הנערים משועממים בערבים")).toBeNull();
    // Too far apart to be one phrase, or not next to each other where the phrase needs it.
    expect(level("זורקים רהיטים ישנים ליד הרכב")).toBeNull();
    expect(level("المخصصات ما بكفي للأكل")).toBeNull();
    expect(level("נפל עץ ליד הבית אתמול ובעל הבית לא עונה")).toBe("high");
  });

  it("returns the matched words as written, strongest first, then in text order", () => {
    const { drivers } = suggestUrgency("דחוף!! השכנה נפלה ולא קמה, ואין לה אוכל");
    expect(drivers).toEqual([
      { text: "נפלה ולא קמה", level: "critical" },
      { text: "דחוף", level: "high" },
      { text: "ואין לה אוכל", level: "high" },
    ]);
  });

  it("reads every language in a mixed text", () => {
    const { urgency, drivers } = suggestUrgency("Mom fell, срочно");
    expect(urgency).toBe("high");
    expect(drivers.map((d) => d.text)).toEqual(["fell", "срочно"]);
  });
});
