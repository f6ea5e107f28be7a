import type {
  ASSET_TYPES,
  COMMUNITY_ROLES,
  CONSENT_PURPOSES,
  GENDERS,
  HOUSEHOLD_ROLES,
  RESIDENT_LANGUAGES,
  VULNERABILITY_FLAGS,
  WEEKDAYS,
} from "@kaveret/contracts";
import type { ImportEntity, ImportRowErrorCode } from "@kaveret/contracts";

/**
 * The words people write in spreadsheets, in Hebrew, Arabic and English: column
 * names (to suggest a mapping) and values (flags, languages, consents…). The
 * first word of each language is also the label an export writes, so an
 * exported file imports back as it is.
 */

export type ExportLocale = "he" | "ar" | "en";
export type Words = Record<ExportLocale, string[]>;

/* ------------------------------------------------------------------ */
/* Column names                                                         */
/* ------------------------------------------------------------------ */

const RESIDENT_HEADERS: Record<string, Words> = {
  firstName: {
    he: ["שם פרטי", "פרטי", "שם ראשון"],
    ar: ["الاسم الشخصي", "الاسم الأول", "الاسم"],
    en: ["First name", "firstname", "given name", "forename"],
  },
  lastName: {
    he: ["שם משפחה", "משפחה"],
    ar: ["اسم العائلة", "العائلة", "الشهرة"],
    en: ["Last name", "lastname", "surname", "family name"],
  },
  otherNames: {
    he: ["שמות נוספים", "שם נוסף", "כינוי"],
    ar: ["أسماء أخرى", "اسم آخر"],
    en: ["Other names", "other name", "alias", "aka"],
  },
  phone: {
    he: ["טלפון", "טל", "נייד", "טלפון נייד", "מספר טלפון", "פלאפון", "סלולרי"],
    ar: ["الهاتف", "هاتف", "رقم الهاتف", "جوال", "الجوال", "نقال"],
    en: ["Phone", "mobile", "telephone", "tel", "cell", "phone number"],
  },
  email: {
    he: ['דוא"ל', "דואל", "דואר אלקטרוני", "אימייל", "מייל"],
    ar: ["البريد الإلكتروني", "بريد إلكتروني", "ايميل", "إيميل"],
    en: ["Email", "e-mail", "mail", "email address"],
  },
  idNumber: {
    he: ["תעודת זהות", 'ת"ז', "ת.ז.", "תז", "מספר זהות", "מס' זהות", "מספר תעודת זהות"],
    ar: ["رقم الهوية", "الهوية", "هوية", "رقم الهوية الشخصية"],
    en: ["ID number", "id", "id no", "national id", "teudat zehut"],
  },
  birthYear: {
    he: ["שנת לידה", "תאריך לידה", "שנת הלידה"],
    ar: ["سنة الميلاد", "تاريخ الميلاد", "سنة الولادة"],
    en: ["Birth year", "year of birth", "date of birth", "dob", "born"],
  },
  gender: {
    he: ["מגדר", "מין"],
    ar: ["الجنس", "جنس"],
    en: ["Gender", "sex"],
  },
  street: {
    he: ["רחוב", "שם רחוב", "כתובת", "כתובת מגורים"],
    ar: ["الشارع", "شارع", "اسم الشارع", "العنوان"],
    en: ["Street", "street name", "address", "street address"],
  },
  houseNumber: {
    he: ["מספר בית", "מס' בית", "מס בית", "בית"],
    ar: ["رقم البيت", "رقم المنزل", "رقم البناية"],
    en: ["House number", "house no", "building number", "number"],
  },
  apartment: {
    he: ["דירה", "מספר דירה", "מס' דירה"],
    ar: ["الشقة", "شقة", "رقم الشقة"],
    en: ["Apartment", "apt", "flat", "unit"],
  },
  addressNote: {
    he: ["הערה לכתובת", "הערת כתובת", "פרטי כתובת נוספים"],
    ar: ["ملاحظة العنوان", "ملاحظة على العنوان"],
    en: ["Address note", "address details"],
  },
  lat: { he: ["קו רוחב"], ar: ["خط العرض"], en: ["Latitude", "lat"] },
  lon: { he: ["קו אורך"], ar: ["خط الطول"], en: ["Longitude", "lon", "lng", "long"] },
  homeCommunity: {
    he: ["קהילת מגורים", "שכונה", "קהילה", "אזור מגורים"],
    ar: ["المجتمع السكني", "الحي", "حي", "المجتمع المحلي"],
    en: ["Home community", "neighbourhood", "neighborhood", "community"],
  },
  communities: {
    he: ["קהילות נוספות", "קהילות"],
    ar: ["مجتمعات أخرى", "المجتمعات"],
    en: ["Other communities", "communities", "groups"],
  },
  languages: {
    he: ["שפות", "שפה", "שפת דיבור"],
    ar: ["اللغات", "اللغة", "لغة"],
    en: ["Languages", "language", "spoken languages"],
  },
  household: {
    he: ["משק בית", "מזהה משק בית", "מספר משק בית"],
    ar: ["الأسرة", "أسرة", "رقم الأسرة"],
    en: ["Household", "household id", "family id"],
  },
  householdRole: {
    he: ["תפקיד במשק הבית", "קרבה", "סוג קרבה"],
    ar: ["الدور في الأسرة", "صلة القرابة"],
    en: ["Household role", "relation", "relationship"],
  },
  communityRoles: {
    he: ["תפקיד בקהילה", "תפקידים בקהילה", "מעורבות"],
    ar: ["الدور في المجتمع", "أدوار في المجتمع"],
    en: ["Community roles", "community role", "role"],
  },
  skills: {
    he: ["כישורים", "מיומנויות", "תחומי עניין", "מקצוע"],
    ar: ["المهارات", "مهارات", "مهنة"],
    en: ["Skills", "skill", "profession"],
  },
  consents: {
    he: ["הסכמות", "הסכמה"],
    ar: ["الموافقات", "موافقات", "موافقة"],
    en: ["Consents", "consent"],
  },
  flags: {
    he: ["סימוני פגיעות", "פגיעות", "מאפייני סיכון", "סיכונים"],
    ar: ["علامات الهشاشة", "الهشاشة", "مؤشرات الخطر"],
    en: ["Vulnerability flags", "vulnerability", "vulnerabilities", "flags", "risk factors"],
  },
  healthNotes: {
    he: ["הערות בריאות", "מידע רפואי", "בריאות", "מצב רפואי"],
    ar: ["ملاحظات صحية", "معلومات طبية", "الصحة"],
    en: ["Health notes", "health", "medical notes", "medical"],
  },
  notes: {
    he: ["הערות", "הערה"],
    ar: ["ملاحظات", "ملاحظة"],
    en: ["Notes", "note", "comments", "remarks"],
  },
};

