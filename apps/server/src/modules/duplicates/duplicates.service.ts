import {
  MERGEABLE_FIELDS,
  buildSearchText,
  type DuplicateCandidate,
  type DuplicateDismissal,
  type DuplicatePair,
  type MergeBody,
  type MergePreview,
  type MergeResult,
  type MergeableField,
  type ResidentMerge,
} from "@kaveret/contracts";
import { decryptFlags, idNumberToken, residentStoredFields, type DbOrTx } from "@kaveret/db";
import type { RequestContext } from "../../lib/context.ts";
import { departmentOf } from "../../lib/context.ts";
import { AppError, forbidden, notFound, versionConflict } from "../../lib/errors.ts";
import {
  authorize,
  residentAccess,
  residentVisibility,
  type ResidentTarget,
} from "../../policy/policy.ts";
import { hasRole } from "../../policy/actor.ts";
import { auditFor, recordAudit, recordRead } from "../audit/audit.service.ts";
import { residentScope } from "../residents/residents.scope.ts";
import {
  presentCandidate,
  presentMergeSide,
  presentPair,
  presentResidentMerge,
  type SideExtras,
} from "./duplicates.presenter.ts";
import * as repo from "./duplicates.repository.ts";
import {
  MIN_PAIR_SCORE,
  NAME_ONLY_SIMILARITY,
  scorePair,
  type Reason,
} from "./duplicates.score.ts";
import type { Probe, ResidentRow } from "./duplicates.repository.ts";

/** At most this many candidates for one record. */
const MAX_CANDIDATES = 10;
/** The personal fields a candidate or pair row shows (for the read audit). */
const LIST_READ_FIELDS = [
  "firstName",
  "lastName",
  "phone",
  "email",
  "birthYear",
  "address",
  "flags",
];
/** A merged record keeps at most this many skills (the contract's limit); the snapshot keeps all. */
const MAX_SKILLS = 20;

const scopeOf = (ctx: RequestContext) => residentScope(residentVisibility(ctx.actor));

type Person = { firstName: string; lastName: string; birthYear: number | null };
type CandidateRow = Awaited<ReturnType<typeof repo.findCandidates>>[number];

/** The probe's candidates, scored, best first (those with a reason only, unless `onlyId`). */
async function scoredCandidates(
  ctx: RequestContext,
  probe: Probe,
  person: Person,
  onlyId?: string,
) {
  const scope = scopeOf(ctx);
  const rows = await ctx.db.transaction(async (tx) => {
    await repo.setNameThreshold(tx, NAME_ONLY_SIMILARITY);
    return repo.findCandidates(tx, scope, probe, onlyId);
  });
  // Pairs someone marked "not the same person" are not proposed again.
  const dismissed =
    !onlyId && probe.excludeId
      ? await repo.dismissedPairKeys(ctx.db, probe.departmentId, [probe.excludeId])
      : new Set<string>();
  return rows
    .filter((row) => !probe.excludeId || !dismissed.has(repo.pairKey(probe.excludeId, row.id)))
    .map((row) => ({ row, ...scorePair({ ...row, a: row, b: person }) }))
    .filter((c) => onlyId || c.reasons.length > 0)
    .sort(
      (x, y) =>
        y.score - x.score ||
        x.row.lastName.localeCompare(y.row.lastName) ||
        x.row.firstName.localeCompare(y.row.firstName) ||
        x.row.id.localeCompare(y.row.id),
    )
    .slice(0, MAX_CANDIDATES);
}

async function presentCandidates(
  ctx: RequestContext,
  scored: { row: CandidateRow; reasons: Reason[]; score: number }[],
): Promise<DuplicateCandidate[]> {
  const items = scored.map((c) =>
    presentCandidate(c.row, decryptFlags(ctx.cipher, c.row.flagsEnc), c),
  );
  await recordRead(ctx, {
    entityType: "resident",
    entityIds: items.map((i) => i.resident.id),
    fields: LIST_READ_FIELDS,
    purpose: "duplicate_check",
  });
  return items;
}

