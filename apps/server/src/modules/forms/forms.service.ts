import {
  FORM_SCHEMA_VERSION,
  checkForm,
  formDefinitionSchema,
  isPhotoId,
  photoAnswers,
  prepareSubmission,
  walkNodes,
  type FormDefinition,
  type FormNode,
} from "@kaveret/forms";
import { XlsformError, exportXlsform, importXlsform } from "@kaveret/forms/xlsform";
import {
  localNames,
  type Form,
  type FormProblem,
  type FormSummary,
  type ResponseItem,
} from "@kaveret/contracts";
import type { Db, DbOrTx } from "@kaveret/db";
import type { SQL } from "drizzle-orm";
import type { RequestContext } from "../../lib/context.ts";
import { departmentOf } from "../../lib/context.ts";
import { AppError, forbidden, notFound, versionConflict } from "../../lib/errors.ts";
import { hasRole } from "../../policy/actor.ts";
import { auditFor, recordAudit, recordRead } from "../audit/audit.service.ts";
import { ancestorChain } from "../communities/communities.repository.ts";
import { createNeed } from "../needs/needs.service.ts";
import { assertAssignmentOf } from "./form-assignments.service.ts";
import { linkAnswerPhotos, photoLink, repeatWithPhotoLinks } from "./form-photos.answers.ts";
import { analyseResponses } from "./forms.analysis.ts";
import * as repo from "./forms.repository.ts";

/*
 * Forms and surveys: definitions (built here or imported from XLSForm), published by
 * link, typed in from paper or taken face to face by staff — every answer validated by
 * the same engine the tablet runs, stored once (device-made ids), in one dataset.
 *
 * Who: managers all of the department's forms; community workers forms of their
 * communities and department-wide ones; social workers read and type in answers.
 */

const MAX_ANALYSED = 50_000;

type Reach = { departmentId: string; communityRoots: string[] | null };

function reachOf(ctx: RequestContext): Reach {
  const departmentId = departmentOf(ctx);
  if (hasRole(ctx.actor, "manager") || hasRole(ctx.actor, "social_worker")) {
    return { departmentId, communityRoots: null };
  }
  if (hasRole(ctx.actor, "community_worker")) {
    return { departmentId, communityRoots: ctx.actor.communityIds };
  }
  throw forbidden();
}

async function canEdit(ctx: RequestContext, form: { communityId: string | null }) {
  if (hasRole(ctx.actor, "manager")) return true;
  if (!hasRole(ctx.actor, "community_worker")) return false;
  if (!form.communityId) return true;
  const chain = await ancestorChain(ctx.db, ctx.actor.departmentId ?? "", form.communityId);
  return chain.some((id) => ctx.actor.communityIds.includes(id));
}

/** A form the reader may see (in their department and reach), or 404. */
export async function loadForm(ctx: RequestContext, id: string) {
  const reach = reachOf(ctx);
  const row = await repo.findForm(ctx.db, reach.departmentId, id);
  if (!row) throw notFound("form");
  if (reach.communityRoots !== null && row.communityId) {
    const chain = await ancestorChain(ctx.db, reach.departmentId, row.communityId);
    if (!chain.some((c) => reach.communityRoots!.includes(c))) throw notFound("form");
  }
  return { row, departmentId: reach.departmentId };
}

/** Answers (and their photos) are read by those who may edit the form, and by managers. */
export async function assertReadsResponses(
  ctx: RequestContext,
  form: { communityId: string | null },
) {
  if (!(await canEdit(ctx, form)) && !hasRole(ctx.actor, "manager")) throw forbidden();
}

/** A definition from JSON, or 400 form.invalid_definition naming the wrong places. */
export function parseDefinition(json: unknown): FormDefinition {
  const parsed = formDefinitionSchema.safeParse(json);
  if (!parsed.success) {
    throw new AppError("form.invalid_definition", 400, "The form definition is not valid", {
      issues: parsed.error.issues.slice(0, 50).map((i) => ({ path: i.path, message: i.message })),
    });
  }
  return parsed.data;
}

