import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  smallint,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();

/* ------------------------------------------------------------------ */
/* Organization tree: ministry (the national service, implicit root)  */
/* → district → local authority → department.                          */
/* ------------------------------------------------------------------ */

export const districts = pgTable("districts", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  createdAt: createdAt(),
});

export const localAuthorities = pgTable("local_authorities", {
  id: uuid("id").primaryKey().defaultRandom(),
  districtId: uuid("district_id")
    .notNull()
    .references(() => districts.id),
  name: text("name").notNull(),
  createdAt: createdAt(),
});

export type DepartmentSettings = {
  /** When true, manager, district and ministry roles must enrol a TOTP second factor. */
  requireTwoFactorForManagers?: boolean;
  defaultLocale?: "he" | "ar" | "en";
  /** Residents may report needs without an account (public page and widget); default true. */
  publicIntake?: boolean;
  /** Sites allowed to embed the need-report widget (origins). */
  widgetOrigins?: string[];
  /** The number inbound SMS arrive at (E.164), routing them to this department. */
  smsNumber?: string;
  /** The WhatsApp Cloud API phone number id routing messages to this department. */
  whatsappPhoneNumberId?: string;
};

export const departments = pgTable("departments", {
  id: uuid("id").primaryKey().defaultRandom(),
  localAuthorityId: uuid("local_authority_id")
    .notNull()
    .references(() => localAuthorities.id),
  /** The department's name in Hebrew (its official name). */
  name: text("name").notNull(),
  /** Names in other languages, keyed by locale (ar, en, ru, am); Hebrew is `name`. */
  altNames: jsonb("alt_names").$type<Record<string, string>>().notNull().default({}),
  settings: jsonb("settings").$type<DepartmentSettings>().notNull().default({}),
  createdAt: createdAt(),
});

/* ------------------------------------------------------------------ */
/* Authentication tables (better-auth). Field names follow its model.  */
/* ------------------------------------------------------------------ */

export const user = pgTable(
  "user",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    email: text("email").notNull().unique(),
    emailVerified: boolean("email_verified").notNull().default(false),
    image: text("image"),
    phoneNumber: text("phone_number").unique(),
    phoneNumberVerified: boolean("phone_number_verified"),
    twoFactorEnabled: boolean("two_factor_enabled").default(false),
    /** staff | resident */
    kind: text("kind").notNull().default("staff"),
    locale: text("locale").notNull().default("he"),
    active: boolean("active").notNull().default(true),
    failedSignIns: integer("failed_sign_ins").notNull().default(0),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("user_kind_idx").on(t.kind)],
);

export const session = pgTable(
  "session",
  {
    id: text("id").primaryKey(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    token: text("token").notNull().unique(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("session_user_idx").on(t.userId)],
);

export const account = pgTable(
  "account",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    providerId: text("provider_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    accessToken: text("access_token"),
    refreshToken: text("refresh_token"),
    idToken: text("id_token"),
    accessTokenExpiresAt: timestamp("access_token_expires_at", { withTimezone: true }),
    refreshTokenExpiresAt: timestamp("refresh_token_expires_at", { withTimezone: true }),
    scope: text("scope"),
    password: text("password"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("account_user_idx").on(t.userId)],
);

export const verification = pgTable(
  "verification",
  {
    id: text("id").primaryKey(),
    identifier: text("identifier").notNull(),
    value: text("value").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("verification_identifier_idx").on(t.identifier)],
);

export const twoFactor = pgTable(
  "two_factor",
  {
    id: text("id").primaryKey(),
    secret: text("secret").notNull(),
    backupCodes: text("backup_codes").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    verified: boolean("verified").default(true),
    failedVerificationCount: integer("failed_verification_count").default(0),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("two_factor_user_idx").on(t.userId)],
);

/* ------------------------------------------------------------------ */
/* Roles. A user may hold roles in several departments (or a district, */
/* or the ministry) and switches between them.                          */
/* ------------------------------------------------------------------ */

export const roleAssignments = pgTable(
  "role_assignments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    role: text("role").notNull(),
    /** Set for department roles. */
    departmentId: uuid("department_id").references(() => departments.id),
    /** Set for the district role. */
    districtId: uuid("district_id").references(() => districts.id),
    /** A manager deactivates a person in their department without touching other departments. */
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
    createdBy: text("created_by"),
  },
  (t) => [
    index("role_assignments_user_idx").on(t.userId),
    index("role_assignments_department_idx").on(t.departmentId, t.role),
    unique("role_assignments_unique")
      .on(t.userId, t.role, t.departmentId, t.districtId)
      .nullsNotDistinct(),
  ],
);

/* ------------------------------------------------------------------ */
/* Tenant tables: department_id leads every key.                        */
/* ------------------------------------------------------------------ */

export type GeoJsonGeometry = {
  type: "Polygon" | "MultiPolygon";
  coordinates: unknown;
};

export type KeyContact = { name: string; role: string; phone?: string; email?: string };

export const communities = pgTable(
  "communities",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    id: uuid("id").notNull().defaultRandom(),
    /** geographic | functional */
    kind: text("kind").notNull(),
    /** town | neighbourhood | street_cluster | building — geographic only */
    level: text("level"),
    parentId: uuid("parent_id"),
    name: text("name").notNull(),
    /** Names in other languages, keyed by locale. */
    altNames: jsonb("alt_names").$type<Record<string, string>>().notNull().default({}),
    description: text("description").notNull().default(""),
    membershipCriteria: text("membership_criteria").notNull().default(""),
    boundary: jsonb("boundary").$type<GeoJsonGeometry | null>(),
    population: integer("population"),
    languages: text("languages")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** routine | emergency */
    mode: text("mode").notNull().default("routine"),
    /** Free notes of the community worker (not personal data of residents). */
    notes: text("notes").notNull().default(""),
    /** Key contacts: principal, imam, rabbi, committee head… (name, role, phone, email). */
    keyContacts: jsonb("key_contacts").$type<KeyContact[]>().notNull().default([]),
    /** Statistical-area code (CBS), used to match imported population figures. */
    statAreaCode: text("stat_area_code"),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    createdBy: text("created_by"),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.id] }),
    index("communities_parent_idx").on(t.departmentId, t.parentId),
    index("communities_name_idx").on(t.departmentId, t.name),
    index("communities_stat_area_idx").on(t.departmentId, t.statAreaCode),
  ],
);

export const communityAssignments = pgTable(
  "community_assignments",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    communityId: uuid("community_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.userId, t.communityId] }),
    index("community_assignments_community_idx").on(t.departmentId, t.communityId),
  ],
);

export const invitations = pgTable(
  "invitations",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    id: uuid("id").notNull().defaultRandom(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: text("role").notNull(),
    communityIds: uuid("community_ids")
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    /** SHA-256 of the token sent by e-mail; the token itself is never stored. */
    tokenHash: text("token_hash").notNull(),
    invitedBy: text("invited_by").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.id] }),
    uniqueIndex("invitations_token_idx").on(t.tokenHash),
  ],
);

