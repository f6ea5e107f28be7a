/**
 * The demo department: a fictional mixed Jewish–Arab town in the north, "עין הדר"
 * (عين هدار, Ein Hadar), with six neighbourhoods. Names are invented; any
 * likeness to real people or places is chance.
 */

type Ring = [number, number][];

/** A rectangle as a closed GeoJSON ring (lon/lat). */
function box(west: number, south: number, east: number, north: number): Ring {
  return [
    [west, south],
    [east, south],
    [east, north],
    [west, north],
    [west, south],
  ];
}

// The town spans roughly 35.200–35.236 E, 32.700–32.724 N; six neighbourhoods on a 3×2 grid.
const W = 35.2;
const S = 32.7;
const DX = 0.012;
const DY = 0.012;
const cell = (col: number, row: number) =>
  box(W + col * DX, S + row * DY, W + (col + 1) * DX, S + (row + 1) * DY);

/** The demo department's name in Hebrew and in the other languages residents read. */
export const demoDepartment = {
  name: "המחלקה לשירותים חברתיים עין הדר",
  altNames: {
    ar: "قسم الخدمات الاجتماعية في عين هدار",
    en: "Ein Hadar Social Services Department",
    ru: "Отдел социальных служб Эйн-Хадар",
    am: "የዔይን ሃዳር የማኅበራዊ አገልግሎቶች ክፍል",
  },
};

export const demoTown = {
  name: "עין הדר",
  altNames: { ar: "عين هدار", en: "Ein Hadar", ru: "Эйн-Хадар", am: "ዔይን ሃዳር" },
  population: 31_400,
  languages: ["he", "ar", "ru", "am"],
  description: "עיר מעורבת בצפון: שכונות ותיקות, שכונות עולים ורובע ערבי ותיק סביב השוק.",
  boundary: { type: "Polygon" as const, coordinates: [box(W, S, W + 3 * DX, S + 2 * DY)] },
};

