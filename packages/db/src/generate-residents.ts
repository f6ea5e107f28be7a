import { withIsraeliIdCheckDigit } from "@kaveret/contracts";
import { createRng, type Rng } from "./demo-random.ts";
import { NAME_POOLS, surnameFor, type NameForm, type Origin } from "./demo-names.ts";

/**
 * The people of the demo town and of the scale generator: households of 1–6 with
 * names by community of origin, ages, languages, phones, addresses with a point
 * near the street, vulnerability flags at plausible rates, consents with their
 * history, community roles and memberships. Pure and deterministic (a seeded
 * generator): the same seed and areas give the same people. Writing them is
 * `generate-writer.ts`'s job.
 */

export type LonLat = [number, number];
export type Box = { west: number; south: number; east: number; north: number };

export type StreetSpec = {
  id: string;
  /** The street's line (lon/lat), inside its area's box. */
  line: LonLat[];
  /** Highest house number. */
  houses: number;
  /** Home community of addresses on this street when smaller than the area (a street cluster). */
  homeCommunityId?: string;
  /** A large building on the street: the share of the street's households living there. */
  building?: { houseNumber: number; share: number; communityId: string };
};

export type AreaSpec = {
  key: string;
  /** The neighbourhood (home community of its plain addresses). */
  communityId: string;
  box: Box;
  /** Relative number of households (e.g. the population). */
  weight: number;
  /** Relative shares of origins (names, languages, household sizes). */
  origins: Partial<Record<Origin, number>>;
  /** Multiplier of older households (1 = the town's average). */
  elderly: number;
  streets: StreetSpec[];
};

export type FunctionalCommunityIds = {
  /** Older people living alone: residents 75+ flagged lives_alone. */
  olderAlone?: string;
  /** Ethiopian-Israeli community. */
  ethiopian?: string;
  /** Parents of children with disabilities. */
  parentsDisability?: string;
};

export type ConsentEvent = {
  purpose: string;
  granted: boolean;
  method: string;
  note: string;
  recordedAt: Date;
};

export type GeneratedResident = {
  id: string;
  householdId: string;
  origin: Origin;
  firstName: string;
  lastName: string;
  otherNames: string;
  phone: string | null;
  email: string | null;
  birthYear: number;
  gender: "female" | "male";
  streetId: string;
  houseNumber: string;
  apartment: string | null;
  lat: number;
  lon: number;
  homeCommunityId: string;
  languages: string[];
  householdRole: "head" | "partner" | "child" | "parent" | "other";
  communityRoles: string[];
  skills: string[];
  flags: string[];
  healthNotes: string | null;
  idNumber: string | null;
  /** Purposes consented to now (the last event of each purpose granted). */
  consents: string[];
  consentEvents: ConsentEvent[];
  communities: { communityId: string; source: "address" | "manual" }[];
  notes: string;
  /** When the record was made (consent events come after it). */
  createdAt: Date;
  /** The resident's own login, if any. */
  userId: string | null;
};

export type GeneratedHousehold = { id: string; label: string };
export type GeneratedBatch = { households: GeneratedHousehold[]; residents: GeneratedResident[] };

export type ResidentGeneratorOptions = {
  seed: string;
  areas: AreaSpec[];
  functional?: FunctionalCommunityIds;
  /** The year ages are counted from (age_75_plus follows from it). */
  referenceYear: number;
  /** Consent events are dated before this moment. */
  now: Date;
  /** Share of residents who get a near-duplicate record (same phone, or a typo at the same address). */
  duplicateRate?: number;
  /** Share of adults with a community role (leader, activist, volunteer). */
  roleRate?: number;
  /** Ids; the default is crypto.randomUUID. */
  newId?: () => string;
  /** Phone numbers never handed out (e.g. a demo login's). */
  reservedPhones?: string[];
  /**
   * Phone and ID numbers come from a permutation of a counter, so they never repeat.
   * Generators sharing `seed` and using disjoint ranges from `start` (e.g. one per town)
   * never repeat each other's either.
   */
  numbers?: { seed: string; start: number };
};

export type ResidentGenerator = {
  /** The next households, at least `minResidents` people (a household is never split). */
  batch(minResidents: number): GeneratedBatch;
  /** How many residents were generated so far. */
  readonly count: number;
};

