import { describe, expect, it } from "vitest";
import {
  CONVERSATION_TIMEOUT_MS,
  confirmationReplies,
  detectLanguage,
  numberAnswer,
  parseConversationState,
  step,
  NOT_SURE_ID,
  type ConversationContext,
  type ConversationInput,
  type ConversationResult,
  type ConversationState,
  type OutboundReply,
} from "./conversation.ts";
import { CONVERSATION_TEXTS } from "./conversation-texts.ts";
import { replyText } from "./outbound.ts";
import { TEST_NEED_CATEGORIES } from "./testing/need-categories.ts";

const START = new Date("2026-11-25T10:00:00Z");
const PHONE = "+972501234567";

const context = (over: Partial<ConversationContext> = {}): ConversationContext => ({
  categories: TEST_NEED_CATEGORIES,
  now: START,
  channel: "whatsapp",
  contactPhone: PHONE,
  ...over,
});

/** Runs a conversation one message a minute; returns every step's result. */
function talk(
  messages: (ConversationInput | string)[],
  over: Partial<ConversationContext> = {},
  from: ConversationState | null = null,
  startAt = START,
): ConversationResult[] {
  let state = from;
  return messages.map((m, i) => {
    const input = typeof m === "string" ? { text: m } : m;
    const result = step(
      state,
      input,
      context({ ...over, now: new Date(startAt.getTime() + i * 60_000) }),
    );
    // What the caller stores is JSON: each step starts from the stored form.
    state = result.state ? parseConversationState(JSON.parse(JSON.stringify(result.state))) : null;
    return result;
  });
}

const texts = (r: ConversationResult) => r.replies.map(replyText);
const last = <T>(list: T[]) => list[list.length - 1]!;
const choiceOf = (r: ConversationResult) => {
  const c = r.replies.find(
    (x): x is Extract<OutboundReply, { kind: "choice" }> => x.kind === "choice",
  );
  if (!c) throw new Error("no choice in the replies");
  return c;
};