/** Who might a record about to be saved already be? Among residents the caller sees in full. */
export async function checkDuplicates(
  ctx: RequestContext,
  body: {
    firstName: string;
    lastName: string;
    phone: string | null;
    idNumber: string | null;
    streetId: string | null;
    houseNumber: string | null;
    excludeId?: string | undefined;
  },
) {
  authorize(ctx.actor, { type: "resident.list" });
  const departmentId = departmentOf(ctx);
  const scored = await scoredCandidates(
    ctx,
    {
      departmentId,
      phone: body.phone,
      // Compared through the blind index only: the stored numbers are never decrypted here.
      idNumberHash: body.idNumber ? idNumberToken(ctx.cipher, departmentId, body.idNumber) : null,
      streetId: body.streetId,
      houseNumber: body.houseNumber,
      apartment: null,
      searchText: buildSearchText([body.firstName, body.lastName]),
      excludeId: body.excludeId ?? null,
    },
    { firstName: body.firstName, lastName: body.lastName, birthYear: null },
  );
  return { items: await presentCandidates(ctx, scored) };
}

const probeOf = (row: ResidentRow): Probe => ({
  departmentId: row.departmentId,
  phone: row.phone,
  idNumberHash: row.idNumberHash,
  streetId: row.streetId,
  houseNumber: row.houseNumber,
  apartment: row.apartment,
  searchText: row.searchText,
  excludeId: row.id,
});

/** Likely duplicates of an existing record the caller sees in full. */
export async function residentDuplicates(ctx: RequestContext, id: string) {
  const departmentId = departmentOf(ctx);
  const [row] = await loadFull(ctx, ctx.db, departmentId, [id]);
  if (row!.mergedIntoId) throw mergedError(row!);
  const scored = await scoredCandidates(ctx, probeOf(row!), row!);
  return { items: await presentCandidates(ctx, scored) };
}

/** The department's queue of likely pairs, best first. */
export async function listDuplicatePairs(
  ctx: RequestContext,
  query: { page: number; pageSize: number },
) {
  authorize(ctx.actor, { type: "resident.list" });
  const departmentId = departmentOf(ctx);
  const scope = scopeOf(ctx);
  // In a transaction: the query sets planner settings for itself only.
  const found = await ctx.db.transaction((tx) => repo.listPairs(tx, scope, departmentId));
  const dismissed = await repo.dismissedPairKeys(ctx.db, departmentId);
  const ranked = found
    .filter((p) => !dismissed.has(repo.pairKey(p.aId, p.bId)))
    .map((p) =>
      Object.assign(
        // The older record first: "compare and merge" keeps it unless told otherwise.
        p.aIsOlder ? { aId: p.aId, bId: p.bId } : { aId: p.bId, bId: p.aId },
        scorePair({
          ...p,
          a: { firstName: p.aFirstName, lastName: p.aLastName, birthYear: p.aBirthYear },
          b: { firstName: p.bFirstName, lastName: p.bLastName, birthYear: p.bBirthYear },
        }),
      ),
    )
    .filter((p) => p.reasons.length > 0 && p.score >= MIN_PAIR_SCORE)
    .sort((x, y) => y.score - x.score || x.aId.localeCompare(y.aId) || x.bId.localeCompare(y.bId));
  const start = (query.page - 1) * query.pageSize;
  const pairs = ranked.slice(start, start + query.pageSize);
  const ids = [...new Set(pairs.flatMap((p) => [p.aId, p.bId]))];
  const rows = await repo.listRowsByIds(ctx.db, scope, departmentId, ids);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const items: DuplicatePair[] = [];
  for (const p of pairs) {
    const a = byId.get(p.aId);
    const b = byId.get(p.bId);
    if (!a || !b) continue;
    items.push(
      presentPair(
        { row: a, flags: decryptFlags(ctx.cipher, a.flagsEnc) },
        { row: b, flags: decryptFlags(ctx.cipher, b.flagsEnc) },
        p,
      ),
    );
  }
  await recordRead(ctx, {
    entityType: "resident",
    entityIds: ids,
    fields: LIST_READ_FIELDS,
    purpose: "duplicate_queue",
  });
  return { items, total: ranked.length, page: query.page, pageSize: query.pageSize };
}