/* ---------------------------------------------------------------- vocabularies */

const SKILLS = [
  "בישול",
  "נהיגה",
  "עזרה ראשונה",
  "מחשבים",
  "שיעורי עזר",
  "ליווי ותיקים",
  "תיקונים בבית",
  "גינון",
  "הסעות",
  "מוזיקה",
  "ספורט",
  "חלוקת מזון",
  "ארגון אירועים",
  "צילום",
  "הנחיית קבוצות",
  "סריגה ותפירה",
];
const TRANSLATION_SKILL: Record<string, string> = {
  am: "תרגום לאמהרית",
  ar: "תרגום לערבית",
  ru: "תרגום לרוסית",
  en: "תרגום לאנגלית",
};
const HEALTH_NOTES = [
  "סוכרת, מטופל/ת באינסולין",
  "זקוק/ה לחמצן בבית — חשוב בהפסקת חשמל",
  "דיאליזה שלוש פעמים בשבוע",
  "אחרי אירוע מוחי, מתקשה בהליכה",
  "ליקוי ראייה קשה",
  "כיסא גלגלים; קומה שלישית ללא מעלית",
  "מחלת לב, נוטל/ת מדללי דם",
  "דמנציה בשלב מוקדם — בן/בת משפחה מלווה",
  "ליקוי שמיעה — עדיף קשר בהודעות כתובות",
  "אפילפסיה, טיפול תרופתי קבוע",
];
const WITHDRAWAL_NOTES = [
  "ביקש/ה בשיחה להסיר",
  "לא מעוניין/ת יותר",
  "",
  "בקשת בן/בת המשפחה, בתיאום עם התושב/ת",
];
const CONSENT_RATES: Record<string, number> = {
  listed_to_activists: 0.35,
  contact_for_activities: 0.45,
  emergency_contact: 0.6,
  shared_with_partner: 0.12,
};
const GRANT_METHODS = { in_person: 40, phone: 25, written_form: 25, online_self: 10 };
const WITHDRAW_METHODS = { phone: 50, in_person: 30, online_self: 20 };
const MOBILE_PREFIXES = ["50", "52", "53", "54", "55", "58"];
const EMAIL_DOMAINS = ["example.com", "example.net", "example.org"];

type HouseholdType =
  | "elderly_alone"
  | "elderly_couple"
  | "single_adult"
  | "young_couple"
  | "family"
  | "single_parent"
  | "extended";

/** Household types by origin (relative weights); older types are scaled by the area. */
const HOUSEHOLD_WEIGHTS: Record<Origin, Record<HouseholdType, number>> = {
  jewish: {
    elderly_alone: 11,
    elderly_couple: 10,
    single_adult: 11,
    young_couple: 8,
    family: 42,
    single_parent: 6,
    extended: 2,
  },
  russian: {
    elderly_alone: 15,
    elderly_couple: 12,
    single_adult: 9,
    young_couple: 6,
    family: 38,
    single_parent: 8,
    extended: 5,
  },
  arab_muslim: {
    elderly_alone: 4,
    elderly_couple: 8,
    single_adult: 4,
    young_couple: 7,
    family: 58,
    single_parent: 5,
    extended: 10,
  },
  arab_christian: {
    elderly_alone: 7,
    elderly_couple: 10,
    single_adult: 6,
    young_couple: 7,
    family: 52,
    single_parent: 5,
    extended: 6,
  },
  ethiopian: {
    elderly_alone: 8,
    elderly_couple: 7,
    single_adult: 6,
    young_couple: 5,
    family: 50,
    single_parent: 14,
    extended: 10,
  },
  english: {
    elderly_alone: 6,
    elderly_couple: 10,
    single_adult: 10,
    young_couple: 12,
    family: 52,
    single_parent: 4,
    extended: 2,
  },
};
const MAX_CHILDREN: Record<Origin, number> = {
  jewish: 3,
  russian: 2,
  arab_muslim: 4,
  arab_christian: 3,
  ethiopian: 4,
  english: 4,
};

/* ---------------------------------------------------------------- helpers */