export const demoNeighbourhoods = [
  {
    key: "gefen",
    name: "שכונת הגפן",
    altNames: { ar: "حي الكرمة", en: "HaGefen", ru: "Ха-Гефен", am: "ሃገፈን" },
    population: 5200,
    languages: ["he", "ru"],
    description: "שכונה ותיקה, אוכלוסייה מבוגרת, מרכז קהילתי פעיל.",
    statAreaCode: "9870011",
    origins: { jewish: 58, russian: 36, arab_muslim: 4, english: 2 },
    elderly: 2.2,
    profile: {
      children: 0.17,
      over65: 0.27,
      over75Share: 0.46,
      householdSize: 2.3,
      immigrants: 0.38,
      cluster: 5,
    },
    streets: [
      ["רחוב הגפן", "شارع الكرمة", "HaGefen St."],
      ["רחוב התאנה", "شارع التينة", "HaTe'ena St."],
      ["רחוב הרימון", "شارع الرمان", "HaRimon St."],
      ["רחוב השקד", "شارع اللوز", "HaShaked St."],
      ["שדרות הנשיאים", "جادة الرؤساء", "HaNesi'im Blvd."],
      ["רחוב ויצמן", "شارع وايزمان", "Weizmann St."],
      ["רחוב הרצל", "شارع هرتسل", "Herzl St."],
    ],
    ring: cell(0, 0),
  },
  {
    key: "zeitim",
    name: "רמת הזיתים",
    altNames: { ar: "رمة الزيتون", en: "Ramat HaZeitim", ru: "Рамат-ха-Зейтим", am: "ራማት ሃዜይቲም" },
    population: 6100,
    languages: ["ar", "he"],
    description: "שכונה מעורבת על המדרון, משפחות צעירות.",
    statAreaCode: "9870012",
    origins: { arab_muslim: 46, arab_christian: 8, jewish: 40, russian: 6 },
    elderly: 0.7,
    profile: {
      children: 0.33,
      over65: 0.09,
      over75Share: 0.38,
      householdSize: 3.7,
      immigrants: 0.06,
      cluster: 5,
    },
    streets: [
      ["רחוב הזית", "شارع الزيتون", "HaZayit St."],
      ["רחוב האלון", "شارع البلوط", "HaAlon St."],
      ["רחוב הברוש", "شارع السرو", "HaBrosh St."],
      ["רחוב אל-כרמל", "شارع الكرمل", "Al-Karmel St."],
      ["רחוב התבור", "شارع طابور", "HaTavor St."],
      ["רחוב אבן סינא", "شارع ابن سينا", "Ibn Sina St."],
      ["רחוב הגליל", "شارع الجليل", "HaGalil St."],
    ],
    ring: cell(1, 0),
  },
  {
    key: "shuk",
    name: "השוק הישן",
    altNames: { ar: "السوق القديم", en: "Old Market", ru: "Старый рынок", am: "አሮጌው ገበያ" },
    population: 4800,
    languages: ["ar"],
    description: "הרובע הערבי הוותיק סביב השוק והמסגד הגדול.",
    statAreaCode: "9870013",
    origins: { arab_muslim: 78, arab_christian: 20, jewish: 2 },
    elderly: 1.1,
    profile: {
      children: 0.31,
      over65: 0.12,
      over75Share: 0.4,
      householdSize: 3.9,
      immigrants: 0.01,
      cluster: 3,
    },
    streets: [
      ["רחוב אל-ג'בל", "شارع الجبل", "Al-Jabal St."],
      ["רחוב השוק", "شارع السوق", "HaShuk St."],
      ["רחוב אל-ג'אמע", "شارع الجامع", "Al-Jami' St."],
      ["רחוב סלאח א-דין", "شارع صلاح الدين", "Salah a-Din St."],
      ["רחוב אל-עין", "شارع العين", "Al-Ein St."],
      ["רחוב אל-בוסתאן", "شارع البستان", "Al-Bustan St."],
      ["רחוב אל-חמאם", "شارع الحمّام", "Al-Hammam St."],
    ],
    ring: cell(2, 0),
  },
  {
    key: "shalom",
    name: "נווה שלום",
    altNames: { ar: "نفيه شالوم", en: "Neve Shalom", ru: "Неве-Шалом", am: "ነቬ ሻሎም" },
    population: 5600,
    languages: ["he", "am", "ru"],
    description: "שכונת עולים מאתיופיה ומחבר המדינות, דיור ציבורי.",
    statAreaCode: "9870014",
    origins: { ethiopian: 44, russian: 32, jewish: 24 },
    elderly: 1,
    profile: {
      children: 0.3,
      over65: 0.13,
      over75Share: 0.42,
      householdSize: 3.4,
      immigrants: 0.61,
      cluster: 3,
    },
    streets: [
      ["רחוב ישעיהו", "شارع يشعياهو", "Yeshayahu St."],
      ["רחוב ירמיהו", "شارع يرمياهو", "Yirmeyahu St."],
      ["רחוב יחזקאל", "شارع يحزقيئيل", "Yehezkel St."],
      ["רחוב עמוס", "شارع عاموس", "Amos St."],
      ["רחוב הדקל", "شارع النخيل", "HaDekel St."],
      ["רחוב העלייה", "شارع الهجرة", "HaAliya St."],
      ["רחוב ירושלים", "شارع القدس", "Yerushalayim St."],
    ],
    ring: cell(0, 1),
  },
  {
    key: "nur",
    name: "אל-נור",
    altNames: { ar: "النور", en: "Al-Nur", ru: "Аль-Нур", am: "አል-ኑር" },
    population: 4300,
    languages: ["ar"],
    description: "שכונה חדשה, מחסור במבני ציבור.",
    statAreaCode: "9870015",
    origins: { arab_muslim: 92, arab_christian: 8 },
    elderly: 0.5,
    profile: {
      children: 0.38,
      over65: 0.06,
      over75Share: 0.35,
      householdSize: 4.3,
      immigrants: 0,
      cluster: 4,
    },
    streets: [
      ["רחוב אל-ורוד", "شارع الورود", "Al-Wurud St."],
      ["רחוב אל-יאסמין", "شارع الياسمين", "Al-Yasmin St."],
      ["רחוב מחמוד דרוויש", "شارع محمود درويش", "Mahmoud Darwish St."],
      ["רחוב אל-אמל", "شارع الأمل", "Al-Amal St."],
      ["רחוב אל-סלאם", "شارع السلام", "Al-Salam St."],
      ["רחוב אל-רביע", "شارع الربيع", "Al-Rabi' St."],
    ],
    ring: cell(1, 1),
  },
  {
    key: "rakevet",
    name: "שכונת הרכבת",
    altNames: { ar: "حي المحطة", en: "HaRakevet", ru: "Ха-Ракевет", am: "ሃራኬቬት" },
    population: 5400,
    languages: ["he", "ar", "en"],
    description: "אזור התחנה, בנייה חדשה לצד מבנים ותיקים.",
    statAreaCode: "9870016",
    origins: { jewish: 44, arab_muslim: 26, arab_christian: 6, russian: 12, english: 12 },
    elderly: 0.8,
    profile: {
      children: 0.26,
      over65: 0.11,
      over75Share: 0.4,
      householdSize: 3,
      immigrants: 0.2,
      cluster: 6,
    },
    streets: [
      ["רחוב התחנה", "شارع المحطة", "HaTahana St."],
      ["דרך הרכבת", "طريق القطار", "Derekh HaRakevet"],
      ["רחוב המסילה", "شارع السكة", "HaMesila St."],
      ["רחוב התעשייה", "شارع الصناعة", "HaTa'asiya St."],
      ["רחוב הנרקיס", "شارع النرجس", "HaNarkis St."],
      ["רחוב הכלנית", "شارع شقائق النعمان", "HaKalanit St."],
      ["רחוב ז'בוטינסקי", "شارع جابوتنسكي", "Jabotinsky St."],
    ],
    ring: cell(2, 1),
  },
] as const;