export function emptyDefinition(title: string): FormDefinition {
  return {
    schemaVersion: FORM_SCHEMA_VERSION,
    settings: { title, id: "form", defaultLanguage: "he", languages: ["he"] },
    questions: [],
    choiceLists: [],
  };
}

const problemsOf = (def: FormDefinition): FormProblem[] =>
  checkForm(def).map((p) => ({
    level: p.level,
    code: p.code,
    message: p.message,
    params: p.params,
    ...(p.name ? { name: p.name } : {}),
  }));

function countQuestions(def: FormDefinition) {
  let n = 0;
  walkNodes(def.questions, (node) => {
    if (node.type !== "group" && node.type !== "repeat" && node.type !== "note") n += 1;
  });
  return n;
}

function summaryOf(ctx: RequestContext, row: repo.FormRow): FormSummary {
  const def = formDefinitionSchema.safeParse(row.definition);
  return {
    id: row.id,
    title: row.title,
    status: row.status as FormSummary["status"],
    anonymous: row.anonymous,
    languages: def.success ? def.data.settings.languages : [],
    defaultLanguage: def.success ? def.data.settings.defaultLanguage : "he",
    questionCount: def.success ? countQuestions(def.data) : 0,
    responseCount: Number(row.responseCount),
    community:
      row.communityId && row.communityName
        ? { id: row.communityId, name: row.communityName }
        : null,
    publicUrl: row.status === "open" ? `${ctx.config.publicUrl}/s/${row.id}` : null,
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
  };
}

async function present(ctx: RequestContext, row: repo.FormRow): Promise<Form> {
  const def = formDefinitionSchema.safeParse(row.definition);
  const editable = await canEdit(ctx, row);
  return {
    ...summaryOf(ctx, row),
    definition: row.definition,
    problems: def.success ? problemsOf(def.data) : [],
    permissions: { edit: editable, readResponses: editable || hasRole(ctx.actor, "manager") },
  };
}

/* ------------------------------------------------------------------ */
/* Forms.                                                               */
/* ------------------------------------------------------------------ */

export async function listForms(
  ctx: RequestContext,
  q: { page: number; pageSize: number; q?: string; status?: string },
) {
  const reach = reachOf(ctx);
  const { items, total } = await repo.listForms(
    ctx.db,
    repo.formScope(reach.departmentId, reach.communityRoots),
    { text: q.q, status: q.status },
    { limit: q.pageSize, offset: (q.page - 1) * q.pageSize },
  );
  return { items: items.map((r) => summaryOf(ctx, r)), total, page: q.page, pageSize: q.pageSize };
}

export async function getForm(ctx: RequestContext, id: string) {
  const { row } = await loadForm(ctx, id);
  return present(ctx, row);
}

export async function createForm(
  ctx: RequestContext,
  body: { title: string; anonymous: boolean; communityId: string | null; definition?: unknown },
) {
  const departmentId = reachOf(ctx).departmentId;
  if (!(await canEdit(ctx, body))) throw forbidden();
  const definition = body.definition
    ? parseDefinition(body.definition)
    : emptyDefinition(body.title);
  const id = crypto.randomUUID();
  await ctx.db.transaction(async (tx) => {
    await repo.insertForm(tx, {
      departmentId,
      id,
      title: body.title,
      anonymous: body.anonymous,
      communityId: body.communityId,
      definition: definition as unknown as Record<string, unknown>,
      createdBy: ctx.actor.userId,
    });
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: "form.create",
        entityType: "form",
        entityId: id,
        communityId: body.communityId,
      }),
    );
  });
  return getForm(ctx, id);
}

