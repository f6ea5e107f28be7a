import { useState } from "react";
import { Select } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { errorMessage } from "../../lib/errors.ts";
import { fullName } from "../residents/resident-labels.ts";
import { residentListQuery } from "../residents/residents.api.ts";

export interface PickedResident {
  id: string;
  name: string;
}

/** Search the residents the worker may see (any script, a phone number too) and pick one. */
export function ResidentPicker({
  value,
  onChange,
  label,
  description,
  disabled = false,
}: {
  value: PickedResident | null;
  onChange: (value: PickedResident | null) => void;
  label: string;
  description?: string;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState("");
  const [q] = useDebouncedValue(typed.trim(), 300);
  const searching = q.length >= 2 && q !== value?.name;
  const found = useQuery({
    ...residentListQuery({ q, pageSize: 10, sort: "relevance" }),
    enabled: searching,
  });
  const data = (searching ? (found.data?.items ?? []) : []).map((r) => ({
    value: r.id,
    label: fullName(r),
  }));
  if (value && !data.some((d) => d.value === value.id))
    data.unshift({ value: value.id, label: value.name });

  return (
    <Select
      label={label}
      description={description}
      placeholder={t("needs.resident.searchPlaceholder")}
      searchable
      clearable
      clearButtonProps={{ "aria-label": t("needs.resident.clear") }}
      disabled={disabled}
      data={data}
      value={value?.id ?? null}
      searchValue={typed}
      onSearchChange={setTyped}
      filter={({ options }) => options}
      nothingFoundMessage={
        searching && found.isSuccess
          ? t("needs.resident.nothing")
          : t("needs.resident.typeToSearch")
      }
      error={found.isError ? errorMessage(t, found.error) : undefined}
      onChange={(id, option) => onChange(id && option ? { id, name: option.label } : null)}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
