import { createHash } from "node:crypto";
import { strToU8, zipSync } from "fflate";
import {
  ASSET_TYPES,
  ASSET_TYPE_GROUPS,
  SERVICE_CATEGORIES,
  WEEKDAYS,
  type AssetType,
  type AssetTypeGroup,
  type ServiceCategory,
  type Weekday,
} from "@kaveret/contracts";
import { addressOf } from "./assets.presenter.ts";
import type { Directory } from "./assets.repository.ts";

/*
 * The directory as Open Referral HSDS 3.0: compiled services (the shape of HSDS
 * `service_with_definitions`, organization and locations nested) and the tabular
 * form (one CSV per table + datapackage.json). Ids are ours; rows HSDS needs but we
 * do not keep as rows (addresses, phones, languages, taxonomy terms, attributes)
 * get ids derived from what they describe, so they are stable between exports.
 * HSDS leaves out a property rather than sending null, so empty values are omitted.
 */

type Json = Record<string, unknown>;

/** A stable UUID (name-based, SHA-1, RFC 4122 version 5 layout) for a derived row. */
export function stableId(...parts: string[]): string {
  const h = createHash("sha1").update(parts.join("\u0000")).digest("hex");
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Drops undefined, null and empty strings (HSDS omits what it does not know). */
function compact<T extends Json>(o: T): T {
  return Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== ""),
  ) as T;
}

/* ------------------------------------------------------------------ */
/* Our taxonomy terms (exported as HSDS taxonomy + taxonomy_term).       */
/* Labels here are the export's own text, not UI strings.               */
/* ------------------------------------------------------------------ */

const TYPE_LABELS: Record<AssetType, [en: string, he: string, ar: string]> = {
  school: ["School", "בית ספר", "مدرسة"],
  kindergarten: ["Kindergarten", "גן ילדים", "روضة أطفال"],
  clinic: ["Health clinic", "מרפאה", "عيادة"],
  community_center: ["Community center", "מתנ״ס / מרכז קהילתי", "مركز جماهيري"],
  synagogue: ["Synagogue", "בית כנסת", "كنيس"],
  mosque: ["Mosque", "מסגד", "مسجد"],
  church: ["Church", "כנסייה", "كنيسة"],
  house_of_worship: ["House of worship", "בית תפילה", "دار عبادة"],
  shelter: ["Public shelter", "מקלט ציבורי", "ملجأ عام"],
  distribution_point: ["Distribution point", "נקודת חלוקה", "نقطة توزيع"],
  welfare_office: ["Social services office", "לשכת רווחה", "مكتب الرفاه الاجتماعي"],
  elderly_club: ["Senior citizens club", "מועדון אזרחים ותיקים", "نادي المسنين"],
  day_center: ["Day center", "מרכז יום", "مركز نهاري"],
  youth_club: ["Youth club", "מועדון נוער", "نادي الشبيبة"],
  library: ["Library", "ספרייה", "مكتبة"],
  sports_facility: ["Sports facility", "מתקן ספורט", "منشأة رياضية"],
  park: ["Park", "פארק / גינה ציבורית", "حديقة عامة"],
  public_space: ["Public space", "מרחב ציבורי", "فضاء عام"],
  business: ["Business", "עסק", "مصلحة تجارية"],
  ngo: ["Non-profit organization", "עמותה", "جمعية"],
  other: ["Other", "אחר", "آخر"],
};

const GROUP_LABELS: Record<AssetTypeGroup, string> = {
  education: "Education",
  health_welfare: "Health and welfare",
  community: "Community",
  worship: "Worship",
  emergency: "Emergency",
  open_space: "Open spaces and sport",
  other: "Other",
};

const CATEGORY_LABELS: Record<ServiceCategory, string> = {
  food: "Food",
  housing: "Housing",
  health: "Health",
  mental_health: "Mental health",
  education: "Education",
  children_youth: "Children and youth",
  elderly: "Older people",
  disability: "Disability",
  employment: "Employment",
  welfare: "Welfare",
  legal: "Legal aid",
  religious: "Religious",
  culture_leisure: "Culture and leisure",
  sports: "Sports",
  emergency: "Emergency",
  transport: "Transport",
  volunteering: "Volunteering",
  other: "Other",
};