/**
 * Append-only audit trail. A trigger (see the migration) refuses UPDATE and
 * DELETE, so not even a bug in our code can rewrite history.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /** Null for events outside a department (ministry, sign-in). */
    departmentId: uuid("department_id"),
    actorUserId: text("actor_user_id"),
    actorRole: text("actor_role"),
    /** e.g. community.create, community.read_sensitive, user.deactivate */
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id"),
    purpose: text("purpose"),
    /** Names of the fields changed or read — never their values when personal. */
    fields: text("fields")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    requestId: text("request_id"),
    /** The community the change concerns, for a community's "recent activity". */
    communityId: uuid("community_id"),
    createdAt: createdAt(),
  },
  (t) => [
    index("audit_community_time_idx").on(t.departmentId, t.communityId, t.createdAt),
    index("audit_department_time_idx").on(t.departmentId, t.createdAt),
    index("audit_entity_idx").on(t.departmentId, t.entityType, t.entityId),
    index("audit_actor_idx").on(t.actorUserId, t.createdAt),
  ],
);

/** The local message transport's outbox: what would have gone by SMS or e-mail. */
export const devOutbox = pgTable(
  "dev_outbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    channel: text("channel").notNull(),
    to: text("to").notNull(),
    subject: text("subject"),
    body: text("body").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("dev_outbox_to_idx").on(t.to, t.createdAt)],
);

/* ------------------------------------------------------------------ */
/* Community profile: population and other figures per period.         */
/* ------------------------------------------------------------------ */

export const communityFigures = pgTable(
  "community_figures",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    communityId: uuid("community_id").notNull(),
    /** e.g. population, households, age_0_17, age_65_plus, age_75_plus, … (contracts: FIGURE_INDICATORS) */
    indicator: text("indicator").notNull(),
    /** Usually a year ("2024"); free text such as "2024-Q1" is allowed. */
    period: text("period").notNull(),
    value: doublePrecision("value").notNull(),
    /** manual | import | cbs … */
    source: text("source").notNull().default("manual"),
    updatedAt: updatedAt(),
    updatedBy: text("updated_by"),
  },
  (t) => [primaryKey({ columns: [t.departmentId, t.communityId, t.indicator, t.period] })],
);

/* ------------------------------------------------------------------ */
/* Streets of each town (addresses without an external geocoder).       */
/* ------------------------------------------------------------------ */

export type GeoJsonLine = {
  type: "LineString" | "MultiLineString";
  coordinates: unknown;
};

export const streets = pgTable(
  "streets",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    id: uuid("id").notNull().defaultRandom(),
    /** The town (a geographic community of level "town") the street is in. */
    townId: uuid("town_id").notNull(),
    name: text("name").notNull(),
    altNames: jsonb("alt_names").$type<Record<string, string>>().notNull().default({}),
    /** Optional line geometry, drawn on the plain map when there is no tile server. */
    geometry: jsonb("geometry").$type<GeoJsonLine | null>(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.id] }),
    uniqueIndex("streets_town_name_idx").on(t.departmentId, t.townId, t.name),
  ],
);

/* ------------------------------------------------------------------ */
/* Residents. Sensitive fields (vulnerability flags, health notes, ID   */
/* number) are stored encrypted (AES-256-GCM, apps/server/src/lib/     */
/* crypto.ts); `flag_tokens` and `id_number_hash` are keyed HMACs      */
/* (blind indexes) so they can be filtered and matched without         */
/* decrypting.                                                         */
/* ------------------------------------------------------------------ */

export const households = pgTable(
  "households",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    id: uuid("id").notNull().defaultRandom(),
    label: text("label").notNull().default(""),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.departmentId, t.id] })],
);

export const residents = pgTable(
  "residents",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    id: uuid("id").notNull().defaultRandom(),
    firstName: text("first_name").notNull(),
    lastName: text("last_name").notNull(),
    /** The name in other scripts or spellings ("Ahmad Masarwa", "أحمد مصاروة"). */
    otherNames: text("other_names").notNull().default(""),
    /** Normalized names (+ Latin transliteration) for trigram search; written by the server. */
    searchText: text("search_text").notNull().default(""),
    /**
     * The first name's key for finding duplicates, from search_text ("normalized ~
     * skeletons"): the first word's consonant skeleton when every word has one (so the
     * first skeleton is the first word's: "משה", "מושה", "Moshe" → "ms"), else the
     * normalized first word. Duplicates are looked for among the people of one address
     * sharing it, so a family is not compared pairwise.
     */
    nameKey: text("name_key").generatedAlwaysAs(
      sql`case when array_length(string_to_array(split_part(search_text, ' ~ ', 2), ' '), 1) = array_length(string_to_array(split_part(search_text, ' ~ ', 1), ' '), 1) then split_part(split_part(search_text, ' ~ ', 2), ' ', 1) else split_part(search_text, ' ', 1) end`,
    ),
    /** E.164 */
    phone: text("phone"),
    email: text("email"),
    birthYear: smallint("birth_year"),
    /** female | male | other */
    gender: text("gender"),
    streetId: uuid("street_id"),
    houseNumber: text("house_number"),
    apartment: text("apartment"),
    addressNote: text("address_note").notNull().default(""),
    lat: doublePrecision("lat"),
    lon: doublePrecision("lon"),
    /** The smallest geographic community the resident lives in. */
    homeCommunityId: uuid("home_community_id"),
    /**
     * Every community the resident belongs to and all their ancestors, kept by triggers on
     * resident_communities and communities (migration residents_community_ids): "members of
     * this community or anything inside it" is then `community_ids @> {id}`, served by
     * residents_attrs_idx together with flags, languages and consents.
     */
    communityIds: uuid("community_ids")
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    languages: text("languages")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    householdId: uuid("household_id"),
    /** head | partner | child | parent | other */
    householdRole: text("household_role"),
    /** leader | activist | volunteer */
    communityRoles: text("community_roles")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    skills: text("skills")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Purposes currently consented to (kept in step with resident_consents, which holds the history). */
    consents: text("consents")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Encrypted JSON array of vulnerability flags. */
    flagsEnc: text("flags_enc"),
    /** Blind index of the flags: HMAC(key, department, flag) per flag. */
    flagTokens: text("flag_tokens")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    healthNotesEnc: text("health_notes_enc"),
    idNumberEnc: text("id_number_enc"),
    /** Blind index of the Israeli ID number, for duplicate detection. */
    idNumberHash: text("id_number_hash"),
    /** General notes (not health-related). */
    notes: text("notes").notNull().default(""),
    /** The resident's own login, when they have one. */
    userId: text("user_id"),
    mergedIntoId: uuid("merged_into_id"),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    createdBy: text("created_by"),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.id] }),
    index("residents_name_idx").on(t.departmentId, t.lastName, t.firstName),
    // btree_gin lets one GIN index serve "this department, names like …".
    // With the communities too: a community worker's name search intersects their
    // communities and the name's trigrams inside one index scan (280 → 12 ms at 1M for a
    // family name shared by 39,000 people); without a community it serves the department.
    index("residents_search_scope_idx").using(
      "gin",
      t.departmentId,
      t.communityIds,
      sql`${t.searchText} gin_trgm_ops`,
    ),
    index("residents_phone_idx").on(t.departmentId, t.phone),
    index("residents_id_hash_idx").on(t.departmentId, t.idNumberHash),
    index("residents_home_idx").on(t.departmentId, t.homeCommunityId),
    index("residents_address_idx").on(t.departmentId, t.streetId, t.houseNumber),
    // The duplicates queue: live residents grouped by address and first-name key, from the index alone.
    index("residents_address_name_idx")
      .on(t.departmentId, t.streetId, t.houseNumber, t.nameKey)
      .where(sql`${t.mergedIntoId} is null and ${t.archivedAt} is null`),
    index("residents_household_idx").on(t.departmentId, t.householdId),
    // One GIN index (btree_gin for the department) for the drill-down filters together, so
    // "75+ living alone in this town" is one bitmap over the intersection.
    index("residents_attrs_idx").using(
      "gin",
      t.departmentId,
      t.communityIds,
      t.flagTokens,
      t.languages,
      t.consents,
      t.communityRoles,
    ),
    index("residents_updated_idx").on(t.departmentId, t.updatedAt),
    // Residents list: "newest first" and finding someone by e-mail.
    index("residents_created_idx").on(t.departmentId, t.createdAt),
    index("residents_email_idx").on(t.departmentId, sql`lower(${t.email})`),
    index("residents_user_idx").on(t.userId),
    // Map clusters and points: live residents in a box, answered from the index alone.
    index("residents_geo_idx")
      .on(t.departmentId, t.lon, t.lat, t.id)
      .where(sql`${t.mergedIntoId} is null and ${t.archivedAt} is null`),
  ],
);

