import { useState } from "react";
import { Alert, Button, FileButton, Group, Paper, Radio, Stack, Text } from "@mantine/core";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useNavigate, useSearch } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import type { ImportEntity, ImportLimits } from "@kaveret/contracts";
import { apiGet } from "../../api/client.ts";
import { ButtonLink } from "../../components/links.tsx";
import { PageTitle } from "../../components/page-title.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { errorMessage } from "../../lib/errors.ts";
import { formatNumber } from "../../lib/format.ts";
import { BYTES_PER_MB, ENTITIES, isEntity } from "./import-labels.ts";
import { ImportSteps } from "./import-steps.tsx";
import { uploadImport } from "./imports.api.ts";

const ACCEPT =
  ".csv,.tsv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const ACCEPTED_EXTENSION = /\.(csv|tsv|txt|xlsx)$/i;

/** Step 1: what to import, and the file (dropped or chosen). */
export function ImportNewPage() {
  const { t } = useTranslation();
  const search = useSearch({ from: "/app/imports/new" });
  const navigate = useNavigate();
  const [entity, setEntity] = useState<ImportEntity>(search.entity ?? "residents");
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const limits = useQuery({
    queryKey: ["imports", "limits"],
    queryFn: ({ signal }) => apiGet<ImportLimits>("/api/imports/limits", undefined, signal),
    staleTime: Infinity,
  });
  const maxMb = limits.data ? Math.floor(limits.data.maxBytes / BYTES_PER_MB) : null;

  const upload = useMutation({
    mutationFn: ({ e, f }: { e: ImportEntity; f: File }) => uploadImport(e, f),
    onSuccess: (job) => void navigate({ to: "/imports/$id", params: { id: job.id } }),
  });

  const choose = (f: File | null) => {
    upload.reset();
    setProblem(null);
    if (!f) return;
    if (!ACCEPTED_EXTENSION.test(f.name)) {
      setFile(null);
      setProblem(t("imports.upload.wrongType"));
      return;
    }
    if (limits.data && f.size > limits.data.maxBytes) {
      setFile(null);
      setProblem(t("imports.upload.tooLarge", { mb: maxMb }));
      return;
    }
    setFile(f);
  };

  return (
    <Stack gap="md">
      <PageTitle>{t("imports.newTitle")}</PageTitle>
      <ImportSteps active={0} />
      <Radio.Group
        label={t("imports.upload.what")}
        value={entity}
        onChange={(v) => {
          if (isEntity(v)) setEntity(v);
        }}
      >
        <Stack gap="xs" mt="xs">
          {ENTITIES.map((e) => (
            <Radio
              key={e}
              value={e}
              label={t(`imports.entities.${e}`)}
              description={t(`imports.entityHints.${e}`)}
            />
          ))}
        </Stack>
      </Radio.Group>

      <Paper
        withBorder
        p="lg"
        radius="md"
        component="section"
        aria-label={t("imports.upload.file")}
        style={{
          borderStyle: "dashed",
          borderWidth: 2,
          borderColor: dragging ? "var(--mantine-color-blue-6)" : undefined,
          background: dragging ? "var(--mantine-color-blue-0)" : undefined,
        }}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          choose(e.dataTransfer.files[0] ?? null);
        }}
      >
        <Stack align="center" gap="xs" ta="center">
          <Text fw={700}>{t("imports.upload.drop")}</Text>
          <FileButton onChange={choose} accept={ACCEPT}>
            {(props) => (
              <Button variant="light" {...props}>
                {t("imports.upload.choose")}
              </Button>
            )}
          </FileButton>
          <Text size="sm" c="dimmed">
            {maxMb !== null
              ? t("imports.upload.limits", {
                  mb: maxMb,
                  rows: formatNumber(limits.data?.maxRows ?? 0, currentLocale()),
                })
              : t("imports.upload.formats")}
          </Text>
          {file ? (
            <Text size="sm" role="status" style={{ overflowWrap: "anywhere" }}>
              {t("imports.upload.chosen", {
                name: file.name,
                size: formatNumber(Math.max(1, Math.round(file.size / 1024)), currentLocale()),
              })}
            </Text>
          ) : null}
        </Stack>
      </Paper>

      {problem ? (
        <Alert color="red" role="alert">
          {problem}
        </Alert>
      ) : null}
      {upload.isError ? (
        <Alert color="red" role="alert" title={t("imports.upload.failed")}>
          {errorMessage(t, upload.error)}
        </Alert>
      ) : null}

      <Group justify="space-between">
        <ButtonLink to="/imports" variant="default">
          {t("app.cancel")}
        </ButtonLink>
        <Button
          disabled={!file}
          loading={upload.isPending}
          onClick={() => {
            if (file) upload.mutate({ e: entity, f: file });
          }}
        >
          {t("imports.upload.submit")}
        </Button>
      </Group>
    </Stack>
  );
}
