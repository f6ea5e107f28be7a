import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "./client.ts";
import * as schema from "./schema.ts";
import type { FieldCipher } from "./field-crypto.ts";
import {
  DEMO_REFERENCE_YEAR,
  demoFunctionalCommunities,
  demoNeighbourhoods,
  demoPeople,
} from "./demo-data.ts";
import { createRng } from "./demo-random.ts";
import { generateAssets, type AssetArea } from "./demo-assets.ts";
import { createResidentGenerator, type Box } from "./generate-residents.ts";
import { insertUnnest, prepareResidentBatch, type PreparedBatch } from "./generate-writer.ts";
import { foldResidentTallies } from "./resident-tallies.ts";
import {
  boxRing,
  figuresFor,
  gridStreetLines,
  housesAlong,
  insertAssets,
  insertFigures,
  insertStreets,
  sumFigures,
  type StreetInput,
} from "./generate-town.ts";

/**
 * The scale generator (`npm run seed -- --residents 1000000`): a large synthetic
 * department for benchmarks — towns of up to `townSize` residents, each with
 * neighbourhoods, streets, ~200 assets and population figures, and the
 * residents with the same distributions as the demo town (households, names,
 * languages, flags, consents, memberships). Written in batches of a few
 * thousand residents per transaction with multi-row `unnest` inserts; the next
 * batch is built while the database writes the current one. ANALYZE at the end.
 *
 * The demo staff (when the demo department exists) get roles in it: the manager
 * manages it, the community worker has two neighbourhoods, the activist one,
 * the social worker a caseload — so the benchmarks sign in as them.
 */

export type GenerateDepartmentOptions = {
  residents: number;
  departmentName?: string;
  /** Residents per town (default 100,000). */
  townSize?: number;
  /** Neighbourhoods per town (default 8). */
  neighbourhoodsPerTown?: number;
  /** Residents per transaction (default 5,000). */
  batchSize?: number;
  seed?: string;
  /** Progress lines (the CLI prints them). */
  onProgress?: (message: string) => void;
};

export type GenerateDepartmentResult = {
  departmentId: string;
  departmentName: string;
  towns: { id: string; name: string; residents: number }[];
  rows: Record<string, number>;
  seconds: {
    setup: number;
    residents: number;
    /** Of which building rows (generation, encryption, search keys) and waiting for writes. */
    building: number;
    writing: number;
    /** Folding the resident tallies' deltas after the residents. */
    tallies: number;
    analyze: number;
    total: number;
  };
};

const TOWN_PREFIXES = [
  ["גבעת", "تلة", "Givat"],
  ["נווה", "نفيه", "Neve"],
  ["כפר", "كفر", "Kfar"],
  ["עין", "عين", "Ein"],
  ["רמת", "رمة", "Ramat"],
  ["מעלה", "معاليه", "Ma'ale"],
] as const;
const TOWN_SUFFIXES = [
  ["הארזים", "الأرز", "HaArazim"],
  ["האלונים", "البلوط", "HaAlonim"],
  ["הדקלים", "النخيل", "HaDkalim"],
  ["הזיתים", "الزيتون", "HaZeitim"],
  ["התאנים", "التين", "HaTe'enim"],
  ["השקדים", "اللوز", "HaShkedim"],
  ["הרימונים", "الرمان", "HaRimonim"],
  ["האורנים", "الصنوبر", "HaOranim"],
  ["הברושים", "السرو", "HaBroshim"],
  ["הגפנים", "الكرمة", "HaGfanim"],
] as const;
const NEIGHBOURHOOD_NAMES = [
  ["מרכז העיר", "وسط المدينة", "City Centre"],
  ["השכונה הוותיקה", "الحي القديم", "Old Quarter"],
  ["גבעת הפרחים", "تلة الزهور", "Givat HaPrahim"],
  ["נווה צפון", "الحي الشمالي", "Neve Tzafon"],
  ["רמת הנוף", "رمة المنظر", "Ramat HaNof"],
  ["שכונת המעיין", "حي النبع", "HaMa'ayan"],
  ["אל-כרום", "الكروم", "Al-Krum"],
  ["שכונת הפארק", "حي الحديقة", "HaPark"],
  ["אל-רבוע", "الربوع", "Al-Rabu'"],
  ["נאות הדר", "نئوت هدار", "Ne'ot Hadar"],
  ["שכונת המגדל", "حي البرج", "HaMigdal"],
  ["אל-סהל", "السهل", "Al-Sahl"],
] as const;
const STREET_KINDS = [
  ["רחוב", "شارع", "St."],
  ["שדרות", "جادة", "Blvd."],
  ["סמטת", "زقاق", "Lane"],
] as const;

