import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { parse } from "csv-parse/sync";
import { strFromU8, unzipSync } from "fflate";
import type { Asset, Service } from "@kaveret/contracts";
import { signInManager, startTestServer, type TestServer } from "../../test/harness.ts";
import { HSDS_TABLES, csvCell, stableId } from "./assets.hsds.ts";

/** Open Referral HSDS 3.0 schemas, copied from the specification (fixtures/hsds/README.md). */
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "hsds");
type JsonSchema = { properties: Record<string, { type?: string; $ref?: string }>; path?: string };
const readSchema = (file: string) =>
  JSON.parse(readFileSync(join(FIXTURES, file), "utf8")) as JsonSchema;

let t: TestServer;
let manager: Awaited<ReturnType<typeof signInManager>>;
let withService: Asset;
let alone: Asset;
let service: Service;

beforeAll(async () => {
  t = await startTestServer();
  manager = await signInManager(t.app);
  const post = async <T>(url: string, body: unknown) => {
    const res = await manager.post(url, body);
    if (res.statusCode !== 201) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    return res.json() as T;
  };
  withService = await post<Asset>("/api/assets", {
    name: "מרכז יום לקשיש",
    altNames: { ar: "مركز نهاري للمسنين", en: "Day centre" },
    type: "day_center",
    newOrganization: { name: "עמותת ותיקים", kind: "ngo" },
    address: "הנביאים 3",
    location: { lat: 32.71, lon: 35.21 },
    capacity: 50,
    occupancy: 12,
    phone: "04-6000000",
    email: "day@example.org",
    website: "https://day.example.org",
    languages: ["he", "ar", "other"],
    accessibility: "מעלית, שירותי נכים",
    openingHours: [
      { day: "su", opens: "08:00", closes: "13:00" },
      { day: "th", opens: "08:00", closes: "24:00", note: "=cmd|' /C calc'!A0" },
    ],
  });
  service = await post<Service>("/api/assets/services", {
    name: "ארוחה חמה",
    category: "food",
    status: "temporarily_closed",
    phone: "1-800-222-333",
    locationIds: [withService.id],
    languages: ["he"],
    openingHours: [{ day: "mo", opens: "12:00", closes: "13:00" }],
  });
  // No organization, no services, no address: still a place in the directory.
  alone = await post<Asset>("/api/assets", { name: "מקלט 7", type: "shelter", capacity: 30 });
});
afterAll(async () => t.close());

