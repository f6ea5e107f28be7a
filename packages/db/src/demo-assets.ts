import type { Rng } from "./demo-random.ts";
import type { AreaSpec, LonLat } from "./generate-residents.ts";
import { NAME_POOLS, type Origin } from "./demo-names.ts";

/**
 * Community assets of a generated town, shaped after HSDS: organizations (the
 * municipality, health funds, religious bodies, NGOs), locations of every asset
 * type spread over the neighbourhoods (schools, kindergartens, clinics,
 * synagogues, mosques, a church, community centres, shelters with capacity…),
 * services at them and weekly opening hours (Sunday–Thursday, Friday half day;
 * prayer times as services). Names are invented; any likeness is chance.
 */

type Names = { he: string; ar: string; en: string };
type Day = "SU" | "MO" | "TU" | "WE" | "TH" | "FR" | "SA";
type Hours = [days: Day[], opens: string, closes: string, note?: string][];

export type AssetArea = AreaSpec & {
  names: Names;
  /** Neighbourhood languages. */
  languages: readonly string[];
  /** Fewer public buildings than usual (e.g. a new neighbourhood): 0.5 … 1. */
  amenities?: number;
};

export type AssetTown = {
  names: Names;
  /** Used in made-up e-mail and web addresses (under example.org). */
  slug: string;
  areas: AssetArea[];
  /** Asset count multiplier (1 ≈ 25 assets per neighbourhood). */
  density?: number;
};

export type OrganizationRow = {
  id: string;
  name: string;
  altNames: Record<string, string>;
  kind: string;
  description: string;
  phone: string | null;
  email: string | null;
  website: string | null;
};
export type LocationRow = {
  id: string;
  organizationId: string | null;
  name: string;
  altNames: Record<string, string>;
  assetType: string;
  description: string;
  streetId: string | null;
  houseNumber: string | null;
  address: string;
  communityId: string;
  lat: number;
  lon: number;
  capacity: number | null;
  accessibility: string;
  phone: string | null;
  email: string | null;
  languages: string[];
};
export type ServiceRow = {
  id: string;
  organizationId: string | null;
  name: string;
  altNames: Record<string, string>;
  description: string;
  category: string;
  phone: string | null;
  languages: string[];
  eligibility: string;
  fees: string;
};
export type ScheduleRow = {
  id: string;
  locationId: string | null;
  serviceId: string | null;
  byDay: string;
  opensAt: string;
  closesAt: string;
  description: string;
};
export type GeneratedAssets = {
  organizations: OrganizationRow[];
  locations: LocationRow[];
  services: ServiceRow[];
  serviceAtLocations: { id: string; serviceId: string; locationId: string }[];
  schedules: ScheduleRow[];
};

/* ---------------------------------------------------------------- name pools */

const n = (he: string, ar: string, en: string): Names => ({ he, ar, en });

