import type { FastifyBaseLogger } from "fastify";
import {
  IMPORT_LIMITS,
  importOptionsSchema,
  normalizeForSearch,
  type ImportEntity,
  type ImportRowError,
} from "@kaveret/contracts";
import type { RequestContext } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";
import { auditFor, recordAudit } from "../audit/audit.service.ts";
import {
  forgetCommunityCounts,
  upsertCommunityFigures,
} from "../community-profile/community-profile.service.ts";
import { openSheet, type SheetRow } from "./file-reader.ts";
import { openFile } from "./file-store.ts";
import { foldWhenPending } from "../residents/resident-tallies.ts";
import * as repo from "./imports.repository.ts";
import type { JobResultStore } from "./imports.presenter.ts";
import { CommunityIndex, StreetIndex } from "./lookups.ts";
import { foldWord } from "./mapping.ts";
import {
  assetRow,
  figuresRow,
  residentRow,
  type AssetEnv,
  type Cells,
  type FiguresEnv,
  type ResidentEnv,
  type RowIssue,
  type RowResult,
} from "./rows.ts";
import { ROW_CODE_TEXT } from "./vocabulary.ts";

/**
 * The background half of an import, run in this process after the request that
 * started it has answered 202: validation (read the file again, check every row,
 * stage the valid ones in their stored form, report progress every batch) and
 * commit (one short set-based transaction, audited). No transaction is held while
 * the file is read, so the app stays responsive on the single-connection PGlite.
 */

const BATCH = 500;
/** Jobs running in this process (a job marked running elsewhere but silent this long was interrupted). */
const running = new Set<string>();
export const STALE_AFTER_MS = 2 * 60 * 1000;

export function runningJobIds(): string[] {
  return [...running];
}

class Cancelled extends Error {}

const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

type Job = repo.ImportJobRow;

/* ------------------------------------------------------------------ */
/* Validation                                                           */
/* ------------------------------------------------------------------ */

type RowMapper = (get: Cells) => RowResult<Record<string, unknown>>;

async function residentEnv(ctx: RequestContext, job: Job, communities: CommunityIndex) {
  const options = importOptionsSchema.parse(job.options);
  const streets = options.townId
    ? new StreetIndex(await repo.streetsOfTown(ctx.db, job.departmentId, options.townId))
    : null;
  const env: ResidentEnv = {
    departmentId: job.departmentId,
    actor: ctx.actor,
    cipher: ctx.cipher,
    townId: options.townId,
    streets,
    communities,
    consentMethod: options.consentMethod,
    households: new Map(),
  };
  return env;
}

/** Duplicate keys of a staged resident: its ID number's blind index, and phone + name. */
function residentKeys(d: Record<string, unknown>): string[] {
  const keys: string[] = [];
  if (typeof d.id_number_hash === "string") keys.push(`id:${d.id_number_hash}`);
  if (typeof d.phone === "string") {
    keys.push(
      `pn:${d.phone}:${normalizeForSearch(`${String(d.first_name)} ${String(d.last_name)}`)}`,
    );
  }
  return keys;
}