export async function importForm(
  ctx: RequestContext,
  file: Buffer,
  q: { title?: string; fileName?: string },
) {
  const departmentId = reachOf(ctx).departmentId;
  if (!(await canEdit(ctx, { communityId: null }))) throw forbidden();
  let imported;
  try {
    imported = await importXlsform(new Uint8Array(file), { fileName: q.fileName });
  } catch (err) {
    if (err instanceof XlsformError) {
      throw new AppError("form.xlsform_invalid", 400, err.message, {
        code: err.code,
        params: err.params,
      });
    }
    throw err;
  }
  const title = q.title ?? imported.form.settings.title;
  const id = crypto.randomUUID();
  await ctx.db.transaction(async (tx) => {
    await repo.insertForm(tx, {
      departmentId,
      id,
      title: title.slice(0, 200),
      anonymous: true,
      definition: imported.form as unknown as Record<string, unknown>,
      createdBy: ctx.actor.userId,
    });
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: "form.import",
        entityType: "form",
        entityId: id,
        details: { reported: imported.report.length },
      }),
    );
  });
  return {
    form: await getForm(ctx, id),
    report: imported.report.map((e) => ({
      level: e.level,
      code: e.code,
      message: e.message,
      params: e.params,
      ...(e.sheet ? { sheet: e.sheet } : {}),
      ...(e.row !== null ? { row: e.row } : {}),
      ...(e.name ? { name: e.name } : {}),
    })),
  };
}

export async function exportForm(ctx: RequestContext, id: string) {
  const { row } = await loadForm(ctx, id);
  const def = parseDefinition(row.definition);
  return { title: row.title, data: Buffer.from(await exportXlsform(def)) };
}

const STATUS_MOVES: Record<string, string[]> = {
  draft: ["open"],
  open: ["closed"],
  closed: ["open"],
};

export async function updateForm(
  ctx: RequestContext,
  id: string,
  body: {
    version: number;
    title?: string;
    anonymous?: boolean;
    communityId?: string | null;
    definition?: unknown;
    status?: string;
  },
) {
  const { row, departmentId } = await loadForm(ctx, id);
  if (!(await canEdit(ctx, row))) throw forbidden();
  if (body.communityId !== undefined && !(await canEdit(ctx, { communityId: body.communityId }))) {
    throw forbidden();
  }
  if (row.version !== body.version) throw versionConflict({ version: row.version });
  const values: Parameters<typeof repo.updateFormIfVersion>[4] = {};
  let definition = formDefinitionSchema.safeParse(row.definition).data ?? null;
  if (body.definition !== undefined) {
    if (Number(row.responseCount) > 0 && row.status !== "draft") {
      // Answers already given must keep meaning what they meant.
      throw new AppError(
        "form.published_definition",
        409,
        "This form has answers: duplicate it to change its questions",
      );
    }
    definition = parseDefinition(body.definition);
    values.definition = definition as unknown as Record<string, unknown>;
    values.definitionVersion = row.definitionVersion + 1;
  }
  if (body.title !== undefined) values.title = body.title;
  if (body.anonymous !== undefined) values.anonymous = body.anonymous;
  if (body.communityId !== undefined) values.communityId = body.communityId;
  if (body.status !== undefined && body.status !== row.status) {
    if (!(STATUS_MOVES[row.status] ?? []).includes(body.status)) {
      throw new AppError("conflict", 409, `A ${row.status} form cannot become ${body.status}`);
    }
    if (body.status === "open") {
      const errors = definition ? problemsOf(definition).filter((p) => p.level === "error") : [];
      if (!definition || countQuestions(definition) === 0 || errors.length) {
        throw new AppError(
          "form.invalid_definition",
          400,
          "Fix the form's problems before opening it",
          {
            problems: errors,
          },
        );
      }
      values.publishedAt = new Date();
    }
    values.status = body.status;
  }
  await ctx.db.transaction(async (tx) => {
    const ok = await repo.updateFormIfVersion(tx, departmentId, id, body.version, values);
    if (!ok) throw versionConflict({ version: row.version + 1 });
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: "form.update",
        entityType: "form",
        entityId: id,
        communityId: row.communityId,
        fields: Object.keys(values),
      }),
    );
  });
  return getForm(ctx, id);
}

/* ------------------------------------------------------------------ */
/* Answers.                                                             */
/* ------------------------------------------------------------------ */

type Issue = { path: (string | number)[]; code: string; message: string };

