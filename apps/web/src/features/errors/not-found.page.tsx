import { Stack, Text, Title } from "@mantine/core";

import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { ButtonLink } from "../../components/links.tsx";
import { PublicLayout } from "../../components/public-layout.tsx";

export function NotFoundPage() {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${t("notFound.title")} · ${t("app.name")}`;
  }, [t]);
  return (
    <PublicLayout>
      <Stack gap="md">
        <Title order={1} size="h2">
          {t("notFound.title")}
        </Title>
        <Text>{t("notFound.text")}</Text>
        <ButtonLink to="/" w="fit-content">
          {t("notFound.home")}
        </ButtonLink>
      </Stack>
    </PublicLayout>
  );
}