/** A unique number per index: a bijection of [0, modulus) (multiplier coprime to the modulus). */
function permute(index: number, multiplier: number, offset: number, modulus: number): number {
  return Number((BigInt(index) * BigInt(multiplier) + BigInt(offset)) % BigInt(modulus));
}

function pointAlong(line: LonLat[], t: number): { at: LonLat; dir: LonLat } {
  const lengths: number[] = [];
  let total = 0;
  for (let i = 1; i < line.length; i++) {
    const [x0, y0] = line[i - 1]!;
    const [x1, y1] = line[i]!;
    const l = Math.hypot(x1 - x0, y1 - y0);
    lengths.push(l);
    total += l;
  }
  let d = t * total;
  for (let i = 1; i < line.length; i++) {
    const l = lengths[i - 1]!;
    if (d <= l || i === line.length - 1) {
      const [x0, y0] = line[i - 1]!;
      const [x1, y1] = line[i]!;
      const f = l === 0 ? 0 : Math.min(1, d / l);
      return { at: [x0 + (x1 - x0) * f, y0 + (y1 - y0) * f], dir: [(x1 - x0) / l, (y1 - y0) / l] };
    }
    d -= l;
  }
  return { at: line[0]!, dir: [1, 0] };
}

const latinSlug = (s: string) => s.toLowerCase().replace(/[^a-z]/g, "");

/* ---------------------------------------------------------------- the generator */

