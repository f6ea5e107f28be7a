import { MultiSelect } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { StaffUser } from "@kaveret/contracts";
import { apiGet } from "../../api/client.ts";
import { errorMessage } from "../../lib/errors.ts";

const socialWorkersQuery = {
  queryKey: ["users", "list", { role: "social_worker", pageSize: 100 }] as const,
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    apiGet<{ items: StaffUser[] }>(
      "/api/users",
      { role: "social_worker", status: "active", pageSize: 100 },
      signal,
    ),
  staleTime: 60_000,
};

/** The social workers following the resident (their caseload). Managers assign them. */
export function CaseworkerPicker({
  value,
  known,
  error,
  onChange,
}: {
  value: string[];
  known: { id: string; name: string }[];
  error?: string | undefined;
  onChange: (ids: string[]) => void;
}) {
  const { t } = useTranslation();
  const workers = useQuery(socialWorkersQuery);
  const data = (workers.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }));
  // Keep people already assigned choosable even when no longer in the active list.
  for (const c of known) {
    if (!data.some((d) => d.value === c.id)) data.push({ value: c.id, label: c.name });
  }
  return (
    <MultiSelect
      label={t("residentForm.caseworkers")}
      description={t("residentForm.caseworkersHint")}
      searchable
      clearable
      maxValues={10}
      nothingFoundMessage={t("residentForm.caseworkersNothing")}
      data={data}
      value={value}
      error={error ?? (workers.isError ? errorMessage(t, workers.error) : undefined)}
      onChange={onChange}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
