import { useState } from "react";
import {
  Fieldset,
  NativeSelect,
  Select,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { HOUSEHOLD_ROLES } from "@kaveret/contracts";
import { errorMessage, type FieldErrors } from "../../lib/errors.ts";
import { addressLine, fullName } from "./resident-labels.ts";
import { residentListQuery } from "./residents.api.ts";
import type { HouseholdMode, ResidentFormValues } from "./resident-form.ts";

type HouseholdValues = Pick<
  ResidentFormValues,
  "householdMode" | "householdId" | "householdLabel" | "newHouseholdLabel" | "householdRole"
>;

/** No household, join an existing one (found through a member's name), or start a new one. */
export function HouseholdPicker({
  values,
  errors,
  excludeId,
  onChange,
}: {
  values: HouseholdValues;
  errors: FieldErrors;
  excludeId?: string;
  onChange: (patch: Partial<HouseholdValues>) => void;
}) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState("");
  const [debounced] = useDebouncedValue(typed.trim(), 300);
  const search = useQuery({
    ...residentListQuery({ q: debounced, sort: "relevance", pageSize: 20 }),
    enabled: values.householdMode === "existing" && debounced.length >= 2,
  });

  // One option per household, named after the first member found.
  const options: { value: string; label: string }[] = [];
  for (const r of search.data?.items ?? []) {
    if (r.access !== "full" || !r.householdId || r.id === excludeId) continue;
    if (options.some((o) => o.value === r.householdId)) continue;
    const address = addressLine(t, r.address);
    options.push({
      value: r.householdId,
      label: t("residentForm.householdOf", {
        name: fullName(r),
        address: address ? ` (${address})` : "",
      }),
    });
  }
  if (values.householdId && !options.some((o) => o.value === values.householdId)) {
    options.unshift({
      value: values.householdId,
      label: values.householdLabel || t("resident.householdUnnamed"),
    });
  }

  return (
    <Fieldset legend={t("residentForm.household")}>
      <Stack gap="sm">
        <SegmentedControl
          aria-label={t("residentForm.household")}
          fullWidth
          value={values.householdMode}
          data={[
            { value: "none", label: t("residentForm.householdNone") },
            { value: "existing", label: t("residentForm.householdExisting") },
            { value: "new", label: t("residentForm.householdNew") },
          ]}
          onChange={(v) => onChange({ householdMode: v as HouseholdMode })}
        />
        {values.householdMode === "existing" ? (
          <Select
            label={t("residentForm.householdFind")}
            description={t("residentForm.householdFindHint")}
            searchable
            clearable
            data={options}
            value={values.householdId}
            searchValue={typed}
            onSearchChange={setTyped}
            filter={({ options: o }) => o}
            nothingFoundMessage={
              debounced.length < 2
                ? t("residentForm.typeTwo")
                : search.isFetching
                  ? t("states.loading")
                  : t("residentForm.householdNothing")
            }
            error={
              errors.householdId ?? (search.isError ? errorMessage(t, search.error) : undefined)
            }
            onChange={(id) =>
              onChange({
                householdId: id,
                householdLabel: options.find((o) => o.value === id)?.label ?? "",
              })
            }
            comboboxProps={{ withinPortal: true }}
          />
        ) : null}
        {values.householdMode === "new" ? (
          <TextInput
            label={t("residentForm.householdLabel")}
            description={t("residentForm.householdLabelHint")}
            required
            maxLength={120}
            value={values.newHouseholdLabel}
            error={errors.newHouseholdLabel}
            onChange={(e) => onChange({ newHouseholdLabel: e.currentTarget.value })}
          />
        ) : null}
        {values.householdMode !== "none" ? (
          <NativeSelect
            label={t("residentForm.householdRole")}
            value={values.householdRole}
            error={errors.householdRole}
            data={[
              { value: "", label: t("residentForm.householdRoleNone") },
              ...HOUSEHOLD_ROLES.map((r) => ({
                value: r,
                label: t(`residents.householdRoles.${r}`),
              })),
            ]}
            onChange={(e) => onChange({ householdRole: e.currentTarget.value })}
          />
        ) : (
          <Text size="sm" c="dimmed">
            {t("residentForm.householdNoneHint")}
          </Text>
        )}
      </Stack>
    </Fieldset>
  );
}
