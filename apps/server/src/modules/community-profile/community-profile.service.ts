import {
  FIGURE_PERIOD_PATTERN,
  VULNERABILITY_FLAGS,
  figureValueProblem,
  indicatorKind,
  type CommunityOverview,
  type FigureList,
  type PutFiguresBody,
  type VulnerabilityFlag,
} from "@kaveret/contracts";
import { decryptFlags, flagToken, type DbOrTx } from "@kaveret/db";
import type { RequestContext } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";
import {
  authorize,
  can,
  residentAccess,
  residentVisibility,
  type ResidentVisibility,
} from "../../policy/policy.ts";
import { auditFor, recordAudit, recordRead } from "../audit/audit.service.ts";
import { presentCommunity } from "../communities/communities.presenter.ts";
import { ancestorChain, findCommunity } from "../communities/communities.repository.ts";
import { loadReadable } from "../communities/communities.service.ts";
import { personalFieldsOf, presentResidentListItem } from "../residents/residents.presenter.ts";
import { residentScope } from "../residents/residents.scope.ts";
import {
  presentActivity,
  presentAssetSummary,
  presentFigure,
} from "./community-profile.presenter.ts";
import * as repo from "./community-profile.repository.ts";
import { foldWhenPending } from "../residents/resident-tallies.ts";
import { CountsCache } from "./counts-cache.ts";

/* ------------------------------------------------------------------ */
/* Figures.                                                             */
/* ------------------------------------------------------------------ */

export type FigureRowInput = {
  communityId: string;
  indicator: string;
  period: string;
  value: number;
  source: string;
};

/**
 * Why one figure cannot be stored (for an import's row-level report), or null.
 * The code is an error code the web app translates.
 */
export function figureRowProblem(row: {
  indicator: string;
  period: string;
  value: number;
  source?: string;
}): {
  code: "figures.invalid_indicator" | "figures.invalid_value";
  field: string;
  message: string;
} | null {
  if (indicatorKind(row.indicator) === null) {
    return { code: "figures.invalid_indicator", field: "indicator", message: "unknown indicator" };
  }
  if (!FIGURE_PERIOD_PATTERN.test(row.period)) {
    return {
      code: "figures.invalid_value",
      field: "period",
      message: "a year (2024), quarter (2024-Q1), half (2024-H2) or month (2024-03)",
    };
  }
  const problem = figureValueProblem(row.indicator, row.value);
  if (problem) return { code: "figures.invalid_value", field: "value", message: problem };
  if (row.source !== undefined && (row.source.trim().length === 0 || row.source.length > 120)) {
    return { code: "figures.invalid_value", field: "source", message: "1–120 characters" };
  }
  return null;
}

async function figureList(db: DbOrTx, departmentId: string, id: string): Promise<FigureList> {
  return { items: (await repo.listFigures(db, departmentId, id)).map(presentFigure) };
}

/** Every figure of a community the reader may open. */
export async function getFigures(ctx: RequestContext, id: string): Promise<FigureList> {
  const { departmentId } = await loadReadable(ctx, ctx.db, id);
  return figureList(ctx.db, departmentId, id);
}

/** Sets (value) or removes (null) the given indicator+period pairs; audited in the same transaction. */
export async function putFigures(
  ctx: RequestContext,
  id: string,
  body: PutFiguresBody,
): Promise<FigureList> {
  return ctx.db.transaction(async (tx) => {
    const { chain, departmentId } = await loadReadable(ctx, tx, id);
    authorize(ctx.actor, { type: "figures.write", target: { departmentId, chain } });
    body.figures.forEach((fig, i) => {
      const problem =
        fig.value === null
          ? indicatorKind(fig.indicator) === null
            ? figureRowProblem({ ...fig, value: 0 })
            : null
          : figureRowProblem({ ...fig, value: fig.value });
      if (problem) {
        throw new AppError(problem.code, 400, problem.message, {
          path: ["figures", i, problem.field],
        });
      }
    });
    const set = body.figures.flatMap((fig) =>
      fig.value === null
        ? []
        : [
            {
              departmentId,
              communityId: id,
              indicator: fig.indicator,
              period: fig.period,
              value: fig.value,
              source: fig.source,
              updatedBy: ctx.actor.userId,
            },
          ],
    );
    const removed = body.figures.filter((fig) => fig.value === null);
    await repo.upsertFigures(tx, set);
    await repo.deleteFigures(tx, departmentId, id, removed);
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: "community.figures_update",
        entityType: "community",
        entityId: id,
        communityId: id,
        fields: [...new Set(body.figures.map((fig) => fig.indicator))].sort(),
        details: {
          periods: [...new Set(body.figures.map((fig) => fig.period))].sort(),
          set: set.length,
          removed: removed.length,
        },
      }),
    );
    return figureList(tx, departmentId, id);
  });
}

