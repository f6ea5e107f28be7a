import { useState } from "react";
import { Button, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { FormDefinition } from "@kaveret/forms";
import { currentLocale } from "../../i18n/index.ts";
import { pickFormLanguage } from "./form-languages.ts";
import { FormRunner } from "./form-runner.tsx";
import { useFormRunner } from "./use-form-runner.ts";

/** The form as people will see it, run live on the definition being built. */
export function BuilderPreview({ definition }: { definition: FormDefinition }) {
  const { t } = useTranslation();
  // Shown in the reader's language when the form has it.
  const [language] = useState(() => pickFormLanguage(definition.settings, [currentLocale()]));
  const runner = useFormRunner(definition, { language });
  const problems = runner.state?.issues.length ?? 0;
  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      component="section"
      aria-labelledby="form-preview-title"
      data-testid="builder-preview"
    >
      <Stack gap="md">
        <Group justify="space-between" gap="xs">
          <Title order={2} size="h4" id="form-preview-title">
            {t("forms.builder.preview")}
          </Title>
          <Group gap="xs">
            <Button
              size="compact-sm"
              variant="default"
              onClick={() => runner.setSubmitted(true)}
              data-testid="preview-check"
            >
              {t("forms.builder.previewCheck")}
            </Button>
            <Button size="compact-sm" variant="default" onClick={runner.reset}>
              {t("forms.builder.previewReset")}
            </Button>
          </Group>
        </Group>
        <Text size="sm" c="dimmed">
          {t("forms.builder.previewHint")}
        </Text>
        {runner.submitted ? (
          <Text size="sm" role="status" aria-live="polite">
            {problems === 0
              ? t("forms.builder.previewValid")
              : t("forms.builder.previewIssues", { n: problems })}
          </Text>
        ) : null}
        {definition.questions.length === 0 ? (
          <Text size="sm">{t("forms.builder.previewEmpty")}</Text>
        ) : (
          <FormRunner runner={runner} />
        )}
      </Stack>
    </Paper>
  );
}