describe("intake conversation — Hebrew", () => {
  it("asks the category in Hebrew, then the location, and hands over the need", () => {
    const description = "הפנס ברחוב ליד הגן שבור כבר שבוע, חשוך מאוד בערב";
    const [first, second, third] = talk([
      description,
      "6",
      { location: { lat: 32.0853, lon: 34.7818, name: "גן הילדים", address: "הרצל 10" } },
    ]);

    expect(first!.state?.step).toBe("category");
    expect(first!.state?.language).toBe("he");
    const choice = choiceOf(first!);
    expect(choice.text).toContain(CONVERSATION_TEXTS.he.askCategory);
    expect(choice.text).toContain("ביטול");
    expect(choice.options).toHaveLength(13);
    expect(choice.options[0]).toEqual({ id: "cat:food", number: "1", title: "מזון" });
    expect(last(choice.options)).toEqual({ id: NOT_SURE_ID, number: "0", title: "לא בטוח/ה" });
    expect(replyText(choice)).toContain("6. מרחב ציבורי");

    expect(second!.state?.step).toBe("location");
    expect(second!.replies).toEqual([
      { kind: "location_request", text: CONVERSATION_TEXTS.he.askLocation.whatsapp },
    ]);

    expect(third!.done).toEqual({
      description,
      category: "public_space",
      location: { lat: 32.0853, lon: 34.7818 },
      addressText: "גן הילדים, הרצל 10",
      language: "he",
      mediaIds: [],
      contactPhone: PHONE,
    });
    expect(third!.replies).toEqual([]);
    // The stored state keeps that a need was made, not what it says.
    expect(third!.state).toMatchObject({ step: "done", description: "", location: null });
    expect(replyText(confirmationReplies("he", "N-1042")[0]!)).toBe(
      "תודה! הדיווח התקבל, מספר פנייה N-1042. צוות המחלקה יבדוק אותו.",
    );
  });

  it("takes a street written out as the location, and '0' or a skip word as none", () => {
    const street = talk(["אין לנו מה לאכול השבוע, שלושה ילדים", "1", "רחוב ויצמן 5, קומה 2"]);
    expect(last(street).done).toMatchObject({
      category: "food",
      location: null,
      addressText: "רחוב ויצמן 5, קומה 2",
    });
    for (const skip of ["0", "דלג", "אין"]) {
      const none = talk(["אין לנו מה לאכול השבוע, שלושה ילדים", "1", skip]);
      expect(last(none).done).toMatchObject({ location: null, addressText: null });
    }
  });

  it("understands a category word in any language, the list reply id, and 'not sure'", () => {
    const byWord = talk(["המדרכה שבורה וקשה לעבור עם כיסא גלגלים", "נגישות"]);
    expect(byWord[1]!.state?.category).toBe("accessibility");
    const english = talk(["המדרכה שבורה וקשה לעבור עם כיסא גלגלים", "Accessibility"]);
    expect(english[1]!.state?.category).toBe("accessibility");
    const byList = talk([
      "המדרכה שבורה וקשה לעבור עם כיסא גלגלים",
      { interactiveId: "cat:safety" },
    ]);
    expect(byList[1]!.state?.category).toBe("safety");
    const notSure = talk([
      "המדרכה שבורה וקשה לעבור עם כיסא גלגלים",
      { interactiveId: NOT_SURE_ID },
    ]);
    expect(notSure[1]!.state).toMatchObject({ step: "location", category: null });
    const zero = talk(["המדרכה שבורה וקשה לעבור עם כיסא גלגלים", "0"]);
    expect(zero[1]!.state).toMatchObject({ step: "location", category: null });
  });

  it("asks again after a wrong answer at most twice, then goes on without it", () => {
    const r = talk(["יש רעש חזק מהשכנים כל לילה", "כן", "17", "בננה", "5", "5", "5"]);
    expect(texts(r[1]!)[0]).toBe(CONVERSATION_TEXTS.he.notUnderstood);
    expect(r[1]!.state).toMatchObject({ step: "category", attempts: 1 });
    expect(r[2]!.state).toMatchObject({ step: "category", attempts: 2 });
    // Third wrong answer: no category, on to the location.
    expect(r[3]!.state).toMatchObject({ step: "location", category: null, attempts: 0 });
    expect(r[3]!.replies.map((x) => x.kind)).toEqual(["location_request"]);
    // "5" is no address; twice asked again, the third time the need goes without a place.
    expect(r[4]!.state).toMatchObject({ step: "location", attempts: 1 });
    expect(r[5]!.state).toMatchObject({ step: "location", attempts: 2 });
    expect(r[6]!.done).toMatchObject({ category: null, location: null, addressText: null });
  });

  it("cancels on ביטול at any step and forgets what was said", () => {
    const r = talk(["הפנס ברחוב שבור כבר שבוע", "ביטול"]);
    expect(r[1]!.state).toBeNull();
    expect(r[1]!.done).toBeUndefined();
    expect(texts(r[1]!)).toEqual([CONVERSATION_TEXTS.he.cancelled]);
    const later = talk(["הפנס ברחוב שבור כבר שבוע", "3", "בטל!"]);
    expect(later[2]!.state).toBeNull();
  });

  it("starts afresh after 30 minutes of silence, and hands back what the old one had", () => {
    const [first] = talk(["המעלית בבניין לא עובדת ויש פה קשישה בקומה רביעית"]);
    const afterWhile = talk(
      ["5"],
      {},
      first!.state,
      new Date(START.getTime() + CONVERSATION_TIMEOUT_MS - 60_000),
    );
    expect(afterWhile[0]!.state?.category).toBe("accessibility");

    const expired = talk(
      ["5"],
      {},
      first!.state,
      new Date(START.getTime() + CONVERSATION_TIMEOUT_MS + 60_000),
    );
    // "5" is no description: a new conversation asks for one…
    expect(expired[0]!.state).toMatchObject({ step: "description", description: "" });
    expect(texts(expired[0]!)).toEqual([CONVERSATION_TEXTS.he.askDescription]);
    // …and the abandoned one is handed back for the caller to keep if it wants.
    expect(expired[0]!.abandoned).toMatchObject({
      description: "המעלית בבניין לא עובדת ויש פה קשישה בקומה רביעית",
      category: null,
      contactPhone: PHONE,
    });
  });

  it("asks for a description after a greeting, a photo or a location alone, and keeps them", () => {
    const r = talk([
      "שלום",
      { mediaIds: ["media-1"] },
      { location: { lat: 31.25, lon: 34.79 } },
      "יש ערימת פסולת גדולה ליד הפחים",
      "ניקיון",
    ]);
    expect(texts(r[0]!)).toEqual([CONVERSATION_TEXTS.he.askDescription]);
    expect(texts(r[1]!)).toEqual([
      CONVERSATION_TEXTS.he.photoReceived,
      CONVERSATION_TEXTS.he.askDescription,
    ]);
    expect(r[2]!.state?.attempts).toBe(0);
    // The location came already: no location question after the category.
    expect(last(r).done).toMatchObject({
      description: "יש ערימת פסולת גדולה ליד הפחים",
      category: "cleanliness",
      location: { lat: 31.25, lon: 34.79 },
      mediaIds: ["media-1"],
    });
  });

  it("attaches photos whenever they come (up to five) without counting them as wrong answers", () => {
    const photo = (id: string): ConversationInput => ({ mediaIds: [id] });
    const r = talk([
      { text: "הספסל בגינה שבור", mediaIds: ["p1"] },
      photo("p2"),
      photo("p3"),
      photo("p4"),
      photo("p5"),
      photo("p6"),
      "6",
      "0",
    ]);
    expect(texts(r[1]!)[0]).toBe(CONVERSATION_TEXTS.he.photoReceived);
    expect(r[5]!.state).toMatchObject({ step: "category", attempts: 0 });
    expect(last(r).done?.mediaIds).toEqual(["p1", "p2", "p3", "p4", "p5"]);
  });

  it("cuts a very long text to the 2,000-character limit and says so", () => {
    const long = "הבעיה היא ".repeat(300);
    const [r] = talk([long]);
    expect(r!.state?.description).toHaveLength(2000);
    expect(texts(r!)[0]).toBe(CONVERSATION_TEXTS.he.truncated);
    // Never half an emoji.
    const [emoji] = talk([`${"א".repeat(1999)}😀 סוף`]);
    expect(emoji!.state?.description).toBe("א".repeat(1999));
  });

  it("after the need is made, a thank-you gets one short note; a new report starts a new conversation", () => {
    const r = talk([
      "הכביש מוצף מים ליד בית הספר",
      "6",
      "0",
      "תודה רבה!",
      "תודה",
      "ועוד דבר: הרמזור בצומת לא עובד",
    ]);
    expect(r[2]!.done).toBeDefined();
    expect(texts(r[3]!)).toEqual([CONVERSATION_TEXTS.he.afterDone]);
    expect(r[4]!.replies).toEqual([]);
    expect(r[5]!.state).toMatchObject({
      step: "category",
      description: "ועוד דבר: הרמזור בצומת לא עובד",
    });
  });

  it("speaks plain text on SMS (no WhatsApp location button)", () => {
    const r = talk(["הכביש מוצף מים ליד בית הספר", "6"], { channel: "sms" });
    expect(r[1]!.replies).toEqual([{ kind: "text", text: CONVERSATION_TEXTS.he.askLocation.sms }]);
    expect(CONVERSATION_TEXTS.he.askLocation.sms).not.toMatch(/וואטסאפ/);
  });

  it("goes straight to the location when the department has no categories", () => {
    const r = talk(["הכביש מוצף מים ליד בית הספר"], { categories: [] });
    expect(r[0]!.state).toMatchObject({ step: "location", category: null });
  });
});