const ASSET_HEADERS: Record<string, Words> = {
  name: {
    he: ["שם", "שם המקום", "שם הנכס", "שם המוסד"],
    ar: ["الاسم", "اسم المكان", "اسم المؤسسة"],
    en: ["Name", "place", "asset", "asset name"],
  },
  type: {
    he: ["סוג", "סוג נכס", "סוג המקום", "קטגוריה"],
    ar: ["النوع", "نوع", "الفئة"],
    en: ["Type", "asset type", "category", "kind"],
  },
  organization: {
    he: ["ארגון", "גוף מפעיל", "מפעיל", "הארגון"],
    ar: ["المؤسسة", "الجهة المشغلة", "منظمة"],
    en: ["Organization", "organisation", "operator", "run by"],
  },
  description: {
    he: ["תיאור", "פירוט"],
    ar: ["الوصف", "وصف"],
    en: ["Description", "details"],
  },
  street: RESIDENT_HEADERS.street!,
  houseNumber: RESIDENT_HEADERS.houseNumber!,
  address: {
    he: ["כתובת חופשית", "הערת כתובת"],
    ar: ["عنوان حر", "تفاصيل العنوان"],
    en: ["Address line", "address text"],
  },
  community: {
    he: ["קהילה", "שכונה", "אזור"],
    ar: ["المجتمع المحلي", "الحي", "حي"],
    en: ["Community", "neighbourhood", "neighborhood", "area"],
  },
  lat: RESIDENT_HEADERS.lat!,
  lon: RESIDENT_HEADERS.lon!,
  capacity: {
    he: ["קיבולת", "תפוסה מרבית", "מספר מקומות"],
    ar: ["السعة", "القدرة الاستيعابية"],
    en: ["Capacity", "places", "max occupancy"],
  },
  accessibility: {
    he: ["נגישות"],
    ar: ["إتاحة", "الإتاحة", "سهولة الوصول"],
    en: ["Accessibility"],
  },
  phone: RESIDENT_HEADERS.phone!,
  email: RESIDENT_HEADERS.email!,
  website: {
    he: ["אתר", "אתר אינטרנט", "קישור"],
    ar: ["الموقع الإلكتروني", "موقع"],
    en: ["Website", "web", "url", "site"],
  },
  languages: RESIDENT_HEADERS.languages!,
  openingHours: {
    he: ["שעות פתיחה", "שעות פעילות", "שעות"],
    ar: ["ساعات العمل", "ساعات الدوام", "أوقات العمل"],
    en: ["Opening hours", "hours", "open"],
  },
};

