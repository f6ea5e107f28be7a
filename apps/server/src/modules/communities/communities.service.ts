import {
  LEVEL_RANK,
  type CommunityLevel,
  type CreateCommunityBody,
  type ListCommunitiesQuery,
  type UpdateCommunityBody,
} from "@kaveret/contracts";
import type { DbOrTx } from "@kaveret/db";
import type { RequestContext } from "../../lib/context.ts";
import { departmentOf } from "../../lib/context.ts";
import { AppError, notFound, versionConflict } from "../../lib/errors.ts";
import { authorize, can, communityVisibility, needsCommunityChain } from "../../policy/policy.ts";
import { auditFor, recordAudit } from "../audit/audit.service.ts";
import { presentCommunity, presentCommunityListItem } from "./communities.presenter.ts";
import * as repo from "./communities.repository.ts";

/** Loads a community the actor may read (with its ancestor chain), or 404/403. */
export async function loadReadable(ctx: RequestContext, db: DbOrTx, id: string) {
  const departmentId = departmentOf(ctx);
  const found = await repo.findCommunity(db, departmentId, id);
  if (!found) throw notFound("community");
  const chain = needsCommunityChain(ctx.actor)
    ? await repo.ancestorChain(db, departmentId, id)
    : [id];
  if (!can(ctx.actor, { type: "community.read", target: { departmentId, chain } })) {
    throw new AppError("forbidden", 403, "This community is outside your communities");
  }
  return { found, chain, departmentId };
}

/** Checks that `parentId` may hold a child of this kind and level; returns the parent's chain. */
async function validParentChain(
  db: DbOrTx,
  departmentId: string,
  parentId: string,
  child: { kind: string; level: string | null; id?: string },
  wantsChain: boolean,
): Promise<{ chain: string[]; parentName: string }> {
  const parentRow = await repo.findCommunity(db, departmentId, parentId);
  if (!parentRow) {
    throw new AppError("community.parent_not_found", 400, "The parent community does not exist", {
      path: ["parentId"],
    });
  }
  const p = parentRow.community;
  if (p.archivedAt)
    throw new AppError("community.archived", 409, "The parent community is archived");
  // Moving needs the whole chain (to refuse cycles); creating needs it only for scoped actors.
  const chain =
    child.id || wantsChain ? await repo.ancestorChain(db, departmentId, parentId) : [parentId];
  if (child.id && chain.includes(child.id)) {
    throw new AppError(
      "community.cycle",
      400,
      "A community cannot be placed under itself or its descendants",
      { path: ["parentId"] },
    );
  }
  if (child.kind === "geographic") {
    if (
      p.kind !== "geographic" ||
      !p.level ||
      !child.level ||
      LEVEL_RANK[child.level as CommunityLevel] <= LEVEL_RANK[p.level as CommunityLevel]
    ) {
      throw new AppError(
        "community.invalid_parent",
        400,
        "A place can only sit inside a larger place (town › neighbourhood › street cluster › building)",
        {
          path: ["parentId"],
          parentLevel: p.level,
        },
      );
    }
  }
  return { chain, parentName: p.name };
}

export async function listCommunities(ctx: RequestContext, query: ListCommunitiesQuery) {
  authorize(ctx.actor, { type: "community.list" });
  const { items, total } = await repo.listCommunities(
    ctx.db,
    communityVisibility(ctx.actor),
    query,
  );
  return {
    items: items.map(presentCommunityListItem),
    total,
    page: query.page,
    pageSize: query.pageSize,
  };
}

export async function getCommunity(ctx: RequestContext, id: string) {
  const { found } = await loadReadable(ctx, ctx.db, id);
  return presentCommunity(found);
}