describe("intake conversation — Arabic", () => {
  const description = "عائلة كبيرة في الحي بحاجة إلى طعام هذا الأسبوع";

  it("runs the whole conversation in Arabic", () => {
    const r = talk([description, "غذاء", "شارع الجبل 12"]);
    expect(r[0]!.state?.language).toBe("ar");
    const choice = choiceOf(r[0]!);
    expect(choice.text).toContain(CONVERSATION_TEXTS.ar.askCategory);
    expect(choice.options[0]!.title).toBe("غذاء");
    expect(r[1]!.replies[0]).toEqual({
      kind: "location_request",
      text: CONVERSATION_TEXTS.ar.askLocation.whatsapp,
    });
    expect(last(r).done).toEqual({
      description,
      category: "food",
      location: null,
      addressText: "شارع الجبل 12",
      language: "ar",
      mediaIds: [],
      contactPhone: PHONE,
    });
    expect(replyText(confirmationReplies("ar", "N-7")[0]!)).toContain("N-7");
  });

  it("takes Arabic-Indic digits and skips the location with تخطي or لا", () => {
    const r = talk([description, "١", "تخطي"]);
    expect(last(r).done).toMatchObject({ category: "food", location: null, addressText: null });
    const no = talk([description, "٢", "لا"]);
    expect(last(no).done).toMatchObject({ category: "housing", location: null });
  });

  it("re-asks a wrong answer twice in Arabic, then moves on", () => {
    const r = talk([description, "؟", "ما هذا", "99"]);
    expect(texts(r[1]!)[0]).toBe(CONVERSATION_TEXTS.ar.notUnderstood);
    expect(texts(r[1]!)[1]).toContain("1. غذاء");
    expect(r[2]!.state?.attempts).toBe(2);
    expect(r[3]!.state).toMatchObject({ step: "location", category: null });
  });

  it("cancels with الغاء or إلغاء", () => {
    for (const word of ["الغاء", "إلغاء"]) {
      const r = talk([description, word]);
      expect(r[1]!.state).toBeNull();
      expect(texts(r[1]!)).toEqual([CONVERSATION_TEXTS.ar.cancelled]);
    }
  });

  it("expires after 30 minutes in Arabic too", () => {
    const [first] = talk([description]);
    const r = talk(
      ["مرحبا"],
      {},
      first!.state,
      new Date(START.getTime() + CONVERSATION_TIMEOUT_MS + 1),
    );
    expect(r[0]!.state?.step).toBe("description");
    expect(texts(r[0]!)).toEqual([CONVERSATION_TEXTS.ar.askDescription]);
    expect(r[0]!.abandoned?.language).toBe("ar");
  });
});