/** Checks every row of a job's file and stages the valid ones. */
export async function runValidation(ctx: RequestContext, job: Job, log: FastifyBaseLogger) {
  running.add(job.id);
  const { departmentId, id } = job;
  try {
    const sealed = await repo.jobFile(ctx.db, departmentId, id);
    if (!sealed) throw new AppError("import.unreadable_file", 400, "The file is gone");
    const sheet = await openSheet(await openFile(ctx.cipher, sealed));
    const options = importOptionsSchema.parse(job.options);
    const column = new Map<string, number>();
    for (const [field, header] of Object.entries(job.mapping)) {
      const i = sheet.headers.indexOf(header);
      if (i >= 0) column.set(field, i);
    }
    const communities = new CommunityIndex(await repo.communitiesOf(ctx.db, departmentId));
    const entity = job.entity as ImportEntity;

    let map: RowMapper;
    const seenKeys = new Set<string>();
    if (entity === "residents") {
      const env = await residentEnv(ctx, job, communities);
      map = (get) => residentRow(get, env);
    } else if (entity === "assets") {
      const orgs = new Map<string, string>();
      for (const o of await repo.organizationsOf(ctx.db, departmentId)) {
        orgs.set(foldWord(o.name), o.id);
        for (const alt of Object.values(o.altNames))
          if (!orgs.has(foldWord(alt))) orgs.set(foldWord(alt), o.id);
      }
      const env: AssetEnv = {
        departmentId,
        actor: ctx.actor,
        streets: options.townId
          ? new StreetIndex(await repo.streetsOfTown(ctx.db, departmentId, options.townId))
          : null,
        communities,
        organizations: orgs,
        newOrganizations: new Map(),
      };
      for (const a of await repo.assetKeysOf(ctx.db, departmentId)) {
        seenKeys.add(`existing:${foldWord(a.name)}:${a.type}`);
      }
      map = (get) => assetRow(get, env);
    } else {
      const env: FiguresEnv = {
        departmentId,
        actor: ctx.actor,
        communities,
        indicators: [...column.keys()].filter(
          (k) => k !== "statAreaCode" && k !== "community" && k !== "period",
        ),
        period: options.period,
        seen: new Set(),
      };
      map = (get) => figuresRow(get, env);
    }

    await repo.deleteStagedRows(ctx.db, departmentId, id);
    const errors: ImportRowError[] = [];
    let processed = 0;
    let valid = 0;
    let invalid = 0;
    let skipped = 0;
    const report = (row: number, issues: RowIssue[]) => {
      for (const issue of issues) {
        if (errors.length >= IMPORT_LIMITS.keptErrors) return;
        errors.push({
          row,
          field: issue.field,
          code: issue.code,
          message: ROW_CODE_TEXT[issue.code].en,
        });
      }
    };
    // Keys seen in the file so far (duplicates within the file).
    const inFile = new Map<string, number>();

    const processBatch = async (batch: SheetRow[]) => {
      if (batch.length === 0) return;
      const results = batch.map((r) => {
        const get: Cells = (field) => {
          const i = column.get(field);
          return i === undefined ? "" : (r.cells[i] ?? "");
        };
        return { row: r.row, result: map(get) };
      });

      // Residents already in the department (one query for the batch).
      const existing = new Set<string>();
      if (entity === "residents") {
        const hashes: string[] = [];
        const phones: string[] = [];
        for (const { result } of results) {
          if (!result.data) continue;
          if (typeof result.data.id_number_hash === "string")
            hashes.push(result.data.id_number_hash);
          if (typeof result.data.phone === "string") phones.push(result.data.phone);
        }
        for (const m of await repo.residentMatches(ctx.db, departmentId, hashes, phones)) {
          if (m.idNumberHash) existing.add(`id:${m.idNumberHash}`);
          if (m.phone) {
            existing.add(`pn:${m.phone}:${normalizeForSearch(`${m.firstName} ${m.lastName}`)}`);
          }
        }
      }

      const stage: { rowNo: number; data: Record<string, unknown> }[] = [];
      for (const { row, result } of results) {
        if (!result.data) {
          invalid++;
          report(row, result.issues);
          continue;
        }
        const data = result.data;
        let duplicate: RowIssue | null = null;
        if (entity === "residents") {
          const keys = residentKeys(data);
          if (keys.some((k) => existing.has(k))) {
            duplicate = {
              field: keys[0]!.startsWith("id:") ? "idNumber" : "phone",
              code: "duplicate_existing",
            };
          } else if (keys.some((k) => inFile.has(k))) {
            duplicate = {
              field: keys[0]!.startsWith("id:") ? "idNumber" : "phone",
              code: "duplicate_in_file",
            };
          }
          for (const k of keys) if (!inFile.has(k)) inFile.set(k, row);
        } else if (entity === "assets") {
          const key = `${foldWord(String(data.name))}:${String(data.asset_type)}`;
          if (seenKeys.has(`existing:${key}`))
            duplicate = { field: "name", code: "duplicate_existing" };
          else if (seenKeys.has(`file:${key}`))
            duplicate = { field: "name", code: "duplicate_in_file" };
          seenKeys.add(`file:${key}`);
        }
        if (duplicate && options.duplicates === "skip") {
          skipped++;
          report(row, [duplicate]);
          continue;
        }
        valid++;
        stage.push({ rowNo: row, data });
      }
      await repo.insertStagedRows(ctx.db, departmentId, id, stage);
      processed += batch.length;
      const still = await repo.updateJobIf(ctx.db, departmentId, id, ["validating"], {
        processedRows: processed,
        validRows: valid,
        errorRows: invalid,
      });
      if (!still) throw new Cancelled();
      await yieldToRequests();
    };

    let batch: SheetRow[] = [];
    for await (const row of sheet.rows) {
      batch.push(row);
      if (batch.length >= BATCH) {
        await processBatch(batch);
        batch = [];
      }
    }
    await processBatch(batch);

    const result: JobResultStore = { ...(job.result as JobResultStore), skipped };
    const done = await repo.updateJobIf(ctx.db, departmentId, id, ["validating"], {
      status: "validated",
      totalRows: processed,
      processedRows: processed,
      validRows: valid,
      errorRows: invalid,
      errors,
      result,
    });
    if (!done) throw new Cancelled();
  } catch (err) {
    if (err instanceof Cancelled) {
      await repo.deleteStagedRows(ctx.db, departmentId, id);
      return;
    }
    log.error({ importId: id, err: errorSummary(err) }, "import validation failed");
    await endJob(ctx, job, ["validating"], {
      status: "failed",
      failure: err instanceof AppError ? err.code : "validation_failed",
    });
  } finally {
    running.delete(job.id);
  }
}

