import { count } from "drizzle-orm";
import type { Db } from "./client.ts";
import * as schema from "./schema.ts";
import {
  demoFunctionalCommunities,
  demoNeighbourhoods,
  demoPeople,
  demoResident,
  demoTown,
} from "./demo-data.ts";

export type DemoLogin = { role: string; name: string; email: string; note?: string };

export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(schema.departments);
  return (row?.n ?? 0) === 0;
}

const newId = () => crypto.randomUUID();

/**
 * Seeds the demo department (and a second, smaller one, so switching between
 * departments and the district and ministry views have something to show).
 * `passwordHash` is the hash of the demo password, made by the auth library.
 */
export async function seedDemo(db: Db, options: { passwordHash: string }): Promise<DemoLogin[]> {
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
        name: "המחלקה לשירותים חברתיים עין הדר",
        settings: { requireTwoFactorForManagers: false, defaultLocale: "he" },
      })
      .returning();
    const [second] = await tx
      .insert(schema.departments)
      .values({
        localAuthorityId: neighbourAuthority!.id,
        name: "המחלקה לשירותים חברתיים שדות אלון",
        settings: {},
      })
      .returning();
    const departmentId = department!.id;

    // Communities: the town, six neighbourhoods, a street cluster and a building, three functional communities.
    const [town] = await tx
      .insert(schema.communities)
      .values({ departmentId, kind: "geographic", level: "town", ...demoTown })
      .returning();
    const neighbourhoodIds: Record<string, string> = {};
    for (const n of demoNeighbourhoods) {
      const [row] = await tx
        .insert(schema.communities)
        .values({
          departmentId,
          kind: "geographic",
          level: "neighbourhood",
          parentId: town!.id,
          name: n.name,
          altNames: n.altNames,
          population: n.population,
          languages: [...n.languages],
          description: n.description,
          boundary: { type: "Polygon", coordinates: [n.ring] },
        })
        .returning();
      neighbourhoodIds[n.key] = row!.id;
    }
    const [cluster] = await tx
      .insert(schema.communities)
      .values({
        departmentId,
        kind: "geographic",
        level: "street_cluster",
        parentId: neighbourhoodIds.shalom!,
        name: "מתחם רחובות הנביאים",
        altNames: { ar: "مجمّع شوارع الأنبياء", en: "HaNevi'im streets" },
        population: 1200,
        languages: ["he", "am"],
      })
      .returning();
    await tx.insert(schema.communities).values({
      departmentId,
      kind: "geographic",
      level: "building",
      parentId: cluster!.id,
      name: "ישעיהו 12",
      altNames: { ar: "يشعياهو 12", en: "Yeshayahu 12" },
      population: 64,
      languages: ["am", "he"],
    });
    for (const f of demoFunctionalCommunities) {
      await tx.insert(schema.communities).values({
        departmentId,
        kind: "functional",
        name: f.name,
        altNames: f.altNames,
        membershipCriteria: f.membershipCriteria,
        languages: [...f.languages],
      });
    }
    await tx.insert(schema.communities).values({
      departmentId: second!.id,
      kind: "geographic",
      level: "town",
      name: "שדות אלון",
      altNames: { en: "Sdot Alon", ar: "سدوت ألون" },
      population: 2900,
    });

    // People: one demo account per role.
    const logins: DemoLogin[] = [];
    for (const p of demoPeople) {
      const userId = newId();
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
      if (p.key === "worker") {
        for (const key of ["shalom", "zeitim"]) {
          await tx
            .insert(schema.communityAssignments)
            .values({ departmentId, userId, communityId: neighbourhoodIds[key]! });
        }
      }
      logins.push({
        role: p.role,
        name: p.name,
        email: p.email,
        ...(p.key === "manager" ? { note: "also manager of a second department" } : {}),
      });
    }
    const residentId = newId();
    await tx.insert(schema.user).values({
      id: residentId,
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
      .values({ userId: residentId, role: "resident", departmentId });
    logins.push({
      role: "resident",
      name: demoResident.name,
      email: demoResident.email,
      note: `or ${demoResident.phoneNumber}; one-time code in /dev/outbox`,
    });
    return logins;
  });
}
