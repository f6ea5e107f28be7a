import {
  RESIDENT_COUNT_CAP,
  isPlausiblePhone,
  normalizeForSearch,
  normalizePhone,
  skeletonOf,
  type ConsentInput,
  type CreateResidentBody,
  type ListResidentsQuery,
  type Resident,
  type ResidentDetail,
  type ResidentListItem,
  type UpdateResidentBody,
  type VulnerabilityFlag,
} from "@kaveret/contracts";
import {
  decryptFlags,
  flagToken,
  idNumberToken,
  residentStoredFields,
  type DbOrTx,
} from "@kaveret/db";
import type { RequestContext } from "../../lib/context.ts";
import { departmentOf } from "../../lib/context.ts";
import { AppError, notFound, versionConflict } from "../../lib/errors.ts";
import { hasRole } from "../../policy/actor.ts";
import {
  authorize,
  residentAccess,
  residentVisibility,
  type ResidentTarget,
} from "../../policy/policy.ts";
import { auditFor, recordAudit, recordRead } from "../audit/audit.service.ts";
import { smallestContaining } from "./residents.geo.ts";
import {
  personalFieldsOf,
  presentConsentEvent,
  presentHistoryItem,
  presentHousehold,
  presentResident,
  presentResidentContact,
  presentResidentListItem,
  type ResidentDetailParts,
} from "./residents.presenter.ts";
import * as repo from "./residents.repository.ts";
import { residentScope, type ResidentScope } from "./residents.scope.ts";
import * as communities from "../communities/communities.repository.ts";

/* ------------------------------------------------------------------ */
/* Helpers.                                                             */
/* ------------------------------------------------------------------ */

/** A 400 shaped like the schema validator's, for checks that need the database. */
function invalidField(path: (string | number)[], code: string, message: string): AppError {
  return new AppError("validation_failed", 400, "The request is not valid", {
    issues: [{ path: ["body", ...path], code, message }],
  });
}

const uniq = <T>(values: readonly T[]): T[] => [...new Set(values)];
const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length &&
  uniq(a).every((v) => b.includes(v)) &&
  uniq(b).every((v) => a.includes(v));

/** Whether this actor's reach over residents is bounded by their assigned communities. */
const boundByCommunities = (ctx: RequestContext) =>
  !hasRole(ctx.actor, "manager") && hasRole(ctx.actor, "community_worker");

/** The reader's scope as SQL (residents.scope.ts). */
async function scopeOf(ctx: RequestContext, _db: DbOrTx): Promise<ResidentScope> {
  return residentScope(residentVisibility(ctx.actor));
}

/** A query's name/phone/e-mail search and filters, in stored form (search keys, blind-index tokens). */
async function filterOf(
  ctx: RequestContext,
  departmentId: string,
  q: Omit<ListResidentsQuery, "page" | "pageSize">,
): Promise<repo.ResidentFilter> {
  const f: repo.ResidentFilter = { departmentId };
  const text = q.q?.trim() ?? "";
  if (text) {
    const digits = text.replace(/\D/g, "");
    if (/^[+\d][\d\s\-().]*$/.test(text) && digits.length >= 7) {
      const phone = normalizePhone(text);
      // Not a plausible number: match nothing rather than every name.
      f.phone = isPlausiblePhone(phone) ? phone : "-";
    } else if (text.includes("@")) {
      f.email = text.toLowerCase();
    } else {
      const normalized = normalizeForSearch(text);
      const all = normalized.split(" ").filter(Boolean);
      // A lone letter among longer words adds nothing but cost.
      const words = all.length > 1 ? all.filter((w) => w.length > 1) : all;
      if (words.length) {
        f.words = words.map((w) => ({ text: w, skeleton: skeletonOf(w) }));
        f.relevance = { text: normalized };
      }
    }
  }
  if (q.communityId) {
    f.community = { id: q.communityId };
  }
  if (q.flags?.length)
    f.flagTokens = uniq(q.flags).map((flag) => flagToken(ctx.cipher, departmentId, flag));
  if (q.roles?.length) f.roles = uniq(q.roles);
  if (q.language) f.language = q.language;
  if (q.consent) f.consent = q.consent;
  if (q.streetId) f.streetId = q.streetId;
  if (q.householdId) f.householdId = q.householdId;
  if (q.hasLocation) f.hasLocation = q.hasLocation === "yes";
  return f;
}