/**
 * "Not the same person" (dismissed: true) or its undo (false): the pair leaves, or comes
 * back to, the queue and each record's duplicate checks. Allowed to whoever may merge the
 * two records; audited.
 */
export async function setNotDuplicate(
  ctx: RequestContext,
  id: string,
  otherId: string,
  dismissed: boolean,
): Promise<DuplicateDismissal> {
  if (id === otherId) {
    throw new AppError("resident.merge_same", 400, "A record cannot be compared with itself", {
      path: ["otherId"],
    });
  }
  const departmentId = departmentOf(ctx);
  return ctx.db.transaction(async (tx) => {
    await loadFull(ctx, tx, departmentId, [id, otherId], { merge: true });
    const pair = repo.orderedPair(id, otherId);
    const changed = dismissed
      ? await repo.insertDismissal(tx, { departmentId, ...pair, dismissedBy: ctx.actor.userId })
      : await repo.deleteDismissal(tx, departmentId, pair);
    if (changed) {
      await recordAudit(
        tx,
        auditFor(ctx, {
          action: dismissed ? "resident.duplicate_dismiss" : "resident.duplicate_restore",
          entityType: "resident",
          entityId: id,
          fields: [],
          details: { otherId },
        }),
      );
    }
    return { id, otherId, dismissed };
  });
}

/* ------------------------------------------------------------------ */
/* Access to the records of a merge.                                    */
/* ------------------------------------------------------------------ */

function mergedError(row: ResidentRow) {
  return new AppError("resident.merged", 409, "This record was merged into another one", {
    id: row.id,
    mergedIntoId: row.mergedIntoId,
  });
}

/**
 * Loads records by id (all must exist in the caller's department) and checks the
 * caller has full access to each (the merge action when `merge`). Order follows `ids`.
 */
async function loadFull(
  ctx: RequestContext,
  db: DbOrTx,
  departmentId: string,
  ids: string[],
  options: { lock?: boolean; merge?: boolean } = {},
): Promise<ResidentRow[]> {
  const found = await repo.findResidents(db, departmentId, ids, { lock: options.lock ?? false });
  const rows = ids.map((id) => found.find((row) => row.id === id));
  if (rows.some((row) => !row)) throw notFound("resident");
  // A manager's reach is the department: chains only matter to community-bound roles.
  const chains = hasRole(ctx.actor, "manager")
    ? new Map<string, string[][]>()
    : await repo.communityChains(db, departmentId, ids);
  const caseworkers = await repo.caseworkersOf(db, departmentId, ids);
  for (const row of rows as ResidentRow[]) {
    const target: ResidentTarget = {
      departmentId,
      communityChains: chains.get(row.id) ?? [],
      caseworkerIds: caseworkers.filter((c) => c.residentId === row.id).map((c) => c.userId),
      consents: row.consents,
    };
    if (options.merge) authorize(ctx.actor, { type: "resident.merge", target });
    else if (residentAccess(ctx.actor, target) !== "full") {
      throw forbidden("This resident is outside your communities or caseload");
    }
  }
  return rows as ResidentRow[];
}

/** Both records may take part in a merge: live, not the same. */
function assertMergeable(rows: ResidentRow[]): void {
  for (const row of rows) {
    if (row.mergedIntoId) throw mergedError(row);
    if (row.archivedAt) {
      throw new AppError("resident.archived", 409, "Restore the archived record first", {
        id: row.id,
      });
    }
  }
}

function assertDifferent(id: string, otherId: string): void {
  if (id === otherId) {
    throw new AppError("resident.merge_same", 400, "A record cannot be merged with itself", {
      path: ["otherId"],
    });
  }
}