const LANGUAGE_NAMES: Record<string, string> = {
  he: "Hebrew",
  ar: "Arabic",
  en: "English",
  ru: "Russian",
  am: "Amharic",
  fr: "French",
  es: "Spanish",
  ti: "Tigrinya",
  other: "Other",
};

const STATUS: Record<string, string> = {
  active: "active",
  inactive: "inactive",
  defunct: "defunct",
  temporarily_closed: "temporarily closed",
};

type Taxonomy = { id: string; name: string; description: string };
type Term = Json & { id: string; code: string; name: string; description: string };

function taxonomiesOf(departmentId: string) {
  const assetTypes: Taxonomy = {
    id: stableId(departmentId, "taxonomy", "asset_type"),
    name: "Kaveret asset types",
    description: "Types of community assets (places) in Kaveret's asset mapping.",
  };
  const categories: Taxonomy = {
    id: stableId(departmentId, "taxonomy", "service_category"),
    name: "Kaveret service categories",
    description: "Categories of services offered at community assets.",
  };
  const facts: Taxonomy = {
    id: stableId(departmentId, "taxonomy", "location_fact"),
    name: "Kaveret location facts",
    description: "Measured facts about a place; the attribute's value holds the number.",
  };
  const term = (t: Taxonomy, code: string, name: string, description: string, parent?: string) =>
    compact({
      id: stableId(t.id, code),
      code,
      name,
      description,
      parent_id: parent,
      taxonomy: t.name,
      language: "en",
      taxonomy_id: t.id,
    }) as Term;
  const groupTerms = new Map<AssetTypeGroup, Term>();
  for (const group of Object.keys(ASSET_TYPE_GROUPS) as AssetTypeGroup[]) {
    groupTerms.set(
      group,
      term(assetTypes, `group:${group}`, GROUP_LABELS[group], GROUP_LABELS[group]),
    );
  }
  const groupOf = (type: AssetType) =>
    (Object.keys(ASSET_TYPE_GROUPS) as AssetTypeGroup[]).find((g) =>
      (ASSET_TYPE_GROUPS[g] as readonly string[]).includes(type),
    ) ?? "other";
  const typeTerms = new Map<string, Term>(
    ASSET_TYPES.map((type) => {
      const [en, he, ar] = TYPE_LABELS[type];
      return [type, term(assetTypes, type, en, `${he} · ${ar}`, groupTerms.get(groupOf(type))!.id)];
    }),
  );
  const categoryTerms = new Map<string, Term>(
    SERVICE_CATEGORIES.map((c) => [c, term(categories, c, CATEGORY_LABELS[c], CATEGORY_LABELS[c])]),
  );
  const factTerms = {
    capacity: term(facts, "capacity", "Capacity", "People the place can hold or serve at once."),
    occupancy: term(facts, "occupancy", "Occupancy", "People in the place at the last update."),
  };
  return {
    taxonomies: [assetTypes, categories, facts],
    terms: [
      ...groupTerms.values(),
      ...typeTerms.values(),
      ...categoryTerms.values(),
      factTerms.capacity,
      factTerms.occupancy,
    ],
    typeTerms,
    categoryTerms,
    factTerms,
  };
}

/* ------------------------------------------------------------------ */
/* Rows.                                                                */
/* ------------------------------------------------------------------ */