/** Nothing matched a name search with a word long enough to hold a typo: try typo-tolerant matching. */
const mayBeTypo = (f: repo.ResidentFilter) =>
  !f.fuzzy && (f.words ?? []).some((w) => w.text.length >= 3);

/** A list row at its reader's access level; flags are decrypted for full rows only. */
function presentRow(ctx: RequestContext, row: repo.ResidentListDbRow): ResidentListItem {
  const flags =
    row.access === "full"
      ? (decryptFlags(ctx.cipher, row.flagsEnc) as VulnerabilityFlag[])
      : ([] as VulnerabilityFlag[]);
  return presentResidentListItem(row, flags);
}

/* ------------------------------------------------------------------ */
/* Finding people.                                                      */
/* ------------------------------------------------------------------ */

/** A page of the residents the reader may see, filtered and sorted; the read is audited. */
export async function listResidents(ctx: RequestContext, query: ListResidentsQuery) {
  authorize(ctx.actor, { type: "resident.list" });
  const departmentId = departmentOf(ctx);
  const [scope, filter] = await Promise.all([
    scopeOf(ctx, ctx.db),
    filterOf(ctx, departmentId, query),
  ]);
  const sort = query.sort ?? (filter.relevance ? "relevance" : "name");
  const page = { limit: query.pageSize, offset: (query.page - 1) * query.pageSize };
  let found = await repo.listResidents(ctx.db, scope, filter, sort, page, RESIDENT_COUNT_CAP);
  if (found.total === 0 && mayBeTypo(filter)) {
    const fuzzy = { ...filter, fuzzy: true };
    found = await repo.listResidents(ctx.db, scope, fuzzy, sort, page, RESIDENT_COUNT_CAP);
  }
  const { items, total, capped } = found;
  const presented = items.map((row) => presentRow(ctx, row));
  await recordRead(ctx, {
    entityType: "resident",
    entityIds: presented.map((i) => i.id),
    fields: personalFieldsOf(presented),
  });
  return {
    items: presented,
    total,
    page: query.page,
    pageSize: query.pageSize,
    ...(capped ? { totalCapped: true } : {}),
  };
}

/**
 * Every resident the reader may see under the same filters, in batches, without a
 * page limit (exports). Same scope and presenters as the list; keyset-paginated
 * (name order, or newest first for `updated`/`created`; `relevance` falls back to
 * name). One audit row records the read when the walk ends (fields, count).
 */
export async function* iterateResidents(
  ctx: RequestContext,
  query: Omit<ListResidentsQuery, "page" | "pageSize">,
  options: { batchSize?: number; purpose?: string } = {},
): AsyncGenerator<ResidentListItem[]> {
  authorize(ctx.actor, { type: "resident.export" });
  const departmentId = departmentOf(ctx);
  const scope = await scopeOf(ctx, ctx.db);
  let filter = await filterOf(ctx, departmentId, query);
  const sort = query.sort === "updated" || query.sort === "created" ? query.sort : "name";
  const batchSize = Math.max(1, Math.min(options.batchSize ?? 1000, 5000));
  let cursor: repo.ResidentCursor | null = null;
  let count = 0;
  const fields = new Set<string>();
  try {
    for (;;) {
      const rows = await repo.residentBatch(ctx.db, scope, filter, sort, cursor, batchSize);
      if (rows.length === 0 && count === 0 && mayBeTypo(filter)) {
        // As the list does: nothing matched, so the same search with typo tolerance.
        filter = { ...filter, fuzzy: true };
        continue;
      }
      if (rows.length === 0) return;
      const items = rows.map((row) => presentRow(ctx, row));
      count += items.length;
      for (const f of personalFieldsOf(items)) fields.add(f);
      yield items;
      if (rows.length < batchSize) return;
      const last = rows[rows.length - 1]!;
      cursor =
        sort === "name"
          ? { sort, lastName: last.lastName, firstName: last.firstName, id: last.id }
          : { sort, at: last.cursorAt, id: last.id };
    }
  } finally {
    if (count > 0) {
      await recordAudit(
        ctx.db,
        auditFor(ctx, {
          action: "resident.read",
          entityType: "resident",
          fields: [...fields].sort(),
          purpose: options.purpose ?? "export",
          details: { count },
        }),
      );
    }
  }
}

