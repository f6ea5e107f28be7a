import { queryOptions } from "@tanstack/react-query";
import type { z } from "zod";
import type {
  AssignmentOptions,
  Form,
  FormAnalysis,
  FormAssignment,
  createAssignmentBodySchema,
  FormPhotoReceipt,
  FormProblem,
  FormStatus,
  createFormBodySchema,
  createResponseBodySchema,
  formListSchema,
  needFromResponseBodySchema,
  responseListSchema,
  ResponseItem,
  updateFormBodySchema,
} from "@kaveret/contracts";
import {
  SCOPE_HEADER,
  api,
  apiGet,
  apiPatch,
  apiPost,
  buildQuery,
  readScope,
  sendWithProgress,
} from "../../api/client.ts";
import { downloadFile } from "../../api/download.ts";
import type { AnswerChannel } from "./forms-search.ts";

export type FormList = z.infer<typeof formListSchema>;
export type ResponseList = z.infer<typeof responseListSchema>;
export type CreateFormBody = z.input<typeof createFormBodySchema>;
export type UpdateFormBody = z.input<typeof updateFormBodySchema>;
export type CreateResponseBody = z.input<typeof createResponseBodySchema>;
export type NeedFromResponseBody = z.input<typeof needFromResponseBodySchema>;
export type CreateAssignmentBody = z.input<typeof createAssignmentBodySchema>;
export interface ImportFormResult {
  form: Form;
  report: FormProblem[];
}

export const FORMS_PAGE_SIZE = 20;
export const RESPONSES_PAGE_SIZE = 20;

const enc = encodeURIComponent;

export function formListQuery(params: { q?: string; status?: FormStatus; page?: number }) {
  return queryOptions({
    queryKey: ["forms", "list", params] as const,
    queryFn: ({ signal }) =>
      apiGet<FormList>(
        "/api/forms",
        { q: params.q, status: params.status, page: params.page, pageSize: FORMS_PAGE_SIZE },
        signal,
      ),
    placeholderData: (prev) => prev,
  });
}

export function formQuery(id: string) {
  return queryOptions({
    queryKey: ["forms", "one", id] as const,
    queryFn: ({ signal }) => apiGet<Form>(`/api/forms/${enc(id)}`, undefined, signal),
  });
}

export interface AnswerFilters {
  channel?: AnswerChannel;
  communityId?: string;
}

export function responsesQuery(id: string, params: AnswerFilters & { page?: number }) {
  return queryOptions({
    queryKey: ["forms", "responses", id, params] as const,
    queryFn: ({ signal }) =>
      apiGet<ResponseList>(
        `/api/forms/${enc(id)}/responses`,
        {
          page: params.page,
          pageSize: RESPONSES_PAGE_SIZE,
          channel: params.channel,
          communityId: params.communityId,
        },
        signal,
      ),
    placeholderData: (prev) => prev,
  });
}

export function analysisQuery(id: string, params: AnswerFilters & { crossBy?: string }) {
  return queryOptions({
    queryKey: ["forms", "analysis", id, params] as const,
    queryFn: ({ signal }) =>
      apiGet<FormAnalysis>(
        `/api/forms/${enc(id)}/analysis`,
        { channel: params.channel, communityId: params.communityId, crossBy: params.crossBy },
        signal,
      ),
    placeholderData: (prev) => prev,
  });
}

export const createForm = (body: CreateFormBody) => apiPost<Form>("/api/forms", body);

export const updateForm = (id: string, body: UpdateFormBody) =>
  apiPatch<Form>(`/api/forms/${enc(id)}`, body);

export const createResponse = (formId: string, body: CreateResponseBody) =>
  apiPost<ResponseItem>(`/api/forms/${enc(formId)}/responses`, body);

/**
 * Uploads a photo for an answer about to be sent: the image itself as the body, under the
 * id made on the device (a retry is the same photo).
 */
export function uploadFormPhoto(
  formId: string,
  photoId: string,
  photo: Blob,
): Promise<FormPhotoReceipt> {
  return api<FormPhotoReceipt>(`/api/forms/${enc(formId)}/photos/${enc(photoId)}`, {
    method: "PUT",
    file: { data: photo, type: photo.type || "image/jpeg" },
  });
}

export const needFromResponse = (formId: string, responseId: string, body: NeedFromResponseBody) =>
  apiPost<{ id: string }>(`/api/forms/${enc(formId)}/responses/${enc(responseId)}/need`, body);

export const downloadXlsform = (id: string, title: string) =>
  downloadFile(`/api/forms/${enc(id)}/xlsform`, `${title || "form"}.xlsx`);

export const exportResponses = (
  id: string,
  format: "csv" | "xlsx",
  filters: AnswerFilters,
  title: string,
) =>
  downloadFile(
    `/api/forms/${enc(id)}/responses/export${buildQuery({ format, ...filters })}`,
    `${title || "responses"}.${format}`,
  );

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/**
 * Uploads an XLSForm: the file itself as the body. XMLHttpRequest rather than fetch,
 * for upload progress; the server answers with the new form and its import report.
 */
export function importXlsform(
  file: File,
  title: string | undefined,
  onProgress: (fraction: number) => void,
): Promise<ImportFormResult> {
  const scope = readScope();
  return sendWithProgress<ImportFormResult>(
    "POST",
    `/api/forms/import${buildQuery({ title: title?.trim() || undefined, fileName: file.name.slice(0, 200) })}`,
    file,
    {
      contentType: XLSX_TYPE,
      headers: scope ? { [SCOPE_HEADER]: scope } : {},
      withCredentials: true,
      onProgress,
      timeoutMs: 120_000,
    },
  );
}

/* Door-to-door assignments (managers). */

export function assignmentsQuery(formId: string) {
  return queryOptions({
    queryKey: ["forms", "assignments", formId] as const,
    queryFn: ({ signal }) =>
      apiGet<{ items: FormAssignment[] }>(
        `/api/forms/${enc(formId)}/assignments`,
        undefined,
        signal,
      ),
  });
}

export function assignmentOptionsQuery(formId: string) {
  return queryOptions({
    queryKey: ["forms", "assignment-options", formId] as const,
    queryFn: ({ signal }) =>
      apiGet<AssignmentOptions>(`/api/forms/${enc(formId)}/assignments/options`, undefined, signal),
    staleTime: 60_000,
  });
}

export const createAssignment = (formId: string, body: CreateAssignmentBody) =>
  apiPost<FormAssignment>(`/api/forms/${enc(formId)}/assignments`, body);

export const deleteAssignment = (formId: string, id: string) =>
  api<null>(`/api/forms/${enc(formId)}/assignments/${enc(id)}`, { method: "DELETE" });
