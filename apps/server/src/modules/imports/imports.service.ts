import type { FastifyBaseLogger } from "fastify";
import {
  FINISHED_IMPORT_STATUSES,
  IMPORT_FIELDS,
  IMPORT_LIMITS,
  importOptionsSchema,
  type CommitImportBody,
  type ImportEntity,
  type ImportRowError,
  type ValidateImportBody,
} from "@kaveret/contracts";
import type { Database, Db } from "@kaveret/db";
import type { RequestContext } from "../../lib/context.ts";
import { departmentOf } from "../../lib/context.ts";
import { AppError, forbidden, notFound } from "../../lib/errors.ts";
import { hasRole, type Actor } from "../../policy/actor.ts";
import { can } from "../../policy/policy.ts";
import { openSheet } from "./file-reader.ts";
import { sealFile } from "./file-store.ts";
import * as repo from "./imports.repository.ts";
import {
  presentImportJob,
  presentImportListItem,
  type JobResultStore,
} from "./imports.presenter.ts";
import {
  endJob,
  runCommit,
  runningJobIds,
  runValidation,
  STALE_AFTER_MS,
} from "./imports.runner.ts";
import { csvLine } from "./table-writer.ts";
import { headerLabel, ROW_CODE_TEXT, type ExportLocale } from "./vocabulary.ts";

/** Unfinished jobs older than this are cancelled and their files erased. */
const ABANDONED_AFTER_MS = 7 * 24 * 60 * 60 * 1000;

/** Whether the actor may import this kind of data in their department at all. */
export function mayImport(actor: Actor, entity: ImportEntity, departmentId: string): boolean {
  switch (entity) {
    case "residents":
      return can(actor, { type: "resident.import", departmentId });
    case "assets":
      return can(actor, { type: "asset.import", departmentId });
    case "community_figures":
      // Writing figures is per community; here: may they write any (each row is checked later).
      return can(actor, {
        type: "figures.write",
        target: { departmentId, chain: actor.communityIds.slice(0, 1) },
      });
  }
}

function authorizeEntity(ctx: RequestContext, entity: ImportEntity, departmentId: string) {
  if (!mayImport(ctx.actor, entity, departmentId)) throw forbidden("You may not import this");
}

/** The one who uploaded a job, or a manager, may go on with it. */
const mayAct = (actor: Actor, job: repo.ImportJobRow) =>
  job.createdBy === actor.userId || hasRole(actor, "manager");

async function loadJob(ctx: RequestContext, id: string) {
  const departmentId = departmentOf(ctx);
  await sweepStale(ctx.db);
  const found = await repo.findJob(ctx.db, departmentId, id);
  if (!found) throw notFound("import");
  authorizeEntity(ctx, found.job.entity as ImportEntity, departmentId);
  return found;
}

async function loadForAction(ctx: RequestContext, id: string) {
  const found = await loadJob(ctx, id);
  if (!mayAct(ctx.actor, found.job)) {
    throw new AppError(
      "import.not_owner",
      403,
      "Only the person who uploaded the file (or a manager) may go on with it",
    );
  }
  return found;
}

const wrongStatus = (status: string) =>
  new AppError("import.wrong_status", 409, `The import is ${status}`, { status });

/* ------------------------------------------------------------------ */
/* Upload                                                               */
/* ------------------------------------------------------------------ */

/** Reads an uploaded file (type, encoding, header, rows), keeps it encrypted, answers the preview. */
export async function uploadImport(
  ctx: RequestContext,
  query: { entity: ImportEntity; fileName: string },
  file: Buffer,
) {
  const departmentId = departmentOf(ctx);
  authorizeEntity(ctx, query.entity, departmentId);
  const sheet = await openSheet(file);
  const preview: string[][] = [];
  let total = 0;
  for await (const row of sheet.rows) {
    total++;
    if (preview.length < IMPORT_LIMITS.previewRows) preview.push(row.cells);
    if (total > IMPORT_LIMITS.maxRows) {
      throw new AppError(
        "import.too_many_rows",
        400,
        `The file has more than ${IMPORT_LIMITS.maxRows} rows: split it`,
      );
    }
  }
  if (total === 0) throw new AppError("import.no_rows", 400, "The file has a header but no rows");
  const result: JobResultStore = { previewEnc: ctx.cipher.encryptJson(preview) };
  const job = await repo.insertJob(ctx.db, {
    departmentId,
    entity: query.entity,
    status: "uploaded",
    fileName: query.fileName,
    fileType: sheet.fileType,
    fileEnc: await sealFile(ctx.cipher, file),
    headers: sheet.headers,
    options: importOptionsSchema.parse({}),
    totalRows: total,
    result,
    createdBy: ctx.actor.userId,
  });
  return presentImportJob(job, {
    creatorName: ctx.actor.name,
    preview,
    errorsPage: 1,
    canAct: true,
  });
}