function validated(def: FormDefinition, answers: Record<string, unknown>, language: string) {
  const { answers: clean, issues } = prepareSubmission(def, answers, language);
  if (issues.length) {
    throw new AppError("form.answers_invalid", 400, "Some answers are missing or not valid", {
      issues: issues
        .slice(0, 100)
        .map((i): Issue => ({ path: [...i.path], code: i.code, message: i.message })),
    });
  }
  return clean;
}

async function presentResponse(
  ctx: RequestContext,
  departmentId: string,
  formId: string,
  id: string,
): Promise<ResponseItem> {
  // By id: looking for it among the newest answers missed older ones (a resend after the
  // form passed 500 answers was refused as not found) and read 500 rows for each answer.
  const { items } = await repo.listResponses(
    ctx.db,
    departmentId,
    { formId, id },
    { limit: 1, offset: 0 },
  );
  const item = items[0];
  if (!item) throw notFound("response");
  return responseItem(item);
}

function responseItem(
  i: Awaited<ReturnType<typeof repo.listResponses>>["items"][number],
): ResponseItem {
  return {
    id: i.id,
    channel: i.channel as ResponseItem["channel"],
    language: i.language,
    community:
      i.communityId && i.communityName ? { id: i.communityId, name: i.communityName } : null,
    submittedBy: i.submittedBy ? { id: i.submittedBy, name: i.submittedByName ?? "" } : null,
    answers: i.answers,
    formVersion: i.formVersion,
    needIds: i.needIds ?? [],
    createdAt: i.createdAt.toISOString(),
  };
}

/** Staff typing in an answer (paper, face to face, door to door). Exactly once per id. */
type ResponseBody = {
  id: string;
  channel: string;
  answers: Record<string, unknown>;
  language: string;
  communityId: string | null;
  residentId: string | null;
  assignmentId?: string | undefined;
};

export async function createResponse(ctx: RequestContext, formId: string, body: ResponseBody) {
  const made = await writeResponse(ctx, formId, body);
  return made.existing ?? presentResponse(ctx, made.departmentId, formId, body.id);
}

/**
 * The same for a device's `form.response` command (sync push), whose answer is only the
 * response's id: a new answer is not read back. A resend of a stored one answers as
 * `createResponse` does.
 */
export async function createResponseFromDevice(
  ctx: RequestContext,
  formId: string,
  body: ResponseBody,
  also?: SQL,
): Promise<{ id: string; wroteAlso: boolean }> {
  const made = await writeResponse(ctx, formId, body, also);
  return { id: made.existing?.id ?? body.id, wroteAlso: made.wroteAlso };
}

/**
 * `also`: a further write of the statement that stores a new answer with no photos
 * (`wroteAlso` says whether it was written; not for a resend nor an answer with photos).
 */
async function writeResponse(
  ctx: RequestContext,
  formId: string,
  body: ResponseBody,
  also?: SQL,
): Promise<{ departmentId: string; existing: ResponseItem | null; wroteAlso: boolean }> {
  const { row, departmentId } = await loadForm(ctx, formId);
  // A resend of an answer already stored (its first answer lost on the way back, a device
  // syncing after the form was closed) answers the stored one, before any other rule.
  const existing = await repo.findResponse(ctx.db, departmentId, body.id);
  if (existing) {
    if (existing.formId !== formId) throw new AppError("conflict", 409, "This answer id is taken");
    return {
      departmentId,
      existing: await presentResponse(ctx, departmentId, formId, body.id),
      wroteAlso: false,
    };
  }
  if (row.status !== "open")
    throw new AppError("form.not_open", 409, "This form is not open for answers");
  const def = parseDefinition(row.definition);
  const answers = validated(def, body.answers, body.language);
  await assertAssignmentOf(ctx, departmentId, formId, body.assignmentId);
  const values = {
    departmentId,
    id: body.id,
    formId,
    formVersion: row.definitionVersion,
    channel: body.channel,
    answers,
    language: body.language,
    communityId: body.communityId ?? row.communityId,
    residentId: row.anonymous ? null : body.residentId,
    submittedBy: ctx.actor.userId,
    assignmentId: body.assignmentId ?? null,
  };
  if (photoAnswers(def, answers).length === 0) {
    // No photos to take: the answer and its audit row in one statement.
    await repo.insertResponseAudited(
      ctx.db,
      values,
      auditFor(ctx, {
        action: "form.response",
        entityType: "form",
        entityId: formId,
        details: { channel: body.channel },
      }),
      also,
    );
    return { departmentId, existing: null, wroteAlso: also !== undefined };
  }
  await ctx.db.transaction(async (tx) => {
    await repo.insertResponse(tx, values);
    const photos = await linkAnswerPhotos(
      tx,
      { departmentId, formId, responseId: body.id },
      def,
      answers,
    );
    await recordAudit(
      tx,
      auditFor(ctx, {
        action: "form.response",
        entityType: "form",
        entityId: formId,
        details: { channel: body.channel, ...(photos ? { photos } : {}) },
      }),
    );
  });
  return { departmentId, existing: null, wroteAlso: false };
}

