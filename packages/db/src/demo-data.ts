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

export const demoTown = {
  name: "עין הדר",
  altNames: { ar: "عين هدار", en: "Ein Hadar" },
  population: 31_400,
  languages: ["he", "ar", "ru", "am"],
  description: "עיר מעורבת בצפון: שכונות ותיקות, שכונות עולים ורובע ערבי ותיק סביב השוק.",
  boundary: { type: "Polygon" as const, coordinates: [box(W, S, W + 3 * DX, S + 2 * DY)] },
};

export const demoNeighbourhoods = [
  {
    key: "gefen",
    name: "שכונת הגפן",
    altNames: { ar: "حي الكرمة", en: "HaGefen" },
    population: 5200,
    languages: ["he", "ru"],
    description: "שכונה ותיקה, אוכלוסייה מבוגרת, מרכז קהילתי פעיל.",
    ring: cell(0, 0),
  },
  {
    key: "zeitim",
    name: "רמת הזיתים",
    altNames: { ar: "رمة الزيتون", en: "Ramat HaZeitim" },
    population: 6100,
    languages: ["ar", "he"],
    description: "שכונה מעורבת על המדרון, משפחות צעירות.",
    ring: cell(1, 0),
  },
  {
    key: "shuk",
    name: "השוק הישן",
    altNames: { ar: "السوق القديم", en: "Old Market" },
    population: 4800,
    languages: ["ar"],
    description: "הרובע הערבי הוותיק סביב השוק והמסגד הגדול.",
    ring: cell(2, 0),
  },
  {
    key: "shalom",
    name: "נווה שלום",
    altNames: { ar: "نفيه شالوم", en: "Neve Shalom" },
    population: 5600,
    languages: ["he", "am", "ru"],
    description: "שכונת עולים מאתיופיה ומחבר המדינות, דיור ציבורי.",
    ring: cell(0, 1),
  },
  {
    key: "nur",
    name: "אל-נור",
    altNames: { ar: "النور", en: "Al-Nur" },
    population: 4300,
    languages: ["ar"],
    description: "שכונה חדשה, מחסור במבני ציבור.",
    ring: cell(1, 1),
  },
  {
    key: "rakevet",
    name: "שכונת הרכבת",
    altNames: { ar: "حي المحطة", en: "HaRakevet" },
    population: 5400,
    languages: ["he", "ar", "en"],
    description: "אזור התחנה, בנייה חדשה לצד מבנים ותיקים.",
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
