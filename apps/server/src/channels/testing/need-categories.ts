import type { ConversationCategory } from "../conversation.ts";

/** The default taxonomy with labels in every language, as a department starts with it (test fixture). */
export const TEST_NEED_CATEGORIES: ConversationCategory[] = [
  { code: "food", labels: { he: "מזון", ar: "غذاء", en: "Food", ru: "Еда", am: "ምግብ" } },
  { code: "housing", labels: { he: "דיור", ar: "سكن", en: "Housing", ru: "Жильё", am: "መኖሪያ ቤት" } },
  {
    code: "loneliness",
    labels: { he: "בדידות", ar: "وحدة", en: "Loneliness", ru: "Одиночество", am: "ብቸኝነት" },
  },
  { code: "health", labels: { he: "בריאות", ar: "صحة", en: "Health", ru: "Здоровье", am: "ጤና" } },
  {
    code: "accessibility",
    labels: { he: "נגישות", ar: "إتاحة", en: "Accessibility", ru: "Доступность", am: "ተደራሽነት" },
  },
  {
    code: "public_space",
    labels: {
      he: "מרחב ציבורי",
      ar: "الحيز العام",
      en: "Public space",
      ru: "Общественное пространство",
      am: "የሕዝብ ቦታ",
    },
  },
  {
    code: "cleanliness",
    labels: { he: "ניקיון", ar: "نظافة", en: "Cleanliness", ru: "Чистота", am: "ንጽሕና" },
  },
  {
    code: "safety",
    labels: { he: "ביטחון ובטיחות", ar: "أمان", en: "Safety", ru: "Безопасность", am: "ደህንነት" },
  },
  {
    code: "children_youth",
    labels: {
      he: "ילדים ונוער",
      ar: "أطفال وشبيبة",
      en: "Children and youth",
      ru: "Дети и молодёжь",
      am: "ልጆች እና ወጣቶች",
    },
  },
  {
    code: "employment",
    labels: { he: "תעסוקה", ar: "تشغيل", en: "Employment", ru: "Работа", am: "ሥራ" },
  },
  {
    code: "rights",
    labels: {
      he: "מיצוי זכויות",
      ar: "تحصيل الحقوق",
      en: "Rights and benefits",
      ru: "Права и пособия",
      am: "መብቶች",
    },
  },
  {
    code: "neighbours",
    labels: { he: "יחסי שכנים", ar: "علاقات الجيرة", en: "Neighbours", ru: "Соседи", am: "ጎረቤቶች" },
  },
];