const FIGURE_HEADERS: Record<string, Words> = {
  statAreaCode: {
    he: ["אזור סטטיסטי", "סמל אזור סטטיסטי", 'א"ס', "קוד אזור סטטיסטי", "קוד אזור"],
    ar: ["المنطقة الإحصائية", "رمز المنطقة الإحصائية", "منطقة إحصائية"],
    en: ["Statistical area", "stat area", "statistical area code", "area code", "sa"],
  },
  community: {
    he: ["קהילה", "שכונה", "שם הקהילה", "שם"],
    ar: ["المجتمع المحلي", "الحي", "الاسم"],
    en: ["Community", "neighbourhood", "neighborhood", "name"],
  },
  period: {
    he: ["תקופה", "שנה"],
    ar: ["الفترة", "السنة", "سنة"],
    en: ["Period", "year"],
  },
  population: {
    he: ["אוכלוסייה", "אוכלוסיה", 'סה"כ אוכלוסייה', "מספר תושבים", "תושבים"],
    ar: ["السكان", "عدد السكان"],
    en: ["Population", "total population", "residents"],
  },
  households: {
    he: ["משקי בית", "מספר משקי בית"],
    ar: ["الأسر", "عدد الأسر"],
    en: ["Households", "number of households"],
  },
  age_0_17: {
    he: ["בני 0-17", "גילאי 0-17", "ילדים", "0-17"],
    ar: ["أعمار 0-17", "الأطفال"],
    en: ["Age 0-17", "children", "aged 0-17"],
  },
  age_18_64: {
    he: ["בני 18-64", "גילאי 18-64", "18-64"],
    ar: ["أعمار 18-64"],
    en: ["Age 18-64", "aged 18-64"],
  },
  age_65_plus: {
    he: ["בני 65+", "גילאי 65+", "בני 65 ומעלה", "65+"],
    ar: ["أعمار 65+", "65 فما فوق"],
    en: ["Age 65+", "aged 65+", "65 and over"],
  },
  age_75_plus: {
    he: ["בני 75+", "גילאי 75+", "בני 75 ומעלה", "75+"],
    ar: ["أعمار 75+", "75 فما فوق"],
    en: ["Age 75+", "aged 75+", "75 and over"],
  },
  immigrants: {
    he: ["עולים", "עולים חדשים"],
    ar: ["المهاجرون", "مهاجرون جدد"],
    en: ["Immigrants", "new immigrants"],
  },
  single_parent_households: {
    he: ["משפחות חד הוריות", "משקי בית חד הוריים", "חד הוריות"],
    ar: ["أسر أحادية الوالد"],
    en: ["Single-parent households", "single parent families"],
  },
  people_with_disabilities: {
    he: ["אנשים עם מוגבלות", "מוגבלות"],
    ar: ["ذوو الإعاقة", "أشخاص مع إعاقة"],
    en: ["People with disabilities", "disabilities"],
  },
  income_support_recipients: {
    he: ["מקבלי הבטחת הכנסה", "הבטחת הכנסה"],
    ar: ["متلقو ضمان الدخل", "ضمان الدخل"],
    en: ["Income support recipients", "income support"],
  },
  unemployed: {
    he: ["מובטלים", "דורשי עבודה", "אבטלה"],
    ar: ["العاطلون عن العمل", "عاطلون"],
    en: ["Unemployed", "unemployment"],
  },
  socioeconomic_cluster: {
    he: ["אשכול חברתי-כלכלי", "אשכול חברתי כלכלי", "אשכול", "מדד חברתי-כלכלי"],
    ar: ["العنقود الاجتماعي الاقتصادي", "العنقود"],
    en: ["Socio-economic cluster", "socioeconomic cluster", "cluster", "ses cluster"],
  },
  welfare_households_percent: {
    he: ["אחוז משקי בית ברווחה", "% משקי בית ברווחה", "אחוז ברווחה"],
    ar: ["نسبة الأسر في الرفاه", "نسبة الرفاه"],
    en: ["Welfare households %", "welfare households percent", "welfare %"],
  },
};

