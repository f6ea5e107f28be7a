import { useState } from "react";
import { Alert, Paper, Stack, Switch, Text, Title } from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { DepartmentSettingsView } from "@kaveret/contracts";
import { apiGet, apiPatch } from "../../api/client.ts";
import { errorMessage } from "../../lib/errors.ts";
import { notify } from "../../lib/notify.ts";
import { useSession } from "../shell/session.tsx";

/** The department's settings of the chosen scope (one cache entry for every card reading them). */
export function useDepartmentSettings() {
  const { scope } = useSession();
  const queryKey = ["department-settings", scope?.id];
  const settings = useQuery({
    queryKey,
    queryFn: ({ signal }) =>
      apiGet<DepartmentSettingsView>("/api/department/settings", undefined, signal),
  });
  return { settings, queryKey };
}

/** The department's security settings (managers): make TOTP mandatory for managers. */
export function DepartmentSettingsSection() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const { settings } = useDepartmentSettings();

  const toggle = async (value: boolean) => {
    setBusy(true);
    setError(null);
    try {
      await apiPatch("/api/department/settings", { requireTwoFactorForManagers: value });
      notify(t(value ? "department.twoFactorOn" : "department.twoFactorOff"));
      // Who must enrol a second factor may have changed, the signed-in manager included.
      await queryClient.invalidateQueries();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="department-settings-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="department-settings-title">
          {t("department.title")}
        </Title>
        {error ? (
          <Alert color="red" role="alert">
            {errorMessage(t, error)}
          </Alert>
        ) : null}
        {settings.isError ? (
          <Alert color="red">{errorMessage(t, settings.error)}</Alert>
        ) : (
          <Switch
            label={t("department.requireTwoFactor")}
            description={t("department.requireTwoFactorHint")}
            checked={settings.data?.requireTwoFactorForManagers ?? false}
            disabled={!settings.data || busy}
            onChange={(e) => void toggle(e.currentTarget.checked)}
          />
        )}
        <Text size="sm" c="dimmed">
          {t("department.twoFactorNote")}
        </Text>
      </Stack>
    </Paper>
  );
}