/** Everything the export needs, as HSDS rows (flat, with foreign keys). */
export function hsdsRows(departmentId: string, dir: Directory) {
  const tax = taxonomiesOf(departmentId);
  const orgIds = new Set(dir.organizations.map((o) => o.id));
  const place = dir.place;

  // Services without an organization are attributed to the department itself
  // (HSDS tabular needs service.organization_id).
  const departmentOrg = {
    id: stableId(departmentId, "organization"),
    name: place?.department ?? "Department",
    description: place
      ? `${place.department}, ${place.city}`
      : "The municipal social services department.",
  };
  const needsDepartmentOrg = dir.services.some(
    (s) => !s.organizationId || !orgIds.has(s.organizationId),
  );

  const organizations: Json[] = [
    ...dir.organizations.map((o) => ({
      ...compact({
        id: o.id,
        name: o.name,
        alternate_name: Object.values(o.altNames).join(" / "),
        email: o.email,
        website: o.website,
      }),
      // Required by HSDS, even when empty.
      description: o.description,
    })),
    ...(needsDepartmentOrg ? [departmentOrg] : []),
  ];

  const locations: Json[] = dir.locations.map(({ location: l }) =>
    compact({
      id: l.id,
      location_type: "physical",
      url: l.website,
      organization_id: l.organizationId && orgIds.has(l.organizationId) ? l.organizationId : null,
      name: l.name,
      alternate_name: Object.values(l.altNames).join(" / "),
      description: l.description,
      latitude: l.lat,
      longitude: l.lon,
    }),
  );

  const addresses: Json[] = dir.locations.flatMap((r) => {
    const l = r.location;
    const a = addressOf({
      streetId: l.streetId,
      streetName: r.streetName,
      houseNumber: l.houseNumber,
      address: l.address,
    });
    if (!a.display) return [];
    return [
      {
        id: stableId(l.id, "address"),
        location_id: l.id,
        address_1: a.display,
        city: place?.city ?? "",
        region: r.communityName ?? undefined,
        state_province: place?.district ?? "",
        // Not kept; HSDS requires the column.
        postal_code: "",
        country: "IL",
        address_type: "physical",
      },
    ].map(compactKeepingRequired);
  });

  const servicesById = new Map(dir.services.map((s) => [s.id, s]));
  const locationIds = new Set(dir.locations.map((r) => r.location.id));
  const links = dir.links.filter(
    (link) => servicesById.has(link.serviceId) && locationIds.has(link.locationId),
  );

  const services: Json[] = dir.services.map((s) =>
    compact({
      id: s.id,
      organization_id:
        s.organizationId && orgIds.has(s.organizationId) ? s.organizationId : departmentOrg.id,
      name: s.name,
      alternate_name: Object.values(s.altNames).join(" / "),
      description: s.description,
      url: s.url,
      email: s.email,
      status: STATUS[s.status] ?? "active",
      fees_description: s.fees,
      eligibility_description: s.eligibility,
      last_modified: s.updatedAt.toISOString(),
    }),
  );

  const serviceAtLocations: Json[] = links.map((link) => ({
    id: link.id,
    service_id: link.serviceId,
    location_id: link.locationId,
  }));

  const dayIndex = (byDay: string) => WEEKDAYS.indexOf(byDay.toLowerCase() as Weekday);
  const schedules: Json[] = [...dir.schedules]
    .sort((a, b) => dayIndex(a.byDay) - dayIndex(b.byDay) || a.opensAt.localeCompare(b.opensAt))
    .filter(
      (s) =>
        (s.locationId && locationIds.has(s.locationId)) ||
        (s.serviceId && servicesById.has(s.serviceId)),
    )
    .map((s) =>
      compact({
        id: s.id,
        service_id: s.serviceId,
        location_id: s.locationId,
        freq: "WEEKLY",
        wkst: "SU",
        byday: s.byDay,
        // Local time in Israel (Asia/Jerusalem); the offset changes with daylight saving.
        opens_at: s.opensAt,
        closes_at: s.closesAt,
        description: s.description,
        notes: "Local time (Asia/Jerusalem)",
      }),
    );

  const phones: Json[] = [
    ...dir.organizations.flatMap((o) =>
      o.phone
        ? [{ id: stableId(o.id, "phone"), organization_id: o.id, number: o.phone, type: "voice" }]
        : [],
    ),
    ...dir.locations.flatMap(({ location: l }) =>
      l.phone
        ? [{ id: stableId(l.id, "phone"), location_id: l.id, number: l.phone, type: "voice" }]
        : [],
    ),
    ...dir.services.flatMap((s) =>
      s.phone
        ? [{ id: stableId(s.id, "phone"), service_id: s.id, number: s.phone, type: "voice" }]
        : [],
    ),
  ];

  const language = (owner: Json, ownerId: string, code: string) =>
    compact({
      id: stableId(ownerId, "language", code),
      ...owner,
      name: LANGUAGE_NAMES[code] ?? code,
      code: code === "other" ? undefined : code,
    });
  const languages: Json[] = [
    ...dir.locations.flatMap(({ location: l }) =>
      l.languages.map((code) => language({ location_id: l.id }, l.id, code)),
    ),
    ...dir.services.flatMap((s) =>
      s.languages.map((code) => language({ service_id: s.id }, s.id, code)),
    ),
  ];

  const accessibility: Json[] = dir.locations.flatMap(({ location: l }) =>
    l.accessibility
      ? [
          {
            id: stableId(l.id, "accessibility"),
            location_id: l.id,
            description: l.accessibility,
          },
        ]
      : [],
  );

  const attributes: Json[] = [
    ...dir.locations.flatMap(({ location: l }) => {
      const type = tax.typeTerms.get(l.assetType) ?? tax.typeTerms.get("other")!;
      const rows: Json[] = [
        {
          id: stableId(l.id, "attribute", type.id),
          link_id: l.id,
          taxonomy_term_id: type.id,
          link_type: "asset_type",
          link_entity: "location",
        },
      ];
      for (const [fact, value] of [
        ["capacity", l.capacity],
        ["occupancy", l.occupancy],
      ] as const) {
        if (value === null) continue;
        const term = tax.factTerms[fact];
        rows.push({
          id: stableId(l.id, "attribute", term.id),
          link_id: l.id,
          taxonomy_term_id: term.id,
          link_type: fact,
          link_entity: "location",
          value: String(value),
        });
      }
      return rows;
    }),
    ...dir.services.map((s) => {
      const term = tax.categoryTerms.get(s.category) ?? tax.categoryTerms.get("other")!;
      return {
        id: stableId(s.id, "attribute", term.id),
        link_id: s.id,
        taxonomy_term_id: term.id,
        link_type: "service_category",
        link_entity: "service",
      };
    }),
  ];

  return {
    organizations,
    services,
    locations,
    serviceAtLocations,
    schedules,
    addresses,
    phones,
    languages,
    accessibility,
    taxonomies: tax.taxonomies as Json[],
    taxonomyTerms: tax.terms as Json[],
    attributes,
  };
}

