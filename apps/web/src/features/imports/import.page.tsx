import { useState } from "react";
import { Alert, Button, Group, Paper, Progress, Stack, Text, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useParams } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import type { ImportJob } from "@kaveret/contracts";
import { AppModal } from "../../components/app-modal.tsx";
import { ButtonLink } from "../../components/links.tsx";
import { PageTitle } from "../../components/page-title.tsx";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { ErrorState, PageLoader } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { errorMessage } from "../../lib/errors.ts";
import { formatDateTime, formatNumber } from "../../lib/format.ts";
import { notify } from "../../lib/notify.ts";
import { failureLabel, STATUS_COLOR } from "./import-labels.ts";
import { ImportSteps } from "./import-steps.tsx";
import { cancelImport, importQuery } from "./imports.api.ts";
import { MappingStep } from "./mapping-step.tsx";
import { ReportStep } from "./report-step.tsx";

const STEP_OF: Record<ImportJob["status"], number> = {
  uploaded: 1,
  validating: 2,
  validated: 2,
  importing: 3,
  done: 3,
  failed: 3,
  cancelled: 3,
};

/** Steps 2–4 of an import: mapping, check (progress, then report), import (progress, then result). */
export function ImportPage() {
  const { t } = useTranslation();
  const { id } = useParams({ from: "/app/imports/$id" });
  const query = useQuery(importQuery(id, 1));
  const queryClient = useQueryClient();
  // "Change the mapping" holds for the job as it was when asked (a new check ends it).
  const [remapFor, setRemapFor] = useState<string | null>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const cancel = useMutation({
    mutationFn: () => cancelImport(id),
    onSuccess: () => {
      setConfirmCancel(false);
      notify(t("imports.cancelled"));
      void queryClient.invalidateQueries({ queryKey: ["imports"] });
    },
    onError: (err) => notify(errorMessage(t, err), "red"),
  });

  if (query.isPending) return <PageLoader />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const job = query.data;
  const locale = currentLocale();
  const remap = remapFor === job.updatedAt;
  const showMapping =
    job.canAct && (job.status === "uploaded" || (job.status === "validated" && remap));
  const finished = job.status === "done" || job.status === "failed" || job.status === "cancelled";

  return (
    <Stack gap="md">
      <PageTitle
        actions={
          <SoftBadge color={STATUS_COLOR[job.status]}>
            {t(`imports.status.${job.status}`)}
          </SoftBadge>
        }
      >
        {t("imports.jobTitle", { entity: t(`imports.entities.${job.entity}`) })}
      </PageTitle>
      <Text size="sm" c="dimmed" style={{ overflowWrap: "anywhere" }}>
        <bdi>{job.fileName}</bdi> ·{" "}
        {t("imports.rowCount", { n: formatNumber(job.totalRows, locale) })} · {job.createdBy.name} ·{" "}
        <bdi>{formatDateTime(job.createdAt, locale)}</bdi>
      </Text>
      <ImportSteps active={showMapping ? 1 : STEP_OF[job.status]} done={job.status === "done"} />

      {showMapping ? (
        <MappingStep
          key={`${job.status}-${job.updatedAt}`}
          job={job}
          onCancel={() => setConfirmCancel(true)}
        />
      ) : null}
      {job.status === "uploaded" && !job.canAct ? (
        <Alert color="gray">{t("imports.notYours")}</Alert>
      ) : null}

      {job.status === "validating" || job.status === "importing" ? (
        <Running job={job} onCancel={() => setConfirmCancel(true)} />
      ) : null}

      {job.status === "validated" && !remap ? (
        <ReportStep
          job={job}
          onRemap={() => setRemapFor(job.updatedAt)}
          onCancel={() => setConfirmCancel(true)}
        />
      ) : null}

      {finished ? <Outcome job={job} /> : null}

      <AppModal
        opened={confirmCancel}
        onClose={() => setConfirmCancel(false)}
        title={t("imports.cancelTitle")}
      >
        <Stack gap="sm">
          <Text size="sm">{t("imports.cancelText")}</Text>
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={() => setConfirmCancel(false)}>
              {t("imports.keepGoing")}
            </Button>
            <Button color="red" loading={cancel.isPending} onClick={() => cancel.mutate()}>
              {t("imports.cancel")}
            </Button>
          </Group>
        </Stack>
      </AppModal>
    </Stack>
  );
}