/* ------------------------------------------------------------------ */
/* Commit                                                               */
/* ------------------------------------------------------------------ */

const AUDIT_ACTIONS: Record<ImportEntity, string> = {
  residents: "resident.import",
  assets: "asset.import",
  community_figures: "figures.import",
};

/** Moves a validated job's staged rows into their tables in one transaction: all or nothing. */
export async function runCommit(ctx: RequestContext, job: Job, log: FastifyBaseLogger) {
  running.add(job.id);
  const { departmentId, id } = job;
  const options = importOptionsSchema.parse(job.options);
  const entity = job.entity as ImportEntity;
  try {
    await ctx.db.transaction(async (tx) => {
      // Locks the job row for the transaction: a stale-job sweep elsewhere waits, then finds it done.
      if (!(await repo.updateJobIf(tx, departmentId, id, ["importing"], {}))) throw new Cancelled();
      const skippedAtValidation = (job.result.skipped as number | undefined) ?? 0;
      let counts: Record<string, number>;
      if (entity === "residents") {
        const skippedMeanwhile =
          options.duplicates === "skip"
            ? await repo.dropResidentsAddedMeanwhile(tx, departmentId, id)
            : 0;
        const r = await repo.commitResidents(tx, departmentId, id, {
          userId: ctx.actor.userId,
          consentMethod: options.consentMethod,
        });
        counts = { ...r, skipped: skippedAtValidation + skippedMeanwhile };
      } else if (entity === "assets") {
        const r = await repo.commitAssets(tx, departmentId, id, { userId: ctx.actor.userId });
        counts = { ...r, skipped: skippedAtValidation };
      } else {
        // The profile module's own writer: checks each community and the actor's right to
        // write its figures, and audits one line per community.
        const figures = await repo.stagedFigures(tx, departmentId, id);
        const written = await upsertCommunityFigures(
          tx,
          ctx,
          figures.map((f) => ({ ...f, source: options.source })),
        );
        counts = { figures: written.written, communities: written.communities };
      }
      // One line for the job: what was imported and how many, never a value.
      await recordAudit(
        tx,
        auditFor(ctx, {
          action: AUDIT_ACTIONS[entity],
          entityType: "import",
          entityId: id,
          fields: Object.keys(job.mapping).sort(),
          details: {
            ...counts,
            fileType: job.fileType,
            rows: job.totalRows,
            leftOutInvalid: job.errorRows,
          },
        }),
      );
      const done = await repo.updateJobIf(tx, departmentId, id, ["importing"], {
        status: "done",
        result: counts,
        fileEnc: null,
        finishedAt: new Date(),
      });
      if (!done) throw new Cancelled();
    });
    await repo.deleteStagedRows(ctx.db, departmentId, id);
    // Cached partial counts change at once; the tallies' deltas of a large import are
    // folded now rather than summed by every read until the next fold.
    if (entity === "residents") {
      forgetCommunityCounts(departmentId);
      foldWhenPending(ctx, departmentId, Infinity);
    }
  } catch (err) {
    if (!(err instanceof Cancelled)) {
      log.error({ importId: id, err: errorSummary(err) }, "import commit failed");
    }
    await endJob(ctx, job, ["importing"], { status: "failed", failure: "commit_failed" });
  } finally {
    running.delete(job.id);
  }
}

/** Ends a job that did not succeed: its file, preview and staged rows are erased. */
export async function endJob(
  ctx: Pick<RequestContext, "db">,
  job: Pick<Job, "departmentId" | "id" | "result">,
  from: readonly string[],
  patch: { status: "failed" | "cancelled"; failure: string | null },
) {
  const { previewEnc: _preview, ...result } = job.result as JobResultStore;
  const ended = await repo.updateJobIf(ctx.db, job.departmentId, job.id, from, {
    ...patch,
    fileEnc: null,
    result,
    finishedAt: new Date(),
  });
  await repo.deleteStagedRows(ctx.db, job.departmentId, job.id);
  return ended;
}

/** What a log may say about an error: its class and SQL state, never a message that may hold values. */
function errorSummary(err: unknown) {
  if (err instanceof AppError) return { code: err.code };
  const e = err as { name?: unknown; code?: unknown };
  return { name: typeof e.name === "string" ? e.name : "Error", code: e.code };
}
