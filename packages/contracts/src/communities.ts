import { z } from "zod";
import { pageOf, paginationQuerySchema } from "./common.ts";
import { isPlausiblePhone, normalizePhone } from "./identity.ts";

export const COMMUNITY_KINDS = ["geographic", "functional"] as const;
export const COMMUNITY_LEVELS = ["town", "neighbourhood", "street_cluster", "building"] as const;
export const communityKindSchema = z.enum(COMMUNITY_KINDS);
export const communityLevelSchema = z.enum(COMMUNITY_LEVELS);
export type CommunityLevel = z.infer<typeof communityLevelSchema>;

/** A geographic level may sit only under a strictly higher one. */
export const LEVEL_RANK: Record<CommunityLevel, number> = {
  town: 0,
  neighbourhood: 1,
  street_cluster: 2,
  building: 3,
};

const position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
const ring = z.array(position).min(4).max(10_000);
export const boundarySchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("Polygon"), coordinates: z.array(ring).min(1).max(100) }),
  z.object({
    type: z.literal("MultiPolygon"),
    coordinates: z.array(z.array(ring).min(1).max(100)).min(1).max(100),
  }),
]);
export type Boundary = z.infer<typeof boundarySchema>;

const name = z.string().trim().min(2).max(120);

/** A key person of the community: principal, imam, rabbi, committee head… */
export const keyContactSchema = z
  .object({
    name: z.string().trim().min(2).max(120),
    role: z.string().trim().min(1).max(80),
    phone: z
      .string()
      .trim()
      .max(30)
      .transform((v) => normalizePhone(v))
      .refine(isPlausiblePhone, { message: "not a phone number" })
      .optional(),
    email: z.email().max(200).optional(),
  })
  .strict();
export type KeyContact = z.infer<typeof keyContactSchema>;
export const MAX_KEY_CONTACTS = 30;
/** Statistical-area code (CBS): digits, matched when importing population figures. */
export const statAreaCodeSchema = z
  .string()
  .trim()
  .regex(/^[0-9]{1,12}$/);
const altNames = z
  .object({ he: name.optional(), ar: name.optional(), en: name.optional() })
  .strict()
  .default({});

export const communitySchema = z.object({
  id: z.uuid(),
  kind: communityKindSchema,
  level: communityLevelSchema.nullable(),
  parentId: z.uuid().nullable(),
  parentName: z.string().nullable(),
  name: z.string(),
  altNames: z.record(z.string(), z.string()),
  description: z.string(),
  membershipCriteria: z.string(),
  boundary: boundarySchema.nullable(),
  population: z.number().int().nullable(),
  languages: z.array(z.string()),
  mode: z.enum(["routine", "emergency"]),
  notes: z.string(),
  keyContacts: z.array(
    z.object({
      name: z.string(),
      role: z.string(),
      phone: z.string().optional(),
      email: z.string().optional(),
    }),
  ),
  statAreaCode: z.string().nullable(),
  archived: z.boolean(),
  childCount: z.number().int(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Community = z.infer<typeof communitySchema>;

const communityFields = {
  name,
  altNames,
  description: z.string().trim().max(4000).default(""),
  membershipCriteria: z.string().trim().max(2000).default(""),
  boundary: boundarySchema.nullable().default(null),
  population: z.number().int().min(0).max(10_000_000).nullable().default(null),
  languages: z
    .array(z.enum(["he", "ar", "en", "ru", "am", "fr", "es", "other"]))
    .max(8)
    .default([]),
  notes: z.string().trim().max(8000).default(""),
  keyContacts: z.array(keyContactSchema).max(MAX_KEY_CONTACTS).default([]),
  statAreaCode: statAreaCodeSchema.nullable().default(null),
};

export const createCommunityBodySchema = z
  .object({
    kind: communityKindSchema,
    level: communityLevelSchema.nullable().default(null),
    parentId: z.uuid().nullable().default(null),
    ...communityFields,
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.kind === "geographic" && !v.level) {
      ctx.addIssue({
        code: "custom",
        path: ["level"],
        message: "required for a geographic community",
      });
    }
    if (v.kind === "functional" && v.level) {
      ctx.addIssue({
        code: "custom",
        path: ["level"],
        message: "a functional community has no level",
      });
    }
  });
export type CreateCommunityBody = z.infer<typeof createCommunityBodySchema>;

export const updateCommunityBodySchema = z
  .object({
    /** The version the edit was made on; a stale one is refused with version_conflict. */
    version: z.number().int().min(1),
    parentId: z.uuid().nullable().optional(),
    name: name.optional(),
    altNames: altNames.optional(),
    description: communityFields.description.optional(),
    membershipCriteria: communityFields.membershipCriteria.optional(),
    boundary: boundarySchema.nullable().optional(),
    population: z.number().int().min(0).max(10_000_000).nullable().optional(),
    languages: communityFields.languages.optional(),
    notes: communityFields.notes.optional(),
    keyContacts: z.array(keyContactSchema).max(MAX_KEY_CONTACTS).optional(),
    statAreaCode: statAreaCodeSchema.nullable().optional(),
  })
  .strict();
export type UpdateCommunityBody = z.infer<typeof updateCommunityBodySchema>;

export const listCommunitiesQuerySchema = paginationQuerySchema.extend({
  q: z.string().trim().max(100).optional(),
  kind: communityKindSchema.optional(),
  level: communityLevelSchema.optional(),
  /** A uuid, or "root" for top-level communities. */
  parentId: z.union([z.uuid(), z.literal("root")]).optional(),
  archived: z.enum(["active", "archived", "all"]).default("active"),
  sort: z.enum(["name", "updated"]).default("name"),
});
export type ListCommunitiesQuery = z.infer<typeof listCommunitiesQuerySchema>;

/** A row of a list: everything but the boundary geometry (the map fetches shapes on its own). */
export const communityListItemSchema = communitySchema
  .omit({ boundary: true, notes: true, keyContacts: true })
  .extend({
    hasBoundary: z.boolean(),
  });
export type CommunityListItem = z.infer<typeof communityListItemSchema>;

export const communityPageSchema = pageOf(communityListItemSchema);
export const communityVersionBodySchema = z.object({ version: z.number().int().min(1) }).strict();
