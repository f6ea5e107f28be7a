import { useState } from "react";
import { Group, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { ImportListItem } from "@kaveret/contracts";
import { AnchorLink, ButtonLink } from "../../components/links.tsx";
import { PageTitle } from "../../components/page-title.tsx";
import { Pager } from "../../components/pager.tsx";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { EmptyState, ErrorState, PageLoader } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { formatDateTime, formatNumber } from "../../lib/format.ts";
import { ENTITIES, STATUS_COLOR } from "./import-labels.ts";
import { IMPORTS_PAGE_SIZE, importListQuery } from "./imports.api.ts";

/** What to import (three kinds) and the department's recent imports. */
export function ImportsPage() {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const list = useQuery(importListQuery(page));
  const totalPages = list.data ? Math.max(1, Math.ceil(list.data.total / IMPORTS_PAGE_SIZE)) : 1;

  return (
    <Stack gap="md">
      <PageTitle actions={<ButtonLink to="/imports/new">{t("imports.new")}</ButtonLink>}>
        {t("imports.title")}
      </PageTitle>
      <Text>{t("imports.intro")}</Text>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        {ENTITIES.map((entity) => (
          <Paper key={entity} withBorder p="md" radius="md" component="section">
            <Stack gap="xs" h="100%" justify="space-between">
              <div>
                <Title order={2} size="h4">
                  {t(`imports.entities.${entity}`)}
                </Title>
                <Text size="sm" c="dimmed">
                  {t(`imports.entityHints.${entity}`)}
                </Text>
              </div>
              <ButtonLink to="/imports/new" search={{ entity }} variant="light">
                {t("imports.startOf", { what: t(`imports.entities.${entity}`) })}
              </ButtonLink>
            </Stack>
          </Paper>
        ))}
      </SimpleGrid>

      <Title order={2} size="h3" mt="md">
        {t("imports.history")}
      </Title>
      {list.isPending ? <PageLoader /> : null}
      {list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.isSuccess ? (
        list.data.items.length === 0 ? (
          <EmptyState title={t("imports.historyEmpty")} hint={t("imports.historyEmptyHint")} />
        ) : (
          <>
            <Stack
              component="ul"
              gap="xs"
              style={{ listStyle: "none", padding: 0, margin: 0 }}
              aria-label={t("imports.history")}
            >
              {list.data.items.map((job) => (
                <HistoryRow key={job.id} job={job} />
              ))}
            </Stack>
            <Pager total={totalPages} value={page} onChange={setPage} />
          </>
        )
      ) : null}
    </Stack>
  );
}

function HistoryRow({ job }: { job: ImportListItem }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const n = (v: number) => formatNumber(v, locale);
  const imported = job.result.created ?? job.result.figures;
  return (
    <Paper component="li" withBorder p="sm" radius="md" data-testid="import-row">
      <Group justify="space-between" wrap="wrap" gap="xs" align="flex-start">
        <Stack gap={2} style={{ minWidth: 0 }}>
          <AnchorLink
            to="/imports/$id"
            params={{ id: job.id }}
            fw={700}
            style={{ overflowWrap: "anywhere" }}
          >
            {job.fileName}
          </AnchorLink>
          <Text size="sm" c="dimmed">
            {t(`imports.entities.${job.entity}`)} · {job.createdBy.name} ·{" "}
            <bdi>{formatDateTime(job.createdAt, locale)}</bdi>
          </Text>
        </Stack>
        <Stack gap={4} align="flex-end">
          <SoftBadge color={STATUS_COLOR[job.status]}>
            {t(`imports.status.${job.status}`)}
          </SoftBadge>
          <Text size="sm">
            {t("imports.rowsSummary", {
              total: n(job.totalRows),
              errors: n(job.errorRows),
            })}
            {imported !== undefined
              ? ` · ${t("imports.importedSummary", { count: imported, n: n(imported) })}`
              : ""}
          </Text>
        </Stack>
      </Group>
    </Paper>
  );
}
