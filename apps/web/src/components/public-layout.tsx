import { Anchor, Box, Container, Group, Paper, Text } from "@mantine/core";
import { Link } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { LanguageSwitch } from "./language-switch.tsx";

/** Frame for pages before sign-in: a header with the name and language, one main landmark. */
export function PublicLayout({
  children,
  allLanguages = false,
}: {
  children: React.ReactNode;
  allLanguages?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Box mih="100vh" bg="gray.0">
      <Box
        component="header"
        bg="white"
        py="xs"
        px="md"
        style={{ borderBottom: "1px solid var(--mantine-color-gray-3)" }}
      >
        <Group justify="space-between" wrap="nowrap">
          <Anchor component={Link} to="/" underline="never" c="honey.9" fw={700} size="lg">
            {t("app.name")}
          </Anchor>
          <LanguageSwitch all={allLanguages} />
        </Group>
      </Box>
      <Container component="main" id="main" size={460} py="xl" px="md">
        <Paper withBorder shadow="xs" p={{ base: "md", sm: "xl" }} radius="md">
          {children}
        </Paper>
        <Text size="xs" c="dimmed" ta="center" mt="md">
          {t("app.tagline")}
        </Text>
      </Container>
    </Box>
  );
}