/** Both records as the merge screen compares them, with the signs that they are one person. */
export async function mergePreview(
  ctx: RequestContext,
  id: string,
  otherId: string,
): Promise<MergePreview> {
  assertDifferent(id, otherId);
  const departmentId = departmentOf(ctx);
  const rows = await loadFull(ctx, ctx.db, departmentId, [id, otherId], { merge: true });
  assertMergeable(rows);
  const [survivor, other] = rows as [ResidentRow, ResidentRow];
  const extras = await sideExtras(ctx.db, departmentId, rows);
  const [match] = await scoredCandidates(ctx, probeOf(survivor), survivor, other.id);
  await recordRead(ctx, {
    entityType: "resident",
    entityIds: [survivor.id, other.id],
    fields: [...LIST_READ_FIELDS, "gender", "location", "household", "notes", "consents"],
    purpose: "merge_preview",
  });
  return {
    survivor: presentMergeSide(survivor, decryptFlags(ctx.cipher, survivor.flagsEnc), extras),
    other: presentMergeSide(other, decryptFlags(ctx.cipher, other.flagsEnc), extras),
    idNumbersMatch:
      survivor.idNumberHash && other.idNumberHash
        ? survivor.idNumberHash === other.idNumberHash
        : null,
    reasons: match?.reasons ?? [],
    score: match?.score ?? 0,
  };
}

async function sideExtras(db: DbOrTx, departmentId: string, rows: ResidentRow[]) {
  const ids = rows.map((row) => row.id);
  const present = <T>(values: (T | null)[]) => [...new Set(values)].filter((v): v is T => !!v);
  const [streets, homes, households, communities, caseworkers, consentCounts] = await Promise.all([
    repo.streetNames(db, departmentId, present(rows.map((row) => row.streetId))),
    repo.communityNames(db, departmentId, present(rows.map((row) => row.homeCommunityId))),
    repo.householdLabels(db, departmentId, present(rows.map((row) => row.householdId))),
    repo.communitiesOf(db, departmentId, ids),
    repo.caseworkersOf(db, departmentId, ids),
    repo.consentEventCounts(db, departmentId, ids),
  ]);
  const extras: SideExtras = {
    streets,
    homes,
    households,
    communities,
    caseworkers,
    consentCounts,
  };
  return extras;
}

/* ------------------------------------------------------------------ */
/* The merge.                                                           */
/* ------------------------------------------------------------------ */

const isBlank = (v: unknown) => v === null || v === undefined || v === "";

/** The columns that decide whether a field "has a value" on a record. */
const PRESENCE: Record<MergeableField, (row: ResidentRow) => unknown[]> = {
  firstName: (row) => [row.firstName],
  lastName: (row) => [row.lastName],
  otherNames: (row) => [row.otherNames],
  phone: (row) => [row.phone],
  email: (row) => [row.email],
  birthYear: (row) => [row.birthYear],
  gender: (row) => [row.gender],
  address: (row) => [row.streetId, row.houseNumber, row.apartment, row.addressNote],
  location: (row) => [row.lat],
  householdId: (row) => [row.householdId],
  healthNotes: (row) => [row.healthNotesEnc],
  idNumber: (row) => [row.idNumberHash],
  notes: (row) => [row.notes],
};
const hasValue = (row: ResidentRow, field: MergeableField) =>
  PRESENCE[field](row).some((v) => !isBlank(v));

/** The side each field is taken from: as chosen; else the survivor's, unless only the other has one. */
export function resolveChoices(
  survivor: ResidentRow,
  merged: ResidentRow,
  choices: MergeBody["choices"],
): Record<MergeableField, "survivor" | "merged"> {
  const out = {} as Record<MergeableField, "survivor" | "merged">;
  for (const field of MERGEABLE_FIELDS) {
    out[field] =
      choices[field] ??
      (!hasValue(survivor, field) && hasValue(merged, field) ? "merged" : "survivor");
  }
  return out;
}

const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])];

function unionSkills(a: readonly string[], b: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const skill of [...a, ...b]) {
    const key = skill.trim().toLocaleLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(skill);
  }
  return out.slice(0, MAX_SKILLS);
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * Merges `body.otherId` into `survivorId` in one transaction: chosen fields onto the
 * survivor, lists united, memberships and caseworkers added, consent history moved,
 * both records kept (encrypted) in resident_merges, the other record marked merged.
 */
