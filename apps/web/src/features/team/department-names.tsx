import { useEffect, useState } from "react";
import { Alert, Button, Group, Paper, Stack, Text, TextInput, Title } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import {
  DEPARTMENT_NAME_LOCALES,
  DEPARTMENT_NAME_MAX,
  type DepartmentSettingsView,
} from "@kaveret/contracts";
import { ApiError, apiPatch, issuesOf } from "../../api/client.ts";
import { errorMessage } from "../../lib/errors.ts";
import { isolate } from "../../lib/format.ts";
import { notify } from "../../lib/notify.ts";
import { useDepartmentSettings } from "./department-settings.tsx";
import {
  namesBody,
  namesProblems,
  namesValues,
  problemsFrom,
  type NamesProblems,
  type NamesValues,
} from "./department-names-form.ts";

/**
 * "Name in other languages" (managers): the department's name in Arabic, English, Russian
 * and Amharic, which residents' pages show in those languages (else the Hebrew name).
 */
export function DepartmentNamesSection() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { settings, queryKey } = useDepartmentSettings();
  const [values, setValues] = useState<NamesValues | null>(null);
  const [problems, setProblems] = useState<NamesProblems>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  // The fields start from the saved names (again after a scope switch).
  const saved = settings.data;
  useEffect(() => {
    if (saved) setValues(namesValues(saved.altNames));
  }, [saved]);

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!values || !saved) return;
    setError(null);
    const found = namesProblems(values);
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    const body = namesBody(values, saved.altNames);
    if (!body) {
      notify(t("departmentNames.unchanged"));
      return;
    }
    setBusy(true);
    try {
      const next = await apiPatch<DepartmentSettingsView>("/api/department/names", body);
      queryClient.setQueryData(queryKey, next);
      notify(t("departmentNames.saved"));
    } catch (err) {
      if (err instanceof ApiError && err.code === "validation_failed") {
        setProblems(problemsFrom(issuesOf(err)));
      }
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="department-names-title">
      <form onSubmit={(e) => void save(e)} noValidate data-testid="department-names">
        <Stack gap="sm">
          <Title order={2} size="h4" id="department-names-title">
            {t("departmentNames.title")}
          </Title>
          <Text size="sm">
            {saved
              ? t("departmentNames.hint", { name: isolate(saved.name) })
              : t("departmentNames.hintLoading")}
          </Text>
          {error ? (
            <Alert color="red" role="alert">
              {errorMessage(t, error)}
            </Alert>
          ) : null}
          {settings.isError ? (
            <Alert color="red">{errorMessage(t, settings.error)}</Alert>
          ) : (
            DEPARTMENT_NAME_LOCALES.map((l) => (
              <TextInput
                key={l}
                label={t(`languages.${l}`)}
                lang={l}
                dir={l === "ar" ? "rtl" : "ltr"}
                maxLength={DEPARTMENT_NAME_MAX + 20}
                value={values?.[l] ?? ""}
                disabled={!values || busy}
                error={problems[l] ? t(problems[l], { max: DEPARTMENT_NAME_MAX }) : undefined}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  setValues((prev) => (prev ? { ...prev, [l]: v } : prev));
                  // A corrected field loses its message; the others keep theirs.
                  setProblems(({ [l]: _fixed, ...rest }) => rest);
                }}
                data-testid={`department-name-${l}`}
              />
            ))
          )}
          <Group>
            <Button type="submit" loading={busy} disabled={!values}>
              {t("departmentNames.save")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
