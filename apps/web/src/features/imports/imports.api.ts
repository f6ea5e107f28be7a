import { queryOptions } from "@tanstack/react-query";
import type {
  ImportEntity,
  ImportJob,
  ImportMapping,
  ImportOptions,
  ImportPage,
} from "@kaveret/contracts";
import { api, apiGet, apiPost } from "../../api/client.ts";

export const IMPORTS_PAGE_SIZE = 20;
/** How often a running job is polled. */
export const POLL_MS = 700;

export function importListQuery(page: number) {
  return queryOptions({
    queryKey: ["imports", "list", page] as const,
    queryFn: ({ signal }) =>
      apiGet<ImportPage>("/api/imports", { page, pageSize: IMPORTS_PAGE_SIZE }, signal),
    placeholderData: (prev) => prev,
  });
}

const running = (job: ImportJob | undefined) =>
  job?.status === "validating" || job?.status === "importing";

export function importQuery(id: string, errorsPage: number) {
  return queryOptions({
    queryKey: ["imports", "one", id, errorsPage] as const,
    queryFn: ({ signal }) =>
      apiGet<ImportJob>(`/api/imports/${encodeURIComponent(id)}`, { errorsPage }, signal),
    refetchInterval: (q) => (running(q.state.data) ? POLL_MS : false),
    placeholderData: (prev) => prev,
  });
}

/** Sends the file itself as the body (not a form): the server reads CSV or XLSX from the bytes. */
export function uploadImport(entity: ImportEntity, file: File): Promise<ImportJob> {
  return api<ImportJob>(
    `/api/imports?entity=${entity}&fileName=${encodeURIComponent(file.name.slice(0, 200))}`,
    { method: "POST", file: { data: file, type: "application/octet-stream" } },
  );
}

export const validateImport = (id: string, mapping: ImportMapping, options: ImportOptions) =>
  apiPost<{ id: string; status: string }>(`/api/imports/${encodeURIComponent(id)}/validate`, {
    mapping,
    options,
  });

export const commitImport = (id: string, skipInvalid: boolean) =>
  apiPost<{ id: string; status: string }>(`/api/imports/${encodeURIComponent(id)}/commit`, {
    skipInvalid,
  });

export const cancelImport = (id: string) =>
  api<ImportJob>(`/api/imports/${encodeURIComponent(id)}`, { method: "DELETE" });