const HEBREW_SCHOOLS = [
  n("בית ספר יסודי אופק", "مدرسة أوفيك الابتدائية", "Ofek Elementary School"),
  n("בית ספר יסודי הרימון", "مدرسة هريمون الابتدائية", "HaRimon Elementary School"),
  n("חטיבת ביניים רבין", "مدرسة رابين الإعدادية", "Rabin Middle School"),
  n("תיכון מקיף אלון", "مدرسة ألون الشاملة", "Alon Comprehensive High School"),
  n("בית ספר יסודי נרקיסים", "مدرسة نركيسيم الابتدائية", "Narkisim Elementary School"),
  n("בית ספר ממלכתי דתי נועם", "مدرسة نوعم الرسمية الدينية", "Noam State-Religious School"),
  n("בית ספר יסודי בן צבי", "مدرسة بن تسفي الابتدائية", "Ben Zvi Elementary School"),
  n("בית ספר יסודי יהודה הלוי", "مدرسة يهودا هليفي الابتدائية", "Yehuda HaLevi Elementary School"),
  n(
    "בית ספר לחינוך מיוחד אילנות",
    "مدرسة إيلانوت للتربية الخاصة",
    "Ilanot Special Education School",
  ),
  n("בית ספר יסודי גבעול", "مدرسة جفعول الابتدائية", "Givol Elementary School"),
];
const ARAB_SCHOOLS = [
  n("בית ספר יסודי אבן ח'לדון", "مدرسة ابن خلدون الابتدائية", "Ibn Khaldun Elementary School"),
  n("בית ספר יסודי אל-פאראבי", "مدرسة الفارابي الابتدائية", "Al-Farabi Elementary School"),
  n("חטיבת ביניים אל-מותנבי", "مدرسة المتنبي الإعدادية", "Al-Mutanabbi Middle School"),
  n("תיכון אל-ג'ליל", "مدرسة الجليل الثانوية", "Al-Jalil High School"),
  n("בית ספר יסודי אל-זהראא", "مدرسة الزهراء الابتدائية", "Al-Zahraa Elementary School"),
  n("בית ספר יסודי אל-סלאם", "مدرسة السلام الابتدائية", "Al-Salam Elementary School"),
  n("בית ספר יסודי אל-אמל", "مدرسة الأمل الابتدائية", "Al-Amal Elementary School"),
  n("בית ספר אל-בשארה", "مدرسة البشارة", "Al-Bishara School"),
  n(
    "בית ספר לחינוך מיוחד אל-ופאא",
    "مدرسة الوفاء للتربية الخاصة",
    "Al-Wafaa Special Education School",
  ),
];
const HEBREW_KINDERGARTENS = [
  n("גן רקפת", "روضة بخور مريم", "Rakefet Kindergarten"),
  n("גן כלנית", "روضة شقائق النعمان", "Kalanit Kindergarten"),
  n("גן חצב", "روضة العنصل", "Hatzav Kindergarten"),
  n("גן נרקיס", "روضة النرجس", "Narkis Kindergarten"),
  n("גן דליה", "روضة الداليا", "Dalia Kindergarten"),
  n("גן סביון", "روضة سفيون", "Savyon Kindergarten"),
  n("גן אירוס", "روضة السوسن", "Iris Kindergarten"),
  n("גן שקד", "روضة اللوز", "Shaked Kindergarten"),
  n("גן תות", "روضة التوت", "Tut Kindergarten"),
  n("גן פרפר", "روضة الفراشة", "Parpar Kindergarten"),
  n("גן צבעוני", "روضة التوليب", "Tzivoni Kindergarten"),
  n("גן אורן", "روضة الصنوبر", "Oren Kindergarten"),
  n("גן תאנה", "روضة التينة", "Te'ena Kindergarten"),
  n("גן ארז", "روضة الأرز", "Erez Kindergarten"),
  n("גן שיבולת", "روضة السنبلة", "Shibolet Kindergarten"),
  n("גן חרצית", "روضة الأقحوان", "Hartzit Kindergarten"),
];
const ARAB_KINDERGARTENS = [
  n("גן אל-אזהאר", "روضة الأزهار", "Al-Azhar Kindergarten"),
  n("גן אל-עסאפיר", "روضة العصافير", "Al-Asafir Kindergarten"),
  n("גן אל-פראשאת", "روضة الفراشات", "Al-Farashat Kindergarten"),
  n("גן אל-בראעם", "روضة البراعم", "Al-Bara'em Kindergarten"),
  n("גן אל-יאסמין", "روضة الياسمين", "Al-Yasmin Kindergarten"),
  n("גן אל-נוג'ום", "روضة النجوم", "Al-Nujum Kindergarten"),
  n("גן אל-זנאבק", "روضة الزنابق", "Al-Zanabeq Kindergarten"),
  n("גן אל-קמר", "روضة القمر", "Al-Qamar Kindergarten"),
  n("גן אל-שמס", "روضة الشمس", "Al-Shams Kindergarten"),
  n("גן אל-רביע", "روضة الربيع", "Al-Rabi' Kindergarten"),
  n("גן אל-סנאבל", "روضة السنابل", "Al-Sanabel Kindergarten"),
  n("גן אל-חנאן", "روضة الحنان", "Al-Hanan Kindergarten"),
];
const SYNAGOGUES = [
  n("בית הכנסת הגדול", "الكنيس الكبير", "Great Synagogue"),
  n("בית הכנסת אוהל משה", "كنيس أوهل موشيه", "Ohel Moshe Synagogue"),
  n("בית הכנסת בית יוסף", "كنيس بيت يوسف", "Beit Yosef Synagogue"),
  n("בית הכנסת תפארת ישראל", "كنيس تفئيرت يسرائيل", "Tiferet Yisrael Synagogue"),
  n("בית הכנסת שערי ציון", "كنيس شعاري تسيون", "Sha'arei Tzion Synagogue"),
  n("בית הכנסת היכל שלמה", "كنيس هيخال شلومو", "Heikhal Shlomo Synagogue"),
  n("בית הכנסת אהבת חסד", "كنيس أهفات حيسد", "Ahavat Hesed Synagogue"),
  n("בית הכנסת נווה עוז", "كنيس نفيه عوز", "Neve Oz Synagogue"),
];
const BETA_ISRAEL_SYNAGOGUE = n(
  "בית הכנסת של קהילת ביתא ישראל",
  "كنيس طائفة بيتا إسرائيل",
  "Beta Israel Community Synagogue",
);
const MOSQUES = [
  n("המסגד הגדול", "المسجد الكبير", "Great Mosque"),
  n("מסגד אל-עומרי", "المسجد العمري", "Al-Omari Mosque"),
  n("מסגד אל-נור", "مسجد النور", "Al-Nur Mosque"),
  n("מסגד אל-תקווא", "مسجد التقوى", "Al-Taqwa Mosque"),
  n("מסגד אל-הודא", "مسجد الهدى", "Al-Huda Mosque"),
  n("מסגד אבו בכר א-סדיק", "مسجد أبو بكر الصديق", "Abu Bakr al-Siddiq Mosque"),
  n("מסגד אל-פארוק", "مسجد الفاروق", "Al-Farouk Mosque"),
  n("מסגד אל-רחמה", "مسجد الرحمة", "Al-Rahma Mosque"),
];
const CHURCHES = [
  n("כנסיית מאר אליאס", "كنيسة مار الياس", "Mar Elias Church"),
  n("כנסיית הבשורה", "كنيسة البشارة", "Church of the Annunciation"),
  n("כנסיית מאר ג'ריס", "كنيسة مار جريس", "Mar Jiries Church"),
];
const PARKS = [
  n("גן הזיכרון", "حديقة الذكرى", "Memorial Garden"),
  n("פארק הנחל", "حديقة الوادي", "Stream Park"),
  n("פארק הזיתים העתיקים", "حديقة الزيتون القديم", "Ancient Olive Park"),
  n("גן המשחקים המרכזי", "حديقة الألعاب المركزية", "Central Playground"),
  n("גינה קהילתית", "حديقة مجتمعية", "Community Garden"),
  n("פארק הבריכה", "حديقة البركة", "Pool Park"),
  n("גן הדקלים", "حديقة النخيل", "Palm Garden"),
  n("פארק הכלבים", "حديقة الكلاب", "Dog Park"),
];