/** Which communities a resident belongs to (home geography and its ancestors, functional ones…). */
export const residentCommunities = pgTable(
  "resident_communities",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    residentId: uuid("resident_id").notNull(),
    communityId: uuid("community_id").notNull(),
    /** address | manual | import */
    source: text("source").notNull().default("manual"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.residentId, t.communityId] }),
    index("resident_communities_community_idx").on(t.departmentId, t.communityId, t.residentId),
  ],
);

/* ------------------------------------------------------------------ */
/* Resident tallies: counts the community page and the map read        */
/* instead of counting a town's residents on every request. Kept by    */
/* triggers on residents in the writer's transaction (migration        */
/* resident_tallies): writers only INSERT signed deltas, so no two     */
/* writers ever wait on the same counter row; a fold adds the deltas   */
/* into the totals from time to time, and a recount rebuilds both from */
/* the residents (packages/db/src/resident-tallies.ts).                */
/* Live residents only (not merged away, not archived), per community  */
/* in `community_ids` (members of it or of anything inside it). The    */
/* tables the triggers write carry no foreign key: their rows come     */
/* from residents rows that already passed it, and a key check per     */
/* delta row would cost more than the delta.                           */
/* ------------------------------------------------------------------ */

/** Folded totals: per community, `residents`, `households`, `with_location`, `listed_to_activists`, `flag:<token>`. */
export const residentCounts = pgTable(
  "resident_counts",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    communityId: uuid("community_id").notNull(),
    metric: text("metric").notNull(),
    n: integer("n").notNull(),
  },
  (t) => [primaryKey({ columns: [t.departmentId, t.communityId, t.metric] })],
);

/** Changes not yet folded into resident_counts (insert-only for writers; no key of their own). */
export const residentCountDeltas = pgTable(
  "resident_count_deltas",
  {
    departmentId: uuid("department_id").notNull(),
    communityId: uuid("community_id").notNull(),
    metric: text("metric").notNull(),
    n: integer("n").notNull(),
  },
  (t) => [index("resident_count_deltas_idx").on(t.departmentId, t.communityId)],
);

/**
 * Live members of each household per community: `households` moves when one goes from
 * 0 to 1 or back. Updated in place (a row lock per household and community, which only
 * writers of the same household share).
 */
export const residentHouseholdMembers = pgTable(
  "resident_household_members",
  {
    departmentId: uuid("department_id").notNull(),
    communityId: uuid("community_id").notNull(),
    householdId: uuid("household_id").notNull(),
    n: integer("n").notNull(),
  },
  (t) => [primaryKey({ columns: [t.departmentId, t.communityId, t.householdId] })],
);

/**
 * Map clusters at low zoom: live residents with a position per square cell of the zoom-16
 * grid (`cx = floor(lon / cell)`, `cy = floor(lat / cell)`, cell = 360 / (256 · 2^16) · 60
 * degrees, as map.service's cellSizeFor(16)): count and sums of positions, per community,
 * and for the whole department under `community_id = department_id`. Every coarser zoom's
 * cell is exactly 2^k of these, so clusters of a town are summed from a few thousand rows.
 */
export const residentMapCells = pgTable(
  "resident_map_cells",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    communityId: uuid("community_id").notNull(),
    cx: integer("cx").notNull(),
    cy: integer("cy").notNull(),
    n: integer("n").notNull(),
    sumLat: doublePrecision("sum_lat").notNull(),
    sumLon: doublePrecision("sum_lon").notNull(),
  },
  (t) => [primaryKey({ columns: [t.departmentId, t.communityId, t.cx, t.cy] })],
);

/** Changes to resident_map_cells not yet folded (insert-only for writers). */
export const residentMapCellDeltas = pgTable(
  "resident_map_cell_deltas",
  {
    departmentId: uuid("department_id").notNull(),
    communityId: uuid("community_id").notNull(),
    cx: integer("cx").notNull(),
    cy: integer("cy").notNull(),
    n: integer("n").notNull(),
    sumLat: doublePrecision("sum_lat").notNull(),
    sumLon: doublePrecision("sum_lon").notNull(),
  },
  (t) => [index("resident_map_cell_deltas_idx").on(t.departmentId, t.communityId, t.cx)],
);

/** A social worker's caseload: the residents they follow. */
export const residentCaseworkers = pgTable(
  "resident_caseworkers",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    residentId: uuid("resident_id").notNull(),
    userId: text("user_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.residentId, t.userId] }),
    index("resident_caseworkers_user_idx").on(t.departmentId, t.userId),
  ],
);

/** Consent history: every grant and withdrawal, who recorded it, when and how. Never updated. */
export const residentConsents = pgTable(
  "resident_consents",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    id: uuid("id").notNull().defaultRandom(),
    residentId: uuid("resident_id").notNull(),
    /** listed_to_activists | contact_for_activities | emergency_contact | shared_with_partner */
    purpose: text("purpose").notNull(),
    granted: boolean("granted").notNull(),
    /** in_person | phone | written_form | online_self | import */
    method: text("method").notNull(),
    note: text("note").notNull().default(""),
    recordedBy: text("recorded_by"),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.id] }),
    index("resident_consents_resident_idx").on(t.departmentId, t.residentId, t.recordedAt),
  ],
);