export const demoFunctionalCommunities = [
  {
    name: "אזרחים ותיקים החיים לבד",
    altNames: { ar: "كبار السن الذين يعيشون بمفردهم", en: "Older people living alone" },
    membershipCriteria: "גיל 75 ומעלה, גר/ה לבד",
    languages: ["he", "ar", "ru"],
  },
  {
    name: "יוצאי אתיופיה",
    altNames: { ar: "القادمون من إثيوبيا", en: "Ethiopian-Israeli community" },
    membershipCriteria: "עולים מאתיופיה ובני משפחותיהם",
    languages: ["am", "he"],
  },
  {
    name: "הורים לילדים עם מוגבלות",
    altNames: { ar: "أهالي أطفال ذوي إعاقة", en: "Parents of children with disabilities" },
    membershipCriteria: "הורים לילדים עם מוגבלות המתגוררים בעיר",
    languages: ["he", "ar"],
  },
] as const;

export const DEMO_DOMAIN = "demo.kaveret.test";

export const demoPeople = [
  {
    key: "manager",
    role: "manager",
    name: "מיכל לוי",
    email: `manager@${DEMO_DOMAIN}`,
    locale: "he",
  },
  {
    key: "worker",
    role: "community_worker",
    name: "סמאח חורי",
    email: `worker@${DEMO_DOMAIN}`,
    locale: "ar",
  },
  {
    key: "social",
    role: "social_worker",
    name: "יוסי אברהם",
    email: `social@${DEMO_DOMAIN}`,
    locale: "he",
  },
  {
    key: "trainer",
    role: "trainer",
    name: "רונית כהן",
    email: `trainer@${DEMO_DOMAIN}`,
    locale: "he",
  },
  {
    key: "activist",
    role: "activist",
    name: "אחמד מסארווה",
    email: `activist@${DEMO_DOMAIN}`,
    locale: "ar",
  },
  {
    key: "volunteer",
    role: "volunteer",
    name: "אלנה פטרוב",
    email: `volunteer@${DEMO_DOMAIN}`,
    locale: "he",
  },
  {
    key: "partner",
    role: "partner",
    name: "עמותת יד ביד",
    email: `partner@${DEMO_DOMAIN}`,
    locale: "he",
  },
  {
    key: "district",
    role: "district",
    name: "דני שמש",
    email: `district@${DEMO_DOMAIN}`,
    locale: "he",
  },
  {
    key: "ministry",
    role: "ministry",
    name: "נועה ברק",
    email: `ministry@${DEMO_DOMAIN}`,
    locale: "he",
  },
] as const;

