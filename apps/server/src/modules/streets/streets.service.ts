import type { z } from "zod";
import type { createStreetBodySchema, listStreetsQuerySchema } from "@kaveret/contracts";
import type { RequestContext } from "../../lib/context.ts";
import { departmentOf } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";
import { authorize } from "../../policy/policy.ts";
import { auditFor, recordAudit } from "../audit/audit.service.ts";
import { presentStreet } from "./streets.presenter.ts";
import * as repo from "./streets.repository.ts";

type ListStreetsQuery = z.infer<typeof listStreetsQuerySchema>;
type CreateStreetBody = z.infer<typeof createStreetBodySchema>;

/** The department's street list (reference data for addresses), narrowed by town and name. */
export async function listStreets(ctx: RequestContext, query: ListStreetsQuery) {
  const departmentId = ctx.actor.departmentId ?? "";
  authorize(ctx.actor, { type: "street.read", departmentId });
  const { items, total } = await repo.listStreets(ctx.db, {
    departmentId,
    townId: query.townId,
    q: query.q,
    limit: query.limit,
  });
  return { items: items.map(presentStreet), total };
}

/** Adds a street to a town's list; the same name twice in a town is a 409. */
export async function createStreet(ctx: RequestContext, body: CreateStreetBody) {
  const departmentId = departmentOf(ctx);
  authorize(ctx.actor, { type: "street.manage", departmentId });
  return ctx.db.transaction(async (tx) => {
    if (!(await repo.findTown(tx, departmentId, body.townId))) {
      throw new AppError("validation_failed", 400, "The request is not valid", {
        issues: [
          { path: ["body", "townId"], code: "not_found", message: "Not a town of this department" },
        ],
      });
    }
    if (await repo.findStreetByName(tx, departmentId, body.townId, body.name)) {
      throw new AppError("conflict", 409, "This town already has a street by that name", {
        path: ["name"],
      });
    }
    const altNames = Object.fromEntries(
      Object.entries(body.altNames).filter(([, v]) => typeof v === "string" && v !== ""),
    ) as Record<string, string>;
    const row = await repo.insertStreet(tx, {
      departmentId,
      townId: body.townId,
      name: body.name,
      altNames,
    });
    await recordAudit(tx, {
      ...auditFor(ctx, {
        action: "street.create",
        entityType: "street",
        entityId: row.id,
        fields: ["name", ...Object.keys(altNames).map((k) => `altNames.${k}`)],
      }),
      communityId: body.townId,
    });
    return presentStreet(row);
  });
}