/* ------------------------------------------------------------------ */
/* One resident.                                                        */
/* ------------------------------------------------------------------ */

type Loaded = {
  departmentId: string;
  found: repo.ResidentWithNames;
  memberships: Awaited<ReturnType<typeof repo.memberships>>;
  caseworkers: Awaited<ReturnType<typeof repo.caseworkers>>;
  target: ResidentTarget;
  access: "full" | "contact";
};

/** The policy's view of a resident: its communities' chains, caseworkers and consents. */
async function targetOf(
  ctx: RequestContext,
  db: DbOrTx,
  departmentId: string,
  communityIds: string[],
  caseworkerIds: string[],
  consents: string[],
): Promise<ResidentTarget> {
  // A manager's reach is the department: chains only matter to community-bound roles.
  const chains = hasRole(ctx.actor, "manager")
    ? new Map<string, string[]>()
    : await communities.ancestorChains(db, departmentId, communityIds);
  return {
    departmentId,
    communityChains: communityIds.map((id) => chains.get(id) ?? [id]),
    caseworkerIds,
    consents,
  };
}

/**
 * Loads a resident the actor may open: 404 when missing (or archived, for
 * contact-level readers), 409 `resident.merged` with the survivor's id when the
 * record was merged and the reader may see the survivor (otherwise 404), 403 when
 * out of the reader's scope.
 */
async function loadResident(ctx: RequestContext, db: DbOrTx, id: string): Promise<Loaded> {
  authorize(ctx.actor, { type: "resident.list" });
  const departmentId = departmentOf(ctx);
  const found = await repo.findResident(db, departmentId, id);
  if (!found) throw notFound("resident");
  const mergedIntoId = found.resident.mergedIntoId;
  if (mergedIntoId) {
    const scope = residentScope(residentVisibility(ctx.actor));
    if (await repo.isVisible(db, scope, mergedIntoId)) {
      throw new AppError("resident.merged", 409, "This record was merged into another one", {
        mergedIntoId,
      });
    }
    throw notFound("resident");
  }
  const [memberships, caseworkers] = await Promise.all([
    repo.memberships(db, departmentId, id),
    repo.caseworkers(db, departmentId, id),
  ]);
  const target = await targetOf(
    ctx,
    db,
    departmentId,
    memberships.map((m) => m.communityId),
    caseworkers.map((c) => c.id),
    found.resident.consents,
  );
  const access = residentAccess(ctx.actor, target);
  if (!access) throw new AppError("forbidden", 403, "This resident is outside your reach");
  // Contact-level readers (activists) see live records only, as in lists.
  if (access === "contact" && found.resident.archivedAt) {
    throw notFound("resident");
  }
  return { departmentId, found, memberships, caseworkers, target, access };
}

/** Loads a resident for a change: full access needed, live (not merged) record. */
async function loadForChange(ctx: RequestContext, db: DbOrTx, id: string) {
  const loaded = await loadResident(ctx, db, id);
  authorize(ctx.actor, { type: "resident.update", target: loaded.target });
  return loaded;
}

async function detailOf(ctx: RequestContext, db: DbOrTx, l: Loaded): Promise<Resident> {
  const r = l.found.resident;
  const scope = residentScope(residentVisibility(ctx.actor));
  const [household, members, consentEvents, merged] = await Promise.all([
    r.householdId ? repo.findHousehold(db, l.departmentId, r.householdId) : undefined,
    r.householdId ? repo.householdMemberNames(db, scope, r.householdId, r.id) : [],
    repo.consentHistory(db, l.departmentId, [r.id]),
    repo.mergedIds(db, l.departmentId, r.id),
  ]);
  const parts: ResidentDetailParts = {
    resident: r,
    streetName: l.found.streetName,
    homeCommunityName: l.found.homeCommunityName,
    flags: decryptFlags(ctx.cipher, r.flagsEnc) as VulnerabilityFlag[],
    communities: l.memberships,
    household: household ? { id: household.id, label: household.label, members } : null,
    caseworkers: l.caseworkers,
    consentEvents,
    mergedFromCount: merged.length,
  };
  return presentResident(parts);
}

