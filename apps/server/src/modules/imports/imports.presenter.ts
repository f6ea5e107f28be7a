import {
  IMPORT_FIELDS,
  IMPORT_LIMITS,
  importOptionsSchema,
  type ImportEntity,
  type ImportErrorGroup,
  type ImportFileType,
  type ImportJob,
  type ImportListItem,
  type ImportResult,
  type ImportRowError,
  type ImportStatus,
} from "@kaveret/contracts";
import type { ImportJobRow } from "./imports.repository.ts";
import { suggestMapping } from "./mapping.ts";

/** What `result` holds besides the counts (never shown as such). */
export type JobResultStore = ImportResult & { previewEnc?: string; skipped?: number };

function presentResult(result: Record<string, unknown>): ImportResult {
  const out: ImportResult = {};
  for (const key of [
    "created",
    "updated",
    "skipped",
    "households",
    "consents",
    "organizations",
    "schedules",
    "figures",
    "communities",
  ] as const) {
    const v = result[key];
    if (typeof v === "number") out[key] = v;
  }
  return out;
}

type ListRow = {
  id: string;
  entity: string;
  status: string;
  fileName: string;
  fileType: string;
  totalRows: number;
  validRows: number;
  errorRows: number;
  result: Record<string, unknown>;
  createdBy: string;
  creatorName: string | null;
  createdAt: Date;
  finishedAt: Date | null;
};

export function presentImportListItem(r: ListRow): ImportListItem {
  return {
    id: r.id,
    entity: r.entity as ImportEntity,
    status: r.status as ImportStatus,
    fileName: r.fileName,
    fileType: r.fileType as ImportFileType,
    totalRows: r.totalRows,
    validRows: r.validRows,
    errorRows: r.errorRows,
    result: presentResult(r.result),
    createdBy: { id: r.createdBy, name: r.creatorName ?? "" },
    createdAt: r.createdAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}

/** Row errors grouped by field and code, with the first rows of each. */
export function groupErrors(errors: ImportRowError[]): ImportErrorGroup[] {
  const groups = new Map<string, ImportErrorGroup>();
  for (const e of errors) {
    const key = `${e.field} ${e.code}`;
    const g = groups.get(key) ?? { field: e.field, code: e.code, count: 0, rows: [] };
    g.count++;
    if (g.rows.length < 20) g.rows.push(e.row);
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

export function presentImportJob(
  row: ImportJobRow,
  extras: {
    creatorName: string | null;
    preview: string[][] | null;
    errorsPage: number;
    canAct: boolean;
  },
): ImportJob {
  const errors = row.errors as ImportRowError[];
  const size = IMPORT_LIMITS.errorsPageSize;
  const options = importOptionsSchema.safeParse(row.options);
  return {
    ...presentImportListItem({ ...row, creatorName: extras.creatorName }),
    headers: row.headers,
    mapping: row.mapping,
    options: options.success ? options.data : importOptionsSchema.parse({}),
    processedRows: row.processedRows,
    skippedRows: typeof row.result.skipped === "number" ? row.result.skipped : 0,
    fields: IMPORT_FIELDS[row.entity as ImportEntity].map((f) => ({
      key: f.key,
      required: f.required,
      type: f.type,
      ...(f.group ? { group: f.group } : {}),
    })),
    suggestedMapping: suggestMapping(row.entity as ImportEntity, row.headers),
    preview: extras.preview,
    errorGroups: groupErrors(errors),
    errors: {
      items: errors.slice((extras.errorsPage - 1) * size, extras.errorsPage * size),
      total: errors.length,
      page: extras.errorsPage,
      pageSize: size,
    },
    failure: row.failure,
    canAct: extras.canAct,
    updatedAt: row.updatedAt.toISOString(),
  };
}