function Running({ job, onCancel }: { job: ImportJob; onCancel: () => void }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const validating = job.status === "validating";
  const total = Math.max(job.totalRows, 1);
  const percent = validating ? Math.min(100, Math.round((job.processedRows / total) * 100)) : 100;
  const label = validating
    ? t("imports.progress.checking", {
        done: formatNumber(job.processedRows, locale),
        total: formatNumber(job.totalRows, locale),
      })
    : t("imports.progress.importing", { n: formatNumber(job.validRows, locale) });
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="progress-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="progress-title">
          {validating ? t("imports.progress.checkTitle") : t("imports.progress.importTitle")}
        </Title>
        <Progress
          value={percent}
          size="lg"
          striped
          animated
          aria-label={label}
          aria-valuetext={validating ? `${percent}%` : label}
        />
        <Text size="sm" role="status" aria-live="polite">
          {label}
        </Text>
        {validating ? (
          <Text size="sm" c="dimmed">
            {t("imports.progress.errorsSoFar", {
              n: formatNumber(job.errorRows, locale),
            })}
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            {t("imports.commit.allOrNothing")}
          </Text>
        )}
        {validating && job.canAct ? (
          <Group>
            <Button variant="default" color="red" onClick={onCancel}>
              {t("imports.cancel")}
            </Button>
          </Group>
        ) : null}
      </Stack>
    </Paper>
  );
}

function Outcome({ job }: { job: ImportJob }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const n = (v: number | undefined) => formatNumber(v ?? 0, locale);
  const again = (
    <ButtonLink to="/imports/new" search={{ entity: job.entity }} variant="default">
      {t("imports.again")}
    </ButtonLink>
  );
  if (job.status === "cancelled") {
    return (
      <Stack gap="sm">
        <Alert color="gray" title={t("imports.outcome.cancelledTitle")}>
          {job.failure === "expired"
            ? t("imports.outcome.expired")
            : t("imports.outcome.cancelled")}
        </Alert>
        <Group>{again}</Group>
      </Stack>
    );
  }
  if (job.status === "failed") {
    return (
      <Stack gap="sm">
        <Alert color="red" title={t("imports.outcome.failedTitle")} role="alert">
          {failureLabel(t, job.failure)} {t("imports.outcome.nothingWritten")}
        </Alert>
        <Group>{again}</Group>
      </Stack>
    );
  }
  const r = job.result;
  const lines =
    job.entity === "residents"
      ? [
          t("imports.outcome.residents", { n: n(r.created) }),
          t("imports.outcome.households", { n: n(r.households) }),
          t("imports.outcome.consents", { n: n(r.consents) }),
        ]
      : job.entity === "assets"
        ? [
            t("imports.outcome.assets", { n: n(r.created) }),
            t("imports.outcome.organizations", { n: n(r.organizations) }),
            t("imports.outcome.schedules", { n: n(r.schedules) }),
          ]
        : [
            t("imports.outcome.figures", { n: n(r.figures) }),
            t("imports.outcome.communities", { n: n(r.communities) }),
          ];
  if (r.skipped) lines.push(t("imports.outcome.skipped", { n: n(r.skipped) }));
  if (job.errorRows) lines.push(t("imports.outcome.leftOut", { n: n(job.errorRows) }));
  return (
    <Stack gap="sm">
      <Alert color="green" title={t("imports.outcome.doneTitle")}>
        <Stack gap={2} component="ul" style={{ margin: 0, paddingInlineStart: "1.2em" }}>
          {lines.map((l) => (
            <li key={l}>{l}</li>
          ))}
        </Stack>
      </Alert>
      <Group gap="xs">
        {job.entity === "residents" ? (
          <ButtonLink to="/residents">{t("imports.outcome.toResidents")}</ButtonLink>
        ) : job.entity === "assets" ? (
          <ButtonLink to="/assets">{t("imports.outcome.toAssets")}</ButtonLink>
        ) : (
          <ButtonLink to="/communities">{t("imports.outcome.toCommunities")}</ButtonLink>
        )}
        {again}
      </Group>
    </Stack>
  );
}