/** One resident at the reader's access level (full record, or name and contact); audited. */
export async function getResident(ctx: RequestContext, id: string): Promise<ResidentDetail> {
  const loaded = await loadResident(ctx, ctx.db, id);
  const detail =
    loaded.access === "full"
      ? await detailOf(ctx, ctx.db, loaded)
      : presentResidentContact(loaded.found.resident);
  await recordRead(ctx, {
    entityType: "resident",
    entityIds: [id],
    fields: personalFieldsOf([detail]),
  });
  return detail;
}

/* ------------------------------------------------------------------ */
/* Writing.                                                             */
/* ------------------------------------------------------------------ */

type References = {
  streetId?: string | null;
  householdId?: string | null;
  newHouseholdLabel?: string | undefined;
  homeCommunityId?: string | null;
  communityIds?: string[];
  caseworkerIds?: string[];
};

/** Checks that what a body points at exists in the department (400 with the field's path). */
async function checkReferences(
  db: DbOrTx,
  departmentId: string,
  body: References,
): Promise<Map<string, { id: string; kind: string; level: string | null }>> {
  if (body.householdId && body.newHouseholdLabel) {
    throw invalidField(
      ["newHouseholdLabel"],
      "exclusive",
      "Give either a household or a new household's label, not both",
    );
  }
  if (body.streetId && !(await repo.findStreet(db, departmentId, body.streetId))) {
    throw new AppError("resident.street_not_found", 400, "The street is not in the street list", {
      path: ["streetId"],
    });
  }
  if (body.householdId && !(await repo.findHousehold(db, departmentId, body.householdId))) {
    throw new AppError("resident.household_not_found", 400, "The household was not found", {
      path: ["householdId"],
    });
  }
  const wanted = uniq([
    ...(body.homeCommunityId ? [body.homeCommunityId] : []),
    ...(body.communityIds ?? []),
  ]);
  const found = new Map(
    (await repo.liveCommunities(db, departmentId, wanted)).map((c) => [c.id, c]),
  );
  if (body.homeCommunityId && !found.has(body.homeCommunityId)) {
    throw new AppError("resident.community_not_found", 400, "The community was not found", {
      path: ["homeCommunityId"],
    });
  }
  const missing = (body.communityIds ?? []).findIndex((id) => !found.has(id));
  if (missing >= 0) {
    throw new AppError("resident.community_not_found", 400, "The community was not found", {
      path: ["communityIds", missing],
    });
  }
  if (body.caseworkerIds?.length) {
    const workers = await repo.activeSocialWorkers(db, departmentId, body.caseworkerIds);
    const bad = body.caseworkerIds.findIndex((id) => !workers.has(id));
    if (bad >= 0) {
      throw invalidField(
        ["caseworkerIds", bad],
        "not_found",
        "Not a social worker of this department",
      );
    }
  }
  return found;
}

/** The smallest live geographic community whose boundary contains the point, if any. */
async function homeFromLocation(
  db: DbOrTx,
  departmentId: string,
  point: { lat: number; lon: number },
): Promise<string | null> {
  const areas = await communities.geographicBoundaries(db, departmentId);
  return smallestContaining(areas, point)?.id ?? null;
}

/**
 * A community worker places residents only in communities of their own subtrees
 * (adding or removing a membership is a decision about that community).
 */
async function checkCommunitiesInReach(
  ctx: RequestContext,
  db: DbOrTx,
  departmentId: string,
  changed: { path: (string | number)[]; communityId: string }[],
) {
  if (!boundByCommunities(ctx) || changed.length === 0) return;
  const chains = await communities.ancestorChains(
    db,
    departmentId,
    changed.map((c) => c.communityId),
  );
  for (const c of changed) {
    const chain = chains.get(c.communityId) ?? [c.communityId];
    if (!chain.some((id) => ctx.actor.communityIds.includes(id))) {
      throw new AppError(
        "resident.community_out_of_scope",
        403,
        "This community is not one of yours",
        { path: c.path, communityId: c.communityId },
      );
    }
  }
}

/** Names of the fields a body sets to something (for the audit; never values). */
function givenFields(body: Record<string, unknown>): string[] {
  return Object.entries(body)
    .filter(
      ([, v]) => v !== null && v !== undefined && v !== "" && !(Array.isArray(v) && !v.length),
    )
    .map(([k]) => k)
    .sort();
}