/** compact() but keeps HSDS-required address columns even when empty. */
function compactKeepingRequired(row: Json): Json {
  const required = ["address_1", "city", "state_province", "postal_code", "country"];
  return Object.fromEntries(
    Object.entries(row).filter(
      ([k, v]) => required.includes(k) || (v !== undefined && v !== null && v !== ""),
    ),
  );
}

export type HsdsRows = ReturnType<typeof hsdsRows>;

/* ------------------------------------------------------------------ */
/* Compiled services (HSDS service_with_definitions).                   */
/* ------------------------------------------------------------------ */

const by = <T extends Json>(rows: T[], key: string) => {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = r[key];
    if (typeof k !== "string") continue;
    m.set(k, [...(m.get(k) ?? []), r]);
  }
  return (id: string) => m.get(id) ?? [];
};

/** Services with their organization, locations (via service_at_location) and schedules nested. */
export function compiledServices(rows: HsdsRows): Json[] {
  const termById = new Map(rows.taxonomyTerms.map((t) => [t.id as string, t]));
  const taxonomyById = new Map(rows.taxonomies.map((t) => [t.id as string, t]));
  const withTerm = (a: Json) => {
    const term = termById.get(a.taxonomy_term_id as string);
    if (!term) return a;
    const detail = taxonomyById.get(term.taxonomy_id as string);
    return { ...a, taxonomy_term: { ...term, ...(detail ? { taxonomy_detail: detail } : {}) } };
  };
  const attributesOf = by(rows.attributes, "link_id");
  const schedulesOfLocation = by(rows.schedules, "location_id");
  const schedulesOfService = by(rows.schedules, "service_id");
  const phonesOfLocation = by(rows.phones, "location_id");
  const phonesOfService = by(rows.phones, "service_id");
  const phonesOfOrganization = by(rows.phones, "organization_id");
  const languagesOfLocation = by(rows.languages, "location_id");
  const languagesOfService = by(rows.languages, "service_id");
  const addressesOf = by(rows.addresses, "location_id");
  const accessibilityOf = by(rows.accessibility, "location_id");
  const linksOf = by(rows.serviceAtLocations, "service_id");
  const locationById = new Map(rows.locations.map((l) => [l.id as string, l]));
  const organizationById = new Map(rows.organizations.map((o) => [o.id as string, o]));

  const fullLocation = (l: Json) => {
    const id = l.id as string;
    return {
      ...l,
      languages: languagesOfLocation(id),
      addresses: addressesOf(id),
      accessibility: accessibilityOf(id),
      phones: phonesOfLocation(id),
      schedules: schedulesOfLocation(id),
      attributes: attributesOf(id).map(withTerm),
    };
  };

  return rows.services.map((s) => {
    const id = s.id as string;
    const org = organizationById.get(s.organization_id as string);
    return {
      ...s,
      phones: phonesOfService(id),
      schedules: schedulesOfService(id),
      service_at_locations: linksOf(id).flatMap((link) => {
        const location = locationById.get(link.location_id as string);
        return location ? [{ ...link, location: fullLocation(location) }] : [];
      }),
      languages: languagesOfService(id),
      ...(org
        ? {
            organization: {
              ...org,
              phones: phonesOfOrganization(org.id as string),
            },
          }
        : {}),
      attributes: attributesOf(id).map(withTerm),
    };
  });
}

