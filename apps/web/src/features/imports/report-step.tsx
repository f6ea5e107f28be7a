import { useState } from "react";
import {
  Alert,
  Button,
  Checkbox,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { IMPORT_LIMITS, type ImportJob } from "@kaveret/contracts";
import { currentLocale } from "../../i18n/index.ts";
import { errorMessage } from "../../lib/errors.ts";
import { formatNumber } from "../../lib/format.ts";
import { notify } from "../../lib/notify.ts";
import { downloadFile } from "../../api/download.ts";
import { fieldLabel, rowCodeLabel } from "./import-labels.ts";
import { commitImport } from "./imports.api.ts";

const SKIP_CODES = new Set(["duplicate_in_file", "duplicate_existing"]);

function Figure({ label, value, color }: { label: string; value: string; color?: string }) {
  return (
    <Paper withBorder p="xs" radius="md">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} fz="xl" c={color}>
        {value}
      </Text>
    </Paper>
  );
}

/** Step 3's outcome: counts, problems grouped by field, the report file; then the import itself. */
export function ReportStep({
  job,
  onRemap,
  onCancel,
}: {
  job: ImportJob;
  onRemap: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const n = (v: number) => formatNumber(v, locale);
  const queryClient = useQueryClient();
  const [skipInvalid, setSkipInvalid] = useState(job.options.skipInvalid);
  const [downloading, setDownloading] = useState(false);
  const commit = useMutation({
    mutationFn: () => commitImport(job.id, skipInvalid),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ["imports"] }),
  });
  const hasErrors = job.errorRows > 0;
  const canCommit = job.validRows > 0 && (!hasErrors || skipInvalid);
  const problems = job.errorGroups.filter((g) => !SKIP_CODES.has(g.code));
  const skips = job.errorGroups.filter((g) => SKIP_CODES.has(g.code));

  const download = async () => {
    setDownloading(true);
    try {
      const lang = locale === "ar" || locale === "en" ? locale : "he";
      await downloadFile(`/api/imports/${job.id}/errors.csv?lang=${lang}`, "import-errors.csv");
    } catch (err) {
      notify(errorMessage(t, err), "red");
    } finally {
      setDownloading(false);
    }
  };

  // A list rather than a table: it reads the same at 360 px and on a desktop.
  const groupList = (groups: typeof problems, title: string) => (
    <Stack gap={4}>
      <Text size="sm" fw={700}>
        {title}
      </Text>
      <Stack component="ul" gap={4} style={{ listStyle: "none", margin: 0, padding: 0 }}>
        {groups.map((g) => (
          <Paper key={`${g.field} ${g.code}`} component="li" withBorder p="xs" radius="sm">
            <Text size="sm">
              <Text span fw={700}>
                {fieldLabel(t, job.entity, g.field)}
              </Text>
              {" — "}
              {rowCodeLabel(t, g.code)}
            </Text>
            <Text size="sm" c="dimmed">
              {t("imports.report.inRows", { count: g.count, n: n(g.count) })}{" "}
              <bdi>
                {g.rows.join(", ")}
                {g.count > g.rows.length ? "…" : ""}
              </bdi>
            </Text>
          </Paper>
        ))}
      </Stack>
    </Stack>
  );

  return (
    <Stack gap="md">
      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="report-title">
        <Stack gap="sm">
          <Title order={2} size="h4" id="report-title">
            {t("imports.report.title")}
          </Title>
          <SimpleGrid cols={3} spacing="xs">
            <Figure label={t("imports.report.valid")} value={n(job.validRows)} color="green.9" />
            <Figure
              label={t("imports.report.errors")}
              value={n(job.errorRows)}
              color={hasErrors ? "red.9" : undefined}
            />
            <Figure label={t("imports.report.skipped")} value={n(job.skippedRows)} />
          </SimpleGrid>
          {problems.length > 0 ? groupList(problems, t("imports.report.problemsCaption")) : null}
          {skips.length > 0 ? groupList(skips, t("imports.report.skipsCaption")) : null}
          {job.errors.total >= IMPORT_LIMITS.keptErrors ? (
            <Text size="sm" c="dimmed">
              {t("imports.report.firstOnly", { n: n(IMPORT_LIMITS.keptErrors) })}
            </Text>
          ) : null}
          {job.errors.total > 0 ? (
            <Group>
              <Button variant="default" loading={downloading} onClick={() => void download()}>
                {t("imports.report.download")}
              </Button>
            </Group>
          ) : (
            <Text size="sm">{t("imports.report.allGood")}</Text>
          )}
        </Stack>
      </Paper>

      {job.canAct ? (
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="commit-title">
          <Stack gap="sm">
            <Title order={2} size="h4" id="commit-title">
              {t("imports.commit.title")}
            </Title>
            <Text size="sm">{t("imports.commit.allOrNothing")}</Text>
            {hasErrors ? (
              <Checkbox
                checked={skipInvalid}
                onChange={(e) => setSkipInvalid(e.currentTarget.checked)}
                label={t("imports.commit.skipInvalid", {
                  valid: n(job.validRows),
                  errors: n(job.errorRows),
                })}
                description={t("imports.commit.skipInvalidHint")}
              />
            ) : null}
            {job.validRows === 0 ? (
              <Alert color="yellow">{t("imports.commit.nothing")}</Alert>
            ) : null}
            {commit.isError ? (
              <Alert color="red" role="alert">
                {errorMessage(t, commit.error)}
              </Alert>
            ) : null}
            <Group justify="space-between" gap="xs">
              <Group gap="xs">
                <Button variant="default" color="red" onClick={onCancel}>
                  {t("imports.cancel")}
                </Button>
                <Button variant="default" onClick={onRemap}>
                  {t("imports.report.remap")}
                </Button>
              </Group>
              <Button
                disabled={!canCommit}
                loading={commit.isPending}
                onClick={() => commit.mutate()}
              >
                {t("imports.commit.button", { n: n(job.validRows) })}
              </Button>
            </Group>
          </Stack>
        </Paper>
      ) : null}
    </Stack>
  );
}
