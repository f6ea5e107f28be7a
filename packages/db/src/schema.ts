import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
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
};

export const departments = pgTable("departments", {
  id: uuid("id").primaryKey().defaultRandom(),
  localAuthorityId: uuid("local_authority_id")
    .notNull()
    .references(() => localAuthorities.id),
  name: text("name").notNull(),
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
    createdAt: createdAt(),
  },
  (t) => [
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