describe("intake conversation — Russian", () => {
  const description = "Пожилая соседка живёт одна, ей нужна помощь с покупками";

  it("keeps Russian when the answers are numbers", () => {
    const r = talk([description, "3", "ул. Герцля 12"]);
    expect(r[0]!.state?.language).toBe("ru");
    expect(replyText(choiceOf(r[0]!))).toContain("3. Одиночество");
    expect(r[1]!.state?.language).toBe("ru");
    expect(r[1]!.replies[0]).toEqual({
      kind: "location_request",
      text: CONVERSATION_TEXTS.ru.askLocation.whatsapp,
    });
    expect(last(r).done).toMatchObject({
      category: "loneliness",
      addressText: "ул. Герцля 12",
      language: "ru",
    });
  });

  it("skips the location with пропустить", () => {
    const r = talk([description, "Одиночество", "пропустить"]);
    expect(last(r).done).toMatchObject({
      category: "loneliness",
      location: null,
      addressText: null,
    });
  });

  it("re-asks twice in Russian, then moves on", () => {
    const r = talk([description, "абв", "15", "??", "5"]);
    expect(texts(r[1]!)[0]).toBe(CONVERSATION_TEXTS.ru.notUnderstood);
    expect(r[2]!.state?.attempts).toBe(2);
    expect(r[3]!.state).toMatchObject({ step: "location", category: null });
    expect(r[4]!.state).toMatchObject({ step: "location", attempts: 1 });
  });

  it("cancels with стоп", () => {
    const r = talk([description, "2", "Стоп"]);
    expect(r[2]!.state).toBeNull();
    expect(texts(r[2]!)).toEqual([CONVERSATION_TEXTS.ru.cancelled]);
  });

  it("expires after 30 minutes of silence", () => {
    const [first, second] = talk([description, "3"]);
    expect(second!.state?.step).toBe("location");
    const r = talk(
      ["Во дворе сломаны качели"],
      {},
      second!.state,
      new Date(START.getTime() + 60_000 + CONVERSATION_TIMEOUT_MS + 1000),
    );
    expect(first!.state).not.toBeNull();
    expect(r[0]!.state).toMatchObject({ step: "category", description: "Во дворе сломаны качели" });
    expect(r[0]!.abandoned).toMatchObject({ description, category: "loneliness" });
  });
});