export async function createResident(ctx: RequestContext, body: CreateResidentBody) {
  const departmentId = departmentOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const communityIds = uniq(body.communityIds);
    await checkReferences(tx, departmentId, { ...body, communityIds });
    const homeCommunityId =
      body.homeCommunityId ??
      (body.location ? await homeFromLocation(tx, departmentId, body.location) : null);
    await checkCommunitiesInReach(ctx, tx, departmentId, [
      ...(body.homeCommunityId
        ? [{ path: ["homeCommunityId"], communityId: body.homeCommunityId }]
        : []),
      ...communityIds.map((communityId, i) => ({ path: ["communityIds", i], communityId })),
    ]);
    const memberships = new Map<string, string>();
    for (const id of communityIds) memberships.set(id, "manual");
    if (homeCommunityId) memberships.set(homeCommunityId, "address");

    const consents = new Set<string>();
    for (const c of body.consents) {
      if (c.granted) consents.add(c.purpose);
      else consents.delete(c.purpose);
    }
    const caseworkerIds = uniq(body.caseworkerIds);
    let target = await targetOf(ctx, tx, departmentId, [...memberships.keys()], caseworkerIds, [
      ...consents,
    ]);
    // A social worker's new resident joins their own caseload (else they could not open it).
    if (
      hasRole(ctx.actor, "social_worker") &&
      !caseworkerIds.includes(ctx.actor.userId) &&
      residentAccess(ctx.actor, target) !== "full"
    ) {
      caseworkerIds.push(ctx.actor.userId);
      target = { ...target, caseworkerIds };
    }
    authorize(ctx.actor, { type: "resident.create", target });

    const householdId =
      body.householdId ??
      (body.newHouseholdLabel
        ? (await repo.insertHousehold(tx, departmentId, body.newHouseholdLabel)).id
        : null);
    const { id } = await repo.insertResident(tx, {
      departmentId,
      firstName: body.firstName,
      lastName: body.lastName,
      otherNames: body.otherNames,
      phone: body.phone,
      email: body.email?.toLowerCase() ?? null,
      birthYear: body.birthYear,
      gender: body.gender,
      streetId: body.streetId,
      houseNumber: body.houseNumber,
      apartment: body.apartment,
      addressNote: body.addressNote,
      lat: body.location?.lat ?? null,
      lon: body.location?.lon ?? null,
      homeCommunityId,
      languages: uniq(body.languages),
      householdId,
      householdRole: body.householdRole,
      communityRoles: uniq(body.communityRoles),
      skills: uniq(body.skills),
      consents: [...consents].sort(),
      notes: body.notes,
      createdBy: ctx.actor.userId,
      ...residentStoredFields(ctx.cipher, departmentId, {
        firstName: body.firstName,
        lastName: body.lastName,
        otherNames: body.otherNames,
        flags: body.flags,
        healthNotes: body.healthNotes,
        idNumber: body.idNumber,
      }),
    });
    await repo.replaceMemberships(tx, departmentId, id, memberships);
    await repo.replaceCaseworkers(tx, departmentId, id, caseworkerIds);
    for (const c of body.consents) {
      await repo.insertConsentEvent(tx, {
        departmentId,
        residentId: id,
        purpose: c.purpose,
        granted: c.granted,
        method: c.method,
        note: c.note,
        recordedBy: ctx.actor.userId,
      });
    }
    await recordAudit(tx, {
      ...auditFor(ctx, {
        action: "resident.create",
        entityType: "resident",
        entityId: id,
        fields: givenFields({ ...body, caseworkerIds, homeCommunityId }),
      }),
      communityId: homeCommunityId,
    });
    return detailOf(ctx, tx, await loadResident(ctx, tx, id));
  });
}

