import { count } from "drizzle-orm";
import type { Db, DbOrTx } from "./client.ts";
import * as schema from "./schema.ts";
import type { FieldCipher } from "./field-crypto.ts";
import {
  DEMO_ACTIVIST_COMMUNITY,
  DEMO_REFERENCE_YEAR,
  DEMO_RESIDENTS,
  demoCommunityNotes,
  demoFunctionalCommunities,
  demoNeighbourhoods,
  demoPeople,
  demoResident,
  demoStreetCluster,
  demoDepartment,
  demoTown,
} from "./demo-data.ts";
import { createRng } from "./demo-random.ts";
import { generateAssets, type AssetArea } from "./demo-assets.ts";
import {
  createResidentGenerator,
  type AreaSpec,
  type Box,
  type GeneratedResident,
} from "./generate-residents.ts";
import { insertUnnest, writeResidentBatch } from "./generate-writer.ts";
import {
  figuresFor,
  gridStreetLines,
  housesAlong,
  insertAssets,
  insertFigures,
  insertStreets,
  sumFigures,
  type StreetInput,
} from "./generate-town.ts";

export type DemoLogin = { role: string; name: string; email: string; note?: string };

export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(schema.departments);
  return (row?.n ?? 0) === 0;
}

const newId = () => crypto.randomUUID();

export type SeedDemoOptions = {
  /** Hash of the demo password, made by the auth library. */
  passwordHash: string;
  /** The field cipher of the server (sensitive resident fields are stored encrypted). */
  cipher: FieldCipher;
  /** Residents on record in the demo town (default 2,000; 0 for none). */
  residents?: number;
};

const boxOf = (ring: readonly (readonly [number, number])[]): Box => ({
  west: Math.min(...ring.map((p) => p[0])),
  south: Math.min(...ring.map((p) => p[1])),
  east: Math.max(...ring.map((p) => p[0])),
  north: Math.max(...ring.map((p) => p[1])),
});

/**
 * Seeds the demo department — the town of Ein Hadar with its neighbourhoods,
 * streets, ~2,000 residents in households, ~150 assets and population figures —
 * and a second, smaller one, so switching between departments and the district
 * and ministry views have something to show. Deterministic: the same people and
 * places every time (ids and dates aside).
 */