/**
 * Writes imported figures (statistical-area data) inside the caller's transaction:
 * checks every row (AppError with `details.row` on the first bad one), that each
 * community exists in the department and that the actor may write its figures,
 * then replaces the values and audits one entry per community.
 */
export async function upsertCommunityFigures(
  tx: DbOrTx,
  ctx: RequestContext,
  rows: FigureRowInput[],
): Promise<{ written: number; communities: number }> {
  const departmentId = ctx.actor.departmentId;
  if (!departmentId) throw new AppError("forbidden", 403, "Choose a department first");
  rows.forEach((row, i) => {
    const problem = figureRowProblem(row);
    if (problem) {
      throw new AppError(problem.code, 400, problem.message, { row: i, field: problem.field });
    }
  });
  const byCommunity = new Map<string, FigureRowInput[]>();
  for (const row of rows) {
    const list = byCommunity.get(row.communityId) ?? [];
    list.push(row);
    byCommunity.set(row.communityId, list);
  }
  for (const [communityId, list] of byCommunity) {
    const found = await findCommunity(tx, departmentId, communityId);
    if (!found) {
      throw new AppError("figures.community_not_found", 400, "The community was not found", {
        row: rows.indexOf(list[0]!),
        communityId,
      });
    }
    const chain = await ancestorChain(tx, departmentId, communityId);
    authorize(ctx.actor, { type: "figures.write", target: { departmentId, chain } });
  }
  for (const [communityId, list] of byCommunity) {
    // The last row wins when a file repeats an indicator and period.
    const unique = new Map(list.map((row) => [`${row.indicator} ${row.period}`, row]));
    await repo.upsertFigures(
      tx,
      [...unique.values()].map((row) => ({
        departmentId,
        communityId,
        indicator: row.indicator,
        period: row.period,
        value: row.value,
        source: row.source.trim(),
        updatedBy: ctx.actor.userId,
      })),
    );
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: "community.figures_import",
        entityType: "community",
        entityId: communityId,
        communityId,
        fields: [...new Set(list.map((row) => row.indicator))].sort(),
        details: { rows: unique.size },
      }),
    );
  }
  return { written: rows.length, communities: byCommunity.size };
}

/* ------------------------------------------------------------------ */
/* The community page.                                                  */
/* ------------------------------------------------------------------ */

type CachedCounts = {
  counts: repo.ResidentCounts;
  byChild: [string, number][];
};

/**
 * Counts of readers who see part of a community (a social worker's caseload, an activist's
 * consenting members) are recounted through their scope and kept 30 s (served stale up to
 * 15 min while one recount runs in the background). Full readers read the tallies instead.
 */
const countsCache = new CountsCache<CachedCounts>({
  freshMs: 30_000,
  staleMs: 900_000,
  maxEntries: 2000,
});

/** Drops cached resident counts of a department (call after bulk changes, e.g. an import). */
export function forgetCommunityCounts(departmentId: string): void {
  countsCache.forget(`${departmentId}:`);
}

/** How long the page waits for a recount before answering without it. */
const COUNTS_WAIT_MS = 250;

/** The promise's value, or null when it takes longer (it keeps running; failures are dropped). */
async function withDeadline<T>(p: Promise<T>, ms: number): Promise<T | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    return await Promise.race([p.catch(() => null), late]);
  } finally {
    clearTimeout(timer);
  }
}

const PEOPLE_LIMIT = 10;
const ASSETS_LIMIT = 10;
const ACTIVITY_LIMIT = 15;

/**
 * Everything the community page shows, in one request. Resident figures go
 * through the residents scope; a reader with full access to the whole community
 * (a manager; a community worker in their own communities) sees every live member,
 * so those figures come from the tallies the triggers keep (resident_counts), always
 * current; other readers' counts are made through their scope and cached briefly.
 */