export async function updateResident(ctx: RequestContext, id: string, body: UpdateResidentBody) {
  return ctx.db.transaction(async (tx) => {
    const loaded = await loadForChange(ctx, tx, id);
    const { departmentId } = loaded;
    const current = loaded.found.resident;
    if (current.archivedAt) {
      throw new AppError("resident.archived", 409, "Restore the resident before editing them");
    }
    if (current.version !== body.version) {
      throw versionConflict({ id, version: current.version });
    }
    const {
      version,
      newHouseholdLabel,
      communityIds: askedCommunityIds,
      caseworkerIds: askedCaseworkers,
      location,
      homeCommunityId: askedHome,
      ...rest
    } = body;
    const communityIds = askedCommunityIds ? uniq(askedCommunityIds) : undefined;
    await checkReferences(tx, departmentId, {
      streetId: rest.streetId,
      householdId: rest.householdId,
      newHouseholdLabel,
      homeCommunityId: askedHome,
      communityIds,
      caseworkerIds: askedCaseworkers,
    });

    const changed = new Set<string>();
    const patch: Parameters<typeof repo.updateResidentIfVersion>[4] = {};
    const plain = [
      "firstName",
      "lastName",
      "otherNames",
      "phone",
      "email",
      "birthYear",
      "gender",
      "streetId",
      "houseNumber",
      "apartment",
      "addressNote",
      "householdRole",
      "notes",
    ] as const;
    for (const key of plain) {
      let value = rest[key];
      if (value === undefined) continue;
      if (key === "email" && typeof value === "string") value = value.toLowerCase();
      if (value !== current[key]) {
        (patch as Record<string, unknown>)[key] = value;
        changed.add(key);
      }
    }
    for (const key of ["languages", "communityRoles", "skills"] as const) {
      const value = rest[key];
      if (value !== undefined && !sameSet(value, current[key])) {
        patch[key] = uniq(value);
        changed.add(key);
      }
    }
    if (location !== undefined) {
      const lat = location?.lat ?? null;
      const lon = location?.lon ?? null;
      if (lat !== current.lat || lon !== current.lon) {
        patch.lat = lat;
        patch.lon = lon;
        changed.add("location");
      }
    }

    // Household: an existing one, a new one, or none.
    if (newHouseholdLabel) {
      patch.householdId = (await repo.insertHousehold(tx, departmentId, newHouseholdLabel)).id;
      changed.add("householdId");
    } else if (rest.householdId !== undefined && rest.householdId !== current.householdId) {
      patch.householdId = rest.householdId;
      changed.add("householdId");
    }

    // Home: as asked; otherwise found again when the point moved.
    let home = current.homeCommunityId;
    if (askedHome !== undefined) home = askedHome;
    else if (changed.has("location") && location) {
      home = await homeFromLocation(tx, departmentId, location);
    }
    if (home !== current.homeCommunityId) {
      patch.homeCommunityId = home;
      changed.add("homeCommunityId");
    }

    // Memberships: the home one from the address, the others as asked (or as they were).
    const before = new Map(loaded.memberships.map((m) => [m.communityId, m.source]));
    const manual =
      communityIds ??
      loaded.memberships
        .filter((m) => !(m.source === "address" && m.communityId === current.homeCommunityId))
        .map((m) => m.communityId);
    const wanted = new Map<string, string>();
    for (const cid of manual) wanted.set(cid, before.get(cid) === "import" ? "import" : "manual");
    if (home) wanted.set(home, "address");
    const added = [...wanted.keys()].filter((cid) => !before.has(cid));
    const removed = [...before.keys()].filter((cid) => !wanted.has(cid));
    if (added.length || removed.length) changed.add("communityIds");
    // Chosen memberships are checked; a home found from the point is a fact, not a choice.
    const chosen = [
      ...added.filter((cid) => cid !== home || askedHome !== undefined),
      ...(communityIds || askedHome !== undefined ? removed : []),
    ];
    await checkCommunitiesInReach(
      ctx,
      tx,
      departmentId,
      chosen.map((communityId) => {
        const index = communityIds?.indexOf(communityId) ?? -1;
        return {
          path: index >= 0 ? ["communityIds", index] : ["homeCommunityId"],
          communityId,
        };
      }),
    );

    const caseworkerIds = askedCaseworkers ? uniq(askedCaseworkers) : undefined;
    if (
      caseworkerIds &&
      !sameSet(
        caseworkerIds,
        loaded.caseworkers.map((c) => c.id),
      )
    ) {
      changed.add("caseworkerIds");
    }

    // Sensitive fields: compared in memory, so an unchanged value is not reported as changed.
    const flags = rest.flags !== undefined ? uniq(rest.flags).sort() : undefined;
    if (flags && !sameSet(flags, decryptFlags(ctx.cipher, current.flagsEnc))) changed.add("flags");
    const healthNotes = rest.healthNotes;
    if (
      healthNotes !== undefined &&
      (healthNotes || null) !==
        (current.healthNotesEnc ? ctx.cipher.decrypt(current.healthNotesEnc) : null)
    ) {
      changed.add("healthNotes");
    }
    const idNumber = rest.idNumber;
    if (idNumber !== undefined) {
      const given = idNumber ? idNumberToken(ctx.cipher, departmentId, idNumber) : null;
      if (given !== current.idNumberHash) changed.add("idNumber");
    }
    Object.assign(
      patch,
      residentStoredFields(
        ctx.cipher,
        departmentId,
        {
          ...(changed.has("firstName") ? { firstName: rest.firstName } : {}),
          ...(changed.has("lastName") ? { lastName: rest.lastName } : {}),
          ...(changed.has("otherNames") ? { otherNames: rest.otherNames } : {}),
          ...(changed.has("flags") ? { flags } : {}),
          ...(changed.has("healthNotes") ? { healthNotes: healthNotes ?? null } : {}),
          ...(changed.has("idNumber") ? { idNumber: idNumber ?? null } : {}),
        },
        current,
      ),
    );

    if (changed.size === 0) return detailOf(ctx, tx, loaded);

    // Writing needs full access to the record as it will be, too.
    const after = await targetOf(
      ctx,
      tx,
      departmentId,
      [...wanted.keys()],
      caseworkerIds ?? loaded.caseworkers.map((c) => c.id),
      current.consents,
    );
    authorize(ctx.actor, { type: "resident.update", target: after });

    const updated = await repo.updateResidentIfVersion(tx, departmentId, id, version, patch);
    if (!updated) throw versionConflict({ id });
    if (changed.has("communityIds") || changed.has("homeCommunityId")) {
      await repo.replaceMemberships(tx, departmentId, id, wanted);
    }
    if (caseworkerIds && changed.has("caseworkerIds")) {
      await repo.replaceCaseworkers(tx, departmentId, id, caseworkerIds);
    }
    await recordAudit(tx, {
      ...auditFor(ctx, {
        action: "resident.update",
        entityType: "resident",
        entityId: id,
        fields: [...changed].sort(),
      }),
      communityId: home,
    });
    return detailOf(ctx, tx, await loadResident(ctx, tx, id));
  });
}