/** A merge of two resident records: the merged one's full record, encrypted, so nothing is lost. */
export const residentMerges = pgTable(
  "resident_merges",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    id: uuid("id").notNull().defaultRandom(),
    survivorId: uuid("survivor_id").notNull(),
    mergedId: uuid("merged_id").notNull(),
    /** Encrypted JSON of both records as they were before the merge. */
    snapshotEnc: text("snapshot_enc").notNull(),
    /** Which record each field was taken from. */
    choices: jsonb("choices").$type<Record<string, "survivor" | "merged">>().notNull().default({}),
    mergedBy: text("merged_by"),
    mergedAt: timestamp("merged_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.id] }),
    index("resident_merges_survivor_idx").on(t.departmentId, t.survivorId),
  ],
);

/**
 * "Not the same person": a pair the duplicate checks no longer propose. The pair is kept
 * ordered (a_id < b_id) so each pair has one row; removing the row proposes it again.
 */
export const residentDuplicateDismissals = pgTable(
  "resident_duplicate_dismissals",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    aId: uuid("a_id").notNull(),
    bId: uuid("b_id").notNull(),
    dismissedBy: text("dismissed_by"),
    dismissedAt: timestamp("dismissed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.aId, t.bId] }),
    index("resident_duplicate_dismissals_b_idx").on(t.departmentId, t.bId),
  ],
);

/** A person's saved list filters ("75+ living alone in HaGefen"). */
export const savedFilters = pgTable(
  "saved_filters",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    id: uuid("id").notNull().defaultRandom(),
    userId: text("user_id").notNull(),
    /** residents | assets */
    entity: text("entity").notNull(),
    name: text("name").notNull(),
    query: jsonb("query").$type<Record<string, string>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.id] }),
    index("saved_filters_user_idx").on(t.departmentId, t.userId, t.entity),
  ],
);

/* ------------------------------------------------------------------ */
/* Community assets, shaped after Open Referral HSDS 3.0:              */
/* organization, service, location, service_at_location, schedule.     */
/* The asset type is a term of our own taxonomy (contracts ASSET_TYPES).*/
/* ------------------------------------------------------------------ */

export const organizations = pgTable(
  "organizations",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    id: uuid("id").notNull().defaultRandom(),
    name: text("name").notNull(),
    altNames: jsonb("alt_names").$type<Record<string, string>>().notNull().default({}),
    description: text("description").notNull().default(""),
    /** municipal | government | ngo | religious | business | community | health | education */
    kind: text("kind").notNull().default("community"),
    email: text("email"),
    phone: text("phone"),
    website: text("website"),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.id] }),
    index("organizations_name_idx").on(t.departmentId, t.name),
  ],
);

/** A place on the map: a school, clinic, shelter, distribution point… (HSDS location). */
export const locations = pgTable(
  "locations",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    id: uuid("id").notNull().defaultRandom(),
    organizationId: uuid("organization_id"),
    name: text("name").notNull(),
    altNames: jsonb("alt_names").$type<Record<string, string>>().notNull().default({}),
    /** Taxonomy term (contracts ASSET_TYPES). */
    assetType: text("asset_type").notNull(),
    description: text("description").notNull().default(""),
    streetId: uuid("street_id"),
    houseNumber: text("house_number"),
    /** Free address line when there is no street in the list. */
    address: text("address").notNull().default(""),
    communityId: uuid("community_id"),
    lat: doublePrecision("lat"),
    lon: doublePrecision("lon"),
    /** People it can hold (shelters, halls) or serve at once. */
    capacity: integer("capacity"),
    /** Current occupancy (shelters, distribution points in an emergency). */
    occupancy: integer("occupancy"),
    accessibility: text("accessibility").notNull().default(""),
    phone: text("phone"),
    email: text("email"),
    website: text("website"),
    languages: text("languages")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    createdBy: text("created_by"),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.id] }),
    index("locations_type_idx").on(t.departmentId, t.assetType),
    index("locations_community_idx").on(t.departmentId, t.communityId),
    index("locations_organization_idx").on(t.departmentId, t.organizationId),
  ],
);

export const services = pgTable(
  "services",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    id: uuid("id").notNull().defaultRandom(),
    organizationId: uuid("organization_id"),
    name: text("name").notNull(),
    altNames: jsonb("alt_names").$type<Record<string, string>>().notNull().default({}),
    description: text("description").notNull().default(""),
    /** Taxonomy term (contracts SERVICE_CATEGORIES). */
    category: text("category").notNull().default("other"),
    /** active | inactive | defunct | temporarily closed (HSDS) */
    status: text("status").notNull().default("active"),
    email: text("email"),
    phone: text("phone"),
    url: text("url"),
    languages: text("languages")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    eligibility: text("eligibility").notNull().default(""),
    fees: text("fees").notNull().default(""),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.id] }),
    index("services_organization_idx").on(t.departmentId, t.organizationId),
  ],
);

export const serviceAtLocations = pgTable(
  "service_at_locations",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    id: uuid("id").notNull().defaultRandom(),
    serviceId: uuid("service_id").notNull(),
    locationId: uuid("location_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.id] }),
    uniqueIndex("service_at_locations_pair_idx").on(t.departmentId, t.serviceId, t.locationId),
    index("service_at_locations_location_idx").on(t.departmentId, t.locationId),
  ],
);

/** Opening hours, HSDS style: a weekly rule per day (byday) with opens/closes times. */
export const schedules = pgTable(
  "schedules",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    id: uuid("id").notNull().defaultRandom(),
    locationId: uuid("location_id"),
    serviceId: uuid("service_id"),
    /** SU MO TU WE TH FR SA (RFC 5545 BYDAY) */
    byDay: text("by_day").notNull(),
    /** "08:00" */
    opensAt: text("opens_at").notNull(),
    closesAt: text("closes_at").notNull(),
    description: text("description").notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.id] }),
    index("schedules_location_idx").on(t.departmentId, t.locationId),
    index("schedules_service_idx").on(t.departmentId, t.serviceId),
  ],
);

/* ------------------------------------------------------------------ */
/* Imports (CSV/XLSX): the upload, kept encrypted until it is done,    */
/* and the rows staged by validation. Committing moves staged rows     */
/* into their tables in one short transaction: all or nothing.         */
/* ------------------------------------------------------------------ */