describe("language and answers", () => {
  it("has texts in every language that fit WhatsApp's limits", () => {
    for (const [language, t] of Object.entries(CONVERSATION_TEXTS)) {
      expect(t.chooseButton.length, language).toBeLessThanOrEqual(20);
      expect(`0. ${t.notSure}`.length, language).toBeLessThanOrEqual(24);
      expect(`${t.askCategory}\n${t.cancelHint}`.length, language).toBeLessThanOrEqual(1024);
      expect(t.thanks("N-123456"), language).toContain("N-123456");
      // The texts are the resident's language, not a fallback copy of another.
      if (language !== "en")
        expect(t.askDescription, language).not.toBe(CONVERSATION_TEXTS.en.askDescription);
    }
  });

  it("tells the language by the script of most letters", () => {
    expect(detectLanguage("הפנס שבור")).toBe("he");
    expect(detectLanguage("الضوء مكسور")).toBe("ar");
    expect(detectLanguage("Фонарь сломан")).toBe("ru");
    expect(detectLanguage("መብራቱ ተሰብሯል")).toBe("am");
    expect(detectLanguage("The light is broken")).toBe("en");
    expect(detectLanguage("הפנס ב-Herzl שבור")).toBe("he");
    expect(detectLanguage("١٢٣ 456 !")).toBeNull();
  });

  it("reads numbers as people type them", () => {
    expect(numberAnswer("3")).toBe(3);
    expect(numberAnswer(" 3. ")).toBe(3);
    expect(numberAnswer("#12")).toBe(12);
    expect(numberAnswer("٣")).toBe(3);
    expect(numberAnswer("۷")).toBe(7);
    expect(numberAnswer("3 בבקשה")).toBeNull();
  });

  it("speaks English and Amharic too", () => {
    const en = talk(["The playground gate is broken and kids get out to the road", "STOP"]);
    expect(en[0]!.state?.language).toBe("en");
    expect(texts(en[1]!)).toEqual([CONVERSATION_TEXTS.en.cancelled]);
    const am = talk(["በሰፈራችን ያለው መብራት ከሳምንት በፊት ተሰብሯል", "ጤና", "ዝለል"]);
    expect(am[0]!.state?.language).toBe("am");
    expect(choiceOf(am[0]!).options[0]!.title).toBe("ምግብ");
    expect(last(am).done).toMatchObject({ category: "health", language: "am", location: null });
  });

  it("refuses a word that fits several categories instead of guessing", () => {
    const r = talk(["The playground gate is broken", "a"], {
      categories: [
        { code: "youth_sport", labels: { en: "Youth sport" } },
        { code: "youth_clubs", labels: { en: "Youth clubs" } },
      ],
    });
    expect(r[1]!.state?.attempts).toBe(1);
    const both = talk(["The playground gate is broken", "youth"], {
      categories: [
        { code: "youth_sport", labels: { en: "Youth sport" } },
        { code: "youth_clubs", labels: { en: "Youth clubs" } },
      ],
    });
    expect(both[1]!.state).toMatchObject({ step: "category", attempts: 1 });
  });

  it("numbers stay what the resident saw even if the department reorders its categories", () => {
    const [first] = talk(["אין לנו מה לאכול השבוע, שלושה ילדים"]);
    const reordered = [...TEST_NEED_CATEGORIES].reverse();
    const r = talk(
      ["1"],
      { categories: reordered },
      first!.state,
      new Date(START.getTime() + 60_000),
    );
    expect(r[0]!.state?.category).toBe("food");
  });

  it("drops a stored state that is damaged or from another version", () => {
    expect(parseConversationState(null)).toBeNull();
    expect(parseConversationState({ v: 2, step: "category" })).toBeNull();
    const [first] = talk(["הכביש מוצף מים ליד בית הספר"]);
    expect(parseConversationState({ ...first!.state, step: "elsewhere" })).toBeNull();
    expect(parseConversationState(JSON.parse(JSON.stringify(first!.state)))).toEqual(first!.state);
    expect(JSON.stringify(first!.state).length).toBeLessThan(500);
  });
});
