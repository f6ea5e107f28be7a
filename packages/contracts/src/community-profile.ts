import { z } from "zod";
import { communitySchema } from "./communities.ts";
import { residentListItemSchema, VULNERABILITY_FLAGS } from "./residents.ts";

/* ------------------------------------------------------------------ */
/* Community profile: figures per period (entered, or imported from     */
/* statistical-area data) and the community page's overview.           */
/* ------------------------------------------------------------------ */

export const COMMUNITY_PROFILE_ERROR_CODES = [
  "figures.invalid_indicator",
  "figures.invalid_value",
  "figures.community_not_found",
] as const;

/**
 * Indicators of the vocabulary, with the kind of value each takes. Beyond these a
 * department may keep its own as `custom.<key>` (lowercase letters, digits, _).
 */
export const FIGURE_INDICATOR_KINDS = {
  population: "count",
  households: "count",
  age_0_17: "count",
  age_18_64: "count",
  age_65_plus: "count",
  age_75_plus: "count",
  immigrants: "count",
  single_parent_households: "count",
  people_with_disabilities: "count",
  income_support_recipients: "count",
  unemployed: "count",
  /** CBS socio-economic cluster of the statistical area, 1 (lowest) to 10. */
  socioeconomic_cluster: "cluster",
  /** Share of households receiving welfare services, in percent. */
  welfare_households_percent: "percent",
} as const satisfies Record<string, "count" | "cluster" | "percent">;
export type FigureIndicatorKind = "count" | "cluster" | "percent" | "custom";

export const FIGURE_INDICATORS = Object.keys(FIGURE_INDICATOR_KINDS) as [
  keyof typeof FIGURE_INDICATOR_KINDS,
  ...(keyof typeof FIGURE_INDICATOR_KINDS)[],
];
export type FigureIndicator = keyof typeof FIGURE_INDICATOR_KINDS;
export const CUSTOM_INDICATOR_PATTERN = /^custom\.[a-z][a-z0-9_]{0,39}$/;

/** The kind of an indicator, or null when it is neither in the vocabulary nor a custom key. */
export function indicatorKind(indicator: string): FigureIndicatorKind | null {
  if (Object.hasOwn(FIGURE_INDICATOR_KINDS, indicator)) {
    return FIGURE_INDICATOR_KINDS[indicator as FigureIndicator];
  }
  return CUSTOM_INDICATOR_PATTERN.test(indicator) ? "custom" : null;
}

/** Why a value does not fit its indicator (null when it does). */
export function figureValueProblem(indicator: string, value: number): string | null {
  const kind = indicatorKind(indicator);
  if (kind === null) return "unknown indicator";
  if (!Number.isFinite(value)) return "not a number";
  switch (kind) {
    case "count":
      return Number.isInteger(value) && value >= 0 && value <= 10_000_000
        ? null
        : "a whole number from 0 to 10,000,000";
    case "cluster":
      return Number.isInteger(value) && value >= 1 && value <= 10 ? null : "a whole number 1–10";
    case "percent":
      return value >= 0 && value <= 100 ? null : "a percentage from 0 to 100";
    case "custom":
      return Math.abs(value) <= 1e12 ? null : "too large";
  }
}

/** A year ("2024"), a quarter ("2024-Q1"), a half ("2024-H2") or a month ("2024-03"). */
export const FIGURE_PERIOD_PATTERN = /^(19|20)\d{2}(-(Q[1-4]|H[12]|0[1-9]|1[0-2]))?$/;
export const figurePeriodSchema = z.string().trim().regex(FIGURE_PERIOD_PATTERN);
export const figureIndicatorSchema = z.string().trim().min(1).max(60);
export const figureSourceSchema = z.string().trim().min(1).max(120);

export const figureSchema = z.object({
  indicator: z.string(),
  period: z.string(),
  value: z.number(),
  source: z.string(),
  updatedAt: z.string(),
  updatedByName: z.string().nullable(),
});
export type Figure = z.infer<typeof figureSchema>;
export const figureListSchema = z.object({ items: z.array(figureSchema) });
export type FigureList = z.infer<typeof figureListSchema>;

export const figureInputSchema = z
  .object({
    indicator: figureIndicatorSchema,
    period: figurePeriodSchema,
    /** null removes the value of this indicator and period. */
    value: z.number().nullable(),
    source: figureSourceSchema.default("manual"),
  })
  .strict();
export type FigureInput = z.infer<typeof figureInputSchema>;

/** PUT /api/communities/:id/figures: sets (or, with value null, removes) the given indicator+period pairs. */
export const putFiguresBodySchema = z
  .object({ figures: z.array(figureInputSchema).min(1).max(200) })
  .strict()
  .superRefine((body, ctx) => {
    const seen = new Set<string>();
    body.figures.forEach((f, i) => {
      const key = `${f.indicator} ${f.period}`;
      if (seen.has(key)) {
        ctx.addIssue({
          code: "custom",
          path: ["figures", i],
          message: "duplicate indicator+period",
        });
      }
      seen.add(key);
    });
  });
export type PutFiguresBody = z.infer<typeof putFiguresBodySchema>;

/* ------------------------------------------------------------------ */
/* The community page in one request.                                   */
/* ------------------------------------------------------------------ */

export const communityOverviewSchema = z.object({
  community: communitySchema,
  /** The latest period of each indicator. */
  figures: z.array(figureSchema),
  /**
   * False while a large community is still being counted (the counts below are then 0
   * and flags null): ask again in a moment.
   */
  countsReady: z.boolean(),
  counts: z.object({
    /** Residents of the community (and its sub-communities) the reader may see. */
    residents: z.number().int(),
    /** Households among them. */
    households: z.number().int(),
    /** Of them, consenting to be listed to activists. */
    listedToActivists: z.number().int(),
    /** Of them, with a point on the map. */
    withLocation: z.number().int(),
    /** Per vulnerability flag; null unless the reader has full access to the whole community. */
    flags: z.partialRecord(z.enum(VULNERABILITY_FLAGS), z.number().int()).nullable(),
    /** Active assets of the community and its sub-communities, per type. */
    assetsByType: z.record(z.string(), z.number().int()),
  }),
  subCommunities: z.array(
    z.object({
      id: z.uuid(),
      name: z.string(),
      kind: z.enum(["geographic", "functional"]),
      level: z.string().nullable(),
      childCount: z.number().int(),
      /** Residents the reader may see there. */
      residents: z.number().int(),
    }),
  ),
  /** Up to 10 assets in the community (and its sub-communities). */
  assets: z.array(
    z.object({
      id: z.uuid(),
      name: z.string(),
      type: z.string(),
      address: z.string(),
      communityId: z.uuid().nullable(),
    }),
  ),
  /** Up to 10 people the reader may see, at the reader's access level. */
  people: z.array(residentListItemSchema),
  /** Newest 15 changes in the community and its sub-communities (no personal values). */
  activity: z.array(
    z.object({
      id: z.number().int(),
      at: z.string(),
      action: z.string(),
      entityType: z.string(),
      entityId: z.string().nullable(),
      actorName: z.string().nullable(),
    }),
  ),
  /** What the reader may do here (the UI hides the rest; the server refuses it anyway). */
  can: z.object({
    edit: z.boolean(),
    archive: z.boolean(),
    writeFigures: z.boolean(),
    readResidents: z.boolean(),
  }),
});
export type CommunityOverview = z.infer<typeof communityOverviewSchema>;