export const importJobs = pgTable(
  "import_jobs",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    id: uuid("id").notNull().defaultRandom(),
    /** residents | assets | community_figures */
    entity: text("entity").notNull(),
    /** uploaded | validating | validated | importing | done | failed | cancelled */
    status: text("status").notNull().default("uploaded"),
    fileName: text("file_name").notNull(),
    /** csv | xlsx */
    fileType: text("file_type").notNull(),
    /** The uploaded file, encrypted; erased when the import ends. */
    fileEnc: text("file_enc"),
    headers: jsonb("headers").$type<string[]>().notNull().default([]),
    mapping: jsonb("mapping").$type<Record<string, string>>().notNull().default({}),
    options: jsonb("options").$type<Record<string, unknown>>().notNull().default({}),
    totalRows: integer("total_rows").notNull().default(0),
    processedRows: integer("processed_rows").notNull().default(0),
    validRows: integer("valid_rows").notNull().default(0),
    errorRows: integer("error_rows").notNull().default(0),
    /** The first row errors: { row, field, code, message } (values never included). */
    errors: jsonb("errors").$type<unknown[]>().notNull().default([]),
    result: jsonb("result").$type<Record<string, unknown>>().notNull().default({}),
    failure: text("failure"),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.id] }),
    index("import_jobs_created_idx").on(t.departmentId, t.createdAt),
  ],
);

export const importRows = pgTable(
  "import_rows",
  {
    departmentId: uuid("department_id").notNull(),
    importId: uuid("import_id").notNull(),
    rowNo: integer("row_no").notNull(),
    /** The row as it will be inserted (sensitive fields already encrypted). */
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.departmentId, t.importId, t.rowNo] })],
);

/* ------------------------------------------------------------------ */
/* Needs: every channel into one queue (SPEC §2, journey 2).           */
/* ------------------------------------------------------------------ */

/** Per-department running numbers (need references…): one row per counter, bumped in the writer's transaction. */
export const departmentCounters = pgTable(
  "department_counters",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    name: text("name").notNull(),
    value: integer("value").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.departmentId, t.name] })],
);

/** The department's category taxonomy (defaults seeded; editable). */
export const needCategories = pgTable(
  "need_categories",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    code: text("code").notNull(),
    labels: jsonb("labels").$type<Record<string, string>>().notNull(),
    active: boolean("active").notNull().default(true),
    builtIn: boolean("built_in").notNull().default(false),
    sortOrder: integer("sort_order").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.departmentId, t.code] })],
);

export const needs = pgTable(
  "needs",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    /** May be made on the device (offline entry): then a retry finds the same need. */
    id: uuid("id").notNull().defaultRandom(),
    /** Running number in the department (shown as the reference). */
    number: integer("number").notNull(),
    /** contracts NEED_CHANNELS */
    channel: text("channel").notNull(),
    category: text("category"),
    /** contracts NEED_URGENCIES */
    urgency: text("urgency").notNull().default("normal"),
    /** contracts NEED_STATUSES */
    status: text("status").notNull().default("new"),
    description: text("description").notNull(),
    /** Normalized description for search and duplicate detection (pg_trgm). */
    searchText: text("search_text").notNull().default(""),
    language: text("language").notNull().default("he"),
    lat: doublePrecision("lat"),
    lon: doublePrecision("lon"),
    addressText: text("address_text").notNull().default(""),
    communityId: uuid("community_id"),
    residentId: uuid("resident_id"),
    assigneeId: text("assignee_id"),
    /** The reporter's contact { name, phone, email }, encrypted; kept only with their consent. */
    contactEnc: text("contact_enc"),
    /** What the classifier suggested (a person confirms). */
    suggestion: jsonb("suggestion").$type<Record<string, unknown>>().notNull().default({}),
    /** 0–100; public reports at or above the spam threshold wait in their own view. */
    spamScore: smallint("spam_score").notNull().default(0),
    mergedIntoId: uuid("merged_into_id"),
    initiativeId: uuid("initiative_id"),
    /** A need made from a survey answer. */
    responseId: uuid("response_id"),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    createdBy: text("created_by"),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.id] }),
    uniqueIndex("needs_number_idx").on(t.departmentId, t.number),
    index("needs_queue_idx").on(t.departmentId, t.status, t.createdAt),
    index("needs_community_idx").on(t.departmentId, t.communityId),
    index("needs_assignee_idx").on(t.departmentId, t.assigneeId),
    index("needs_resident_idx").on(t.departmentId, t.residentId),
    index("needs_geo_idx").on(t.departmentId, t.lon, t.lat),
    index("needs_search_trgm_idx").using("gin", t.departmentId, sql`${t.searchText} gin_trgm_ops`),
  ],
);

/** A need's history: every change, comment and attachment, in order. */
export const needEvents = pgTable(
  "need_events",
  {
    departmentId: uuid("department_id").notNull(),
    id: uuid("id").notNull().defaultRandom(),
    needId: uuid("need_id").notNull(),
    /** contracts NEED_EVENT_KINDS */
    kind: text("kind").notNull(),
    actorId: text("actor_id"),
    fromValue: text("from_value"),
    toValue: text("to_value"),
    text: text("text"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    /** Order of writing (several events of one change share `at`). */
    seq: bigserial("seq", { mode: "number" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.id] }),
    index("need_events_need_idx").on(t.departmentId, t.needId, t.seq),
  ],
);

/** Photos: re-encoded metadata-free (no location), encrypted at rest. */
export const needAttachments = pgTable(
  "need_attachments",
  {
    departmentId: uuid("department_id").notNull(),
    id: uuid("id").notNull().defaultRandom(),
    needId: uuid("need_id").notNull(),
    contentType: text("content_type").notNull(),
    bytes: integer("bytes").notNull(),
    width: integer("width"),
    height: integer("height"),
    dataEnc: text("data_enc").notNull(),
    createdBy: text("created_by"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.id] }),
    index("need_attachments_need_idx").on(t.departmentId, t.needId),
  ],
);

/** The department's category classifier (trained on its own labelled needs). */
export const needModels = pgTable("need_models", {
  departmentId: uuid("department_id")
    .primaryKey()
    .references(() => departments.id),
  model: jsonb("model").$type<Record<string, unknown>>().notNull(),
  evaluation: jsonb("evaluation").$type<Record<string, unknown>>().notNull().default({}),
  examples: integer("examples").notNull(),
  trainedAt: timestamp("trained_at", { withTimezone: true }).notNull().defaultNow(),
});

/** A short SMS/WhatsApp intake conversation in progress (state encrypted: it holds a phone number and text). */
export const channelConversations = pgTable(
  "channel_conversations",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    /** sms | whatsapp */
    channel: text("channel").notNull(),
    /** Keyed hash of the sender's address (never the number itself). */
    addressHash: text("address_hash").notNull(),
    stateEnc: text("state_enc").notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.departmentId, t.channel, t.addressHash] })],
);

/** Inbound provider messages already handled (providers retry webhooks): exactly once per message id. */
export const channelInbound = pgTable(
  "channel_inbound",
  {
    channel: text("channel").notNull(),
    messageId: text("message_id").notNull(),
    departmentId: uuid("department_id").notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.channel, t.messageId] })],
);

/* ------------------------------------------------------------------ */
/* Forms and surveys: one dataset whatever the channel.                 */
/* ------------------------------------------------------------------ */