/* ------------------------------------------------------------------ */
/* Tabular form: CSVs + datapackage.json, zipped.                       */
/* ------------------------------------------------------------------ */

/** HSDS 3.0 tables we fill: file, columns (the schema's own order) and numeric columns. */
export const HSDS_TABLES = [
  {
    name: "organization",
    path: "organizations.csv",
    rows: "organizations",
    columns: [
      "id",
      "name",
      "alternate_name",
      "description",
      "email",
      "website",
      "tax_status",
      "tax_id",
      "year_incorporated",
      "legal_status",
      "logo",
      "uri",
      "parent_organization_id",
    ],
  },
  {
    name: "service",
    path: "services.csv",
    rows: "services",
    columns: [
      "id",
      "organization_id",
      "program_id",
      "name",
      "alternate_name",
      "description",
      "url",
      "email",
      "status",
      "interpretation_services",
      "application_process",
      "fees_description",
      "wait_time",
      "fees",
      "accreditations",
      "eligibility_description",
      "minimum_age",
      "maximum_age",
      "assured_date",
      "assurer_email",
      "licenses",
      "alert",
      "last_modified",
    ],
  },
  {
    name: "location",
    path: "locations.csv",
    rows: "locations",
    columns: [
      "id",
      "location_type",
      "url",
      "organization_id",
      "name",
      "alternate_name",
      "description",
      "transportation",
      "latitude",
      "longitude",
      "external_identifier",
      "external_identifier_type",
    ],
  },
  {
    name: "service_at_location",
    path: "service_at_location.csv",
    rows: "serviceAtLocations",
    columns: ["id", "service_id", "location_id", "description"],
  },
  {
    name: "schedule",
    path: "schedules.csv",
    rows: "schedules",
    columns: [
      "id",
      "service_id",
      "location_id",
      "service_at_location_id",
      "valid_from",
      "valid_to",
      "dtstart",
      "timezone",
      "until",
      "count",
      "wkst",
      "freq",
      "interval",
      "byday",
      "byweekno",
      "bymonthday",
      "byyearday",
      "description",
      "opens_at",
      "closes_at",
      "schedule_link",
      "attending_type",
      "notes",
    ],
  },
  {
    name: "address",
    path: "addresses.csv",
    rows: "addresses",
    columns: [
      "id",
      "location_id",
      "attention",
      "address_1",
      "address_2",
      "city",
      "region",
      "state_province",
      "postal_code",
      "country",
      "address_type",
    ],
  },
  {
    name: "phone",
    path: "phones.csv",
    rows: "phones",
    columns: [
      "id",
      "location_id",
      "service_id",
      "organization_id",
      "contact_id",
      "service_at_location_id",
      "number",
      "extension",
      "type",
      "description",
    ],
  },
  {
    name: "language",
    path: "languages.csv",
    rows: "languages",
    columns: ["id", "service_id", "location_id", "phone_id", "name", "code", "note"],
  },
  {
    name: "accessibility",
    path: "accessibility.csv",
    rows: "accessibility",
    columns: ["id", "location_id", "description", "details", "url"],
  },
  {
    name: "taxonomy",
    path: "taxonomies.csv",
    rows: "taxonomies",
    columns: ["id", "name", "description", "uri", "version"],
  },
  {
    name: "taxonomy_term",
    path: "taxonomy_terms.csv",
    rows: "taxonomyTerms",
    columns: [
      "id",
      "code",
      "name",
      "description",
      "parent_id",
      "taxonomy",
      "language",
      "taxonomy_id",
      "term_uri",
    ],
  },
  {
    name: "attribute",
    path: "attributes.csv",
    rows: "attributes",
    columns: ["id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value"],
  },
] as const satisfies readonly {
  name: string;
  path: string;
  rows: keyof HsdsRows;
  columns: readonly string[];
}[];

