import { useState } from "react";
import {
  Alert,
  Button,
  FileInput,
  Group,
  Paper,
  Progress,
  Stack,
  Text,
  TextInput,
} from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { FORM_API_LIMITS } from "@kaveret/contracts";
import { ApiError } from "../../api/client.ts";
import { AppModal } from "../../components/app-modal.tsx";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { errorMessage } from "../../lib/errors.ts";
import { importReportText, type ProblemLike } from "./form-problems.ts";
import { formQuery, importXlsform, type ImportFormResult } from "./forms.api.ts";

/** The upload's problem before anything reaches the server (wrong kind of file, too big). */
export function xlsformFileProblem(file: { name: string; size: number }): "type" | "size" | null {
  if (!/\.xlsx$/i.test(file.name)) return "type";
  if (file.size > FORM_API_LIMITS.xlsformBytes) return "size";
  return null;
}

/** The sentence for a form.xlsform_invalid refusal (details.code), or for any other error. */
function uploadError(t: ReturnType<typeof useTranslation>["t"], err: unknown): string {
  if (err instanceof ApiError && err.code === "form.xlsform_invalid") {
    const code =
      typeof err.details === "object" && err.details !== null
        ? (err.details as { code?: unknown }).code
        : undefined;
    if (typeof code === "string") {
      return t(`forms.xlsformError.${code}`, { defaultValue: t("errors.form.xlsform_invalid") });
    }
  }
  return errorMessage(t, err);
}

/** "Import XLSForm": choose the file → upload with progress → the report → open the form. */
export function ImportDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <AppModal opened={opened} onClose={onClose} title={t("forms.import.title")} size="lg">
      {opened ? <ImportBody onClose={onClose} /> : null}
    </AppModal>
  );
}

function ImportBody({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [title, setTitle] = useState("");
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<ImportFormResult | null>(null);

  const open = () => {
    if (!result) return;
    onClose();
    void navigate({ to: "/forms/$id", params: { id: result.form.id } });
  };

  if (result) {
    return (
      <Stack gap="md" data-testid="import-result">
        <Alert color="green" role="status" title={t("forms.import.done")}>
          {t("forms.import.doneText", { title: result.form.title })}
        </Alert>
        <ImportReport report={result.report} />
        <Group justify="flex-end">
          <Button onClick={open} data-testid="import-open">
            {t("forms.import.open")}
          </Button>
        </Group>
      </Stack>
    );
  }

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!file) {
      setError(t("forms.import.chooseFirst"));
      return;
    }
    const problem = xlsformFileProblem(file);
    if (problem) {
      setError(t(problem === "type" ? "forms.import.notXlsx" : "forms.import.tooLarge"));
      return;
    }
    setProgress(0);
    try {
      const r = await importXlsform(file, title, setProgress);
      queryClient.setQueryData(formQuery(r.form.id).queryKey, r.form);
      void queryClient.invalidateQueries({ queryKey: ["forms", "list"] });
      setResult(r);
    } catch (err) {
      setError(uploadError(t, err));
    } finally {
      setProgress(null);
    }
  };

  const sending = progress !== null;
  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-busy={sending}>
      <Stack gap="md">
        <Text size="sm">{t("forms.import.intro")}</Text>
        {error ? (
          <Alert color="red" role="alert" data-testid="import-error">
            {error}
          </Alert>
        ) : null}
        <FileInput
          label={t("forms.import.file")}
          description={t("forms.import.fileHint")}
          placeholder={t("forms.import.choose")}
          accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          required
          clearable
          // Mantine's placeholder grey is below 4.5:1 on white.
          styles={{ placeholder: { color: "var(--mantine-color-gray-7)" } }}
          clearButtonProps={{ "aria-label": t("forms.import.clearFile") }}
          value={file}
          onChange={setFile}
          disabled={sending}
          data-testid="import-file"
        />
        <TextInput
          label={t("forms.import.formTitle")}
          description={t("forms.import.formTitleHint")}
          maxLength={FORM_API_LIMITS.title}
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
          disabled={sending}
        />
        {sending ? (
          <Stack gap={4} role="status" aria-live="polite">
            <Text size="sm">
              {progress < 1
                ? t("forms.import.uploading", { percent: Math.round(progress * 100) })
                : t("forms.import.reading")}
            </Text>
            <Progress
              value={Math.round(progress * 100)}
              animated
              aria-label={t("forms.import.progress")}
            />
          </Stack>
        ) : null}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose} disabled={sending}>
            {t("app.cancel")}
          </Button>
          <Button type="submit" loading={sending} data-testid="import-submit">
            {t("forms.import.submit")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The import report, question by question: level, sheet and row, name, what happened. */
export function ImportReport({ report }: { report: readonly ProblemLike[] }) {
  const { t } = useTranslation();
  if (report.length === 0) {
    return (
      <Text size="sm" data-testid="import-report-clean">
        {t("forms.import.clean")}
      </Text>
    );
  }
  const errors = report.filter((r) => r.level === "error").length;
  const where = (r: ProblemLike) =>
    r.sheet
      ? r.row !== undefined
        ? t("forms.import.sheetRow", {
            sheet: t(`forms.import.sheet.${r.sheet}`, { defaultValue: r.sheet }),
            row: r.row,
          })
        : t(`forms.import.sheet.${r.sheet}`, { defaultValue: r.sheet })
      : t("forms.import.wholeForm");
  return (
    <Stack gap="xs">
      <Text size="sm" fw={600} id="import-report-title">
        {t("forms.import.reportSummary", { errors, warnings: report.length - errors })}
      </Text>
      <Stack
        component="ul"
        gap={6}
        aria-labelledby="import-report-title"
        data-testid="import-report"
        style={{ listStyle: "none", padding: 0, margin: 0 }}
      >
        {/* Errors (what was left out) first; otherwise in the file's order. */}
        {[...report]
          .sort((a, b) => (a.level === b.level ? 0 : a.level === "error" ? -1 : 1))
          .map((r, i) => (
            <Paper key={i} component="li" withBorder radius="sm" p="xs" data-level={r.level}>
              <Stack gap={4}>
                <Group gap="xs" wrap="wrap">
                  <SoftBadge color={r.level === "error" ? "red" : "yellow"} tt="none">
                    {t(`forms.level.${r.level}`)}
                  </SoftBadge>
                  <Text span size="sm" c="dimmed">
                    {where(r)}
                  </Text>
                  {r.name ? (
                    <Text
                      span
                      size="sm"
                      ff="monospace"
                      dir="ltr"
                      style={{ unicodeBidi: "isolate" }}
                    >
                      {r.name}
                    </Text>
                  ) : null}
                </Group>
                <Text size="sm" style={{ overflowWrap: "anywhere" }}>
                  {importReportText(t, r)}
                </Text>
              </Stack>
            </Paper>
          ))}
      </Stack>
    </Stack>
  );
}