export function createResidentGenerator(options: ResidentGeneratorOptions): ResidentGenerator {
  const rng = createRng(options.seed);
  const newId = options.newId ?? (() => crypto.randomUUID());
  const year = options.referenceYear;
  const now = options.now.getTime();
  const duplicateRate = options.duplicateRate ?? 0;
  const roleRate = options.roleRate ?? 0.03;
  const functional = options.functional ?? {};
  const reserved = new Set(options.reservedPhones ?? []);
  const areaWeights = Object.fromEntries(options.areas.map((a, i) => [String(i), a.weight]));
  // Unique phone numbers and ID numbers from counters (random ones would collide at scale).
  const numbers = options.numbers ?? { seed: options.seed, start: 0 };
  const numberRng = createRng(`numbers:${numbers.seed}`);
  const phoneMul = 7_919_003; // coprime to 6·10^7
  const phoneOffset = numberRng.int(0, 59_999_999);
  const idMul = 48_271_009; // coprime to 4·10^7
  const idOffset = numberRng.int(0, 39_999_999);
  let phoneIndex = numbers.start;
  let idIndex = numbers.start;
  let count = 0;

  const nextMobile = (): string => {
    for (;;) {
      const v = permute(phoneIndex++, phoneMul, phoneOffset, 60_000_000);
      const phone = `+972${MOBILE_PREFIXES[Math.floor(v / 10_000_000)]}${String(v % 10_000_000).padStart(7, "0")}`;
      if (!reserved.has(phone)) return phone;
    }
  };
  // Landlines in the north (04): older people often have one only.
  const nextLandline = (): string => {
    const v = permute(phoneIndex++, phoneMul, phoneOffset, 60_000_000) % 8_000_000;
    return `+9724${2_000_000 + v}`;
  };
  const nextIdNumber = (): string => {
    // Nine digits, 1xxxxxxxx–4xxxxxxxx, the last a valid check digit.
    const v = permute(idIndex++, idMul, idOffset, 40_000_000) + 10_000_000;
    return withIsraeliIdCheckDigit(String(v).padStart(8, "0"));
  };

  const daysAgo = (min: number, max: number) =>
    new Date(now - rng.int(min * 24 * 60, max * 24 * 60) * 60_000);

  type Person = {
    gender: "female" | "male";
    age: number;
    role: GeneratedResident["householdRole"];
    first: NameForm;
    last: NameForm;
    hebrewNamed: boolean;
  };

  function firstNameFor(origin: Origin, gender: "female" | "male", age: number) {
    // Children of immigrants born here often have Hebrew names.
    const israeliBorn =
      (origin === "russian" && age < 30 && rng.chance(0.45)) ||
      (origin === "ethiopian" && age < 35 && rng.chance(0.5)) ||
      (origin === "english" && age < 18 && rng.chance(0.5));
    const pools = NAME_POOLS[israeliBorn ? "jewish" : origin];
    return {
      first: rng.pick(gender === "female" ? pools.female : pools.male),
      hebrewNamed: israeliBorn,
    };
  }

  function languagesOf(origin: Origin, age: number): string[] {
    const old = age >= 65;
    const child = age < 18;
    switch (origin) {
      case "jewish":
        return !child && age < 60 && rng.chance(0.15) ? ["he", "en"] : ["he"];
      case "english":
        if (child) return ["he", "en"];
        return old && rng.chance(0.5) ? ["en"] : ["en", "he"];
      case "russian":
        if (child) return rng.chance(0.6) ? ["he", "ru"] : ["he"];
        if (old) return rng.chance(0.6) ? ["ru"] : ["ru", "he"];
        return rng.chance(0.85) ? ["ru", "he"] : ["ru"];
      case "ethiopian":
        if (child) return rng.chance(0.3) ? ["he", "am"] : ["he"];
        if (old) return rng.chance(0.65) ? ["am"] : ["am", "he"];
        return rng.chance(0.85) ? ["he", "am"] : ["am"];
      case "arab_muslim":
      case "arab_christian": {
        if (age < 6) return ["ar"];
        if (child) return rng.chance(0.6) ? ["ar", "he"] : ["ar"];
        if (old) return rng.chance(0.55) ? ["ar"] : ["ar", "he"];
        const langs = rng.chance(0.85) ? ["ar", "he"] : ["ar"];
        if (age < 40 && rng.chance(0.1)) langs.push("en");
        return langs;
      }
    }
  }

  function otherNamesOf(
    origin: Origin,
    p: Person,
    arabicScript: boolean,
  ): { firstName: string; lastName: string; otherNames: string } {
    const latin = `${p.first.latin} ${p.last.latin}`;
    switch (origin) {
      case "arab_muslim":
      case "arab_christian":
        // Recorded in Arabic or in Hebrew letters; the other script and Latin in other names.
        return arabicScript
          ? {
              firstName: p.first.native,
              lastName: p.last.native,
              otherNames: `${p.first.he} ${p.last.he} ${latin}`,
            }
          : {
              firstName: p.first.he,
              lastName: p.last.he,
              otherNames: rng.chance(0.85) ? `${p.first.native} ${p.last.native} ${latin}` : "",
            };
      case "russian": {
        const cyrillicFirst = p.hebrewNamed ? "" : p.first.native;
        const cyrillic = cyrillicFirst ? `${cyrillicFirst} ${p.last.native} ` : "";
        return {
          firstName: p.first.he,
          lastName: p.last.he,
          otherNames: p.hebrewNamed
            ? rng.chance(0.3)
              ? latin
              : ""
            : rng.chance(0.9)
              ? `${cyrillic}${latin}`
              : "",
        };
      }
      case "ethiopian":
        return {
          firstName: p.first.he,
          lastName: p.last.he,
          otherNames: rng.chance(p.hebrewNamed ? 0.3 : 0.85) ? latin : "",
        };
      case "english":
        return { firstName: p.first.he, lastName: p.last.he, otherNames: latin };
      case "jewish":
        return {
          firstName: p.first.he,
          lastName: p.last.he,
          otherNames: rng.chance(0.35) ? latin : "",
        };
    }
  }

  function compose(origin: Origin, type: HouseholdType): Person[] {
    const pools = NAME_POOLS[origin];
    const familyName = rng.pick(pools.surnames);
    const people: Person[] = [];
    const adult = (gender: "female" | "male", age: number, role: Person["role"], own?: boolean) => {
      const { first, hebrewNamed } = firstNameFor(origin, gender, age);
      // Spouses sometimes keep their own family name (Russian ones take the feminine form).
      const last = surnameFor(own ? rng.pick(pools.surnames) : familyName, gender);
      people.push({ gender, age: Math.round(age), role, first, last, hebrewNamed });
    };
    const keepsName = origin.startsWith("arab") ? 0.25 : 0.1;
    const children = (motherAge: number, n: number, lastFrom: NameForm) => {
      // Born when the mother was 20–42; grown-up children (over 26) have left home.
      const oldest = Math.min(26, Math.round(motherAge) - 20);
      const youngest = Math.max(0, Math.round(motherAge) - 42);
      for (let i = 0; i < n; i++) {
        if (oldest < youngest) break;
        const age = rng.int(youngest, oldest);
        const gender = rng.chance(0.5) ? "female" : "male";
        const { first, hebrewNamed } = firstNameFor(origin, gender, age);
        people.push({
          gender,
          age,
          role: "child",
          first,
          last: surnameFor(lastFrom, gender),
          hebrewNamed,
        });
      }
    };
    switch (type) {
      case "elderly_alone":
        adult(rng.chance(0.7) ? "female" : "male", rng.normal(80, 6.5, 68, 99), "head");
        break;
      case "elderly_couple": {
        const age = rng.normal(75, 6, 65, 94);
        adult("male", age + rng.int(0, 4), "head");
        adult("female", age - rng.int(0, 3), "partner", rng.chance(keepsName));
        break;
      }
      case "single_adult":
        adult(rng.chance(0.5) ? "female" : "male", rng.normal(38, 12, 19, 64), "head");
        break;
      case "young_couple": {
        const age = rng.normal(29, 4, 21, 40);
        adult("male", age + rng.int(0, 3), "head");
        adult("female", age, "partner", rng.chance(keepsName));
        break;
      }
      case "family": {
        const age = rng.normal(40, 7, 25, 58);
        adult("male", age + rng.int(0, 4), "head");
        adult("female", age, "partner", rng.chance(keepsName));
        children(age, rng.int(1, MAX_CHILDREN[origin]), familyName);
        break;
      }
      case "single_parent": {
        const gender = rng.chance(0.85) ? "female" : "male";
        const age = rng.normal(37, 7, 22, 55);
        adult(gender, age, "head");
        children(age, rng.int(1, Math.min(3, MAX_CHILDREN[origin])), people[0]!.last);
        break;
      }
      case "extended": {
        const age = rng.normal(38, 6, 25, 52);
        adult("male", age + rng.int(0, 4), "head");
        adult("female", age, "partner", rng.chance(keepsName));
        children(age, rng.int(1, 3), familyName);
        adult(rng.chance(0.7) ? "female" : "male", age + rng.int(24, 36), "parent", true);
        break;
      }
    }
    return people.slice(0, 6);
  }

  function flagsOf(
    origin: Origin,
    p: Person,
    languages: string[],
    size: number,
    lowIncome: boolean,
    singleParent: boolean,
  ) {
    const flags: string[] = [];
    const { age } = p;
    if (size === 1) flags.push("lives_alone");
    if (age >= 75) flags.push("age_75_plus");
    if (rng.chance(age >= 75 ? 0.18 : age >= 65 ? 0.1 : age < 18 ? 0.035 : 0.05))
      flags.push("disability");
    if (rng.chance(age >= 65 ? 0.32 : age >= 40 ? 0.1 : age >= 18 ? 0.03 : 0.01))
      flags.push("chronic_illness");
    if (rng.chance(age >= 75 ? 0.22 : age >= 65 ? 0.06 : 0.01)) flags.push("mobility_limited");
    if (age >= 14 && rng.chance(age >= 75 ? 0.42 : age >= 65 ? 0.15 : 0.02))
      flags.push("no_smartphone");
    if (age >= 18 && !languages.includes("he") && rng.chance(0.85)) flags.push("needs_interpreter");
    if (singleParent && p.role === "head") flags.push("single_parent");
    if (lowIncome && (p.role === "head" || p.role === "partner")) flags.push("low_income");
    if ((origin === "jewish" || origin === "russian") && year - age <= 1945 && rng.chance(0.4))
      flags.push("holocaust_survivor");
    return flags;
  }

  function consentsOf(age: number, createdAt: Date) {
    const events: ConsentEvent[] = [];
    const current: string[] = [];
    if (age < 18) return { events, current };
    const since = createdAt.getTime();
    for (const [purpose, rate] of Object.entries(CONSENT_RATES)) {
      const granted = rng.chance(rate);
      const withdrawn = !granted && rng.chance(0.06);
      if (!granted && !withdrawn) continue;
      // Most consents are recorded when the record is made, some later.
      const later = rng.chance(0.7) ? 0 : rng.next() * 0.6 * (now - since);
      const at = new Date(since + later + rng.int(0, 3_600_000));
      events.push({
        purpose,
        granted: true,
        method: rng.weighted(GRANT_METHODS),
        note: "",
        recordedAt: at,
      });
      if (withdrawn) {
        events.push({
          purpose,
          granted: false,
          method: rng.weighted(WITHDRAW_METHODS),
          note: rng.pick(WITHDRAWAL_NOTES),
          recordedAt: new Date(at.getTime() + rng.next() * 0.9 * (now - at.getTime())),
        });
      } else current.push(purpose);
    }
    return { events, current: current.sort() };
  }

  function address(area: AreaSpec) {
    const street = rng.pick(area.streets);
    let house = rng.int(1, street.houses);
    let home = street.homeCommunityId ?? area.communityId;
    if (street.building && rng.chance(street.building.share)) {
      house = street.building.houseNumber;
      home = street.building.communityId;
    }
    const apartment = rng.chance(0.65) ? String(rng.int(1, 16)) : null;
    // Odd numbers on one side of the street, even on the other, a few metres off its line.
    const { at, dir } = pointAlong(street.line, (house - 0.5) / street.houses);
    const side = house % 2 ? 1 : -1;
    const off = 0.00009 + rng.next() * 0.00006;
    const jitter = (rng.next() - 0.5) * 0.00004;
    const b = area.box;
    const margin = 0.00005;
    const lon = Math.min(
      b.east - margin,
      Math.max(b.west + margin, at[0] - dir[1] * off * side + jitter),
    );
    const lat = Math.min(
      b.north - margin,
      Math.max(b.south + margin, at[1] + dir[0] * off * side + jitter),
    );
    return {
      streetId: street.id,
      houseNumber: String(house),
      apartment,
      lat: Math.round(lat * 1e6) / 1e6,
      lon: Math.round(lon * 1e6) / 1e6,
      home,
    };
  }

  function household(): GeneratedBatch {
    const area = options.areas[Number(rng.weighted(areaWeights))]!;
    const origin = rng.weighted(area.origins);
    const weights = { ...HOUSEHOLD_WEIGHTS[origin] };
    weights.elderly_alone *= area.elderly;
    weights.elderly_couple *= area.elderly;
    const type = rng.weighted(weights);
    const people = compose(origin, type);
    const hh: GeneratedHousehold = { id: newId(), label: `משפחת ${people[0]!.last.he}` };
    const where = address(area);
    const arabicScript = rng.chance(0.35);
    const lowIncome = rng.chance(
      origin.startsWith("arab") || origin === "ethiopian"
        ? 0.22
        : type === "single_parent"
          ? 0.3
          : 0.1,
    );
    const singleParent = type === "single_parent";
    const sharedPhone = (type === "elderly_couple" || type === "extended") && rng.chance(0.35);
    const residents: GeneratedResident[] = [];
    let householdPhone: string | null = null;
    const disabledChild = { value: false };

    for (const p of people) {
      const names = otherNamesOf(origin, p, arabicScript);
      const languages = languagesOf(origin, p.age);
      const flags = flagsOf(origin, p, languages, people.length, lowIncome, singleParent);
      if (p.role === "child" && p.age < 18 && flags.includes("disability"))
        disabledChild.value = true;

      let phone: string | null = null;
      if (p.age >= 14) {
        const has = rng.chance(p.age >= 75 ? 0.8 : p.age >= 18 ? 0.93 : 0.8);
        if (has) {
          if (sharedPhone && householdPhone && p.age >= 60) phone = householdPhone;
          else if (p.age >= 70 && rng.chance(0.2)) phone = nextLandline();
          else phone = nextMobile();
          householdPhone ??= phone;
        }
      }
      let email: string | null = null;
      if (p.age >= 18 && rng.chance(p.age >= 65 ? 0.08 : 0.3)) {
        const local = `${latinSlug(p.first.latin)}.${latinSlug(p.last.latin)}${rng.int(1, 99)}`;
        email = `${local}@${rng.pick(EMAIL_DOMAINS)}`;
      }
      const createdAt = daysAgo(10, 1200);
      const consents = consentsOf(p.age, createdAt);
      const communityRoles: string[] = [];
      const skills: string[] = [];
      if (p.age >= 18 && p.age <= 80 && rng.chance(roleRate)) {
        communityRoles.push(rng.weighted({ volunteer: 55, activist: 33, leader: 12 }));
        if (rng.chance(0.15)) communityRoles.push("volunteer");
        const translated = languages.find((l) => l !== "he" && TRANSLATION_SKILL[l]);
        if (translated && languages.includes("he") && rng.chance(0.7))
          skills.push(TRANSLATION_SKILL[translated]!);
        const n = rng.int(1, 3);
        for (let i = 0; i < n; i++) skills.push(rng.pick(SKILLS));
      }
      const communities: GeneratedResident["communities"] = [
        { communityId: where.home, source: "address" },
      ];
      if (
        functional.olderAlone &&
        flags.includes("lives_alone") &&
        flags.includes("age_75_plus") &&
        rng.chance(0.85)
      )
        communities.push({ communityId: functional.olderAlone, source: "manual" });
      if (functional.ethiopian && origin === "ethiopian" && rng.chance(0.6))
        communities.push({ communityId: functional.ethiopian, source: "manual" });
      const sick = flags.includes("chronic_illness") || flags.includes("disability");
      residents.push({
        id: newId(),
        householdId: hh.id,
        origin,
        ...names,
        phone,
        email,
        birthYear: year - p.age,
        gender: p.gender,
        streetId: where.streetId,
        houseNumber: where.houseNumber,
        apartment: where.apartment,
        lat: where.lat,
        lon: where.lon,
        homeCommunityId: where.home,
        languages,
        householdRole: p.role,
        communityRoles: [...new Set(communityRoles)],
        skills: [...new Set(skills)],
        flags,
        healthNotes: sick && p.age >= 40 && rng.chance(0.12) ? rng.pick(HEALTH_NOTES) : null,
        idNumber: rng.chance(0.6) ? nextIdNumber() : null,
        consents: consents.current,
        consentEvents: consents.events,
        communities,
        notes: "",
        createdAt,
        userId: null,
      });
    }
    // Parents of a child with a disability.
    if (disabledChild.value && functional.parentsDisability) {
      for (const r of residents) {
        if ((r.householdRole === "head" || r.householdRole === "partner") && rng.chance(0.7))
          r.communities.push({ communityId: functional.parentsDisability, source: "manual" });
      }
    }
    return { households: [hh], residents };
  }

  /** A second record of the same person: same phone with another spelling, or a typo at the same address. */
  function nearDuplicate(of: GeneratedResident): GeneratedResident {
    const typo = (s: string) => {
      const chars = [...s];
      if (chars.length < 3) return `${s}${chars[chars.length - 1] ?? ""}`;
      const i = rng.int(1, chars.length - 2);
      if (rng.chance(0.5)) chars.splice(i, 1);
      else [chars[i], chars[i + 1]] = [chars[i + 1]!, chars[i]!];
      return chars.join("");
    };
    const samePhone = of.phone !== null && rng.chance(0.5);
    return {
      ...of,
      id: newId(),
      firstName: samePhone ? of.firstName : typo(of.firstName),
      lastName: samePhone && rng.chance(0.5) ? typo(of.lastName) : of.lastName,
      otherNames: "",
      phone: samePhone ? of.phone : null,
      email: null,
      apartment: samePhone ? null : of.apartment,
      householdRole: "other",
      communityRoles: [],
      skills: [],
      flags: of.flags.filter((f) => f === "age_75_plus" || f === "lives_alone"),
      healthNotes: null,
      idNumber: null,
      consents: [],
      consentEvents: [],
      communities: of.communities.filter((c) => c.source === "address"),
      notes: "",
      createdAt: daysAgo(1, 90),
      userId: null,
    };
  }

  return {
    get count() {
      return count;
    },
    batch(minResidents: number): GeneratedBatch {
      const out: GeneratedBatch = { households: [], residents: [] };
      while (out.residents.length < minResidents) {
        const next = household();
        out.households.push(...next.households);
        out.residents.push(...next.residents);
        if (duplicateRate > 0) {
          for (const r of next.residents) {
            if (r.birthYear <= year - 18 && rng.chance(duplicateRate))
              out.residents.push(nearDuplicate(r));
          }
        }
      }
      count += out.residents.length;
      return out;
    },
  };
}

export type { Rng };