export const forms = pgTable(
  "forms",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    id: uuid("id").notNull().defaultRandom(),
    title: text("title").notNull(),
    /** draft | open | closed */
    status: text("status").notNull().default("draft"),
    /** Anonymous surveys keep no resident link and no submitter on public answers. */
    anonymous: boolean("anonymous").notNull().default(true),
    /** The @kaveret/forms definition (questions, choice lists, translations). */
    definition: jsonb("definition").$type<Record<string, unknown>>().notNull(),
    /** Bumped when the questions change (answers remember the version they were given on). */
    definitionVersion: integer("definition_version").notNull().default(1),
    communityId: uuid("community_id"),
    version: integer("version").notNull().default(1),
    createdBy: text("created_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    publishedAt: timestamp("published_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.id] }),
    index("forms_updated_idx").on(t.departmentId, t.updatedAt),
  ],
);

export const formResponses = pgTable(
  "form_responses",
  {
    departmentId: uuid("department_id").notNull(),
    /** Made on the device: a retried submission finds the same row. */
    id: uuid("id").notNull(),
    formId: uuid("form_id").notNull(),
    formVersion: integer("form_version").notNull(),
    /** contracts RESPONSE_CHANNELS */
    channel: text("channel").notNull(),
    answers: jsonb("answers").$type<Record<string, unknown>>().notNull(),
    language: text("language").notNull().default("he"),
    communityId: uuid("community_id"),
    residentId: uuid("resident_id"),
    submittedBy: text("submitted_by"),
    /** The door-to-door assignment it was taken on, if any (form_assignments.id). */
    assignmentId: uuid("assignment_id"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.id] }),
    index("form_responses_form_idx").on(t.departmentId, t.formId, t.createdAt),
    index("form_responses_assignment_idx").on(t.departmentId, t.assignmentId),
  ],
);

/**
 * Photos answering a form's photo questions, stored like a need's photos (metadata
 * stripped, encrypted at rest). The id is made on the device, so a retried upload is
 * the same row; the answer holds it by id. A photo goes with its answer (the foreign
 * key cascades), and one no answer took is removed after FORM_PHOTO_LIMITS.orphanDays.
 */
export const formPhotos = pgTable(
  "form_photos",
  {
    departmentId: uuid("department_id").notNull(),
    id: uuid("id").notNull(),
    formId: uuid("form_id").notNull(),
    /** The answer holding it; null until that answer arrives. */
    responseId: uuid("response_id"),
    contentType: text("content_type").notNull(),
    bytes: integer("bytes").notNull(),
    width: integer("width"),
    height: integer("height"),
    dataEnc: text("data_enc").notNull(),
    /**
     * A small JPEG of it (longest side FORM_PHOTO_THUMB_PIXELS) for the staff pages' thumbnails,
     * encrypted like the photo; made at upload, or at its first read when null.
     */
    thumbEnc: text("thumb_enc"),
    /** SHA-256 of the file as uploaded: a retry sends the same bytes, another file is refused. */
    sha256: text("sha256").notNull(),
    /** staff | public (the survey link) */
    source: text("source").notNull(),
    createdBy: text("created_by"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.id] }),
    index("form_photos_response_idx").on(t.departmentId, t.responseId),
    index("form_photos_orphan_idx")
      .on(t.createdAt)
      .where(sql`${t.responseId} is null`),
    foreignKey({
      name: "form_photos_response_fk",
      columns: [t.departmentId, t.responseId],
      foreignColumns: [formResponses.departmentId, formResponses.id],
    }).onDelete("cascade"),
  ],
);

/** Door to door: a street or building (target) of a form, given to a surveyor. */
export const formAssignments = pgTable(
  "form_assignments",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    id: uuid("id").notNull().defaultRandom(),
    formId: uuid("form_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    /** contracts ASSIGNMENT_TARGET_KINDS: community (street cluster, building) | street */
    targetKind: text("target_kind").notNull(),
    /** communities.id or streets.id, by target_kind. */
    targetId: uuid("target_id").notNull(),
    note: text("note").notNull().default(""),
    createdBy: text("created_by"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.id] }),
    uniqueIndex("form_assignments_unique_idx").on(
      t.departmentId,
      t.formId,
      t.userId,
      t.targetKind,
      t.targetId,
    ),
    index("form_assignments_user_idx").on(t.departmentId, t.userId),
  ],
);

/* ------------------------------------------------------------------ */
/* Offline sync (shared/engineering/SYNC.md).                           */
/* ------------------------------------------------------------------ */

/** Commands devices pushed, each applied once: a replay answers the stored result. */
export const syncCommands = pgTable(
  "sync_commands",
  {
    departmentId: uuid("department_id").notNull(),
    /** Made on the device (UUID). */
    id: uuid("id").notNull(),
    userId: text("user_id").notNull(),
    deviceId: text("device_id").notNull(),
    name: text("name").notNull(),
    /** SHA-256 of name + args: the same id with another payload is refused. */
    payloadHash: text("payload_hash").notNull(),
    /** { status: ok | conflict | rejected, … } as answered the first time. */
    result: jsonb("result").$type<Record<string, unknown>>().notNull(),
    appliedAt: timestamp("applied_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.departmentId, t.id] })],
);

/** Every change of a synced record, in order (written by triggers in the same transaction). */
export const changeLog = pgTable(
  "change_log",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    departmentId: uuid("department_id").notNull(),
    /** need | form */
    kind: text("kind").notNull(),
    recordId: uuid("record_id").notNull(),
    /** upsert | delete */
    op: text("op").notNull(),
    version: integer("version").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("change_log_department_idx").on(t.departmentId, t.seq)],
);

/* ------------------------------------------------------------------ */
/* Emergency mode on the same data (SPEC §2 "Emergency event",          */
/* journey 5). A drill is an emergency with drill = true: same tables,   */
/* every row marked, nothing sent to residents.                          */
/* ------------------------------------------------------------------ */

/** An emergency (or drill): type, level, communities in scope, start and end. */
export const emergencies = pgTable(
  "emergencies",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    id: uuid("id").notNull().defaultRandom(),
    /** contracts EMERGENCY_TYPES */
    type: text("type").notNull(),
    /** 1–4 */
    level: smallint("level").notNull(),
    title: text("title").notNull(),
    drill: boolean("drill").notNull().default(false),
    /** active | closed */
    status: text("status").notNull().default("active"),
    note: text("note").notNull().default(""),
    /** The communities in scope (each with everything inside it). */
    communityIds: uuid("community_ids").array().notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    declaredBy: text("declared_by"),
    closedBy: text("closed_by"),
    closeNote: text("close_note").notNull().default(""),
    /** The summary as it stood on closing (contracts emergencySummarySchema). */
    summary: jsonb("summary").$type<Record<string, unknown>>(),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.id] }),
    // At most one open emergency (or drill) per department: what every screen shows.
    uniqueIndex("emergencies_one_active_idx")
      .on(t.departmentId)
      .where(sql`${t.status} = 'active'`),
    index("emergencies_started_idx").on(t.departmentId, t.startedAt),
  ],
);