/** The public link: the form while it is open. */
export async function publicForm(db: DbOrTx, id: string) {
  const row = await repo.findOpenForm(db, id);
  if (!row || row.status !== "open") {
    throw new AppError("form.not_open", 404, "This survey is not open");
  }
  return {
    id: row.id,
    title: row.title,
    department: {
      id: row.departmentId,
      name: row.departmentName,
      names: localNames(row.departmentAltNames),
    },
    anonymous: row.anonymous,
    definition: row.definition,
  };
}

export async function publicResponse(
  db: Db,
  id: string,
  body: { id: string; answers: Record<string, unknown>; language: string; website: string },
) {
  const row = await repo.findOpenForm(db, id);
  if (!row || row.status !== "open") {
    throw new AppError("form.not_open", 404, "This survey is not open");
  }
  if (body.website.trim()) {
    throw new AppError("need.spam", 400, "The answer looks automated and was not accepted");
  }
  const def = parseDefinition(row.definition);
  const answers = validated(def, body.answers, body.language);
  const created = await db.transaction(async (tx) => {
    const inserted = await repo.insertResponse(tx, {
      departmentId: row.departmentId,
      id: body.id,
      formId: id,
      formVersion: row.definitionVersion,
      channel: "link",
      answers,
      language: body.language,
      communityId: row.communityId,
    });
    if (inserted) {
      const photos = await linkAnswerPhotos(
        tx,
        { departmentId: row.departmentId, formId: id, responseId: body.id },
        def,
        answers,
      );
      await recordAudit(tx, {
        departmentId: row.departmentId,
        actorUserId: null,
        actorRole: "public",
        requestId: null,
        action: "form.response",
        entityType: "form",
        entityId: id,
        details: { channel: "link", ...(photos ? { photos } : {}) },
      });
    }
    return inserted;
  });
  if (!created) {
    const existing = await repo.findResponse(db, row.departmentId, body.id);
    if (!existing || existing.formId !== id) {
      throw new AppError("conflict", 409, "This answer id is taken");
    }
  }
  return { id: body.id, receivedAt: new Date().toISOString() };
}

export async function listResponses(
  ctx: RequestContext,
  formId: string,
  q: { page: number; pageSize: number; channel?: string; communityId?: string },
) {
  const { row, departmentId } = await loadForm(ctx, formId);
  await assertReadsResponses(ctx, row);
  const { items, total } = await repo.listResponses(
    ctx.db,
    departmentId,
    { formId, channel: q.channel, communityId: q.communityId },
    { limit: q.pageSize, offset: (q.page - 1) * q.pageSize },
  );
  if (!row.anonymous && items.length) {
    await recordRead(ctx, {
      entityType: "form_response",
      entityIds: items.map((i) => i.id),
      fields: ["answers"],
    });
  }
  return { items: items.map(responseItem), total, page: q.page, pageSize: q.pageSize };
}

