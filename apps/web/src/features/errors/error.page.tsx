import { Button, Code, Group, Stack, Text, Title } from "@mantine/core";
import type { ErrorComponentProps } from "@tanstack/react-router";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/client.ts";
import { PublicLayout } from "../../components/public-layout.tsx";
import { errorMessage } from "../../lib/errors.ts";

/** Shown when a page throws while rendering or loading. */
export function ErrorPage({ error, reset }: ErrorComponentProps) {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${t("errorPage.title")} · ${t("app.name")}`;
  }, [t]);
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  return (
    <PublicLayout>
      <Stack gap="md" role="alert">
        <Title order={1} size="h2">
          {t("errorPage.title")}
        </Title>
        <Text>{error instanceof ApiError ? errorMessage(t, error) : t("errorPage.text")}</Text>
        {requestId ? (
          <Text size="sm">
            {t("errorPage.requestId")} <Code>{requestId}</Code>
          </Text>
        ) : null}
        <Group>
          <Button onClick={reset}>{t("errorPage.retry")}</Button>
          <Button variant="default" onClick={() => window.location.assign("/")}>
            {t("errorPage.home")}
          </Button>
        </Group>
      </Stack>
    </PublicLayout>
  );
}