/* ------------------------------------------------------------------ */
/* Reading                                                              */
/* ------------------------------------------------------------------ */

export async function getImport(ctx: RequestContext, id: string, errorsPage: number) {
  const { job, creatorName } = await loadJob(ctx, id);
  const finished = (FINISHED_IMPORT_STATUSES as readonly string[]).includes(job.status);
  const previewEnc = (job.result as JobResultStore).previewEnc;
  // The file's first rows are personal data: shown only to the person who uploaded it.
  const preview =
    !finished && previewEnc && job.createdBy === ctx.actor.userId
      ? ctx.cipher.decryptJson<string[][]>(previewEnc)
      : null;
  return presentImportJob(job, {
    creatorName,
    preview,
    errorsPage,
    canAct: mayAct(ctx.actor, job),
  });
}

export async function listImports(
  ctx: RequestContext,
  query: { entity?: ImportEntity | undefined; page: number; pageSize: number },
) {
  const departmentId = departmentOf(ctx);
  const entities = (["residents", "assets", "community_figures"] as const).filter((e) =>
    mayImport(ctx.actor, e, departmentId),
  );
  if (entities.length === 0 || (query.entity && !entities.includes(query.entity))) {
    throw forbidden("You may not import");
  }
  await sweepStale(ctx.db);
  await repo.expireAbandonedJobs(ctx.db, departmentId, new Date(Date.now() - ABANDONED_AFTER_MS));
  const { items, total } = await repo.listJobs(
    ctx.db,
    departmentId,
    { entity: query.entity },
    { limit: query.pageSize, offset: (query.page - 1) * query.pageSize },
  );
  return {
    items: items.map(presentImportListItem),
    total,
    page: query.page,
    pageSize: query.pageSize,
  };
}

/** The error report as CSV (UTF-8 with BOM): row, field, problem — never a cell's value. */
export async function importErrorsCsv(ctx: RequestContext, id: string, locale: ExportLocale) {
  const { job } = await loadJob(ctx, id);
  const entity = job.entity as ImportEntity;
  const head = {
    he: ["שורה", "שדה", "בעיה"],
    ar: ["السطر", "الحقل", "المشكلة"],
    en: ["Row", "Field", "Problem"],
  };
  const lines = [csvLine([...head[locale], "code"])];
  for (const e of job.errors as ImportRowError[]) {
    lines.push(
      csvLine([e.row, headerLabel(entity, e.field, locale), ROW_CODE_TEXT[e.code][locale], e.code]),
    );
  }
  return { csv: `\ufeff${lines.join("")}`, fileName: `import-${job.id.slice(0, 8)}-errors.csv` };
}

/* ------------------------------------------------------------------ */
/* Validate, commit, cancel                                             */
/* ------------------------------------------------------------------ */

