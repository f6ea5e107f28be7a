import { useEffect, useRef, type ReactNode } from "react";
import { Box, Button, Container, Group, Paper, Stack, Text } from "@mantine/core";
import { useSearch } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { LANGUAGE_NAMES } from "../../components/language-switch.tsx";
import { changeLocale, currentLocale, readStoredLocale } from "../../i18n/index.ts";
import { UI_LOCALES, type UiLocale } from "../../i18n/locales.ts";
import { initialLocale } from "./report-form.ts";

/*
 * What the public pages for residents without an account (report a need, area alerts)
 * share: the language they open in, the language buttons, and the page's frame.
 */

/** Once: the language from ?lang=, else the one chosen before on this device, else the browser's. */
export function useInitialLanguage() {
  const search = useSearch({ strict: false }) as { lang?: string };
  const done = useRef(false);
  useEffect(() => {
    if (done.current) return;
    done.current = true;
    const wanted = initialLocale(
      search.lang,
      readStoredLocale(),
      navigator.languages ?? [],
      UI_LOCALES,
    );
    if (wanted !== currentLocale()) void changeLocale(wanted, search.lang === undefined);
  }, [search.lang]);
}

/** The five languages as buttons, each in its own script; the active one pressed. */
export function LanguageButtons({
  label,
  testIdPrefix,
  compact = true,
  className,
}: {
  /** The group's accessible name (already translated). */
  label: string;
  testIdPrefix: string;
  compact?: boolean;
  className?: string;
}) {
  // useTranslation re-renders this on every language change.
  useTranslation();
  const active = currentLocale();
  return (
    <Group gap={4} wrap="wrap" role="group" aria-label={label} className={className}>
      {UI_LOCALES.map((l: UiLocale) => (
        <Button
          key={l}
          size={compact ? "compact-md" : "md"}
          variant={l === active ? "filled" : "default"}
          aria-pressed={l === active}
          lang={l}
          onClick={() => void changeLocale(l)}
          data-testid={`${testIdPrefix}-${l}`}
        >
          {LANGUAGE_NAMES[l]}
        </Button>
      ))}
    </Group>
  );
}

/**
 * Header (the department's name and the language buttons), the page's card, a footer.
 * The name is the one in the page's language (`nameIn`), else the Hebrew one: isolated,
 * so a Hebrew name on a Russian page keeps its own direction and the page keeps its side.
 */
export function PublicPageFrame({
  departmentName,
  languages,
  footer,
  children,
}: {
  departmentName: string;
  languages: ReactNode;
  footer: ReactNode;
  children: ReactNode;
}) {
  return (
    <Box mih="100vh" bg="gray.0">
      <Box
        component="header"
        bg="white"
        py="sm"
        px="md"
        style={{ borderBottom: "1px solid var(--mantine-color-gray-3)" }}
      >
        <Container size={640} px={0}>
          <Stack gap="xs">
            <Text fw={700} size="lg" c="honey.9" data-testid="public-department-name">
              <bdi>{departmentName}</bdi>
            </Text>
            {languages}
          </Stack>
        </Container>
      </Box>
      <Container component="main" id="main" size={640} py="lg" px="md">
        <Paper withBorder radius="md" p={{ base: "md", sm: "xl" }}>
          <Stack gap="md">{children}</Stack>
        </Paper>
      </Container>
      <Box component="footer" py="md" px="md">
        {footer}
      </Box>
    </Box>
  );
}