/* ---------------------------------------------------------------- hours */

const SU_TH: Day[] = ["SU", "MO", "TU", "WE", "TH"];
const ALL: Day[] = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];

const HOURS: Partial<Record<string, Hours>> = {
  school: [
    [SU_TH, "08:00", "14:30"],
    [["FR"], "08:00", "12:00"],
  ],
  kindergarten: [
    [SU_TH, "07:30", "14:00"],
    [["FR"], "07:30", "12:30"],
  ],
  clinic: [
    [SU_TH, "07:30", "13:00"],
    [SU_TH, "16:00", "19:00"],
    [["FR"], "08:00", "12:00"],
  ],
  community_center: [
    [SU_TH, "08:00", "21:30"],
    [["FR"], "08:00", "13:00"],
  ],
  welfare_office: [
    [["SU", "MO", "WE", "TH"], "08:30", "12:30", "קבלת קהל"],
    [["TU"], "14:00", "18:00", "קבלת קהל אחר הצהריים"],
  ],
  elderly_club: [[SU_TH, "09:00", "13:00"]],
  day_center: [[SU_TH, "08:00", "14:00"]],
  youth_club: [[SU_TH, "16:00", "21:00"]],
  library: [
    [SU_TH, "09:00", "19:00"],
    [["FR"], "09:00", "12:00"],
  ],
  sports_facility: [
    [SU_TH, "06:00", "22:00"],
    [["FR"], "06:00", "16:00"],
    [["SA"], "08:00", "16:00"],
  ],
  business: [
    [SU_TH, "07:30", "20:00"],
    [["FR"], "07:00", "14:00"],
  ],
  ngo: [[SU_TH, "09:00", "16:00"]],
  synagogue: [[ALL, "06:00", "21:00"]],
  mosque: [[ALL, "04:30", "22:00"]],
  church: [
    [["SU"], "08:00", "12:00"],
    [["MO", "TU", "WE", "TH", "FR", "SA"], "17:00", "19:00"],
  ],
  distribution_point: [
    [["TU"], "10:00", "14:00"],
    [["TH"], "16:00", "19:00"],
  ],
};

/* ---------------------------------------------------------------- services */

