import { useEffect } from "react";
import { Group, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";

/** The page's h1, also used as the document title. */
export function PageTitle({ children, actions }: { children: string; actions?: React.ReactNode }) {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${children} · ${t("app.name")}`;
  }, [children, t]);
  return (
    <Group justify="space-between" align="center" mb="md" wrap="wrap" gap="sm">
      <Title order={1} size="h2">
        {children}
      </Title>
      {actions ? <Group gap="xs">{actions}</Group> : null}
    </Group>
  );
}