export async function seedDemo(db: Db, options: SeedDemoOptions): Promise<DemoLogin[]> {
  return db.transaction(async (tx) => {
    const [district] = await tx.insert(schema.districts).values({ name: "מחוז צפון" }).returning();
    const [authority] = await tx
      .insert(schema.localAuthorities)
      .values({ districtId: district!.id, name: "עיריית עין הדר" })
      .returning();
    const [neighbourAuthority] = await tx
      .insert(schema.localAuthorities)
      .values({ districtId: district!.id, name: "מועצה מקומית שדות אלון" })
      .returning();
    const [department] = await tx
      .insert(schema.departments)
      .values({
        localAuthorityId: authority!.id,
        name: demoDepartment.name,
        altNames: demoDepartment.altNames,
        settings: { requireTwoFactorForManagers: false, defaultLocale: "he" },
      })
      .returning();
    const [second] = await tx
      .insert(schema.departments)
      .values({
        localAuthorityId: neighbourAuthority!.id,
        name: "המחלקה לשירותים חברתיים שדות אלון",
        // Arabic and English only: its Russian and Amharic pages show the Hebrew name.
        altNames: {
          ar: "قسم الخدمات الاجتماعية في سدوت ألون",
          en: "Sdot Alon Social Services Department",
        },
        settings: {},
      })
      .returning();
    const departmentId = department!.id;
    const rng = createRng("ein-hadar");

    // Communities: the town, six neighbourhoods, a street cluster and a building, three functional communities.
    const townId = newId();
    const neighbourhoodIds: Record<string, string> = Object.fromEntries(
      demoNeighbourhoods.map((n) => [n.key, newId()]),
    );
    const clusterId = newId();
    const buildingId = newId();
    const functionalIds = demoFunctionalCommunities.map(() => newId());
    const notesOf = (key: string) => demoCommunityNotes[key] ?? { notes: "", keyContacts: [] };
    await tx.insert(schema.communities).values([
      { id: townId, departmentId, kind: "geographic", level: "town", ...demoTown },
      ...demoNeighbourhoods.map((n) => ({
        id: neighbourhoodIds[n.key]!,
        departmentId,
        kind: "geographic",
        level: "neighbourhood",
        parentId: townId,
        name: n.name,
        altNames: n.altNames,
        population: n.population,
        languages: [...n.languages],
        description: n.description,
        boundary: { type: "Polygon" as const, coordinates: [n.ring] },
        statAreaCode: n.statAreaCode,
        ...notesOf(n.key),
      })),
      {
        id: clusterId,
        departmentId,
        kind: "geographic",
        level: "street_cluster",
        parentId: neighbourhoodIds[demoStreetCluster.neighbourhood]!,
        name: "מתחם רחובות הנביאים",
        altNames: { ar: "مجمّع شوارع الأنبياء", en: "HaNevi'im streets" },
        population: 1200,
        languages: ["he", "am"],
        ...notesOf("cluster"),
      },
      {
        id: buildingId,
        departmentId,
        kind: "geographic",
        level: "building",
        parentId: clusterId,
        name: "ישעיהו 12",
        altNames: { ar: "يشعياهو 12", en: "Yeshayahu 12" },
        population: 64,
        languages: ["am", "he"],
        ...notesOf("building"),
      },
      ...demoFunctionalCommunities.map((f, i) => ({
        id: functionalIds[i]!,
        departmentId,
        kind: "functional",
        name: f.name,
        altNames: f.altNames,
        membershipCriteria: f.membershipCriteria,
        languages: [...f.languages],
        ...(i === 0 ? notesOf("olderAlone") : {}),
      })),
    ]);
    await tx.insert(schema.communities).values({
      departmentId: second!.id,
      kind: "geographic",
      level: "town",
      name: "שדות אלון",
      altNames: { en: "Sdot Alon", ar: "سدوت ألون" },
      population: 2900,
    });

    // Streets: a grid of named streets in each neighbourhood.
    const streets: StreetInput[] = [];
    const areas: (AreaSpec & AssetArea)[] = [];
    for (const n of demoNeighbourhoods) {
      const box = boxOf(n.ring);
      const lines = gridStreetLines(rng, box, n.streets.length);
      const mine = n.streets.map(([he, ar, en], i) => ({
        id: newId(),
        townId,
        name: he,
        altNames: { ar, en },
        line: lines[i]!,
      }));
      streets.push(...mine);
      const inCluster = (name: string) =>
        n.key === demoStreetCluster.neighbourhood &&
        (demoStreetCluster.streets as readonly string[]).includes(name);
      areas.push({
        key: n.key,
        communityId: neighbourhoodIds[n.key]!,
        box,
        weight: n.population,
        origins: n.origins,
        elderly: n.elderly,
        names: { he: n.name, ar: n.altNames.ar, en: n.altNames.en },
        languages: n.languages,
        amenities: n.key === "nur" ? 0.5 : 1,
        streets: mine.map((s) => ({
          id: s.id,
          line: s.line,
          houses: housesAlong(s.line),
          ...(inCluster(s.name) ? { homeCommunityId: clusterId } : {}),
          ...(s.name === demoStreetCluster.building.street && inCluster(s.name)
            ? {
                building: {
                  houseNumber: demoStreetCluster.building.houseNumber,
                  share: demoStreetCluster.building.share,
                  communityId: buildingId,
                },
              }
            : {}),
        })),
      });
    }
    await insertStreets(tx, departmentId, streets);

    // Population figures (CBS, 2024) of the neighbourhoods and the town.
    const figures = demoNeighbourhoods.map((n) => ({
      communityId: neighbourhoodIds[n.key]!,
      figures: figuresFor(n.population, n.profile),
    }));
    await insertFigures(
      tx,
      departmentId,
      [...figures, { communityId: townId, figures: sumFigures(figures.map((f) => f.figures)) }],
      "2024",
      "cbs",
    );

    // Community assets.
    await insertAssets(
      tx,
      departmentId,
      generateAssets(rng.fork("assets"), {
        names: { he: demoTown.name, ar: demoTown.altNames.ar, en: demoTown.altNames.en },
        slug: "ein-hadar",
        areas,
      }),
    );

    // People: one demo account per role.
    const logins: DemoLogin[] = [];
    const userIds: Record<string, string> = {};
    for (const p of demoPeople) {
      const userId = newId();
      userIds[p.key] = userId;
      await tx.insert(schema.user).values({
        id: userId,
        name: p.name,
        email: p.email,
        emailVerified: true,
        kind: "staff",
        locale: p.locale,
      });
      await tx.insert(schema.account).values({
        id: newId(),
        accountId: userId,
        providerId: "credential",
        userId,
        password: options.passwordHash,
      });
      if (p.role === "ministry") {
        await tx.insert(schema.roleAssignments).values({ userId, role: "ministry" });
      } else if (p.role === "district") {
        await tx
          .insert(schema.roleAssignments)
          .values({ userId, role: "district", districtId: district!.id });
      } else {
        await tx.insert(schema.roleAssignments).values({ userId, role: p.role, departmentId });
      }
      if (p.key === "manager") {
        // The manager also leads the small neighbouring department: the department switcher shows both.
        await tx
          .insert(schema.roleAssignments)
          .values({ userId, role: "manager", departmentId: second!.id });
      }
      const assigned =
        p.key === "worker"
          ? ["shalom", "zeitim"]
          : p.key === "activist"
            ? [DEMO_ACTIVIST_COMMUNITY]
            : [];
      for (const key of assigned) {
        await tx
          .insert(schema.communityAssignments)
          .values({ departmentId, userId, communityId: neighbourhoodIds[key]! });
      }
      logins.push({
        role: p.role,
        name: p.name,
        email: p.email,
        ...(p.key === "manager" ? { note: "also manager of a second department" } : {}),
      });
    }
    const residentUserId = newId();
    await tx.insert(schema.user).values({
      id: residentUserId,
      name: demoResident.name,
      email: demoResident.email,
      emailVerified: true,
      phoneNumber: demoResident.phoneNumber,
      phoneNumberVerified: true,
      kind: "resident",
      locale: demoResident.locale,
    });
    await tx
      .insert(schema.roleAssignments)
      .values({ userId: residentUserId, role: "resident", departmentId });
    logins.push({
      role: "resident",
      name: demoResident.name,
      email: demoResident.email,
      note: `or ${demoResident.phoneNumber}; one-time code in /dev/outbox`,
    });

    // Residents on record.
    const wanted = options.residents ?? DEMO_RESIDENTS;
    if (wanted > 0) {
      await seedDemoResidents(tx, options.cipher, departmentId, {
        count: wanted,
        areas,
        functional: {
          olderAlone: functionalIds[0]!,
          ethiopian: functionalIds[1]!,
          parentsDisability: functionalIds[2]!,
        },
        buildingId,
        userIds,
        residentUserId,
      });
    }
    return logins;
  });
}