type ServiceTemplate = {
  names: Names;
  category: string;
  description?: string;
  eligibility?: string;
  fees?: string;
  /** One service of the organization at all its places (else one per place). */
  shared?: boolean;
  hours?: Hours;
};
const s = (
  he: string,
  ar: string,
  en: string,
  category: string,
  extra: Omit<ServiceTemplate, "names" | "category"> = {},
): ServiceTemplate => ({ names: n(he, ar, en), category, ...extra });

const SERVICES: Partial<Record<string, ServiceTemplate[]>> = {
  clinic: [
    s("רפואת משפחה", "طب العائلة", "Family medicine", "health", { shared: true }),
    s(
      "אחיות — בדיקות דם וחיסונים",
      "تمريض — فحوصات دم وتطعيمات",
      "Nursing: blood tests and vaccines",
      "health",
      {
        shared: true,
      },
    ),
  ],
  community_center: [
    s("חוגים לילדים ולנוער", "دورات للأطفال والشبيبة", "After-school clubs", "children_youth", {
      shared: true,
      fees: "בתשלום; הנחות לזכאים",
    }),
    s("קורס עברית למבוגרים", "دورة لغة عبرية للبالغين", "Hebrew for adults", "education", {
      shared: true,
      hours: [[["MO", "WE"], "18:00", "20:00"]],
    }),
    s("מועדון גמלאים", "نادي المتقاعدين", "Pensioners' club", "elderly", { shared: true }),
  ],
  welfare_office: [
    s(
      "קבלת קהל — עובדים סוציאליים",
      "استقبال الجمهور — عاملون اجتماعيون",
      "Walk-in social work",
      "welfare",
      {
        shared: true,
      },
    ),
    s("מיצוי זכויות", "تحصيل الحقوق", "Rights take-up", "legal", {
      shared: true,
      description: "עזרה בבירור זכאות ובהגשת בקשות לביטוח לאומי ולמשרדי הממשלה.",
    }),
  ],
  elderly_club: [
    s(
      "מועדון חברתי לוותיקים",
      "نادٍ اجتماعي لكبار السن",
      "Social club for older people",
      "elderly",
      {
        shared: true,
        eligibility: "גיל 65 ומעלה",
      },
    ),
  ],
  day_center: [
    s("מרכז יום לקשיש", "مركز نهاري للمسنين", "Day care for older people", "elderly", {
      shared: true,
      eligibility: 'זכאות לפי חוק סיעוד או הפניית עו"ס',
      fees: "השתתפות עצמית לפי מבחן הכנסה",
    }),
  ],
  youth_club: [
    s("מועדונית נוער", "نادي الشبيبة", "Youth club", "children_youth", { shared: true }),
  ],
  library: [
    s("השאלת ספרים", "إعارة الكتب", "Book lending", "culture_leisure", { shared: true }),
    s("שעת סיפור", "ساعة القصة", "Story hour", "children_youth", {
      shared: true,
      hours: [[["TU"], "16:30", "17:30"]],
    }),
  ],
  distribution_point: [
    s("חלוקת סלי מזון", "توزيع سلال غذائية", "Food parcels", "food", {
      eligibility: "בהפניית המחלקה לשירותים חברתיים",
    }),
  ],
  sports_facility: [s("חוגי ספורט", "دورات رياضية", "Sports classes", "sports", { shared: true })],
  synagogue: [
    s("תפילות", "صلوات", "Prayers", "religious", {
      hours: [
        [["SU", "MO", "TU", "WE", "TH", "FR"], "06:30", "07:30", "שחרית"],
        [["SU", "MO", "TU", "WE", "TH"], "18:30", "19:15", "מנחה וערבית"],
        [["SA"], "08:00", "11:00", "שחרית של שבת"],
      ],
    }),
  ],
  mosque: [
    s("תפילת יום שישי", "صلاة الجمعة", "Friday prayer", "religious", {
      hours: [[["FR"], "12:00", "13:30", "خطبة وصلاة الجمعة"]],
    }),
    s("שיעורי קוראן לילדים", "دروس قرآن للأطفال", "Quran lessons for children", "religious", {
      hours: [[["MO", "WE"], "17:00", "18:30"]],
    }),
  ],
  church: [
    s("מיסה", "قدّاس", "Mass", "religious", {
      hours: [[["SU"], "09:00", "11:00", "قداس الأحد"]],
    }),
  ],
  ngo: [
    s(
      "ליווי מתנדבים לוותיקים",
      "مرافقة متطوعين لكبار السن",
      "Volunteer visits to older people",
      "volunteering",
      {
        shared: true,
      },
    ),
    s("ייעוץ משפטי בהתנדבות", "استشارة قانونية تطوعية", "Volunteer legal advice", "legal", {
      shared: true,
      hours: [[["WE"], "16:00", "19:00", "בתיאום מראש"]],
    }),
  ],
  shelter: [
    s(
      "מקלט ציבורי — פתיחה בחירום",
      "ملجأ عام — يُفتح في الطوارئ",
      "Public shelter (opened in emergencies)",
      "emergency",
      {
        shared: true,
      },
    ),
  ],
};

