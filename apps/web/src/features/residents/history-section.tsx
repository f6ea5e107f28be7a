import { useState } from "react";
import { Group, Paper, Stack, Switch, Text, Timeline, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { EmptyState, ErrorState, PageLoader } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { formatDateTime } from "../../lib/format.ts";
import { residentHistoryQuery } from "./residents.api.ts";

/** "resident.update" → "update": the audit action without its entity prefix. */
export function actionKey(action: string): string {
  const last = action.split(".").pop() ?? action;
  return last.replace(/[^a-z0-9_]/gi, "_");
}

/** What happened to the record, newest first: changes, consents, views of sensitive fields. */
export function HistorySection({ residentId }: { residentId: string }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const history = useQuery(residentHistoryQuery(residentId));
  // Every opening of the record is audited; by default the timeline shows what changed.
  const [showReads, setShowReads] = useState(false);
  const items = (history.data?.items ?? []).filter(
    (h) => showReads || actionKey(h.action) !== "read",
  );

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="history-title">
      <Stack gap="sm">
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Title order={2} size="h4" id="history-title">
            {t("resident.history.title")}
          </Title>
          <Switch
            size="sm"
            label={t("resident.history.showReads")}
            checked={showReads}
            onChange={(e) => setShowReads(e.currentTarget.checked)}
          />
        </Group>
        {history.isPending ? <PageLoader /> : null}
        {history.isError ? (
          <ErrorState error={history.error} onRetry={() => void history.refetch()} />
        ) : null}
        {history.isSuccess && items.length === 0 ? (
          <EmptyState title={t("resident.history.empty")} />
        ) : null}
        {history.isSuccess && items.length > 0 ? (
          <Timeline bulletSize={14} lineWidth={2} color="honey">
            {items.map((h, i) => (
              <Timeline.Item
                key={`${h.at}-${i}`}
                title={t(`resident.history.actions.${actionKey(h.action)}`, {
                  defaultValue: t("resident.history.actions.other"),
                })}
              >
                <Text size="sm" c="dimmed">
                  <bdi dir="ltr">{formatDateTime(h.at, locale)}</bdi>
                  {" · "}
                  {h.actorName ?? t("resident.history.system")}
                </Text>
                {h.fields.length > 0 ? (
                  <Text size="sm">
                    {t("resident.history.fields", {
                      fields: h.fields
                        .map((f) => t(`resident.fieldNames.${f}`, { defaultValue: f }))
                        .join(", "),
                    })}
                  </Text>
                ) : null}
                {h.purpose ? (
                  <Text size="sm">{t("resident.history.purpose", { purpose: h.purpose })}</Text>
                ) : null}
              </Timeline.Item>
            ))}
          </Timeline>
        ) : null}
      </Stack>
    </Paper>
  );
}