const NUMBER_COLUMNS = new Set([
  "latitude",
  "longitude",
  "year_incorporated",
  "minimum_age",
  "maximum_age",
  "timezone",
  "count",
  "interval",
  "extension",
]);

/**
 * One CSV cell. Text a spreadsheet would run as a formula (=, @, +, - followed by
 * more than a number) gets a leading apostrophe; phone numbers like +972… stay as they are.
 */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return "";
  let s = String(value);
  if (/^[=@\t\r]/.test(s) || (/^[+-]/.test(s) && !/^[+-][\d\s().-]*$/.test(s))) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(columns: readonly string[], rows: Json[]): string {
  const lines = [columns.join(",")];
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

/** The tabular export as a ZIP: one CSV per table and a Frictionless datapackage.json. */
export function hsdsZip(rows: HsdsRows, meta: { title: string; created: Date }): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  for (const table of HSDS_TABLES) {
    files[table.path] = strToU8(toCsv(table.columns, rows[table.rows]));
  }
  const datapackage = {
    profile: "tabular-data-package",
    name: "kaveret-hsds-directory",
    title: meta.title,
    description:
      "Community assets directory in Open Referral HSDS 3.0 tabular form. Times are local (Asia/Jerusalem).",
    created: meta.created.toISOString(),
    licenses: [],
    resources: HSDS_TABLES.map((table) => ({
      name: table.name,
      path: table.path,
      profile: "tabular-data-resource",
      format: "csv",
      mediatype: "text/csv",
      encoding: "utf-8",
      schema: {
        fields: table.columns.map((name) => ({
          name,
          type: NUMBER_COLUMNS.has(name)
            ? "number"
            : name === "last_modified"
              ? "datetime"
              : "string",
        })),
        primaryKey: "id",
      },
    })),
  };
  files["datapackage.json"] = strToU8(JSON.stringify(datapackage, null, 2));
  return zipSync(files, { level: 6 });
}