const ACCESSIBILITY = [
  "נגיש לכיסאות גלגלים",
  "כניסה נגישה מהחצר האחורית",
  "מעלית; שירותי נכים",
  "מדרגות בכניסה — אין גישה לכיסא גלגלים",
  "",
  "",
];

/* ---------------------------------------------------------------- the generator */

type Culture = { jewish: number; arab: number; christian: number };

function cultureOf(origins: Partial<Record<Origin, number>>): Culture {
  const total = Object.values(origins).reduce((a, b) => a + (b ?? 0), 0) || 1;
  const arab = ((origins.arab_muslim ?? 0) + (origins.arab_christian ?? 0)) / total;
  return { jewish: 1 - arab, arab, christian: (origins.arab_christian ?? 0) / total };
}

export function generateAssets(
  rng: Rng,
  town: AssetTown,
  newId: () => string = () => crypto.randomUUID(),
): GeneratedAssets {
  const out: GeneratedAssets = {
    organizations: [],
    locations: [],
    services: [],
    serviceAtLocations: [],
    schedules: [],
  };
  const density = town.density ?? 1;
  const landline = () => `+9724${rng.int(6_000_000, 9_999_999)}`;
  const site = (path: string) => `https://${town.slug}.example.org/${path}`;

  const org = (names: Names, kind: string, description = "", email?: string): string => {
    const id = newId();
    out.organizations.push({
      id,
      name: names.he,
      altNames: { ar: names.ar, en: names.en },
      kind,
      description,
      phone: landline(),
      email: email ? `${email}@${town.slug}.example.org` : null,
      website: email ? site(email) : null,
    });
    return id;
  };
  const t = town.names;
  const orgs = {
    municipality: org(
      n(`עיריית ${t.he}`, `بلدية ${t.ar}`, `${t.en} Municipality`),
      "municipal",
      "",
      "info",
    ),
    welfare: org(
      n(
        `המחלקה לשירותים חברתיים ${t.he}`,
        `قسم الخدمات الاجتماعية ${t.ar}`,
        `${t.en} Social Services Department`,
      ),
      "municipal",
      "",
      "revacha",
    ),
    education: org(
      n(
        `אגף החינוך — עיריית ${t.he}`,
        `قسم التربية والتعليم — بلدية ${t.ar}`,
        `${t.en} Education Division`,
      ),
      "education",
      "",
      "chinuch",
    ),
    fundA: org(n("קופת חולים הגליל", "صندوق المرضى الجليل", "HaGalil Health Fund"), "health"),
    fundB: org(n("קופת חולים הצפון", "صندوق المرضى الشمال", "HaTzafon Health Fund"), "health"),
    health: org(
      n(
        "משרד הבריאות — טיפת חלב",
        "وزارة الصحة — محطة الأم والطفل",
        "Ministry of Health — mother and child clinics",
      ),
      "government",
    ),
    religious: org(
      n(`המועצה הדתית ${t.he}`, `المجلس الديني ${t.ar}`, `${t.en} Religious Council`),
      "religious",
    ),
    waqf: org(
      n(
        `ועד הוקף המוסלמי ${t.he}`,
        `لجنة الوقف الإسلامي ${t.ar}`,
        `${t.en} Islamic Waqf Committee`,
      ),
      "religious",
    ),
    church: org(
      n(
        `הכנסייה היוונית-קתולית — קהילת ${t.he}`,
        `كنيسة الروم الكاثوليك — رعية ${t.ar}`,
        `Greek Catholic Parish of ${t.en}`,
      ),
      "religious",
    ),
    centres: org(
      n(
        `רשת המרכזים הקהילתיים ${t.he}`,
        `شبكة المراكز الجماهيرية ${t.ar}`,
        `${t.en} Community Centres`,
      ),
      "community",
      "",
      "matnas",
    ),
    yadBeyad: org(
      n("עמותת יד ביד", "جمعية يدًا بيد", "Yad BeYad Association"),
      "ngo",
      "מתנדבים לליווי ותיקים ומשפחות.",
      "yad-beyad",
    ),
    food: org(
      n("עמותת לחם חסד", "جمعية خبز الإحسان", "Lechem Hesed Food Bank"),
      "ngo",
      "סלי מזון ובישול קהילתי.",
    ),
    parents: org(
      n(
        "אגודת 'יחד' להורים לילדים עם מוגבלות",
        "جمعية معًا لأهالي الأطفال ذوي الإعاقة",
        "Yahad Parents' Association",
      ),
      "ngo",
    ),
    olim: org(
      n("עמותת גשר — ליווי עולים", "جمعية جسر لمرافقة القادمين الجدد", "Gesher Immigrant Support"),
      "ngo",
    ),
    amal: org(
      n(
        "עמותת אל-אמל לפיתוח קהילתי",
        "جمعية الأمل للتنمية المجتمعية",
        "Al-Amal Community Development",
      ),
      "ngo",
    ),
  };

  // Services shared by an organization's places are made once.
  const sharedServices = new Map<string, string>();
  const serviceFor = (
    tpl: ServiceTemplate,
    organizationId: string | null,
    locationId: string,
    languages: string[],
  ) => {
    const key = `${organizationId}:${tpl.names.en}`;
    let id = tpl.shared ? sharedServices.get(key) : undefined;
    if (!id) {
      id = newId();
      if (tpl.shared) sharedServices.set(key, id);
      out.services.push({
        id,
        organizationId,
        name: tpl.names.he,
        altNames: { ar: tpl.names.ar, en: tpl.names.en },
        description: tpl.description ?? "",
        category: tpl.category,
        phone: null,
        languages,
        eligibility: tpl.eligibility ?? "",
        fees: tpl.fees ?? "",
      });
      for (const [days, opens, closes, note] of tpl.hours ?? []) {
        for (const day of days) {
          out.schedules.push({
            id: newId(),
            locationId: null,
            serviceId: id,
            byDay: day,
            opensAt: opens,
            closesAt: closes,
            description: note ?? "",
          });
        }
      }
    }
    out.serviceAtLocations.push({ id: newId(), serviceId: id, locationId });
  };

  const used = new Set<string>();
  const unique = (pool: Names[], area: AssetArea): Names => {
    const free = pool.filter((p) => !used.has(p.he));
    if (free.length) {
      const pick = rng.pick(free);
      used.add(pick.he);
      return pick;
    }
    // Pool exhausted (large towns): the neighbourhood's name tells them apart.
    const base = rng.pick(pool);
    return n(
      `${base.he} — ${area.names.he}`,
      `${base.ar} — ${area.names.ar}`,
      `${base.en} (${area.names.en})`,
    );
  };

  let shelterNo = 0;
  const place = (
    area: AssetArea,
    type: string,
    names: Names,
    organizationId: string | null,
    extra: { capacity?: number; description?: string } = {},
  ) => {
    const street = rng.pick(area.streets);
    const house = rng.int(1, street.houses);
    const { lon, lat } = nearStreet(rng, street.line, house / street.houses, area);
    const id = newId();
    const languages = [...area.languages];
    out.locations.push({
      id,
      organizationId,
      name: names.he,
      altNames: { ar: names.ar, en: names.en },
      assetType: type,
      description: extra.description ?? "",
      streetId: street.id,
      houseNumber: String(house),
      address: "",
      communityId: area.communityId,
      lat,
      lon,
      capacity: extra.capacity ?? null,
      accessibility: rng.pick(ACCESSIBILITY),
      phone: type === "park" || type === "public_space" || type === "shelter" ? null : landline(),
      email: null,
      languages,
    });
    for (const [days, opens, closes, note] of HOURS[type] ?? []) {
      for (const day of days) {
        out.schedules.push({
          id: newId(),
          locationId: id,
          serviceId: null,
          byDay: day,
          opensAt: opens,
          closesAt: closes,
          description: note ?? "",
        });
      }
    }
    for (const tpl of SERVICES[type] ?? []) {
      if (tpl.shared || rng.chance(0.9)) serviceFor(tpl, organizationId, id, languages);
    }
    return id;
  };

  const times = (expected: number) => {
    const x = expected * density;
    return Math.floor(x) + (rng.chance(x - Math.floor(x)) ? 1 : 0);
  };
  const mostArab = [...town.areas].sort(
    (a, b) => cultureOf(b.origins).arab - cultureOf(a.origins).arab,
  )[0];

  town.areas.forEach((area, index) => {
    const c = cultureOf(area.origins);
    const amenities = area.amenities ?? 1;
    const a = area.names;
    const arabSide = () => rng.chance(c.arab);

    for (let i = 0; i < times(1.5 * amenities); i++) {
      place(
        area,
        "school",
        unique(arabSide() ? ARAB_SCHOOLS : HEBREW_SCHOOLS, area),
        orgs.education,
        {
          capacity: rng.int(30, 90) * 10,
        },
      );
    }
    for (let i = 0; i < times(4); i++) {
      place(
        area,
        "kindergarten",
        unique(arabSide() ? ARAB_KINDERGARTENS : HEBREW_KINDERGARTENS, area),
        orgs.education,
        { capacity: rng.int(25, 35) },
      );
    }
    place(
      area,
      "clinic",
      n(
        `מרפאת ${index % 2 ? "קופת חולים הצפון" : "קופת חולים הגליל"} — ${a.he}`,
        `عيادة ${index % 2 ? "صندوق المرضى الشمال" : "صندوق المرضى الجليل"} — ${a.ar}`,
        `${index % 2 ? "HaTzafon" : "HaGalil"} clinic, ${a.en}`,
      ),
      index % 2 ? orgs.fundB : orgs.fundA,
    );
    if (rng.chance(0.5 * density)) {
      place(
        area,
        "clinic",
        n(`טיפת חלב ${a.he}`, `محطة الأم والطفل ${a.ar}`, `${a.en} mother and child clinic`),
        orgs.health,
      );
    }
    if (index === 0 || rng.chance(0.7 * amenities * density)) {
      place(
        area,
        "community_center",
        n(`המרכז הקהילתי ${a.he}`, `المركز الجماهيري ${a.ar}`, `${a.en} Community Centre`),
        orgs.centres,
        { capacity: rng.int(20, 40) * 10 },
      );
    }
    for (let i = 0; i < times(c.jewish * 2.6); i++) {
      const beta = (area.origins.ethiopian ?? 0) > 20 && !used.has(BETA_ISRAEL_SYNAGOGUE.he);
      const names = beta ? BETA_ISRAEL_SYNAGOGUE : unique(SYNAGOGUES, area);
      used.add(names.he);
      place(area, "synagogue", names, orgs.religious, { capacity: rng.int(8, 30) * 10 });
    }
    for (let i = 0; i < times((c.arab - c.christian) * 2.8); i++) {
      place(area, "mosque", unique(MOSQUES, area), orgs.waqf, { capacity: rng.int(20, 80) * 10 });
    }
    if (c.christian >= 0.12)
      place(area, "church", unique(CHURCHES, area), orgs.church, {
        capacity: rng.int(15, 40) * 10,
      });
    for (let i = 0; i < times(4.5); i++) {
      shelterNo++;
      place(
        area,
        "shelter",
        n(`מקלט ציבורי ${shelterNo}`, `ملجأ عام ${shelterNo}`, `Public shelter ${shelterNo}`),
        orgs.municipality,
        { capacity: rng.int(4, 25) * 10 },
      );
    }
    place(
      area,
      "distribution_point",
      n(`נקודת חלוקה ${a.he}`, `نقطة توزيع ${a.ar}`, `${a.en} distribution point`),
      rng.chance(0.5) ? orgs.food : orgs.welfare,
      { capacity: rng.int(15, 40) * 10 },
    );
    if (index === 0) {
      place(
        area,
        "welfare_office",
        n(
          "המחלקה לשירותים חברתיים — לשכה ראשית",
          "قسم الخدمات الاجتماعية — المكتب الرئيسي",
          "Social services — main office",
        ),
        orgs.welfare,
      );
    } else if (area === mostArab || rng.chance(0.12 * density)) {
      place(
        area,
        "welfare_office",
        n(
          `המחלקה לשירותים חברתיים — סניף ${a.he}`,
          `قسم الخدمات الاجتماعية — فرع ${a.ar}`,
          `Social services — ${a.en} branch`,
        ),
        orgs.welfare,
      );
    }
    if (area.elderly >= 1 || rng.chance(0.5 * density)) {
      place(
        area,
        "elderly_club",
        n(`מועדון הוותיקים ${a.he}`, `نادي المسنين ${a.ar}`, `${a.en} Seniors' Club`),
        orgs.welfare,
        { capacity: rng.int(4, 9) * 10 },
      );
    }
    if (area.elderly >= 1.5) {
      place(
        area,
        "day_center",
        n(`מרכז יום לקשיש ${a.he}`, `مركز نهاري للمسنين ${a.ar}`, `${a.en} Day Centre`),
        orgs.welfare,
        {
          capacity: rng.int(6, 12) * 10,
        },
      );
    }
    if (rng.chance(0.8 * amenities * density)) {
      place(
        area,
        "youth_club",
        n(`מועדון הנוער ${a.he}`, `نادي الشبيبة ${a.ar}`, `${a.en} Youth Club`),
        orgs.centres,
      );
    }
    if (rng.chance(0.5 * amenities * density)) {
      place(
        area,
        "library",
        n(
          `הספרייה העירונית — סניף ${a.he}`,
          `المكتبة البلدية — فرع ${a.ar}`,
          `Municipal library, ${a.en} branch`,
        ),
        orgs.municipality,
      );
    }
    if (rng.chance(0.9 * amenities * density)) {
      place(
        area,
        "sports_facility",
        n(`אולם הספורט ${a.he}`, `القاعة الرياضية ${a.ar}`, `${a.en} Sports Hall`),
        orgs.municipality,
        {
          capacity: rng.int(30, 60) * 10,
        },
      );
    }
    for (let i = 0; i < times(1.5); i++)
      place(area, "park", unique(PARKS, area), orgs.municipality);
    place(
      area,
      "public_space",
      n(`כיכר ${a.he}`, `ساحة ${a.ar}`, `${a.en} Square`),
      orgs.municipality,
    );
    for (let i = 0; i < times(3.5); i++) {
      const origin = rng.weighted(area.origins);
      const family = rng.pick(NAME_POOLS[origin].surnames);
      const he = family.he.split("/")[0]!;
      const ar = (family.native || family.he).split("/")[0]!;
      const en = family.latin.split("/")[0]!;
      const kinds = [
        n(`מכולת ${he}`, `بقالة ${ar}`, `${en} Grocery`),
        n(`מאפיית ${he}`, `مخبز ${ar}`, `${en} Bakery`),
        n(`בית מרקחת ${a.he}`, `صيدلية ${a.ar}`, `${a.en} Pharmacy`),
        n(`ירקות ופירות ${he}`, `خضار وفواكه ${ar}`, `${en} Greengrocer`),
        n(`מספרת ${he}`, `صالون ${ar}`, `${en} Hair Salon`),
      ].filter((k) => !used.has(k.he));
      if (kinds.length === 0) continue;
      const kind = rng.pick(kinds);
      used.add(kind.he);
      place(area, "business", kind, null);
    }
    if (rng.chance(0.6 * density)) {
      const ngo = c.arab > 0.5 ? orgs.amal : rng.pick([orgs.yadBeyad, orgs.parents, orgs.olim]);
      const names = out.organizations.find((o) => o.id === ngo)!;
      place(
        area,
        "ngo",
        n(
          `${names.name} — ${a.he}`,
          `${names.altNames.ar} — ${a.ar}`,
          `${names.altNames.en}, ${a.en}`,
        ),
        ngo,
      );
    }
  });
  return out;
}

/** A point a few metres off a street, at fraction t of its length, inside the area's box. */
export function nearStreet(
  rng: Rng,
  line: LonLat[],
  t: number,
  area: { box: AreaSpec["box"] },
): { lon: number; lat: number } {
  const i = Math.min(line.length - 2, Math.floor(t * (line.length - 1)));
  const f = t * (line.length - 1) - i;
  const [x0, y0] = line[i]!;
  const [x1, y1] = line[i + 1]!;
  const side = rng.chance(0.5) ? 1 : -1;
  const len = Math.hypot(x1 - x0, y1 - y0) || 1;
  const off = 0.0001 + rng.next() * 0.00008;
  const b = area.box;
  const m = 0.00005;
  const lon = Math.min(
    b.east - m,
    Math.max(b.west + m, x0 + (x1 - x0) * f - ((y1 - y0) / len) * off * side),
  );
  const lat = Math.min(
    b.north - m,
    Math.max(b.south + m, y0 + (y1 - y0) * f + ((x1 - x0) / len) * off * side),
  );
  return { lon: Math.round(lon * 1e6) / 1e6, lat: Math.round(lat * 1e6) / 1e6 };
}