/** Street names without their "street" word, from the demo town's list. */
const STREET_BASES = demoNeighbourhoods.flatMap((n) =>
  n.streets.map(([he, ar, en]) => ({
    he: he.replace(/^(רחוב|שדרות|דרך) /, ""),
    ar: ar.replace(/^(شارع|جادة|طريق) /, ""),
    en: en.replace(/ (St\.|Blvd\.)$/, "").replace(/^Derekh /, ""),
  })),
);

function streetName(i: number): { he: string; ar: string; en: string } {
  const base = STREET_BASES[i % STREET_BASES.length]!;
  const kind = STREET_KINDS[Math.floor(i / STREET_BASES.length) % STREET_KINDS.length]!;
  const round = Math.floor(i / (STREET_BASES.length * STREET_KINDS.length));
  const suffix = round ? ` ${round + 1}` : "";
  return {
    he: `${kind[0]} ${base.he}${suffix}`,
    ar: `${kind[1]} ${base.ar}${suffix}`,
    en: `${base.en} ${kind[2]}${suffix}`,
  };
}

const newId = () => crypto.randomUUID();
/** Residents per statement (a batch is a few slices, written in one transaction). */
const SLICE = 1000;

export async function generateDepartment(
  database: Database,
  cipher: FieldCipher,
  options: GenerateDepartmentOptions,
): Promise<GenerateDepartmentResult> {
  const started = performance.now();
  const log = options.onProgress ?? (() => undefined);
  const total = options.residents;
  const townSize = options.townSize ?? 100_000;
  const perTown = options.neighbourhoodsPerTown ?? 8;
  const batchSize = options.batchSize ?? 5000;
  const rng = createRng(options.seed ?? `scale-${total}`);
  const db = database.db;
  const departmentName =
    options.departmentName ??
    `המחלקה לשירותים חברתיים — נתונים סינתטיים (${total.toLocaleString("en-US")} תושבים)`;

  const existing = await db
    .select({ id: schema.departments.id })
    .from(schema.departments)
    .where(eq(schema.departments.name, departmentName));
  if (existing.length) {
    throw new Error(`a department named "${departmentName}" exists already; pick another name`);
  }

  // ---------------------------------------------------------------- department, towns, streets, assets
  const townCount = Math.max(1, Math.ceil(total / townSize));
  const setup = await db.transaction(async (tx) => {
    const [district] = await tx.select().from(schema.districts).limit(1);
    const districtId =
      district?.id ??
      (await tx.insert(schema.districts).values({ name: "מחוז צפון" }).returning())[0]!.id;
    const [authority] = await tx
      .insert(schema.localAuthorities)
      .values({ districtId, name: `רשות סינתטית — ${departmentName}` })
      .returning();
    const [department] = await tx
      .insert(schema.departments)
      .values({
        localAuthorityId: authority!.id,
        name: departmentName,
        settings: { requireTwoFactorForManagers: false, defaultLocale: "he" },
      })
      .returning();
    const departmentId = department!.id;

    const functionalIds = demoFunctionalCommunities.map(() => newId());
    await tx.insert(schema.communities).values(
      demoFunctionalCommunities.map((f, i) => ({
        id: functionalIds[i]!,
        departmentId,
        kind: "functional",
        name: f.name,
        altNames: f.altNames,
        membershipCriteria: f.membershipCriteria,
        languages: [...f.languages],
      })),
    );

    const towns: { id: string; name: string; residents: number; areas: AssetArea[] }[] = [];
    const streets: StreetInput[] = [];
    const figureRows: { communityId: string; figures: Record<string, number> }[] = [];
    const DX = 0.02; // a neighbourhood is about 1.9 × 2.2 km
    const DY = 0.02;
    const cols = Math.ceil(perTown / 2);
    for (let t = 0; t < townCount; t++) {
      const residents = Math.min(townSize, total - t * townSize);
      const prefix = TOWN_PREFIXES[t % TOWN_PREFIXES.length]!;
      const suffix = TOWN_SUFFIXES[(t * 7 + Math.floor(t / 6)) % TOWN_SUFFIXES.length]!;
      const round = Math.floor(t / (TOWN_PREFIXES.length * TOWN_SUFFIXES.length));
      const nameOf = (i: 0 | 1 | 2) => `${prefix[i]} ${suffix[i]}${round ? ` ${round + 1}` : ""}`;
      // Towns on a grid over the Galilee, 0.1° apart.
      const west = 35.05 + (t % 5) * (cols * DX + 0.02);
      const south = 32.6 + Math.floor(t / 5) * (2 * DY + 0.02);
      const townBox: Box = { west, south, east: west + cols * DX, north: south + 2 * DY };
      const townId = newId();
      const town = { id: townId, name: nameOf(0), residents, areas: [] as AssetArea[] };
      towns.push(town);
      const neighbourhoodRows = [];
      const townFigures: Record<string, number>[] = [];
      for (let j = 0; j < perTown; j++) {
        const profile = demoNeighbourhoods[(t + j) % demoNeighbourhoods.length]!;
        const [he, ar, en] = NEIGHBOURHOOD_NAMES[j % NEIGHBOURHOOD_NAMES.length]!;
        const box: Box = {
          west: west + (j % cols) * DX,
          south: south + Math.floor(j / cols) * DY,
          east: west + ((j % cols) + 1) * DX,
          north: south + (Math.floor(j / cols) + 1) * DY,
        };
        const id = newId();
        const population = Math.round(((residents / perTown) * 1.08) / 10) * 10;
        neighbourhoodRows.push({
          id,
          departmentId,
          kind: "geographic",
          level: "neighbourhood",
          parentId: townId,
          name: he,
          altNames: { ar, en },
          population,
          languages: [...profile.languages],
          description: profile.description,
          boundary: { type: "Polygon" as const, coordinates: [boxRing(box)] },
          statAreaCode: `${7000 + t}${String(j + 11).padStart(3, "0")}`,
        });
        const figures = figuresFor(population, profile.profile);
        figureRows.push({ communityId: id, figures });
        townFigures.push(figures);
        const count = Math.max(6, Math.min(14, Math.round(residents / perTown / 1000)));
        const lines = gridStreetLines(rng, box, count);
        const mine = lines.map((line, k) => {
          const name = streetName(j * 14 + k);
          return {
            id: newId(),
            townId,
            name: name.he,
            altNames: { ar: name.ar, en: name.en },
            line,
          };
        });
        streets.push(...mine);
        town.areas.push({
          key: `${t}-${j}`,
          communityId: id,
          box,
          weight: 1,
          origins: profile.origins,
          elderly: profile.elderly,
          names: { he, ar, en },
          languages: profile.languages,
          streets: mine.map((s) => ({ id: s.id, line: s.line, houses: housesAlong(s.line) })),
        });
      }
      await tx.insert(schema.communities).values([
        {
          id: townId,
          departmentId,
          kind: "geographic",
          level: "town",
          name: nameOf(0),
          altNames: { ar: nameOf(1), en: nameOf(2) },
          population: neighbourhoodRows.reduce((s, r) => s + r.population, 0),
          languages: ["he", "ar", "ru", "am"],
          description: "עיר סינתטית למדידת ביצועים.",
          boundary: { type: "Polygon", coordinates: [boxRing(townBox)] },
        },
        ...neighbourhoodRows,
      ]);
      figureRows.push({ communityId: townId, figures: sumFigures(townFigures) });
      await insertAssets(
        tx,
        departmentId,
        generateAssets(rng.fork(`assets-${t}`), {
          names: { he: nameOf(0), ar: nameOf(1), en: nameOf(2) },
          slug: `town-${t + 1}`,
          areas: town.areas,
        }),
      );
    }
    await insertStreets(tx, departmentId, streets);
    await insertFigures(tx, departmentId, figureRows, "2024", "cbs");

    // The demo staff get roles here (when the demo department was seeded).
    const staff = await tx
      .select({ id: schema.user.id, email: schema.user.email })
      .from(schema.user)
      .where(
        inArray(
          schema.user.email,
          demoPeople.map((p) => p.email),
        ),
      );
    const userOf = (key: string) =>
      staff.find((s) => s.email === demoPeople.find((p) => p.key === key)?.email)?.id;
    const firstAreas = towns[0]!.areas;
    const grants: [string, string, string[]][] = [
      ["manager", "manager", []],
      ["worker", "community_worker", firstAreas.slice(0, 2).map((a) => a.communityId)],
      ["activist", "activist", firstAreas.slice(2, 3).map((a) => a.communityId)],
      ["social", "social_worker", []],
    ];
    for (const [key, role, communities] of grants) {
      const userId = userOf(key);
      if (!userId) continue;
      await tx.insert(schema.roleAssignments).values({ userId, role, departmentId });
      for (const communityId of communities)
        await tx.insert(schema.communityAssignments).values({ departmentId, userId, communityId });
    }
    return {
      departmentId,
      towns,
      functionalIds,
      recordedBy: userOf("worker") ?? null,
      socialWorker: userOf("social") ?? null,
      streets: streets.length,
    };
  });
  const { departmentId, towns } = setup;
  const setupSeconds = (performance.now() - started) / 1000;
  log(
    `department "${departmentName}": ${towns.length} town(s), ${towns.reduce((s, t) => s + t.areas.length, 0)} neighbourhoods, ${setup.streets} streets, assets written in ${setupSeconds.toFixed(1)} s`,
  );

  // ---------------------------------------------------------------- residents
  const rows: Record<string, number> = {
    households: 0,
    residents: 0,
    memberships: 0,
    consentEvents: 0,
  };
  const residentsStarted = performance.now();
  const timing = { prepare: 0, write: 0 };
  let lastLog = 0;
  let caseload: string[] = [];
  for (const [t, town] of towns.entries()) {
    const generator = createResidentGenerator({
      seed: `${options.seed ?? `scale-${total}`}-town-${t}`,
      areas: town.areas,
      functional: {
        olderAlone: setup.functionalIds[0]!,
        ethiopian: setup.functionalIds[1]!,
        parentsDisability: setup.functionalIds[2]!,
      },
      referenceYear: DEMO_REFERENCE_YEAR,
      now: new Date(),
      duplicateRate: 0.001,
      // Phone and ID numbers never repeat across towns (each town its own range).
      numbers: { seed: options.seed ?? `scale-${total}`, start: t * 2 * townSize },
    });
    // A batch is built in slices (a yield between them), so the database writes the
    // previous batch meanwhile; each batch is then written in one transaction.
    const prepare = async (): Promise<PreparedBatch[]> => {
      const slices: PreparedBatch[] = [];
      let made = 0;
      while (made < batchSize && generator.count < town.residents) {
        const t0 = performance.now();
        const batch = generator.batch(Math.min(SLICE, town.residents - generator.count));
        made += batch.residents.length;
        if (caseload.length === 0) {
          caseload = batch.residents
            .filter((r) => r.flags.includes("disability") || r.flags.includes("single_parent"))
            .slice(0, 30)
            .map((r) => r.id);
        }
        slices.push(
          prepareResidentBatch(cipher, departmentId, batch, { recordedBy: setup.recordedBy }),
        );
        timing.prepare += performance.now() - t0;
        await new Promise<void>((done) => setImmediate(done));
      }
      return slices;
    };
    const write = async (slices: PreparedBatch[]) => {
      const t0 = performance.now();
      await db.transaction(async (tx) => {
        // A crash loses at most the last batches, and the generator can be run again.
        if (database.kind === "postgres") await tx.execute(sql`set local synchronous_commit = off`);
        for (const slice of slices)
          for (const statement of slice.statements) await tx.execute(statement);
      });
      timing.write += performance.now() - t0;
      for (const slice of slices)
        for (const [k, v] of Object.entries(slice.counts)) rows[k] = (rows[k] ?? 0) + v;
      const now = performance.now();
      if (now - lastLog > 5000 || generator.count >= town.residents) {
        lastLog = now;
        const seconds = (now - residentsStarted) / 1000;
        const rate = rows.residents! / seconds;
        const left = total - rows.residents!;
        log(
          `residents ${rows.residents!.toLocaleString("en-US")} / ${total.toLocaleString("en-US")} (${Math.round((100 * rows.residents!) / total)}%) — ${Math.round(rate).toLocaleString("en-US")}/s, ${seconds.toFixed(0)} s, about ${Math.max(0, left / rate).toFixed(0)} s left (building ${(timing.prepare / 1000).toFixed(0)} s, writing ${(timing.write / 1000).toFixed(0)} s)`,
        );
      }
    };
    let writing: Promise<void> | null = null;
    while (generator.count < town.residents) {
      const slices = await prepare();
      if (writing) await writing;
      writing = write(slices);
    }
    if (writing) await writing;
  }
  if (setup.socialWorker && caseload.length) {
    await insertUnnest(
      db,
      "resident_caseworkers",
      departmentId,
      [
        ["resident_id", "uuid"],
        ["user_id", "text"],
      ],
      caseload.map((id) => [id, setup.socialWorker]),
    );
  }
  const residentsSeconds = (performance.now() - residentsStarted) / 1000;

  // ---------------------------------------------------------------- tallies, statistics
  // The triggers kept the tallies batch by batch, as deltas: add them up once.
  const talliesStarted = performance.now();
  log("folding the tallies …");
  await foldResidentTallies(db, departmentId);
  const talliesSeconds = (performance.now() - talliesStarted) / 1000;
  const analyzeStarted = performance.now();
  log("vacuum analyze …");
  for (const table of [
    "residents",
    "resident_communities",
    "resident_consents",
    "households",
    "communities",
    "streets",
    "locations",
    "resident_counts",
    "resident_count_deltas",
    "resident_household_members",
    "resident_map_cells",
    "resident_map_cell_deltas",
  ]) {
    await database.query(`vacuum (analyze) ${table}`);
  }
  const analyzeSeconds = (performance.now() - analyzeStarted) / 1000;
  const [{ n: check } = { n: 0 }] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(schema.residents)
    .where(and(eq(schema.residents.departmentId, departmentId)));
  rows.residentsInDatabase = check;
  return {
    departmentId,
    departmentName,
    towns: towns.map(({ id, name, residents }) => ({ id, name, residents })),
    rows,
    seconds: {
      setup: setupSeconds,
      residents: residentsSeconds,
      building: timing.prepare / 1000,
      writing: timing.write / 1000,
      tallies: talliesSeconds,
      analyze: analyzeSeconds,
      total: (performance.now() - started) / 1000,
    },
  };
}