/** One resident to call in an emergency: risk order, assignment, where the call stands. */
export const emergencyCalls = pgTable(
  "emergency_calls",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    id: uuid("id").notNull().defaultRandom(),
    emergencyId: uuid("emergency_id").notNull(),
    residentId: uuid("resident_id").notNull(),
    drill: boolean("drill").notNull().default(false),
    /** 1 = call first (risk.ts). */
    rank: integer("rank").notNull(),
    riskScore: integer("risk_score").notNull(),
    /** Encrypted JSON array of risk reasons (they reveal vulnerability flags). */
    riskEnc: text("risk_enc"),
    /** The resident consented to emergency contact (else only staff call). */
    consented: boolean("consented").notNull().default(false),
    /** Address and languages at generation, for the split by street, building and language. */
    streetId: uuid("street_id"),
    houseNumber: text("house_number"),
    languages: text("languages")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    homeCommunityId: uuid("home_community_id"),
    assigneeId: text("assignee_id"),
    /** contracts CALL_STATUSES */
    status: text("status").notNull().default("pending"),
    /** contracts CALL_OUTCOMES (the latest one that counts) */
    outcome: text("outcome"),
    /** call | self */
    lastSource: text("last_source"),
    /** Misses so far (not reached). */
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
    escalatedTo: text("escalated_to"),
    escalatedAt: timestamp("escalated_at", { withTimezone: true }),
    helpRequestId: uuid("help_request_id"),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.id] }),
    uniqueIndex("emergency_calls_resident_idx").on(t.departmentId, t.emergencyId, t.residentId),
    index("emergency_calls_rank_idx").on(t.departmentId, t.emergencyId, t.rank),
    index("emergency_calls_assignee_idx").on(t.departmentId, t.assigneeId, t.status),
    index("emergency_calls_escalated_idx").on(t.departmentId, t.escalatedTo),
    index("emergency_calls_resident_history_idx").on(t.departmentId, t.residentId),
  ],
);

/** Every attempt on a call (ids may be made on the device: applied once). Never updated. */
export const emergencyCallAttempts = pgTable(
  "emergency_call_attempts",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    id: uuid("id").notNull(),
    emergencyId: uuid("emergency_id").notNull(),
    callId: uuid("call_id").notNull(),
    /** contracts CALL_OUTCOMES */
    outcome: text("outcome").notNull(),
    /** call | self */
    source: text("source").notNull().default("call"),
    /** Encrypted free note (what the resident said). */
    noteEnc: text("note_enc"),
    byUserId: text("by_user_id"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.id] }),
    index("emergency_call_attempts_call_idx").on(t.departmentId, t.callId, t.at),
  ],
);

/** A resident's own status-page link in one emergency (the token is never stored in the clear). */
export const emergencyStatusLinks = pgTable(
  "emergency_status_links",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    emergencyId: uuid("emergency_id").notNull(),
    residentId: uuid("resident_id").notNull(),
    /** SHA-256 of the token (the public URL carries no department: looked up by this). */
    tokenHash: text("token_hash").notNull(),
    /** The token, encrypted, to send the same link again. */
    tokenEnc: text("token_enc").notNull(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.emergencyId, t.residentId] }),
    uniqueIndex("emergency_status_links_token_idx").on(t.tokenHash),
  ],
);

/** "I'm OK / I need help" answers from the status page. */
export const emergencySelfReports = pgTable(
  "emergency_self_reports",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    id: uuid("id").notNull().defaultRandom(),
    emergencyId: uuid("emergency_id").notNull(),
    residentId: uuid("resident_id").notNull(),
    /** ok | help */
    answer: text("answer").notNull(),
    category: text("category"),
    noteEnc: text("note_enc"),
    language: text("language").notNull().default("he"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.id] }),
    index("emergency_self_reports_resident_idx").on(t.departmentId, t.residentId, t.at),
    index("emergency_self_reports_emergency_idx").on(t.departmentId, t.emergencyId),
  ],
);

/** A request for help in an emergency (from a call, the status page or staff), matched with volunteers. */
export const emergencyHelpRequests = pgTable(
  "emergency_help_requests",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    id: uuid("id").notNull().defaultRandom(),
    number: integer("number").notNull(),
    emergencyId: uuid("emergency_id").notNull(),
    drill: boolean("drill").notNull().default(false),
    /** contracts HELP_CATEGORIES */
    category: text("category").notNull(),
    /** normal | high | critical */
    urgency: text("urgency").notNull().default("normal"),
    /** open | claimed | completed | cancelled */
    status: text("status").notNull().default("open"),
    /** call | self | staff */
    source: text("source").notNull(),
    /** Encrypted free text (often about health). */
    descriptionEnc: text("description_enc"),
    residentId: uuid("resident_id"),
    callId: uuid("call_id"),
    lat: doublePrecision("lat"),
    lon: doublePrecision("lon"),
    addressText: text("address_text").notNull().default(""),
    communityId: uuid("community_id"),
    languages: text("languages")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    skills: text("skills")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    claimedBy: text("claimed_by"),
    claimedAt: timestamp("claimed_at", { withTimezone: true }),
    completedAt: timestamp("completed_at", { withTimezone: true }),
    completionNote: text("completion_note"),
    /** The routine need it became on closing. */
    needId: uuid("need_id"),
    createdBy: text("created_by"),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.id] }),
    uniqueIndex("emergency_help_number_idx").on(t.departmentId, t.number),
    index("emergency_help_status_idx").on(t.departmentId, t.emergencyId, t.status),
    index("emergency_help_claimed_idx").on(t.departmentId, t.claimedBy),
    index("emergency_help_resident_idx").on(t.departmentId, t.residentId),
  ],
);

/** A volunteer's offer of help in one emergency (one per volunteer per emergency). */
export const emergencyVolunteerOffers = pgTable(
  "emergency_volunteer_offers",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    id: uuid("id").notNull().defaultRandom(),
    emergencyId: uuid("emergency_id").notNull(),
    userId: text("user_id").notNull(),
    categories: text("categories").array().notNull(),
    languages: text("languages").array().notNull(),
    skills: text("skills")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    lat: doublePrecision("lat"),
    lon: doublePrecision("lon"),
    radiusKm: doublePrecision("radius_km").notNull().default(3),
    hasVehicle: boolean("has_vehicle").notNull().default(false),
    note: text("note").notNull().default(""),
    active: boolean("active").notNull().default(true),
    createdBy: text("created_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.id] }),
    uniqueIndex("emergency_offers_user_idx").on(t.departmentId, t.emergencyId, t.userId),
  ],
);