export const HEADER_WORDS: Record<ImportEntity, Record<string, Words>> = {
  residents: RESIDENT_HEADERS,
  assets: ASSET_HEADERS,
  community_figures: FIGURE_HEADERS,
};

/* ------------------------------------------------------------------ */
/* Values                                                               */
/* ------------------------------------------------------------------ */

export const GENDER_WORDS: Record<(typeof GENDERS)[number], Words> = {
  female: {
    he: ["אישה", "נקבה", "נ", "אשה"],
    ar: ["أنثى", "انثى", "امرأة"],
    en: ["Female", "f", "woman"],
  },
  male: { he: ["גבר", "זכר", "ז"], ar: ["ذكر", "رجل"], en: ["Male", "m", "man"] },
  other: { he: ["אחר", "אחרת"], ar: ["آخر", "اخر"], en: ["Other", "x"] },
};

export const LANGUAGE_WORDS: Record<(typeof RESIDENT_LANGUAGES)[number], Words> = {
  he: { he: ["עברית"], ar: ["العبرية", "عبري", "عبرية"], en: ["Hebrew"] },
  ar: { he: ["ערבית"], ar: ["العربية", "عربي", "عربية"], en: ["Arabic"] },
  en: { he: ["אנגלית"], ar: ["الإنجليزية", "الانجليزية", "انجليزي"], en: ["English"] },
  ru: { he: ["רוסית"], ar: ["الروسية", "روسي"], en: ["Russian", "русский"] },
  am: { he: ["אמהרית"], ar: ["الأمهرية", "أمهري"], en: ["Amharic"] },
  fr: { he: ["צרפתית"], ar: ["الفرنسية", "فرنسي"], en: ["French", "français"] },
  es: { he: ["ספרדית"], ar: ["الإسبانية", "إسباني"], en: ["Spanish", "español"] },
  ti: { he: ["תיגרינית", "טיגרינית"], ar: ["التغرينية"], en: ["Tigrinya"] },
  other: { he: ["שפה אחרת", "אחר"], ar: ["لغة أخرى", "أخرى"], en: ["Other language", "other"] },
};

export const HOUSEHOLD_ROLE_WORDS: Record<(typeof HOUSEHOLD_ROLES)[number], Words> = {
  head: {
    he: ["ראש משק הבית", "ראש משק בית", "ראש המשפחה"],
    ar: ["رب الأسرة", "ربة الأسرة"],
    en: ["Head", "head of household"],
  },
  partner: {
    he: ["בן/בת זוג", "בן זוג", "בת זוג"],
    ar: ["الزوج/ة", "زوج", "زوجة"],
    en: ["Partner", "spouse", "wife", "husband"],
  },
  child: {
    he: ["ילד/ה", "ילד", "ילדה", "בן", "בת"],
    ar: ["ابن/ة", "ابن", "ابنة"],
    en: ["Child", "son", "daughter"],
  },
  parent: {
    he: ["הורה", "אב", "אם"],
    ar: ["والد/ة", "والد", "والدة"],
    en: ["Parent", "father", "mother"],
  },
  other: { he: ["אחר"], ar: ["آخر"], en: ["Other"] },
};

export const COMMUNITY_ROLE_WORDS: Record<(typeof COMMUNITY_ROLES)[number], Words> = {
  leader: { he: ["מנהיג/ה", "מנהיג", "מנהיגה"], ar: ["قائد/ة", "قائد", "قائدة"], en: ["Leader"] },
  activist: { he: ["פעיל/ה", "פעיל", "פעילה"], ar: ["ناشط/ة", "ناشط", "ناشطة"], en: ["Activist"] },
  volunteer: {
    he: ["מתנדב/ת", "מתנדב", "מתנדבת"],
    ar: ["متطوّع/ة", "متطوع", "متطوعة"],
    en: ["Volunteer"],
  },
};