/** Archives (leaves lists, kept for the retention period) or restores a resident. */
export async function setResidentArchived(
  ctx: RequestContext,
  id: string,
  version: number,
  archived: boolean,
) {
  return ctx.db.transaction(async (tx) => {
    const loaded = await loadForChange(ctx, tx, id);
    const current = loaded.found.resident;
    if (current.version !== version) throw versionConflict({ id, version: current.version });
    if (Boolean(current.archivedAt) === archived) return detailOf(ctx, tx, loaded);
    const updated = await repo.updateResidentIfVersion(tx, loaded.departmentId, id, version, {
      archivedAt: archived ? new Date() : null,
    });
    if (!updated) throw versionConflict({ id });
    await recordAudit(tx, {
      ...auditFor(ctx, {
        action: archived ? "resident.archive" : "resident.restore",
        entityType: "resident",
        entityId: id,
        fields: ["archived"],
      }),
      communityId: current.homeCommunityId,
    });
    return detailOf(ctx, tx, await loadResident(ctx, tx, id));
  });
}

/* ------------------------------------------------------------------ */
/* Consent.                                                             */
/* ------------------------------------------------------------------ */

/**
 * Records a grant or a withdrawal: the history row and the current set change in
 * one transaction, so a withdrawal takes effect on the very next request.
 */
export async function recordConsent(ctx: RequestContext, id: string, input: ConsentInput) {
  return ctx.db.transaction(async (tx) => {
    const loaded = await loadForChange(ctx, tx, id);
    const event = await repo.insertConsentEvent(tx, {
      departmentId: loaded.departmentId,
      residentId: id,
      purpose: input.purpose,
      granted: input.granted,
      method: input.method,
      note: input.note,
      recordedBy: ctx.actor.userId,
    });
    await repo.setConsent(tx, loaded.departmentId, id, input.purpose, input.granted);
    await recordAudit(tx, {
      ...auditFor(ctx, {
        action: input.granted ? "resident.consent_grant" : "resident.consent_withdraw",
        entityType: "resident",
        entityId: id,
        fields: ["consents"],
        details: { purpose: input.purpose, method: input.method },
      }),
      communityId: loaded.found.resident.homeCommunityId,
    });
    return presentConsentEvent({ ...event, recordedByName: ctx.actor.name });
  });
}