/** The shift log: what happened, decisions, handovers (append only). */
export const emergencyLog = pgTable(
  "emergency_log",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    id: uuid("id").notNull().defaultRandom(),
    emergencyId: uuid("emergency_id").notNull(),
    /** note | decision | handover | incident */
    kind: text("kind").notNull().default("note"),
    text: text("text").notNull(),
    authorId: text("author_id"),
    /** Written by the system (declared, escalations, closed). */
    system: boolean("system").notNull().default(false),
    /** System entries: what happened as a code and its values, shown in the reader's language. */
    code: text("code"),
    params: jsonb("params").$type<Record<string, string | number>>(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.id] }),
    index("emergency_log_emergency_idx").on(t.departmentId, t.emergencyId, t.at),
  ],
);

/** The after-action review of a closed emergency (one per emergency). */
export const emergencyReviews = pgTable(
  "emergency_reviews",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    emergencyId: uuid("emergency_id").notNull(),
    whatWorked: text("what_worked").notNull().default(""),
    whatDidNot: text("what_did_not").notNull().default(""),
    lessons: text("lessons").notNull().default(""),
    actions: jsonb("actions")
      .$type<{ text: string; owner: string; due: string | null }[]>()
      .notNull()
      .default([]),
    authorId: text("author_id"),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.departmentId, t.emergencyId] })],
);

/* ------------------------------------------------------------------ */
/* Broadcasts (SPEC §2 Notification / broadcast; journey 5): push      */
/* subscriptions, broadcasts, per-recipient deliveries, in-app         */
/* notifications and the department's quiet hours.                    */
/* ------------------------------------------------------------------ */

/** A browser's Web Push subscription, of a resident (with a login) or a staff user. */
export const pushSubscriptions = pgTable(
  "push_subscriptions",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    id: uuid("id").notNull().defaultRandom(),
    /**
     * account: a signed-in user's browser (user_id set). area: a phone that asked for the
     * department's emergency alerts for one community without an account (/alerts) — no user,
     * no resident, nothing personal: the community, the language and the push keys only.
     */
    kind: text("kind").notNull().default("account"),
    /** Set when the subscribing user is a resident of this department. */
    residentId: uuid("resident_id"),
    /** The account's user; null for area subscriptions. */
    userId: text("user_id"),
    /** The community an area subscription asked alerts for (geographic). */
    communityId: uuid("community_id"),
    endpoint: text("endpoint").notNull(),
    /** The subscription's keys (base64url), needed to encrypt each message for it. */
    p256dh: text("p256dh").notNull(),
    auth: text("auth").notNull(),
    /** The language the device's app was in when it subscribed. */
    language: text("language").notNull().default("he"),
    createdAt: createdAt(),
    lastSuccessAt: timestamp("last_success_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.id] }),
    uniqueIndex("push_subscriptions_endpoint_idx").on(t.departmentId, t.endpoint),
    index("push_subscriptions_resident_idx").on(t.departmentId, t.residentId),
    index("push_subscriptions_user_idx").on(t.userId),
    index("push_subscriptions_area_idx").on(t.departmentId, t.kind, t.communityId),
  ],
);

export type BroadcastAudienceValue = {
  communityIds: string[];
  languages: string[];
  flags: string[];
  consents: string[];
};
export type BroadcastMessagesValue = Partial<Record<string, { title: string; body: string }>>;

/** draft → confirmed (fan-out) → sending → done (or cancelled). Counters kept by the send jobs. */
export const broadcasts = pgTable(
  "broadcasts",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    id: uuid("id").notNull().defaultRandom(),
    title: text("title").notNull(),
    audience: jsonb("audience").$type<BroadcastAudienceValue>().notNull(),
    /** The audience's communities again, for scoping lists to a community worker's reach. */
    communityIds: uuid("community_ids")
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    channels: text("channels").array().notNull(),
    /** all | first */
    channelMode: text("channel_mode").notNull().default("first"),
    messages: jsonb("messages").$type<BroadcastMessagesValue>().notNull().default({}),
    /** The emergency event it belongs to; no foreign key (emergencies are another module). */
    emergencyId: uuid("emergency_id"),
    urgent: boolean("urgent").notNull().default(false),
    quietHoursBypassed: boolean("quiet_hours_bypassed").notNull().default(false),
    /** draft | confirmed | sending | done | cancelled */
    status: text("status").notNull().default("draft"),
    /** Push and SMS held back by quiet hours until then. */
    deferredUntil: timestamp("deferred_until", { withTimezone: true }),
    total: integer("total").notNull().default(0),
    sent: integer("sent").notNull().default(0),
    delivered: integer("delivered").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    createdBy: text("created_by"),
    confirmedBy: text("confirmed_by"),
    confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.id] }),
    index("broadcasts_created_idx").on(t.departmentId, t.createdAt),
    index("broadcasts_emergency_idx").on(t.departmentId, t.emergencyId),
  ],
);

/**
 * One message to one recipient over one channel; its address is read from the resident at
 * send time. No foreign keys: an emergency writes 100,000 of these in seconds.
 */
export const broadcastDeliveries = pgTable(
  "broadcast_deliveries",
  {
    departmentId: uuid("department_id").notNull(),
    broadcastId: uuid("broadcast_id").notNull(),
    id: bigserial("id", { mode: "number" }).notNull(),
    residentId: uuid("resident_id"),
    /** web_push only: the device it goes to. */
    subscriptionId: uuid("subscription_id"),
    /** web_push | sms | email | in_app */
    channel: text("channel").notNull(),
    language: text("language").notNull(),
    /** queued | sent | delivered | failed | skipped */
    status: text("status").notNull().default("queued"),
    /** A short code (gone, http_500, no_address, …), never a provider's text. */
    error: text("error"),
    /** Sends tried and refused for a passing reason (busy, unreachable); retried while queued. */
    attempts: smallint("attempts").notNull().default(0),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.broadcastId, t.id] }),
    index("broadcast_deliveries_status_idx").on(t.departmentId, t.broadcastId, t.status),
  ],
);

/** What a signed-in person sees in the app's notification list (in-app channel). */
export const notifications = pgTable(
  "notifications",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    id: uuid("id").notNull().defaultRandom(),
    userId: text("user_id").notNull(),
    residentId: uuid("resident_id"),
    broadcastId: uuid("broadcast_id"),
    title: text("title").notNull(),
    body: text("body").notNull(),
    createdAt: createdAt(),
    readAt: timestamp("read_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.id] }),
    index("notifications_user_idx").on(t.userId, t.createdAt),
  ],
);

/** A department's broadcast settings: quiet hours (local time, Asia/Jerusalem). */
export const broadcastSettings = pgTable("broadcast_settings", {
  departmentId: uuid("department_id")
    .primaryKey()
    .references(() => departments.id),
  quietHoursEnabled: boolean("quiet_hours_enabled").notNull().default(true),
  /** HH:MM */
  quietStart: text("quiet_start").notNull().default("22:00"),
  quietEnd: text("quiet_end").notNull().default("07:00"),
  updatedAt: updatedAt(),
  updatedBy: text("updated_by"),
});