export const CONSENT_WORDS: Record<(typeof CONSENT_PURPOSES)[number], Words> = {
  listed_to_activists: {
    he: ["גלוי לפעילים", "רשימת פעילים", "מופיע לפעילים"],
    ar: ["الظهور للناشطين", "للناشطين"],
    en: ["Listed to activists", "activists"],
  },
  contact_for_activities: {
    he: ["יצירת קשר לפעילויות", "פעילויות"],
    ar: ["التواصل للفعاليات", "فعاليات"],
    en: ["Contact for activities", "activities"],
  },
  emergency_contact: {
    he: ["קשר בחירום", "חירום"],
    ar: ["الاتصال في الطوارئ", "طوارئ"],
    en: ["Emergency contact", "emergency"],
  },
  shared_with_partner: {
    he: ["שיתוף עם שותפים", "שותפים"],
    ar: ["المشاركة مع الشركاء", "شركاء"],
    en: ["Shared with partners", "shared with partner", "partners"],
  },
};

export const FLAG_WORDS: Record<(typeof VULNERABILITY_FLAGS)[number], Words> = {
  lives_alone: {
    he: ["גר/ה לבד", "גר לבד", "גרה לבד", "מתגורר לבד", "מתגוררת לבד", "בודד", "בודדה"],
    ar: ["يعيش/تعيش وحده", "يعيش وحده", "تعيش وحدها", "وحيد"],
    en: ["Lives alone", "alone"],
  },
  age_75_plus: {
    he: ["בן/בת 75+", "75+", "גיל 75+", "בן 75+", "בת 75+"],
    ar: ["75 عامًا فما فوق", "75+", "فوق 75"],
    en: ["Age 75+", "75+", "over 75"],
  },
  disability: {
    he: ["מוגבלות", "נכות"],
    ar: ["إعاقة", "اعاقة"],
    en: ["Disability", "disabled"],
  },
  chronic_illness: {
    he: ["מחלה כרונית", "חולה כרוני", "חולה כרונית"],
    ar: ["مرض مزمن"],
    en: ["Chronic illness", "chronic"],
  },
  mobility_limited: {
    he: ["ניידות מוגבלת", "מוגבלות בניידות", "מרותק/ת לבית", "מרותק לבית"],
    ar: ["محدودية الحركة", "حركة محدودة"],
    en: ["Limited mobility", "mobility limited", "housebound"],
  },
  no_smartphone: {
    he: ["ללא סמארטפון", "אין סמארטפון"],
    ar: ["بدون هاتف ذكي", "لا يوجد هاتف ذكي"],
    en: ["No smartphone"],
  },
  needs_interpreter: {
    he: ["זקוק/ה לתרגום", "זקוק לתרגום", "זקוקה לתרגום", "מתורגמן", "צריך מתורגמן"],
    ar: ["بحاجة إلى مترجم", "يحتاج مترجم", "مترجم"],
    en: ["Needs an interpreter", "needs interpreter", "interpreter"],
  },
  single_parent: {
    he: ["הורה יחיד/ה", "הורה יחיד", "חד הורי", "חד הורית"],
    ar: ["والد/ة وحيد/ة", "أحادي الوالد", "والد وحيد"],
    en: ["Single parent"],
  },
  low_income: {
    he: ["הכנסה נמוכה"],
    ar: ["دخل منخفض"],
    en: ["Low income"],
  },
  holocaust_survivor: {
    he: ["ניצול/ת שואה", "ניצול שואה", "ניצולת שואה"],
    ar: ["ناجٍ/ناجية من المحرقة", "ناج من المحرقة", "ناجي من المحرقة"],
    en: ["Holocaust survivor"],
  },
};