export async function listConsentHistory(ctx: RequestContext, id: string) {
  const loaded = await loadResident(ctx, ctx.db, id);
  if (loaded.access !== "full") throw new AppError("forbidden", 403, "You may not see this");
  const events = await repo.consentHistory(ctx.db, loaded.departmentId, [id]);
  return { items: events.map(presentConsentEvent) };
}

/* ------------------------------------------------------------------ */
/* Sensitive fields and history.                                        */
/* ------------------------------------------------------------------ */

/** Decrypts health notes / ID number for a full-access reader, with the purpose audited. */
export async function revealResident(
  ctx: RequestContext,
  id: string,
  body: { fields: ("healthNotes" | "idNumber")[]; purpose: string },
) {
  const loaded = await loadResident(ctx, ctx.db, id);
  authorize(ctx.actor, { type: "resident.reveal", target: loaded.target });
  const r = loaded.found.resident;
  const fields = uniq(body.fields);
  const out: { healthNotes?: string | null; idNumber?: string | null } = {};
  if (fields.includes("healthNotes"))
    out.healthNotes = r.healthNotesEnc ? ctx.cipher.decrypt(r.healthNotesEnc) : null;
  if (fields.includes("idNumber"))
    out.idNumber = r.idNumberEnc ? ctx.cipher.decrypt(r.idNumberEnc) : null;
  await recordAudit(ctx.db, {
    ...auditFor(ctx, {
      action: "resident.reveal",
      entityType: "resident",
      entityId: id,
      fields: fields.sort(),
      purpose: body.purpose,
    }),
    communityId: r.homeCommunityId,
  });
  return out;
}

/** What happened to a resident's record (and to records merged into it), newest first. */
export async function residentHistory(ctx: RequestContext, id: string) {
  const loaded = await loadResident(ctx, ctx.db, id);
  if (loaded.access !== "full") throw new AppError("forbidden", 403, "You may not see this");
  const merged = await repo.mergedIds(ctx.db, loaded.departmentId, id);
  const events = await repo.auditOf(ctx.db, loaded.departmentId, [id, ...merged], 200);
  return { items: events.map(presentHistoryItem) };
}

/* ------------------------------------------------------------------ */
/* Households.                                                          */
/* ------------------------------------------------------------------ */

async function loadHousehold(ctx: RequestContext, db: DbOrTx, id: string) {
  authorize(ctx.actor, { type: "resident.list" });
  const departmentId = departmentOf(ctx);
  const visibility = residentVisibility(ctx.actor);
  const scope = residentScope(visibility);
  const household = await repo.findHousehold(db, departmentId, id);
  if (!household) throw notFound("household");
  const rows = await repo.householdMembers(db, scope, departmentId, id);
  const members = rows.map((row) => presentRow(ctx, row));
  const managesAll = visibility.kind === "scoped" && visibility.full.all;
  if (!managesAll && members.length === 0) {
    throw new AppError("forbidden", 403, "This household is outside your reach");
  }
  return { departmentId, household, members, managesAll };
}

/** A household with the members the reader may see, each at the reader's access level; audited. */
export async function getHousehold(ctx: RequestContext, id: string) {
  const { household, members } = await loadHousehold(ctx, ctx.db, id);
  await recordRead(ctx, {
    entityType: "resident",
    entityIds: members.map((m) => m.id),
    fields: personalFieldsOf(members),
  });
  return presentHousehold(household, members);
}

export async function updateHousehold(
  ctx: RequestContext,
  id: string,
  body: { version: number; label: string },
) {
  return ctx.db.transaction(async (tx) => {
    const { departmentId, household, members, managesAll } = await loadHousehold(ctx, tx, id);
    if (!managesAll && !members.some((m) => m.access === "full")) {
      throw new AppError("forbidden", 403, "You may not edit this household");
    }
    if (household.version !== body.version) {
      throw versionConflict({ id, version: household.version });
    }
    const updated = await repo.updateHouseholdIfVersion(
      tx,
      departmentId,
      id,
      body.version,
      body.label,
    );
    if (!updated) throw versionConflict({ id });
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: "household.update",
        entityType: "household",
        entityId: id,
        fields: ["label"],
      }),
    );
    return presentHousehold(updated, members);
  });
}