export async function getOverview(ctx: RequestContext, id: string): Promise<CommunityOverview> {
  const { found, chain, departmentId } = await loadReadable(ctx, ctx.db, id);
  const tree = await repo.subtree(ctx.db, departmentId, id);
  const ids = tree.map((n) => n.id);

  // Full access to every resident of this community: the scope restricted to it is
  // "every live resident of the department who belongs here".
  const fullOverWhole =
    residentAccess(ctx.actor, {
      departmentId,
      communityChains: [chain],
      caseworkerIds: [],
      consents: [],
    }) === "full";
  const visibility: ResidentVisibility = fullOverWhole
    ? {
        kind: "scoped",
        departmentId,
        full: { all: true, communityRoots: [], caseloadOf: null },
        contact: null,
      }
    : residentVisibility(ctx.actor);
  const scope = residentScope(visibility);
  const mayListResidents = can(ctx.actor, { type: "resident.list" });
  const mayReadAssets = can(ctx.actor, { type: "asset.read", departmentId });

  const children = await repo.childCommunities(ctx.db, departmentId, id);
  const groupOf = new Map<string, string>();
  const childIds = new Set(children.map((c) => c.id));
  const parentOf = new Map(tree.map((n) => [n.id, n.parentId]));
  for (const n of tree) {
    // Walk up to the direct child of this community.
    let cur: string | null = n.id;
    while (cur && !childIds.has(cur)) cur = parentOf.get(cur) ?? null;
    if (cur) groupOf.set(n.id, cur);
  }

  const flags = fullOverWhole ? [...VULNERABILITY_FLAGS] : [];
  const flagTokens = flags.map((flag) => flagToken(ctx.cipher, departmentId, flag));
  // Full access to the whole community: the tallies the triggers keep (current to the last
  // commit, a few rows to read). Anyone else sees part of it: counted through their scope.
  const tallied = async (): Promise<CachedCounts> => {
    const { counts, byChild, pending } = await repo.talliedCounts(
      ctx.db,
      departmentId,
      id,
      children.map((c) => c.id),
      flagTokens,
    );
    foldWhenPending(ctx, departmentId, pending);
    return { counts, byChild: [...byChild] };
  };
  const cacheKey = `${departmentId}:${id}:${JSON.stringify(visibility)}`;
  const recount = async (): Promise<CachedCounts> => {
    const [counts, byChild] = await Promise.all([
      repo.countResidents(ctx.db, scope, ids, flagTokens),
      repo.countResidentsByGroup(
        ctx.db,
        scope,
        departmentId,
        [...groupOf].map(([communityId, group]) => ({ communityId, group })),
      ),
    ]);
    return { counts, byChild: [...byChild] };
  };
  const none: CachedCounts = {
    counts: { residents: 0, households: 0, listedToActivists: 0, withLocation: 0, flagCounts: [] },
    byChild: [],
  };
  // Tests change rows behind the app's back and read them at once: no cache there.
  // Elsewhere a recount that is not ready in COUNTS_WAIT_MS goes on in the background
  // (a large town takes seconds): the page answers at once and asks again.
  const countsPromise: Promise<CachedCounts | null> = !mayListResidents
    ? Promise.resolve(none)
    : fullOverWhole
      ? tallied()
      : ctx.config.NODE_ENV === "test"
        ? recount()
        : withDeadline(countsCache.get(cacheKey, recount), COUNTS_WAIT_MS);

  const [figures, counted, assets, assetCounts, people, activity] = await Promise.all([
    repo.latestFigures(ctx.db, departmentId, id),
    countsPromise,
    mayReadAssets ? repo.assetsIn(ctx.db, departmentId, ids, ASSETS_LIMIT) : [],
    mayReadAssets ? repo.assetCountsByType(ctx.db, departmentId, ids) : [],
    mayListResidents ? repo.listPeople(ctx.db, scope, departmentId, ids, PEOPLE_LIMIT) : [],
    repo.recentActivity(ctx.db, departmentId, ids, ACTIVITY_LIMIT),
  ]);

  const presentedPeople = people.map((p) =>
    presentResidentListItem(
      p,
      p.access === "full" ? (decryptFlags(ctx.cipher, p.flagsEnc) as VulnerabilityFlag[]) : [],
    ),
  );
  await recordRead(ctx, {
    entityType: "resident",
    entityIds: presentedPeople.map((p) => p.id),
    fields: personalFieldsOf(presentedPeople),
    purpose: "community page",
  });

  const countsReady = counted !== null;
  const { counts, byChild: childCounts } = counted ?? none;
  const byChild = new Map(childCounts);
  const flagCounts: Partial<Record<VulnerabilityFlag, number>> = {};
  flags.forEach((flag, i) => {
    flagCounts[flag] = counts.flagCounts[i] ?? 0;
  });
  const editTarget = { departmentId, chain };
  return {
    community: presentCommunity(found),
    figures: figures.map(presentFigure),
    countsReady,
    counts: {
      residents: counts.residents,
      households: counts.households,
      listedToActivists: counts.listedToActivists,
      withLocation: counts.withLocation,
      flags: fullOverWhole && mayListResidents && countsReady ? flagCounts : null,
      assetsByType: Object.fromEntries(assetCounts.map((a) => [a.type, a.n])),
    },
    subCommunities: children.map((c) => ({
      id: c.id,
      name: c.name,
      kind: c.kind as "geographic" | "functional",
      level: c.level,
      childCount: Number(c.child_count),
      residents: byChild.get(c.id) ?? 0,
    })),
    assets: assets.map(presentAssetSummary),
    people: presentedPeople,
    activity: activity.map(presentActivity),
    can: {
      edit: can(ctx.actor, { type: "community.update", target: editTarget }),
      archive: can(ctx.actor, { type: "community.archive", target: editTarget }),
      writeFigures: can(ctx.actor, { type: "figures.write", target: editTarget }),
      readResidents: mayListResidents,
    },
  };
}