export const demoResident = {
  name: "טגיסט מלסה",
  email: `resident@${DEMO_DOMAIN}`,
  phoneNumber: "+972501234567",
  locale: "he",
};

/** The street cluster inside נווה שלום and its large public-housing building. */
export const demoStreetCluster = {
  neighbourhood: "shalom",
  streets: ["רחוב ישעיהו", "רחוב ירמיהו", "רחוב יחזקאל", "רחוב עמוס"],
  building: { street: "רחוב ישעיהו", houseNumber: 12, share: 0.5 },
} as const;

type DemoContact = { name: string; role: string; phone?: string; email?: string };

/** Notes and key contacts of a few communities (by neighbourhood key, or "cluster"/"building"/"olderAlone"). */
export const demoCommunityNotes: Record<string, { notes: string; keyContacts: DemoContact[] }> = {
  gefen: {
    notes:
      "ועד השכונה נפגש ביום שני הראשון בכל חודש במרכז הקהילתי. לפני החגים מתאמים ביקורי בית אצל ותיקים החיים לבד.",
    keyContacts: [
      { name: "שושנה אלמוג", role: "מנהלת המרכז הקהילתי", phone: "+97246123401" },
      { name: "בוריס קוגן", role: 'יו"ר ועד השכונה', phone: "+972528812340" },
    ],
  },
  shuk: {
    notes:
      "סוחרי השוק מארגנים חלוקת מזון ברמדאן. אימאם המסגד הגדול שותף לפעילות עם הצעירים; ועד הכנסייה פעיל בחלוקה לקשישים.",
    keyContacts: [
      { name: "השייח' מחמוד טאהא", role: "אימאם המסגד הגדול", phone: "+972546203311" },
      { name: "ג'ורג' חדאד", role: 'יו"ר ועד סוחרי השוק', phone: "+972502277140" },
      {
        name: "מנאל ח'טיב",
        role: "מנהלת בית ספר",
        email: "manal.school@ein-hadar.example.org",
      },
    ],
  },
  shalom: {
    notes:
      "רוב הדירות בדיור ציבורי. הקס הוא דמות מפתח בקהילת יוצאי אתיופיה — כדאי לתאם איתו אירועים ופניות בעת חירום.",
    keyContacts: [
      { name: "הקס אדמסו ברהנו", role: "קס הקהילה", phone: "+972527410062" },
      { name: "טטיאנה ליפשיץ", role: 'יו"ר ועד הדיירים', phone: "+972533390871" },
    ],
  },
  nur: {
    notes:
      "אין בשכונה מבנה ציבור לפעילות קהילתית; הפעילות מתקיימת אחר הצהריים בבית הספר. בקשה למבנה הוגשה לעירייה.",
    keyContacts: [{ name: "סמאח ג'בארין", role: "מנהלת בית הספר", phone: "+972549980213" }],
  },
  building: {
    notes:
      "בניין דיור ציבורי בן 8 קומות; המעלית מתקלקלת לעיתים קרובות — חשוב לדעת מי לא יכול/ה לרדת במדרגות.",
    keyContacts: [{ name: "אלמז טקלה", role: "נציגת ועד הבית", phone: "+972586612034" }],
  },
  olderAlone: {
    notes: "רשימת החיוג לשעת חירום מתעדכנת פעם ברבעון, עם המתנדבים של עמותת יד ביד.",
    keyContacts: [],
  },
};

/** The demo activist's community (they see consenting residents' names and phones there). */
export const DEMO_ACTIVIST_COMMUNITY = "shuk";
/** How many residents the demo town has on record (of its 31,400 people). */
export const DEMO_RESIDENTS = 2000;
/** Ages and birth years of the demo residents are counted from this year. */
export const DEMO_REFERENCE_YEAR = 2026;
