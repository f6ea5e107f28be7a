import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ASSET_TYPES, isValidIsraeliId } from "@kaveret/contracts";
import { createFieldCipher, developmentFieldKeys } from "./field-crypto.ts";
import { seedDemo } from "./seed.ts";
import { generateDepartment, type GenerateDepartmentResult } from "./generate-department.ts";
import { demoPeople } from "./demo-data.ts";
import { openTestDatabase } from "./test-database.ts";

const cipher = createFieldCipher(developmentFieldKeys());

describe("scale generator", () => {
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  let result: GenerateDepartmentResult;
  const progress: string[] = [];

  beforeAll(async () => {
    db = await openTestDatabase();
    await seedDemo(db.db, { passwordHash: "x", cipher, residents: 20 });
    result = await generateDepartment(db, cipher, {
      residents: 2000,
      batchSize: 700,
      onProgress: (m) => progress.push(m),
    });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("creates a department with a town, neighbourhoods, streets, assets and the residents asked for", async () => {
    const id = result.departmentId;
    expect(result.towns).toHaveLength(1);
    expect(result.rows.residents).toBeGreaterThanOrEqual(2000);
    expect(result.rows.residents).toBeLessThan(2010);
    expect(result.rows.residentsInDatabase).toBe(result.rows.residents);
    expect(progress.some((p) => p.startsWith("residents 2,0"))).toBe(true);
    const [counts] = await db.query<Record<string, number>>(
      `select
         (select count(*)::int from communities where department_id = $1 and level = 'neighbourhood') neighbourhoods,
         (select count(*)::int from communities where department_id = $1 and kind = 'functional') functional,
         (select count(*)::int from streets where department_id = $1) streets,
         (select count(*)::int from locations where department_id = $1) locations,
         (select count(*)::int from services where department_id = $1) services,
         (select count(*)::int from schedules where department_id = $1) schedules,
         (select count(*)::int from community_figures where department_id = $1) figures,
         (select count(*)::int from households where department_id = $1) households,
         (select count(*)::int from resident_consents where department_id = $1) consents,
         (select count(*)::int from resident_communities where department_id = $1) memberships`,
      [id],
    );
    expect(counts).toMatchObject({ neighbourhoods: 8, functional: 3 });
    expect(counts!.streets).toBeGreaterThanOrEqual(48);
    expect(counts!.locations).toBeGreaterThan(150);
    expect(counts!.services).toBeGreaterThan(20);
    expect(counts!.schedules).toBeGreaterThan(300);
    expect(counts!.figures).toBeGreaterThan(90);
    expect(counts!.households).toBeGreaterThan(400);
    expect(counts!.consents).toBeGreaterThan(1000);
    expect(counts!.memberships).toBeGreaterThanOrEqual(result.rows.residents!);
    const types = await db.query<{ asset_type: string }>(
      `select distinct asset_type from locations where department_id = $1`,
      [id],
    );
    for (const t of types) expect(ASSET_TYPES).toContain(t.asset_type);
  });

  it("writes residents as the service does: encrypted fields, valid ID numbers, points inside their neighbourhood", async () => {
    const rows = await db.query<{
      id_number_enc: string | null;
      lat: number;
      lon: number;
      ring: [number, number][];
      raw: string;
    }>(
      `select r.id_number_enc, r.lat, r.lon, c.boundary->'coordinates'->0 as ring, r::text raw
       from residents r join communities c on c.department_id = r.department_id and c.id = r.home_community_id
       where r.department_id = $1`,
      [result.departmentId],
    );
    expect(rows.length).toBe(result.rows.residents);
    for (const r of rows) {
      expect(r.raw).not.toContain("age_75_plus");
      if (r.id_number_enc) expect(isValidIsraeliId(cipher.decrypt(r.id_number_enc))).toBe(true);
      const lons = r.ring.map((p) => p[0]);
      const lats = r.ring.map((p) => p[1]);
      expect(r.lon).toBeGreaterThan(Math.min(...lons));
      expect(r.lon).toBeLessThan(Math.max(...lons));
      expect(r.lat).toBeGreaterThan(Math.min(...lats));
      expect(r.lat).toBeLessThan(Math.max(...lats));
    }
    // Phone numbers repeat only for deliberate near-duplicates and shared household phones.
    const [phones] = await db.query<{ repeated: number; total: number }>(
      `select count(*) filter (where n > 1)::int repeated, count(*)::int total
       from (select phone, count(*) n from residents where department_id = $1 and phone is not null group by phone) x`,
      [result.departmentId],
    );
    expect(phones!.repeated / phones!.total).toBeLessThan(0.05);
  });

  it("gives the demo staff roles in it, so benchmarks sign in as them", async () => {
    const roles = await db.query<{ email: string; role: string; communities: number }>(
      `select u.email, ra.role,
         (select count(*)::int from community_assignments ca
          where ca.department_id = ra.department_id and ca.user_id = u.id) communities
       from role_assignments ra join "user" u on u.id = ra.user_id where ra.department_id = $1`,
      [result.departmentId],
    );
    const of = (key: string) =>
      roles.find((r) => r.email === demoPeople.find((p) => p.key === key)!.email);
    expect(of("manager")?.role).toBe("manager");
    expect(of("worker")).toMatchObject({ role: "community_worker", communities: 2 });
    expect(of("activist")).toMatchObject({ role: "activist", communities: 1 });
    const [caseload] = await db.query<{ n: number }>(
      `select count(*)::int n from resident_caseworkers where department_id = $1`,
      [result.departmentId],
    );
    expect(caseload!.n).toBeGreaterThan(0);
  });

  it("refuses a second department of the same name", async () => {
    await expect(
      generateDepartment(db, cipher, { residents: 10, departmentName: result.departmentName }),
    ).rejects.toThrow(/exists already/);
  });
});