export const ASSET_TYPE_WORDS: Record<(typeof ASSET_TYPES)[number], Words> = {
  school: { he: ["בית ספר", 'בי"ס', 'ביה"ס'], ar: ["مدرسة"], en: ["School"] },
  kindergarten: {
    he: ["גן ילדים", "גן"],
    ar: ["روضة أطفال", "روضة", "بستان"],
    en: ["Kindergarten", "preschool"],
  },
  clinic: {
    he: ["מרפאה", "קופת חולים", "טיפת חלב"],
    ar: ["عيادة", "صندوق المرضى"],
    en: ["Clinic", "health clinic"],
  },
  community_center: {
    he: ['מתנ"ס', "מרכז קהילתי", "מתנס"],
    ar: ["مركز جماهيري", "مركز مجتمعي"],
    en: ["Community center", "community centre"],
  },
  synagogue: { he: ["בית כנסת"], ar: ["كنيس"], en: ["Synagogue"] },
  mosque: { he: ["מסגד"], ar: ["مسجد", "جامع"], en: ["Mosque"] },
  church: { he: ["כנסייה", "כנסיה"], ar: ["كنيسة"], en: ["Church"] },
  house_of_worship: { he: ["בית תפילה"], ar: ["بيت عبادة", "خلوة"], en: ["House of worship"] },
  shelter: {
    he: ["מקלט", "מרחב מוגן", 'ממ"ד'],
    ar: ["ملجأ", "حيز محمي"],
    en: ["Shelter", "protected space"],
  },
  distribution_point: { he: ["נקודת חלוקה"], ar: ["نقطة توزيع"], en: ["Distribution point"] },
  welfare_office: {
    he: ["לשכת רווחה", "מחלקה לשירותים חברתיים"],
    ar: ["مكتب الرفاه", "مكتب الشؤون الاجتماعية"],
    en: ["Welfare office", "social services office"],
  },
  elderly_club: {
    he: ["מועדון ותיקים", "מועדון קשישים", "מועדון גמלאים"],
    ar: ["نادي المسنين", "نادي كبار السن"],
    en: ["Elderly club", "senior club"],
  },
  day_center: { he: ["מרכז יום"], ar: ["مركز نهاري"], en: ["Day center", "day centre"] },
  youth_club: { he: ["מועדון נוער"], ar: ["نادي شبيبة", "نادي الشباب"], en: ["Youth club"] },
  library: { he: ["ספרייה", "ספריה"], ar: ["مكتبة"], en: ["Library"] },
  sports_facility: {
    he: ["מתקן ספורט", "אולם ספורט", "מגרש ספורט"],
    ar: ["منشأة رياضية", "ملعب"],
    en: ["Sports facility", "gym", "sports hall"],
  },
  park: {
    he: ["פארק", "גינה ציבורית", "גן ציבורי"],
    ar: ["حديقة", "منتزه"],
    en: ["Park", "garden"],
  },
  public_space: {
    he: ["מרחב ציבורי", "כיכר"],
    ar: ["حيز عام", "ساحة"],
    en: ["Public space", "square"],
  },
  business: { he: ["עסק", "חנות"], ar: ["مصلحة تجارية", "محل"], en: ["Business", "shop"] },
  ngo: { he: ["עמותה", "ארגון"], ar: ["جمعية"], en: ["NGO", "nonprofit"] },
  other: { he: ["אחר"], ar: ["آخر", "أخرى"], en: ["Other"] },
};

/** Day names for opening hours (first word: the label an export writes). */
export const DAY_WORDS: Record<(typeof WEEKDAYS)[number], Words> = {
  su: {
    he: ["א", "ראשון", "יום ראשון", "יום א"],
    ar: ["الأحد", "أحد", "الاحد"],
    en: ["Sun", "sunday", "su"],
  },
  mo: {
    he: ["ב", "שני", "יום שני", "יום ב"],
    ar: ["الاثنين", "الإثنين", "اثنين"],
    en: ["Mon", "monday", "mo"],
  },
  tu: {
    he: ["ג", "שלישי", "יום שלישי", "יום ג"],
    ar: ["الثلاثاء", "ثلاثاء"],
    en: ["Tue", "tuesday", "tu", "tues"],
  },
  we: {
    he: ["ד", "רביעי", "יום רביעי", "יום ד"],
    ar: ["الأربعاء", "الاربعاء", "أربعاء"],
    en: ["Wed", "wednesday", "we"],
  },
  th: {
    he: ["ה", "חמישי", "יום חמישי", "יום ה"],
    ar: ["الخميس", "خميس"],
    en: ["Thu", "thursday", "th", "thur", "thurs"],
  },
  fr: {
    he: ["ו", "שישי", "יום שישי", "יום ו"],
    ar: ["الجمعة", "جمعة"],
    en: ["Fri", "friday", "fr"],
  },
  sa: { he: ["ש", "שבת", "יום שבת"], ar: ["السبت", "سبت"], en: ["Sat", "saturday", "sa"] },
};