export async function createCommunity(ctx: RequestContext, body: CreateCommunityBody) {
  const departmentId = departmentOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const parent = body.parentId
      ? await validParentChain(
          tx,
          departmentId,
          body.parentId,
          body,
          needsCommunityChain(ctx.actor),
        )
      : null;
    const chain = parent?.chain ?? [];
    authorize(ctx.actor, { type: "community.create", target: { departmentId, chain } });
    const row = await repo.insertCommunity(tx, {
      departmentId,
      kind: body.kind,
      level: body.level,
      parentId: body.parentId,
      name: body.name,
      altNames: body.altNames,
      description: body.description,
      membershipCriteria: body.membershipCriteria,
      boundary: body.boundary,
      population: body.population,
      languages: body.languages,
      notes: body.notes,
      keyContacts: body.keyContacts,
      statAreaCode: body.statAreaCode,
      createdBy: ctx.actor.userId,
    });
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: "community.create",
        entityType: "community",
        entityId: row.id,
        communityId: row.id,
        fields: Object.keys(body),
      }),
    );
    return presentCommunity({
      community: row,
      parentName: parent?.parentName ?? null,
      childCount: 0,
    });
  });
}

export async function updateCommunity(ctx: RequestContext, id: string, body: UpdateCommunityBody) {
  return ctx.db.transaction(async (tx) => {
    const { found, chain, departmentId } = await loadReadable(ctx, tx, id);
    authorize(ctx.actor, { type: "community.update", target: { departmentId, chain } });
    const current = found.community;
    if (current.archivedAt)
      throw new AppError("community.archived", 409, "Restore the community before editing it");
    if (current.version !== body.version) throw versionConflict(presentCommunity(found));

    const { version, ...patch } = body;
    if (patch.parentId !== undefined && patch.parentId !== current.parentId) {
      const newChain = patch.parentId
        ? (
            await validParentChain(
              tx,
              departmentId,
              patch.parentId,
              { kind: current.kind, level: current.level, id },
              true,
            )
          ).chain
        : [];
      // Moving is creating under the new parent, as far as permission goes.
      authorize(ctx.actor, { type: "community.create", target: { departmentId, chain: newChain } });
    }
    const changed = Object.entries(patch)
      .filter(
        ([key, value]) =>
          value !== undefined &&
          JSON.stringify(value) !== JSON.stringify(current[key as keyof typeof current]),
      )
      .map(([key]) => key);
    const updated = await repo.updateCommunityIfVersion(tx, departmentId, id, version, patch);
    if (!updated)
      throw versionConflict(presentCommunity((await repo.findCommunity(tx, departmentId, id))!));
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: "community.update",
        entityType: "community",
        entityId: id,
        communityId: id,
        fields: changed,
      }),
    );
    return presentCommunity((await repo.findCommunity(tx, departmentId, id))!);
  });
}

export async function setCommunityArchived(
  ctx: RequestContext,
  id: string,
  version: number,
  archived: boolean,
) {
  return ctx.db.transaction(async (tx) => {
    const { found, chain, departmentId } = await loadReadable(ctx, tx, id);
    authorize(ctx.actor, { type: "community.archive", target: { departmentId, chain } });
    const current = found.community;
    if (current.version !== version) throw versionConflict(presentCommunity(found));
    if (archived) {
      if (current.archivedAt) return presentCommunity(found);
      const children = await repo.countActiveChildren(tx, departmentId, id);
      if (children > 0) {
        throw new AppError(
          "community.has_active_children",
          409,
          "Archive or move its sub-communities first",
          { children },
        );
      }
    } else {
      if (!current.archivedAt) return presentCommunity(found);
      if (current.parentId) {
        const parentRow = await repo.findCommunity(tx, departmentId, current.parentId);
        if (parentRow?.community.archivedAt) {
          throw new AppError("community.archived", 409, "Restore the parent community first");
        }
      }
    }
    const updated = await repo.updateCommunityIfVersion(tx, departmentId, id, version, {
      archivedAt: archived ? new Date() : null,
    });
    if (!updated)
      throw versionConflict(presentCommunity((await repo.findCommunity(tx, departmentId, id))!));
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: archived ? "community.archive" : "community.restore",
        entityType: "community",
        entityId: id,
        communityId: id,
        fields: ["archived"],
      }),
    );
    return presentCommunity((await repo.findCommunity(tx, departmentId, id))!);
  });
}