export async function analysis(
  ctx: RequestContext,
  formId: string,
  q: { channel?: string; communityId?: string; crossBy?: string },
  language: string,
) {
  const { row, departmentId } = await loadForm(ctx, formId);
  await assertReadsResponses(ctx, row);
  const def = parseDefinition(row.definition);
  if (q.crossBy) {
    let found = false;
    walkNodes(def.questions, (n) => {
      if (n.name === q.crossBy && (n.type === "select_one" || n.type === "select_multiple"))
        found = true;
    });
    if (!found) {
      throw new AppError("form.question_not_found", 400, "crossBy must name a select question", {
        path: ["crossBy"],
      });
    }
  }
  const rows = await repo.allAnswers(ctx.db, departmentId, { formId, ...q }, MAX_ANALYSED);
  return analyseResponses(def, rows, { language, crossBy: q.crossBy });
}

/**
 * Rows of an export: fixed columns, then every question outside repeats (a repeat is one
 * column, its entries as JSON); a photo answer — on its own or inside a repeat's entries —
 * is its stable link (docs/forms-export.md).
 */
export async function exportRows(
  ctx: RequestContext,
  formId: string,
  q: { channel?: string; communityId?: string },
) {
  const { row, departmentId } = await loadForm(ctx, formId);
  await assertReadsResponses(ctx, row);
  const def = parseDefinition(row.definition);
  const names: string[] = [];
  const photoColumns = new Set<string>();
  const repeats = new Map<string, FormNode>();
  walkNodes(def.questions, (node, ancestors) => {
    if (node.type === "group" || node.type === "note") return;
    if (ancestors.some((a) => a.type === "repeat")) return;
    names.push(node.name);
    if (node.type === "image") photoColumns.add(node.name);
    if (node.type === "repeat") repeats.set(node.name, node);
  });
  const link = (photoId: string) => photoLink(ctx.config.publicUrl, departmentId, formId, photoId);
  const rows = await repo.allAnswers(ctx.db, departmentId, { formId, ...q }, MAX_ANALYSED);
  await recordAudit(
    ctx.db,
    auditFor(ctx, {
      action: "form.export",
      entityType: "form",
      entityId: formId,
      details: { rows: rows.length },
    }),
  );
  const cell = (v: unknown) =>
    v === null || v === undefined
      ? ""
      : Array.isArray(v)
        ? v.every((x) => typeof x !== "object")
          ? v.join(" ")
          : JSON.stringify(v)
        : typeof v === "object"
          ? JSON.stringify(v)
          : String(v);
  return {
    title: row.title,
    header: ["response_id", "submitted_at", "channel", "language", ...names],
    rows: rows.map((r) => [
      r.id,
      r.createdAt.toISOString(),
      r.channel,
      r.language,
      ...names.map((n) => {
        const v = r.answers[n];
        // A photo answer is a link to the photo (it opens for those who may read answers).
        if (photoColumns.has(n) && isPhotoId(v)) return link(v);
        const repeat = repeats.get(n);
        return cell(repeat ? repeatWithPhotoLinks(repeat, v, link) : v);
      }),
    ]),
  };
}

/** "Create a need from this answer": a staff need on the survey channel, linked to the answer. */
export async function needFromResponse(
  ctx: RequestContext,
  formId: string,
  responseId: string,
  body: {
    description: string;
    category: string | null;
    urgency: "low" | "normal" | "high" | "critical";
  },
) {
  const { departmentId } = await loadForm(ctx, formId);
  const response = await repo.findResponse(ctx.db, departmentId, responseId);
  if (!response || response.formId !== formId) throw notFound("response");
  const geopoint = Object.values(response.answers).find(
    (v): v is { latitude: number; longitude: number } =>
      typeof v === "object" && v !== null && "latitude" in v && "longitude" in v,
  );
  const need = await createNeed(ctx, {
    channel: "survey",
    responseId,
    description: body.description,
    category: body.category,
    urgency: body.urgency,
    location: geopoint ? { lat: geopoint.latitude, lon: geopoint.longitude } : null,
    addressText: "",
    communityId: response.communityId,
    residentId: response.residentId,
    assigneeId: null,
    language: (response.language as "he") ?? "he",
    contactName: "",
    contactPhone: null,
    contactConsent: false,
  });
  return { id: need.id };
}
