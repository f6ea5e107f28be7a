import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ASSET_TYPES,
  BYDAY,
  FIGURE_INDICATORS,
  isValidIsraeliId,
  ORGANIZATION_KINDS,
  SERVICE_CATEGORIES,
  VULNERABILITY_FLAGS,
} from "@kaveret/contracts";
import { createFieldCipher, developmentFieldKeys } from "./field-crypto.ts";
import { decryptFlags } from "./resident-values.ts";
import { seedDemo } from "./seed.ts";
import { createResidentGenerator } from "./generate-residents.ts";
import { demoNeighbourhoods, demoPeople } from "./demo-data.ts";
import { openTestDatabase } from "./test-database.ts";

const cipher = createFieldCipher(developmentFieldKeys());

type Row = Record<string, unknown>;
type ResidentRow = {
  id: string;
  first_name: string;
  last_name: string;
  other_names: string;
  phone: string | null;
  birth_year: number;
  lat: number;
  lon: number;
  home_community_id: string;
  flags_enc: string | null;
  flag_tokens: string[];
  health_notes_enc: string | null;
  id_number_enc: string | null;
  id_number_hash: string | null;
  raw: string;
};

describe("demo seed (Ein Hadar)", () => {
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  let residents: ResidentRow[];
  let departmentId: string;
  let seedMs = 0;

  beforeAll(async () => {
    db = await openTestDatabase();
    const t = performance.now();
    await seedDemo(db.db, { passwordHash: "not-a-real-hash", cipher });
    seedMs = performance.now() - t;
    const [dep] = await db.query<{ id: string }>(
      `select id from departments where name like '%עין הדר%'`,
    );
    departmentId = dep!.id;
    residents = await db.query<ResidentRow>(
      `select id, first_name, last_name, other_names, phone, birth_year, lat, lon, home_community_id,
              flags_enc, flag_tokens, health_notes_enc, id_number_enc, id_number_hash, r::text as raw
       from residents r where department_id = $1`,
      [departmentId],
    );
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("has about 2,000 residents in households of 1–6 and about 150 assets", async () => {
    // Seed time is printed, never asserted (benchmarks measure time).
    console.info(`demo seed: ${Math.round(seedMs)} ms`);
    expect(residents.length).toBeGreaterThanOrEqual(1950);
    expect(residents.length).toBeLessThanOrEqual(2100);
    const sizes = await db.query<{ n: number }>(
      `select count(*)::int n from residents where department_id = $1 and household_role <> 'other'
       group by household_id`,
      [departmentId],
    );
    expect(Math.min(...sizes.map((s) => s.n))).toBe(1);
    expect(Math.max(...sizes.map((s) => s.n))).toBeLessThanOrEqual(6);
    const [assets] = await db.query<{ n: number }>(
      `select count(*)::int n from locations where department_id = $1`,
      [departmentId],
    );
    expect(assets!.n).toBeGreaterThanOrEqual(130);
    expect(assets!.n).toBeLessThanOrEqual(175);
    const [streets] = await db.query<{ n: number; lines: number }>(
      `select count(*)::int n, count(*) filter (where geometry->>'type' = 'LineString')::int lines
       from streets where department_id = $1`,
      [departmentId],
    );
    expect(streets!.n).toBeGreaterThanOrEqual(36);
    expect(streets!.lines).toBe(streets!.n);
  });

  it("stores sensitive fields only encrypted: no flag, note or ID number in the clear", () => {
    let withId = 0;
    for (const r of residents) {
      for (const v of [r.flags_enc, r.health_notes_enc, r.id_number_enc]) {
        if (v !== null) expect(v.startsWith("enc:v1:")).toBe(true);
      }
      for (const flag of VULNERABILITY_FLAGS) expect(r.raw).not.toContain(flag);
      if (r.id_number_enc) {
        withId++;
        const id = cipher.decrypt(r.id_number_enc);
        expect(isValidIsraeliId(id)).toBe(true);
        expect(r.raw).not.toContain(id);
        expect(r.id_number_hash).toBeTruthy();
      }
      if (r.health_notes_enc) expect(r.raw).not.toContain(cipher.decrypt(r.health_notes_enc));
      expect(r.flag_tokens.length).toBe(decryptFlags(cipher, r.flags_enc).length);
    }
    // About 60% have an ID number on record.
    expect(withId / residents.length).toBeGreaterThan(0.5);
    expect(withId / residents.length).toBeLessThan(0.7);
  });

  it("puts every resident inside their neighbourhood, at a house on its streets", async () => {
    const communities = await db.query<{
      id: string;
      parent_id: string | null;
      level: string | null;
      boundary: { coordinates: [number, number][][] } | null;
    }>(`select id, parent_id, level, boundary from communities where department_id = $1`, [
      departmentId,
    ]);
    const byId = new Map(communities.map((c) => [c.id, c]));
    const neighbourhoodOf = (id: string) => {
      let c = byId.get(id);
      while (c && c.level !== "neighbourhood") c = c.parent_id ? byId.get(c.parent_id) : undefined;
      return c;
    };
    for (const r of residents) {
      const n = neighbourhoodOf(r.home_community_id);
      expect(n?.boundary).toBeTruthy();
      const ring = n!.boundary!.coordinates[0]!;
      const lons = ring.map((p) => p[0]);
      const lats = ring.map((p) => p[1]);
      expect(r.lon).toBeGreaterThan(Math.min(...lons));
      expect(r.lon).toBeLessThan(Math.max(...lons));
      expect(r.lat).toBeGreaterThan(Math.min(...lats));
      expect(r.lat).toBeLessThan(Math.max(...lats));
    }
    const [building] = await db.query<{ n: number }>(
      `select count(*)::int n from residents r join communities c
         on c.department_id = r.department_id and c.id = r.home_community_id
       where r.department_id = $1 and c.level = 'building'`,
      [departmentId],
    );
    expect(building!.n).toBeGreaterThan(5);
  });

  it("has plausible people: names in several scripts, flags that fit the ages, consents with history", async () => {
    const scripts = { arabic: 0, cyrillic: 0, amharicLatin: 0 };
    for (const r of residents) {
      if (/[\u0600-\u06ff]/.test(`${r.first_name}${r.other_names}`)) scripts.arabic++;
      if (/[\u0400-\u04ff]/.test(r.other_names)) scripts.cyrillic++;
    }
    scripts.amharicLatin = residents.filter((r) =>
      /Tigist|Almaz|Meseret|Worknesh|Yitbarek|Tesfaye|Abebe/.test(r.other_names),
    ).length;
    expect(scripts.arabic).toBeGreaterThan(300);
    expect(scripts.cyrillic).toBeGreaterThan(100);
    expect(scripts.amharicLatin).toBeGreaterThan(10);

    for (const r of residents) {
      const flags = decryptFlags(cipher, r.flags_enc);
      expect(flags.includes("age_75_plus")).toBe(2026 - r.birth_year >= 75);
    }
    const [consents] = await db.query<{ withdrawn: number; granted: number }>(
      `select count(*) filter (where not granted)::int withdrawn, count(*) filter (where granted)::int granted
       from resident_consents where department_id = $1`,
      [departmentId],
    );
    expect(consents!.withdrawn).toBeGreaterThan(10);
    expect(consents!.granted).toBeGreaterThan(1000);
    const [mismatch] = await db.query<{ n: number }>(
      `select count(*)::int n from residents r where department_id = $1 and exists (
         select 1 from unnest(r.consents) p where not exists (
           select 1 from resident_consents c where c.department_id = r.department_id
             and c.resident_id = r.id and c.purpose = p and c.granted))`,
      [departmentId],
    );
    expect(mismatch!.n).toBe(0);
    const [roles] = await db.query<{ n: number }>(
      `select count(*)::int n from residents where department_id = $1 and cardinality(community_roles) > 0`,
      [departmentId],
    );
    expect(roles!.n).toBeGreaterThan(24);
    expect(roles!.n).toBeLessThan(120);
  });

  it("gives the duplicates queue, the caseload, the activist and functional communities something", async () => {
    const [samePhone] = await db.query<{ n: number }>(
      `select count(*)::int n from (select phone from residents where department_id = $1 and phone is not null
       group by phone having count(*) > 1) x`,
      [departmentId],
    );
    expect(samePhone!.n).toBeGreaterThan(3);
    const [caseload] = await db.query<{ n: number }>(
      `select count(*)::int n from resident_caseworkers cw join "user" u on u.id = cw.user_id
       where cw.department_id = $1 and u.email = $2`,
      [departmentId, demoPeople.find((p) => p.key === "social")!.email],
    );
    expect(caseload!.n).toBe(30);
    const [listed] = await db.query<{ n: number }>(
      `select count(*)::int n from residents r
       join community_assignments a on a.department_id = r.department_id and a.community_id = r.home_community_id
       join "user" u on u.id = a.user_id
       where r.department_id = $1 and u.email = $2 and 'listed_to_activists' = any(r.consents)`,
      [departmentId, demoPeople.find((p) => p.key === "activist")!.email],
    );
    expect(listed!.n).toBeGreaterThan(20);
    const functional = await db.query<{ name: string; n: number }>(
      `select c.name, count(rc.resident_id)::int n from communities c
       left join resident_communities rc on rc.department_id = c.department_id and rc.community_id = c.id
       where c.department_id = $1 and c.kind = 'functional' group by c.name`,
      [departmentId],
    );
    for (const f of functional) expect(f.n, f.name).toBeGreaterThan(5);
  });

  it("uses the vocabularies of the contracts and consistent figures", async () => {
    const types = await db.query<{ asset_type: string }>(
      `select distinct asset_type from locations where department_id = $1`,
      [departmentId],
    );
    for (const t of types) expect(ASSET_TYPES).toContain(t.asset_type);
    expect(types.length).toBeGreaterThanOrEqual(18);
    const categories = await db.query<{ category: string }>(
      `select distinct category from services where department_id = $1`,
      [departmentId],
    );
    for (const c of categories) expect(SERVICE_CATEGORIES).toContain(c.category);
    const kinds = await db.query<{ kind: string }>(
      `select distinct kind from organizations where department_id = $1`,
      [departmentId],
    );
    for (const k of kinds) expect(ORGANIZATION_KINDS).toContain(k.kind);
    const days = await db.query<{ by_day: string; opens_at: string; closes_at: string }>(
      `select by_day, opens_at, closes_at from schedules where department_id = $1`,
      [departmentId],
    );
    for (const d of days) {
      expect(Object.values(BYDAY)).toContain(d.by_day);
      expect(d.opens_at < d.closes_at).toBe(true);
    }
    const [shelters] = await db.query<{ n: number; with_capacity: number }>(
      `select count(*)::int n, count(capacity)::int with_capacity from locations
       where department_id = $1 and asset_type = 'shelter'`,
      [departmentId],
    );
    expect(shelters!.n).toBeGreaterThan(10);
    expect(shelters!.with_capacity).toBe(shelters!.n);

    const figures = await db.query<Row>(
      `select c.name, c.population, c.stat_area_code, c.level, f.indicator, f.value, f.period, f.source
       from community_figures f join communities c on c.department_id = f.department_id and c.id = f.community_id
       where f.department_id = $1`,
      [departmentId],
    );
    const byCommunity = new Map<string, Record<string, number>>();
    for (const f of figures) {
      expect(FIGURE_INDICATORS).toContain(f.indicator);
      expect(f.period).toBe("2024");
      expect(f.source).toBe("cbs");
      const m = byCommunity.get(String(f.name)) ?? {};
      m[String(f.indicator)] = Number(f.value);
      byCommunity.set(String(f.name), m);
    }
    expect(byCommunity.size).toBe(demoNeighbourhoods.length + 1);
    for (const [name, m] of byCommunity) {
      const community = figures.find((f) => f.name === name)!;
      expect(m.population, name).toBe(community.population);
      expect(m.age_0_17! + m.age_18_64! + m.age_65_plus!, name).toBe(m.population);
      expect(m.age_75_plus!).toBeLessThanOrEqual(m.age_65_plus!);
      if (community.level === "neighbourhood") expect(community.stat_area_code).toMatch(/^\d+$/);
    }
  });
});

describe("demo data is deterministic", () => {
  it("gives the same people for the same seed", () => {
    const areas = demoNeighbourhoods.map((n, i) => ({
      key: n.key,
      communityId: `00000000-0000-4000-8000-00000000000${i}`,
      box: { west: 35.2, south: 32.7, east: 35.212, north: 32.712 },
      weight: n.population,
      origins: n.origins,
      elderly: n.elderly,
      streets: [
        {
          id: `00000000-0000-4000-8000-0000000001${i}0`,
          line: [
            [35.201, 32.705],
            [35.211, 32.706],
          ] as [number, number][],
          houses: 60,
        },
      ],
    }));
    const people = () =>
      createResidentGenerator({
        seed: "same",
        areas,
        referenceYear: 2026,
        now: new Date("2026-01-01T00:00:00Z"),
        duplicateRate: 0.01,
      })
        .batch(500)
        .residents.map((r) => [r.firstName, r.lastName, r.otherNames, r.birthYear, r.phone, r.lat]);
    expect(people()).toEqual(people());
  });

  it("seeds the same names twice", { timeout: 180_000 }, async () => {
    const names = async () => {
      const db = await openTestDatabase();
      try {
        await seedDemo(db.db, { passwordHash: "x", cipher, residents: 300 });
        return (
          await db.query<{ n: string }>(
            `select first_name || ' ' || last_name || ' ' || other_names || ' ' || birth_year as n from residents`,
          )
        )
          .map((r) => r.n)
          .sort();
      } finally {
        await db.drop();
      }
    };
    const [a, b] = [await names(), await names()];
    expect(a.length).toBeGreaterThan(290);
    expect(a).toEqual(b);
  });
});