export async function mergeResidents(
  ctx: RequestContext,
  survivorId: string,
  body: MergeBody,
): Promise<MergeResult> {
  assertDifferent(survivorId, body.otherId);
  const departmentId = departmentOf(ctx);
  const { cipher } = ctx;
  return ctx.db.transaction(async (tx) => {
    const rows = await loadFull(ctx, tx, departmentId, [survivorId, body.otherId], {
      lock: true,
      merge: true,
    });
    assertMergeable(rows);
    const [survivor, merged] = rows as [ResidentRow, ResidentRow];
    if (survivor.version !== body.version) {
      throw versionConflict({ id: survivor.id, version: survivor.version });
    }
    if (merged.version !== body.otherVersion) {
      throw versionConflict({ id: merged.id, version: merged.version });
    }

    // Both records as they are now, kept encrypted so the merge loses nothing.
    // One connection in a transaction: one query at a time.
    const memberships = await repo.communitiesOf(tx, departmentId, [survivor.id, merged.id]);
    const caseworkers = await repo.caseworkersOf(tx, departmentId, [survivor.id, merged.id]);
    const survivorConsentIds = await repo.consentEventIds(tx, departmentId, survivor.id);
    const mergedConsentIds = await repo.consentEventIds(tx, departmentId, merged.id);
    const sideSnapshot = (row: ResidentRow, consentEventIds: string[]) => ({
      record: row,
      communities: memberships
        .filter((m) => m.residentId === row.id)
        .map((m) => ({ communityId: m.communityId, source: m.source })),
      caseworkerIds: caseworkers.filter((c) => c.residentId === row.id).map((c) => c.userId),
      consentEventIds,
    });
    const snapshotEnc = cipher.encryptJson({
      version: 1,
      survivor: sideSnapshot(survivor, survivorConsentIds),
      merged: sideSnapshot(merged, mergedConsentIds),
    });

    const choice = resolveChoices(survivor, merged, body.choices);
    const take = (field: MergeableField) => choice[field] === "merged";
    const patch: Partial<ResidentRow> = {};
    const changed = new Set<string>();
    const note = (field: string, before: unknown, after: unknown) => {
      if (JSON.stringify(before) !== JSON.stringify(after)) changed.add(field);
    };

    const names = {
      firstName: take("firstName") ? merged.firstName : survivor.firstName,
      lastName: take("lastName") ? merged.lastName : survivor.lastName,
      otherNames: take("otherNames") ? merged.otherNames : survivor.otherNames,
    };
    if (take("firstName") || take("lastName") || take("otherNames")) {
      Object.assign(patch, names, residentStoredFields(cipher, departmentId, names));
      for (const f of ["firstName", "lastName", "otherNames"] as const) {
        note(f, survivor[f], names[f]);
      }
    }
    for (const f of ["phone", "email", "birthYear", "gender", "notes"] as const) {
      if (!take(f)) continue;
      Object.assign(patch, { [f]: merged[f] });
      note(f, survivor[f], merged[f]);
    }
    if (take("address")) {
      Object.assign(patch, {
        streetId: merged.streetId,
        houseNumber: merged.houseNumber,
        apartment: merged.apartment,
        addressNote: merged.addressNote,
        homeCommunityId: merged.homeCommunityId ?? survivor.homeCommunityId,
      });
      note(
        "address",
        [survivor.streetId, survivor.houseNumber, survivor.apartment, survivor.addressNote],
        [merged.streetId, merged.houseNumber, merged.apartment, merged.addressNote],
      );
    }
    if (take("location")) {
      Object.assign(patch, { lat: merged.lat, lon: merged.lon });
      note("location", [survivor.lat, survivor.lon], [merged.lat, merged.lon]);
    }
    if (take("householdId")) {
      Object.assign(patch, {
        householdId: merged.householdId,
        householdRole: merged.householdRole,
      });
      note("householdId", survivor.householdId, merged.householdId);
    }
    // Sensitive values are decrypted only to be encrypted again under the current key.
    if (take("healthNotes")) {
      const healthNotes = merged.healthNotesEnc ? cipher.decrypt(merged.healthNotesEnc) : null;
      Object.assign(patch, residentStoredFields(cipher, departmentId, { healthNotes }));
      if (survivor.healthNotesEnc || merged.healthNotesEnc) changed.add("healthNotes");
    }
    if (take("idNumber")) {
      const idNumber = merged.idNumberEnc ? cipher.decrypt(merged.idNumberEnc) : null;
      Object.assign(patch, residentStoredFields(cipher, departmentId, { idNumber }));
      note("idNumber", survivor.idNumberHash, merged.idNumberHash);
    }

    // Lists are united.
    const survivorFlags = decryptFlags(cipher, survivor.flagsEnc);
    const flags = union(survivorFlags, decryptFlags(cipher, merged.flagsEnc)).sort();
    if (!sameList([...survivorFlags].sort(), flags)) {
      Object.assign(patch, residentStoredFields(cipher, departmentId, { flags }));
      changed.add("flags");
    }
    const languages = union(survivor.languages, merged.languages);
    const communityRoles = union(survivor.communityRoles, merged.communityRoles);
    const skills = unionSkills(survivor.skills, merged.skills);
    Object.assign(patch, { languages, communityRoles, skills });
    note("languages", survivor.languages, languages);
    note("communityRoles", survivor.communityRoles, communityRoles);
    note("skills", survivor.skills, skills);

    const survivorCommunities = memberships.filter((m) => m.residentId === survivor.id);
    if (
      memberships.some(
        (m) =>
          m.residentId === merged.id &&
          !survivorCommunities.some((s) => s.communityId === m.communityId),
      )
    ) {
      changed.add("communities");
    }
    const survivorCaseworkers = caseworkers.filter((c) => c.residentId === survivor.id);
    if (
      caseworkers.some(
        (c) =>
          c.residentId === merged.id && !survivorCaseworkers.some((s) => s.userId === c.userId),
      )
    ) {
      changed.add("caseworkerIds");
    }
    await repo.copyMemberships(tx, departmentId, merged.id, survivor.id);
    const consents = await repo.moveConsents(tx, departmentId, merged.id, survivor.id);
    patch.consents = consents;
    if (mergedConsentIds.length > 0) changed.add("consents");

    // A login of the merged record follows the person, unless the survivor has one.
    const moveLogin = !survivor.userId && !!merged.userId;
    if (moveLogin) {
      patch.userId = merged.userId;
      changed.add("account");
    }

    const updated = await repo.updateSurvivor(tx, departmentId, survivor.id, body.version, patch);
    if (!updated) throw versionConflict({ id: survivor.id });
    const marked = await repo.markMerged(
      tx,
      departmentId,
      merged.id,
      body.otherVersion,
      survivor.id,
      moveLogin ? { userId: null } : {},
    );
    if (!marked) throw versionConflict({ id: merged.id });

    const mergeRow = await repo.insertMerge(tx, {
      departmentId,
      survivorId: survivor.id,
      mergedId: merged.id,
      snapshotEnc,
      choices: choice,
      mergedBy: ctx.actor.userId,
    });
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: "resident.merge",
        entityType: "resident",
        entityId: survivor.id,
        fields: [...changed].sort(),
        details: { mergedId: merged.id, mergeId: mergeRow.id },
      }),
    );
    return {
      id: survivor.id,
      version: updated.version,
      mergedId: merged.id,
      mergeId: mergeRow.id,
    };
  });
}

/** Records merged into this one (who merged, when, which fields came from them). */
export async function listMerges(
  ctx: RequestContext,
  id: string,
): Promise<{ items: ResidentMerge[] }> {
  const departmentId = departmentOf(ctx);
  await loadFull(ctx, ctx.db, departmentId, [id]);
  const rows = await repo.mergesInto(ctx.db, departmentId, id);
  return { items: rows.map(presentResidentMerge) };
}