/** Checks the mapping and options, then validates every row in the background (202). */
export async function validateImport(
  ctx: RequestContext,
  id: string,
  body: ValidateImportBody,
  log: FastifyBaseLogger,
) {
  const { job } = await loadForAction(ctx, id);
  if (job.status !== "uploaded" && job.status !== "validated") throw wrongStatus(job.status);
  const entity = job.entity as ImportEntity;
  const fields = IMPORT_FIELDS[entity];
  const problems: { field: string; problem: string }[] = [];
  const used = new Set<string>();
  for (const [field, header] of Object.entries(body.mapping)) {
    if (!fields.some((f) => f.key === field)) problems.push({ field, problem: "unknown_field" });
    else if (!job.headers.includes(header)) problems.push({ field, problem: "unknown_column" });
    else if (used.has(header)) problems.push({ field, problem: "column_used_twice" });
    used.add(header);
  }
  for (const f of fields) {
    if (f.required && !body.mapping[f.key]) problems.push({ field: f.key, problem: "required" });
  }
  const groups = new Set(fields.flatMap((f) => (f.group ? [f.group] : [])));
  for (const g of groups) {
    if (!fields.some((f) => f.group === g && body.mapping[f.key])) {
      problems.push({ field: g, problem: "required" });
    }
  }
  const options = { ...body.options };
  if (entity === "community_figures") {
    const indicators = fields.filter((f) => f.type === "number").map((f) => f.key);
    if (!indicators.some((k) => body.mapping[k]))
      problems.push({ field: "indicators", problem: "required" });
    if (!body.mapping.period && !options.period)
      problems.push({ field: "period", problem: "required" });
  }
  if (problems.length) {
    throw new AppError("import.mapping_invalid", 400, "The column mapping is not complete", {
      problems,
    });
  }
  if (body.mapping.street && entity !== "community_figures") {
    const towns = (await repo.communitiesOf(ctx.db, job.departmentId)).filter(
      (c) => c.kind === "geographic" && c.level === "town",
    );
    if (options.townId && !towns.some((t) => t.id === options.townId)) {
      throw new AppError("import.town_required", 400, "Choose one of the department's towns");
    }
    if (!options.townId) {
      if (towns.length !== 1) {
        throw new AppError(
          "import.town_required",
          400,
          "Choose the town whose streets the file names",
        );
      }
      options.townId = towns[0]!.id;
    }
  }
  const { skipped: _skipped, ...kept } = job.result as JobResultStore;
  const started = await repo.updateJobIf(ctx.db, job.departmentId, id, ["uploaded", "validated"], {
    status: "validating",
    mapping: body.mapping,
    options,
    processedRows: 0,
    validRows: 0,
    errorRows: 0,
    errors: [],
    failure: null,
    result: kept,
  });
  if (!started) throw wrongStatus("busy");
  const fresh = (await repo.findJob(ctx.db, job.departmentId, id))!.job;
  void runValidation(ctx, fresh, log);
  return { id, status: "validating" as const };
}

/** Commits a validated job in the background (202); refused while rows have errors unless skipped. */
export async function commitImport(
  ctx: RequestContext,
  id: string,
  body: CommitImportBody,
  log: FastifyBaseLogger,
) {
  const { job } = await loadForAction(ctx, id);
  if (job.status !== "validated") throw wrongStatus(job.status);
  const options = importOptionsSchema.parse(job.options);
  const skipInvalid = body.skipInvalid ?? options.skipInvalid;
  if (job.errorRows > 0 && !skipInvalid) {
    throw new AppError(
      "import.has_row_errors",
      409,
      "Some rows have errors: fix the file, or choose to import only the valid rows",
      { errorRows: job.errorRows },
    );
  }
  if (job.validRows === 0) {
    throw new AppError("import.nothing_to_import", 409, "No row can be imported");
  }
  const started = await repo.updateJobIf(ctx.db, job.departmentId, id, ["validated"], {
    status: "importing",
    options: { ...options, skipInvalid },
  });
  if (!started) throw wrongStatus("busy");
  const fresh = (await repo.findJob(ctx.db, job.departmentId, id))!.job;
  void runCommit(ctx, fresh, log);
  return { id, status: "importing" as const };
}

/** Cancels a job before its commit: the file and staged rows are erased. */
export async function cancelImport(ctx: RequestContext, id: string) {
  const { job } = await loadForAction(ctx, id);
  const ended = await endJob(ctx, job, ["uploaded", "validating", "validated"], {
    status: "cancelled",
    failure: null,
  });
  if (!ended) throw wrongStatus(job.status);
  return getImport(ctx, id, 1);
}

/* ------------------------------------------------------------------ */
/* Interrupted jobs                                                     */
/* ------------------------------------------------------------------ */

/**
 * A job left "validating" or "importing" by a stopped process is failed, its
 * file erased: on the embedded database at start-up (one process owns it), and
 * anywhere once it has been silent for a while and is not running here.
 */
export async function sweepInterruptedAtStart(database: Database) {
  if (database.kind !== "pglite") return;
  await repo.failInterruptedJobs(database.db, null, []);
  await repo.deleteOrphanStagedRows(database.db);
}

async function sweepStale(db: Db) {
  const failed = await repo.failInterruptedJobs(
    db,
    new Date(Date.now() - STALE_AFTER_MS),
    runningJobIds(),
  );
  for (const f of failed) await repo.deleteStagedRows(db, f.departmentId, f.id);
}
