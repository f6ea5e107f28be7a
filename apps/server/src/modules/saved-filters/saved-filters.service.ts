import type { z } from "zod";
import {
  listAssetsQuerySchema,
  listResidentsQuerySchema,
  type createSavedFilterBodySchema,
} from "@kaveret/contracts";
import type { RequestContext } from "../../lib/context.ts";
import { departmentOf } from "../../lib/context.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import { authorize } from "../../policy/policy.ts";
import { auditFor, recordAudit } from "../audit/audit.service.ts";
import { presentSavedFilter } from "./saved-filters.presenter.ts";
import * as repo from "./saved-filters.repository.ts";

type CreateSavedFilterBody = z.infer<typeof createSavedFilterBodySchema>;
type Entity = CreateSavedFilterBody["entity"];

/** Each list's own query schema: a saved filter holds only what that list accepts. */
const QUERY_SCHEMAS = {
  residents: listResidentsQuerySchema.strict(),
  assets: listAssetsQuerySchema.strict(),
} as const;

/** Most filters one person keeps per department. */
const MAX_SAVED_FILTERS = 100;

/** Saving a filter of a list needs the right to read that list. */
function authorizeFor(ctx: RequestContext, entity: Entity, departmentId: string) {
  if (entity === "residents") authorize(ctx.actor, { type: "resident.list" });
  else authorize(ctx.actor, { type: "asset.read", departmentId });
}

/** The caller's own saved filters in this department. */
export async function listSavedFilters(ctx: RequestContext, entity: Entity | undefined) {
  const departmentId = departmentOf(ctx);
  const rows = await repo.listSavedFilters(ctx.db, {
    departmentId,
    userId: ctx.actor.userId,
    entity,
  });
  return { items: rows.map(presentSavedFilter) };
}

export async function createSavedFilter(ctx: RequestContext, body: CreateSavedFilterBody) {
  const departmentId = departmentOf(ctx);
  authorizeFor(ctx, body.entity, departmentId);
  const parsed = QUERY_SCHEMAS[body.entity].safeParse(body.query);
  if (!parsed.success) {
    throw new AppError("validation_failed", 400, "The request is not valid", {
      issues: parsed.error.issues.map((i) => ({
        path: ["body", "query", ...i.path.map((p) => (typeof p === "symbol" ? String(p) : p))],
        code: i.code,
        message: i.message,
      })),
    });
  }
  // Paging is not part of a filter.
  const query = Object.fromEntries(
    Object.entries(body.query).filter(([k, v]) => k !== "page" && k !== "pageSize" && v !== ""),
  );
  return ctx.db.transaction(async (tx) => {
    if ((await repo.countSavedFilters(tx, departmentId, ctx.actor.userId)) >= MAX_SAVED_FILTERS) {
      throw new AppError("conflict", 409, `Keep at most ${MAX_SAVED_FILTERS} saved filters`);
    }
    const row = await repo.insertSavedFilter(tx, {
      departmentId,
      userId: ctx.actor.userId,
      entity: body.entity,
      name: body.name,
      query,
    });
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: "saved_filter.create",
        entityType: "saved_filter",
        entityId: row.id,
        fields: Object.keys(query).sort(),
      }),
    );
    return presentSavedFilter(row);
  });
}

/** Deletes one of the caller's own filters (someone else's answers 404, as if it did not exist). */
export async function deleteSavedFilter(ctx: RequestContext, id: string) {
  const departmentId = departmentOf(ctx);
  await ctx.db.transaction(async (tx) => {
    const deleted = await repo.deleteOwnSavedFilter(tx, {
      departmentId,
      userId: ctx.actor.userId,
      id,
    });
    if (!deleted) throw notFound("saved filter");
    await recordAudit(
      tx,
      auditFor(ctx, { action: "saved_filter.delete", entityType: "saved_filter", entityId: id }),
    );
  });
}
