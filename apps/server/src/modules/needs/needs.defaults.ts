import type { DEFAULT_NEED_CATEGORIES } from "@kaveret/contracts";

/** Labels of the categories every department starts with (the department edits them). */
export const DEFAULT_CATEGORY_LABELS: Record<
  (typeof DEFAULT_NEED_CATEGORIES)[number],
  { he: string; ar: string; en: string; ru: string; am: string }
> = {
  food: { he: "מזון", ar: "غذاء", en: "Food", ru: "Питание", am: "ምግብ" },
  housing: { he: "דיור", ar: "سكن", en: "Housing", ru: "Жильё", am: "መኖሪያ ቤት" },
  loneliness: {
    he: "בדידות ותמיכה חברתית",
    ar: "الوحدة والدعم الاجتماعي",
    en: "Loneliness and social support",
    ru: "Одиночество и поддержка",
    am: "ብቸኝነት እና ማህበራዊ ድጋፍ",
  },
  health: { he: "בריאות", ar: "صحة", en: "Health", ru: "Здоровье", am: "ጤና" },
  accessibility: {
    he: "נגישות",
    ar: "إتاحة",
    en: "Accessibility",
    ru: "Доступность",
    am: "ተደራሽነት",
  },
  public_space: {
    he: "מרחב ציבורי ותשתיות",
    ar: "الحيز العام والبنية التحتية",
    en: "Public space and infrastructure",
    ru: "Общественное пространство",
    am: "የሕዝብ ቦታ እና መሠረተ ልማት",
  },
  cleanliness: { he: "ניקיון ותברואה", ar: "نظافة", en: "Cleanliness", ru: "Чистота", am: "ንጽሕና" },
  safety: { he: "ביטחון אישי", ar: "أمان شخصي", en: "Safety", ru: "Безопасность", am: "ደህንነት" },
  children_youth: {
    he: "ילדים ונוער",
    ar: "أطفال وشباب",
    en: "Children and youth",
    ru: "Дети и молодёжь",
    am: "ልጆች እና ወጣቶች",
  },
  employment: { he: "תעסוקה ופרנסה", ar: "عمل ومعيشة", en: "Employment", ru: "Работа", am: "ሥራ" },
  rights: {
    he: "מיצוי זכויות",
    ar: "تحصيل الحقوق",
    en: "Rights and benefits",
    ru: "Права и льготы",
    am: "መብቶች",
  },
  neighbours: {
    he: "שכנים ורעש",
    ar: "جيران وضجيج",
    en: "Neighbours and noise",
    ru: "Соседи и шум",
    am: "ጎረቤቶች እና ጫጫታ",
  },
};