/** The label of a value in a language (the first word), or the code itself. */
export function labelOf<K extends string>(
  words: Record<K, Words>,
  code: string,
  locale: ExportLocale,
): string {
  const entry = (words as Record<string, Words | undefined>)[code];
  return entry?.[locale][0] ?? code;
}

/** The header label of a field in a language. */
export function headerLabel(entity: ImportEntity, key: string, locale: ExportLocale): string {
  return HEADER_WORDS[entity][key]?.[locale][0] ?? key;
}

/* ------------------------------------------------------------------ */
/* Row problems, for the report file (the web app has its own copy).    */
/* ------------------------------------------------------------------ */

export const ROW_CODE_TEXT: Record<ImportRowErrorCode, Record<ExportLocale, string>> = {
  required: { he: "חסר ערך חובה", ar: "قيمة إلزامية مفقودة", en: "A required value is missing" },
  invalid: { he: "ערך לא תקין", ar: "قيمة غير صالحة", en: "The value is not valid" },
  too_long: { he: "הערך ארוך מדי", ar: "القيمة طويلة جدًا", en: "The value is too long" },
  invalid_id_number: {
    he: "מספר זהות לא תקין (ספרת ביקורת)",
    ar: "رقم هوية غير صالح (رقم التحقق)",
    en: "Not a valid Israeli ID number (check digit)",
  },
  invalid_phone: { he: "מספר טלפון לא תקין", ar: "رقم هاتف غير صالح", en: "Not a phone number" },
  invalid_email: {
    he: "כתובת דוא״ל לא תקינה",
    ar: "بريد إلكتروني غير صالح",
    en: "Not an e-mail address",
  },
  invalid_number: { he: "לא מספר תקין", ar: "ليس رقمًا صالحًا", en: "Not a valid number" },
  invalid_year: { he: "שנה לא תקינה", ar: "سنة غير صالحة", en: "Not a valid year" },
  invalid_url: { he: "כתובת אתר לא תקינה", ar: "عنوان موقع غير صالح", en: "Not a web address" },
  unknown_value: {
    he: "מילה שאינה ברשימה",
    ar: "كلمة غير موجودة في القائمة",
    en: "A word that is not in the list",
  },
  street_not_found: {
    he: "הרחוב לא נמצא ביישוב שנבחר",
    ar: "الشارع غير موجود في البلدة المختارة",
    en: "No such street in the chosen town",
  },
  community_not_found: {
    he: "הקהילה לא נמצאה",
    ar: "المجتمع المحلي غير موجود",
    en: "No community by this name",
  },
  community_ambiguous: {
    he: "יותר מקהילה אחת בשם הזה",
    ar: "أكثر من مجتمع محلي بهذا الاسم",
    en: "More than one community has this name",
  },
  community_out_of_scope: {
    he: "מחוץ לקהילות שבאחריותך",
    ar: "خارج المجتمعات التي تحت مسؤوليتك",
    en: "Outside the communities you work with",
  },
  area_not_found: {
    he: "האזור לא נמצא (קוד אזור סטטיסטי או שם קהילה)",
    ar: "المنطقة غير موجودة (رمز المنطقة الإحصائية أو اسم المجتمع)",
    en: "No community with this statistical-area code or name",
  },
  invalid_period: {
    he: "תקופה לא תקינה (למשל 2024 או 2024-Q1)",
    ar: "فترة غير صالحة (مثلًا 2024 أو 2024-Q1)",
    en: "Not a valid period (e.g. 2024 or 2024-Q1)",
  },
  invalid_opening_hours: {
    he: "שעות הפתיחה לא מובנות (למשל: א-ה 08:00-16:00)",
    ar: "ساعات العمل غير مفهومة (مثلًا: الأحد-الخميس 08:00-16:00)",
    en: "Opening hours not understood (e.g. Sun-Thu 08:00-16:00)",
  },
  location_incomplete: {
    he: "חסר קו רוחב או קו אורך",
    ar: "خط العرض أو خط الطول مفقود",
    en: "Latitude and longitude go together",
  },
  duplicate_in_file: {
    he: "כפילות של שורה קודמת בקובץ",
    ar: "تكرار لسطر سابق في الملف",
    en: "Repeats an earlier row of the file",
  },
  duplicate_existing: {
    he: "כבר קיים/ת במערכת",
    ar: "موجود/ة في النظام",
    en: "Already in the system",
  },
};
