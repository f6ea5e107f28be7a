import { useState } from "react";
import { Select } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { createStreetBodySchema, type Street } from "@kaveret/contracts";
import { apiPost } from "../../api/client.ts";
import { errorMessage } from "../../lib/errors.ts";
import { notify } from "../../lib/notify.ts";
import { streetsQuery } from "./residents.api.ts";

const ADD = "__add__";

/**
 * The street, searched in the department's street list (any script). When the street is
 * missing and a town is known, "Add …" puts it on the list (the server decides who may).
 */
export function StreetSelect({
  townId,
  value,
  valueName,
  error,
  canAdd,
  onChange,
}: {
  townId: string | null;
  value: string | null;
  valueName: string | null;
  error?: string | undefined;
  canAdd: boolean;
  onChange: (street: Street | null) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [typed, setTyped] = useState(valueName ?? "");
  const [debounced] = useDebouncedValue(typed.trim(), 250);
  const [addError, setAddError] = useState<unknown>(null);
  const [adding, setAdding] = useState(false);
  // While the box shows the chosen street's name, list the town's streets rather than that one.
  const q = debounced === (valueName ?? "") ? "" : debounced;
  const streets = useQuery(streetsQuery(townId, q));
  const items = streets.data?.items ?? [];
  // Without a chosen town (e.g. a worker who sees only neighbourhoods), a new street goes to
  // the town all listed streets belong to, when there is just one.
  const listed = useQuery({ ...streetsQuery(null, ""), enabled: townId === null });
  const towns = new Set((listed.data?.items ?? []).map((s) => s.townId));
  const addTownId = townId ?? (towns.size === 1 ? ([...towns][0] ?? null) : null);

  const data = items.map((s) => ({ value: s.id, label: s.name }));
  if (value && !items.some((s) => s.id === value)) {
    data.unshift({ value, label: valueName ?? t("residentForm.streetUnknown") });
  }
  const typedName = typed.trim();
  // Offer a new street only when nothing listed already contains what was typed.
  const exact = items.some((s) => s.name.includes(typedName));
  const offerAdd =
    canAdd && addTownId !== null && typedName.length >= 2 && !exact && typedName !== valueName;
  if (offerAdd) data.push({ value: ADD, label: t("residentForm.addStreet", { name: typedName }) });

  const add = async () => {
    if (!addTownId) return;
    const parsed = createStreetBodySchema.safeParse({ townId: addTownId, name: typedName });
    if (!parsed.success) return;
    setAdding(true);
    setAddError(null);
    try {
      const street = await apiPost<Street>("/api/streets", parsed.data);
      await queryClient.invalidateQueries({ queryKey: ["streets"] });
      notify(t("residentForm.streetAdded", { name: street.name }));
      onChange(street);
      setTyped(street.name);
    } catch (err) {
      setAddError(err);
    } finally {
      setAdding(false);
    }
  };

  return (
    <Select
      label={t("residentForm.street")}
      placeholder={t("residentForm.streetPlaceholder")}
      searchable
      clearable
      disabled={adding}
      data={data}
      value={value}
      searchValue={typed}
      onSearchChange={setTyped}
      // The server already matched what was typed (in any script); show all it sent.
      filter={({ options }) => options}
      nothingFoundMessage={
        streets.isFetching ? t("states.loading") : t("residentForm.streetNothing")
      }
      error={
        error ??
        (addError ? errorMessage(t, addError) : undefined) ??
        (streets.isError ? errorMessage(t, streets.error) : undefined)
      }
      onChange={(id) => {
        if (id === ADD) {
          void add();
          return;
        }
        onChange(items.find((s) => s.id === id) ?? null);
      }}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