describe("HSDS 3.0 export", () => {
  it("services.json validates against the compiled HSDS schema and the per-table schemas", async () => {
    const res = await manager.get("/api/assets/hsds/services.json");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-disposition"]).toContain("attachment");
    const all = res.json() as Record<string, unknown>[];
    // Demo data may be seeded too; ours is among them.
    const services = all.filter((x) => x.id === service.id);
    expect(services).toHaveLength(1);

    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const compiled = ajv.compile(readSchema("compiled/service_with_definitions.json"));
    for (const s of all) {
      expect(compiled(s), JSON.stringify(compiled.errors)).toBe(true);
    }

    // The per-table schemas reference each other by file name.
    const tables = new Ajv2020({ strict: false, allErrors: true });
    addFormats(tables);
    for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith(".json"))) {
      tables.addSchema(readSchema(file) as object, file);
    }
    const perTable = tables.getSchema("service.json")!;
    for (const s of all) expect(perTable(s), JSON.stringify(perTable.errors)).toBe(true);

    // A wrong export would be caught: the validator is not vacuous.
    expect(compiled({ ...services[0], status: "closed" })).toBe(false);
    expect(compiled({ ...services[0], id: "not-a-uuid" })).toBe(false);

    const s = services[0]! as {
      id: string;
      status: string;
      organization: { name: string };
      phones: { number: string }[];
      schedules: { byday: string; freq: string; opens_at: string }[];
      attributes: { taxonomy_term: { code: string } }[];
      service_at_locations: {
        location_id: string;
        location: {
          id: string;
          latitude: number;
          languages: { code?: string; name: string }[];
          addresses: { address_1: string; country: string }[];
          schedules: { byday: string; opens_at: string; closes_at: string }[];
          attributes: { link_type: string; value?: string; taxonomy_term: { code: string } }[];
        };
      }[];
    };
    expect(s.id).toBe(service.id);
    expect(s.status).toBe("temporarily closed");
    // No organization of its own: attributed to the department.
    expect(s.organization.name).toBeTruthy();
    expect(s.phones[0]!.number).toBe("1800222333");
    expect(s.schedules).toMatchObject([{ byday: "MO", freq: "WEEKLY", opens_at: "12:00" }]);
    expect(s.attributes.map((a) => a.taxonomy_term.code)).toEqual(["food"]);
    const loc = s.service_at_locations[0]!.location;
    expect(loc.id).toBe(withService.id);
    expect(loc.latitude).toBe(32.71);
    expect(loc.addresses[0]).toMatchObject({ address_1: "הנביאים 3", country: "IL" });
    expect(loc.languages.map((l) => l.name)).toEqual(["Hebrew", "Arabic", "Other"]);
    expect(loc.schedules.map((x) => `${x.byday} ${x.opens_at}-${x.closes_at}`)).toEqual([
      "SU 08:00-13:00",
      "TH 08:00-24:00",
    ]);
    expect(
      Object.fromEntries(loc.attributes.map((a) => [a.link_type, a.value ?? a.taxonomy_term.code])),
    ).toEqual({ asset_type: "day_center", capacity: "50", occupancy: "12" });
  });

  it("hsds.zip holds the HSDS tables with the specification's headers, and every place", async () => {
    const res = await manager.get("/api/assets/hsds.zip");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("application/zip");
    const files = unzipSync(new Uint8Array(res.rawPayload));
    const csv = (path: string) =>
      parse(strFromU8(files[path]!), { columns: true, bom: true }) as Record<string, string>[];

    for (const table of HSDS_TABLES) {
      const schema = readSchema(`${table.name}.json`);
      expect(table.path).toBe(schema.path);
      const scalar = Object.entries(schema.properties)
        .filter(([, p]) => p.type !== "array" && p.type !== "object" && !p.$ref)
        .map(([name]) => name);
      const header = strFromU8(files[table.path]!).split("\r\n")[0]!.split(",");
      expect(header, table.name).toEqual(scalar);
    }

    const locations = csv("locations.csv");
    expect(locations.map((l) => l.id)).toEqual(expect.arrayContaining([withService.id, alone.id]));
    expect(locations.find((l) => l.id === alone.id)).toMatchObject({
      name: "מקלט 7",
      location_type: "physical",
      organization_id: "",
    });
    expect(csv("service_at_location.csv").filter((x) => x.service_id === service.id)).toMatchObject(
      [{ service_id: service.id, location_id: withService.id }],
    );
    const schedules = csv("schedules.csv").filter(
      (x) => x.location_id === withService.id || x.service_id === service.id,
    );
    expect(schedules).toHaveLength(3);
    // A formula-looking note is neutralised for spreadsheets.
    expect(schedules.find((s) => s.byday === "TH")!.description).toBe("'=cmd|' /C calc'!A0");
    const terms = csv("taxonomy_terms.csv");
    const attributes = csv("attributes.csv");
    const shelterTerm = terms.find((x) => x.code === "shelter")!;
    expect(attributes).toContainEqual(
      expect.objectContaining({
        link_id: alone.id,
        link_entity: "location",
        taxonomy_term_id: shelterTerm.id,
      }),
    );
    const termIds = new Set(terms.map((x) => x.id));
    expect(attributes.every((a) => termIds.has(a.taxonomy_term_id!))).toBe(true);
    const taxonomies = new Set(csv("taxonomies.csv").map((x) => x.id));
    expect(terms.every((x) => taxonomies.has(x.taxonomy_id!))).toBe(true);
    expect(csv("organizations.csv").map((o) => o.name)).toContain("עמותת ותיקים");
    expect(csv("phones.csv").map((p) => p.number)).toContain("+97246000000");

    const datapackage = JSON.parse(strFromU8(files["datapackage.json"]!)) as {
      resources: { path: string; schema: { fields: { name: string }[] } }[];
    };
    expect(datapackage.resources.map((r) => r.path).sort()).toEqual(
      HSDS_TABLES.map((x) => x.path).sort(),
    );
  });

  it("derived ids are stable UUIDs; CSV cells are quoted where needed", () => {
    expect(stableId("a", "b")).toBe(stableId("a", "b"));
    expect(stableId("a", "b")).not.toBe(stableId("a", "c"));
    expect(stableId("x")).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(csvCell('say "hi", then')).toBe('"say ""hi"", then"');
    expect(csvCell("+972501234567")).toBe("+972501234567");
    expect(csvCell("-5")).toBe("-5");
    expect(csvCell("+SUM(A1)")).toBe("'+SUM(A1)");
    expect(csvCell("@x")).toBe("'@x");
    expect(csvCell(null)).toBe("");
  });
});