async function seedDemoResidents(
  tx: DbOrTx,
  cipher: FieldCipher,
  departmentId: string,
  o: {
    count: number;
    areas: AreaSpec[];
    functional: { olderAlone: string; ethiopian: string; parentsDisability: string };
    buildingId: string;
    userIds: Record<string, string>;
    residentUserId: string;
  },
) {
  const generator = createResidentGenerator({
    seed: "ein-hadar-residents",
    areas: o.areas,
    functional: o.functional,
    referenceYear: DEMO_REFERENCE_YEAR,
    now: new Date(),
    duplicateRate: 0.006,
    roleRate: 0.035,
    reservedPhones: [demoResident.phoneNumber],
  });
  // The resident with a login (טגיסט מלסה) lives in the building at Yeshayahu 12.
  const batch = generator.batch(Math.max(1, o.count - 1));
  const neighbour = batch.residents.find((r) => r.homeCommunityId === o.buildingId);
  const template = neighbour ?? batch.residents[0]!;
  const [firstName, lastName] = demoResident.name.split(" ");
  const self: GeneratedResident = {
    ...template,
    id: newId(),
    householdId: "",
    origin: "ethiopian",
    firstName: firstName!,
    lastName: lastName!,
    otherNames: "Tigist Melese",
    phone: demoResident.phoneNumber,
    email: demoResident.email,
    birthYear: 1986,
    gender: "female",
    languages: ["he", "am"],
    householdRole: "head",
    communityRoles: ["volunteer"],
    skills: ["תרגום לאמהרית", "בישול"],
    flags: ["lives_alone"],
    healthNotes: null,
    idNumber: null,
    consents: ["contact_for_activities", "emergency_contact", "listed_to_activists"],
    consentEvents: ["contact_for_activities", "emergency_contact", "listed_to_activists"].map(
      (purpose) => ({
        purpose,
        granted: true,
        method: "online_self",
        note: "",
        recordedAt: template.createdAt,
      }),
    ),
    communities: [
      { communityId: template.homeCommunityId, source: "address" },
      { communityId: o.functional.ethiopian, source: "manual" },
    ],
    userId: o.residentUserId,
  };
  // Her own household: she lives alone.
  const householdId = newId();
  batch.households.push({ id: householdId, label: `משפחת ${lastName}` });
  self.householdId = householdId;
  batch.residents.push(self);

  await writeResidentBatch(tx, cipher, departmentId, batch, {
    recordedBy: o.userIds.worker ?? null,
  });

  // The social worker's caseload: about 30 residents who need follow-up.
  const vulnerable = batch.residents.filter(
    (r) =>
      r.flags.includes("disability") ||
      (r.flags.includes("lives_alone") && r.flags.includes("age_75_plus")) ||
      r.flags.includes("single_parent"),
  );
  const step = Math.max(1, Math.floor(vulnerable.length / 30));
  const caseload = vulnerable.filter((_, i) => i % step === 0).slice(0, 30);
  if (o.userIds.social) {
    await insertUnnest(
      tx,
      "resident_caseworkers",
      departmentId,
      [
        ["resident_id", "uuid"],
        ["user_id", "text"],
      ],
      caseload.map((r) => [r.id, o.userIds.social]),
    );
  }
}
